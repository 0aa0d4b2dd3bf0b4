/**
 * The literal automaton's plain walk (assembly/matcher/aho-corasick.ts) over the dense table
 * derived at activation (aho-corasick-derive.ts; layout in aho-corasick-table.ts: a state is
 * held as its row's offset in 32-byte units and turned back into its number at an output):
 * every occurrence of every literal, against a reference, for each walk (one walk under 20
 * bytes, the ordered four-way walk to 63, four walks from 64, each warmed up on the K − 1
 * bytes before its quarter) and for narrow alphabets (a row of one unit) and wide ones
 * (rows of several units).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadRawEngine } from "./harness.js";
import { literalReference, pmPack, scanLiterals } from "./literal-scan.js";

// Narrow alphabets (up to 15 classes: rows of one 32-byte unit) and wide ones (rows of
// several units); the input draws from the same alphabet plus a byte no literal holds.
const alphabets = ["ab", "abc", "aB1-", "abcdefghijklmnopqrstuvwxyz0123456789 ;'<(", "xyz"];

describe("literal automaton: the plain walk is exact against a reference (property)", () => {
  it("reports every occurrence for any literal set and input length", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...alphabets).chain((alphabet) => {
          const text = (min: number, max: number) =>
            fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((a) => a.join(""));
          return fc.tuple(
            fc.array(fc.uniqueArray(text(1, 9), { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 3 }),
            fc.array(fc.oneof(text(0, 40), fc.constant("~"), fc.constant(alphabet.toUpperCase())), { maxLength: 12 }).map((a) => a.join("")),
          );
        }),
        ([lists, input]) => {
          const e = loadRawEngine(pmPack(lists));
          expect(scanLiterals(e, input, true)).toEqual(literalReference(lists, input));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("is exact at every input length from 0 to 140 (each walk and its hand-overs)", () => {
    const lists = [["abab", "ba", "aab"], ["b"], ["abba", "bbbbbbbbb"]];
    const e = loadRawEngine(pmPack(lists));
    for (let length = 0; length <= 140; length++) {
      for (const seed of [1, 5, 11]) {
        const input = Array.from({ length }, (_, i) => "abAB~"[(i * seed + (i >> 2)) % 5]).join("");
        expect(scanLiterals(e, input, true)).toEqual(literalReference(lists, input));
      }
    }
  });
});
