/** transformChain: ids applied in order, result always in bufA, whatever buffer src is. */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { instantiateEngine } from "../support/wasm";
import { Transform, TRANSFORM_COUNT, MAX_CHAIN } from "../../src/engine/abi";
import { createTransformer, latin1 } from "./harness";

function setup() {
  const engine = instantiateEngine();
  const ex = engine.exports;
  ex.configure(1 << 16, 64, 1 << 16, 64, 4096);
  const bufA = ex.scratchPtr() as number;
  const bufB = ex.scratch2Ptr() as number;
  const arena = ex.arenaPtr() as number;
  const chainAt = ex.resultPtr() as number;
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const runBytes = (ids: number[], input: string, src: number, cap = 1 << 16, chainLen = ids.length) => {
    const bytes = enc.encode(input);
    engine.bytes().set(bytes, src);
    engine.bytes().set(ids, chainAt);
    const n = ex.transformChain(chainAt, chainLen, src, bytes.length, bufA, bufB, cap) >>> 0;
    return engine.bytes().slice(bufA, bufA + n);
  };
  const run = (ids: number[], input: string, src: number, cap = 1 << 16, chainLen = ids.length) =>
    dec.decode(runBytes(ids, input, src, cap, chainLen));
  return { run, runBytes, bufA, bufB, arena };
}

const { urlDecode, lowercase, removeWhitespace, trim, compressWhitespace, hexEncode } = Transform;

describe("transformChain", () => {
  const { run, runBytes, bufA, bufB, arena } = setup();

  it("an empty chain copies the input to bufA", () => {
    expect(run([], "AbC", arena)).toBe("AbC");
  });

  it("applies ids in order, odd and even lengths, result in bufA", () => {
    expect(run([urlDecode], "%41+b", arena)).toBe("A b");
    expect(run([urlDecode, lowercase], "%41+B", arena)).toBe("a b");
    expect(run([urlDecode, lowercase, removeWhitespace], "%41+B", arena)).toBe("ab");
    expect(run([urlDecode, urlDecode, lowercase, trim], " %2541 ", arena)).toBe("a");
  });

  it("stops at the first 0 id and at chainLen", () => {
    expect(run([lowercase, 0, urlDecode], "%4A", arena)).toBe("%4a");
    expect(run([lowercase, urlDecode], "%4A", arena, 1 << 16, 1)).toBe("%4a");
  });

  it("works when the input already sits in bufA or bufB", () => {
    for (const src of [bufA, bufB]) {
      expect(run([lowercase], "%41  B", src)).toBe("%41  b");
      expect(run([lowercase, urlDecode], "%41  B", src)).toBe("A  b");
      expect(run([urlDecode, lowercase, compressWhitespace], "%41  B", src)).toBe("a b");
      expect(run([], "same", src)).toBe("same");
    }
  });

  it("reads at most MAX_CHAIN ids", () => {
    const nine = Array.from({ length: MAX_CHAIN + 1 }, () => urlDecode);
    // "%" then "25" repeated: each urlDecode peels one level; the ninth is never applied.
    const nested = "%" + "25".repeat(MAX_CHAIN) + "41";
    expect(run(nine, nested, arena, 1 << 16, 1 << 30)).toBe("%41");
  });

  it("an unknown id copies", () => {
    expect(run([TRANSFORM_COUNT + 7, lowercase], "X", arena)).toBe("x");
  });

  it("cap bounds every step (expanding transforms included)", () => {
    expect(run([hexEncode, hexEncode], "A", arena, 3)).toBe("343");
    expect(run([hexEncode], "AB", arena, 0)).toBe("");
  });

  it("equals applying the transforms one by one (random chains, inputs, sources)", () => {
    const t = createTransformer();
    const ids = fc.array(fc.integer({ min: 1, max: TRANSFORM_COUNT - 1 }), { maxLength: 8 });
    const text = fc.string({ maxLength: 60 });
    fc.assert(
      fc.property(ids, text, fc.constantFrom(arena, bufA, bufB), (chain, s, src) => {
        const viaChain = runBytes(chain, s, src);
        let step: Uint8Array = new TextEncoder().encode(s);
        for (const id of chain) step = t.run(id, step);
        expect(latin1(viaChain)).toBe(latin1(step));
        expect(latin1(t.chain(chain, s))).toBe(latin1(step));
      }),
      { numRuns: 400 },
    );
  });
});
