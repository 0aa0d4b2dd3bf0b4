// Copies the "plain" run at the start of an input: bytes a decoder passes through unchanged.
// Every decoder spends most of its time here on ordinary input, so the run is found 16 bytes
// at a time with v128 compares. A whole chunk is stored even when the run ends inside it:
// the bytes after the run are overwritten by the caller, which only advances by the run's
// length. Loads stay inside [src, src+n) and stores inside [dst, dst+room).

/**
 * Copies bytes from `src` to `dst` until one equals `a`, `b`, `c`, `d` or `e`, or `n` bytes were
 * read, or `room` bytes were written. Returns how many bytes were copied (read == written).
 */
export function copyUntilAny(src: usize, n: u32, dst: usize, room: u32, a: u8, b: u8, c: u8, d: u8, e: u8): u32 {
  const limit = n < room ? n : room;
  let k: u32 = 0;
  if (limit >= 16) {
    const va = i8x16.splat(<i8>a);
    const vb = i8x16.splat(<i8>b);
    const vc = i8x16.splat(<i8>c);
    const vd = i8x16.splat(<i8>d);
    const ve = i8x16.splat(<i8>e);
    while (k + 16 <= limit) {
      const v = v128.load(src + k);
      const hit = v128.or(v128.or(i8x16.eq(v, va), i8x16.eq(v, vb)), v128.or(v128.or(i8x16.eq(v, vc), i8x16.eq(v, vd)), i8x16.eq(v, ve)));
      v128.store(dst + k, v);
      const bits = i8x16.bitmask(hit);
      if (bits != 0) return k + <u32>ctz(bits);
      k += 16;
    }
  }
  while (k < limit) {
    const x = load<u8>(src + k);
    if (x == a || x == b || x == c || x == d || x == e) return k;
    store<u8>(dst + k, x);
    k++;
  }
  return k;
}

/** Same contract as copyUntilAny, stopping at the first byte >= 0x80 (non-ASCII). */
export function copyAscii(src: usize, n: u32, dst: usize, room: u32): u32 {
  const limit = n < room ? n : room;
  let k: u32 = 0;
  while (k + 16 <= limit) {
    const v = v128.load(src + k);
    v128.store(dst + k, v);
    const bits = i8x16.bitmask(v); // top bit of each byte
    if (bits != 0) return k + <u32>ctz(bits);
    k += 16;
  }
  while (k < limit) {
    const x = load<u8>(src + k);
    if (x >= 0x80) return k;
    store<u8>(dst + k, x);
    k++;
  }
  return k;
}

/** Index of the first byte equal to `c` in src[from..len), or len. */
export function indexOfByte(src: usize, from: u32, len: u32, c: u8): u32 {
  let k = from;
  const vc = i8x16.splat(<i8>c);
  while (k + 16 <= len) {
    const bits = i8x16.bitmask(i8x16.eq(v128.load(src + k), vc));
    if (bits != 0) return k + <u32>ctz(bits);
    k += 16;
  }
  while (k < len && load<u8>(src + k) != c) k++;
  return k;
}

/** Index of the first byte equal to `a` or `b` in src[from..len), or len. */
export function indexOfEither(src: usize, from: u32, len: u32, a: u8, b: u8): u32 {
  let k = from;
  const va = i8x16.splat(<i8>a);
  const vb = i8x16.splat(<i8>b);
  while (k + 16 <= len) {
    const v = v128.load(src + k);
    const bits = i8x16.bitmask(v128.or(i8x16.eq(v, va), i8x16.eq(v, vb)));
    if (bits != 0) return k + <u32>ctz(bits);
    k += 16;
  }
  while (k < len) {
    const x = load<u8>(src + k);
    if (x == a || x == b) return k;
    k++;
  }
  return k;
}

/** Copies n bytes (short runs: cheaper than memory.copy's call for a few bytes). */
@inline export function copyShort(dst: usize, src: usize, n: u32): void {
  let k: u32 = 0;
  while (k + 16 <= n) { v128.store(dst + k, v128.load(src + k)); k += 16; }
  while (k < n) { store<u8>(dst + k, load<u8>(src + k)); k++; }
}
