// Which features of a value can make a transform change it. A value with none of a
// transform's trigger features passes through it unchanged, so the engine skips the call
// and the copy (most names and values — "2", "books", session ids, a User-Agent for the
// path and comment transforms — trigger nothing).
// test/transform-triggers.test.ts checks every mask: on inputs whose features miss the
// trigger (random, and exhaustively over small alphabets rich in the bytes involved), each
// transform must be the identity byte for byte.
//
// A feature is one of three kinds:
//  - a byte class ("has a `%`"). Each class is one bit whose byte set is a product
//    {low nibbles} × {high nibbles}, so 16 bytes at a time are classified by two i8x16
//    swizzles (a class like A–Z that is no product takes two bits);
//  - a pair of adjacent bytes ("has `/*`"): single bytes like `/` or `-` are everywhere in
//    ordinary values (paths, User-Agents, dates) while the two-byte sequences that make
//    comments, `//` or `/./` are rare. Bit k of a pair is set when a byte of class A_k is
//    followed by one of class B_k (both products again);
//  - an edge fact: leading / trailing whitespace (trims), the value "." (normalizePath).
// Mask byte 0–2: classes and edges, byte 3: pairs.

import {
  T_LOWERCASE, T_URL_DECODE, T_URL_DECODE_UNI, T_HTML_ENTITY_DECODE, T_JS_DECODE, T_CSS_DECODE,
  T_REMOVE_NULLS, T_REMOVE_WHITESPACE, T_COMPRESS_WHITESPACE, T_REMOVE_COMMENTS, T_REPLACE_COMMENTS,
  T_NORMALIZE_PATH, T_NORMALIZE_PATH_WIN, T_UTF8_TO_UNICODE, T_CMD_LINE, T_TRIM, T_SHELL_UNESCAPE,
  T_UNICODE_NORMALIZE, T_TRIM_LEFT, T_TRIM_RIGHT, T_REPLACE_NULLS, T_ESCAPE_SEQ_DECODE, T_UPPERCASE,
  T_REMOVE_COMMENTS_CHAR, TRANSFORM_COUNT,
} from "./abi";

// Byte classes (mask byte 0).
export const B_PERCENT: u32 = 1 << 0;
export const B_PLUS: u32 = 1 << 1;
export const B_AMP: u32 = 1 << 2;
export const B_BSLASH: u32 = 1 << 3;
export const B_NUL: u32 = 1 << 4;
export const B_HIGH: u32 = 1 << 5;     // >= 0x80
export const B_HASH: u32 = 1 << 6;
export const B_DOLLAR: u32 = 1 << 7;
// Mask byte 1.
export const B_UPPER: u32 = 3 << 8;    // A–O, P–Z
export const B_LOWER: u32 = 3 << 10;   // a–o, p–z
export const B_SPACE: u32 = 1 << 12;   // ' ' only
export const B_CTRL_WS: u32 = 1 << 13; // \t \n \v \f \r
export const B_QUOTE: u32 = 3 << 14;   // ' " and `
// Mask byte 2.
export const B_CARET: u32 = 1 << 16;
export const B_SEP: u32 = 3 << 17;     // , ;
export const E_LEAD_SPACE: u32 = 1 << 19;  // first byte is ASCII whitespace (' ', \t–\r)
export const E_TRAIL_SPACE: u32 = 1 << 20; // last byte is ASCII whitespace
export const E_LONE_DOT: u32 = 1 << 21;    // the value is exactly "."
// Pairs (mask byte 3).
export const P_SLASH_STAR: u32 = 1 << 24;  // /*
export const P_STAR_SLASH: u32 = 1 << 25;  // */
export const P_DASH_DASH: u32 = 1 << 26;   // --
export const P_TO_SLASH: u32 = 1 << 27;    // // or ./
export const P_SLASH_DOT: u32 = 1 << 28;   // /.
export const P_SPACE_SPACE: u32 = 1 << 29; // two spaces
export const P_SPACE_CMD: u32 = 1 << 30;   // ' ' before ' ', '/' or '('
export const P_NBSP: u32 = 1 << 31;        // C2 A0
export const PAIRS: u32 = 0xff000000;
/** Transforms that may change any input (decoders of whole encodings, length…) always run. */
export const ALWAYS: u32 = 0xffffffff;

// Nibble tables, 16 bytes each: byte class k of mask byte j holds for b when
// lo_j[b & 15] & hi_j[b >> 4] has bit k. Tables 0–2: mask bytes 0–2; 3: pair role A (first
// byte), 4: pair role B (second byte), bits of mask byte 3.
const NIBBLES = memory.data(160, 16);
// Scalar path (the last block when 16 bytes past it would leave linear memory): per byte,
// low word = classes and pair role B, high word = pair role A.
const byteInfo = new StaticArray<u64>(256);
// 16 × 0xFF then 16 × 0: loading at 16 - n gives the first n lanes.
const LANE_MASK = memory.data<u8>([
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
]);
/** Stands in for the lanes past the end of a value: in no class, no pair role. */
const NEUTRAL: u8 = 0x30; // '0'
const triggers = new StaticArray<u32>(<i32>TRANSFORM_COUNT);
// Built in the module's start function, so lookups need no "ready" check.
setup();

/** Class bit (of mask `bit`, table chosen by its byte) for the bytes lo-set × hi-set. */
function product(table: u32, bit: u32, loSet: u32, hiSet: u32): void {
  const k = <u8>(bit >> ((bit >> 8 == 0 ? 0 : bit >> 16 == 0 ? 8 : bit >> 24 == 0 ? 16 : 24)));
  const base = NIBBLES + <usize>table * 32;
  for (let n: u32 = 0; n < 16; n++) {
    if ((loSet >> n) & 1) store<u8>(base + n, load<u8>(base + n) | k);
    if ((hiSet >> n) & 1) store<u8>(base + 16 + n, load<u8>(base + 16 + n) | k);
  }
}

@inline function byteClass(bit: u32, b: u32): void {
  product(bit < 0x100 ? 0 : bit < 0x10000 ? 1 : 2, bit, 1 << (b & 15), 1 << (b >> 4));
}

@inline function nibbleLookup(table: u32, b: u32): u32 {
  const base = NIBBLES + <usize>table * 32;
  return <u32>(load<u8>(base + (b & 15)) & load<u8>(base + 16 + (b >> 4)));
}

function setup(): void {
  byteClass(B_PERCENT, 0x25);
  byteClass(B_PLUS, 0x2b);
  byteClass(B_AMP, 0x26);
  byteClass(B_BSLASH, 0x5c);
  byteClass(B_NUL, 0);
  product(0, B_HIGH, 0xffff, 0xff00);
  byteClass(B_HASH, 0x23);
  byteClass(B_DOLLAR, 0x24);
  product(1, 1 << 8, 0xfffe, 1 << 4);   // 0x41–0x4F
  product(1, 1 << 9, 0x07ff, 1 << 5);   // 0x50–0x5A
  product(1, 1 << 10, 0xfffe, 1 << 6);  // 0x61–0x6F
  product(1, 1 << 11, 0x07ff, 1 << 7);  // 0x70–0x7A
  byteClass(B_SPACE, 0x20);
  product(1, B_CTRL_WS, 0x3e00, 1);     // 0x09–0x0D
  product(1, 1 << 14, (1 << 2) | (1 << 7), 1 << 2); // " '
  byteClass(1 << 15, 0x60);
  byteClass(B_CARET, 0x5e);
  byteClass(1 << 17, 0x2c);
  byteClass(1 << 18, 0x3b);
  // Pairs: role A in table 3, role B in table 4, same bit.
  product(3, P_SLASH_STAR, 1 << 15, 1 << 2); product(4, P_SLASH_STAR, 1 << 10, 1 << 2);
  product(3, P_STAR_SLASH, 1 << 10, 1 << 2); product(4, P_STAR_SLASH, 1 << 15, 1 << 2);
  product(3, P_DASH_DASH, 1 << 13, 1 << 2); product(4, P_DASH_DASH, 1 << 13, 1 << 2);
  product(3, P_TO_SLASH, (1 << 15) | (1 << 14), 1 << 2); product(4, P_TO_SLASH, 1 << 15, 1 << 2);
  product(3, P_SLASH_DOT, 1 << 15, 1 << 2); product(4, P_SLASH_DOT, 1 << 14, 1 << 2);
  product(3, P_SPACE_SPACE, 1, 1 << 2); product(4, P_SPACE_SPACE, 1, 1 << 2);
  product(3, P_SPACE_CMD, 1, 1 << 2); product(4, P_SPACE_CMD, 1 | (1 << 15) | (1 << 8), 1 << 2);
  product(3, P_NBSP, 1 << 2, 1 << 12); product(4, P_NBSP, 1, 1 << 10);

  for (let b: u32 = 0; b < 256; b++) {
    const classes = nibbleLookup(0, b) | (nibbleLookup(1, b) << 8) | (nibbleLookup(2, b) << 16);
    const roleA = nibbleLookup(3, b) << 24;
    const roleB = nibbleLookup(4, b) << 24;
    unchecked((byteInfo[b] = <u64>(classes | roleB) | (<u64>roleA << 32)));
  }

  for (let t = 0; t < <i32>TRANSFORM_COUNT; t++) unchecked((triggers[t] = ALWAYS));
  unchecked((triggers[T_LOWERCASE] = B_UPPER));
  unchecked((triggers[T_UPPERCASE] = B_LOWER));
  unchecked((triggers[T_URL_DECODE] = B_PERCENT | B_PLUS));
  unchecked((triggers[T_URL_DECODE_UNI] = B_PERCENT | B_PLUS));
  unchecked((triggers[T_HTML_ENTITY_DECODE] = B_AMP));
  unchecked((triggers[T_JS_DECODE] = B_BSLASH));
  unchecked((triggers[T_CSS_DECODE] = B_BSLASH));
  unchecked((triggers[T_ESCAPE_SEQ_DECODE] = B_BSLASH));
  unchecked((triggers[T_REMOVE_NULLS] = B_NUL));
  unchecked((triggers[T_REPLACE_NULLS] = B_NUL));
  // Whitespace is ASCII whitespace and NBSP as the UTF-8 pair C2 A0 (whitespace.ts).
  unchecked((triggers[T_REMOVE_WHITESPACE] = B_SPACE | B_CTRL_WS | P_NBSP));
  // A lone ' ' stays; a run, another whitespace byte or an NBSP becomes one ' '.
  unchecked((triggers[T_COMPRESS_WHITESPACE] = B_CTRL_WS | P_SPACE_SPACE | P_NBSP));
  unchecked((triggers[T_TRIM] = E_LEAD_SPACE | E_TRAIL_SPACE));
  unchecked((triggers[T_TRIM_LEFT] = E_LEAD_SPACE));
  unchecked((triggers[T_TRIM_RIGHT] = E_TRAIL_SPACE));
  // Comments open with `/*` `<!--` `--` `#` (`<!--` and `-->` contain `--`); a lone `/`,
  // `*`, `-` or `<` is copied (comments.ts).
  unchecked((triggers[T_REMOVE_COMMENTS] = P_SLASH_STAR | P_DASH_DASH | B_HASH));
  unchecked((triggers[T_REPLACE_COMMENTS] = P_SLASH_STAR));
  unchecked((triggers[T_REMOVE_COMMENTS_CHAR] = P_SLASH_STAR | P_STAR_SLASH | P_DASH_DASH | B_HASH));
  // path.ts changes only empty segments (`//`), `.` and `..` segments, and `\` (Win). A
  // `.`/`..` segment is bounded by `/` or an end of the value: it shows as `/.` or `./`,
  // unless it is the whole value; "." becomes "" while ".." alone is kept as is.
  unchecked((triggers[T_NORMALIZE_PATH] = P_TO_SLASH | P_SLASH_DOT | E_LONE_DOT));
  unchecked((triggers[T_NORMALIZE_PATH_WIN] = P_TO_SLASH | P_SLASH_DOT | E_LONE_DOT | B_BSLASH));
  unchecked((triggers[T_UTF8_TO_UNICODE] = B_HIGH));
  unchecked((triggers[T_UNICODE_NORMALIZE] = B_HIGH));
  // cmd-line.ts: `\ " ' ^` deleted, `, ;` \t \r \n become ' ', upper case lowered; a ' '
  // changes only in a run or before `/` `(`.
  unchecked((triggers[T_CMD_LINE] = B_BSLASH | B_QUOTE | B_CARET | B_SEP | B_CTRL_WS | B_UPPER | P_SPACE_CMD));
  unchecked((triggers[T_SHELL_UNESCAPE] = B_BSLASH | B_QUOTE | B_DOLLAR));
}

@inline function isAsciiSpace(c: u32): bool {
  return c == 0x20 || c - 9 < 5;
}

/**
 * The features of the value: its byte classes, its adjacent pairs and its edge facts.
 * Below 16 bytes byte by byte (a block's fixed cost, the final OR across lanes, is more
 * than the loop), else 16 bytes at a time.
 */
export function featureMask(p: usize, len: u32): u32 {
  if (len == 0) return 0;
  const first = <u32>load<u8>(p);
  const last = <u32>load<u8>(p + len - 1);
  let edges: u32 = 0;
  if (isAsciiSpace(first)) edges |= E_LEAD_SPACE;
  if (isAsciiSpace(last)) edges |= E_TRAIL_SPACE;
  if (len == 1 && first == 0x2e) edges |= E_LONE_DOT;
  return edges | (len < 16 ? scalarFeatures(p, 0, len) : blockFeatures(p, len));
}

/**
 * Classes and pairs, 16 bytes at a time: each byte's classes come from two swizzles of its
 * nibbles, pairs from the role-A classes shifted one lane (carrying the previous block's
 * last lane) ANDed with the role-B classes. The last partial block is loaded whole and its
 * lanes past the end are replaced by a neutral byte; only when that load would leave
 * linear memory does the tail go byte by byte.
 */
function blockFeatures(p: usize, len: u32): u32 {
  const s0l = v128.load(NIBBLES), s0h = v128.load(NIBBLES, 16);
  const s1l = v128.load(NIBBLES, 32), s1h = v128.load(NIBBLES, 48);
  const s2l = v128.load(NIBBLES, 64), s2h = v128.load(NIBBLES, 80);
  const pal = v128.load(NIBBLES, 96), pah = v128.load(NIBBLES, 112);
  const pbl = v128.load(NIBBLES, 128), pbh = v128.load(NIBBLES, 144);
  const m0f = i8x16.splat(0x0f);
  let acc0 = i8x16.splat(0), acc1 = acc0, acc2 = acc0, acc3 = acc0, prevA = acc0;
  // Whole blocks, and the partial last one when 16 bytes from it are still in memory.
  const memEnd = <usize>memory.size() << 16;
  const blocks = (len + 15) & ~15;
  const simdLen: u32 = p + <usize>blocks <= memEnd ? len : len & ~15;
  let i: u32 = 0;
  while (i < simdLen) {
    let v = v128.load(p + i);
    if (i + 16 > len) v = v128.bitselect(v, i8x16.splat(NEUTRAL), v128.load(LANE_MASK + 16 - (len - i)));
    const lo = v128.and(v, m0f);
    const hi = v128.and(i16x8.shr_u(v, 4), m0f);
    acc0 = v128.or(acc0, v128.and(i8x16.swizzle(s0l, lo), i8x16.swizzle(s0h, hi)));
    acc1 = v128.or(acc1, v128.and(i8x16.swizzle(s1l, lo), i8x16.swizzle(s1h, hi)));
    acc2 = v128.or(acc2, v128.and(i8x16.swizzle(s2l, lo), i8x16.swizzle(s2h, hi)));
    const a = v128.and(i8x16.swizzle(pal, lo), i8x16.swizzle(pah, hi));
    const b = v128.and(i8x16.swizzle(pbl, lo), i8x16.swizzle(pbh, hi));
    const before = i8x16.shuffle(prevA, a, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30);
    acc3 = v128.or(acc3, v128.and(before, b));
    prevA = a;
    i += 16;
  }
  // OR the lanes of each accumulator: 8 + 8, then within 64 bits.
  let x = v128.or(
    i8x16.shuffle(acc0, acc1, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23),
    i8x16.shuffle(acc0, acc1, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31));
  let y = v128.or(
    i8x16.shuffle(acc2, acc3, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23),
    i8x16.shuffle(acc2, acc3, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31));
  x = v128.or(x, i64x2.shr_u(x, 32));
  y = v128.or(y, i64x2.shr_u(y, 32));
  x = v128.or(x, i64x2.shr_u(x, 16));
  y = v128.or(y, i64x2.shr_u(y, 16));
  x = v128.or(x, i64x2.shr_u(x, 8));
  y = v128.or(y, i64x2.shr_u(y, 8));
  let m = i32x4.extract_lane(i8x16.shuffle(x, y, 0, 8, 16, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0);
  if (i < len) m |= scalarFeatures(p, i, len);
  return m;
}

/** Classes and pairs of bytes [from, len) (the pair ending at `from` included). */
function scalarFeatures(p: usize, from: u32, len: u32): u32 {
  let m: u32 = 0;
  let prevA: u32 = from > 0 ? <u32>(unchecked(byteInfo[load<u8>(p + from - 1)]) >> 32) : 0;
  for (let i = from; i < len; i++) {
    const t = unchecked(byteInfo[load<u8>(p + i)]);
    m |= <u32>t & (prevA | ~PAIRS);
    prevA = <u32>(t >> 32);
  }
  return m;
}

/** The features that can make transform `t` change a value (ALWAYS when any can). */
@inline export function triggerMask(t: u32): u32 {
  return t < TRANSFORM_COUNT ? unchecked(triggers[t]) : ALWAYS;
}
