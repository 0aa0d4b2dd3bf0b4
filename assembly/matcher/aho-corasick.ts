// The literal prefilter walk: one u16 table lookup per input byte (cell = next state id) over an Aho–Corasick DFA
// built on literal prefixes (src/pack/aho-corasick.ts; layout in src/pack/format.ts). The
// image carries the trie; the dense table was derived at activation (aho-corasick-derive.ts).
// States with an output are numbered last, so the inner loop compares the state with one
// bound. A prefix hit is verified by literal-verify.ts.
//
// Long inputs go through the shift-or front end first (front-end.ts) when the automaton has
// one: it skips positions where no literal can start at ~0.3 ns a byte and confirms the rest
// with this automaton; it hands the rest of the input back to the walks below when candidates
// come too often for it to pay.

import { FRONT_END_MIN_LEN, FRONT_END_STOPPED, frontEndScan } from "./front-end";
import { frontEndOf } from "./front-end-install";
import { HitHandler, reportState } from "./literal-verify";

export { HitHandler } from "./literal-verify";

/** The state after reading the byte at `p` in state `s`: one dense-table lookup. */
@inline export function acStep(trans: usize, classes: usize, cmap: usize, s: u32, p: usize): u32 {
  return <u32>load<u16>(trans + ((<usize>s * classes + load<u8>(cmap + load<u8>(p))) << 1));
}

/**
 * Walks `len` bytes at `input` with the automaton at `ac` and its dense table `trans`;
 * `packBase` resolves offsets. True if the handler stopped it.
 */
export function acWalk(ac: usize, trans: usize, packBase: usize, input: usize, len: u32, onHit: HitHandler): bool {
  if (len < load<u32>(ac + 24)) return false; // shorter than every literal
  let from: u32 = 0;
  if (len >= FRONT_END_MIN_LEN) {
    const fe = frontEndOf(trans);
    if (fe != 0) {
      from = frontEndScan(ac, trans, fe, packBase, input, len, onHit);
      if (from == FRONT_END_STOPPED) return true;
      if (from >= len) return false;
    }
  }
  return acWalkFrom(ac, trans, packBase, input, from, len, onHit);
}

/** The walk without the front end, over input[from..len): literals starting at or after `from`. */
export function acWalkFrom(ac: usize, trans: usize, packBase: usize, input: usize, from: u32, len: u32, onHit: HitHandler): bool {
  if (len - from >= STREAMS_MIN_LEN) return walkFourStreams(ac, trans, packBase, input, from, len, onHit);
  return walkOne(ac, trans, packBase, input, from, len, onHit);
}

/**
 * One walk over input[from..len), from the root: it reports every literal starting at or
 * after `from` (anchors and bounds are still judged against the whole input).
 */
function walkOne(ac: usize, trans: usize, packBase: usize, input: usize, from: u32, len: u32, onHit: HitHandler): bool {
  const classes = <usize>load<u32>(ac + 4);
  const firstOut = load<u32>(ac + 8);
  const cmap = ac + 32;
  const outs = ac + load<u32>(ac + 20);
  let s: u32 = 0;
  for (let i = from; i < len; i++) {
    s = acStep(trans, classes, cmap, s, input + i);
    if (s >= firstOut && reportState(s, firstOut, outs, packBase, input, i + 1, len, onHit)) return true;
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

function walkFourStreams(ac: usize, trans: usize, packBase: usize, input: usize, from: u32, len: u32, onHit: HitHandler): bool {
  const classes = <usize>load<u32>(ac + 4);
  const firstOut = load<u32>(ac + 8);
  const k = load<u32>(ac + 28);
  const cmap = ac + 32;
  const outs = ac + load<u32>(ac + 20);
  const q = (len - from) >> 2; // ≥ 16 ≥ K (K ≤ 16, checked at validation)
  let i0: u32 = from;
  let i1: u32 = from + q - k;
  let i2: u32 = from + 2 * q - k;
  let i3: u32 = from + 3 * q - k;
  let s0: u32 = 0;
  let s1: u32 = 0;
  let s2: u32 = 0;
  let s3: u32 = 0;
  for (let w: u32 = 0; w < k; w++) {
    s1 = acStep(trans, classes, cmap, s1, input + i1);
    s2 = acStep(trans, classes, cmap, s2, input + i2);
    s3 = acStep(trans, classes, cmap, s3, input + i3);
    i1++;
    i2++;
    i3++;
  }
  for (let n: u32 = 0; n < q; n++) {
    s0 = acStep(trans, classes, cmap, s0, input + i0);
    s1 = acStep(trans, classes, cmap, s1, input + i1);
    s2 = acStep(trans, classes, cmap, s2, input + i2);
    s3 = acStep(trans, classes, cmap, s3, input + i3);
    i0++;
    i1++;
    i2++;
    i3++;
    if (s0 >= firstOut && reportState(s0, firstOut, outs, packBase, input, i0, len, onHit)) return true;
    if (s1 >= firstOut && reportState(s1, firstOut, outs, packBase, input, i1, len, onHit)) return true;
    if (s2 >= firstOut && reportState(s2, firstOut, outs, packBase, input, i2, len, onHit)) return true;
    if (s3 >= firstOut && reportState(s3, firstOut, outs, packBase, input, i3, len, onHit)) return true;
  }
  for (; i3 < len; i3++) {
    s3 = acStep(trans, classes, cmap, s3, input + i3);
    if (s3 >= firstOut && reportState(s3, firstOut, outs, packBase, input, i3 + 1, len, onHit)) return true;
  }
  return false;
}
