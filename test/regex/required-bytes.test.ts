/** Required-byte sets: examples, soundness against RegExp, and the Wasm check against its model. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileRegex } from "../../src/regex/index.js";
import { parseRegex } from "../../src/regex/parse.js";
import { buildNfa } from "../../src/regex/nfa.js";
import { buildDfa, type Dfa } from "../../src/regex/dfa.js";
import { cheapestCut, holdsRequiredByte, nfaCheapestCut, nfaRequiredByteSet, startEscapeSet } from "../../src/regex/required-bytes.js";
import { instantiateEngine } from "../support/wasm.js";
import { patternArbitrary, inputArbitrary } from "./arbitrary.js";

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const membersOf = (set: Uint8Array): string =>
  Array.from({ length: 256 }, (_, b) => b).filter((b) => holdsRequiredByte(set, Uint8Array.of(b))).map((b) => String.fromCharCode(b)).join("");

describe("requiredByteSet", () => {
  it("cuts on a rare byte every match reads", () => {
    const set = compileRegex("[#%$]\\{[^}]+\\}").requiredBytes!;
    expect(set).not.toBeNull();
    expect(["{", "}"]).toContain(membersOf(set));
    expect(holdsRequiredByte(set, utf8("alpha bravo charlie"))).toBe(false);
    expect(holdsRequiredByte(set, utf8("x ${7*7} y"))).toBe(true);
  });

  it("takes one byte from each alternative", () => {
    const set = compileRegex("javascript:|@import|<script").requiredBytes!;
    expect(membersOf(set).split("").sort().join("")).toBe(":<@");
  });

  it("makes no set when a match can start on a letter or a space, or needs nothing", () => {
    expect(compileRegex("constructor").requiredBytes).toBeNull();
    expect(compileRegex("(?:ab|\\s)c").requiredBytes).toBeNull();
    expect(compileRegex("a?").requiredBytes).toBeNull(); // the empty match needs nothing
  });

  it("without a rare cut, cuts on digits and the punctuation of paths", () => {
    // The path-traversal shape: every match holds "..", however it is anchored.
    const set = compileRegex("(^|[/=:])\\.\\.[?;]*(/|$)|^/*\\.\\.").requiredBytes!;
    expect(membersOf(set)).toBe(".");
    expect(holdsRequiredByte(set, utf8("gzip, deflate, br"))).toBe(false);
  });

  it("without any cut, falls back to the bytes that leave the start state", () => {
    // Ten digits cost more than any cut may: the start state still leaves only on a digit.
    const set = compileRegex("[0-9]{2}x").requiredBytes!;
    expect(membersOf(set)).toBe("0123456789");
    expect(holdsRequiredByte(set, utf8("alpha bravo-charlie"))).toBe(false);
    expect(membersOf(compileRegex("\\d+").requiredBytes!)).toBe("0123456789");
  });

  /** For generated patterns: whenever RegExp matches, the input holds a byte of `setOf`'s set. */
  const assertSound = (setOf: (dfa: Dfa) => Uint8Array | null) =>
    fc.assert(
      fc.property(patternArbitrary(false), fc.array(inputArbitrary, { minLength: 1, maxLength: 12 }), (pattern, inputs) => {
        let dfa;
        try {
          dfa = buildDfa(buildNfa(parseRegex(pattern.pcre, {})).nfa, { stateBudget: 20_000 });
        } catch {
          return; // over the budget: no DFA, nothing to check
        }
        const set = setOf(dfa);
        if (!set) return;
        for (const input of inputs) {
          if (!pattern.matches(input)) continue;
          expect(holdsRequiredByte(set, utf8(input)), `${pattern.pcre} on ${JSON.stringify(input)}: ${JSON.stringify(membersOf(set))}`).toBe(true);
        }
      }),
      { numRuns: Number(process.env.REGEX_FC_RUNS ?? 400) },
    );

  it("start-escape soundness: whenever RegExp matches, the input holds a byte that leaves the start state", () => {
    assertSound((dfa) => startEscapeSet(dfa));
  });

  it("soundness: whenever RegExp matches, the input holds a byte of the set", () => {
    const everyByteCuttable = (): number => 1;
    assertSound((dfa) => cheapestCut(dfa, everyByteCuttable));
  });

  describe("from the NFA (patterns over the DFA budget)", () => {
    const nfaSet = (pattern: string, caseInsensitive = false) => nfaRequiredByteSet(buildNfa(parseRegex(pattern, { caseInsensitive })).nfa);

    it("finds the same kind of cut as the DFA's", () => {
      expect(membersOf(nfaSet("[#%$]\\{[^}]+\\}")!)).toMatch(/^[{}]$/);
      expect(membersOf(nfaSet("javascript:|@import|<script", true)!).split("").sort().join("")).toBe(":<@");
      // CRS 941160's shape: every match opens a tag.
      expect(membersOf(nfaSet("<[^0-9<>A-Z_a-z]*(?:[^\\s\"'<>]*:)?[^0-9<>A-Z_a-z]*(?:s[^0-9A-Z_a-z]*c[^0-9A-Z_a-z]*r|o[^0-9A-Z_a-z]*n)", true)!)).toBe("<");
    });

    it("takes zero-width parts as passable: lookarounds, anchors, word boundaries", () => {
      expect(membersOf(nfaSet("(?<=x)<a\\b")!)).toBe("<");
      const set = nfaSet("^\\$\\{|(?!y)\\$\\(")!;
      expect(["$", "({"]).toContain(membersOf(set)); // one byte of each branch: `$`, or `{` and `(`
      expect(holdsRequiredByte(set, utf8("${jndi"))).toBe(true);
      expect(holdsRequiredByte(set, utf8("a $(id)"))).toBe(true);
      expect(holdsRequiredByte(set, utf8("alpha bravo"))).toBe(false);
    });

    it("makes no set when a match can be made of letters and spaces, or is empty", () => {
      expect(nfaSet("constructor")).toBeNull();
      expect(nfaSet("(?:ab|\\s)c")).toBeNull();
      expect(nfaSet("a?")).toBeNull();
      expect(nfaSet("")).toBeNull();
    });

    it("soundness: whenever RegExp matches, the input holds a byte of the set", () => {
      const everyByteCuttable = (): number => 1;
      fc.assert(
        fc.property(patternArbitrary(false), fc.array(inputArbitrary, { minLength: 1, maxLength: 12 }), (pattern, inputs) => {
          const set = nfaCheapestCut(buildNfa(parseRegex(pattern.pcre, {})).nfa, everyByteCuttable);
          if (!set) return;
          for (const input of inputs) {
            if (!pattern.matches(input)) continue;
            expect(holdsRequiredByte(set, utf8(input)), `${pattern.pcre} on ${JSON.stringify(input)}: ${JSON.stringify(membersOf(set))}`).toBe(true);
          }
        }),
        { numRuns: Number(process.env.REGEX_FC_RUNS ?? 400) },
      );
    });
  });

  it("the Wasm check (sixteen bytes a step) agrees with the model at every length and position", () => {
    const engine = instantiateEngine();
    const e = engine.exports;
    expect(e.configure(1 << 20, 1024, 1 << 16, 1024, 4096)).toBe(0);
    const setPtr = e.scratch2Ptr() as number;
    const inputPtr = e.scratchPtr() as number;
    const sparseSet = fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { maxLength: 4 }).map((bytes) => {
      const set = new Uint8Array(32);
      for (const b of bytes) set[(b < 0x80 ? 0 : 16) + (b & 15)]! |= 1 << ((b >> 4) & 7);
      return set;
    });
    fc.assert(
      fc.property(fc.oneof(sparseSet, fc.uint8Array({ minLength: 32, maxLength: 32 })), fc.uint8Array({ maxLength: 70 }), (set, input) => {
        const mem = engine.bytes();
        mem.set(set, setPtr);
        mem.set(input, inputPtr);
        expect(e.byteSetHolds(setPtr, inputPtr, input.length) === 1).toBe(holdsRequiredByte(set, input));
      }),
      { numRuns: 3000 },
    );
    // One member byte planted at each position of a value of ordinary bytes.
    const set = new Uint8Array(32);
    set[16 + 0xd]! |= 1 << (0xf & 7); // 0xfd
    engine.bytes().set(set, setPtr);
    for (let len = 1; len <= 40; len++) {
      for (let at = 0; at < len; at++) {
        const input = new Uint8Array(len).fill(0x61);
        input[at] = 0xfd;
        engine.bytes().set(input, inputPtr);
        expect(e.byteSetHolds(setPtr, inputPtr, len), `len ${len} at ${at}`).toBe(1);
      }
      // 0x7d has 0xfd's nibbles but sits in the other half of the table.
      engine.bytes().set(new Uint8Array(len).fill(0x7d), inputPtr);
      expect(e.byteSetHolds(setPtr, inputPtr, len)).toBe(0);
    }
  });
});
