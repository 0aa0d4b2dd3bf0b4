/**
 * The linearity check the lazy DFA tests share: work counted (never timed) on `unit` repeated
 * to each size, with a fresh automaton per size (a warm cache would hide the cost of building
 * states) and a small cache, so that clearing it is part of what is measured.
 */
import { expect, it } from "vitest";
import { LazyDfa } from "../../src/regex/lazy-dfa.js";
import type { Nfa } from "../../src/regex/nfa.js";

const encoder = new TextEncoder();

/** One test: the work at most doubles (×2.2, plus a constant) each time the input does. */
export function itRunsInLinearWork(pattern: string, unit: string, nfaOf: (pattern: string) => Nfa, sizes: number[]): void {
  it(`${pattern.length > 40 ? `${pattern.slice(0, 40)}…` : pattern} on ${JSON.stringify(unit)} × n: work doubles at most with n`, () => {
    const works: number[] = [];
    for (const n of sizes) {
      const dfa = new LazyDfa(nfaOf(pattern), { maxStates: 32 });
      dfa.test(encoder.encode(unit.repeat(Math.ceil(n / unit.length)).slice(0, n) + "!"));
      works.push(dfa.work);
    }
    expect(works[0]).toBeGreaterThan(0);
    for (let i = 1; i < works.length; i++) expect(works[i]!, `work ${works.join(", ")}`).toBeLessThanOrEqual(2.2 * works[i - 1]! + 1000);
  });
}
