// jsDecode: JavaScript string escapes (ModSecurity semantics, extended):
//  - `\uHHHH` (full-width U+FF01–U+FF5E folds to ASCII like ModSecurity; other code points
//    are written as UTF-8 where ModSecurity keeps the low byte; surrogate pairs
//    `\uD83D\uDE00` combine, lone surrogates become U+FFFD);
//  - `\u{H...}` (ES2015, 1–6 hex digits, value <= U+10FFFF) -> UTF-8;
//  - `\xHH`, octal `\OOO` (1–3 digits, value <= 0377);
//  - `\a \b \f \n \r \t \v` -> control bytes; `\0` is octal zero;
//  - any other escaped byte stands for itself (`\'` -> `'`, `\s` -> `s`), as in JS;
//  - a truncated escape (`\u12`, `\x4`, a final `\`) keeps the backslash and the text.
// Output length <= len.
import { copyUntilAny } from "./plain-run";
import { hexValue } from "./hex-digits";
import { put, putCodePoint, finish, utf16Escape, utf16UsedLow } from "./emit";

const BSL: u8 = 0x5C;

/** `\uHHHH` at src+i -> value, or -1. */
function u4(src: usize, i: u32, len: u32): i32 {
  if (i + 6 > len || load<u8>(src + i) != BSL || load<u8>(src + i + 1) != 0x75) return -1;
  let v: i32 = 0;
  for (let k: u32 = 2; k < 6; k++) {
    const h = hexValue(load<u8>(src + i + k));
    if (h < 0) return -1;
    v = (v << 4) | h;
  }
  return v;
}

/** The control byte for a single-letter C escape, or -1. */
export function simpleEscape(c: u32): i32 {
  switch (c) {
    case 0x61: return 0x07; // a
    case 0x62: return 0x08; // b
    case 0x66: return 0x0C; // f
    case 0x6E: return 0x0A; // n
    case 0x72: return 0x0D; // r
    case 0x74: return 0x09; // t
    case 0x76: return 0x0B; // v
  }
  return -1;
}

/**
 * Octal escape at src+j (digits after the backslash): value in the low 16 bits and digit
 * count in the high bits, or -1. At most 3 digits and never above 0377.
 */
export function octalEscape(src: usize, j: u32, len: u32): i32 {
  let v: i32 = 0;
  let n: i32 = 0;
  while (n < 3 && j + <u32>n < len) {
    const c = <u32>load<u8>(src + j + <u32>n);
    if (c - 0x30 >= 8) break;
    const next = (v << 3) | <i32>(c - 0x30);
    if (next > 0xFF) break;
    v = next;
    n++;
  }
  return n == 0 ? -1 : (n << 16) | v;
}

/** `\xHH` at src+i (i at the backslash) -> byte value, or -1. */
export function hexByteEscape(src: usize, i: u32, len: u32): i32 {
  if (i + 4 > len) return -1;
  const hi = hexValue(load<u8>(src + i + 2));
  const lo = hexValue(load<u8>(src + i + 3));
  return (hi | lo) < 0 ? -1 : (hi << 4) | lo;
}

export function jsDecode(src: usize, len: u32, dst: usize, cap: u32): u32 {
  let i: u32 = 0;
  let o: u32 = 0;
  while (i < len && o < cap) {
    const run = copyUntilAny(src + i, len - i, dst + o, cap - o, BSL, BSL, BSL, BSL, BSL);
    i += run;
    o += run;
    if (i >= len || o >= cap) break;
    if (i + 1 >= len) { o = put(dst, o, cap, BSL); i++; break; }
    const e = <u32>load<u8>(src + i + 1);
    if (e == 0x75) {
      const cp = u4(src, i, len);
      if (cp >= 0) {
        i += 6;
        const joined = utf16Escape(cp, cp >= 0xD800 && cp <= 0xDBFF ? u4(src, i, len) : -1);
        if (utf16UsedLow) i += 6;
        o = putCodePoint(dst, o, cap, joined);
        continue;
      }
      // \u{...}
      if (i + 2 < len && load<u8>(src + i + 2) == 0x7B) {
        let j = i + 3;
        let v: u32 = 0;
        while (j < len && j - i - 3 < 6) {
          const h = hexValue(load<u8>(src + j));
          if (h < 0) break;
          v = (v << 4) | <u32>h;
          j++;
        }
        if (j > i + 3 && j < len && load<u8>(src + j) == 0x7D && v <= 0x10FFFF) {
          o = putCodePoint(dst, o, cap, v);
          i = j + 1;
          continue;
        }
      }
      // truncated: keep as is
      o = put(dst, o, cap, BSL);
      i++;
      continue;
    }
    if (e == 0x78) {
      const b = hexByteEscape(src, i, len);
      if (b >= 0) { o = put(dst, o, cap, <u32>b); i += 4; continue; }
      o = put(dst, o, cap, BSL);
      i++;
      continue;
    }
    const oct = octalEscape(src, i + 1, len);
    if (oct >= 0) {
      o = put(dst, o, cap, <u32>(oct & 0xFF));
      i += 1 + <u32>(oct >> 16);
      continue;
    }
    const s = simpleEscape(e);
    o = put(dst, o, cap, s >= 0 ? <u32>s : e);
    i += 2;
  }
  return finish(o, cap);
}
