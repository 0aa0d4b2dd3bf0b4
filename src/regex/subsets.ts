/**
 * The subset construction's states and transitions, shared by the two ways of running it:
 * ahead of time over every reachable state (dfa.ts `determinize`, then minimization), and on
 * demand over the states one input reaches (lazy-dfa.ts, for patterns whose DFA is over the
 * state budget). One implementation of the semantics, so the two cannot disagree.
 *
 * Alphabet: byte classes (bytes no NFA range or assertion distinguishes share a class, see
 * `byteClasses`) plus one extra end-of-input class (EOI) fed once after the last byte.
 *
 * A state is (set of NFA states, look-behind facts, "previous byte was a word byte"), as
 * regex-automata does it. Look-behind facts (`\A` at position 0, `^` in multiline after `\n`)
 * are applied when the state is built. Look-ahead facts (`$`, `\z`, the right half of `\b`)
 * are known only when the next unit arrives, so the transition on unit u first re-closes the
 * state's NFA set with the assertions u makes true, then checks for MATCH (a match delayed by
 * one unit), then steps over u. EOI makes `\z`, `$` true. `\Z` (PCRE's `$`) needs two units
 * of look-ahead (`\n` then EOI): on `\n`, the threads it would let through continue "guarded"
 * — behind a synthetic `\z` assertion that the next unit must satisfy — so the DFA stays exact.
 *
 * Lookaround facts (an NFA built with `exactLookaround`, run by the lazy DFA only) depend on
 * the whole input, so they come from outside: the transition at a position takes the bits of
 * the lookarounds that hold there (lookaround.ts computes them) and closes the set with them,
 * like look-ahead facts.
 *
 * State 0 is DEAD (no match possible any more), state 1 is MATCH (absorbing: early accept).
 *
 * Costs: a transition is O(NFA set size) plus the epsilon closure of its targets, and one
 * hash of the resulting set; `work` counts the NFA states those steps visit.
 */
import { isAsciiWordByte } from "./charset.js";
import type { Nfa } from "./nfa.js";
import {
  LOOK, LOOKAROUND, lookaroundBit, LOOK_END_LINE, LOOK_END_TEXT, LOOK_END_TEXT_OPT_NEWLINE, LOOK_NOT_WORD_BOUNDARY, LOOK_START_LINE, LOOK_START_TEXT,
  LOOK_WORD_BOUNDARY, MATCH, RANGE, SPLIT,
} from "./nfa.js";

export const DEAD = 0;
export const MATCH_STATE = 1;

const START_LOOKS = LOOK_START_TEXT | LOOK_START_LINE;

/** Equivalence classes of bytes: two bytes share a class when no range or assertion tells them apart. */
export function byteClasses(nfa: Nfa): { classMap: Uint8Array; count: number } {
  const boundary = new Uint8Array(257);
  const mark = (lo: number, hi: number): void => {
    boundary[lo] = 1;
    boundary[hi + 1] = 1;
  };
  for (let s = 0; s < nfa.kind.length; s++) if (nfa.kind[s] === RANGE) mark(nfa.lo[s], nfa.hi[s]);
  if (nfa.looksUsed & (LOOK_WORD_BOUNDARY | LOOK_NOT_WORD_BOUNDARY)) {
    mark(0x30, 0x39);
    mark(0x41, 0x5a);
    mark(0x5f, 0x5f);
    mark(0x61, 0x7a);
  }
  if (nfa.looksUsed & (LOOK_START_LINE | LOOK_END_LINE | LOOK_END_TEXT_OPT_NEWLINE)) mark(0x0a, 0x0a);
  const classMap = new Uint8Array(256);
  let cls = 0;
  for (let b = 0; b < 256; b++) {
    if (b > 0 && boundary[b]) cls++;
    classMap[b] = cls;
  }
  return { classMap, count: cls + 1 };
}

export class SubsetStates {
  /** byte → class index (0..classCount-2). */
  readonly classMap: Uint8Array;
  /** Byte classes plus the EOI class (the last one). */
  readonly classCount: number;
  readonly eoi: number;
  /** The start state's id (changes only when `reset` renumbers). */
  start: number;
  /** NFA states visited by closures and transitions since construction (a work counter). */
  work = 0;
  /** Integers held by the state sets and the step cache (a memory measure for the lazy DFA). */
  storedInts = 0;

  private readonly rep: Int32Array;
  private readonly usesWord: boolean;
  private seen: Int32Array;
  private generation = 0;
  private readonly stack: number[] = [];
  /** Synthetic NFA states `\z → target`, for threads released by `\Z` on a `\n`. */
  private readonly guards = new Map<number, number>();
  private sets: Int32Array[] = [];
  private lookHave: number[] = [];
  private fromWord: number[] = [];
  private setHasLook: boolean[] = [];
  /** Per state: the lookaround bits its transitions can depend on (lookaroundsPending). */
  private pending: number[] = [];
  /** Per NFA state, for NFAs with lookarounds: the lookaround bits reachable through epsilon edges (built on first use). */
  private lookaroundReach?: Int32Array;
  private ids = new IntArrayMap();
  private stepCache = new IntArrayMap();
  private readonly startSet: Int32Array;
  // Scratch for `row`.
  private readonly buckets: number[][];
  private readonly inGroup: Uint8Array;

  /** `budget`: most states before `intern` throws `onOverBudget()` (the DEAD and MATCH states not counted). */
  constructor(
    private readonly nfa: Nfa,
    private readonly budget = Number.POSITIVE_INFINITY,
    private readonly onOverBudget: () => Error = () => new Error("subset construction over budget"),
  ) {
    const { classMap, count } = byteClasses(nfa);
    this.classMap = classMap;
    this.eoi = count;
    this.classCount = count + 1;
    this.rep = new Int32Array(count); // representative byte per class
    for (let b = 255; b >= 0; b--) this.rep[classMap[b]] = b;
    this.usesWord = (nfa.looksUsed & (LOOK_WORD_BOUNDARY | LOOK_NOT_WORD_BOUNDARY)) !== 0;
    this.seen = new Int32Array(nfa.kind.length + 64);
    this.buckets = Array.from({ length: count }, () => []);
    this.inGroup = new Uint8Array(this.classCount);
    this.startSet = this.closure([nfa.start], START_LOOKS);
    this.clearStates();
    this.start = this.intern(this.startSet, START_LOOKS, 0);
  }

  /** States interned so far, DEAD and MATCH included. */
  get stateCount(): number {
    return this.sets.length;
  }

  /**
   * Forgets every state but `keep` (and DEAD, MATCH, the start state), and returns keep's new
   * id: the lazy DFA's answer to a full cache, as RE2's. The guards stay (NFA states).
   */
  reset(keep: number): number {
    const set = this.sets[keep];
    const looks = this.lookHave[keep];
    const word = this.fromWord[keep];
    this.clearStates();
    this.start = this.intern(this.startSet, START_LOOKS, 0);
    return keep <= MATCH_STATE ? keep : this.intern(set, looks, word);
  }

  private clearStates(): void {
    this.sets = [new Int32Array(0), new Int32Array(0)];
    this.lookHave = [0, 0];
    this.fromWord = [0, 0];
    this.setHasLook = [false, false];
    this.pending = [0, 0];
    this.ids = new IntArrayMap();
    this.stepCache = new IntArrayMap();
    this.storedInts = 0;
  }

  /** Epsilon closure keeping RANGE, MATCH and not-yet-satisfied LOOK states. */
  private closure(seeds: ArrayLike<number>, looks: number): Int32Array {
    const { nfa, stack } = this;
    const seen = this.seen;
    const generation = ++this.generation;
    const kept: number[] = [];
    for (let k = 0; k < seeds.length; k++) stack.push(seeds[k]);
    let visited = 0;
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (seen[s] === generation) continue;
      seen[s] = generation;
      visited++;
      const kind = nfa.kind[s];
      if (kind === SPLIT) {
        const out = nfa.out[s];
        for (let k = out.length - 1; k >= 0; k--) stack.push(out[k]);
      } else if (kind === LOOK) {
        if (nfa.lo[s] & looks) stack.push(nfa.next[s]);
        else kept.push(s);
      } else if (kind === LOOKAROUND) {
        if (lookaroundBit(nfa.lo[s]) & looks) stack.push(nfa.next[s]);
        else kept.push(s);
      } else kept.push(s);
    }
    this.work += visited;
    return Int32Array.from(kept).sort();
  }

  private guard(target: number): number {
    const { nfa } = this;
    let g = this.guards.get(target);
    if (g === undefined) {
      g = nfa.kind.length;
      nfa.kind.push(LOOK);
      nfa.lo.push(LOOK_END_TEXT);
      nfa.hi.push(0);
      nfa.next.push(target);
      nfa.out.push([]);
      this.guards.set(target, g);
      if (this.seen.length <= g) {
        const grown = new Int32Array(this.seen.length * 2);
        grown.set(this.seen);
        this.seen = grown;
      }
    }
    return g;
  }

  private hasMatch(set: Int32Array): boolean {
    for (let k = 0; k < set.length; k++) if (this.nfa.kind[set[k]] === MATCH) return true;
    return false;
  }

  private hasLook(set: Int32Array): boolean {
    for (let k = 0; k < set.length; k++) if (this.nfa.kind[set[k]] === LOOK || this.nfa.kind[set[k]] === LOOKAROUND) return true;
    return false;
  }

  /**
   * The lookaround bits (nfa.ts lookaroundBit) that state `id`'s transitions can depend on:
   * those of the LOOKAROUND states its pending assertions lead to through epsilon edges. The
   * lazy DFA keys a transition by the bits of its position masked with these, so a state
   * that waits on one lookaround (the search loop before `(?<!\w)`) has one row per truth
   * value of that lookaround, whatever the others do; 0 (most states): the plain row.
   */
  lookaroundsPending(id: number): number {
    return this.pending[id];
  }

  /** lookaroundsPending of a new state's NFA set. */
  private pendingOf(set: Int32Array): number {
    const { nfa } = this;
    if (!nfa.lookarounds) return 0;
    const reach = (this.lookaroundReach ??= lookaroundReach(nfa));
    let bits = 0;
    for (let k = 0; k < set.length; k++) {
      const s = set[k];
      const kind = nfa.kind[s];
      // A guard (a LOOK state added after the reach was computed) may lead anywhere: all bits.
      if (kind === LOOK || kind === LOOKAROUND) bits |= s < reach.length ? reach[s] : -1;
    }
    return bits;
  }

  private intern(set: Int32Array, looks: number, word: number): number {
    if (set.length === 0) return DEAD;
    if (this.hasMatch(set)) return MATCH_STATE;
    const hasLook = this.hasLook(set);
    if (!hasLook) {
      looks = 0;
      word = 0;
    } else if (!this.usesWord) word = 0;
    const tag = looks * 2 + word;
    let id = this.ids.get(tag, set);
    if (id === undefined) {
      id = this.sets.length;
      if (id - 1 > this.budget) throw this.onOverBudget(); // minus the MATCH helper state
      this.ids.set(tag, set, id);
      this.sets.push(set);
      this.lookHave.push(looks);
      this.fromWord.push(word);
      this.setHasLook.push(hasLook);
      this.pending.push(hasLook ? this.pendingOf(set) : 0);
      this.storedInts += set.length;
    }
    return id;
  }

  /** Look-ahead facts that class `cls` makes true after a byte of the given wordness. */
  private aheadOf(cls: number, word: number): number {
    if (cls === this.eoi) {
      return LOOK_END_TEXT | LOOK_END_LINE | LOOK_END_TEXT_OPT_NEWLINE | (word ? LOOK_WORD_BOUNDARY : LOOK_NOT_WORD_BOUNDARY);
    }
    const b = this.rep[cls];
    const w = isAsciiWordByte(b) ? 1 : 0;
    return (b === 0x0a ? LOOK_END_LINE : 0) | (w !== word ? LOOK_WORD_BOUNDARY : LOOK_NOT_WORD_BOUNDARY);
  }

  /** The state reached from the NFA states `targets` after a byte of class c (cached). */
  private step(targets: number[], c: number): number {
    const b = this.rep[c];
    const newLooks = b === 0x0a ? LOOK_START_LINE : 0;
    const word = isAsciiWordByte(b) ? 1 : 0;
    const tag = newLooks * 2 + word;
    let target = this.stepCache.get(tag, targets);
    if (target === undefined) {
      target = this.intern(this.closure(targets, newLooks), newLooks, word);
      this.stepCache.set(tag, Int32Array.from(targets), target);
      this.storedInts += targets.length;
    }
    return target;
  }

  /**
   * Threads that `\Z` releases on a `\n` (the set closed with it, minus the set `v` closed
   * without it): they step over the `\n` behind a `\z` guard (a released MATCH becomes a
   * guarded MATCH). Pushed onto `into`.
   */
  private releaseBeforeNewline(set: Int32Array, looks: number, v: Int32Array, into: number[]): void {
    const { nfa } = this;
    const released = this.closure(set, looks | LOOK_END_TEXT_OPT_NEWLINE);
    const plain = new Set(v);
    for (let k = 0; k < released.length; k++) {
      const s = released[k];
      if (plain.has(s)) continue;
      if (nfa.kind[s] === MATCH) into.push(this.guard(s));
      else if (nfa.kind[s] === RANGE && nfa.lo[s] <= 0x0a && nfa.hi[s] >= 0x0a) into.push(this.guard(nfa.next[s]));
    }
  }

  /**
   * The transition from state `id` on class `c` alone (the lazy DFA's unit of work).
   * `lookarounds`: the lookaround bits (nfa.ts lookaroundBit) that hold at this position.
   */
  transition(id: number, c: number, lookarounds = 0): number {
    if (id <= MATCH_STATE) return id;
    const { nfa } = this;
    const set = this.sets[id];
    const looksInSet = this.setHasLook[id];
    const looks = looksInSet ? this.lookHave[id] | this.aheadOf(c, this.fromWord[id]) | lookarounds : 0;
    const v = looksInSet ? this.closure(set, looks) : set;
    if (this.hasMatch(v)) return MATCH_STATE;
    if (c === this.eoi) return DEAD;
    const b = this.rep[c];
    const targets: number[] = [];
    for (let k = 0; k < v.length; k++) {
      const s = v[k];
      if (nfa.kind[s] === RANGE && nfa.lo[s] <= b && b <= nfa.hi[s]) targets.push(nfa.next[s]);
    }
    this.work += v.length;
    if ((nfa.looksUsed & LOOK_END_TEXT_OPT_NEWLINE) && b === 0x0a && !(looks & LOOK_END_TEXT_OPT_NEWLINE)) {
      this.releaseBeforeNewline(set, looks, v, targets);
    }
    return targets.length === 0 ? DEAD : this.step(targets, c);
  }

  /**
   * Every transition of state `id` at once (ahead-of-time construction): classes are grouped
   * by the look-ahead facts they make true (at most four groups), each group's closure is
   * computed once, and ranges over every byte are stepped once per class flavour.
   */
  row(id: number): Uint32Array {
    const { nfa, classCount, eoi, classMap, buckets, inGroup } = this;
    const row = new Uint32Array(classCount);
    if (id <= MATCH_STATE) return row.fill(id);
    const set = this.sets[id];
    const looksInSet = this.setHasLook[id];
    const groups = new Map<number, number[]>();
    for (let c = 0; c < classCount; c++) {
      const looks = looksInSet ? this.lookHave[id] | this.aheadOf(c, this.fromWord[id]) : 0;
      const g = groups.get(looks);
      if (g) g.push(c);
      else groups.set(looks, [c]);
    }
    for (const [looks, classes] of groups) {
      const v = looksInSet ? this.closure(set, looks) : set;
      if (this.hasMatch(v)) {
        for (const c of classes) row[c] = MATCH_STATE;
        continue;
      }
      for (const c of classes) inGroup[c] = 1;
      // Ranges over every byte (the unanchored prefix, `(?s:.)`-like bytes) go to all classes:
      // keep them apart so classes no other range mentions share one computed target.
      const common: number[] = [];
      for (let k = 0; k < v.length; k++) {
        const s = v[k];
        if (nfa.kind[s] !== RANGE) continue;
        if (nfa.lo[s] === 0 && nfa.hi[s] === 0xff) {
          common.push(nfa.next[s]);
          continue;
        }
        const hiClass = classMap[nfa.hi[s]];
        for (let c = classMap[nfa.lo[s]]; c <= hiClass; c++) if (inGroup[c]) buckets[c].push(nfa.next[s]);
      }
      this.work += v.length;
      const nl = classMap[0x0a];
      if ((nfa.looksUsed & LOOK_END_TEXT_OPT_NEWLINE) && inGroup[nl] && !(looks & LOOK_END_TEXT_OPT_NEWLINE)) {
        this.releaseBeforeNewline(set, looks, v, buckets[nl]);
      }
      const commonTargets = new Map<number, number>(); // by (newLooks, word) of the class
      for (const c of classes) {
        inGroup[c] = 0;
        if (c === eoi) {
          row[c] = DEAD;
          continue;
        }
        const bucket = buckets[c];
        if (bucket.length === 0) {
          if (common.length === 0) {
            row[c] = DEAD;
            continue;
          }
          const b = this.rep[c];
          const flavour = (b === 0x0a ? 2 : 0) | (isAsciiWordByte(b) ? 1 : 0);
          let t = commonTargets.get(flavour);
          if (t === undefined) {
            t = this.step(common, c);
            commonTargets.set(flavour, t);
          }
          row[c] = t;
          continue;
        }
        row[c] = this.step(common.length > 0 ? common.concat(bucket) : bucket, c);
        bucket.length = 0;
      }
    }
    return row;
  }
}

/** Map from (small tag, int sequence) to a number, hashed without building strings. */
class IntArrayMap {
  private readonly table = new Map<number, Array<{ tag: number; key: ArrayLike<number>; value: number }>>();

  private static hash(tag: number, key: ArrayLike<number>): number {
    let h = Math.imul(tag + 1, 0x9e3779b1);
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key[i], 0x01000193) ^ (h >>> 15);
    return h ^ key.length;
  }

  get(tag: number, key: ArrayLike<number>): number | undefined {
    const chain = this.table.get(IntArrayMap.hash(tag, key));
    if (!chain) return undefined;
    outer: for (const e of chain) {
      if (e.tag !== tag || e.key.length !== key.length) continue;
      for (let i = 0; i < key.length; i++) if (e.key[i] !== key[i]) continue outer;
      return e.value;
    }
    return undefined;
  }

  set(tag: number, key: ArrayLike<number>, value: number): void {
    const h = IntArrayMap.hash(tag, key);
    const chain = this.table.get(h);
    if (chain) chain.push({ tag, key, value });
    else this.table.set(h, [{ tag, key, value }]);
  }
}

/**
 * Per NFA state, the lookaround bits of the LOOKAROUND states reachable from it through
 * epsilon edges (SPLIT, LOOK and LOOKAROUND exits), itself included: bits flow backwards
 * along those edges until nothing changes, each state taking at most MAX_LOOKAROUNDS new
 * bits, so O(lookarounds × edges).
 */
function lookaroundReach(nfa: Nfa): Int32Array {
  const states = nfa.kind.length;
  const reach = new Int32Array(states);
  const into: number[][] = Array.from({ length: states }, () => []);
  const work: number[] = [];
  for (let s = 0; s < states; s++) {
    const kind = nfa.kind[s];
    if (kind === SPLIT) for (const t of nfa.out[s]) into[t].push(s);
    else if (kind === LOOK || kind === LOOKAROUND) into[nfa.next[s]].push(s);
    if (kind === LOOKAROUND) {
      reach[s] = lookaroundBit(nfa.lo[s]);
      work.push(s);
    }
  }
  while (work.length > 0) {
    const t = work.pop()!;
    for (const s of into[t]) {
      const bits = reach[s] | reach[t];
      if (bits !== reach[s]) {
        reach[s] = bits;
        work.push(s);
      }
    }
  }
  return reach;
}
