/**
 * The Wasm rate-limit table as the parity reference for the shared stores (Deno KV, Durable
 * Objects): generated request sequences, and what the table answers at each step.
 */
import fc from "fast-check";
import { ALGORITHM_ID, type Algorithm } from "../../src/ratelimit/policy";
import { instantiateEngine } from "../support/wasm";

export interface Sequence {
  algorithm: Algorithm;
  limit: number;
  periodMs: number;
  steps: { dt: number; cost: number }[];
}

/** `runs` sequences of up to `maxSteps` requests (time steps and costs), reproducible by `seed`. */
export function sampleSequences(runs: number, maxSteps: number, seed: number): Sequence[] {
  return fc.sample(fc.record({
    algorithm: fc.constantFrom<Algorithm>("tokenBucket", "slidingWindow", "fixedWindow"),
    limit: fc.integer({ min: 1, max: 8 }),
    periodMs: fc.constantFrom(100, 1000),
    steps: fc.array(fc.record({ dt: fc.integer({ min: 0, max: 600 }), cost: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: maxSteps }),
  }), { numRuns: runs, seed });
}

/** Per sequence, per step: [allowed, remaining, reset, retry after (−1: never)] from the Wasm table, one key per sequence. */
export function tableReplies(sequences: readonly Sequence[]): number[][][] {
  const { exports: e, memory } = instantiateEngine();
  e.rlConfigure(1024);
  return sequences.map((s, i) => {
    let nowMs = 1_763_800_000_000;
    return s.steps.map(({ dt, cost }) => {
      nowMs += dt;
      const allowed = e.rlCheck(i + 1, 0, ALGORITHM_ID[s.algorithm], s.limit, s.periodMs, cost, nowMs, 0);
      const f = new Float64Array(memory.buffer);
      const r = e.rlResultPtr() >>> 3;
      return [allowed, f[r]!, f[r + 1]!, allowed ? 0 : f[r + 2] === Infinity ? -1 : f[r + 2]!];
    });
  });
}
