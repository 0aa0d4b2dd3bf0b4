// Exports of this concern; see assembly/index.ts.
import { dfaIsMatch } from "./dfa";
import { acReachesOutputDeleting, acWalk, acWalkFrom } from "./aho-corasick";
import { AC_FIRST_OUT_CELL_AT, acStep } from "./aho-corasick-table";
import { AC_DELETING_MAP_BYTES } from "./aho-corasick-derive";
import { lastConfirms, lastHandover } from "./front-end";
import { frontEndOf } from "./front-end-install";
import { packBase, prefilterAc, prefilterDeleting, prefilterTable } from "../pack";
import { holdsAnyByte } from "./byte-set";

export const matcherExports: i32 = 0;

export { dfaIsMatch, dfaLastConsumed } from "./dfa";

/** Test/bench wrapper: 1 when the DFA table at `tablePtr` matches input[0..len), else 0. */
export function dfaMatch(tablePtr: usize, inputPtr: usize, len: u32): i32 {
  return dfaIsMatch(tablePtr, inputPtr, len) ? 1 : 0;
}

let hitsOut: usize = 0;
let hitsCap: u32 = 0;
let hitsSeen: u32 = 0;
function noteHit(rule: u32, flags: u32, start: u32, end: u32): bool {
  if (hitsSeen < hitsCap) {
    const at = hitsOut + <usize>hitsSeen * 12;
    store<u32>(at, rule);
    store<u32>(at, start, 4);
    store<u32>(at, end, 8);
  }
  hitsSeen++;
  return false;
}

/**
 * For tests: walks the active pack's literal automaton over input[0..len) — through the
 * front end when it has one and `plain` is 0, else the plain walk — and writes up to `cap`
 * hits as u32 (rule, start, end) at `out`. Returns the number of hits.
 */
export function literalScan(ptr: usize, len: u32, out: usize, cap: u32, plain: u32): u32 {
  hitsOut = out;
  hitsCap = cap;
  hitsSeen = 0;
  if (prefilterAc == 0) return 0;
  if (plain != 0) acWalkFrom(prefilterAc, prefilterTable, packBase, ptr, 0, len, noteHit);
  else acWalk(prefilterAc, prefilterTable, packBase, ptr, len, noteHit);
  return hitsSeen;
}

function everyOutput(state: u32): bool { return true; }

/**
 * For tests: 1 when the active pack's literal automaton reaches an output state over
 * input[0..len) — with `deleting` 1 by the deleting walk with whitespace read as absent, 2
 * with whitespace and `+` read as absent, else by one plain walk; -1 when the pack has no
 * deleting walk.
 */
export function literalReachesOutput(ptr: usize, len: u32, deleting: u32): i32 {
  if (prefilterAc == 0) return 0;
  if (deleting != 0) {
    if (prefilterDeleting == 0) return -1;
    const map = prefilterDeleting + (deleting == 2 ? AC_DELETING_MAP_BYTES : 0);
    return acReachesOutputDeleting(prefilterAc, prefilterTable, map, ptr, len, everyOutput) ? 1 : 0;
  }
  const firstOutCell = load<u32>(prefilterTable + AC_FIRST_OUT_CELL_AT);
  let s: u32 = 0;
  for (let i: u32 = 0; i < len; i++) {
    s = acStep(prefilterTable, s, ptr + i);
    if (s >= firstOutCell) return 1;
  }
  return 0;
}

/** For tests: 1 when the active pack's literal automaton has a front end. */
export function literalFrontEnd(): u32 {
  return prefilterTable != 0 && frontEndOf(prefilterTable) != 0 ? 1 : 0;
}

/** For tests: the last front-end scan's confirmations and hand-over position. */
export function literalScanConfirms(): u32 { return lastConfirms; }
export function literalScanHandover(): u32 { return lastHandover; }
/** Test wrapper: 1 when input[0..len) holds a byte of the 32-byte set at `setPtr` (byte-set.ts). */
export function byteSetHolds(setPtr: usize, inputPtr: usize, len: u32): i32 {
  return holdsAnyByte(setPtr, inputPtr, len) ? 1 : 0;
}
