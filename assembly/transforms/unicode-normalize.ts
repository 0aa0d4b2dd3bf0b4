// unicodeNormalize: folds the Unicode forms attackers use to slip ASCII syntax past
// ASCII rules. Not full NFKC (that needs megabytes of tables); exactly these mappings:
//   overlong UTF-8 of any code point    -> its shortest form (C0 AF -> '/', E0 80 AF -> '/')
//   U+FF01–U+FF5E fullwidth ASCII       -> U+0021–U+007E                       (NFKC)
//   U+3000, U+00A0, U+2000–U+200A, U+202F, U+205F (spaces) -> ' '               (NFKC)
//   U+FE50–U+FE6B small form variants   -> the ASCII punctuation they decompose to (NFKC;
//                                          FE51 FE58 FE5D FE5E and unassigned are kept)
//   U+2024 U+2025 U+2026 leaders        -> "." ".." "..."                       (NFKC)
//   U+00B2 U+00B3 U+00B9 U+2070–U+208E super/subscript digits, + = ( ) i n -> ASCII (NFKC)
//   U+2460–U+2468 circled 1–9, U+24B6–U+24E9 circled A–Z a–z -> ASCII          (NFKC)
//   U+1D400–U+1D6A3 mathematical letters -> A–Z a–z; U+1D7CE–U+1D7FF digits -> 0–9 (NFKC)
//   U+2044 FRACTION SLASH, U+2215 DIVISION SLASH -> '/'; U+2216 SET MINUS, U+29F5 -> '\'
//                                          (look-alikes, NOT NFKC: path and regex smuggling)
//   U+00AD, U+200B–U+200D, U+2060, U+FEFF (invisible format characters) -> removed
//                                          (NOT NFKC: they split keywords: "UN\u200bION")
// Everything else, including invalid bytes, is copied unchanged.
// Output length <= len: every mapping is no longer than the sequence it replaces.
import { copyAscii } from "./plain-run";
import { decodeLenient, lenientWidth, canonicalWidth } from "./utf8-lenient";
import { put, putCodePoint, finish } from "./emit";

// U+FE50..U+FE6B -> ASCII, 0 = no ASCII decomposition.
const SMALL_FORMS = memory.data<u8>([
  0x2C, 0, 0x2E, 0, 0x3B, 0x3A, 0x3F, 0x21, 0, 0x28, 0x29, 0x7B, 0x7D, 0, 0, 0x23,
  0x26, 0x2A, 0x2B, 0x2D, 0x3C, 0x3E, 0x3D, 0, 0x5C, 0x24, 0x25, 0x40,
]);

// U+2070..U+208E -> ASCII, 0 = none.
const SUPER_SUB = memory.data<u8>([
  0x30, 0x69, 0, 0, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x2B, 0, 0x3D, 0x28, 0x29, 0x6E,
  0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x2B, 0, 0x3D, 0x28, 0x29,
]);

const REMOVE: i32 = -2;
const KEEP: i32 = -1;

/** ASCII byte for cp, REMOVE, or KEEP. Multi-character leaders are handled by the caller. */
function fold(cp: u32): i32 {
  if (cp < 0x80) return <i32>cp;
  if (cp < 0x2000) {
    if (cp == 0xA0) return 0x20;
    if (cp == 0xAD) return REMOVE;
    if (cp == 0xB2) return 0x32;
    if (cp == 0xB3) return 0x33;
    if (cp == 0xB9) return 0x31;
    return KEEP;
  }
  if (cp < 0x2100) {
    if (cp <= 0x200A) return 0x20;
    if (cp <= 0x200D) return REMOVE;
    if (cp == 0x202F || cp == 0x205F) return 0x20;
    if (cp == 0x2060) return REMOVE;
    if (cp == 0x2044) return 0x2F;
    if (cp >= 0x2070 && cp <= 0x208E) {
      const a = <i32>load<u8>(SUPER_SUB + (cp - 0x2070));
      return a != 0 ? a : KEEP;
    }
    return KEEP;
  }
  if (cp == 0x2215) return 0x2F;
  if (cp == 0x2216 || cp == 0x29F5) return 0x5C;
  if (cp >= 0x2460 && cp <= 0x2468) return <i32>(cp - 0x2460 + 0x31);
  if (cp >= 0x24B6 && cp <= 0x24CF) return <i32>(cp - 0x24B6 + 0x41);
  if (cp >= 0x24D0 && cp <= 0x24E9) return <i32>(cp - 0x24D0 + 0x61);
  if (cp == 0x3000) return 0x20;
  if (cp >= 0xFE50 && cp <= 0xFE6B) {
    const a = <i32>load<u8>(SMALL_FORMS + (cp - 0xFE50));
    return a != 0 ? a : KEEP;
  }
  if (cp == 0xFEFF) return REMOVE;
  if (cp >= 0xFF01 && cp <= 0xFF5E) return <i32>(cp - 0xFEE0);
  if (cp >= 0x1D400 && cp <= 0x1D6A3) {
    const k = (cp - 0x1D400) % 52;
    return <i32>(k < 26 ? 0x41 + k : 0x61 + k - 26);
  }
  if (cp >= 0x1D7CE && cp <= 0x1D7FF) return <i32>(0x30 + (cp - 0x1D7CE) % 10);
  return KEEP;
}

export function unicodeNormalize(src: usize, len: u32, dst: usize, cap: u32): u32 {
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
    const w = lenientWidth;
    if (cp >= 0x2024 && cp <= 0x2026) {
      for (let k: i32 = 0x2023; k < cp; k++) o = put(dst, o, cap, 0x2E);
      i += w;
      continue;
    }
    const f = fold(<u32>cp);
    if (f >= 0) {
      o = put(dst, o, cap, <u32>f);
    } else if (f == KEEP) {
      if (w == canonicalWidth(<u32>cp)) {
        for (let k: u32 = 0; k < w; k++) o = put(dst, o, cap, load<u8>(src + i + k));
      } else {
        o = putCodePoint(dst, o, cap, <u32>cp);
      }
    }
    i += w;
  }
  return finish(o, cap);
}
