// Hex digit helpers shared by the decoders (no table: three compares beat a memory load here).

/** Value of an ASCII hex digit (either case), or -1. */
@inline export function hexValue(c: u32): i32 {
  if (c - 0x30 < 10) return <i32>(c - 0x30);
  const l = c | 0x20;
  if (l - 0x61 < 6) return <i32>(l - 0x61 + 10);
  return -1;
}

@inline export function isHex(c: u32): bool {
  return hexValue(c) >= 0;
}

/** Lowercase hex digit for a nibble 0..15. */
@inline export function hexDigit(nibble: u32): u8 {
  return <u8>(nibble < 10 ? 0x30 + nibble : 0x57 + nibble);
}
