/**
 * Builds the shift-or front end of the pack-wide literal automaton (FDR-style, after
 * Hyperscan): the table the engine's scan (assembly/matcher/front-end.ts) reads to skip the
 * positions where no literal can start. Built here, at compile time, because it costs
 * ~50 K table writes and a cost model: at activation that work (and V8 compiling it) would
 * land on every cold start, while the image carries the result as one 32 KB array, and only
 * for literal sets where the front end pays.
 *
 * A byte's code is bits 0–4 and 6 (ASCII case folded); a pair of codes indexes one of 4,096
 * cells, `c0 | c1 << 6`. A cell is a u64 of eight lanes × eight bucket bits; bit b of lane j
 * is 0 when some literal of bucket b (b < 4: starts at even offsets, b ≥ 4: the same buckets
 * at odd offsets) may have that pair as its pair j. The scan reads pairs at even offsets, so
 * a literal starting at an odd offset meets its byte i in lane (i + 1) / 2.
 *
 * Stages and their costs (P = literals):
 *   1. windows: each literal's first ≤ 16 bytes, as codes                       O(P · 16)
 *   2. lengths cut into four groups of consecutive lengths, one bucket each,
 *      minimising (literals) × 64^−(shortest length) summed over buckets, so
 *      that short literals, whose lanes pass every pair, do not blunt the long
 *      ones; spare buckets split the largest group by count                    16 · 16 · 4
 *   3. each literal entered at both alignments: a pair inside the literal
 *      clears the bucket's bit in one cell; a pair half outside (the first
 *      pair of an odd start, the last when the literal ends mid-pair) in the
 *      64 cells with that code first (or second); lanes past the end in every
 *      cell                                                                    O(P · 16) + 4,096
 *   4. the expected candidates per pair of uniform text: per bucket bit, the
 *      product over its lanes of (cells with the bit clear) / 4,096, summed.
 *      Above MAX_CANDIDATES (one per 32 bytes) the set's short literals pass
 *      too often for the scan to pay: no front end                             4,096 · 64
 * The default pack (1,474 literals, 107 of at most three bytes such as "cat", "set", "<")
 * estimates 0.12 per pair and gets none; 1,000 phrases of 4–8 bytes estimate 0.0002.
 */

import { FRONT_END_BYTES } from "./format.js";

const FRONT_END_CELLS = FRONT_END_BYTES / 8;

/** Larger sets fill every lane of the four buckets: most pairs of text would pass. */
const MAX_LITERALS = 4096;
const WINDOW = 16;
/**
 * Expected candidates per pair (two bytes) of uniform text, at most. Text is not uniform (the
 * default pack's 0.12 is one per 3 bytes of prose); the scan's own hand-over catches what
 * this estimate lets through.
 */
const MAX_CANDIDATES = 1 / 16;

/** A byte's 6-bit code: bits 0–4 and 6 (bit 5, ASCII case, folded; bit 7 dropped). */
export const byteCode = (b: number) => (b & 0x1f) | ((b >> 1) & 0x20);

/**
 * The front end's table for the automaton's folded literals (deduplicated), or null when
 * the set gets none. Little-endian u64 cells, `c0 | c1 << 6`.
 */
export function buildFrontEnd(literals: Uint8Array[]): Uint8Array | null {
  if (literals.length === 0 || literals.length > MAX_LITERALS) return null;
  // 1–2. Windows in (length, bytes) order, so literals sharing a prefix share a bucket.
  const windows = literals
    .map((l) => Array.from(l.subarray(0, WINDOW), byteCode))
    .sort((a, b) => a.length - b.length || compareCodes(a, b));
  const bucketOf = assignBuckets(windows.map((w) => w.length));
  // 3. Enter each literal. Bits to clear, as bytes: lane q of cell c at c * 8 + q (the
  // little-endian layout of the u64 cells), bucket bit b in it.
  const clear = new Uint8Array(FRONT_END_BYTES);
  const firstOnly = new Uint8Array(64 * 8); // per code and lane: bits to clear in cells (code, any)
  const secondOnly = new Uint8Array(64 * 8); // per code and lane: bits to clear in cells (any, code)
  const wild = new Uint8Array(8); // per lane: bits to clear in every cell (lanes past a literal's end)
  windows.forEach((w, i) => {
    for (const a of [0, 1]) {
      const bit = 1 << (bucketOf[i]! + 4 * a);
      for (let q = 0; q < 8; q++) {
        const i0 = 2 * q - a;
        if (i0 >= w.length) wild[q]! |= bit;
        else if (i0 < 0) secondOnly[w[0]! * 8 + q]! |= bit;
        else if (i0 + 1 >= w.length) firstOnly[w[i0]! * 8 + q]! |= bit;
        else clear[(w[i0]! | (w[i0 + 1]! << 6)) * 8 + q]! |= bit;
      }
    }
  });
  for (let c = 0; c < FRONT_END_CELLS; c++) {
    for (let q = 0; q < 8; q++) clear[c * 8 + q]! |= firstOnly[(c & 63) * 8 + q]! | secondOnly[(c >> 6) * 8 + q]! | wild[q]!;
  }
  // 4. Does it pay?
  if (expectedCandidates(clear, wild) > MAX_CANDIDATES) return null;
  return clear.map((bits) => ~bits & 0xff);
}

function compareCodes(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Per bucket bit, Π over its lanes not past a literal's end of (cells clear) / 4,096; summed. */
function expectedCandidates(clear: Uint8Array, wild: Uint8Array): number {
  const count = new Array<number>(64).fill(0); // lane q, bit b at q * 8 + b
  clear.forEach((bits, i) => {
    for (let b = 0; bits >> b; b++) if ((bits >> b) & 1) count[(i & 7) * 8 + b]!++;
  });
  let sum = 0;
  for (let bit = 0; bit < 8; bit++) {
    let p = 1;
    for (let q = 0; q < 8; q++) if (!((wild[q]! >> bit) & 1)) p *= count[q * 8 + bit]! / FRONT_END_CELLS;
    sum += p;
  }
  return sum;
}

/**
 * Bucket (0–3) per window, given the windows' lengths in ascending order: lengths cut into
 * at most four groups of consecutive lengths by a dynamic program minimising Σ (literals) ×
 * 64^−(shortest length); buckets left over go to the groups with the most literals per
 * bucket, which split by count.
 */
function assignBuckets(lengths: number[]): number[] {
  const perLength = new Array<number>(WINDOW + 1).fill(0);
  for (const n of lengths) perLength[n]!++;
  const present = perLength.map((c, n) => (c > 0 ? n : -1)).filter((n) => n > 0);
  // best[k][j]: cost of the first j present lengths in k + 1 groups; from[k][j]: start of the last.
  const m = present.length;
  const cost = (i: number, j: number) => {
    let n = 0;
    for (let x = i; x < j; x++) n += perLength[present[x]!]!;
    return n * 64 ** -present[i]!;
  };
  const groups = Math.min(4, m);
  const best: number[][] = Array.from({ length: groups }, () => new Array<number>(m + 1).fill(Infinity));
  const from: number[][] = Array.from({ length: groups }, () => new Array<number>(m + 1).fill(0));
  for (let j = 1; j <= m; j++) best[0]![j] = cost(0, j);
  for (let k = 1; k < groups; k++) {
    for (let j = k + 1; j <= m; j++) {
      for (let i = k; i < j; i++) {
        const c = best[k - 1]![i]! + cost(i, j);
        if (c < best[k]![j]!) {
          best[k]![j] = c;
          from[k]![j] = i;
        }
      }
    }
  }
  // Walk back: group g covers present lengths [starts[g], starts[g + 1]).
  const starts = new Array<number>(groups + 1).fill(0);
  starts[groups] = m;
  for (let k = groups - 1, j = m; k > 0; k--) {
    starts[k] = from[k]![j]!;
    j = starts[k]!;
  }
  const size = Array.from({ length: groups }, (_, g) => {
    let n = 0;
    for (let x = starts[g]!; x < starts[g + 1]!; x++) n += perLength[present[x]!]!;
    return n;
  });
  const buckets = new Array<number>(groups).fill(1);
  for (let spare = 4 - groups; spare > 0; spare--) {
    let g = 0;
    for (let h = 1; h < groups; h++) if (size[h]! / buckets[h]! > size[g]! / buckets[g]!) g = h;
    buckets[g]!++;
  }
  const groupOfLength = new Array<number>(WINDOW + 1).fill(0);
  for (let g = 0; g < groups; g++) for (let x = starts[g]!; x < starts[g + 1]!; x++) groupOfLength[present[x]!] = g;
  const firstBucket = buckets.map((_, g) => buckets.slice(0, g).reduce((s, b) => s + b, 0));
  const seen = new Array<number>(groups).fill(0);
  return lengths.map((n) => {
    const g = groupOfLength[n]!;
    return firstBucket[g]! + Math.floor((seen[g]!++ * buckets[g]!) / size[g]!);
  });
}
