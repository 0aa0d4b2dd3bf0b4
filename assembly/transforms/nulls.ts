// removeNulls (drop 0x00) and replaceNulls (0x00 -> space), as in ModSecurity.
// Output length: removeNulls <= len, replaceNulls == len.
import { storeKept } from "./compact";

export function removeNulls(src: usize, len: u32, dst: usize, cap: u32): u32 {
  const zero = i8x16.splat(0);
  let i: u32 = 0;
  let o: u32 = 0;
  // Chunks without a NUL go out whole; a chunk with some is compacted with one swizzle per half.
  while (i + 16 <= len && o + 16 <= cap) {
    const v = v128.load(src + i);
    const nulls = <u32>i8x16.bitmask(i8x16.eq(v, zero));
    if (nulls == 0) {
      v128.store(dst + o, v);
      o += 16;
    } else {
      o += storeKept(v, ~nulls & 0xFFFF, dst + o);
    }
    i += 16;
  }
  while (i < len && o < cap) {
    const c = load<u8>(src + i);
    if (c != 0) { store<u8>(dst + o, c); o++; }
    i++;
  }
  return o;
}

export function replaceNulls(src: usize, len: u32, dst: usize, cap: u32): u32 {
  const n = len < cap ? len : cap;
  const zero = i8x16.splat(0);
  const space = i8x16.splat(0x20);
  let i: u32 = 0;
  while (i + 16 <= n) {
    const v = v128.load(src + i);
    v128.store(dst + i, v128.bitselect(space, v, i8x16.eq(v, zero)));
    i += 16;
  }
  while (i < n) {
    const c = load<u8>(src + i);
    store<u8>(dst + i, c == 0 ? 0x20 : c);
    i++;
  }
  return n;
}
