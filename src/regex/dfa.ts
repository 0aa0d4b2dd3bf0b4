/**
 * Stage 3: NFA → DFA (subset construction) → minimal DFA (Hopcroft partition refinement).
 *
 * Alphabet: byte classes (bytes no NFA range or assertion distinguishes share a class, see
 * `byteClasses`) plus one extra end-of-input class (EOI) fed once after the last byte.
 *
 * Semantics: "does the pattern match anywhere?" The NFA carries the unanchored prefix, so the
 * DFA is run once from position 0; it has exactly one accepting state, MATCH, which is
 * absorbing (early accept: the walker may stop there), and one DEAD state (no match possible:
 * the walker may stop there too).
 *
 * Assertions (as regex-automata does it): a DFA state is (set of NFA states, look-behind facts,
 * "previous byte was a word byte"). Look-behind facts (`\A` at position 0, `^` in multiline
 * after `\n`) are applied when the state is built. Look-ahead facts (`$`, `\z`, the right
 * half of `\b`) are known only when the next unit arrives, so the transition on unit u first
 * re-closes the state's NFA set with the assertions u makes true, then checks for MATCH
 * (a match delayed by one unit), then steps over u. EOI makes `\z`, `$` true.
 * `\Z` (PCRE's `$`) needs two units of look-ahead (`\n` then EOI): on `\n`, the threads it
 * would let through continue "guarded" — behind a synthetic `\z` assertion that the next
 * unit must satisfy — so the DFA stays exact.
 *
 * Costs: determinization is O(states × (NFA set size × classes)) time and
 * O(states × classes) memory; it throws `DfaBudgetError` as soon as the state count exceeds
 * the construction budget (4 × the state budget by default), so hostile or explosive
 * patterns cost bounded time and memory; the minimized DFA must then fit the state budget. Hopcroft
 * minimization is O(classes × states × log states).
 */
import { isAsciiWordByte } from "./charset.js";
import type { Nfa } from "./nfa.js";
import {
  LOOK, LOOK_END_LINE, LOOK_END_TEXT, LOOK_END_TEXT_OPT_NEWLINE, LOOK_NOT_WORD_BOUNDARY, LOOK_START_LINE, LOOK_START_TEXT,
  LOOK_WORD_BOUNDARY, MATCH, RANGE, SPLIT,
} from "./nfa.js";

export const DEFAULT_STATE_BUDGET = 10_000;

/** The DFA would need more states than the budget allows; split the pattern or fall back. */
export class DfaBudgetError extends Error {
  override readonly name = "DfaBudgetError";
  constructor(readonly budget: number) {
    super(`DFA needs more than ${budget} states (state budget exceeded)`);
  }
}

export interface Dfa {
  stateCount: number;
  /** Byte classes plus the EOI class (the last one). */
  classCount: number;
  /** byte → class index (0..classCount-2). */
  classMap: Uint8Array;
  /** trans[state * classCount + class] = next state. */
  trans: Uint32Array;
  start: number;
  /** Always 0: every transition into it means "no match possible any more". */
  dead: number;
  /** States ≥ firstAccepting are accepting (absorbing). */
  firstAccepting: number;
}

export interface DfaOptions {
  /** Most states the minimized DFA may have (default 10,000). */
  stateBudget?: number;
  /**
   * Most states the subset construction may create before minimization (default 4 × the
   * state budget). Subset construction can need far more states than the minimal DFA (CRS
   * 933180: 55,547 → 515), so a little headroom here saves patterns at bounded cost.
   */
  constructionBudget?: number;
}

export function buildDfa(nfa: Nfa, options: DfaOptions = {}): Dfa {
  const budget = options.stateBudget ?? DEFAULT_STATE_BUDGET;
  const construction = Math.max(budget, options.constructionBudget ?? 4 * budget);
  const dfa = minimizeDfa(determinize(nfa, { stateBudget: construction }));
  if (dfa.stateCount > budget) throw new DfaBudgetError(budget);
  return dfa;
}

// ---- byte classes -------------------------------------------------------------------------

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

// ---- determinization ----------------------------------------------------------------------

const DEAD = 0;
const MATCH_STATE = 1;

export function determinize(nfa: Nfa, options: DfaOptions = {}): Dfa {
  const budget = options.stateBudget ?? DEFAULT_STATE_BUDGET;
  const { classMap, count: byteClassCount } = byteClasses(nfa);
  const eoi = byteClassCount;
  const classCount = byteClassCount + 1;
  const rep = new Int32Array(byteClassCount); // representative byte per class
  for (let b = 255; b >= 0; b--) rep[classMap[b]] = b;
  const usesWord = (nfa.looksUsed & (LOOK_WORD_BOUNDARY | LOOK_NOT_WORD_BOUNDARY)) !== 0;

  let seen = new Int32Array(nfa.kind.length + 64);
  /** Synthetic NFA states `\z → target`, for threads released by `\Z` on a `\n`. */
  const guards = new Map<number, number>();
  const guard = (target: number): number => {
    let g = guards.get(target);
    if (g === undefined) {
      g = nfa.kind.length;
      nfa.kind.push(LOOK);
      nfa.lo.push(LOOK_END_TEXT);
      nfa.hi.push(0);
      nfa.next.push(target);
      nfa.out.push([]);
      guards.set(target, g);
      if (seen.length <= g) {
        const grown = new Int32Array(seen.length * 2);
        grown.set(seen);
        seen = grown;
      }
    }
    return g;
  };
  let generation = 0;
  const stack: number[] = [];

  /** Epsilon closure keeping RANGE, MATCH and not-yet-satisfied LOOK states. */
  const closure = (seeds: ArrayLike<number>, looks: number): Int32Array => {
    generation++;
    const kept: number[] = [];
    for (let k = 0; k < seeds.length; k++) stack.push(seeds[k]);
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (seen[s] === generation) continue;
      seen[s] = generation;
      const kind = nfa.kind[s];
      if (kind === SPLIT) {
        const out = nfa.out[s];
        for (let k = out.length - 1; k >= 0; k--) stack.push(out[k]);
      } else if (kind === LOOK) {
        if (nfa.lo[s] & looks) stack.push(nfa.next[s]);
        else kept.push(s);
      } else kept.push(s);
    }
    return Int32Array.from(kept).sort();
  };
  const hasMatch = (set: Int32Array): boolean => {
    for (let k = 0; k < set.length; k++) if (nfa.kind[set[k]] === MATCH) return true;
    return false;
  };
  const hasLook = (set: Int32Array): boolean => {
    for (let k = 0; k < set.length; k++) if (nfa.kind[set[k]] === LOOK) return true;
    return false;
  };

  const sets: Int32Array[] = [new Int32Array(0), new Int32Array(0)];
  const lookHave: number[] = [0, 0];
  const fromWord: number[] = [0, 0];
  const ids = new IntArrayMap();
  const rows: Uint32Array[] = [];

  const intern = (set: Int32Array, looks: number, word: number): number => {
    if (set.length === 0) return DEAD;
    if (hasMatch(set)) return MATCH_STATE;
    if (!hasLook(set)) {
      looks = 0;
      word = 0;
    } else if (!usesWord) word = 0;
    const tag = looks * 2 + word;
    let id = ids.get(tag, set);
    if (id === undefined) {
      id = sets.length;
      if (id - 1 > budget) throw new DfaBudgetError(budget); // minus the MATCH helper state
      ids.set(tag, set, id);
      sets.push(set);
      lookHave.push(looks);
      fromWord.push(word);
    }
    return id;
  };

  const start = intern(closure([nfa.start], LOOK_START_TEXT | LOOK_START_LINE), LOOK_START_TEXT | LOOK_START_LINE, 0);

  // Row of DEAD: all DEAD. Row of MATCH: all MATCH.
  rows.push(new Uint32Array(classCount).fill(DEAD));
  rows.push(new Uint32Array(classCount).fill(MATCH_STATE));

  const aheadOf = (cls: number, word: number): number => {
    if (cls === eoi) {
      return LOOK_END_TEXT | LOOK_END_LINE | LOOK_END_TEXT_OPT_NEWLINE | (word ? LOOK_WORD_BOUNDARY : LOOK_NOT_WORD_BOUNDARY);
    }
    const b = rep[cls];
    const w = isAsciiWordByte(b) ? 1 : 0;
    return (b === 0x0a ? LOOK_END_LINE : 0) | (w !== word ? LOOK_WORD_BOUNDARY : LOOK_NOT_WORD_BOUNDARY);
  };

  const buckets: number[][] = Array.from({ length: byteClassCount }, () => []);
  const stepCache = new IntArrayMap();
  const inGroup = new Uint8Array(classCount);
  const setHasLook: boolean[] = sets.map(hasLook);
  const step = (targets: number[], c: number): number => {
    const b = rep[c];
    const newLooks = b === 0x0a ? LOOK_START_LINE : 0;
    const word = isAsciiWordByte(b) ? 1 : 0;
    const tag = newLooks * 2 + word;
    let target = stepCache.get(tag, targets);
    if (target === undefined) {
      target = intern(closure(targets, newLooks), newLooks, word);
      setHasLook[target] ??= hasLook(sets[target]);
      stepCache.set(tag, Int32Array.from(targets), target);
    }
    return target;
  };
  for (let id = 2; id < sets.length; id++) {
    const row = new Uint32Array(classCount);
    const set = sets[id];
    const looksInSet = setHasLook[id] ?? hasLook(set);
    // Group classes by the look-ahead facts they make true (at most four groups).
    const groups = new Map<number, number[]>();
    for (let c = 0; c < classCount; c++) {
      const looks = looksInSet ? lookHave[id] | aheadOf(c, fromWord[id]) : 0;
      const g = groups.get(looks);
      if (g) g.push(c);
      else groups.set(looks, [c]);
    }
    for (const [looks, classes] of groups) {
      const v = looksInSet ? closure(set, looks) : set;
      if (hasMatch(v)) {
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
      // `\Z` before a `\n`: holds only if the `\n` is the last byte. Threads it releases step
      // over the `\n` behind a `\z` guard (a released MATCH becomes a guarded MATCH).
      const nl = classMap[0x0a];
      if ((nfa.looksUsed & LOOK_END_TEXT_OPT_NEWLINE) && inGroup[nl] && !(looks & LOOK_END_TEXT_OPT_NEWLINE)) {
        const released = closure(set, looks | LOOK_END_TEXT_OPT_NEWLINE);
        const plain = new Set(v);
        for (let k = 0; k < released.length; k++) {
          const s = released[k];
          if (plain.has(s)) continue;
          if (nfa.kind[s] === MATCH) buckets[nl].push(guard(s));
          else if (nfa.kind[s] === RANGE && nfa.lo[s] <= 0x0a && nfa.hi[s] >= 0x0a) buckets[nl].push(guard(nfa.next[s]));
        }
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
          const b = rep[c];
          const flavour = (b === 0x0a ? 2 : 0) | (isAsciiWordByte(b) ? 1 : 0);
          let t = commonTargets.get(flavour);
          if (t === undefined) {
            t = step(common, c);
            commonTargets.set(flavour, t);
          }
          row[c] = t;
          continue;
        }
        row[c] = step(common.length > 0 ? common.concat(bucket) : bucket, c);
        bucket.length = 0;
      }
    }
    rows.push(row);
  }

  const stateCount = sets.length;
  const trans = new Uint32Array(stateCount * classCount);
  for (let s = 0; s < stateCount; s++) trans.set(rows[s], s * classCount);
  return { stateCount, classCount, classMap, trans, start, dead: DEAD, firstAccepting: MATCH_STATE };
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

// ---- minimization -------------------------------------------------------------------------

/**
 * Hopcroft's partition refinement (O(classes × states × log states)), then renumbering: DEAD = 0, the accepting states last
 * (so "is accepting" is one comparison), the others in breadth-first order from the start.
 * Input: accepting states are exactly those in [firstAccepting, firstAccepting + 1).
 */
export function minimizeDfa(dfa: Dfa): Dfa {
  const { stateCount: n, classCount: k, trans } = dfa;
  const isAccepting = (s: number): boolean => s === dfa.firstAccepting;

  // Predecessor lists per class, CSR layout.
  const predStart = new Int32Array(k * n + 1);
  for (let s = 0; s < n; s++) for (let c = 0; c < k; c++) predStart[c * n + trans[s * k + c] + 1]++;
  for (let i = 0; i < k * n; i++) predStart[i + 1] += predStart[i];
  const pred = new Int32Array(n * k);
  const fill = predStart.slice(0, k * n);
  for (let s = 0; s < n; s++) for (let c = 0; c < k; c++) pred[fill[c * n + trans[s * k + c]]++] = s;

  // Refinable partition (Valmari–Lehtinen): each block is a slice [first, end) of `elems`;
  // marked elements are swapped to the front [first, mid), so a split costs O(marked).
  const elems = new Int32Array(n);
  const loc = new Int32Array(n);
  const block = new Int32Array(n);
  const first: number[] = [];
  const end: number[] = [];
  const mid: number[] = [];
  {
    let i = 0;
    for (const wantAccepting of [false, true]) {
      const b = first.length;
      const start = i;
      for (let s = 0; s < n; s++) {
        if (isAccepting(s) !== wantAccepting) continue;
        elems[i] = s;
        loc[s] = i;
        block[s] = b;
        i++;
      }
      if (i === start) continue;
      first.push(start);
      end.push(i);
      mid.push(start);
    }
  }
  const inWork: boolean[] = first.map(() => false);
  const work: number[] = [];
  if (first.length === 2) {
    const smaller = end[0] - first[0] <= end[1] - first[1] ? 0 : 1;
    work.push(smaller);
    inWork[smaller] = true;
  }
  const touched: number[] = [];
  const mark = (s: number): void => {
    const b = block[s];
    const i = loc[s];
    const m = mid[b];
    if (i < m) return; // already marked
    if (m === first[b]) touched.push(b);
    const other = elems[m];
    elems[m] = s;
    loc[s] = m;
    elems[i] = other;
    loc[other] = i;
    mid[b] = m + 1;
  };
  const splitter: number[] = [];
  while (work.length > 0) {
    const a = work.pop()!;
    inWork[a] = false;
    splitter.length = 0;
    for (let i = first[a]; i < end[a]; i++) splitter.push(elems[i]);
    for (let c = 0; c < k; c++) {
      for (const t of splitter) {
        for (let i = predStart[c * n + t], stop = predStart[c * n + t + 1]; i < stop; i++) mark(pred[i]);
      }
      for (const b of touched) {
        if (mid[b] === end[b]) {
          mid[b] = first[b]; // every element marked: no split
          continue;
        }
        const nb = first.length;
        first.push(first[b]);
        end.push(mid[b]);
        mid.push(first[b]);
        first[b] = mid[b];
        mid[b] = first[b];
        for (let i = first[nb]; i < end[nb]; i++) block[elems[i]] = nb;
        if (inWork[b]) {
          work.push(nb);
          inWork.push(true);
        } else {
          const smaller = end[nb] - first[nb] <= end[b] - first[b] ? nb : b;
          inWork.push(smaller === nb);
          if (smaller === b) inWork[b] = true;
          work.push(smaller);
        }
      }
      touched.length = 0;
    }
  }
  const members: number[][] = first.map((f, b) => Array.from(elems.subarray(f, end[b])));

  // Renumber: dead block first, accepting block last, the rest breadth-first from the start.
  const deadBlock = block[dfa.dead];
  const acceptBlock = members.length > 0 && n > dfa.firstAccepting ? block[dfa.firstAccepting] : -1;
  const newId = new Int32Array(members.length).fill(-1);
  newId[deadBlock] = 0;
  let next = 1;
  const queue = [block[dfa.start]];
  const order: number[] = [];
  for (let head = 0; head < queue.length; head++) {
    const b = queue[head];
    if (newId[b] !== -1 || b === acceptBlock) continue;
    newId[b] = next++;
    order.push(b);
    const s = members[b][0];
    for (let c = 0; c < k; c++) {
      const t = block[trans[s * k + c]];
      if (newId[t] === -1 && t !== acceptBlock) queue.push(t);
    }
  }
  const acceptId = next;
  const stateCount = acceptBlock >= 0 && acceptBlock !== deadBlock ? next + 1 : next;
  if (acceptBlock >= 0 && acceptBlock !== deadBlock) newId[acceptBlock] = acceptId;
  const out = new Uint32Array(stateCount * k);
  const blocksInOrder = [deadBlock, ...order];
  if (stateCount > next) blocksInOrder.push(acceptBlock);
  for (const b of blocksInOrder) {
    const s = members[b][0];
    const id = newId[b];
    for (let c = 0; c < k; c++) {
      const t = newId[block[trans[s * k + c]]];
      out[id * k + c] = t < 0 ? 0 : t;
    }
  }
  return {
    stateCount,
    classCount: k,
    classMap: dfa.classMap,
    trans: out,
    start: newId[block[dfa.start]],
    dead: 0,
    firstAccepting: acceptId,
  };
}
