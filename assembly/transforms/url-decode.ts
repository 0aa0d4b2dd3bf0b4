// urlDecode and urlDecodeUni (ModSecurity / Coraza semantics, non-strict):
//  - `%HH` (either case) -> the byte; `+` -> space;
//  - an invalid or truncated escape (`%`, `%4`, `%zz`) is copied unchanged;
//  - urlDecodeUni also decodes `%uHHHH` / `%UHHHH`. Full-width U+FF01–U+FF5E folds to
//    ASCII (as ModSecurity and IIS do). Deliberate difference: other code points are written
//    as UTF-8 (ModSecurity keeps only the low byte), so `unicodeNormalize` can fold them
//    later and `%u00e9` stays "é" instead of becoming the Latin-1 byte E9. A high surrogate
//    followed by `%u` low surrogate is combined; a lone surrogate becomes U+FFFD.
// Output length <= len (3 bytes -> 1, 6 bytes -> at most 3, 12 bytes -> 4).
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

/**
 * The plain runs between escapes are copied 16 bytes at a time in this loop (a whole chunk is
 * stored, the position advances past its plain bytes only): a percent-encoded query escapes
 * every few bytes, and a call per run (copyUntilAny) cost as much as the run. The raw URI of
 * a long query string (a `%20` every six bytes): 0.7 → 0.4 ns a byte.
 */
function decode(src: usize, len: u32, dst: usize, cap: u32, uni: bool): u32 {
  const vPct = i8x16.splat(PCT);
  const vPlus = i8x16.splat(PLUS);
  let i: u32 = 0;
  let o: u32 = 0;
  while (i < len && o < cap) {
    let c: u32;
    if (i + 16 <= len && o + 16 <= cap) {
      const v = v128.load(src + i);
      v128.store(dst + o, v);
      const bits = i8x16.bitmask(v128.or(i8x16.eq(v, vPct), i8x16.eq(v, vPlus)));
      if (bits == 0) {
        i += 16;
        o += 16;
        continue;
      }
      const run = <u32>ctz(bits);
      i += run;
      o += run;
      c = <u32>load<u8>(src + i);
    } else {
      c = <u32>load<u8>(src + i);
      if (c != PCT && c != PLUS) {
        store<u8>(dst + o, <u8>c);
        i++;
        o++;
        continue;
      }
    }
    if (c == PLUS) {
      o = put(dst, o, cap, 0x20);
      i++;
      continue;
    }
    // c == '%'
    if (uni && i + 6 <= len && (load<u8>(src + i + 1) | 0x20) == 0x75) {
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
