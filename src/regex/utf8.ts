/**
 * Code point ranges → UTF-8 byte-range sequences (the algorithm of regex-syntax's
 * `Utf8Sequences`): a range of scalar values becomes a small set of sequences such as
 * `[C2-DF][80-BF]`, each matching exactly the UTF-8 encodings of a sub-range. Cost: at most
 * a few dozen sequences per range, independent of the range's size.
 */

export type ByteRange = readonly [number, number];
export type Utf8Sequence = ByteRange[];

const MAX_BY_LENGTH = [0x7f, 0x7ff, 0xffff, 0x10ffff];

export function encodeUtf8(cp: number): number[] {
  if (cp <= 0x7f) return [cp];
  if (cp <= 0x7ff) return [0xc0 | (cp >> 6), 0x80 | (cp & 0x3f)];
  if (cp <= 0xffff) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
}

/** Sequences matching exactly the UTF-8 encodings of the scalar values in [lo, hi]. */
export function utf8Sequences(lo: number, hi: number): Utf8Sequence[] {
  const out: Utf8Sequence[] = [];
  const stack: Array<[number, number]> = [[lo, hi]];
  while (stack.length > 0) {
    let [s, e] = stack.pop()!;
    for (;;) {
      // Surrogates are not encodable: split around them.
      if (s < 0xe000 && e > 0xd7ff) {
        if (s <= 0xd7ff) {
          stack.push([0xe000, e]);
          e = 0xd7ff;
        } else {
          s = 0xe000;
        }
        if (s > e) break;
        continue;
      }
      // Split at encoded-length boundaries.
      let split = false;
      for (const max of MAX_BY_LENGTH.slice(0, 3)) {
        if (s <= max && e > max) {
          stack.push([max + 1, e]);
          e = max;
          split = true;
          break;
        }
      }
      if (split) continue;
      if (e <= 0x7f) {
        out.push([[s, e]]);
        break;
      }
      // Split so that all but the leading bytes span full continuation ranges.
      let again = false;
      for (let i = 1; i < 4; i++) {
        const m = (1 << (6 * i)) - 1;
        if ((s & ~m) !== (e & ~m)) {
          if ((s & m) !== 0) {
            stack.push([(s | m) + 1, e]);
            e = s | m;
            again = true;
            break;
          }
          if ((e & m) !== m) {
            stack.push([e & ~m, e]);
            e = (e & ~m) - 1;
            again = true;
            break;
          }
        }
      }
      if (again) continue;
      const a = encodeUtf8(s);
      const b = encodeUtf8(e);
      out.push(a.map((x, k) => [x, b[k]] as ByteRange));
      break;
    }
  }
  return out;
}
