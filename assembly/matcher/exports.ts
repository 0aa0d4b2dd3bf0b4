// Exports of this concern; see assembly/index.ts.
import { dfaIsMatch } from "./dfa";
import { holdsAnyByte } from "./byte-set";

export const matcherExports: i32 = 0;

export { dfaIsMatch, dfaLastConsumed } from "./dfa";

/** Test/bench wrapper: 1 when the DFA table at `tablePtr` matches input[0..len), else 0. */
export function dfaMatch(tablePtr: usize, inputPtr: usize, len: u32): i32 {
  return dfaIsMatch(tablePtr, inputPtr, len) ? 1 : 0;
}

/** Test wrapper: 1 when input[0..len) holds a byte of the 32-byte set at `setPtr` (byte-set.ts). */
export function byteSetHolds(setPtr: usize, inputPtr: usize, len: u32): i32 {
  return holdsAnyByte(setPtr, inputPtr, len) ? 1 : 0;
}
