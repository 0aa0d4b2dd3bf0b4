/**
 * The pack image checksum (assembly/checksum.ts computes the same): a Fletcher-style sum
 * over four 32-bit lanes of 16-byte blocks (the last one zero-padded), with the checksum
 * field (bytes 20..23) counted as zero. Catches corruption, not tampering: signatures do that.
 */
export function packChecksum(image: Uint8Array): number {
  const len = image.length;
  const padded = new Uint8Array((len + 15) & ~15);
  padded.set(image);
  padded.fill(0, 20, 24);
  const words = new Uint32Array(padded.buffer);
  const a = [1, 1, 1, 1];
  const b = [0, 0, 0, 0];
  for (let i = 0; i < words.length; i += 4) {
    for (let l = 0; l < 4; l++) {
      a[l] = (a[l]! + words[i + l]!) >>> 0;
      b[l] = (b[l]! + a[l]!) >>> 0;
    }
  }
  let h = mix(len);
  for (let l = 0; l < 4; l++) {
    h = mix((h ^ a[l]!) >>> 0);
    h = mix((h ^ b[l]!) >>> 0);
  }
  return h;
}

/** murmur3's 32-bit finaliser: a bijection with full avalanche. */
function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}
