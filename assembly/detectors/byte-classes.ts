// Which bytes of interest occur in an input, found with one SIMD pass, so the detectors
// can skip passes that cannot fire: a value with no `<` and no `+` has no tag in the text
// context, one with no `"` cannot leave a double-quoted attribute, and so on.
// Cost: a table classification of 16 bytes at a time (see presentClasses); short values
// take one vector step.

export const CLASS_DQUOTE: u32 = 1 << 0; // "
export const CLASS_SQUOTE: u32 = 1 << 1; // '
export const CLASS_BREAK: u32 = 1 << 2; // bytes 0x01..0x20 and '>' (end an unquoted value)
export const CLASS_LT: u32 = 1 << 3; // <
export const CLASS_PLUS: u32 = 1 << 4; // + (UTF-7 "+ADw-")
export const CLASS_EQ: u32 = 1 << 5; // =
export const CLASS_COLON: u32 = 1 << 6; // :
export const CLASS_PAREN: u32 = 1 << 7; // (
export const CLASS_BACKTICK: u32 = 1 << 8; // `
export const CLASS_DOT: u32 = 1 << 9; // .
export const CLASS_AMP: u32 = 1 << 10; // &
export const CLASS_BSLASH: u32 = 1 << 11; // \
export const CLASS_CONTROL: u32 = 1 << 12; // bytes 0x00..0x1f and 0x7f (dropped by detectXSS stage 1)

// @ts-ignore: decorator
@inline function any(v: v128, c: i32): v128 {
  return i8x16.eq(v, i8x16.splat(<i8>c));
}

/**
 * Nibble tables of presentClasses: a byte x is in raw class k (bit k of a 16-bit set) when bit
 * k is set in both HI[x >> 4] and LO[x & 15]; the low eight bits are one table pair, the high
 * eight the other. Each raw class is a product set {hi nibbles} × {lo nibbles}, so one bit
 * has no false member: bits 0, 1, 3..11 are the one-byte classes at their CLASS_ positions,
 * bit 2 is '>', bit 12 the bytes 0x01..0x0f and 0x11..0x1f (high nibble 0 or 1, low nibble
 * not 0), 13 is 0x10, 14 the space, 15 is 0x7f. NUL (in CLASS_CONTROL, not in CLASS_BREAK)
 * is the one byte no product set can add, so it is compared apart. Checked against a
 * byte-by-byte reference on all 256 bytes (test/detectors/xss.test.ts). Rows: LO low
 * eight, HI low eight, LO high eight, HI high eight, then the 0x0f mask.
 */
const NIB: usize = memory.data<u8>([
  0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x02, 0x80, 0x00, 0x40, 0x10, 0x08, 0x20, 0x04, 0x00,
  0x00, 0x00, 0x93, 0x6c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x61, 0x10, 0x10, 0x10, 0x10, 0x10, 0x14, 0x10, 0x10, 0x10, 0x10, 0x10, 0x18, 0x10, 0x12, 0x90,
  0x10, 0x30, 0x46, 0x00, 0x00, 0x08, 0x01, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f,
], 16);
const RAW_GT: u32 = 1 << 2;
const RAW_LOW: u32 = 1 << 12; // 0x01..0x0f, 0x11..0x1f
const RAW_0X10: u32 = 1 << 13;
const RAW_SPACE: u32 = 1 << 14;
const RAW_DEL: u32 = 1 << 15;

/**
 * The set of classes present in [ptr, ptr+len). Per 16 bytes: two nibble extractions, four
 * table swizzles and a NUL compare (about a third of the work of one compare per class;
 * V8 re-materialises splatted constants inside a loop that keeps thirteen accumulators, so
 * the tables and mask are loaded from memory). The last partial vector is read as
 * overlapping loads inside the input (the last 16 bytes; or two 8-byte or 4-byte halves
 * repeated; or the first, middle and last byte), never a copy and never a padding byte: a
 * byte seen twice does not change a presence set.
 */
export function presentClasses(ptr: usize, len: u32): u32 {
  let v: v128;
  let accL = i8x16.splat(0), accH = i8x16.splat(0), nul = i8x16.splat(0);
  const loL = v128.load(NIB), hiL = v128.load(NIB, 16), loH = v128.load(NIB, 32), hiH = v128.load(NIB, 48);
  const low4 = v128.load(NIB, 64);
  const zero = i8x16.splat(0);
  if (len >= 16) {
    const last = <usize>len - 16;
    for (let i: usize = 0; i < last; i += 16) {
      const w = v128.load(ptr + i);
      const l = v128.and(w, low4);
      const h = v128.and(i16x8.shr_u(w, 4), low4);
      accL = v128.or(accL, v128.and(i8x16.swizzle(loL, l), i8x16.swizzle(hiL, h)));
      accH = v128.or(accH, v128.and(i8x16.swizzle(loH, l), i8x16.swizzle(hiH, h)));
      nul = v128.or(nul, i8x16.eq(w, zero));
    }
    v = v128.load(ptr + last);
  } else if (len >= 8) {
    v = i64x2.replace_lane(i64x2.splat(load<u64>(ptr)), 1, load<u64>(ptr + len - 8));
  } else if (len >= 4) {
    v = i32x4.replace_lane(i32x4.splat(load<u32>(ptr)), 1, load<u32>(ptr + len - 4));
  } else if (len > 0) {
    const b0 = <i32>load<u8>(ptr);
    v = i32x4.splat(b0 | (<i32>load<u8>(ptr + (len >> 1)) << 8) | (<i32>load<u8>(ptr + len - 1) << 16) | (b0 << 24));
  } else {
    return 0;
  }
  const l = v128.and(v, low4);
  const h = v128.and(i16x8.shr_u(v, 4), low4);
  accL = v128.or(accL, v128.and(i8x16.swizzle(loL, l), i8x16.swizzle(hiL, h)));
  accH = v128.or(accH, v128.and(i8x16.swizzle(loH, l), i8x16.swizzle(hiH, h)));
  nul = v128.or(nul, i8x16.eq(v, zero));
  // Lane i of the 16-bit view: accL byte | accH byte << 8; OR the eight lanes together.
  const pairs = v128.or(
    i8x16.shuffle(accL, accH, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23),
    i8x16.shuffle(accL, accH, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31),
  );
  let r = i64x2.extract_lane(pairs, 0) | i64x2.extract_lane(pairs, 1);
  r |= r >>> 32;
  r |= r >>> 16;
  const raw = <u32>r & 0xffff;
  let mask = raw & 0x0fff & ~CLASS_BREAK; // the one-byte classes
  if ((raw & (RAW_GT | RAW_LOW | RAW_0X10 | RAW_SPACE)) != 0) mask |= CLASS_BREAK;
  if ((raw & (RAW_LOW | RAW_0X10 | RAW_DEL)) != 0 || v128.any_true(nul)) mask |= CLASS_CONTROL;
  return mask;
}

/**
 * presentClasses(ptr, len) & (CLASS_SQUOTE | CLASS_DQUOTE), with two comparisons per
 * vector instead of twenty: detectSQLi needs only these two classes. It runs once per
 * detectSQLi call, so short inputs matter: the last partial vector is read as overlapping
 * loads inside the input (the last 16 bytes; or two 8-byte or 4-byte halves; or the
 * first, middle and last byte), never a copy. A byte seen twice does not change a
 * presence test, and the zero lanes of a partial load are no quote.
 */
export function presentQuotes(ptr: usize, len: u32): u32 {
  let dq = i8x16.splat(0), sq = i8x16.splat(0);
  let v: v128;
  if (len >= 16) {
    const last = <usize>len - 16;
    for (let i: usize = 0; i < last; i += 16) {
      const w = v128.load(ptr + i);
      dq = v128.or(dq, any(w, 0x22));
      sq = v128.or(sq, any(w, 0x27));
    }
    v = v128.load(ptr + last);
  } else if (len >= 8) {
    v = i64x2.replace_lane(v128.load64_zero(ptr), 1, load<u64>(ptr + len - 8));
  } else if (len >= 4) {
    v = i32x4.replace_lane(v128.load32_zero(ptr), 1, load<u32>(ptr + len - 4));
  } else if (len > 0) {
    v = i32x4.splat(<i32>load<u8>(ptr) | (<i32>load<u8>(ptr + (len >> 1)) << 8) | (<i32>load<u8>(ptr + len - 1) << 16));
  } else {
    return 0;
  }
  dq = v128.or(dq, any(v, 0x22));
  sq = v128.or(sq, any(v, 0x27));
  let mask: u32 = 0;
  if (v128.any_true(dq)) mask |= CLASS_DQUOTE;
  if (v128.any_true(sq)) mask |= CLASS_SQUOTE;
  return mask;
}

/** First position in [p, stop) holding a, b or c; `stop` if none. 16 bytes per step. */
export function findAny3(p: usize, stop: usize, a: i32, b: i32, c: i32): usize {
  const va = i8x16.splat(<i8>a), vb = i8x16.splat(<i8>b), vc = i8x16.splat(<i8>c);
  while (p + 16 <= stop) {
    const v = v128.load(p);
    const m = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, va), i8x16.eq(v, vb)), i8x16.eq(v, vc)));
    if (m != 0) return p + <usize>ctz(m);
    p += 16;
  }
  while (p < stop) {
    const x = <i32>load<u8>(p);
    if (x == a || x == b || x == c) return p;
    p++;
  }
  return stop;
}

/** First position in [p, stop) holding a control byte or space (1..0x20), '>', a or b. */
export function findBreakOr2(p: usize, stop: usize, a: i32, b: i32): usize {
  const space = i8x16.splat(0x20), zero = i8x16.splat(0), gt = i8x16.splat(0x3e);
  const va = i8x16.splat(<i8>a), vb = i8x16.splat(<i8>b);
  while (p + 16 <= stop) {
    const v = v128.load(p);
    const brk = v128.and(i8x16.le_u(v, space), v128.not(i8x16.eq(v, zero)));
    const m = i8x16.bitmask(v128.or(v128.or(brk, i8x16.eq(v, gt)), v128.or(i8x16.eq(v, va), i8x16.eq(v, vb))));
    if (m != 0) return p + <usize>ctz(m);
    p += 16;
  }
  while (p < stop) {
    const x = <i32>load<u8>(p);
    if ((x != 0 && x <= 0x20) || x == 0x3e || x == a || x == b) return p;
    p++;
  }
  return stop;
}
