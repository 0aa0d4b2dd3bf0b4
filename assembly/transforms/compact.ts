// SIMD stream compaction: store only the kept bytes of a 16-byte vector, in order.
// Used by the transforms that delete bytes (removeNulls, removeWhitespace,
// compressWhitespace), so a chunk with a few deletions still moves at vector speed
// instead of falling back to a byte loop. Each 8-byte half is gathered with one swizzle
// through a 256-entry table of lane indices (2 KB, built at instantiation).

// For each 8-bit keep-mask: the indices of its set bits, in order, padded with 0. Built at
// instantiation (256 masks, a few microseconds) rather than shipped: 2 KB of engine.wasm.
const KEEP_LANES = memory.data(2048, 8);

function buildKeepLanes(): void {
  for (let mask: u32 = 0; mask < 256; mask++) {
    let n: usize = 0;
    for (let bit: u32 = 0; bit < 8; bit++) {
      if ((mask >> bit) & 1) store<u8>(KEEP_LANES + (<usize>mask << 3) + n++, <u8>bit);
    }
  }
}
buildKeepLanes();

/**
 * Writes the lanes of `v` whose bit is set in `keep` (16-bit mask, bit i = lane i) to dst
 * and returns how many. Writes up to 16 bytes at dst whatever the count: the caller must
 * have 16 bytes of room.
 */
@inline export function storeKept(v: v128, keep: u32, dst: usize): u32 {
  const lo = keep & 0xFF;
  const hi = (keep >> 8) & 0xFF;
  const nLo = <u32>popcnt(lo);
  const idxLo = v128.load64_zero(KEEP_LANES + (lo << 3));
  // High half: the same table, lane numbers shifted by 8.
  const idxHi = i8x16.add(v128.load64_zero(KEEP_LANES + (hi << 3)), i8x16.splat(8));
  store<u64>(dst, i64x2.extract_lane(i8x16.swizzle(v, idxLo), 0));
  store<u64>(dst + nLo, i64x2.extract_lane(i8x16.swizzle(v, idxHi), 0));
  return nLo + <u32>popcnt(hi);
}

const IOTA = memory.data<u8>([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);

/** Number of lanes kept by the last compactLanes call. */
export let compactedCount: u32 = 0;

/**
 * The lanes of `v` whose bit is set in `keep`, moved to the front in order; the other
 * lanes are 0. The count is left in compactedCount.
 */
@inline export function compactLanes(v: v128, keep: u32): v128 {
  const lo = keep & 0xFF;
  const hi = (keep >> 8) & 0xFF;
  const nLo = <u32>popcnt(lo);
  const iota = v128.load(IOTA);
  const idxLo = v128.load64_zero(KEEP_LANES + (lo << 3));
  const idxHi = i8x16.add(v128.load64_zero(KEEP_LANES + (hi << 3)), i8x16.splat(8));
  const front = v128.and(i8x16.swizzle(v, idxLo), i8x16.lt_u(iota, i8x16.splat(<i8>nLo)));
  // The high half's kept lanes, gathered then slid up by nLo lanes (out-of-range -> 0).
  const back = i8x16.swizzle(i8x16.swizzle(v, idxHi), i8x16.sub(iota, i8x16.splat(<i8>nLo)));
  compactedCount = nLo + <u32>popcnt(hi);
  return v128.and(v128.or(front, back), i8x16.lt_u(iota, i8x16.splat(<i8>compactedCount)));
}
