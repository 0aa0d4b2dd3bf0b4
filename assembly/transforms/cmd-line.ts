// cmdLine: ModSecurity's t:cmdLine, byte for byte:
//  - delete `\` `"` `'` `^`;
//  - space, `,`, `;`, \t \r \n: a run of them becomes one space;
//  - a space right before `/` or `(` is deleted;
//  - everything else is lowercased (ASCII).
// So `c^a"t /e't'c/p\asswd` -> `cat/etc/passwd`. Output length <= len.
// Chunks go through 16 bytes at a time: `\ " ' ^` squeezed out, separator runs and
// runs before `/` `(` dropped, by SIMD compaction.
import { storeKept, compactLanes, compactedCount } from "./compact";

export function cmdLine(src: usize, len: u32, dst: usize, cap: u32): u32 {
  let o: u32 = 0;
  let i: u32 = 0;
  let space = false;
  const vA = i8x16.splat(0x41);
  const v26 = i8x16.splat(26);
  const vBit = i8x16.splat(0x20);
  const allOnes = i8x16.splat(-1);
  const zero = i8x16.splat(0);
  while (i < len) {
    while (i + 16 <= len && o + 16 <= cap) {
      let v = v128.load(src + i);
      // `\ " ' ^` are transparent (they do not even end a separator run), so they are
      // squeezed out first and the rest of the chunk is processed as if they never were.
      const del = v128.or(
        v128.or(i8x16.eq(v, i8x16.splat(0x5C)), i8x16.eq(v, i8x16.splat(0x22))),
        v128.or(i8x16.eq(v, i8x16.splat(0x27)), i8x16.eq(v, i8x16.splat(0x5E))),
      );
      const delBits = <u32>i8x16.bitmask(del);
      let n: u32 = 16;
      if (delBits != 0) {
        v = compactLanes(v, ~delBits & 0xFFFF);
        n = compactedCount;
        if (n == 0) { i += 16; continue; }
      }
      const valid: u32 = n == 16 ? 0xFFFF : (1 << n) - 1;
      const sep = v128.or(
        v128.or(i8x16.eq(v, i8x16.splat(0x20)), i8x16.eq(v, i8x16.splat(0x2C))),
        v128.or(i8x16.eq(v, i8x16.splat(0x3B)),
          v128.or(i8x16.eq(v, i8x16.splat(0x09)), v128.or(i8x16.eq(v, i8x16.splat(0x0D)), i8x16.eq(v, i8x16.splat(0x0A))))),
      );
      const opener = v128.or(i8x16.eq(v, i8x16.splat(0x2F)), i8x16.eq(v, i8x16.splat(0x28)));
      const afterSep = i8x16.shuffle(space ? allOnes : zero, sep, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30);
      // Lanes past n are 0 (not an opener), so the last real lane never sees a fake `/`.
      const beforeOpener = i8x16.shuffle(opener, zero, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
      const sepRun = v128.and(sep, afterSep);
      // Separators whose run ends at `/` or `(` all go (the run's one space is deleted):
      // propagate "ends at an opener" backwards through runs by doubling (1, 2, 4, 8 lanes).
      let toOpener = v128.and(sep, beforeOpener);
      if (v128.any_true(toOpener)) {
        let allSep = sep;
        toOpener = v128.or(toOpener, v128.and(allSep, i8x16.shuffle(toOpener, zero, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)));
        allSep = v128.and(allSep, i8x16.shuffle(allSep, zero, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16));
        toOpener = v128.or(toOpener, v128.and(allSep, i8x16.shuffle(toOpener, zero, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17)));
        allSep = v128.and(allSep, i8x16.shuffle(allSep, zero, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17));
        toOpener = v128.or(toOpener, v128.and(allSep, i8x16.shuffle(toOpener, zero, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19)));
        allSep = v128.and(allSep, i8x16.shuffle(allSep, zero, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19));
        toOpener = v128.or(toOpener, v128.and(allSep, i8x16.shuffle(toOpener, zero, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23)));
      }
      // The previous chunk wrote a space for a run that ends at `/` or `(` in this chunk.
      if (space && i8x16.extract_lane_u(v128.or(opener, toOpener), 0) != 0) o--;
      const lower = v128.xor(v, v128.and(i8x16.lt_u(i8x16.sub(v, vA), v26), vBit));
      const mapped = v128.bitselect(vBit, lower, sep);
      const drop = <u32>i8x16.bitmask(v128.or(sepRun, toOpener));
      const keep = ~drop & valid;
      if (keep == 0xFFFF) {
        v128.store(dst + o, mapped);
        o += 16;
      } else {
        o += storeKept(mapped, keep, dst + o);
      }
      space = ((<u32>i8x16.bitmask(sep) >> (n - 1)) & 1) != 0;
      i += 16;
    }
    const stop = i + 16 < len ? i + 16 : len;
    for (; i < stop; i++) {
      const c = <u32>load<u8>(src + i);
      switch (c) {
        case 0x5C: case 0x22: case 0x27: case 0x5E:
          break;
        case 0x20: case 0x2C: case 0x3B: case 0x09: case 0x0D: case 0x0A:
          if (!space) {
            if (o >= cap) return o;
            store<u8>(dst + o, 0x20);
            o++;
            space = true;
          }
          break;
        case 0x2F: case 0x28:
          if (space) o--; // the pending space was written at o-1 (< cap)
          space = false;
          if (o >= cap) return o;
          store<u8>(dst + o, <u8>c);
          o++;
          break;
        default:
          space = false;
          if (o >= cap) return o;
          store<u8>(dst + o, <u8>(c - 0x41 < 26 ? c | 0x20 : c));
          o++;
      }
    }
  }
  return o;
}
