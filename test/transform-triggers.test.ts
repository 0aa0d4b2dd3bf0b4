/**
 * The engine skips a transform when a value has none of its trigger bytes
 * (assembly/transform-triggers.ts). That is only sound if the transform is the identity on
 * every such value: checked here for every transform, on random inputs built from the
 * bytes outside its trigger set (and on inputs rich in the bytes nearest to it).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Transform } from "../src/engine/abi.js";
import { instantiateEngine } from "./support/wasm.js";

const wasm = instantiateEngine();
wasm.exports.configure(1 << 16, 64, 1 << 16, 64, 4096);
const src = wasm.exports.arenaPtr() as number;
const dst = wasm.exports.scratchPtr() as number;
const ALWAYS = 0xffffffff;

function features(bytes: Uint8Array): number {
  wasm.bytes().set(bytes, src);
  return wasm.exports.valueFeatures(src, bytes.length) >>> 0;
}

describe("transform trigger masks", () => {
  for (const [name, id] of Object.entries(Transform)) {
    if (id === 0) continue;
    const trigger = wasm.exports.transformTriggers(id) >>> 0;
    if (trigger === ALWAYS) continue;
    // The bytes whose features do not intersect the trigger set.
    const allowed = Array.from({ length: 256 }, (_, b) => b).filter((b) => (features(Uint8Array.of(b)) & trigger) === 0);
    it(`${name}: identity on values without its trigger bytes`, () => {
      expect(allowed.length).toBeGreaterThan(0);
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...allowed), { maxLength: 64 }), (arr) => {
          const input = Uint8Array.from(arr);
          wasm.bytes().set(input, src);
          const n = wasm.exports.transform(id, src, input.length, dst, 1 << 16);
          expect(Array.from(wasm.bytes().subarray(dst, dst + n))).toEqual(arr);
        }),
        { numRuns: 400 },
      );
    });
  }
  it("feature masks see every byte of the value", () => {
    expect(features(new TextEncoder().encode("abc"))).not.toBe(features(new TextEncoder().encode("abc%")));
    expect(features(new Uint8Array(0))).toBe(0);
  });
});
