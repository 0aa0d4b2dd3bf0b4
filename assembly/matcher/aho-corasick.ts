// The literal prefilter walk: one u16 table lookup per input byte (cell = next state id) over an Aho–Corasick DFA
// built on literal prefixes (src/pack/aho-corasick.ts; layout in src/pack/format.ts). The
// image carries the trie; the dense table was derived at activation (aho-corasick-derive.ts).
// States with an output are numbered last, so the inner loop compares the state with one
// bound. A prefix hit verifies the rest of each literal sharing the prefix (folded), then
// checks each rule hit's anchors and, for case-sensitive literals, the exact bytes.

import { HIT_ANCHOR_END, HIT_ANCHOR_START, HIT_CASE_SENSITIVE } from "../pack-layout";

/** Called for every literal hit that passes its checks; return true to stop the walk. */
export type HitHandler = (rule: u32, flags: u32, start: u32, end: u32) => bool;

@inline function fold(b: u32): u32 { return b - 0x41 < 26 ? b | 0x20 : b; }

/** The state after reading the byte at `p` in state `s`: one dense-table lookup. */
@inline function step(trans: usize, classes: usize, cmap: usize, s: u32, p: usize): u32 {
  return <u32>load<u16>(trans + ((<usize>s * classes + load<u8>(cmap + load<u8>(p))) << 1));
}

/**
 * Walks `len` bytes at `input` with the automaton at `ac` and its dense table `trans`;
 * `packBase` resolves offsets. True if the handler stopped it.
 */
export function acWalk(ac: usize, trans: usize, packBase: usize, input: usize, len: u32, onHit: HitHandler): bool {
  if (len < load<u32>(ac + 24)) return false; // shorter than every literal
  if (len >= STREAMS_MIN_LEN) return walkFourStreams(ac, trans, packBase, input, len, onHit);
  const classes = <usize>load<u32>(ac + 4);
  const firstOut = load<u32>(ac + 8);
  const cmap = ac + 32;
  const outs = ac + load<u32>(ac + 20);
  let s: u32 = 0;
  for (let i: u32 = 0; i < len; i++) {
    s = step(trans, classes, cmap, s, input + i);
    if (s >= firstOut && report(s, firstOut, outs, packBase, input, i + 1, len, onHit)) return true;
  }
  return false;
}

/**
 * Inputs of 64 bytes and more: four walks over four quarters, interleaved in one loop. One
 * walk is a chain of dependent loads (each state needs the one before), so a single walk
 * leaves the CPU waiting on memory; four independent chains overlap. The state after a byte
 * depends only on the last K bytes (the trie holds prefixes of at most K bytes), so a
 * quarter's walk starts K bytes early from the root, reports nothing for those K bytes, and
 * is exact from its first byte on. Every prefix end is reported by exactly one walk; hits
 * arrive in a different order than in one walk, which changes no verdict. From 64 bytes
 * (a user agent, a sentence) it pays side by side: −2% on an ordinary GET, −3 to −7% on the
 * heavy request (100-byte values) against a 1 KB threshold.
 */
const STREAMS_MIN_LEN: u32 = 64; // quarters of ≥ 16 bytes ≥ K (validation keeps K ≤ 16)

function walkFourStreams(ac: usize, trans: usize, packBase: usize, input: usize, len: u32, onHit: HitHandler): bool {
  const classes = <usize>load<u32>(ac + 4);
  const firstOut = load<u32>(ac + 8);
  const k = load<u32>(ac + 28);
  const cmap = ac + 32;
  const outs = ac + load<u32>(ac + 20);
  const q = len >> 2; // ≥ 16 ≥ K (K ≤ 16, checked at validation)
  let i0: u32 = 0;
  let i1: u32 = q - k;
  let i2: u32 = 2 * q - k;
  let i3: u32 = 3 * q - k;
  let s0: u32 = 0;
  let s1: u32 = 0;
  let s2: u32 = 0;
  let s3: u32 = 0;
  for (let w: u32 = 0; w < k; w++) {
    s1 = step(trans, classes, cmap, s1, input + i1);
    s2 = step(trans, classes, cmap, s2, input + i2);
    s3 = step(trans, classes, cmap, s3, input + i3);
    i1++;
    i2++;
    i3++;
  }
  for (let n: u32 = 0; n < q; n++) {
    s0 = step(trans, classes, cmap, s0, input + i0);
    s1 = step(trans, classes, cmap, s1, input + i1);
    s2 = step(trans, classes, cmap, s2, input + i2);
    s3 = step(trans, classes, cmap, s3, input + i3);
    i0++;
    i1++;
    i2++;
    i3++;
    if (s0 >= firstOut && report(s0, firstOut, outs, packBase, input, i0, len, onHit)) return true;
    if (s1 >= firstOut && report(s1, firstOut, outs, packBase, input, i1, len, onHit)) return true;
    if (s2 >= firstOut && report(s2, firstOut, outs, packBase, input, i2, len, onHit)) return true;
    if (s3 >= firstOut && report(s3, firstOut, outs, packBase, input, i3, len, onHit)) return true;
  }
  for (; i3 < len; i3++) {
    s3 = step(trans, classes, cmap, s3, input + i3);
    if (s3 >= firstOut && report(s3, firstOut, outs, packBase, input, i3 + 1, len, onHit)) return true;
  }
  return false;
}

/** Reports the state's prefix group and every group on its dictionary-suffix chain. */
function report(state: u32, firstOutState: u32, outs: usize, packBase: usize, input: usize, prefixEnd: u32, len: u32, onHit: HitHandler): bool {
  let rec = outs + <usize>(state - firstOutState) * 8;
  while (true) {
    const group = load<u32>(rec);
    if (group != 0 && reportGroup(packBase + group, packBase, input, prefixEnd, len, onHit)) return true;
    const dict = load<u32>(rec + 4);
    if (dict == 0xffffffff) return false;
    rec = outs + <usize>(dict - firstOutState) * 8;
  }
  return false;
}

function reportGroup(group: usize, packBase: usize, input: usize, prefixEnd: u32, len: u32, onHit: HitHandler): bool {
  const members = load<u32>(group);
  const depth = load<u32>(group + 4);
  const start = prefixEnd - depth;
  for (let m: u32 = 0; m < members; m++) {
    const pat = packBase + load<u32>(group + 8 + <usize>m * 4);
    const plen = load<u32>(pat);
    if (<u64>start + plen > <u64>len) continue;
    if (plen > depth) {
      // Verify the rest of the literal, case-folded.
      const lit = packBase + load<u32>(pat + 12);
      let k = depth;
      while (k < plen && fold(<u32>load<u8>(input + start + k)) == <u32>load<u8>(lit + k)) k++;
      if (k < plen) continue;
    }
    const end = start + plen;
    const hits = packBase + load<u32>(pat + 4);
    const count = load<u32>(pat + 8);
    for (let h: u32 = 0; h < count; h++) {
      const hit = hits + <usize>h * 12;
      const flags = load<u32>(hit + 4);
      if ((flags & HIT_ANCHOR_START) != 0 && start != 0) continue;
      if ((flags & HIT_ANCHOR_END) != 0 && end != len) continue;
      if ((flags & HIT_CASE_SENSITIVE) != 0 && memory.compare(input + start, packBase + load<u32>(hit + 8), plen) != 0) continue;
      if (onHit(load<u32>(hit), flags, start, end)) return true;
    }
  }
  return false;
}
