// htmlEntityDecode: what a browser's HTML tokenizer would decode, within a byte budget.
//  - `&#DDD;` `&#xHH;` `&#XHH;` decimal / hex, semicolon optional (ModSecurity and browsers
//    both accept a missing one). Written as UTF-8 (ModSecurity keeps the low byte only).
//    0, surrogates and values > U+10FFFF become U+FFFD; 0x80–0x9F use the windows-1252
//    mapping, as browsers do. Digits after the value passed U+10FFFF are consumed.
//  - `&name;` from the compact table below (the names that spell ASCII punctuation used in
//    attacks, plus a few common ones), semicolon optional when the whole name matches.
//    When it does not, the legacy names browsers accept as a prefix without `;`
//    (amp lt gt quot nbsp copy reg and their uppercase forms) are matched as a prefix:
//    "&ltscript" -> "<script".
//  - anything else (`&` alone, `&#` without digits, unknown names) is copied unchanged.
// Output length <= len: every entity is at least as long as the UTF-8 it produces.
import { copyUntilAny } from "./plain-run";
import { hexValue } from "./hex-digits";
import { put, putCodePoint, finish } from "./emit";

const AMP: u8 = 0x26;
const MAX_NAME: u32 = 32;

// Named entities, sorted by first byte: [name length][name bytes][code point u16 LE] ..., 0.
// quot QUOT amp AMP lt LT gt GT apos nbsp NonBreakingSpace Tab NewLine excl num dollar
// percnt lpar rpar ast midast plus comma period sol colon semi equals quest commat lsqb
// lbrack bsol rsqb rbrack Hat lowbar UnderBar grave DiacriticalGrave lcub lbrace verbar vert
// VerticalLine rcub rbrace copy COPY reg REG shy lsquo rsquo ldquo rdquo sbquo bdquo
// ZeroWidthSpace zwj zwnj
const NAMED = memory.data<u8>([
  3, 65, 77, 80, 38, 0, 4, 67, 79, 80, 89, 169, 0, 16, 68, 105, 97, 99, 114, 105, 116, 105, 99, 97,
  108, 71, 114, 97, 118, 101, 96, 0, 2, 71, 84, 62, 0, 3, 72, 97, 116, 94, 0, 2, 76, 84, 60, 0,
  7, 78, 101, 119, 76, 105, 110, 101, 10, 0, 16, 78, 111, 110, 66, 114, 101, 97, 107, 105, 110, 103, 83, 112,
  97, 99, 101, 160, 0, 4, 81, 85, 79, 84, 34, 0, 3, 82, 69, 71, 174, 0, 3, 84, 97, 98, 9, 0,
  8, 85, 110, 100, 101, 114, 66, 97, 114, 95, 0, 12, 86, 101, 114, 116, 105, 99, 97, 108, 76, 105, 110, 101,
  124, 0, 14, 90, 101, 114, 111, 87, 105, 100, 116, 104, 83, 112, 97, 99, 101, 11, 32, 3, 97, 109, 112, 38,
  0, 4, 97, 112, 111, 115, 39, 0, 3, 97, 115, 116, 42, 0, 5, 98, 100, 113, 117, 111, 30, 32, 4, 98,
  115, 111, 108, 92, 0, 5, 99, 111, 108, 111, 110, 58, 0, 5, 99, 111, 109, 109, 97, 44, 0, 6, 99, 111,
  109, 109, 97, 116, 64, 0, 4, 99, 111, 112, 121, 169, 0, 6, 100, 111, 108, 108, 97, 114, 36, 0, 6, 101,
  113, 117, 97, 108, 115, 61, 0, 4, 101, 120, 99, 108, 33, 0, 5, 103, 114, 97, 118, 101, 96, 0, 2, 103,
  116, 62, 0, 6, 108, 98, 114, 97, 99, 101, 123, 0, 6, 108, 98, 114, 97, 99, 107, 91, 0, 4, 108, 99,
  117, 98, 123, 0, 5, 108, 100, 113, 117, 111, 28, 32, 6, 108, 111, 119, 98, 97, 114, 95, 0, 4, 108, 112,
  97, 114, 40, 0, 4, 108, 115, 113, 98, 91, 0, 5, 108, 115, 113, 117, 111, 24, 32, 2, 108, 116, 60, 0,
  6, 109, 105, 100, 97, 115, 116, 42, 0, 4, 110, 98, 115, 112, 160, 0, 3, 110, 117, 109, 35, 0, 6, 112,
  101, 114, 99, 110, 116, 37, 0, 6, 112, 101, 114, 105, 111, 100, 46, 0, 4, 112, 108, 117, 115, 43, 0, 5,
  113, 117, 101, 115, 116, 63, 0, 4, 113, 117, 111, 116, 34, 0, 6, 114, 98, 114, 97, 99, 101, 125, 0, 6,
  114, 98, 114, 97, 99, 107, 93, 0, 4, 114, 99, 117, 98, 125, 0, 5, 114, 100, 113, 117, 111, 29, 32, 3,
  114, 101, 103, 174, 0, 4, 114, 112, 97, 114, 41, 0, 4, 114, 115, 113, 98, 93, 0, 5, 114, 115, 113, 117,
  111, 25, 32, 5, 115, 98, 113, 117, 111, 26, 32, 4, 115, 101, 109, 105, 59, 0, 3, 115, 104, 121, 173, 0,
  3, 115, 111, 108, 47, 0, 6, 118, 101, 114, 98, 97, 114, 124, 0, 4, 118, 101, 114, 116, 124, 0, 3, 122,
  119, 106, 13, 32, 4, 122, 119, 110, 106, 12, 32, 0,
]);

// Offset in NAMED of the first name starting with each byte A..z (0x41..0x7A), 0xFFFF if none.
const NAMED_FIRST = memory.data<u16>([
  0x0, 0xFFFF, 0x6, 0xD, 0xFFFF, 0xFFFF, 0x20, 0x25, 0xFFFF, 0xFFFF, 0xFFFF, 0x2B, 0xFFFF, 0x30, 0xFFFF, 0xFFFF,
  0x4D, 0x54, 0xFFFF, 0x5A, 0x60, 0x6B, 0xFFFF, 0xFFFF, 0xFFFF, 0x7A, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF,
  0x8B, 0x9E, 0xAD, 0xCD, 0xD6, 0xFFFF, 0xE6, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xF3, 0x138, 0x141, 0xFFFF, 0x14E,
  0x167, 0x176, 0x1B3, 0xFFFF, 0xFFFF, 0x1CE, 0xFFFF, 0xFFFF, 0xFFFF, 0x1DE,
]);

// windows-1252 code points for numeric references 0x80..0x9F.
const CP1252 = memory.data<u16>([
  0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
  0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
]);

@inline function isAlnum(c: u32): bool {
  return c - 0x30 < 10 || (c | 0x20) - 0x61 < 26;
}

/** Code point of the table entry whose name equals src[0..n), or -1. */
function lookupName(src: usize, n: u32): i32 {
  const first = <u32>load<u8>(src);
  if (first - 0x41 >= 58) return -1;
  let p = NAMED + <usize>load<u16>(NAMED_FIRST + ((first - 0x41) << 1));
  if (p - NAMED == 0xFFFF) return -1;
  while (true) {
    const nameLen = <u32>load<u8>(p);
    if (nameLen == 0 || load<u8>(p + 1) != first) return -1;
    if (nameLen == n && memory.compare(p + 1, src, n) == 0) {
      return <i32>load<u16>(p + 1 + nameLen);
    }
    p += 1 + nameLen + 2;
  }
}

/** Length of the legacy entity name that prefixes src[0..n), or 0. Code point in `legacyCp`. */
let legacyCp: u32 = 0;
function legacyPrefix(src: usize, n: u32): u32 {
  if (n >= 4) {
    const w = load<u32>(src);
    if (w == 0x7073626E) { legacyCp = 0xA0; return 4; } // nbsp
    if (w == 0x746F7571) { legacyCp = 0x22; return 4; } // quot
    if (w == 0x544F5551) { legacyCp = 0x22; return 4; } // QUOT
    if (w == 0x79706F63) { legacyCp = 0xA9; return 4; } // copy
    if (w == 0x59504F43) { legacyCp = 0xA9; return 4; } // COPY
  }
  if (n >= 3) {
    const a = load<u8>(src), b = load<u8>(src + 1), c = load<u8>(src + 2);
    if (a == 0x61 && b == 0x6D && c == 0x70) { legacyCp = 0x26; return 3; } // amp
    if (a == 0x41 && b == 0x4D && c == 0x50) { legacyCp = 0x26; return 3; } // AMP
    if (a == 0x72 && b == 0x65 && c == 0x67) { legacyCp = 0xAE; return 3; } // reg
    if (a == 0x52 && b == 0x45 && c == 0x47) { legacyCp = 0xAE; return 3; } // REG
  }
  if (n >= 2) {
    const a = load<u8>(src) | 0x20, b = load<u8>(src + 1);
    const bl = b | 0x20;
    // lt / LT / gt / GT (not mixed case)
    if ((a == 0x6C || a == 0x67) && bl == 0x74 && ((load<u8>(src) & 0x20) == (b & 0x20))) {
      legacyCp = a == 0x6C ? 0x3C : 0x3E;
      return 2;
    }
  }
  return 0;
}

export function htmlEntityDecode(src: usize, len: u32, dst: usize, cap: u32): u32 {
  let i: u32 = 0;
  let o: u32 = 0;
  while (i < len && o < cap) {
    const run = copyUntilAny(src + i, len - i, dst + o, cap - o, AMP, AMP, AMP, AMP, AMP);
    i += run;
    o += run;
    if (i >= len || o >= cap) break;
    // src[i] == '&'
    let j = i + 1;
    if (j < len && load<u8>(src + j) == 0x23) {
      // numeric reference
      j++;
      let hex = false;
      if (j < len && (load<u8>(src + j) | 0x20) == 0x78) { hex = true; j++; }
      const digitsStart = j;
      let v: u32 = 0;
      while (j < len) {
        const c = <u32>load<u8>(src + j);
        let d: i32;
        if (hex) d = hexValue(c);
        else d = c - 0x30 < 10 ? <i32>(c - 0x30) : -1;
        if (d < 0) break;
        if (v <= 0x10FFFF) v = v * (hex ? 16 : 10) + <u32>d;
        j++;
      }
      if (j == digitsStart) {
        o = put(dst, o, cap, AMP);
        i++;
        continue;
      }
      if (j < len && load<u8>(src + j) == 0x3B) j++;
      if (v == 0) v = 0xFFFD;
      else if (v - 0x80 < 0x20) v = <u32>load<u16>(CP1252 + ((v - 0x80) << 1));
      o = putCodePoint(dst, o, cap, v);
      i = j;
      continue;
    }
    // named reference
    while (j < len && j - i - 1 < MAX_NAME && isAlnum(load<u8>(src + j))) j++;
    const n = j - i - 1;
    if (n > 0 && n < MAX_NAME) {
      const cp = lookupName(src + i + 1, n);
      if (cp >= 0) {
        if (j < len && load<u8>(src + j) == 0x3B) j++;
        o = putCodePoint(dst, o, cap, <u32>cp);
        i = j;
        continue;
      }
    }
    const p = legacyPrefix(src + i + 1, n);
    if (p > 0) {
      o = putCodePoint(dst, o, cap, legacyCp);
      i += 1 + p;
      continue;
    }
    o = put(dst, o, cap, AMP);
    i++;
  }
  return finish(o, cap);
}
