// A transform chain: ids applied in order, ping-ponging between two buffers.
//
// The chain is the bytes at chainPtr, read up to chainLen bytes, MAX_CHAIN ids or the first
// 0 (T_NONE), whichever comes first (so a bad length cannot run away).
// The destinations are planned backwards so the LAST step writes bufA: with k steps, step 1
// writes bufA when k is odd and bufB when k is even. So the result is always in bufA, with
// no final copy. If src is the buffer step 1 would write (possible when the caller already
// staged the value in bufA/bufB), src is first copied to the other buffer. An empty chain
// copies src to bufA. Every step respects cap; the result length is returned.
import { runTransform } from "./index";
import { MAX_CHAIN } from "../abi";

export function runChain(chainPtr: usize, chainLen: u32, src: usize, len: u32, bufA: usize, bufB: usize, cap: u32): u32 {
  let steps: u32 = 0;
  const limit = chainLen < MAX_CHAIN ? chainLen : MAX_CHAIN;
  while (steps < limit && load<u8>(chainPtr + steps) != 0) steps++;
  if (steps == 0) {
    const n = len < cap ? len : cap;
    if (src != bufA) memory.copy(bufA, src, n);
    return n;
  }
  let out = (steps & 1) == 1 ? bufA : bufB;
  let other = out == bufA ? bufB : bufA;
  if (src == out) {
    const n = len < cap ? len : cap;
    memory.copy(other, src, n);
    src = other;
    len = n;
  }
  for (let k: u32 = 0; k < steps; k++) {
    len = runTransform(<u32>load<u8>(chainPtr + k), src, len, out, cap);
    src = out;
    out = other;
    other = src;
  }
  return len;
}
