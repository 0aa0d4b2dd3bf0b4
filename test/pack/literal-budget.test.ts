import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FieldKind as K } from "../../src/engine/abi.js";
import { loadRawEngine } from "./harness.js";

// A large literal set must keep a deep prefix trie (src/pack/aho-corasick.ts
// MAX_CELLS_LARGE): 10,000 random 8–12-letter literals fit K = 3 in 256 Ki cells, where
// nearly every position of a word would be a prefix hit with dozens of literals to verify;
// the larger budget takes them to K ≥ 4. Matching must not change with the budget.
describe("a large literal set (the prefilter's larger table budget)", () => {
  let seed = 11;
  const next = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const literals = Array.from({ length: 10_000 }, () => Array.from({ length: 8 + next(5) }, () => letters[next(26)]!).join(""));
  const engine = loadRawEngine({
    name: "t", version: "1.0.0",
    rules: [{ id: "big", message: "big", family: "test", targets: ["args"], operator: { pm: literals } }],
  });
  const view = new DataView(engine.image.buffer, engine.image.byteOffset);
  const prefixLength = view.getUint32(view.getUint32(48, true) + 28, true);
  const fires = (value: string) => engine.inspect([{ kind: K.queryArg, name: "q", value }]).matches.length > 0;

  it("keeps prefixes of at least 4 bytes", () => expect(prefixLength).toBeGreaterThanOrEqual(4));
  it("finds every literal inside other text, whatever its case", () => {
    for (let i = 0; i < literals.length; i += 97) {
      const l = literals[i]!;
      expect([l, fires(`x1 ${i % 2 ? l.toUpperCase() : l} 2y`)]).toEqual([l, true]);
    }
  });
  it("fires exactly when the value contains a literal (property)", () => {
    // Values spliced from pieces of literals, so near misses (a prefix without its rest) abound.
    const piece = fc.tuple(fc.nat(literals.length - 1), fc.nat(12), fc.nat(12)).map(([i, a, b]) => literals[i]!.slice(Math.min(a, b), Math.max(a, b) + 1));
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.constantFrom(" ", "-", "Q")), { maxLength: 12 }), (parts) => {
        const value = parts.join("");
        const expected = literals.some((l) => value.toLowerCase().includes(l));
        expect([value, fires(value)]).toEqual([value, expected]);
      }),
      { numRuns: 300 },
    );
  });
});
