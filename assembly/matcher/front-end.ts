// The shift-or front end of a literal automaton (FDR-style, after Hyperscan): it finds the
// positions where a literal may start, and only those are confirmed by the automaton. The
// compiler builds its table for the pack-wide automaton when the literal set is one for which
// it pays (src/pack/front-end.ts: buckets, cost model); activation installs it
// (front-end-install.ts).
//
// A byte's code is bits 0–4 and 6 (ASCII case folded, bit 7 dropped), so a pair of bytes
// ANDed with 0x5f5f indexes one of 4,096 cells (spread over 192 KB, 32 KB of them used)
// with one mask, no arithmetic. The scan takes pairs at even offsets (stride 2): pair t is bytes 2t,
// 2t+1. Each literal sits in one of four buckets and is entered twice, once per alignment of
// its start: bit b (alignment 0, starts 2u) and bit b+4 (alignment 1, starts 2u+1). A cell is
// a u64 of eight lanes; bit b of lane j is 0 when some literal of that bucket may have the
// pair as its pair j (every cell has it 0 in lanes past the literal's end). The state
//
//   st = (st << 8) | cell[pair t]
//
// holds in its top lane the OR over the eight pairs from u = t − 7 on: a zero bit there means
// that each of those pairs fits some literal of the bucket (its first 15–16 bytes) at 2u or
// 2u+1: a candidate. It over-approximates (lanes shared within a bucket, folded codes) and
// never misses a start. Cost: one load of eight bytes per four pairs, then per pair a shift,
// a mask, a table load, a shift and an OR, and a compare that is almost never true; ~0.3 ns a
// byte. Candidates of a 512-byte block are noted and confirmed after it, so the scan loop
// holds no call.
//
// A candidate start s is confirmed by walking the automaton from the root over
// input[s..s+K): while the state is the trie node of the bytes read (its depth equals their
// count), its own prefix group is verified (literal-verify.ts); the first byte off the trie
// ends it. That reports exactly the literals starting at s, so all candidates together
// report what the plain walk reports (in start order). Cost per candidate: ≤ 2K table steps
// plus the groups found.
//
// Hostile input (every position a candidate) makes confirmation the cost. When candidates
// exceed one per 64 bytes (plus a slack of 32), the scan stops and hands the rest of the input
// to the plain walk, which reports exactly the literals starting from there. Work stays
// linear: the scan's pass plus at most the slack more confirmations than the density allows.

import { HitHandler, keepsOutput, reportGroup } from "./literal-verify";
import { acStateOf, acStep } from "./aho-corasick-table";

/**
 * Shorter inputs go to the plain walk. On 1,000 literals and prose the front end takes half
 * the time of the plain walk at 16 bytes, a third from 64 bytes on; but on request fields
 * with Datadog's ruleset imported (literals that ordinary words start) its candidates and
 * per-call cost made the heavy request 3–4% slower with a threshold of 16 or 64 bytes, and
 * no slower from 256 (A/B of the same pack with and without the table, CPU side by side).
 * Fields are short; bodies are where the scan pays.
 */
export const FRONT_END_MIN_LEN: u32 = 256;
/** frontEndScan's result when the handler stopped the walk. */
export const FRONT_END_STOPPED: u32 = 0xffffffff;
/** Bytes of the pair table (u64 cells indexed by a pair's bytes & 0x5f5f, 192 KB of which
 *  4,096 cells are ever read); the trie depth per state (u8) follows it. */
export const FRONT_END_TABLE_BYTES: u32 = 0x6000 * 8;

const TOP_ALL_ONES: u64 = 0xff00000000000000;
const CANDIDATE_SLACK: u32 = 32;
const BLOCK_WORDS: u32 = 64; // 512 bytes: at most 256 candidates
const found = memory.data(256 * 8, 16); // per candidate: u32 pair index, u32 top lane
/** `found` is one static buffer: a scan started from inside a hit handler walks plainly. */
let scanning = false;
/** For tests: confirmations of the last scan, and where it handed over (its length if it did not). */
export let lastConfirms: u32 = 0;
export let lastHandover: u32 = 0;

/**
 * The cell of the pair whose 6-bit codes (src/pack/front-end.ts: bits 0–4 of the byte, bit 6
 * as bit 5) are c0 (first byte) and c1: the pair's bytes & 0x5f5f.
 */
@inline export function pairCell(c0: u32, c1: u32): u32 {
  return (c0 & 0x1f) | ((c0 & 0x20) << 1) | ((c1 & 0x1f) << 8) | ((c1 & 0x20) << 9);
}

/**
 * Scans input[0..len) (len ≥ FRONT_END_MIN_LEN) and confirms every candidate. Returns
 * FRONT_END_STOPPED when the handler stopped the walk, `len` when the whole input was
 * covered, or the position from which the plain walk must go on (candidates too dense).
 */
export function frontEndScan(ac: usize, trans: usize, fe: usize, packBase: usize, input: usize, len: u32, onHit: HitHandler, keep: usize = 0): u32 {
  if (scanning) return 0;
  scanning = true;
  lastConfirms = 0;
  const r = scan(ac, trans, fe, packBase, input, len, onHit, keep);
  lastHandover = r;
  scanning = false;
  return r;
}

function scan(ac: usize, trans: usize, fe: usize, packBase: usize, input: usize, len: u32, onHit: HitHandler, keep: usize): u32 {
  let st: u64 = 0xffffffffffffffff;
  let candidates: u32 = 0;
  const words = len >> 3;
  let t: u32 = 0; // pairs read
  for (let i: u32 = 0; i < words; ) {
    // A block of up to BLOCK_WORDS words: candidates (pair index, top lane) are noted in
    // `found`, then confirmed; the scan loop itself stays free of calls.
    const blockEnd = min(words, i + BLOCK_WORDS);
    let n: usize = 0;
    for (; i < blockEnd; i++) {
      const x = load<u64>(input + (<usize>i << 3)) & 0x5f5f5f5f5f5f5f5f;
      st = (st << 8) | load<u64>(fe + ((<usize>x & 0xffff) << 3));
      if (st < TOP_ALL_ONES) { note(n, t, st); n++; }
      st = (st << 8) | load<u64>(fe + ((<usize>(x >> 16) & 0xffff) << 3));
      if (st < TOP_ALL_ONES) { note(n, t + 1, st); n++; }
      st = (st << 8) | load<u64>(fe + ((<usize>(x >> 32) & 0xffff) << 3));
      if (st < TOP_ALL_ONES) { note(n, t + 2, st); n++; }
      st = (st << 8) | load<u64>(fe + (<usize>(x >> 48) << 3));
      if (st < TOP_ALL_ONES) { note(n, t + 3, st); n++; }
      t += 4;
    }
    for (let c: usize = 0; c < n; c++) {
      const at = load<u32>(found + (c << 3));
      // Too dense to pay: the plain walk takes over from this candidate's first start.
      if (candidates > (at >> 5) + CANDIDATE_SLACK) return 2 * (at - 7);
      candidates++;
      if (candidate(ac, trans, fe, packBase, input, len, onHit, keep, load<u32>(found + (c << 3), 4), at)) return FRONT_END_STOPPED;
    }
  }
  // The last pairs one at a time, then eight empty pairs (every bucket passes) so that the
  // starts near the end, whose pairs run past the input, are all confirmed.
  const pairs = len >> 1;
  for (let j: u32 = 0; j < 8 + pairs - t; j++) {
    const at = t + j;
    st <<= 8;
    if (at < pairs) st |= load<u64>(fe + (<usize>pairIndex(input + (<usize>at << 1)) << 3));
    if (st < TOP_ALL_ONES && candidate(ac, trans, fe, packBase, input, len, onHit, keep, <u32>(st >> 56), at)) return FRONT_END_STOPPED;
  }
  return len;
}

@inline function note(n: usize, t: u32, st: u64): void {
  store<u32>(found + (n << 3), t);
  store<u32>(found + (n << 3), <u32>(st >> 56), 4);
}

@inline function pairIndex(p: usize): u32 {
  return <u32>load<u16>(p) & 0x5f5f;
}

/**
 * The top lane after pair `t` has a zero bit: confirms start 2u (buckets 0–3) and 2u+1
 * (buckets 4–7), u = t − 7. True when the handler stopped the walk.
 */
function candidate(ac: usize, trans: usize, fe: usize, packBase: usize, input: usize, len: u32, onHit: HitHandler, keep: usize, top: u32, t: u32): bool {
  const s = (t - 7) << 1;
  if ((top & 0x0f) != 0x0f && s < len && confirm(ac, trans, fe, packBase, input, s, len, onHit, keep)) return true;
  return (top & 0xf0) != 0xf0 && s + 1 < len && confirm(ac, trans, fe, packBase, input, s + 1, len, onHit, keep);
}

/** Reports every literal starting at `s`: the automaton from the root while on the trie. */
function confirm(ac: usize, trans: usize, fe: usize, packBase: usize, input: usize, s: u32, len: u32, onHit: HitHandler, keep: usize): bool {
  lastConfirms++;
  const firstOut = load<u32>(ac + 8);
  const outs = ac + load<u32>(ac + 20);
  const depths = fe + FRONT_END_TABLE_BYTES;
  const end = min(len, s + load<u32>(ac + 28));
  let cell: u32 = 0;
  for (let i = s; i < end; i++) {
    cell = acStep(trans, cell, input + i);
    const state = acStateOf(trans, cell);
    if (<u32>load<u8>(depths + state) != i + 1 - s) return false; // off the trie
    if (state >= firstOut && keepsOutput(keep, state, firstOut)) {
      const group = load<u32>(outs + <usize>(state - firstOut) * 8);
      if (group != 0 && reportGroup(packBase + group, packBase, input, i + 1, len, onHit)) return true;
    }
  }
  return false;
}
