// utf8ToUnicode (ModSecurity's t:utf8toUnicode): every multi-byte UTF-8 sequence becomes
// `%uhhhh` (4 lowercase hex digits), ASCII and invalid bytes are copied unchanged. Overlong
// forms are decoded like ModSecurity does (C0 AF -> `%u002f`), so a following urlDecodeUni
// exposes them. Deliberate difference: code points above U+FFFF are written as a UTF-16
// surrogate pair `%ud83d%ude00` (ModSecurity prints a variable number of digits), which
// urlDecodeUni recombines. Output length <= 3 * len (a 2-byte sequence gives 6 bytes).
import { copyAscii } from "./plain-run";
import { decodeLenient, lenientWidth } from "./utf8-lenient";
import { hexDigit } from "./hex-digits";
import { put, finish } from "./emit";

function putUnit(dst: usize, o: u32, cap: u32, u: u32): u32 {
  o = put(dst, o, cap, 0x25);
  o = put(dst, o, cap, 0x75);
  o = put(dst, o, cap, hexDigit((u >> 12) & 15));
  o = put(dst, o, cap, hexDigit((u >> 8) & 15));
  o = put(dst, o, cap, hexDigit((u >> 4) & 15));
  return put(dst, o, cap, hexDigit(u & 15));
}

export function utf8ToUnicode(src: usize, len: u32, dst: usize, cap: u32): u32 {
  let i: u32 = 0;
  let o: u32 = 0;
  while (i < len && o < cap) {
    const run = copyAscii(src + i, len - i, dst + o, cap - o);
    i += run;
    o += run;
    if (i >= len || o >= cap) break;
    const cp = decodeLenient(src, i, len);
    if (cp < 0) {
      o = put(dst, o, cap, load<u8>(src + i));
      i++;
      continue;
    }
    i += lenientWidth;
    if (cp >= 0x10000) {
      const v = <u32>cp - 0x10000;
      o = putUnit(dst, o, cap, 0xD800 | (v >> 10));
      o = putUnit(dst, o, cap, 0xDC00 | (v & 0x3FF));
    } else {
      o = putUnit(dst, o, cap, <u32>cp);
    }
  }
  return finish(o, cap);
}
