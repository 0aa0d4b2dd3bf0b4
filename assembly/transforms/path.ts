// normalizePath and normalizePathWin (`\` is a separator too, written as `/`).
// Collapses `//` to `/`, drops `.` segments, and lets `..` remove the segment before it.
// Deliberate security choice: a `..` with nothing left to remove (above the root of an
// absolute path, or leading in a relative one) is KEPT, so traversal attempts stay visible
// to rules: `/a/../../etc/passwd` -> `/../etc/passwd`, `a/../../b` -> `../b`.
// A trailing `/` is kept; a final `.` or removing `..` leaves a trailing `/` (it names a
// directory). Idempotent. Output length <= len. If the output would pass `cap`, the
// transform stops there (the result is then a truncated normalisation).

import { indexOfEither, copyShort } from "./plain-run";

const SLASH: u8 = 0x2F;
const DOT: u8 = 0x2E;

function normalize(src: usize, len: u32, dst: usize, cap: u32, backslash: bool): u32 {
  let o: u32 = 0;
  let i: u32 = 0;
  if (len > 0 && isSep(load<u8>(src), backslash)) {
    if (cap == 0) return 0;
    store<u8>(dst, SLASH);
    o = 1;
  }
  // Bytes below `floor` are the root or kept `..` segments: `..` cannot remove them.
  let floor = o;
  // Whether the last thing done was writing a name or kept `..` (then a trailing `/` we
  // added after it is dropped when the input does not end with a separator).
  let endsWithName = false;
  while (i < len) {
    // Segment [i, j)
    const j = indexOfEither(src, i, len, SLASH, backslash ? 0x5C : SLASH);
    const n = j - i;
    if (n == 0 || (n == 1 && load<u8>(src + i) == DOT)) {
      if (n == 1) endsWithName = false;
    } else if (n == 2 && load<u8>(src + i) == DOT && load<u8>(src + i + 1) == DOT) {
      if (o > floor) {
        // Remove the last segment (written as "name/").
        o--;
        while (o > floor && load<u8>(dst + o - 1) != SLASH) o--;
        endsWithName = false;
      } else {
        if (o + 3 > cap) return o;
        store<u8>(dst + o, DOT);
        store<u8>(dst + o + 1, DOT);
        store<u8>(dst + o + 2, SLASH);
        o += 3;
        floor = o;
        endsWithName = true;
      }
    } else {
      if (o + n + 1 > cap) {
        const room = cap - o;
        copyShort(dst + o, src + i, room);
        return cap;
      }
      copyShort(dst + o, src + i, n);
      store<u8>(dst + o + n, SLASH);
      o += n + 1;
      endsWithName = true;
    }
    i = j + 1; // skip the separator (or step past the end)
  }
  const endsWithSep = len > 0 && isSep(load<u8>(src + len - 1), backslash);
  if (endsWithName && !endsWithSep && o > 0) o--;
  return o;
}

@inline function isSep(c: u8, backslash: bool): bool {
  return c == SLASH || (backslash && c == 0x5C);
}

export function normalizePath(src: usize, len: u32, dst: usize, cap: u32): u32 {
  return normalize(src, len, dst, cap, false);
}

export function normalizePathWin(src: usize, len: u32, dst: usize, cap: u32): u32 {
  return normalize(src, len, dst, cap, true);
}
