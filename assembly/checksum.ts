// The pack image checksum: a Fletcher-style sum over four 32-bit lanes, 16 bytes a step.
//   a += block; b += a   (per lane, wrapping), then all eight lane sums are mixed into one u32.
// It catches any corrupted byte (a changes) and moved blocks (b weighs position). Tamper
// resistance is the job of signatures (src/lifecycle), not of this. It runs once per
// activation, typically in V8's baseline tier, so it is built for few steps: SIMD, and
// 16x fewer iterations than a byte-wise CRC. src/pack/checksum.ts computes the same value.
// The checksum field itself (bytes 20..23) counts as zero.

export function packChecksum(ptr: usize, len: u32): u32 {
  const saved = load<u32>(ptr + 20);
  store<u32>(ptr + 20, 0);
  let a = i32x4.splat(1);
  let b = i32x4.splat(0);
  let i: u32 = 0;
  for (; i + 16 <= len; i += 16) {
    a = i32x4.add(a, v128.load(ptr + i));
    b = i32x4.add(b, a);
  }
  if (i < len) {
    // Zero-padded last block: the slot has 16 spare bytes, but copy to be independent of them.
    const tail = memory.data(16);
    memory.fill(tail, 0, 16);
    memory.copy(tail, ptr + i, len - i);
    a = i32x4.add(a, v128.load(tail));
    b = i32x4.add(b, a);
  }
  store<u32>(ptr + 20, saved);
  // Every lane sum goes through a bijective mixer chained on the previous result, so a
  // change in any lane changes the result (no XOR fold that two changes could cancel).
  let h = mix(len);
  h = mix(h ^ <u32>i32x4.extract_lane(a, 0)); h = mix(h ^ <u32>i32x4.extract_lane(b, 0));
  h = mix(h ^ <u32>i32x4.extract_lane(a, 1)); h = mix(h ^ <u32>i32x4.extract_lane(b, 1));
  h = mix(h ^ <u32>i32x4.extract_lane(a, 2)); h = mix(h ^ <u32>i32x4.extract_lane(b, 2));
  h = mix(h ^ <u32>i32x4.extract_lane(a, 3)); h = mix(h ^ <u32>i32x4.extract_lane(b, 3));
  return h;
}

/** murmur3's 32-bit finaliser: a bijection with full avalanche. */
@inline function mix(x: u32): u32 {
  x ^= x >>> 16;
  x *= 0x85ebca6b;
  x ^= x >>> 13;
  x *= 0xc2b2ae35;
  x ^= x >>> 16;
  return x;
}
