// urlDecode and urlDecodeUni (ModSecurity / Coraza semantics, non-strict):
//  - `%HH` (either case) -> the byte; `+` -> space;
//  - an invalid or truncated escape (`%`, `%4`, `%zz`) is copied unchanged;
//  - urlDecodeUni also decodes `%uHHHH` / `%UHHHH`. Full-width U+FF01–U+FF5E folds to
//    ASCII (as ModSecurity and IIS do). Deliberate difference: other code points are written
//    as UTF-8 (ModSecurity keeps only the low byte), so `unicodeNormalize` can fold them
//    later and `%u00e9` stays "é" instead of becoming the Latin-1 byte E9. A high surrogate
//    followed by `%u` low surrogate is combined; a lone surrogate becomes U+FFFD.
// Output length <= len (3 bytes -> 1, 6 bytes -> at most 3, 12 bytes -> 4).
import { copyUntilAny } from "./plain-run";
import { hexValue } from "./hex-digits";
import { put, putCodePoint, finish, utf16Escape, utf16UsedLow } from "./emit";

const PCT: u8 = 0x25;
const PLUS: u8 = 0x2B;

/** Value of `%uHHHH` at src+i, or -1 if the four hex digits are not all there. */
function uniEscape(src: usize, i: u32, len: u32): i32 {
  if (i + 6 > len) return -1;
  const u = load<u8>(src + i + 1) | 0x20;
  if (u != 0x75) return -1;
  let v: i32 = 0;
  for (let k: u32 = 2; k < 6; k++) {
    const h = hexValue(load<u8>(src + i + k));
    if (h < 0) return -1;
    v = (v << 4) | h;
  }
  return v;
}

function decode(src: usize, len: u32, dst: usize, cap: u32, uni: bool): u32 {
  let i: u32 = 0;
  let o: u32 = 0;
  while (i < len && o < cap) {
    const run = copyUntilAny(src + i, len - i, dst + o, cap - o, PCT, PLUS, PCT, PLUS, PLUS);
    i += run;
    o += run;
    if (i >= len || o >= cap) break;
    const c = load<u8>(src + i);
    if (c == PLUS) {
      o = put(dst, o, cap, 0x20);
      i++;
      continue;
    }
    // c == '%'
    if (uni) {
      const cp = uniEscape(src, i, len);
      if (cp >= 0) {
        i += 6;
        const joined = utf16Escape(cp, cp >= 0xD800 && cp <= 0xDBFF ? uniEscape(src, i, len) : -1);
        if (utf16UsedLow) i += 6;
        o = putCodePoint(dst, o, cap, joined);
        continue;
      }
    }
    if (i + 2 < len) {
      const hi = hexValue(load<u8>(src + i + 1));
      const lo = hexValue(load<u8>(src + i + 2));
      if ((hi | lo) >= 0) {
        o = put(dst, o, cap, <u32>((hi << 4) | lo));
        i += 3;
        continue;
      }
    }
    o = put(dst, o, cap, PCT);
    i++;
  }
  return finish(o, cap);
}

export function urlDecode(src: usize, len: u32, dst: usize, cap: u32): u32 {
  return decode(src, len, dst, cap, false);
}

export function urlDecodeUni(src: usize, len: u32, dst: usize, cap: u32): u32 {
  return decode(src, len, dst, cap, true);
}
