/**
 * Where each lookaround of an exact NFA (nfa.ts `exactLookaround`) holds in one input: a
 * truth table per lookaround over the positions 0..n, which the lazy DFA (lazy-dfa.ts) feeds
 * to the main automaton's transitions. The approach of Barrière and Pit-Claudel ("Linear
 * Matching of JavaScript Regular Expressions", PLDI 2024): a lookaround's truth at a position
 * does not depend on how the main pattern got there, so it can be computed once for every
 * position, before the main pass, and matching stays linear.
 *
 * - Lookbehind `(?<=Y)` holds at p when some input[q..p) is in Y: one forward pass of Y's NFA
 *   with a thread started at every position, reading "a thread reached MATCH" at each p.
 * - Lookahead `(?=X)` holds at p when some input[p..q) is in X: one backward pass over X's
 *   NFA with its edges reversed, a thread started at MATCH at every position, reading "a
 *   thread reached X's start" at each p.
 * - Negated ones are the complement; nested lookarounds are tabled first, and their bits
 *   guard the LOOKAROUND states of the body that holds them.
 * Assertions (`^ $ \b \A \z \Z`) inside a body look at the whole input, as in a backtracking
 * engine, so they are evaluated at the absolute position in either direction.
 * No lookaround holds inside a UTF-8 sequence (before a continuation byte): the RegExp these
 * patterns are written for has no position there, and without this a negated lookaround would
 * let a zero-width match through between the bytes of `é`.
 *
 * Cost: each pass is a Pike VM (a set of NFA states per position, each state visited at most
 * once per position) whose steps are cached per body as a lazy DFA (CachedPass): a warm pass
 * costs a few array reads per position (~10 ns in V8), a cold one O(body states) per
 * position. O(n) time per body; memory per body within twice its PassLimits (arrays grow by
 * doubling). `work` counts one per position plus the NFA states the computed steps visit.
 */
import { isAsciiWordByte } from "./charset.js";
import {
  LOOK, LOOKAROUND, LOOK_END_LINE, LOOK_END_TEXT, LOOK_END_TEXT_OPT_NEWLINE, LOOK_NOT_WORD_BOUNDARY, LOOK_START_LINE,
  LOOK_START_TEXT, LOOK_WORD_BOUNDARY, MATCH, RANGE, SPLIT, lookaroundBit, type Nfa,
} from "./nfa.js";

/** Counts the NFA states the passes visit (a work counter for linearity tests). */
export interface WorkCounter {
  work: number;
}

/** ASCII word bytes (`\w`): 1, others 0. */
const WORD_BYTES = Uint8Array.from({ length: 256 }, (_, b) => (isAsciiWordByte(b) ? 1 : 0));

/** The LOOK_* assertions that hold at each position 0..n of `input`, judged on the whole input. */
function assertionsOf(input: Uint8Array): Uint8Array {
  const n = input.length;
  const looks = new Uint8Array(n + 1);
  let before = 0;
  for (let p = 0; p < n; p++) {
    const b = input[p];
    const after = WORD_BYTES[b];
    looks[p] |= (before !== after ? LOOK_WORD_BOUNDARY : LOOK_NOT_WORD_BOUNDARY) | (b === 0x0a ? LOOK_END_LINE : 0);
    if (b === 0x0a) looks[p + 1] |= LOOK_START_LINE;
    before = after;
  }
  looks[0] |= LOOK_START_TEXT | LOOK_START_LINE;
  looks[n] |= LOOK_END_TEXT | LOOK_END_LINE | LOOK_END_TEXT_OPT_NEWLINE | (before !== 0 ? LOOK_WORD_BOUNDARY : LOOK_NOT_WORD_BOUNDARY);
  if (n > 0 && input[n - 1] === 0x0a) looks[n - 1] |= LOOK_END_TEXT_OPT_NEWLINE;
  return looks;
}

/** One input as the passes read it: its bytes and, once a body tests one, its assertions. */
interface Subject {
  input: Uint8Array;
  looks?: Uint8Array;
}

/** Bounds on the cache of each body's pass (CachedPass). */
export interface PassLimits {
  /** Most thread sets kept before the cache is cleared. */
  maxSets: number;
  /** Most integers (states, steps) kept before the cache is cleared. */
  maxStoredInts: number;
}

const DEFAULT_PASS_LIMITS: PassLimits = { maxSets: 1024, maxStoredInts: 1 << 16 };

/**
 * The lookaround bits of `nfa`'s own lookarounds (not nested ones) at every position
 * 0..input.length: bit lookaroundBit(k) set where lookaround k holds (negation applied).
 * All zeros when the NFA has none. Each body's pass keeps its cache for the next input.
 */
export function lookaroundTable(nfa: Nfa, input: Uint8Array, counter: WorkCounter, limits: PassLimits = DEFAULT_PASS_LIMITS): Int32Array {
  return tableOf(nfa, { input }, counter, limits);
}

function tableOf(nfa: Nfa, subject: Subject, counter: WorkCounter, limits: PassLimits): Int32Array {
  const table = new Int32Array(subject.input.length + 1);
  const lookarounds = nfa.lookarounds ?? [];
  for (let k = 0; k < lookarounds.length; k++) {
    const { ahead, negated, nfa: body } = lookarounds[k];
    const inner = body.lookarounds ? tableOf(body, subject, counter, limits) : undefined;
    const f = flatten(body);
    const pass = ahead ? (f.passes.ahead ??= new CachedPass(f, true)) : (f.passes.behind ??= new CachedPass(f, false));
    pass.run(subject, inner, counter, limits, table, lookaroundBit(k), negated);
  }
  return table;
}

/**
 * A body's NFA as flat arrays, with its edges in both directions (CSR: `at[s]..at[s + 1]`
 * index `to`), built once per body and kept beside it.
 */
interface Flat {
  states: number;
  start: number;
  kind: Uint8Array;
  lo: Uint8Array;
  hi: Uint8Array;
  next: Int32Array;
  /** Forward epsilon edges (SPLIT targets; LOOK and LOOKAROUND exits). */
  epsAt: Int32Array;
  epsTo: Int32Array;
  /** Reversed epsilon edges and reversed byte edges (s → t becomes t → s). */
  epsInAt: Int32Array;
  epsInTo: Int32Array;
  rangeInAt: Int32Array;
  rangeInTo: Int32Array;
  matches: Int32Array;
  /** Byte classes of the body's ranges: bytes in one class take the same edges. */
  classMap: Uint8Array;
  classCount: number;
  /** The LOOK bits the body's LOOK states test, and the lookaround bits its LOOKAROUND states test. */
  lookMask: number;
  innerMask: number;
  /** Scratch, reused by every pass over this body (never two at once: passes do not nest on one body). */
  seen: Int32Array;
  stack: Int32Array;
  reached: Int32Array;
  /** The cached passes, backward (lookahead) and forward (lookbehind), built on first use. */
  passes: { ahead?: CachedPass; behind?: CachedPass };
}

const flats = new WeakMap<Nfa, Flat>();

function csr(states: number, edges: Array<[number, number]>): { at: Int32Array; to: Int32Array } {
  const at = new Int32Array(states + 1);
  for (const [from] of edges) at[from + 1]++;
  for (let s = 0; s < states; s++) at[s + 1] += at[s];
  const fill = at.slice(0, states);
  const to = new Int32Array(edges.length);
  for (const [from, target] of edges) to[fill[from]++] = target;
  return { at, to };
}

function flatten(nfa: Nfa): Flat {
  let flat = flats.get(nfa);
  if (flat) return flat;
  const states = nfa.kind.length;
  const eps: Array<[number, number]> = [];
  const epsIn: Array<[number, number]> = [];
  const rangeIn: Array<[number, number]> = [];
  const matches: number[] = [];
  const boundary = new Uint8Array(257);
  let lookMask = 0;
  let innerMask = 0;
  for (let s = 0; s < states; s++) {
    const kind = nfa.kind[s];
    if (kind === RANGE) boundary[nfa.lo[s]] = boundary[nfa.hi[s] + 1] = 1;
    else if (kind === LOOK) lookMask |= nfa.lo[s];
    else if (kind === LOOKAROUND) innerMask |= lookaroundBit(nfa.lo[s]);
    if (kind === SPLIT) for (const t of nfa.out[s]) (eps.push([s, t]), epsIn.push([t, s]));
    else if (kind === LOOK || kind === LOOKAROUND) (eps.push([s, nfa.next[s]]), epsIn.push([nfa.next[s], s]));
    else if (kind === RANGE) rangeIn.push([nfa.next[s], s]);
    else if (kind === MATCH) matches.push(s);
  }
  const e = csr(states, eps);
  const ei = csr(states, epsIn);
  const ri = csr(states, rangeIn);
  const classMap = new Uint8Array(256);
  let cls = 0;
  for (let b = 1; b < 256; b++) classMap[b] = boundary[b] ? ++cls : cls;
  flat = {
    states,
    start: nfa.start,
    kind: Uint8Array.from(nfa.kind),
    lo: Uint8Array.from(nfa.lo),
    hi: Uint8Array.from(nfa.hi),
    next: Int32Array.from(nfa.next),
    epsAt: e.at, epsTo: e.to, epsInAt: ei.at, epsInTo: ei.to, rangeInAt: ri.at, rangeInTo: ri.to,
    matches: Int32Array.from(matches),
    classMap,
    classCount: cls + 1,
    lookMask,
    innerMask,
    seen: new Int32Array(states).fill(-1),
    // Every state enters the stack at most once per edge into it, plus the seeds.
    stack: new Int32Array(states + Math.max(eps.length, epsIn.length) + matches.length + 1),
    reached: new Int32Array(states),
    passes: {},
  };
  flats.set(nfa, flat);
  return flat;
}

const UNKNOWN = -1;

/**
 * One body's pass, run as a lazy DFA. A Pike VM step at a position depends only on the set of
 * threads alive there (before the closure), on the context of the position — the assertions
 * and inner lookaround bits the body tests — and on the byte read next; so each (set,
 * context) closure and each (closure, byte class) step is computed once and remembered, and
 * a warm pass costs a few array reads per position instead of a walk over the thread set
 * (a benign 124-byte value: about 60 ns a position per 20-state body before, bench:confirm).
 *
 * Sets are interned by their sorted states. Memory is bounded as in the lazy DFA: past
 * `maxSets` sets or `maxStoredInts` integers the cache is cleared and rebuilt from the
 * current set, so a hostile input makes a pass slower (a closure and a step per position, the
 * Pike VM's cost) but never larger. `work` counts one per position plus the NFA states each
 * computed closure visits.
 */
class CachedPass {
  /** Interned thread sets: id → sorted NFA states, and the key → id index. */
  private sets: Int32Array[] = [];
  private setIds = new Map<string, number>();
  /** Per set: the context and closure used last (one compare on the common path); -1: none yet. */
  private lastContext = new Int32Array(16);
  private lastClosure = new Int32Array(16);
  /** Per set: all its closures by context. */
  private closuresOf: Array<Map<number, number> | undefined> = [];
  /** Per closure: whether the body matched at its position, and the states it reached. */
  private outOf = new Uint8Array(16);
  private reachedOf: Int32Array[] = [];
  /** closure × byte class → the next set, UNKNOWN until stepped. */
  private steps: Int32Array;
  private storedInts = 0;
  /** The set the pass is at (an id that survives clearing the cache). */
  private current = 0;
  private stamp = 0;

  constructor(
    private readonly f: Flat,
    private readonly ahead: boolean,
  ) {
    this.lastContext.fill(-1);
    this.steps = new Int32Array(16 * f.classCount).fill(UNKNOWN);
  }

  /**
   * Sets `bit` in table[p] where the lookaround holds (the body's verdict at p, negated when
   * `negated`), except before a UTF-8 continuation byte: the RegExp these patterns are written
   * for has no position inside a character.
   * Lookbehind (`ahead` false): the body matches at p when some input[q..p) (q ≤ p) is in its
   * language, one forward pass with a thread started at every position.
   * Lookahead: when some input[p..q) (q ≥ p) is, one backward pass over the reversed edges
   * with a thread started at MATCH at every position.
   */
  run(subject: Subject, inner: Int32Array | undefined, counter: WorkCounter, limits: PassLimits, table: Int32Array, bit: number, negated: boolean): void {
    const { f, ahead } = this;
    const { input } = subject;
    const n = input.length;
    const { classMap, classCount, lookMask } = f;
    const looks = lookMask === 0 ? undefined : (subject.looks ??= assertionsOf(input));
    const innerMask = inner ? f.innerMask : 0;
    const holds = negated ? 0 : 1;
    let set = this.intern(new Int32Array(0));
    // The cache's arrays, read again after a miss (which may grow or clear them).
    let { lastContext, lastClosure, outOf, steps } = this;
    for (let i = 0; i <= n; i++) {
      const p = ahead ? n - i : i;
      const context = (looks === undefined ? 0 : looks[p] & lookMask) | (innerMask === 0 ? 0 : inner![p] & innerMask);
      let closure: number;
      if (lastContext[set] === context) closure = lastClosure[set];
      else {
        this.current = set;
        closure = this.closureAt(context, counter, limits);
        set = this.current;
        ({ lastContext, lastClosure, outOf, steps } = this);
      }
      if (outOf[closure] === holds && (p === 0 || p === n || (input[p] & 0xc0) !== 0x80)) table[p] |= bit;
      if (i === n) break;
      const b = input[ahead ? p - 1 : p];
      set = steps[closure * classCount + classMap[b]];
      if (set === UNKNOWN) {
        set = this.step(closure, b, counter, limits);
        ({ lastContext, lastClosure, outOf, steps } = this);
      }
    }
    counter.work += n + 1;
  }

  /** The closure of the current set in `context`, cached (may clear the cache and renumber the current set). */
  private closureAt(context: number, counter: WorkCounter, limits: PassLimits): number {
    let set = this.current;
    let closure = this.closuresOf[set]?.get(context);
    if (closure === undefined) {
      if (this.overBudget(limits)) {
        const states = this.sets[set];
        this.clear();
        set = this.current = this.intern(states);
      }
      closure = this.close(this.sets[set], context, counter);
      let byContext = this.closuresOf[set];
      if (!byContext) this.closuresOf[set] = byContext = new Map();
      byContext.set(context, closure);
    }
    this.lastContext[set] = context;
    this.lastClosure[set] = closure;
    return closure;
  }

  /** Computes a closure: the threads of `states` plus the seed, through the epsilon edges that hold in `context`. */
  private close(states: Int32Array, context: number, counter: WorkCounter): number {
    const { f, ahead } = this;
    const { kind, lo, epsAt, epsTo, epsInAt, epsInTo, seen, stack, reached } = f;
    const stamp = ++this.stamp;
    let top = 0;
    if (ahead) for (let i = 0; i < f.matches.length; i++) stack[top++] = f.matches[i];
    else stack[top++] = f.start;
    for (let i = 0; i < states.length; i++) stack[top++] = states[i];
    let count = 0;
    let out = 0;
    let work = 0;
    while (top > 0) {
      const s = stack[--top];
      if (seen[s] === stamp) continue;
      const k = kind[s];
      const guarded = k === LOOK || k === LOOKAROUND;
      const holds = guarded && (k === LOOK ? lo[s] & context : lookaroundBit(lo[s]) & context) !== 0;
      if (ahead) {
        // A LOOK or LOOKAROUND state is entered backwards only where its condition holds.
        if (guarded && !holds) continue;
        seen[s] = stamp;
        work++;
        if (s === f.start) out = 1;
        reached[count++] = s;
        for (let j = epsInAt[s]; j < epsInAt[s + 1]; j++) stack[top++] = epsInTo[j];
      } else {
        seen[s] = stamp;
        work++;
        if (k === RANGE) reached[count++] = s;
        else if (k === MATCH) out = 1;
        else if (k === SPLIT || holds) for (let j = epsAt[s]; j < epsAt[s + 1]; j++) stack[top++] = epsTo[j];
      }
    }
    counter.work += work;
    const id = this.reachedOf.length;
    this.reachedOf.push(reached.slice(0, count));
    if (id >= this.outOf.length) {
      this.outOf = grown(this.outOf, 0);
      this.steps = grown(this.steps, UNKNOWN);
    }
    this.outOf[id] = out;
    this.storedInts += count + f.classCount + 2;
    return id;
  }

  /** The set the threads of `closure` reach over byte `b`, cached in its row (may clear the cache). */
  private step(closure: number, b: number, counter: WorkCounter, limits: PassLimits): number {
    const { f, ahead } = this;
    const { lo, hi, next, rangeInAt, rangeInTo, seen, stack } = f;
    const reached = this.reachedOf[closure];
    const stamp = ++this.stamp;
    let count = 0;
    for (let i = 0; i < reached.length; i++) {
      const t = reached[i];
      if (ahead) {
        for (let j = rangeInAt[t]; j < rangeInAt[t + 1]; j++) {
          const s = rangeInTo[j];
          if (lo[s] <= b && b <= hi[s] && seen[s] !== stamp) (seen[s] = stamp), (stack[count++] = s);
        }
      } else if (lo[t] <= b && b <= hi[t] && seen[next[t]] !== stamp) (seen[next[t]] = stamp), (stack[count++] = next[t]);
    }
    counter.work += reached.length;
    const states = stack.slice(0, count).sort();
    if (this.overBudget(limits)) {
      this.clear();
      return this.intern(states);
    }
    const id = this.intern(states);
    this.steps[closure * f.classCount + f.classMap[b]] = id;
    return id;
  }

  private intern(states: Int32Array): number {
    const key = states.join(",");
    let id = this.setIds.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(states);
      this.setIds.set(key, id);
      this.closuresOf.push(undefined);
      if (id >= this.lastContext.length) {
        this.lastContext = grown(this.lastContext, -1);
        this.lastClosure = grown(this.lastClosure, 0);
      }
      this.storedInts += states.length + 4;
    }
    return id;
  }

  private overBudget(limits: PassLimits): boolean {
    return this.sets.length >= limits.maxSets || this.storedInts >= limits.maxStoredInts;
  }

  private clear(): void {
    this.sets = [];
    this.setIds = new Map();
    this.lastContext.fill(-1);
    this.closuresOf = [];
    this.reachedOf = [];
    this.steps.fill(UNKNOWN);
    this.storedInts = 0;
  }
}

/** `array` twice as long, its new half filled with `fill`. */
function grown<T extends Int32Array | Uint8Array>(array: T, fill: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
  bigger.set(array);
  bigger.fill(fill, array.length);
  return bigger;
}
