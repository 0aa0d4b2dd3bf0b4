// Form-urlencoded values decoded where they lie in the request arena.
//
// The host batches a request's fields into one encodeInto call (src/engine/arena-writer.ts);
// a query argument or form field holding `%` or `+` joins the batch as its source text and
// its descriptor's word 5 says so (FORM_ENCODED). formDecodeFields then decodes every such
// value in place, moves everything after it down over the bytes the escapes freed, and
// corrects the descriptors. The bytes are those of encoding percentDecode(source, true)
// (src/request/percent-decode.ts, the reference; test/request/form-decode.test.ts compares):
//   - `%XY` with two hex digits (either case) is the byte 0xXY; `+` is a space;
//   - a `%` without two hex digits stays (DECODE_INVALID_ESCAPE);
//   - escaped bytes are read as UTF-8, as WHATWG decoders do: each maximal invalid subpart
//     becomes U+FFFD, EF BF BD (DECODE_INVALID_UTF8). Literal bytes are the UTF-8 of the
//     source's characters, already valid, and never continue an escaped sequence.
//
// Why here and not in JavaScript: the same loop in JS ran ~2.3 ns a byte on escape-dense
// values (the heavy benchmark request's 30 arguments, 4.5 KB of query: ~10 µs a request).
// Cost: literal runs 16 bytes a step (v128 compares); an escape a few compares. Output is
// never longer than input (an escape is 3 bytes for 1; a maximal invalid subpart of k
// escapes, 3k bytes, becomes 3), so the write position never passes the read position.

import { DESC_SIZE } from "./abi";
import { arenaBase, descBase } from "./regions";
import { hexValue } from "./transforms/hex-digits";

/** Descriptor word 5 of a value written as its form-urlencoded source, awaiting decoding. */
export const FORM_ENCODED: u32 = 1;
/** Flags of the last formDecodeFields (src/request/percent-decode.ts DECODE_*). */
const DECODE_INVALID_ESCAPE: u32 = 1;
const DECODE_INVALID_UTF8: u32 = 2;
let decodeFlags: u32 = 0;

/**
 * Decodes the FORM_ENCODED values among fields first..end-1 (clearing the mark), moving every
 * later byte up to the arena offset `arenaEnd` down by what the escapes freed, and returns the
 * new arena end. Descriptors of later fields move with their bytes.
 */
export function formDecodeFields(first: u32, end: u32, arenaEnd: u32): u32 {
  decodeFlags = 0;
  const arena = arenaBase;
  let shrink: u32 = 0;
  /** Arena offset (before moving) of the first byte not yet moved down by `shrink`. */
  let unmoved: u32 = 0;
  for (let i = first; i < end; i++) {
    const d = descBase + <usize>i * DESC_SIZE;
    const valueOff = load<u32>(d + 12);
    if (shrink != 0) {
      store<u32>(d + 4, load<u32>(d + 4) - shrink);
      store<u32>(d + 12, valueOff - shrink);
    }
    if (load<u32>(d + 20) != FORM_ENCODED) continue;
    store<u32>(d + 20, 0);
    // What lies between the last decoded value and this one (names, plain fields).
    if (shrink != 0) memory.copy(arena + unmoved - shrink, arena + unmoved, valueOff - unmoved);
    const valueLen = load<u32>(d + 16);
    const decodedLen = decodeInPlace(arena + valueOff, valueLen, arena + valueOff - shrink);
    store<u32>(d + 16, decodedLen);
    shrink += valueLen - decodedLen;
    unmoved = valueOff + valueLen;
  }
  if (shrink == 0) return arenaEnd;
  memory.copy(arena + unmoved - shrink, arena + unmoved, arenaEnd - unmoved);
  return arenaEnd - shrink;
}

/** The DECODE_* flags the last formDecodeFields raised. */
export function formDecodeFlags(): u32 {
  return decodeFlags;
}

const PERCENT: u32 = 0x25;
const PLUS: u32 = 0x2b;

/** Decodes src[0, len) to dst (dst ≤ src: the same buffer or before it); returns the bytes written. */
function decodeInPlace(src: usize, len: u32, dst: usize): u32 {
  const end = src + len;
  let r = src;
  let w = dst;
  const percents = i8x16.splat(<i8>PERCENT);
  const pluses = i8x16.splat(<i8>PLUS);
  while (r < end) {
    // The literal run. A whole vector is stored only where it cannot reach bytes not yet
    // read: all of it is literal, or the writer trails the reader by 16 bytes or more.
    let c: u32 = 0;
    for (;;) {
      if (r + 16 <= end) {
        const v = v128.load(r);
        const bits = i8x16.bitmask(v128.or(i8x16.eq(v, percents), i8x16.eq(v, pluses)));
        if (bits == 0) {
          v128.store(w, v);
          r += 16;
          w += 16;
          continue;
        }
        const k = <usize>ctz(bits);
        if (r - w >= 16) v128.store(w, v);
        else if (w != r) for (let j: usize = 0; j < k; j++) store<u8>(w + j, load<u8>(r + j));
        r += k;
        w += k;
        c = <u32>load<u8>(r);
        break;
      }
      while (r < end) {
        c = <u32>load<u8>(r);
        if (c == PERCENT || c == PLUS) break;
        store<u8>(w++, <u8>c);
        r++;
      }
      break;
    }
    if (r >= end) break;
    if (c == PLUS) {
      store<u8>(w++, 0x20);
      r++;
      continue;
    }
    const hi = r + 2 < end ? hexValue(<u32>load<u8>(r + 1)) : -1;
    const lo = hi < 0 ? -1 : hexValue(<u32>load<u8>(r + 2));
    if (lo < 0) {
      // A lone or malformed `%`: kept.
      decodeFlags |= DECODE_INVALID_ESCAPE;
      store<u8>(w++, <u8>PERCENT);
      r++;
      continue;
    }
    const lead = <u32>((hi << 4) | lo);
    r += 3;
    if (lead < 0x80) {
      store<u8>(w++, <u8>lead);
      continue;
    }
    // A UTF-8 lead byte: the next escapes must continue it within the WHATWG bounds; the
    // first that does not ends a maximal invalid subpart (one U+FFFD) and is read again.
    const info = utf8Lead(lead);
    const needed = info & 3;
    let lower = (info >> 8) & 0xff;
    let upper = info >> 16;
    let seen: u32 = 0;
    while (seen < needed && r + 2 < end && <u32>load<u8>(r) == PERCENT) {
      const h = hexValue(<u32>load<u8>(r + 1));
      const l = h < 0 ? -1 : hexValue(<u32>load<u8>(r + 2));
      if (l < 0) break;
      const next = <u32>((h << 4) | l);
      if (next < lower || next > upper) break;
      // A valid continuation: the output byte is the escaped byte itself.
      store<u8>(w + 1 + seen, <u8>next);
      lower = 0x80;
      upper = 0xbf;
      seen++;
      r += 3;
    }
    if (needed == 0 || seen < needed) {
      decodeFlags |= DECODE_INVALID_UTF8;
      store<u8>(w, 0xef);
      store<u8>(w + 1, 0xbf);
      store<u8>(w + 2, 0xbd);
      w += 3;
    } else {
      store<u8>(w, <u8>lead);
      w += 1 + needed;
    }
  }
  return <u32>(w - dst);
}

/**
 * A WHATWG UTF-8 lead byte (≥ 0x80): the continuation bytes it needs (0: none can follow it,
 * a replacement) in the low bits, the bounds of its first continuation byte above
 * (needed | lower << 8 | upper << 16; later continuation bytes: 0x80–0xbf).
 */
function utf8Lead(b: u32): u32 {
  if (b >= 0xc2 && b <= 0xdf) return 1 | (0x80 << 8) | (0xbf << 16);
  if (b >= 0xe0 && b <= 0xef) return 2 | ((b == 0xe0 ? 0xa0 : 0x80) << 8) | ((b == 0xed ? 0x9f : 0xbf) << 16);
  if (b >= 0xf0 && b <= 0xf4) return 3 | ((b == 0xf0 ? 0x90 : 0x80) << 8) | ((b == 0xf4 ? 0x8f : 0xbf) << 16);
  return 0;
}
