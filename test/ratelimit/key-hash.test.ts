import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { hashBegin, hashEnd, hashString, hashHex, hashOut } from "../../src/ratelimit/key-hash";

function key(seed: [number, number], parts: string[]): string {
  return hashHex(seed[0], seed[1], parts);
}

describe("64-bit identity key hash", () => {
  it("gives 1,000,000 distinct identities 1,000,000 distinct keys", () => {
    const N = 1_000_000;
    const keys = new BigUint64Array(N);
    for (let i = 0; i < N; i++) {
      hashBegin(1, 2);
      hashString(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
      hashEnd();
      keys[i] = (BigInt(hashOut[1]) << 32n) | BigInt(hashOut[0]);
    }
    keys.sort();
    let duplicates = 0;
    for (let i = 1; i < N; i++) if (keys[i] === keys[i - 1]) duplicates++;
    expect(duplicates).toBe(0);
  });

  it("separates part boundaries and depends on the seed", () => {
    expect(key([1, 2], ["ab", "c"])).not.toBe(key([1, 2], ["a", "bc"]));
    expect(key([1, 2], ["a", ""])).not.toBe(key([1, 2], ["a"]));
    expect(key([1, 2], ["x"])).not.toBe(key([1, 3], ["x"]));
  });

  it("is a function of its input (property) and flips about half the bits per changed char", () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 40 }), (s) => key([5, 6], [s]) === key([5, 6], [s])));
    let flipped = 0;
    const N = 2000;
    for (let i = 0; i < N; i++) {
      const a = `user-${i}`;
      const x = BigInt("0x" + key([7, 8], [a]));
      const y = BigInt("0x" + key([7, 8], [`user-${i ^ 1}`]));
      flipped += (x ^ y).toString(2).replace(/0/g, "").length;
    }
    const mean = flipped / N;
    expect(mean).toBeGreaterThan(28);
    expect(mean).toBeLessThan(36);
  });
});

describe("hashThreeNumbers", () => {
  it("equals hashBegin + three hashNumber + hashEnd (the limiter's IPv4 fast path relies on it)", async () => {
    const { hashThreeNumbers, hashNumber } = await import("../../src/ratelimit/key-hash");
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }),
      (seed, n1, n2) => {
        hashBegin(seed, seed ^ 0x5555); hashNumber(0); hashNumber(n1); hashNumber(n2); hashEnd();
        const generic = [hashOut[0], hashOut[1]];
        hashThreeNumbers(seed, seed ^ 0x5555, 0, n1, n2);
        return hashOut[0] === generic[0] && hashOut[1] === generic[1];
      }));
  });
});
