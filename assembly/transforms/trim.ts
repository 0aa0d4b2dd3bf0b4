// trim, trimLeft, trimRight: strip ASCII whitespace (space, \t \n \v \f \r) at the ends,
// as ModSecurity does (isspace in the C locale). Output length <= len.

@inline function isSpace(c: u32): bool {
  return c == 0x20 || c - 9 < 5;
}

function copyRange(src: usize, start: u32, end: u32, dst: usize, cap: u32): u32 {
  let n = end - start;
  if (n > cap) n = cap;
  memory.copy(dst, src + start, n);
  return n;
}

function firstNonSpace(src: usize, len: u32): u32 {
  let i: u32 = 0;
  while (i < len && isSpace(load<u8>(src + i))) i++;
  return i;
}

function endNonSpace(src: usize, start: u32, len: u32): u32 {
  let e = len;
  while (e > start && isSpace(load<u8>(src + e - 1))) e--;
  return e;
}

export function trim(src: usize, len: u32, dst: usize, cap: u32): u32 {
  const s = firstNonSpace(src, len);
  return copyRange(src, s, endNonSpace(src, s, len), dst, cap);
}

export function trimLeft(src: usize, len: u32, dst: usize, cap: u32): u32 {
  return copyRange(src, firstNonSpace(src, len), len, dst, cap);
}

export function trimRight(src: usize, len: u32, dst: usize, cap: u32): u32 {
  return copyRange(src, 0, endNonSpace(src, 0, len), dst, cap);
}
