// Exports of this concern; see assembly/index.ts.
import { dfaIsMatch } from "./dfa";

export const matcherExports: i32 = 0;

export { dfaIsMatch, dfaLastConsumed } from "./dfa";

/** Test/bench wrapper: 1 when the DFA table at `tablePtr` matches input[0..len), else 0. */
export function dfaMatch(tablePtr: usize, inputPtr: usize, len: u32): i32 {
  return dfaIsMatch(tablePtr, inputPtr, len) ? 1 : 0;
}
