/**
 * Stage 6: a set of bytes every match must read, for regexes with no useful literal.
 *
 * A regex the prefilter cannot index (`[#%$]\{[^}]+\}`, `javascript:…|@\W*i\W*m…`) runs its
 * DFA over every value it targets, at one dependent table load per byte. Most such patterns
 * still cannot match without some rare byte (`{`, `:`, `@`): the engine checks first whether
 * the value holds any byte of this set (SIMD, sixteen bytes a step) and skips the walk when
 * it does not. Exact: a value without those bytes has no path to an accepting state.
 *
 * Construction (cheapestCut): a cut of the DFA's graph by byte classes. Starting from no cut,
 * find a shortest path from the start state to a state that accepts (now or at the end of
 * the input) using only uncut classes; cut the cheapest class on it; repeat until no path is
 * left, then drop cut classes that turn out not to be needed. Letters, digits, space and the
 * punctuation of paths and hosts are too common to cut on at first, and a cut may cost no
 * more than a handful of rare bytes. Cost: O(cuts × states × classes), cuts ≤ classes; a few
 * milliseconds for a 2,000-state DFA.
 *
 * The check costs a sixteenth of the walk it can save, so sets that skip less often still
 * pay. Without a rare cut, two fallbacks: the same cut with digits and `-._/` priced like
 * separators (CRS-style path traversal needs a `.`, `xss-js-sink` one of `( \` . [`), then
 * the bytes on which the DFA leaves its start state (startEscapeSet: CRS 930100 leaves only
 * on `\ % 0 /`; a value holding none of them never leaves it). A set with a letter or a
 * space is never made: nearly every value holds one (null: the walk always runs).
 *
 * Encoding (32 bytes, the layout the Wasm check loads as two vectors): byte l of the first
 * 16 has bit h set when byte (h << 4 | l) is in the set, h < 8; the second 16 the same for
 * h = 8..15 (bit h − 8).
 */
import type { Dfa } from "./dfa.js";
import { MATCH, RANGE, SPLIT, type Nfa } from "./nfa.js";

/** Bytes of ordinary words, numbers, paths and hosts: never cut on (the check would rarely skip). */
const ORDINARY = /[A-Za-z0-9 \-._/]/;
/** Separators that ordinary values hold now and then: a cut may use them, at a price. */
const SEPARATORS = /[,;=+%&:]/;
/** Most total weight a cut may have: a rare byte weighs 1, a byte ≥ 0x80 2, a separator 4. */
const MAX_CUT_WEIGHT = 16;

/** Price of a byte in a cut: 1 rare punctuation, 2 a byte ≥ 0x80, 4 a separator, Infinity an ordinary byte. */
export function byteWeight(b: number): number {
  if (b >= 0x80) return 2;
  const ch = String.fromCharCode(b);
  return ORDINARY.test(ch) ? Infinity : SEPARATORS.test(ch) ? 4 : 1;
}

/** The required-byte set of `dfa` (32-byte nibble encoding), or null when none is worth checking. */
export function requiredByteSet(dfa: Dfa): Uint8Array | null {
  return (
    cheapestCut(dfa, byteWeight) ??
    cheapestCut(dfa, punctuationWeight) ??
    startEscapeSet(dfa, (b) => !LETTER_OR_SPACE.test(String.fromCharCode(b)))
  );
}

/** The second try's prices: letters and space stay uncuttable, digits and `-._/` cost 4. */
function punctuationWeight(b: number): number {
  return LETTER_OR_SPACE.test(String.fromCharCode(b)) ? Infinity : Math.min(byteWeight(b), 4);
}

/** Bytes of almost every value: a start-escape set holding one would nearly never skip. */
const LETTER_OR_SPACE = /[A-Za-z ]/;
/** A letter or the space: never worth a set of bytes to check for. */
export const isLetterOrSpace = (b: number): boolean => LETTER_OR_SPACE.test(String.fromCharCode(b));

const acceptsAt = (dfa: Dfa, s: number): boolean =>
  s >= dfa.firstAccepting || dfa.trans[s * dfa.classCount + dfa.classCount - 1]! >= dfa.firstAccepting;

/**
 * The bytes on which the DFA leaves its start state, or null when the start state accepts or
 * `admit` refuses one of them. Exact: without such a byte the walk never leaves the start.
 */
export function startEscapeSet(dfa: Dfa, admit: (byte: number) => boolean = () => true): Uint8Array | null {
  const { classCount, classMap, trans, start } = dfa;
  if (acceptsAt(dfa, start)) return null;
  const set = new Uint8Array(32);
  for (let b = 0; b < 256; b++) {
    if (trans[start * classCount + classMap[b]!] === start) continue;
    if (!admit(b)) return null;
    addByte(set, b);
  }
  return set;
}

/** Adds byte `b` to a 32-byte set in the encoding of the file comment. */
export function addByte(set: Uint8Array, b: number): void {
  const k = (b < 0x80 ? 0 : 16) + (b & 15);
  set[k] = set[k]! | (1 << ((b >> 4) & 7));
}

/**
 * The cheapest class cut of the file comment, or null (none within MAX_CUT_WEIGHT). `weightOf`
 * prices each byte (Infinity: never cut on it).
 */
export function cheapestCut(dfa: Dfa, weightOf: (byte: number) => number): Uint8Array | null {
  const { stateCount, classCount, classMap, trans, start } = dfa;
  const eoi = classCount - 1;
  const accepts = (s: number): boolean => acceptsAt(dfa, s);
  if (accepts(start)) return null;
  const weight = new Array<number>(eoi).fill(0);
  for (let b = 0; b < 256; b++) weight[classMap[b]!] = weight[classMap[b]!]! + weightOf(b);
  const cut = new Uint8Array(eoi);
  /** A shortest path start → accepting state over uncut classes, as its classes; null if none. */
  const pathToAccept = (): number[] | null =>
    shortestPath(stateCount, start, accepts, (s, edge) => {
      for (let c = 0; c < eoi; c++) {
        const next = trans[s * classCount + c]!;
        if (!cut[c] && next !== dfa.dead) edge(next, c);
      }
    });
  let total = 0;
  for (let path = pathToAccept(); path; path = pathToAccept()) {
    let best = -1;
    for (const c of path) if (!cut[c] && (best < 0 || weight[c]! < weight[best]!)) best = c;
    if (best < 0 || (total += weight[best]!) > MAX_CUT_WEIGHT) return null;
    cut[best] = 1;
  }
  // Greedy cuts can be redundant: drop each (heaviest first) that the others make unneeded.
  const chosen = [...cut.keys()].filter((c) => cut[c]).sort((a, b) => weight[b]! - weight[a]!);
  for (const c of chosen) {
    cut[c] = 0;
    if (pathToAccept()) cut[c] = 1;
  }
  const set = new Uint8Array(32);
  for (let b = 0; b < 256; b++) if (cut[classMap[b]!]) addByte(set, b);
  return set;
}

/** Whether `input` holds a byte of `set` (the reference model of the Wasm check). */
export function holdsRequiredByte(set: Uint8Array, input: Uint8Array): boolean {
  for (const b of input) if (set[(b < 0x80 ? 0 : 16) + (b & 15)]! & (1 << ((b >> 4) & 7))) return true;
  return false;
}

/**
 * The required-byte set of a pattern whose DFA is over the state budget, from its NFA: the
 * same greedy cut as cheapestCut, on the NFA's graph. Such a pattern compiles to a match-all
 * automaton behind its literals (src/pack/compile.ts), so without literals worth indexing
 * every value it targets became a candidate for the host's lazy DFA: CRS 941160 (which needs
 * a `<`) about 33 times per benign request. An over-approximating NFA is sound here: zero-width
 * states (assertions, lookarounds) are taken as always passable, and a backreference is
 * already "any bytes", so every real match path is a path of this graph.
 *
 * Cutting works on bytes rather than classes: a RANGE edge is blocked when every byte of
 * its range is cut, and blocking it costs the weights of its bytes not cut yet. The
 * unanchored search loop (any byte, back to the start) never lies on a shortest path to
 * MATCH. Cost: O(cuts × NFA edges); a few milliseconds for CRS's largest over-budget NFAs.
 */
export function nfaRequiredByteSet(nfa: Nfa): Uint8Array | null {
  return nfaCheapestCut(nfa, byteWeight) ?? nfaCheapestCut(nfa, punctuationWeight);
}

/** The cheapest cut on the NFA's graph (nfaRequiredByteSet), or null; `weightOf` as in cheapestCut. */
export function nfaCheapestCut(nfa: Nfa, weightOf: (byte: number) => number): Uint8Array | null {
  const { kind, lo, hi, next, out, start } = nfa;
  const n = kind.length;
  const cut = new Uint8Array(256);
  /** Uncut bytes in [a, b]: blocked when none. */
  const open = (a: number, b: number): boolean => {
    for (let x = a; x <= b; x++) if (!cut[x]) return true;
    return false;
  };
  /** A shortest path start → MATCH over unblocked edges, as the RANGE states it crosses; null if none. */
  const pathToMatch = (): number[] | null =>
    shortestPath(n, start, (s) => kind[s] === MATCH, (s, edge) => {
      if (kind[s] === SPLIT) for (const t of out[s]!) edge(t, -1);
      else if (kind[s] === RANGE) {
        if (open(lo[s]!, hi[s]!)) edge(next[s]!, s);
      } else if (kind[s] !== MATCH && next[s]! >= 0) edge(next[s]!, -1); // zero-width: passable
    });
  const costOf = (s: number): number => {
    let c = 0;
    for (let x = lo[s]!; x <= hi[s]!; x++) if (!cut[x]) c += weightOf(x);
    return c;
  };
  let total = 0;
  for (let path = pathToMatch(); path; path = pathToMatch()) {
    let best = -1;
    let bestCost = Infinity;
    for (const s of path) {
      const c = costOf(s);
      if (c < bestCost) {
        best = s;
        bestCost = c;
      }
    }
    if (best < 0 || (total += bestCost) > MAX_CUT_WEIGHT) return null;
    for (let x = lo[best]!; x <= hi[best]!; x++) cut[x] = 1;
  }
  if (total === 0) return null; // the empty match needs nothing
  // Greedy cuts can be redundant: drop each byte the others make unneeded (heaviest first).
  const bytes = [...cut.keys()].filter((b) => cut[b]).sort((a, b) => weightOf(b) - weightOf(a) || a - b);
  for (const b of bytes) {
    cut[b] = 0;
    if (pathToMatch()) cut[b] = 1;
  }
  const set = new Uint8Array(32);
  for (let b = 0; b < 256; b++) if (cut[b]) addByte(set, b);
  return set;
}

/**
 * Breadth first from `start` over `count` states to the nearest one `isGoal` accepts: the
 * labels of the edges on the way (those `edges` reports with a label ≥ 0), or null when no
 * goal is reachable. `edges(s, edge)` calls `edge(target, label)` for each edge out of s.
 */
function shortestPath(count: number, start: number, isGoal: (s: number) => boolean, edges: (s: number, edge: (t: number, label: number) => void) => void): number[] | null {
  const from = new Int32Array(count).fill(-1);
  const via = new Int32Array(count).fill(-1);
  const seen = new Uint8Array(count);
  const queue = [start];
  seen[start] = 1;
  let s = start;
  const edge = (t: number, label: number): void => {
    if (seen[t]) return;
    seen[t] = 1;
    from[t] = s;
    via[t] = label;
    queue.push(t);
  };
  for (let q = 0; q < queue.length; q++) {
    s = queue[q]!;
    if (isGoal(s)) {
      const path: number[] = [];
      for (let t = s; t !== start; t = from[t]!) if (via[t]! >= 0) path.push(via[t]!);
      return path;
    }
    edges(s, edge);
  }
  return null;
}
