// hexEncode: each byte -> two lowercase hex digits (ModSecurity's t:hexEncode).
// Output length: 2 * len (the only transform besides utf8ToUnicode that expands).
import { hexDigit } from "./hex-digits";

const DIGITS = memory.data<u8>([0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66]);

export function hexEncode(src: usize, len: u32, dst: usize, cap: u32): u32 {
  let o: u32 = 0;
  let i: u32 = 0;
  // 16 bytes -> 32 digits: nibbles looked up with one swizzle each, then interleaved.
  const digits = v128.load(DIGITS);
  const low4 = i8x16.splat(15);
  while (i + 16 <= len && o + 32 <= cap) {
    const v = v128.load(src + i);
    const hi = i8x16.swizzle(digits, v128.and(i16x8.shr_u(v, 4), low4));
    const lo = i8x16.swizzle(digits, v128.and(v, low4));
    v128.store(dst + o, i8x16.shuffle(hi, lo, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23));
    v128.store(dst + o + 16, i8x16.shuffle(hi, lo, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31));
    i += 16;
    o += 32;
  }
  for (; i < len && o + 2 <= cap; i++) {
    const c = <u32>load<u8>(src + i);
    store<u8>(dst + o, hexDigit(c >> 4));
    store<u8>(dst + o + 1, hexDigit(c & 15));
    o += 2;
  }
  // An odd cap gets the first digit of the next byte, so exactly min(2*len, cap) bytes.
  const consumed = o >> 1;
  if (o < cap && consumed < len) {
    store<u8>(dst + o, hexDigit(<u32>load<u8>(src + consumed) >> 4));
    o++;
  }
  return o;
}
