// Does a value hold any byte of a set? The check in front of a regex with no prefilter
// literal (src/regex/required-bytes.ts): a value without any byte every match needs skips
// the DFA walk. Sixteen bytes a step: two table lookups by low nibble (i8x16.swizzle), one
// for bytes < 0x80 and one for the rest, give each byte its row of eight high-nibble bits;
// a third lookup gives the bit of its high nibble. About ten vector instructions per sixteen
// bytes, against one dependent table load per byte for the walk it saves.

/** Bit (h & 7) for high nibble h. */
const HIGH_NIBBLE_BIT = memory.data<u8>([1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128]);

/** True when input[0..len) holds a byte of the 32-byte set at `set`. */
export function holdsAnyByte(set: usize, input: usize, len: u32): bool {
  const low = v128.load(set);
  const high = v128.load(set + 16);
  const bits = v128.load(HIGH_NIBBLE_BIT);
  const nibble = i8x16.splat(0x0f);
  const zero = i8x16.splat(0);
  let p = input;
  const end = input + <usize>len;
  for (; p + 16 <= end; p += 16) {
    const v = v128.load(p);
    const lo = v128.and(v, nibble);
    const row = v128.bitselect(i8x16.swizzle(high, lo), i8x16.swizzle(low, lo), i8x16.lt_s(v, zero));
    if (v128.any_true(v128.and(row, i8x16.swizzle(bits, i8x16.shr_u(v, 4))))) return true;
  }
  for (; p < end; p++) {
    const b = <u32>load<u8>(p);
    if ((<u32>load<u8>(set + (b < 0x80 ? 0 : 16) + (b & 15)) & (1 << ((b >> 4) & 7))) != 0) return true;
  }
  return false;
}
