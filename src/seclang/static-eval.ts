/**
 * Import-time evaluation of conditions that only read TX. For one configuration these are
 * constants (`TX:DETECTION_PARANOIA_LEVEL "@lt 2"`, `&TX:arg_length "@eq 1"`, the 901
 * defaults), so the importer decides them once instead of shipping them into the pack.
 */
import type { RuleLink, Variable } from "./parser.js";
import { RUNTIME, type TxState } from "./tx-state.js";

/** Does this link read TX (and nothing else)? */
export function readsOnlyTx(link: RuleLink): boolean {
  return link.variables.every((v) => v.collection === "TX");
}

/** The TX names a link reads, for reasons in the report. */
export function txNames(link: RuleLink): string {
  return link.variables.map((v) => `${v.exclude ? "!" : ""}${v.count ? "&" : ""}TX${v.key !== undefined ? `:${v.key}` : ""}`).join("|");
}

/**
 * true / false when the link's outcome is known at import; null when it depends on a
 * per-request value (a capture `TX:0`, a score, a variable a detection rule sets) or on an
 * operator this evaluator does not model.
 */
export function evaluateStatic(link: RuleLink, tx: TxState): boolean | null {
  const values: string[] = [];
  for (const v of link.variables) {
    if (v.exclude) continue;
    const got = valuesOf(v, tx);
    if (got === null) return null;
    values.push(...got);
  }
  const arg = tx.expand(link.operator.argument);
  if (arg === null) return null;
  const test = staticOperator(link.operator.name, arg);
  if (!test) return null;
  return values.some((value) => test(value) !== link.operator.negate);
}

function valuesOf(v: Variable, tx: TxState): string[] | null {
  if (v.key === undefined) return null;
  const names = v.key.startsWith("/") && v.key.endsWith("/") && v.key.length >= 2
    ? tx.matching(new RegExp(v.key.slice(1, -1), "i"))
    : [v.key.toLowerCase()];
  if (/^\d+$/.test(v.key)) return null; // TX:0, TX:1: regex captures of this request
  const out: string[] = [];
  let count = 0;
  for (const name of names) {
    const value = tx.get(name);
    if (value === RUNTIME) return null;
    if (value === undefined) continue;
    count++;
    out.push(value);
  }
  return v.count ? [String(count)] : out;
}

/** ModSecurity integer semantics: leading number or 0. */
function toInt(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m ? Number(m[1]) : 0;
}

function staticOperator(name: string, arg: string): ((value: string) => boolean) | null {
  switch (name) {
    case "eq": return (v) => toInt(v) === toInt(arg);
    case "gt": return (v) => toInt(v) > toInt(arg);
    case "ge": return (v) => toInt(v) >= toInt(arg);
    case "lt": return (v) => toInt(v) < toInt(arg);
    case "le": return (v) => toInt(v) <= toInt(arg);
    case "streq": return (v) => v === arg;
    case "contains": return (v) => v.includes(arg);
    case "beginswith": return (v) => v.startsWith(arg);
    case "endswith": return (v) => v.endsWith(arg);
    case "within": return (v) => arg.includes(v);
    case "pm": {
      const phrases = arg.toLowerCase().split(/\s+/).filter((p) => p !== "");
      return (v) => phrases.some((p) => v.toLowerCase().includes(p));
    }
    case "unconditionalmatch": return () => true;
    case "nomatch": return () => false;
    case "rx": {
      let source = arg;
      let flags = "";
      if (source.startsWith("(?i)")) {
        source = source.slice(4);
        flags = "i";
      }
      try {
        const re = new RegExp(source, flags);
        return (v) => re.test(v);
      } catch {
        return null;
      }
    }
    default:
      return null;
  }
}
