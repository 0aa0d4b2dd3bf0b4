// lowercase / uppercase: ASCII letters only, like ModSecurity (bytes >= 0x80 are left alone,
// so UTF-8 stays valid). Output length == input length (truncated to cap).
// Byte-local, so 16 bytes per step: letters are the lanes where (v - base) <u 26.

function flipCase(src: usize, len: u32, dst: usize, cap: u32, base: u8): u32 {
  const n = len < cap ? len : cap;
  const vBase = i8x16.splat(<i8>base);
  const v26 = i8x16.splat(26);
  const vBit = i8x16.splat(0x20);
  let i: u32 = 0;
  while (i + 16 <= n) {
    const v = v128.load(src + i);
    const isLetter = i8x16.lt_u(i8x16.sub(v, vBase), v26);
    v128.store(dst + i, v128.xor(v, v128.and(isLetter, vBit)));
    i += 16;
  }
  while (i < n) {
    const c = <u32>load<u8>(src + i);
    store<u8>(dst + i, <u8>(c - base < 26 ? c ^ 0x20 : c));
    i++;
  }
  return n;
}

export function lowercase(src: usize, len: u32, dst: usize, cap: u32): u32 {
  return flipCase(src, len, dst, cap, 0x41);
}

export function uppercase(src: usize, len: u32, dst: usize, cap: u32): u32 {
  return flipCase(src, len, dst, cap, 0x61);
}
