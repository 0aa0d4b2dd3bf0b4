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
 *
 * Lookaround (an NFA built with `exactLookaround`): each input first gets its lookarounds'
 * truth tables (lookaround.ts, linear in the input), and a transition out of a state with a
 * pending assertion is keyed by the bits of its position of the lookarounds that assertion
 * leads to (SubsetStates.lookaroundsPending) as well as by the byte class — states without
 * one (most of them: plain text) share one row.
 */
import { lookaroundTable, type PassLimits } from "./lookaround.js";
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
  /**
   * The plain transitions, one flat table: trans[id × classCount + class] is the next state,
   * or UNKNOWN until computed. Grown (doubled) as states are added; one typed-array read per
   * byte where an array of rows took two (about half the time of a walk, bench:confirm).
   */
  private trans: Int32Array;
  /** Rows of transitions taken where some lookaround holds: by state, then by lookaround bits. */
  private lookRows = new Map<number, Map<number, Int32Array>>();
  private lookRowCount = 0;
  private readonly nfa: Nfa;
  /** States the lookaround tables' passes visited (lookaround.ts). */
  private readonly lookaroundWork = { work: 0 };
  private readonly maxStates: number;
  private readonly maxStoredInts: number;
  /** Bounds on each lookaround body's cache (lookaround.ts): this automaton's, at most 1,024 sets and 64 Ki integers. */
  private readonly passLimits: PassLimits;
  /** Times the cache was cleared (a hostile or very varied input stream). */
  resets = 0;

  constructor(nfa: Nfa, limits: LazyDfaLimits = {}) {
    this.nfa = nfa;
    this.states = new SubsetStates(nfa);
    this.maxStates = Math.max(8, limits.maxStates ?? 2048);
    this.maxStoredInts = Math.max(1024, limits.maxStoredInts ?? 1 << 20);
    this.passLimits = { maxSets: Math.min(this.maxStates, 1024), maxStoredInts: Math.min(this.maxStoredInts, 1 << 16) };
    this.trans = new Int32Array(16 * this.states.classCount).fill(UNKNOWN);
  }

  /** NFA states visited since construction (grows linearly with the bytes matched). */
  get work(): number {
    return this.states.work + this.lookaroundWork.work;
  }

  /** Whether the pattern matches anywhere in `input` (bytes, as the Wasm automata read them). */
  test(input: Uint8Array): boolean {
    if (this.nfa.lookarounds) return this.testWithLookarounds(input, lookaroundTable(this.nfa, input, this.lookaroundWork, this.passLimits));
    const { classMap, eoi, classCount } = this.states;
    let trans = this.trans; // read again after a computed transition (it may grow)
    let s = this.states.start;
    for (let i = 0; i < input.length; i++) {
      const c = classMap[input[i]];
      let t = trans[s * classCount + c];
      if (t === UNKNOWN) {
        t = this.compute(s, c);
        trans = this.trans;
      }
      if (t <= MATCH_STATE) return t === MATCH_STATE;
      s = t;
    }
    const end = trans[s * classCount + eoi];
    return (end === UNKNOWN ? this.compute(s, eoi) : end) === MATCH_STATE;
  }

  /** `test` for an NFA with lookarounds; `looks[p]`: the lookaround bits that hold at position p. */
  private testWithLookarounds(input: Uint8Array, looks: Int32Array): boolean {
    const { classMap, eoi } = this.states;
    let s = this.states.start;
    for (let i = 0; i <= input.length; i++) {
      const c = i < input.length ? classMap[input[i]] : eoi;
      const bits = looks[i] & this.states.lookaroundsPending(s);
      let t = (bits === 0 ? this.trans[s * this.states.classCount + c] : this.lookRows.get(s)?.get(bits)?.[c]) ?? UNKNOWN;
      if (t === UNKNOWN) t = this.compute(s, c, bits);
      if (t === DEAD) return false;
      if (t === MATCH_STATE) return true;
      s = t;
    }
    return false;
  }

  /** The transition from s on c, cached; may clear the cache (the returned id is then renumbered). */
  private compute(s: number, c: number, lookarounds = 0): number {
    const { states } = this;
    const t = states.transition(s, c, lookarounds);
    const k = states.classCount;
    if (lookarounds === 0) this.trans[s * k + c] = t;
    else {
      let byBits = this.lookRows.get(s);
      if (!byBits) this.lookRows.set(s, (byBits = new Map()));
      let found = byBits.get(lookarounds);
      if (!found) {
        byBits.set(lookarounds, (found = new Int32Array(states.classCount).fill(UNKNOWN)));
        this.lookRowCount++;
      }
      found[c] = t;
    }
    const rowInts = (states.stateCount + this.lookRowCount) * k;
    if (states.stateCount <= this.maxStates && states.storedInts + rowInts <= this.maxStoredInts) {
      if (states.stateCount * k > this.trans.length) this.grow(states.stateCount * k);
      return t;
    }
    this.resets++;
    this.trans.fill(UNKNOWN);
    this.lookRows = new Map();
    this.lookRowCount = 0;
    const kept = states.reset(t);
    if (states.stateCount * k > this.trans.length) this.grow(states.stateCount * k);
    return kept;
  }

  /**
   * Doubles the plain table until it holds `ints` entries, the new ones UNKNOWN; never past
   * maxStoredInts (`ints` is within it: compute checked), so the table stays inside the budget.
   */
  private grow(ints: number): void {
    let length = this.trans.length;
    while (length < ints) length *= 2;
    length = Math.max(ints, Math.min(length, this.maxStoredInts));
    const bigger = new Int32Array(length).fill(UNKNOWN, this.trans.length);
    bigger.set(this.trans);
    this.trans = bigger;
  }
}
