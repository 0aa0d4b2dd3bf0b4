/**
 * One libddwaf condition operator → one wafer operator, exactly where the semantics agree:
 *
 * - `match_regex` folds case unless `options.case_sensitive` (libddwaf's default is
 *   case-insensitive, wafer's `rx` is case-sensitive, so the flag is always written);
 * - `phrase_match` and `exact_match` are case-sensitive in libddwaf while wafer's `pm` folds
 *   case: `pm` is used only when that cannot differ (the chain ends in `lowercase`, or no
 *   phrase has a cased letter), otherwise an escaped case-sensitive alternation;
 * - `enforce_word_boundary` needs a non-word byte (or the edge) next to a phrase edge that is
 *   a word character, as libddwaf checks it: `\b` on that side.
 */
import type { TransformName } from "../engine/abi.js";
import type { OperatorSource } from "../pack/schema.js";
import type { DdwafCondition } from "./format.js";
import { matchesEverything, regexMinMatchLength } from "./regex-length.js";

export type OperatorImport =
  | {
      operator: OperatorSource;
      negate: boolean;
      /** libddwaf's min_length that the regex alone does not imply: values shorter than this are skipped. */
      minLength?: number;
      notes: string[];
    }
  | { unsupported: string };

/**
 * Longest word-bounded phrase alternation compiled as one regex: beyond it (crs-930-120's 1,400
 * paths) the DFA exceeds the compiler's state budget, so the list becomes a `pm` (a superset).
 */
const MAX_BOUNDED_ALTERNATION = 20_000;
const RASP_DETECTORS = new Set(["lfi_detector", "ssrf_detector", "shi_detector", "cmdi_detector", "sqli_detector"]);
/** Transforms after `lowercase` that cannot bring an upper-case letter back. */
const CASE_PRESERVING: ReadonlySet<TransformName> = new Set([
  "lowercase", "removeNulls", "compressWhitespace", "removeWhitespace", "removeComments", "normalizePath",
  "normalizePathWin", "cmdLine", "trim", "trimLeft", "trimRight", "replaceNulls",
]);

export function escapeRegexLiteral(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}/]/g, "\\$&").replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** Values reaching the operator are lower-case: the chain has `lowercase` and nothing after it restores case. */
export function endsLowercased(transforms: TransformName[]): boolean {
  const at = transforms.lastIndexOf("lowercase");
  return at >= 0 && transforms.slice(at).every((t) => CASE_PRESERVING.has(t));
}

const isWordChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);

/** `\b` next to a word-character edge is exactly libddwaf's check (ASCII word bytes, `_` included). */
function wordBounded(phrase: string): string {
  const before = isWordChar(phrase[0]) ? "\\b" : "";
  const after = isWordChar(phrase[phrase.length - 1]) ? "\\b" : "";
  return `${before}${escapeRegexLiteral(phrase)}${after}`;
}

function stringList(list: unknown[] | undefined): string[] | null {
  if (!Array.isArray(list)) return null;
  const out: string[] = [];
  for (const item of list) {
    if (typeof item === "string") out.push(item);
    else if (typeof item === "object" && item !== null && typeof (item as { value?: unknown }).value === "string")
      out.push((item as { value: string }).value);
    else return null;
  }
  return out;
}

export interface OperatorContext {
  /** The wafer transform chain the values go through before the operator. */
  transforms: TransformName[];
  /** rules_data entries by id, for `data:` references. */
  data: Map<string, string[]>;
}

export function importOperator(cond: DdwafCondition, ctx: OperatorContext): OperatorImport {
  const raw = cond.operator;
  const negate = raw.startsWith("!");
  const name = (negate ? raw.slice(1) : raw).replace(/@v\d+$/, "");
  const p = cond.parameters ?? {};
  const notes: string[] = [];
  if (RASP_DETECTORS.has(name))
    return { unsupported: `${raw}: RASP exploit detector (needs the resource the application is about to use)` };

  let list: string[] | null = null;
  if (name === "phrase_match" || name === "exact_match" || name === "ip_match") {
    if (typeof p.data === "string") {
      list = ctx.data.get(p.data) ?? null;
      if (!list) return { unsupported: `${raw}: data "${p.data}" is supplied at runtime (rules_data), the file holds none` };
    } else list = stringList(p.list);
    if (!list) return { unsupported: `${raw}: list must hold strings` };
    if (list.length === 0) return { unsupported: `${raw}: empty list never matches` };
  }

  switch (name) {
    case "match_regex": {
      if (typeof p.regex !== "string") return { unsupported: `${raw}: no regex` };
      const caseSensitive = p.options?.case_sensitive === true;
      const minLength = p.options?.min_length ?? 0;
      if (minLength > 0 && matchesEverything(p.regex))
        return { operator: { rx: `[\\s\\S]{${minLength}}`, caseSensitive: true }, negate, notes };
      const needsLength = minLength > regexMinMatchLength(p.regex) ? minLength : undefined;
      return { operator: { rx: p.regex, caseSensitive }, negate, minLength: needsLength, notes };
    }
    case "phrase_match": {
      let phrases = list!;
      const lowered = endsLowercased(ctx.transforms);
      if (lowered) {
        const dead = phrases.filter((s) => s !== s.toLowerCase());
        if (dead.length > 0) {
          notes.push(`phrase_match: ${dead.length} phrase(s) with upper-case letters can never match lower-cased values and were left out`);
          phrases = phrases.filter((s) => s === s.toLowerCase());
          if (phrases.length === 0) return { unsupported: `${raw}: every phrase has upper-case letters after lowercase` };
        }
      }
      const caseless = phrases.every((s) => s.toLowerCase() === s.toUpperCase());
      if (p.options?.enforce_word_boundary === true) {
        const rx = phrases.map(wordBounded).join("|");
        if (rx.length <= MAX_BOUNDED_ALTERNATION || !(lowered || caseless)) return { operator: { rx, caseSensitive: true }, negate, notes };
        notes.push(`phrase_match: word boundaries not enforced (${phrases.length} phrases are too many for one bounded automaton); fires on phrases inside words too`);
      }
      if (lowered || caseless) return { operator: { pm: phrases }, negate, notes };
      return { operator: { rx: phrases.map(escapeRegexLiteral).join("|"), caseSensitive: true }, negate, notes };
    }
    case "exact_match": {
      if (list!.length === 1) return { operator: { streq: list![0]!, caseSensitive: true }, negate, notes };
      return { operator: { rx: `^(?:${list!.map(escapeRegexLiteral).join("|")})$`, caseSensitive: true }, negate, notes };
    }
    case "ip_match":
      return { operator: { ipMatch: list! }, negate, notes };
    case "is_sqli":
      return { operator: { detectSQLi: true }, negate, notes };
    case "is_xss":
      return { operator: { detectXSS: true }, negate, notes };
    case "exists":
      if (negate) return { unsupported: `${raw}: wafer tests fields that are present; absence is not expressible` };
      return { operator: { exists: true }, negate, notes };
    case "equals": {
      const type = p.type ?? (typeof p.value === "string" ? "string" : typeof p.value === "number" ? "float" : typeof p.value);
      if (type === "string" && typeof p.value === "string") return { operator: { streq: p.value, caseSensitive: true }, negate, notes };
      if ((type === "signed" || type === "unsigned" || type === "float") && typeof p.value === "number")
        return { operator: { eq: p.value }, negate, notes };
      return { unsupported: `${raw}: ${type} values are not comparable on HTTP fields` };
    }
    case "greater_than":
    case "lower_than": {
      if (typeof p.value !== "number") return { unsupported: `${raw}: value must be a number` };
      return { operator: name === "greater_than" ? { gt: p.value } : { lt: p.value }, negate, notes };
    }
    default:
      return { unsupported: `${raw}: operator has no wafer equivalent` };
  }
}
