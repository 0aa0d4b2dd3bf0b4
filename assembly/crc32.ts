// CRC-32 (IEEE) with a 256-entry table built once; checks pack integrity at activation.
const table = new StaticArray<u32>(256);
let ready = false;

/** CRC-32 of bytes [ptr, ptr+len) continuing from `seed` (the result of a previous call, or 0). */
export function crc32(ptr: usize, len: u32, seed: u32 = 0): u32 {
  if (!ready) {
    for (let n: u32 = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      unchecked((table[n] = c));
    }
    ready = true;
  }
  let c: u32 = seed ^ 0xffffffff;
  for (let i: u32 = 0; i < len; i++) c = unchecked(table[(c ^ <u32>load<u8>(ptr + i)) & 0xff]) ^ (c >>> 8);
  return c ^ 0xffffffff;
}
