// Exports of the transforms concern (see assembly/index.ts): single transforms and chains
// for tests and benchmarks. The engine itself calls runTransform / runChain directly.
import { runTransform, transformBound } from "./index";
import { runChain } from "./chain";

/** Applies transform `id` to src[0..len) into dst (max cap bytes); returns the length. */
export function transform(id: u32, src: usize, len: u32, dst: usize, cap: u32): u32 {
  return runTransform(id, src, len, dst, cap);
}

/** Applies the chain at chainPtr (chainLen bytes, 0 ends it); the result is in bufA. */
export function transformChain(chainPtr: usize, chainLen: u32, src: usize, len: u32, bufA: usize, bufB: usize, cap: u32): u32 {
  return runChain(chainPtr, chainLen, src, len, bufA, bufB, cap);
}

/** Documented output bound of transform `id` for `len` input bytes (before cap). */
export function transformMaxOutput(id: u32, len: u32): u32 {
  const b = transformBound(id, len);
  return b > <u64>u32.MAX_VALUE ? u32.MAX_VALUE : <u32>b;
}
