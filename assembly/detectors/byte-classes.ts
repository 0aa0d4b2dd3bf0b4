// Which bytes of interest occur in an input, found with one SIMD pass, so the detectors
// can skip passes that cannot fire: a value with no `<` and no `+` has no tag in the text
// context, one with no `"` cannot leave a double-quoted attribute, and so on.
// Cost: about 20 vector operations per 16 bytes; a partial last block is copied to a
// buffer padded with 'a' (in no class), so short values take one vector step.

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

/** Tail staging: the last partial vector is copied here (zero padded) so it takes one vector step. */
const tailBuf: usize = memory.data(16, 16);

/** The set of classes present in [ptr, ptr+len). */
export function presentClasses(ptr: usize, len: u32): u32 {
  let i: u32 = 0;
  const end = len & ~15;
  const rest = len - end;
  let dq = i8x16.splat(0), sq = i8x16.splat(0), br = i8x16.splat(0), lt = i8x16.splat(0);
  let plus = i8x16.splat(0), eq = i8x16.splat(0), colon = i8x16.splat(0), paren = i8x16.splat(0);
  let tick = i8x16.splat(0), dot = i8x16.splat(0), amp = i8x16.splat(0), bs = i8x16.splat(0);
  let ctl = i8x16.splat(0);
  const zero = i8x16.splat(0);
  const space = i8x16.splat(0x20);
  if (rest != 0) {
    v128.store(tailBuf, i8x16.splat(0x61));
    memory.copy(tailBuf, ptr + end, rest);
  }
  const steps = rest != 0 ? end + 16 : end;
  while (i < steps) {
    const v = v128.load(i < end ? ptr + i : tailBuf);
    dq = v128.or(dq, any(v, 0x22));
    sq = v128.or(sq, any(v, 0x27));
    br = v128.or(br, v128.or(v128.and(i8x16.le_u(v, space), v128.not(i8x16.eq(v, zero))), any(v, 0x3e)));
    lt = v128.or(lt, any(v, 0x3c));
    plus = v128.or(plus, any(v, 0x2b));
    eq = v128.or(eq, any(v, 0x3d));
    colon = v128.or(colon, any(v, 0x3a));
    paren = v128.or(paren, any(v, 0x28));
    tick = v128.or(tick, any(v, 0x60));
    dot = v128.or(dot, any(v, 0x2e));
    amp = v128.or(amp, any(v, 0x26));
    bs = v128.or(bs, any(v, 0x5c));
    ctl = v128.or(ctl, v128.or(i8x16.lt_u(v, space), any(v, 0x7f)));
    i += 16;
  }
  let mask: u32 = 0;
  if (v128.any_true(dq)) mask |= CLASS_DQUOTE;
  if (v128.any_true(sq)) mask |= CLASS_SQUOTE;
  if (v128.any_true(br)) mask |= CLASS_BREAK;
  if (v128.any_true(lt)) mask |= CLASS_LT;
  if (v128.any_true(plus)) mask |= CLASS_PLUS;
  if (v128.any_true(eq)) mask |= CLASS_EQ;
  if (v128.any_true(colon)) mask |= CLASS_COLON;
  if (v128.any_true(paren)) mask |= CLASS_PAREN;
  if (v128.any_true(tick)) mask |= CLASS_BACKTICK;
  if (v128.any_true(dot)) mask |= CLASS_DOT;
  if (v128.any_true(amp)) mask |= CLASS_AMP;
  if (v128.any_true(bs)) mask |= CLASS_BSLASH;
  if (v128.any_true(ctl)) mask |= CLASS_CONTROL;
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
