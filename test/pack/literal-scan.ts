/**
 * Shared by the literal automaton's tests: a pack of `pm` rules, the engine's literal scan
 * (literalScan export) as sorted "rule:start:end" strings, and the reference it must equal.
 */
import { expect } from "vitest";
import { loadRawEngine } from "./harness.js";

export type Engine = ReturnType<typeof loadRawEngine>;

/** One `pm` rule per list, ids r0, r1, … */
export const pmPack = (lists: string[][]) => ({
  name: "t", version: "1.0.0",
  rules: lists.map((pm, i) => ({ id: `r${i}`, message: "m", family: "f", targets: ["args"], operator: { pm } })),
});

/** Hits as sorted "rule:start:end" strings, through the front end (plain = false) or the plain walk. */
export function scanLiterals(e: Engine, input: string, plain: boolean): string[] {
  const bytes = new TextEncoder().encode(input);
  const ptr = e.exports.arenaPtr();
  new Uint8Array(e.memory.buffer).set(bytes, ptr);
  const out = e.exports.scratchPtr();
  const cap = Math.floor(e.exports.scratchSize() / 12);
  const n = e.exports.literalScan(ptr, bytes.length, out, cap, plain ? 1 : 0);
  expect(n).toBeLessThanOrEqual(cap);
  const v = new Uint32Array(e.memory.buffer, out, n * 3);
  const hits = new Set<string>();
  for (let i = 0; i < n; i++) hits.add(`${e.meta.rules[v[i * 3]!]!.id}:${v[i * 3 + 1]}:${v[i * 3 + 2]}`);
  return [...hits].sort();
}

/** The reference: every occurrence of every literal of every rule, ASCII case folded. */
export function literalReference(lists: string[][], input: string): string[] {
  const hay = input.toLowerCase();
  const hits = new Set<string>();
  lists.forEach((pm, r) => {
    for (const lit of pm) {
      const l = lit.toLowerCase();
      for (let at = hay.indexOf(l); at >= 0; at = hay.indexOf(l, at + 1)) hits.add(`r${r}:${at}:${at + l.length}`);
    }
  });
  return [...hits].sort();
}
