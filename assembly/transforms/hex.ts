// hexDecode and sqlHexDecode.
//  - hexDecode: each pair of hex digits (either case) -> one byte. Deliberate difference:
//    ModSecurity decodes blindly (garbage for non-hex, drops an odd last digit) and Coraza
//    returns the input unchanged on any error; we decode every complete pair and copy any
//    other byte (a non-hex byte, or a hex digit without a partner) unchanged, so a value
//    that merely contains hex is still decoded and nothing is lost.
//  - sqlHexDecode (ModSecurity): `0x` / `0X` followed by at least one pair of hex digits ->
//    the decoded bytes (pairs continue while two hex digits follow; an odd last digit is
//    copied); everything else unchanged. `SELECT 0x61646d696e` -> `SELECT admin`.
// Output length <= len for both.
import { hexValue } from "./hex-digits";
import { copyUntilAny } from "./plain-run";

/**
 * Decodes 16 hex digits at src into 8 bytes at dst; returns false (writing nothing) if any
 * of the 16 bytes is not a hex digit.
 */
@inline function decode16(src: usize, dst: usize): bool {
  const v = v128.load(src);
  const digit = i8x16.sub(v, i8x16.splat(0x30));
  const isDigit = i8x16.lt_u(digit, i8x16.splat(10));
  const letter = i8x16.sub(v128.or(v, i8x16.splat(0x20)), i8x16.splat(0x61));
  const isLetter = i8x16.lt_u(letter, i8x16.splat(6));
  if (i8x16.bitmask(v128.or(isDigit, isLetter)) != 0xFFFF) return false;
  const nibbles = v128.bitselect(digit, i8x16.add(letter, i8x16.splat(10)), isDigit);
  // Little-endian u16 lanes hold (high digit | low digit << 8): byte = high << 4 | low.
  const pairs = v128.or(i16x8.shl(v128.and(nibbles, i16x8.splat(0xFF)), 4), i16x8.shr_u(nibbles, 8));
  store<u64>(dst, i64x2.extract_lane(i8x16.narrow_i16x8_u(pairs, pairs), 0));
  return true;
}

export function hexDecode(src: usize, len: u32, dst: usize, cap: u32): u32 {
  let i: u32 = 0;
  let o: u32 = 0;
  while (i < len && o < cap) {
    // Runs of hex digits (the common case: the whole value is hex) go 16 digits at a time.
    while (i + 16 <= len && o + 8 <= cap && decode16(src + i, dst + o)) {
      i += 16;
      o += 8;
    }
    if (i >= len || o >= cap) break;
    const hi = hexValue(load<u8>(src + i));
    if (hi >= 0 && i + 1 < len) {
      const lo = hexValue(load<u8>(src + i + 1));
      if (lo >= 0) {
        store<u8>(dst + o, <u8>((hi << 4) | lo));
        o++;
        i += 2;
        continue;
      }
    }
    store<u8>(dst + o, load<u8>(src + i));
    o++;
    i++;
  }
  return o;
}

export function sqlHexDecode(src: usize, len: u32, dst: usize, cap: u32): u32 {
  let i: u32 = 0;
  let o: u32 = 0;
  while (i < len && o < cap) {
    const run = copyUntilAny(src + i, len - i, dst + o, cap - o, 0x30, 0x30, 0x30, 0x30, 0x30);
    i += run;
    o += run;
    if (i >= len || o >= cap) break;
    const c = load<u8>(src + i);
    if (c == 0x30 && i + 3 < len && (load<u8>(src + i + 1) | 0x20) == 0x78 &&
        hexValue(load<u8>(src + i + 2)) >= 0 && hexValue(load<u8>(src + i + 3)) >= 0) {
      i += 2;
      while (i + 1 < len && o < cap) {
        const hi = hexValue(load<u8>(src + i));
        const lo = hexValue(load<u8>(src + i + 1));
        if ((hi | lo) < 0) break;
        store<u8>(dst + o, <u8>((hi << 4) | lo));
        o++;
        i += 2;
      }
      continue;
    }
    store<u8>(dst + o, c);
    o++;
    i++;
  }
  return o;
}
