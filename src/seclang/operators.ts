/**
 * SecLang operators → pack operators. ModSecurity's string operators compare bytes
 * exactly, so they become `caseSensitive: true`; `@pm` phrase lists ignore case in both.
 * Data files (`@pmFromFile`, `@ipMatchFromFile`) are read next to the rules and inlined, so
 * the pack needs no files at load time.
 */
import { parseDataFile } from "../pack/compile.js";
import type { OperatorSource } from "../pack/schema.js";
import type { Operator } from "./parser.js";
import type { TxState } from "./tx-state.js";

export type MappedOperator =
  | { operator: OperatorSource; negate: boolean; note?: string }
  | { unsupported: string }
  /** `@noMatch` (or a negated always-true operator): the condition can never hold. */
  | { never: true };

const CASE_SENSITIVE_LITERALS: Record<string, "contains" | "beginsWith" | "endsWith" | "streq" | "within"> = {
  contains: "contains",
  beginswith: "beginsWith",
  endswith: "endsWith",
  streq: "streq",
  within: "within",
  strmatch: "contains",
};

const NUMERIC: Record<string, "eq" | "gt" | "ge" | "lt" | "le"> = { eq: "eq", gt: "gt", ge: "ge", lt: "lt", le: "le" };

const UNSUPPORTED: Record<string, string> = {
  rbl: "@rbl needs a DNS lookup per request",
  geolookup: "@geoLookup needs a GeoIP database",
  gsblookup: "@gsbLookup needs Google Safe Browsing",
  inspectfile: "@inspectFile runs an external program",
  fuzzyhash: "@fuzzyHash is not implemented",
  verifycc: "@verifyCC (Luhn check) is not implemented",
  verifycpf: "@verifyCPF is not implemented",
  verifyssn: "@verifySSN is not implemented",
  validatedtd: "@validateDTD needs an XML parser",
  validateschema: "@validateSchema needs an XML parser",
  validatehash: "@validateHash needs response rewriting",
  rsub: "@rsub rewrites content (streams), not a detection",
};

export interface OperatorContext {
  tx: TxState;
  /** Reads a data file named in the rule, resolved next to the rule's file. */
  readData: (name: string) => string;
}

export function mapOperator(op: Operator, ctx: OperatorContext): MappedOperator {
  const name = op.name;
  if (UNSUPPORTED[name]) return { unsupported: UNSUPPORTED[name]! };
  const arg = ctx.tx.expand(op.argument);
  if (arg === null) return { unsupported: `@${name} argument ${JSON.stringify(op.argument)} uses a per-request macro` };
  const negate = op.negate;
  switch (name) {
    case "rx":
      if (arg === "") return { operator: { always: true }, negate };
      return { operator: { rx: arg }, negate };
    case "pm": {
      const phrases = arg.split(/\s+/).filter((p) => p !== "");
      if (phrases.length === 0) return { unsupported: "@pm with no phrases" };
      return { operator: { pm: phrases }, negate };
    }
    case "pmf":
    case "pmfromfile": {
      const files = arg.split(/\s+/).filter((f) => f !== "");
      const phrases: string[] = [];
      for (const file of files) {
        if (/^https?:/i.test(file)) return { unsupported: `@${name} from a URL (${file}) is not fetched at import` };
        let text: string;
        try {
          text = ctx.readData(file);
        } catch (e) {
          return { unsupported: `@${name} ${file}: ${(e as Error).message}` };
        }
        phrases.push(...parseDataFile(text));
      }
      if (phrases.length === 0) return { never: true };
      return { operator: { pm: [...new Set(phrases)] }, negate, note: `@${name} ${files.join(" ")} inlined as @pm (${phrases.length} phrases)` };
    }
    case "containsword": {
      if (arg === "") return { unsupported: "@containsWord with an empty word" };
      return { operator: { rx: `(?:^|\\W)${escapeRegex(arg)}(?:\\W|$)` }, negate };
    }
    case "ipmatch":
    case "ipmatchfromfile":
    case "ipmatchf": {
      let list: string[];
      if (name === "ipmatch") list = arg.split(/[,\s]+/).filter((s) => s !== "");
      else {
        try {
          list = parseDataFile(ctx.readData(arg.trim()));
        } catch (e) {
          return { unsupported: `@${name} ${arg}: ${(e as Error).message}` };
        }
      }
      if (list.length === 0) return { never: true };
      return { operator: { ipMatch: list }, negate };
    }
    case "detectsqli":
      return { operator: { detectSQLi: true }, negate };
    case "detectxss":
      return { operator: { detectXSS: true }, negate };
    case "validateurlencoding":
      return { operator: { validateUrlEncoding: true }, negate };
    case "validateutf8encoding":
      return { operator: { validateUtf8: true }, negate };
    case "validatebyterange":
      if (!/^\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*$/.test(arg)) return { unsupported: `@validateByteRange ${JSON.stringify(arg)}: bad range list` };
      return { operator: { byteRange: arg.replace(/\s+/g, "") }, negate };
    case "unconditionalmatch":
      return negate ? { never: true } : { operator: { always: true }, negate: false };
    case "nomatch":
      return negate ? { operator: { always: true }, negate: false } : { never: true };
    default:
      break;
  }
  const literal = CASE_SENSITIVE_LITERALS[name];
  if (literal) {
    if (arg === "" && literal !== "streq") {
      // ModSecurity: an empty needle matches everything for contains/beginsWith/endsWith.
      return literal === "within" ? { never: true } : negate ? { never: true } : { operator: { always: true }, negate: false };
    }
    const operator = { [literal]: arg, caseSensitive: true } as OperatorSource;
    return { operator, negate };
  }
  const numeric = NUMERIC[name];
  if (numeric) {
    const n = Number(arg.trim());
    if (!Number.isInteger(n)) return { unsupported: `@${name} ${JSON.stringify(arg)}: not an integer` };
    return { operator: { [numeric]: n } as OperatorSource, negate };
  }
  return { unsupported: `@${name}: unknown operator` };
}

/** `s` as a literal in a regex (ours and the host's, `u` flag or not). */
export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
