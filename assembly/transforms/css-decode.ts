// cssDecode: CSS 2.1 escapes (ModSecurity's t:cssDecode):
//  - `\` + 1–6 hex digits is a code point; one following whitespace byte is part of the
//    escape. Full-width U+FF01–U+FF5E folds to ASCII like ModSecurity; other code points
//    are written as UTF-8 (ModSecurity keeps the low byte). An invalid code point (0,
//    surrogate, > U+10FFFF) becomes U+FFFD when the escape has >= 2 digits, else NUL
//    (so the output never outgrows the input: `\0` is two bytes);
//  - `\` + newline is a line continuation and disappears;
//  - `\` + any other byte is that byte; a final lone `\` is dropped.
// Output length <= len.
import { copyUntilAny } from "./plain-run";
import { hexValue } from "./hex-digits";
import { put, putCodePoint, finish } from "./emit";

const BSL: u8 = 0x5C;

export function cssDecode(src: usize, len: u32, dst: usize, cap: u32): u32 {
  let i: u32 = 0;
  let o: u32 = 0;
  while (i < len && o < cap) {
    const run = copyUntilAny(src + i, len - i, dst + o, cap - o, BSL, BSL, BSL, BSL, BSL);
    i += run;
    o += run;
    if (i >= len || o >= cap) break;
    i++; // the backslash
    if (i >= len) break;
    let j = i;
    let v: u32 = 0;
    while (j < len && j - i < 6) {
      const h = hexValue(load<u8>(src + j));
      if (h < 0) break;
      v = (v << 4) | <u32>h;
      j++;
    }
    const digits = j - i;
    if (digits > 0) {
      if (j < len) {
        const c = <u32>load<u8>(src + j);
        if (c == 0x20 || c - 9 < 5) j++;
      }
      if (v >= 0xFF01 && v <= 0xFF5E) v -= 0xFEE0;
      if (v == 0 || (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF) {
        if (digits >= 2) o = putCodePoint(dst, o, cap, 0xFFFD);
        else o = put(dst, o, cap, 0);
      } else {
        o = putCodePoint(dst, o, cap, v);
      }
      i = j;
      continue;
    }
    const c = load<u8>(src + i);
    i++;
    if (c == 0x0A) continue;
    o = put(dst, o, cap, c);
  }
  return finish(o, cap);
}
