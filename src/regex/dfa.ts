/**
 * Stage 3: NFA → DFA (subset construction) → minimal DFA (Hopcroft partition refinement).
 *
 * Semantics: "does the pattern match anywhere?" The NFA carries the unanchored prefix, so the
 * DFA is run once from position 0; it has exactly one accepting state, MATCH, which is
 * absorbing (early accept: the walker may stop there), and one DEAD state (no match possible:
 * the walker may stop there too). The states, the byte classes and the handling of assertions
 * are subsets.ts's, which lazy-dfa.ts shares.
 *
 * Costs: determinization is O(states × (NFA set size × classes)) time and
 * O(states × classes) memory; it throws `DfaBudgetError` as soon as the state count exceeds
 * the construction budget (4 × the state budget by default), so hostile or explosive
 * patterns cost bounded time and memory; the minimized DFA must then fit the state budget. Hopcroft
 * minimization is O(classes × states × log states).
 */
import type { Nfa } from "./nfa.js";
import { DEAD, MATCH_STATE, SubsetStates } from "./subsets.js";

export { byteClasses } from "./subsets.js";

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

// ---- determinization ----------------------------------------------------------------------

/** Every reachable state of the subset construction (subsets.ts), row by row. */
export function determinize(nfa: Nfa, options: DfaOptions = {}): Dfa {
  const budget = options.stateBudget ?? DEFAULT_STATE_BUDGET;
  const states = new SubsetStates(nfa, budget, () => new DfaBudgetError(budget));
  const rows: Uint32Array[] = [];
  // Rows are computed in id order; computing one interns the states it reaches.
  for (let id = 0; id < states.stateCount; id++) rows.push(states.row(id));
  const { stateCount, classCount, classMap } = states;
  const trans = new Uint32Array(stateCount * classCount);
  for (let s = 0; s < stateCount; s++) trans.set(rows[s], s * classCount);
  return { stateCount, classCount, classMap, trans, start: states.start, dead: DEAD, firstAccepting: MATCH_STATE };
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
