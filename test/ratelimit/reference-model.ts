/**
 * Textbook models of the three algorithms, one object per key, written for clarity: the
 * Wasm table and src/ratelimit/algorithms.ts must agree with these on allow/deny.
 */
export type Algo = "tokenBucket" | "slidingWindow" | "fixedWindow";

const TOL = 1e-6;

export class ReferenceLimiter {
  tat = 0;
  windows = new Map<number, number>(); // window index -> cost counted

  constructor(readonly algo: Algo, readonly limit: number, readonly period: number) {}

  /** Returns whether a request of `cost` at `now` is allowed, consuming when it is. */
  check(now: number, cost: number): boolean {
    if (this.algo === "tokenBucket") {
      const interval = this.period / this.limit; // ms per token
      const next = Math.max(this.tat, now) + cost * interval;
      if (next - now > this.period + TOL) return false;
      this.tat = next;
      return true;
    }
    const index = Math.floor(now / this.period);
    const current = this.windows.get(index) ?? 0;
    let used = current;
    if (this.algo === "slidingWindow") {
      const previous = this.windows.get(index - 1) ?? 0;
      const start = index * this.period;
      used = previous * (1 - (now - start) / this.period) + current;
    }
    if (used + cost > this.limit + TOL) return false;
    this.windows.set(index, current + cost);
    return true;
  }
}
