/**
 * 64-bit keys for the rate-limit table, hashed in JS over UTF-16 code units.
 *
 * Why in JS and not in Wasm: identities are short (an IP, a user id), and writing them
 * into Wasm memory costs 40–60 ns per `encodeInto` before any hashing; two 32-bit lanes
 * with `Math.imul` over `charCodeAt` (two UTF-16 units per step) need no copy.
 *
 * Two independent multiply–xorshift lanes (FNV-1a style with different primes) give the
 * 64 bits; a murmur3 finaliser on each lane with cross-mixing gives avalanche. The
 * seed should be secret per process (the limiter draws one at random): with a known seed
 * an attacker could search for identities whose key equals a victim's and spend the
 * victim's budget. This is not a cryptographic hash; a 64-bit collision by chance among
 * 65,536 tracked identities has probability ~1e-10.
 *
 * State and result live in typed arrays, not `let` variables: a 32-bit value outside the
 * small-integer range stored in a module variable is boxed (a heap allocation per store),
 * which showed up as ~50 scavenges per million checks; typed-array slots never box.
 */
/** The last key: [lo, hi]. */
export const hashOut = new Uint32Array(2);

/** Lane state between `hashBegin`, `hashString`/`hashNumber` and `hashEnd`. */
const lanes = new Int32Array(2);

export function hashBegin(seedLo: number, seedHi: number): void {
  lanes[0] = seedLo;
  lanes[1] = seedHi;
}

/**
 * Feeds a string followed by its length, so ("ab","c") and ("a","bc") differ. Two UTF-16
 * units per step (one 32-bit word) halve the multiplies.
 */
export function hashString(s: string): void {
  let a = lanes[0];
  let b = lanes[1];
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const w = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
    a = Math.imul(a ^ w, 0x01000193);
    b = Math.imul(b ^ w, 0x5bd1e995);
    b ^= b >>> 15;
  }
  if (i < n) {
    const w = s.charCodeAt(i);
    a = Math.imul(a ^ w, 0x01000193);
    b = Math.imul(b ^ w, 0x5bd1e995);
    b ^= b >>> 15;
  }
  lanes[0] = Math.imul(a ^ (n | 0x40000000), 0x01000193);
  lanes[1] = Math.imul(b ^ (n | 0x40000000), 0x5bd1e995);
}

/** Feeds a number (a characteristic index, a missing-identity marker). */
export function hashNumber(n: number): void {
  lanes[0] = Math.imul(lanes[0] ^ n, 0x01000193);
  const b = Math.imul(lanes[1] ^ n, 0x5bd1e995);
  lanes[1] = b ^ (b >>> 13);
}

/** Finalises into `hashOut`. */
export function hashEnd(): void {
  finish(lanes[0], lanes[1]);
}

/**
 * The key of three numbers in one call, equal to hashBegin(seed); hashNumber(x) for x of
 * (n0, n1, n2); hashEnd(): the limiter's fast path for a policy keyed by IPv4 alone.
 */
export function hashThreeNumbers(seedLo: number, seedHi: number, n0: number, n1: number, n2: number): void {
  let a = Math.imul(seedLo ^ n0, 0x01000193);
  let b = Math.imul(seedHi ^ n0, 0x5bd1e995);
  b ^= b >>> 13;
  a = Math.imul(a ^ n1, 0x01000193);
  b = Math.imul(b ^ n1, 0x5bd1e995);
  b ^= b >>> 13;
  a = Math.imul(a ^ n2, 0x01000193);
  b = Math.imul(b ^ n2, 0x5bd1e995);
  b ^= b >>> 13;
  finish(a, b);
}

function finish(laneA: number, laneB: number): void {
  let a = laneA ^ (laneB >>> 16);
  let b = laneB ^ (a >>> 15);
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
  a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
  a ^= a >>> 16;
  b = Math.imul(b ^ (b >>> 16), 0x85ebca6b);
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  b ^= (b >>> 16) ^ a;
  hashOut[0] = a;
  hashOut[1] = b;
}

/** Convenience for non-hot paths: the 64-bit hash of strings as 16 hex digits. */
export function hashHex(seedLo: number, seedHi: number, parts: readonly string[]): string {
  hashBegin(seedLo, seedHi);
  for (const p of parts) hashString(p);
  hashEnd();
  return hashOut[1].toString(16).padStart(8, "0") + hashOut[0].toString(16).padStart(8, "0");
}

/** Derives a 64-bit seed from a string (policy ids, a shared store secret). */
export function seedFromString(text: string, baseLo = 0x811c9dc5, baseHi = 0x2545f491): [number, number] {
  hashBegin(baseLo, baseHi);
  hashString(text);
  hashEnd();
  return [hashOut[0], hashOut[1]];
}
