// Derives a literal automaton's shift-or front end (front-end.ts) at activation, from what
// the image already carries: the trie (a prefix's bytes, as byte classes), the prefix
// groups and each literal's folded bytes. No pack format change.
//
// Stages and their costs (P = literals, S = states; a cell is one of the 4,096 code pairs):
//   1. codes per byte class (a u64 set of 6-bit codes)                     256
//   2. literals by window length (their first ≤ 16 bytes), in trie order
//      (breadth first: by prefix within a length); lengths cut into four
//      groups, one bucket each, so that short literals, whose lanes pass
//      every pair, do not blunt the long ones (assignBuckets)              O(S + P)
//   3. each literal entered at both alignments: a lane whose pair lies
//      inside the literal clears the bucket's bit in one cell; a lane with
//      one byte outside (its first or last pair) is gathered as bits to
//      clear in every cell with that code first (or second)                O(P · 16)
//   4. one pass over the cells: the gathered bits, and the lanes past a
//      literal's end (clear in every cell)                                 4,096
//   5. the expected candidates per pair of text with uniform codes: a
//      bucket passes Π over its lanes (cells clear / 4,096); their sum
//      above MAX_CANDIDATES means the set's short literals pass too often
//      for the scan to pay: no front end                                   4,096 + clear bits
// Measured side by side: +0.07 ms on activating 1,000 literals, +0.1 ms on the default pack
// (whose front end stage 5 refuses). The table is 192 KB of Wasm memory, 32 KB of it used.
// A trie whose prefix groups disagree with the states' depths, or whose byte classes are so
// wide that stage 3 would exceed its budget, gets no front end either: the walk runs as before.

import { FRONT_END_TABLE_BYTES, byteCode, pairCell } from "./front-end";

/** Larger sets fill every lane of the four buckets: most text pairs would pass. */
const MAX_LITERALS: u32 = 4096;
const MAX_DEPTH: u32 = 16;
const WINDOW: u32 = 16;
/**
 * Expected candidates per pair (two bytes) of uniform text, at most: one per 32 bytes. Text
 * is not uniform (the default pack's 0.12 is one per 3 bytes of prose); the scan's own
 * hand-over (front-end.ts) catches what this estimate lets through.
 */
const MAX_CANDIDATES: f64 = 1.0 / 16;
/** Cells written for literals whose byte classes hold several codes (malformed packs). */
const BUDGET: u64 = 1 << 20;
const ALL_CODES: u64 = 0xffffffffffffffff;

const classCodes = memory.data(256 * 8, 16); // u64 code set per byte class
const window = memory.data(WINDOW * 8, 16);   // u64 code set per literal byte
const firstOnly = memory.data(64 * 8, 16);    // per code c: bits to clear in every cell (c, any)
const secondOnly = memory.data(64 * 8, 16);   // per code c: bits to clear in every cell (any, c)
const clearCount = memory.data(64 * 4, 16);   // per (bucket bit, lane): cells whose bit is clear
const lengthCount = memory.data((WINDOW + 1) * 4, 16); // literals per window length
const lengthGroup = memory.data((WINDOW + 1) * 4, 16); // its group of lengths
const groupFirst = memory.data(4 * 4, 16);   // per group: first bucket
const groupBuckets = memory.data(4 * 4, 16); // buckets
const groupSize = memory.data(4 * 4, 16);    // literals
const groupSeen = memory.data(4 * 4, 16);    // literals entered so far
let spent: u64 = 0;

/** Bytes of a front end for an automaton of `states` states: the table, then u8 depths. */
export function frontEndBytes(states: u32): u64 {
  return <u64>FRONT_END_TABLE_BYTES + ((<u64>states + 15) & ~15);
}

/**
 * Fills the front end at `fe`, whose depth bytes (fe + FRONT_END_TABLE_BYTES) the caller
 * wrote; `order` lists the `count` states but the root breadth first (u16), `parentOf` (u16)
 * and `classIn` (u8) give each state's trie edge. False: the automaton gets no front end.
 */
export function frontEndDerive(ac: usize, packBase: usize, fe: usize, order: usize, count: u32, parentOf: usize, classIn: usize): bool {
  const firstOut = load<u32>(ac + 8);
  const outs = ac + load<u32>(ac + 20);
  const depths = fe + FRONT_END_TABLE_BYTES;
  // 1. Codes per class.
  memory.fill(classCodes, 0, 256 * 8);
  for (let b: u32 = 0; b < 256; b++) {
    const at = classCodes + (<usize>load<u8>(ac + 32 + b) << 3);
    store<u64>(at, load<u64>(at) | (<u64>1 << byteCode(b)));
  }
  // 2. Literals per window length; checks that the groups agree with the trie.
  memory.fill(lengthCount, 0, (WINDOW + 1) * 4);
  let total: u32 = 0;
  for (let i: u32 = 0; i < count; i++) {
    const s = <u32>load<u16>(order + <usize>i * 2);
    if (<u32>load<u8>(depths + s) > MAX_DEPTH) return false;
    if (s < firstOut) continue;
    const group = load<u32>(outs + <usize>(s - firstOut) * 8);
    if (group == 0) continue;
    if (load<u32>(packBase + group + 4) != <u32>load<u8>(depths + s)) return false;
    const members = load<u32>(packBase + group);
    total += members;
    if (total > MAX_LITERALS) return false;
    for (let m: u32 = 0; m < members; m++) {
      const n = windowLength(packBase, group, m);
      store<u32>(lengthCount + <usize>n * 4, load<u32>(lengthCount + <usize>n * 4) + 1);
    }
  }
  if (total == 0) return false;
  assignBuckets();
  // 3. Enter each literal.
  for (let c1: u32 = 0; c1 < 64; c1++) {
    // The cells a scan can read: pairs & 0x5f5f, two runs of 32 per second code.
    memory.fill(fe + (<usize>pairCell(0, c1) << 3), 0xff, 32 * 8);
    memory.fill(fe + (<usize>pairCell(32, c1) << 3), 0xff, 32 * 8);
  }
  memory.fill(firstOnly, 0, 64 * 8);
  memory.fill(secondOnly, 0, 64 * 8);
  let wild: u64 = 0; // bits cleared in every cell (lanes past a literal's end)
  spent = 0;
  for (let i: u32 = 0; i < count; i++) {
    const s = <u32>load<u16>(order + <usize>i * 2);
    if (s < firstOut) continue;
    const group = load<u32>(outs + <usize>(s - firstOut) * 8);
    if (group == 0) continue;
    const depth = <u32>load<u8>(depths + s);
    // The prefix's bytes from the trie path (as class code sets), deepest first.
    let x = s;
    for (let j = <i32>depth - 1; j >= 0; j--) {
      store<u64>(window + (<usize>j << 3), load<u64>(classCodes + (<usize>load<u8>(classIn + x) << 3)));
      x = <u32>load<u16>(parentOf + <usize>x * 2);
    }
    const members = load<u32>(packBase + group);
    for (let m: u32 = 0; m < members; m++) {
      const pat = packBase + load<u32>(packBase + group + 8 + <usize>m * 4);
      const n = windowLength(packBase, group, m);
      // Past the prefix: the folded literal (validated to hold its length when longer than the prefix).
      if (n > depth) {
        const lit = packBase + load<u32>(pat + 12);
        for (let j = depth; j < n; j++) store<u64>(window + (<usize>j << 3), <u64>1 << byteCode(<u32>load<u8>(lit + j)));
      }
      const bucket = nextBucket(n);
      wild |= enter(fe, n, bucket, 0) | enter(fe, n, bucket + 4, 1);
      if (spent > BUDGET) return false;
    }
  }
  // 4. The half pairs and the lanes past a literal's end.
  for (let c: u32 = 0; c < 4096; c++) {
    const c0 = c & 63;
    const c1 = c >> 6;
    clearIn(fe, pairCell(c0, c1), ~(load<u64>(firstOnly + (<usize>c0 << 3)) | load<u64>(secondOnly + (<usize>c1 << 3)) | wild));
  }
  // 5. Does it pay?
  return expectedCandidates(fe, wild) <= MAX_CANDIDATES;
}

@inline function clearIn(fe: usize, cell: u32, keep: u64): void {
  const at = fe + (<usize>cell << 3);
  store<u64>(at, load<u64>(at) & keep);
}

/** The literal's bytes the front end looks at: its first ≤ 16 (≥ 1: validated lengths ≥ depth ≥ 1). */
@inline function windowLength(packBase: usize, group: u32, m: u32): u32 {
  return min(load<u32>(packBase + load<u32>(packBase + group + 8 + <usize>m * 4)), WINDOW);
}

/**
 * Enters the `n`-byte window (code sets at `window`) in bucket bit `bit` (0–7) with its
 * start at alignment `a`: its byte i lies in pair lane (i + a) / 2. Returns the bits of the
 * lanes past its end.
 */
function enter(fe: usize, n: u32, bit: u32, a: i32): u64 {
  for (let q: i32 = 0; q < 8; q++) {
    const i0 = 2 * q - a;
    if (i0 >= <i32>n) {
      let wild: u64 = 0;
      for (let l = q; l < 8; l++) wild |= <u64>1 << (<u64>bit + (<u64>l << 3));
      return wild;
    }
    const s0 = i0 < 0 ? ALL_CODES : load<u64>(window + (<usize>i0 << 3));
    const s1 = i0 + 1 >= <i32>n ? ALL_CODES : load<u64>(window + (<usize>(i0 + 1) << 3));
    const laneBit = <u64>1 << (<u64>bit + (<u64>q << 3));
    if (s0 == ALL_CODES) { gather(secondOnly, s1, laneBit); continue; }
    if (s1 == ALL_CODES) { gather(firstOnly, s0, laneBit); continue; }
    const clear = ~laneBit;
    if (popcnt(s0) == 1 && popcnt(s1) == 1) {
      clearIn(fe, pairCell(<u32>ctz(s0), <u32>ctz(s1)), clear);
      continue;
    }
    spent += <u64>popcnt(s0) * <u64>popcnt(s1);
    if (spent > BUDGET) return 0;
    let a0 = s0;
    while (a0 != 0) {
      const c0 = <u32>ctz(a0);
      a0 &= a0 - 1;
      let a1 = s1;
      while (a1 != 0) {
        clearIn(fe, pairCell(c0, <u32>ctz(a1)), clear);
        a1 &= a1 - 1;
      }
    }
  }
  return 0;
}

/** Adds `laneBit` to the bits to clear for each code of `codes` (at most 64 codes). */
function gather(perCode: usize, codes: u64, laneBit: u64): void {
  while (codes != 0) {
    const at = perCode + (<usize>ctz(codes) << 3);
    store<u64>(at, load<u64>(at) | laneBit);
    codes &= codes - 1;
  }
}

/**
 * The expected candidates per pair of text whose codes are uniform and independent: per
 * bucket bit, the product over its lanes (but those past a literal's end, in `wild`) of
 * the share of cells with the bit clear; summed over the eight bits.
 */
function expectedCandidates(fe: usize, wild: u64): f64 {
  memory.fill(clearCount, 0, 64 * 4);
  for (let c: u32 = 0; c < 4096; c++) {
    let clear = ~load<u64>(fe + (<usize>pairCell(c & 63, c >> 6) << 3)) & ~wild;
    while (clear != 0) {
      const at = clearCount + (<usize>ctz(clear) << 2);
      store<u32>(at, load<u32>(at) + 1);
      clear &= clear - 1;
    }
  }
  let sum: f64 = 0;
  for (let bit: u64 = 0; bit < 8; bit++) {
    let p: f64 = 1;
    for (let q: u64 = 0; q < 8; q++) {
      const b = bit + (q << 3);
      if ((wild >> b) & 1) continue;
      p *= <f64>load<u32>(clearCount + <usize>(b << 2)) / 4096;
    }
    sum += p;
  }
  return sum;
}

/**
 * Cuts the window lengths into at most four groups of consecutive lengths, minimising the
 * candidates of random text: a bucket passes about (its literals) × 64^−(its shortest
 * length) of positions, so short literals are kept apart from long ones. Buckets left over
 * (fewer lengths than buckets) split the largest groups by count. A dynamic program over
 * 16 lengths × 4 groups.
 */
function assignBuckets(): void {
  const cost = memory.data(4 * 17 * 8, 16); // f64 per (groups − 1, last length): lengths 1..j in k + 1 groups
  const cut = memory.data(4 * 17 * 4, 16);  // u32: where the last of those groups starts
  const weight = memory.data(17 * 8, 16);   // f64 64^−length
  let w: f64 = 1;
  for (let n: u32 = 0; n <= WINDOW; n++) {
    store<f64>(weight + <usize>n * 8, w);
    w /= 64;
  }
  for (let j: u32 = 1; j <= WINDOW; j++) {
    for (let k: u32 = 0; k < 4; k++) {
      let best: f64 = Infinity;
      let bestCut: u32 = 1;
      // The last group is lengths i..j; the first group always starts at length 1.
      for (let i: u32 = k == 0 ? 1 : k + 1; i <= (k == 0 ? 1 : j); i++) {
        let n: u32 = 0;
        let shortest: u32 = 0;
        for (let l = i; l <= j; l++) {
          const c = load<u32>(lengthCount + <usize>l * 4);
          if (shortest == 0 && c != 0) shortest = l;
          n += c;
        }
        const before: f64 = k == 0 ? 0 : load<f64>(cost + <usize>((k - 1) * 17 + i - 1) * 8);
        const c = before + (n == 0 ? 0 : <f64>n * load<f64>(weight + <usize>shortest * 8));
        if (c < best) { best = c; bestCut = i; }
      }
      store<f64>(cost + <usize>(k * 17 + j) * 8, best);
      store<u32>(cut + <usize>(k * 17 + j) * 4, bestCut);
    }
  }
  // Walk the cuts back from lengths 1..16 in four groups (a group may be empty).
  let j: u32 = WINDOW;
  for (let k: i32 = 3; k >= 0; k--) {
    const i: u32 = k == 0 ? 1 : load<u32>(cut + <usize>(k * 17 + j) * 4);
    let n: u32 = 0;
    for (let l = i; l <= j; l++) {
      store<u32>(lengthGroup + <usize>l * 4, <u32>k);
      n += load<u32>(lengthCount + <usize>l * 4);
    }
    store<u32>(groupSize + <usize>k * 4, n);
    store<u32>(groupBuckets + <usize>k * 4, n > 0 ? 1 : 0);
    store<u32>(groupSeen + <usize>k * 4, 0);
    j = i - 1;
  }
  // Spare buckets to the group with the most literals per bucket.
  let used: u32 = 0;
  for (let k: u32 = 0; k < 4; k++) used += load<u32>(groupBuckets + <usize>k * 4);
  for (; used < 4; used++) {
    let best: u32 = 0;
    let bestLoad: f64 = -1;
    for (let k: u32 = 0; k < 4; k++) {
      const b = load<u32>(groupBuckets + <usize>k * 4);
      const perBucket: f64 = b == 0 ? -1 : <f64>load<u32>(groupSize + <usize>k * 4) / <f64>b;
      if (perBucket > bestLoad) { bestLoad = perBucket; best = k; }
    }
    store<u32>(groupBuckets + <usize>best * 4, load<u32>(groupBuckets + <usize>best * 4) + 1);
  }
  let first: u32 = 0;
  for (let k: u32 = 0; k < 4; k++) {
    store<u32>(groupFirst + <usize>k * 4, first);
    first += load<u32>(groupBuckets + <usize>k * 4);
  }
}

/** The bucket of the next literal of window length `n` (in trie order within its group). */
function nextBucket(n: u32): u32 {
  const g = <usize>load<u32>(lengthGroup + <usize>n * 4) * 4;
  const r = load<u32>(groupSeen + g);
  store<u32>(groupSeen + g, r + 1);
  return load<u32>(groupFirst + g) + <u32>((<u64>r * load<u32>(groupBuckets + g)) / load<u32>(groupSize + g));
}
