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
 * once per position): O(n × body states) time, O(n + body states) memory, for every body.
 * Bodies are small in practice (`(?<!\w)`, `(?=\d)`); `work` counts the states visited.
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

/** The LOOK_* assertions that hold at position p of `input` (0 ≤ p ≤ n), judged on the whole input. */
function assertionsAt(input: Uint8Array, p: number): number {
  const n = input.length;
  let looks = 0;
  if (p === 0) looks |= LOOK_START_TEXT | LOOK_START_LINE;
  else if (input[p - 1] === 0x0a) looks |= LOOK_START_LINE;
  if (p === n) looks |= LOOK_END_TEXT | LOOK_END_LINE | LOOK_END_TEXT_OPT_NEWLINE;
  else if (input[p] === 0x0a) looks |= LOOK_END_LINE | (p === n - 1 ? LOOK_END_TEXT_OPT_NEWLINE : 0);
  const before = p > 0 && isAsciiWordByte(input[p - 1]);
  const after = p < n && isAsciiWordByte(input[p]);
  return looks | (before !== after ? LOOK_WORD_BOUNDARY : LOOK_NOT_WORD_BOUNDARY);
}

/**
 * The lookaround bits of `nfa`'s own lookarounds (not nested ones) at every position
 * 0..input.length: bit lookaroundBit(k) set where lookaround k holds (negation applied).
 * All zeros when the NFA has none.
 */
export function lookaroundTable(nfa: Nfa, input: Uint8Array, counter: WorkCounter): Int32Array {
  const table = new Int32Array(input.length + 1);
  const lookarounds = nfa.lookarounds ?? [];
  for (let k = 0; k < lookarounds.length; k++) {
    const { ahead, negated, nfa: body } = lookarounds[k];
    const inner = body.lookarounds ? lookaroundTable(body, input, counter) : undefined;
    const holds = ahead ? matchesFrom(body, input, inner, counter) : matchesUntil(body, input, inner, counter);
    const bit = lookaroundBit(k);
    for (let p = 0; p <= input.length; p++) if ((holds[p] === 1) !== negated && !insideSequence(input, p)) table[p] |= bit;
  }
  return table;
}

/** Position p falls before a UTF-8 continuation byte: inside a character, not between two. */
function insideSequence(input: Uint8Array, p: number): boolean {
  return p > 0 && p < input.length && (input[p] & 0xc0) === 0x80;
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
  /** Scratch, reused by every pass over this body (never two at once: passes do not nest on one body). */
  seen: Int32Array;
  stack: Int32Array;
  current: Int32Array;
  reached: Int32Array;
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
  for (let s = 0; s < states; s++) {
    const kind = nfa.kind[s];
    if (kind === SPLIT) for (const t of nfa.out[s]) (eps.push([s, t]), epsIn.push([t, s]));
    else if (kind === LOOK || kind === LOOKAROUND) (eps.push([s, nfa.next[s]]), epsIn.push([nfa.next[s], s]));
    else if (kind === RANGE) rangeIn.push([nfa.next[s], s]);
    else if (kind === MATCH) matches.push(s);
  }
  const e = csr(states, eps);
  const ei = csr(states, epsIn);
  const ri = csr(states, rangeIn);
  flat = {
    states,
    start: nfa.start,
    kind: Uint8Array.from(nfa.kind),
    lo: Uint8Array.from(nfa.lo),
    hi: Uint8Array.from(nfa.hi),
    next: Int32Array.from(nfa.next),
    epsAt: e.at, epsTo: e.to, epsInAt: ei.at, epsInTo: ei.to, rangeInAt: ri.at, rangeInTo: ri.to,
    matches: Int32Array.from(matches),
    seen: new Int32Array(states),
    // Every state enters the stack at most once per edge into it, plus the seeds.
    stack: new Int32Array(states + Math.max(eps.length, epsIn.length) + matches.length + 1),
    current: new Int32Array(states),
    reached: new Int32Array(states),
  };
  flats.set(nfa, flat);
  return flat;
}

/** Whether an epsilon edge out of LOOK or LOOKAROUND state s may be taken at position p. */
function edgeHolds(f: Flat, s: number, looks: number, inner: Int32Array | undefined, p: number): boolean {
  if (f.kind[s] === LOOK) return (f.lo[s] & looks) !== 0;
  return inner !== undefined && (inner[p] & lookaroundBit(f.lo[s])) !== 0;
}

/** Lookbehind: out[p] = 1 when some input[q..p) (q ≤ p) is in the body's language. */
function matchesUntil(nfa: Nfa, input: Uint8Array, inner: Int32Array | undefined, counter: WorkCounter): Uint8Array {
  const f = flatten(nfa);
  const { kind, lo, hi, next, epsAt, epsTo, seen, stack, current, reached } = f;
  const n = input.length;
  const out = new Uint8Array(n + 1);
  seen.fill(-1);
  let currentCount = 0;
  let work = 0;
  for (let p = 0; p <= n; p++) {
    const looks = assertionsAt(input, p);
    // Closure at p of the surviving threads plus a new one started here.
    let top = 0;
    stack[top++] = f.start;
    for (let i = 0; i < currentCount; i++) stack[top++] = current[i];
    let reachedCount = 0;
    while (top > 0) {
      const s = stack[--top];
      if (seen[s] === p) continue;
      seen[s] = p;
      work++;
      const k = kind[s];
      if (k === RANGE) reached[reachedCount++] = s;
      else if (k === MATCH) out[p] = 1;
      else if (k === SPLIT || edgeHolds(f, s, looks, inner, p)) for (let j = epsAt[s]; j < epsAt[s + 1]; j++) stack[top++] = epsTo[j];
    }
    if (p === n) break;
    const b = input[p];
    currentCount = 0;
    for (let i = 0; i < reachedCount; i++) {
      const s = reached[i];
      if (lo[s] <= b && b <= hi[s]) current[currentCount++] = next[s];
    }
  }
  counter.work += work;
  return out;
}

/** Lookahead: out[p] = 1 when some input[p..q) (q ≥ p) is in the body's language. */
function matchesFrom(nfa: Nfa, input: Uint8Array, inner: Int32Array | undefined, counter: WorkCounter): Uint8Array {
  const f = flatten(nfa);
  const { kind, lo, hi, epsInAt, epsInTo, rangeInAt, rangeInTo, matches, seen, stack, current, reached } = f;
  const n = input.length;
  const out = new Uint8Array(n + 1);
  seen.fill(-1);
  let currentCount = 0;
  let work = 0;
  for (let p = n; p >= 0; p--) {
    const looks = assertionsAt(input, p);
    // Closure at p, backwards, of the surviving threads plus one started at MATCH here.
    let top = 0;
    for (let i = 0; i < matches.length; i++) stack[top++] = matches[i];
    for (let i = 0; i < currentCount; i++) stack[top++] = current[i];
    let reachedCount = 0;
    while (top > 0) {
      const s = stack[--top];
      if (seen[s] === p) continue;
      // A LOOK or LOOKAROUND state is entered backwards only where its condition holds.
      const k = kind[s];
      if ((k === LOOK || k === LOOKAROUND) && !edgeHolds(f, s, looks, inner, p)) continue;
      seen[s] = p;
      work++;
      if (s === f.start) out[p] = 1;
      reached[reachedCount++] = s;
      for (let j = epsInAt[s]; j < epsInAt[s + 1]; j++) stack[top++] = epsInTo[j];
    }
    if (p === 0) break;
    const b = input[p - 1];
    currentCount = 0;
    for (let i = 0; i < reachedCount; i++) {
      const t = reached[i];
      for (let j = rangeInAt[t]; j < rangeInAt[t + 1]; j++) {
        const s = rangeInTo[j];
        // Each RANGE state has one target, so it is listed here at most once per position.
        if (lo[s] <= b && b <= hi[s]) current[currentCount++] = s;
      }
    }
  }
  counter.work += work;
  return out;
}
