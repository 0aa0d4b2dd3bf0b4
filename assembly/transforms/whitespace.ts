// removeWhitespace and compressWhitespace (ModSecurity semantics).
// Whitespace = space, \t \n \v \f \r, and NBSP. ModSecurity treats the lone byte 0xA0 as
// NBSP (Latin-1); we treat the UTF-8 pair C2 A0 as NBSP instead, because removing a lone
// 0xA0 would corrupt UTF-8 text ("à" is C3 A0). Output length <= len for both.
// Chunks are handled 16 bytes at a time (NBSP included), deletions by SIMD compaction.
import { storeKept } from "./compact";

/** What removeWhitespace deletes besides NBSP: space and \t–\r (also the deleting walk's byte map: aho-corasick-derive.ts). */
// @ts-ignore: decorator
@inline export function isAsciiSpace(c: u32): bool {
  return c == 0x20 || c - 9 < 5;
}

/** Width of the whitespace at src+i: 1, 2 (NBSP) or 0 (not whitespace). */
@inline function spaceWidth(src: usize, i: u32, len: u32): u32 {
  const c = <u32>load<u8>(src + i);
  if (isAsciiSpace(c)) return 1;
  if (c == 0xC2 && i + 1 < len && load<u8>(src + i + 1) == 0xA0) return 2;
  return 0;
}

/**
 * Whitespace lanes of a chunk, NBSP (C2 A0) included as two lanes. `nbspSplit` is set when
 * lane 15 is C2: its A0 would be in the next chunk, so the caller takes the byte loop.
 */
let nbspSplit = false;
@inline function whitespaceLanes(v: v128): v128 {
  const ascii = v128.or(i8x16.eq(v, i8x16.splat(0x20)), i8x16.lt_u(i8x16.sub(v, i8x16.splat(9)), i8x16.splat(5)));
  const c2 = i8x16.eq(v, i8x16.splat(<i8>0xC2));
  if (!v128.any_true(c2)) { nbspSplit = false; return ascii; }
  nbspSplit = i8x16.extract_lane_u(c2, 15) != 0;
  const a0 = i8x16.eq(v, i8x16.splat(<i8>0xA0));
  const zero = i8x16.splat(0);
  const nbspLead = v128.and(c2, i8x16.shuffle(a0, zero, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16));
  const nbspTail = i8x16.shuffle(zero, nbspLead, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30);
  return v128.or(ascii, v128.or(nbspLead, nbspTail));
}

export function removeWhitespace(src: usize, len: u32, dst: usize, cap: u32): u32 {
  let i: u32 = 0;
  let o: u32 = 0;
  while (i < len && o < cap) {
    while (i + 16 <= len && o + 16 <= cap) {
      const v = v128.load(src + i);
      const ws = whitespaceLanes(v);
      if (nbspSplit) break;
      o += storeKept(v, ~(<u32>i8x16.bitmask(ws)) & 0xFFFF, dst + o);
      i += 16;
    }
    const stop = i + 16 < len ? i + 16 : len;
    while (i < stop && o < cap) {
      const w = spaceWidth(src, i, len);
      if (w != 0) { i += w; continue; }
      store<u8>(dst + o, load<u8>(src + i));
      o++;
      i++;
    }
  }
  return o;
}

/** Each run of whitespace becomes one space (no trimming). Idempotent. */
export function compressWhitespace(src: usize, len: u32, dst: usize, cap: u32): u32 {
  const vSp = i8x16.splat(0x20);
  const allOnes = i8x16.splat(-1);
  const zero = i8x16.splat(0);
  let i: u32 = 0;
  let o: u32 = 0;
  let inSpace = false;
  while (i < len && o < cap) {
    // Fast path: whitespace lanes become ' ', and those preceded by whitespace (the rest of
    // a run, the A0 of an NBSP) are dropped by SIMD compaction.
    while (i + 16 <= len && o + 16 <= cap) {
      const v = v128.load(src + i);
      const ws = whitespaceLanes(v);
      if (nbspSplit) break;
      const prev = inSpace ? allOnes : zero;
      const afterWs = i8x16.shuffle(prev, ws, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30);
      const drop = <u32>i8x16.bitmask(v128.and(ws, afterWs));
      const mapped = v128.bitselect(vSp, v, ws);
      if (drop == 0) {
        v128.store(dst + o, mapped);
        o += 16;
      } else {
        o += storeKept(mapped, ~drop & 0xFFFF, dst + o);
      }
      inSpace = i8x16.extract_lane_u(ws, 15) != 0;
      i += 16;
    }
    const stop = i + 16 < len ? i + 16 : len;
    while (i < stop && o < cap) {
      const w = spaceWidth(src, i, len);
      if (w != 0) {
        if (!inSpace) { store<u8>(dst + o, 0x20); o++; inSpace = true; }
        i += w;
        continue;
      }
      store<u8>(dst + o, load<u8>(src + i));
      o++;
      i++;
      inSpace = false;
    }
  }
  return o;
}
