// Equality of two byte ranges, 16 bytes a step. `memory.compare` (AssemblyScript's memcmp)
// goes eight bytes at a time only when both pointers share their alignment mod 8, and byte
// by byte otherwise, which is the usual case here: field values sit at any offset of the
// arena, transformed values at the start of scratch buffers. The hot path only ever asks
// "equal or not" (the dedupe of transformed inputs, name lookups, the verdict cache), so
// this answers that with unaligned SIMD loads (cheap in Wasm and on every target CPU) and
// no ordering. Reads stay inside [a, a + n) and [b, b + n): a tail shorter than a step is
// compared by one last step that ends at n and overlaps the step before it.

/** Whether the `n` bytes at `a` equal the `n` bytes at `b`. */
export function bytesEqual(a: usize, b: usize, n: u32): bool {
  if (a == b) return true;
  if (n >= 16) {
    const end = <usize>n - 16;
    let i: usize = 0;
    for (; i < end; i += 16) {
      if (v128.any_true(v128.xor(v128.load(a + i), v128.load(b + i)))) return false;
    }
    return !v128.any_true(v128.xor(v128.load(a + end), v128.load(b + end)));
  }
  if (n >= 8) {
    const end = <usize>n - 8;
    return load<u64>(a) == load<u64>(b) && load<u64>(a + end) == load<u64>(b + end);
  }
  if (n >= 4) {
    const end = <usize>n - 4;
    return load<u32>(a) == load<u32>(b) && load<u32>(a + end) == load<u32>(b + end);
  }
  for (let i: u32 = 0; i < n; i++) if (load<u8>(a + i) != load<u8>(b + i)) return false;
  return true;
}
