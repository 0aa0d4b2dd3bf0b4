/**
 * A DFA built while it runs (RE2's and regex-automata's "lazy DFA"): for a pattern whose
 * full DFA is over the state budget (the CRS's evasion-tolerant command lists), the states
 * one input reaches are built on demand from the pattern's exact NFA (subsets.ts, the same
 * construction the ahead-of-time DFA uses) and kept for the next input.
 *
 * Why: the host `RegExp` that confirmed such patterns before backtracks — CRS 932230 took
 * 12 s on 1,000 newlines (cubic). Here every input byte costs one table lookup once its
 * transition is known, and at most one transition computation, O(NFA set size), when not:
 * linear time in the input, whatever it holds.
 *
 * Memory is bounded: when the states exceed `maxStates` or hold more than `maxStoredInts`
 * integers, the cache is cleared and rebuilt from the current state (RE2's policy), so a
 * hostile input can make matching slower (a transition computed per byte) but never larger.
 * `work` counts the NFA states visited, for tests that check linearity without a clock.
 */
import type { Nfa } from "./nfa.js";
import { DEAD, MATCH_STATE, SubsetStates } from "./subsets.js";

export interface LazyDfaLimits {
  /** Most cached states before the cache is cleared (default 2,048). */
  maxStates?: number;
  /** Most integers (NFA state ids, cached transitions) held before the cache is cleared (default 1 Mi: ~4 MB). */
  maxStoredInts?: number;
}

const UNKNOWN = -1;

export class LazyDfa {
  private readonly states: SubsetStates;
  /** rows[id][class]: the next state, or UNKNOWN until computed. */
  private rows: Int32Array[] = [];
  private readonly maxStates: number;
  private readonly maxStoredInts: number;
  /** Times the cache was cleared (a hostile or very varied input stream). */
  resets = 0;

  constructor(nfa: Nfa, limits: LazyDfaLimits = {}) {
    this.states = new SubsetStates(nfa);
    this.maxStates = Math.max(8, limits.maxStates ?? 2048);
    this.maxStoredInts = Math.max(1024, limits.maxStoredInts ?? 1 << 20);
  }

  /** NFA states visited since construction (grows linearly with the bytes matched). */
  get work(): number {
    return this.states.work;
  }

  /** Whether the pattern matches anywhere in `input` (bytes, as the Wasm automata read them). */
  test(input: Uint8Array): boolean {
    const { classMap, eoi } = this.states;
    let s = this.states.start;
    for (let i = 0; i < input.length; i++) {
      const c = classMap[input[i]];
      let t = this.rows[s]?.[c] ?? UNKNOWN;
      if (t === UNKNOWN) t = this.compute(s, c);
      if (t === DEAD) return false;
      if (t === MATCH_STATE) return true;
      s = t;
    }
    const end = this.rows[s]?.[eoi] ?? UNKNOWN;
    return (end === UNKNOWN ? this.compute(s, eoi) : end) === MATCH_STATE;
  }

  /** The transition from s on c, cached; may clear the cache (the returned id is then renumbered). */
  private compute(s: number, c: number): number {
    const { states } = this;
    const t = states.transition(s, c);
    const row = (this.rows[s] ??= new Int32Array(states.classCount).fill(UNKNOWN));
    row[c] = t;
    if (states.stateCount <= this.maxStates && states.storedInts + this.rows.length * states.classCount <= this.maxStoredInts) return t;
    this.resets++;
    this.rows = [];
    return states.reset(t);
  }
}
