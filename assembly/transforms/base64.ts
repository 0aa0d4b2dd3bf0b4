// base64Decode and base64DecodeExt.
//  - base64Decode (ModSecurity v3 / Coraza): standard alphabet; decoding stops at the first
//    byte outside it (including `=`), and the complete bytes decoded so far are the output
//    (a final group of 2 or 3 characters gives 1 or 2 bytes, a lone final character none).
//  - base64DecodeExt (ModSecurity's forgiving variant): bytes outside the alphabet are
//    skipped (whitespace, `.`, `=` anywhere), and the URL-safe `-` `_` are accepted too.
// Output length <= floor(3 * len / 4).

// 0..63 sextet value, 64/65 for URL-safe '-'/'_', 255 invalid.
const SEXTET = memory.data<u8>([
  255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
  255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 62, 255, 64, 255, 63, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 255, 255, 255, 255, 255, 255,
  255, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 255, 255, 255, 255, 65,
  255, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 255, 255, 255, 255, 255,
  255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
  255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
  255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
  255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
]);

function decode(src: usize, len: u32, dst: usize, cap: u32, forgiving: bool): u32 {
  let o: u32 = 0;
  let acc: u32 = 0;
  let n: u32 = 0; // sextets in acc
  let i: u32 = 0;
  while (i < len && o < cap) {
    // Fast path: four valid standard characters -> three bytes.
    if (n == 0) {
      while (i + 4 <= len && o + 3 <= cap) {
        const a = <u32>load<u8>(SEXTET + load<u8>(src + i));
        const b = <u32>load<u8>(SEXTET + load<u8>(src + i + 1));
        const c = <u32>load<u8>(SEXTET + load<u8>(src + i + 2));
        const d = <u32>load<u8>(SEXTET + load<u8>(src + i + 3));
        if ((a | b | c | d) >= 64) break;
        const w = (a << 18) | (b << 12) | (c << 6) | d;
        store<u8>(dst + o, <u8>(w >> 16));
        store<u8>(dst + o + 1, <u8>(w >> 8));
        store<u8>(dst + o + 2, <u8>w);
        o += 3;
        i += 4;
      }
      if (i >= len || o >= cap) break;
    }
    let v = <u32>load<u8>(SEXTET + load<u8>(src + i));
    i++;
    if (v >= 64) {
      if (!forgiving) break;
      if (v == 255) continue;
      v = v == 64 ? 62 : 63;
    }
    acc = (acc << 6) | v;
    n++;
    if (n == 4) {
      store<u8>(dst + o, <u8>(acc >> 16));
      o++;
      if (o < cap) { store<u8>(dst + o, <u8>(acc >> 8)); o++; }
      if (o < cap) { store<u8>(dst + o, <u8>acc); o++; }
      acc = 0;
      n = 0;
    }
  }
  // A partial final group: 2 sextets carry one byte, 3 carry two.
  if (n >= 2 && o < cap) {
    const w = acc << (6 * (4 - n));
    store<u8>(dst + o, <u8>(w >> 16));
    o++;
    if (n == 3 && o < cap) { store<u8>(dst + o, <u8>(w >> 8)); o++; }
  }
  return o;
}

export function base64Decode(src: usize, len: u32, dst: usize, cap: u32): u32 {
  return decode(src, len, dst, cap, false);
}

export function base64DecodeExt(src: usize, len: u32, dst: usize, cap: u32): u32 {
  return decode(src, len, dst, cap, true);
}
