/**
 * A compact summary of what a rule condition does, stored in the pack metadata by the
 * compiler so `wafer diff` can say *how* a rule changed (operator, argument, targets,
 * transforms) without the pack source. Arguments are kept as a 32-bit FNV-1a hash (change
 * detection, not security) plus a short excerpt for people.
 */
import type { ConditionSource } from "../pack/schema.js";

export interface RuleContent {
  /** Operator name ("rx", "pm", "pmFile", "detectSQLi"…), prefixed by "!" when negated. */
  op: string;
  /** FNV-1a 32-bit hash (hex) of the operator's argument (for pmFile: of the data file's text too). */
  arg: string;
  /** The argument, abbreviated to ARG_EXCERPT characters. */
  argText: string;
  /** The targets, in source order, as canonical text. */
  targets: string;
  transforms: string[];
}

const ARG_EXCERPT = 80;
const encoder = new TextEncoder();

export function ruleContent(c: ConditionSource, readDataFile?: (name: string) => string): RuleContent {
  const operator = c.operator as Record<string, unknown>;
  const name = Object.keys(operator).find((k) => k !== "caseSensitive") ?? "?";
  const value = operator[name];
  let argument = typeof value === "string" ? value : JSON.stringify(value);
  if (operator.caseSensitive !== undefined) argument += ` (caseSensitive: ${String(operator.caseSensitive)})`;
  let hashed = argument;
  if (name === "pmFile" && readDataFile) {
    try {
      hashed = `${argument}\n${readDataFile(String(value))}`;
    } catch {
      // The compiler reports an unreadable data file itself.
    }
  }
  return {
    op: `${c.negate ? "!" : ""}${name}`,
    arg: fnv1a(encoder.encode(hashed)).toString(16).padStart(8, "0"),
    argText: argument.length > ARG_EXCERPT ? `${argument.slice(0, ARG_EXCERPT - 1)}…` : argument,
    targets: (c.targets ?? []).map((t) => (typeof t === "string" ? t : JSON.stringify(t))).join(", "),
    transforms: c.transforms ?? [],
  };
}

function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
  return h >>> 0;
}
