// The literal prefilter walk: one u16 table lookup per input byte over an Aho–Corasick DFA
// built on literal prefixes (src/pack/aho-corasick.ts; layout in src/pack/format.ts). The
// image carries the trie; the dense table was derived at activation (aho-corasick-derive.ts;
// layout in aho-corasick-table.ts). The walks hold a state as its cell (its row's offset in
// 32-byte units) and turn it back into its number only at an output. States with an output
// are numbered last, so the inner loop compares the cell with one bound. A prefix hit is
// verified by literal-verify.ts.
//
// Cost, 100-byte header values of the heavy request (the literalScan export, plain walk,
// CPU, engines interleaved, min over rounds): 1.49 ns a byte with a cell holding the state's
// number (each step multiplied it by the class count on the chain of dependent loads); 1.36
// with cells as row offsets; 1.10 with the four-way loop below on pointers; 1.08 with its
// warm-up one byte shorter.
//
// Long inputs go through the shift-or front end first (front-end.ts) when the automaton has
// one: it skips positions where no literal can start at ~0.3 ns a byte and confirms the rest
// with this automaton; it hands the rest of the input back to the walks below when candidates
// come too often for it to pay.

import { FRONT_END_MIN_LEN, FRONT_END_STOPPED, frontEndScan } from "./front-end";
import { frontEndOf } from "./front-end-install";
import { HitHandler, reportState } from "./literal-verify";
import { AC_FIRST_OUT_CELL_AT, acStateOf, acStep, acStepMapped } from "./aho-corasick-table";

export { HitHandler } from "./literal-verify";

/**
 * Walks `len` bytes at `input` with the automaton at `ac` and its dense table `trans`;
 * `packBase` resolves offsets. Output states that `keep` drops (literal-verify.ts
 * keepsOutput; 0 keeps all) are not reported. True if the handler stopped it.
 */
export function acWalk(ac: usize, trans: usize, packBase: usize, input: usize, len: u32, onHit: HitHandler, keep: usize = 0): bool {
  if (len < load<u32>(ac + 24)) return false; // shorter than every literal
  let from: u32 = 0;
  if (len >= FRONT_END_MIN_LEN) {
    const fe = frontEndOf(trans);
    if (fe != 0) {
      from = frontEndScan(ac, trans, fe, packBase, input, len, onHit, keep);
      if (from == FRONT_END_STOPPED) return true;
      if (from >= len) return false;
    }
  }
  return acWalkFrom(ac, trans, packBase, input, from, len, onHit, keep);
}

/** The walk without the front end, over input[from..len): literals starting at or after `from`. */
export function acWalkFrom(ac: usize, trans: usize, packBase: usize, input: usize, from: u32, len: u32, onHit: HitHandler, keep: usize = 0): bool {
  if (len - from >= STREAMS_MIN_LEN) return walkFour(ac, trans, packBase, input, from, len, onHit, false, keep);
  if (len - from >= ORDERED_MIN_LEN && len - from >= load<u32>(ac + 28) << 2 && !deferring) {
    deferring = true;
    const r = walkFour(ac, trans, packBase, input, from, len, onHit, true, keep);
    deferring = false;
    return r;
  }
  return walkOne(ac, trans, packBase, input, from, len, onHit, keep);
}

/**
 * walkFour's ordered mode, for inputs of 20 to 63 bytes (and at least 4K): four interleaved
 * walks as below, twice as fast as one here, but whose output states are noted instead of
 * reported. Each walk covers one
 * quarter in order, so its notes are in input order, and the quarters' notes one after the
 * other are in one walk's order: they are reported so once the walks are done, with the
 * same hits in the same order as one walk (hits decide which rule fires first). A walk with
 * more notes than its buffer holds hands the input to one walk: nothing was reported yet.
 * The buffers are static: a walk started from a hit handler (a chain condition's automaton)
 * walks plainly. A 39-byte path and query: 98 → 74 ns; a 63-byte Accept: 162 → 100 ns.
 */
const ORDERED_MIN_LEN: u32 = 20;
const NOTES_PER_WALK: u32 = 16;
const notes = memory.data(4 * 16 * 8, 16); // per walk: NOTES_PER_WALK × (u32 state, u32 end)
let deferring = false;

/** Notes walk `w`'s output state after input byte end - 1; returns its new note count (past the buffer: counted only). */
// @ts-ignore: decorator
@inline function note(w: u32, n: u32, state: u32, end: u32): u32 {
  if (n < NOTES_PER_WALK) {
    const at = notes + ((<usize>w * NOTES_PER_WALK + n) << 3);
    store<u32>(at, state);
    store<u32>(at, end, 4);
  }
  return n + 1;
}

function reportNotes(w: u32, n: u32, firstOut: u32, outs: usize, packBase: usize, input: usize, len: u32, onHit: HitHandler, keep: usize): bool {
  for (let i: u32 = 0; i < n; i++) {
    const at = notes + ((<usize>w * NOTES_PER_WALK + i) << 3);
    if (reportState(load<u32>(at), firstOut, outs, packBase, input, load<u32>(at, 4), len, onHit, keep)) return true;
  }
  return false;
}

/**
 * One walk over input[from..len), from the root: it reports every literal starting at or
 * after `from` (anchors and bounds are still judged against the whole input).
 */
function walkOne(ac: usize, trans: usize, packBase: usize, input: usize, from: u32, len: u32, onHit: HitHandler, keep: usize): bool {
  const firstOut = load<u32>(ac + 8);
  const firstOutCell = load<u32>(trans + AC_FIRST_OUT_CELL_AT);
  const outs = ac + load<u32>(ac + 20);
  let s: u32 = 0; // the state's cell
  for (let i = from; i < len; i++) {
    s = acStep(trans, s, input + i);
    if (s >= firstOutCell && reportState(acStateOf(trans, s), firstOut, outs, packBase, input, i + 1, len, onHit, keep)) return true;
  }
  return false;
}

/**
 * Inputs of 64 bytes and more: four walks over four quarters, interleaved in one loop. One
 * walk is a chain of dependent loads (each state needs the one before), so a single walk
 * leaves the CPU waiting on memory; four independent chains overlap. The state after a byte
 * depends only on the last K bytes (the trie holds prefixes of at most K bytes), so a
 * quarter's walk starts K − 1 bytes early from the root, reports nothing for those bytes,
 * and is exact from its first byte on (a trie node ending there extends one of at most K − 1
 * bytes ending on the byte before, which the warm-up has read; 3 steps fewer than K bytes,
 * of 115 for a 100-byte value at K = 5). Every prefix end is reported by exactly one walk;
 * hits arrive in a different order than in one walk, which changes no verdict. From 64
 * bytes (a user agent, a sentence) it pays side by side: −2% on an ordinary GET, −3 to −7%
 * on the heavy request (100-byte values) against a 1 KB threshold. With `ordered`, hits are
 * noted and reported afterwards in one walk's order (see above). The loop runs on pointers
 * (fewer live values than four indices) and tests the four cells' OR against the first
 * output cell before each one (an OR is ≥ each of them): 100-byte values 1.36 → 1.10 ns a
 * byte (literalScan, CPU, engines interleaved).
 */
const STREAMS_MIN_LEN: u32 = 64; // quarters of ≥ 16 bytes ≥ K (validation keeps K ≤ 16)

// @ts-ignore: decorator -- inlined at its two call sites, so each copy folds `ordered` away
@inline function walkFour(ac: usize, trans: usize, packBase: usize, input: usize, from: u32, len: u32, onHit: HitHandler, ordered: bool, keep: usize): bool {
  const firstOut = load<u32>(ac + 8);
  const firstOutCell = load<u32>(trans + AC_FIRST_OUT_CELL_AT);
  const k = <usize>load<u32>(ac + 28) - 1; // the warm-up (validation keeps K ≥ 1)
  const outs = ac + load<u32>(ac + 20);
  const q = <usize>((len - from) >> 2); // ≥ K (the callers check)
  // Pointers, not indices: fewer live values in the loop (positions are recomputed on a hit).
  let p0 = input + from;
  let p1 = p0 + q - k;
  let p2 = p1 + q;
  let p3 = p2 + q;
  let s0: u32 = 0;
  let s1: u32 = 0;
  let s2: u32 = 0;
  let s3: u32 = 0;
  for (let w: usize = 0; w < k; w++) {
    s1 = acStep(trans, s1, p1);
    s2 = acStep(trans, s2, p2);
    s3 = acStep(trans, s3, p3);
    p1++;
    p2++;
    p3++;
  }
  // Notes per walk (ordered only). `ordered` is read only at an output state, off the fast path.
  let n0: u32 = 0;
  let n1: u32 = 0;
  let n2: u32 = 0;
  let n3: u32 = 0;
  const end0 = input + from + q;
  while (p0 < end0) {
    s0 = acStep(trans, s0, p0);
    s1 = acStep(trans, s1, p1);
    s2 = acStep(trans, s2, p2);
    s3 = acStep(trans, s3, p3);
    p0++;
    p1++;
    p2++;
    p3++;
    if ((s0 | s1 | s2 | s3) < firstOutCell) continue; // no output state: one test for four
    if (s0 >= firstOutCell) { const i0 = <u32>(p0 - input); if (ordered) n0 = note(0, n0, acStateOf(trans, s0), i0); else if (reportState(acStateOf(trans, s0), firstOut, outs, packBase, input, i0, len, onHit, keep)) return true; }
    if (s1 >= firstOutCell) { const i1 = <u32>(p1 - input); if (ordered) n1 = note(1, n1, acStateOf(trans, s1), i1); else if (reportState(acStateOf(trans, s1), firstOut, outs, packBase, input, i1, len, onHit, keep)) return true; }
    if (s2 >= firstOutCell) { const i2 = <u32>(p2 - input); if (ordered) n2 = note(2, n2, acStateOf(trans, s2), i2); else if (reportState(acStateOf(trans, s2), firstOut, outs, packBase, input, i2, len, onHit, keep)) return true; }
    if (s3 >= firstOutCell) { const i3 = <u32>(p3 - input); if (ordered) n3 = note(3, n3, acStateOf(trans, s3), i3); else if (reportState(acStateOf(trans, s3), firstOut, outs, packBase, input, i3, len, onHit, keep)) return true; }
  }
  for (let i3 = <u32>(p3 - input); i3 < len; i3++) {
    s3 = acStep(trans, s3, input + i3);
    if (s3 >= firstOutCell) { if (ordered) n3 = note(3, n3, acStateOf(trans, s3), i3 + 1); else if (reportState(acStateOf(trans, s3), firstOut, outs, packBase, input, i3 + 1, len, onHit, keep)) return true; }
  }
  if (!ordered || (n0 | n1 | n2 | n3) == 0) return false;
  if (n0 > NOTES_PER_WALK || n1 > NOTES_PER_WALK || n2 > NOTES_PER_WALK || n3 > NOTES_PER_WALK) {
    return walkOne(ac, trans, packBase, input, from, len, onHit, keep);
  }
  return reportNotes(0, n0, firstOut, outs, packBase, input, len, onHit, keep) ||
    reportNotes(1, n1, firstOut, outs, packBase, input, len, onHit, keep) ||
    reportNotes(2, n2, firstOut, outs, packBase, input, len, onHit, keep) ||
    reportNotes(3, n3, firstOut, outs, packBase, input, len, onHit, keep);
}

/** Asked at each output state a deleting walk reaches: true stops the walk, and the state counts. */
export type OutputFilter = (state: u32) => bool;

/**
 * Whether the walk over `input` with the bytes `deleting` deletes removed (ASCII whitespace,
 * or whitespace and `+`) reaches an output state that `counts`, walking `input` itself:
 * `deleting` (aho-corasick-derive.ts acDeriveDeletingMap) maps those bytes to the stay
 * column, which leaves the state as it was. No such state means no literal it counts occurs
 * in that value, so a class whose walk input it is has no hit there, and the engine need not
 * compute the copy (inspect.ts skipDeletingLeader counts the states with a literal of that
 * class: literal-verify.ts stateHasRule). An output state is not verified here: the caller then takes the ordinary
 * path, which computes the copy and walks it. `counts` is the loop's one extra live value.
 *
 * From 20 bytes (and 4K) four walks run interleaved, as in walkFour: each quarter's walk
 * first reads, from the root, the K − 1 bytes that are not deleted before its quarter (a state depends
 * only on the last K bytes of the value walked, here the one without them), so it is exact
 * from its quarter's first byte on; outputs during that warm-up are the previous quarter's to
 * find and are not looked at. Cost: one table lookup per input byte, whitespace included.
 */
export function acReachesOutputDeleting(ac: usize, trans: usize, deleting: usize, input: usize, len: u32, counts: OutputFilter): bool {
  const firstOutCell = load<u32>(trans + AC_FIRST_OUT_CELL_AT);
  if (len < ORDERED_MIN_LEN || len < load<u32>(ac + 28) << 2) {
    let s: u32 = 0;
    for (let i: u32 = 0; i < len; i++) {
      s = acStepMapped(trans, deleting, s, input + i);
      if (s >= firstOutCell && counts(acStateOf(trans, s))) return true;
    }
    return false;
  }
  const k = load<u32>(ac + 28) - 1;
  const q = <usize>(len >> 2);
  let p0 = input;
  let p1 = input + q;
  let p2 = p1 + q;
  let p3 = p2 + q;
  let s0: u32 = 0;
  let s1 = warmUp(trans, deleting, input, p1, k);
  let s2 = warmUp(trans, deleting, input, p2, k);
  let s3 = warmUp(trans, deleting, input, p3, k);
  const end0 = p1;
  while (p0 < end0) {
    s0 = acStepMapped(trans, deleting, s0, p0);
    s1 = acStepMapped(trans, deleting, s1, p1);
    s2 = acStepMapped(trans, deleting, s2, p2);
    s3 = acStepMapped(trans, deleting, s3, p3);
    p0++;
    p1++;
    p2++;
    p3++;
    if ((s0 | s1 | s2 | s3) < firstOutCell) continue; // no output state: one test for four
    if (s0 >= firstOutCell && counts(acStateOf(trans, s0))) return true;
    if (s1 >= firstOutCell && counts(acStateOf(trans, s1))) return true;
    if (s2 >= firstOutCell && counts(acStateOf(trans, s2))) return true;
    if (s3 >= firstOutCell && counts(acStateOf(trans, s3))) return true;
  }
  const end = input + len;
  while (p3 < end) {
    s3 = acStepMapped(trans, deleting, s3, p3);
    p3++;
    if (s3 >= firstOutCell && counts(acStateOf(trans, s3))) return true;
  }
  return false;
}

/**
 * The state at `at` of a deleting walk from the root over the K − 1 bytes before `at` that
 * the map keeps (fewer at the input's start). A byte is deleted when it reads the stay
 * column, as the space always does; no kept byte reads it (it is a padding cell).
 */
function warmUp(trans: usize, deleting: usize, input: usize, at: usize, k: u32): u32 {
  const stay = load<u32>(deleting + (0x20 << 2));
  let from = at;
  let kept: u32 = 0;
  while (from > input && kept < k) {
    from--;
    if (load<u32>(deleting + (<usize>load<u8>(from) << 2)) != stay) kept++;
  }
  let s: u32 = 0;
  for (let p = from; p < at; p++) s = acStepMapped(trans, deleting, s, p);
  return s;
}
