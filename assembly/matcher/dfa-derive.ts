// Regex DFA tables travel in the pack image in compact form (state ids, one byte each when
// there are ≤ 256 states; src/regex/dfa-format.ts `compactDfaTable`). At activation each is
// checked here and expanded to the walker's pre-multiplied form (dfa.ts) in engine memory:
// every cell then holds the byte offset of a real row, by construction, so the walk needs no
// bounds checks. Cost: one pass over the cells (~78 K cells for the default pack).

const MAGIC: u32 = 0x41464457; // "WDFA"
const COMPACT_VERSION: u32 = 2;
const FLAG_WIDE: u32 = 1;
const HEADER: u32 = 288; // header (32) + class map (256)

/** Bytes the derived (pre-multiplied) table needs, or 0 when the compact table is malformed. */
export function dfaDerivedBytes(base: usize, off: u32, len: u32): u32 {
  if (<u64>off + HEADER > <u64>len) return 0;
  const t = base + off;
  if (load<u32>(t) != MAGIC || <u32>load<u16>(t + 4) != COMPACT_VERSION) return 0;
  const flags = <u32>load<u16>(t + 6);
  const states = load<u32>(t + 8);
  const classes = load<u32>(t + 12);
  // classes: byte classes + the end-of-input class; ≥ 256 states need two-byte ids.
  if (states == 0 || states > 0xffff || classes < 2 || classes > 257) return 0;
  if ((states > 256) != ((flags & FLAG_WIDE) != 0)) return 0;
  const width: u32 = (flags & FLAG_WIDE) != 0 ? 2 : 1;
  const cells = <u64>states * classes;
  if (<u64>off + HEADER + cells * width > <u64>len) return 0;
  if (load<u32>(t + 16) >= states || load<u32>(t + 20) >= states || load<u32>(t + 24) > states) return 0;
  if (load<u32>(t + 28) != classes - 1) return 0;
  for (let b = 0; b < 256; b++) if (<u32>load<u8>(t + 32 + b) >= classes - 1) return 0;
  const trans = t + HEADER;
  // Every id < states, sixteen (or eight) cells a step. Ids < 256 always fit a byte.
  const n = <usize>cells;
  let i: usize = 0;
  if (width == 1) {
    if (states < 256) {
      const limit = i8x16.splat(<i8>states);
      for (; i + 16 <= n; i += 16) if (!i8x16.all_true(i8x16.lt_u(v128.load(trans + i), limit))) return 0;
      for (; i < n; i++) if (<u32>load<u8>(trans + i) >= states) return 0;
    }
  } else {
    const limit = i16x8.splat(<i16>states);
    for (; i + 8 <= n; i += 8) if (!i16x8.all_true(i16x8.lt_u(v128.load(trans + (i << 1)), limit))) return 0;
    for (; i < n; i++) if (<u32>load<u16>(trans + (i << 1)) >= states) return 0;
  }
  const entry: u64 = (<u64>(states - 1) * classes * 2 > 0xffff) ? 4 : 2;
  const bytes = <u64>HEADER + cells * entry;
  return bytes > 0x7fffffff ? 0 : (<u32>bytes + 15) & ~15;
}

/**
 * Writes the pre-multiplied table for the (validated) compact table at `src` into `dst`;
 * returns the bytes used (dfaDerivedBytes).
 */
export function dfaDerive(src: usize, dst: usize): u32 {
  const flags = <u32>load<u16>(src + 6);
  const states = load<u32>(src + 8);
  const classes = load<u32>(src + 12);
  const narrow = (flags & FLAG_WIDE) == 0;
  const wideOut = <u64>(states - 1) * classes * 2 > 0xffff;
  const rowBytes: u32 = classes * (wideOut ? 4 : 2);
  memory.copy(dst, src, HEADER);
  store<u16>(dst + 4, 1); // the walker's version: pre-multiplied
  store<u16>(dst + 6, <u16>((flags & ~FLAG_WIDE) | (wideOut ? FLAG_WIDE : 0)));
  store<u32>(dst + 16, load<u32>(src + 16) * rowBytes);
  store<u32>(dst + 20, load<u32>(src + 20) * rowBytes);
  store<u32>(dst + 24, load<u32>(src + 24) * rowBytes);
  const cells = <usize>states * classes;
  const from = src + HEADER;
  const to = dst + HEADER;
  // Widen the ids and multiply by the row size, sixteen cells a step (the common case: one-
  // byte ids into two-byte offsets); the tail and the rarer widths one cell at a time.
  let i: usize = 0;
  if (narrow && !wideOut) {
    const row = i16x8.splat(<i16>rowBytes);
    for (; i + 16 <= cells; i += 16) {
      const ids = v128.load(from + i);
      v128.store(to + (i << 1), i16x8.mul(i16x8.extend_low_i8x16_u(ids), row));
      v128.store(to + (i << 1) + 16, i16x8.mul(i16x8.extend_high_i8x16_u(ids), row));
    }
  }
  for (; i < cells; i++) {
    const id = narrow ? <u32>load<u8>(from + i) : <u32>load<u16>(from + (i << 1));
    if (wideOut) store<u32>(to + (i << 2), id * rowBytes);
    else store<u16>(to + (i << 1), <u16>(id * rowBytes));
  }
  return (HEADER + <u32>cells * (wideOut ? 4 : 2) + 15) & ~15;
}
