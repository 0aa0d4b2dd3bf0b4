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

export function hexDecode(src: usize, len: u32, dst: usize, cap: u32): u32 {
  let i: u32 = 0;
  let o: u32 = 0;
  while (i < len && o < cap) {
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
