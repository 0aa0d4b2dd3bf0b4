/**
 * A model of which rules a request fires, for the property tests of the inspect loop's fast
 * paths (test/inspect-always-rules.test.ts, test/name-ids.test.ts): rules with a transform
 * chain, a `contains` or `rx` needle, maybe negated, reading fields by kind, names and
 * exclusions; requests of a method, query args and headers.
 */
import { expect } from "vitest";
import type { Wafer } from "../../src/engine/engine.js";

export type Target = string | { field: string; names?: string[]; except?: string[] };
export interface Field { kind: "method" | "args" | "args_names" | "headers"; name: string; value: string }
export interface ModelRule {
  targets: Target[]; chain: string[]; needle: string; negate: boolean; regex: boolean; paranoia: number;
  /** A regex that tells case apart (contains and other regexes fold it): upper case survives unless the chain lowercases it. */
  caseSensitive?: boolean;
}
export interface ModelRequest { method: string; args: [string, string][]; headers: [string, string][] }

/** The three transforms the models use. */
export const applyChain = (chain: string[], v: string) => chain.reduce((s, t) =>
  t === "lowercase" ? s.toLowerCase() : t === "trim" ? s.trim() : s.replace(/[ \t\n\v\f\r]/g, ""), v);

/** The rules as pack source: `r0`, `r1`, … */
export const ruleSource = (rules: ModelRule[]) => rules.map((r, i) => ({
  id: `r${i}`, message: "m", family: "f", targets: r.targets, transforms: r.chain,
  operator: r.regex ? { rx: r.needle, caseSensitive: r.caseSensitive ?? false } : { contains: r.needle }, negate: r.negate, paranoia: r.paranoia,
}));

/** A rule reads a field one of its targets selects and none excludes (an exclusion wins); `named` says whether a name pattern names a field name. */
export function readsBy(named: (pattern: string, name: string) => boolean) {
  return (targets: Target[], f: Field): boolean => {
    const selects = (t: Target) => typeof t === "string" ? t === f.kind : t.field === f.kind && (!t.names || t.names.some((n) => named(n, f.name)));
    const excludes = (t: Target) => typeof t !== "string" && t.field === f.kind && (t.except ?? []).some((n) => named(n, f.name));
    return targets.some(selects) && !targets.some(excludes);
  };
}

/** The transformed value as the rule's operator compares it (needles are lower case). */
const seen = (r: ModelRule, v: string) => (r.regex && r.caseSensitive ? v : v.toLowerCase());

/** Inspects the request and expects exactly the paranoia-1 rules the model says fire. */
export function expectModelFires(wafer: Wafer, rules: ModelRule[], req: ModelRequest, reads: (targets: Target[], f: Field) => boolean): void {
  const fields: Field[] = [
    { kind: "method", name: "", value: req.method },
    ...req.args.flatMap(([n, v]) => [{ kind: "args", name: n, value: v }, { kind: "args_names", name: n, value: n }] as Field[]),
    ...req.headers.map(([n, v]) => ({ kind: "headers", name: n, value: v }) as Field),
  ];
  const expected = rules.flatMap((r, i) => r.paranoia === 1 && fields.some((f) =>
    reads(r.targets, f) && seen(r, applyChain(r.chain, f.value)).includes(r.needle) !== r.negate) ? [`r${i}`] : []);
  const url = `/?${req.args.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join("&")}`;
  const d = wafer.inspectSync({ method: req.method, url, headers: req.headers, body: null });
  expect([req, [...new Set(d.matches.map((m) => m.rule))].sort()]).toEqual([req, expected.sort()]);
}
