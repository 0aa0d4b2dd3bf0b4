import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DECODE_INVALID_ESCAPE,
  DECODE_INVALID_UTF8,
  percentDecode,
  percentDecodeUtf8InPlace,
  resetInPlaceSearch,
  takeDecodeFlags,
} from "../../src/request/percent-decode.js";

/** Reference: literal characters as their UTF-8, valid escapes as bytes, then one WHATWG decode. */
function reference(s: string, plusAsSpace: boolean): string {
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < s.length; ) {
    const c = s[i];
    if (c === "%" && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
    } else if (c === "+" && plusAsSpace) {
      bytes.push(32);
      i++;
    } else {
      const cp = s.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      bytes.push(...enc.encode(ch));
      i += ch.length;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

describe("percentDecode", () => {
  const table: Array<[string, boolean, string, number]> = [
    ["plain", true, "plain", 0],
    ["a+b", true, "a b", 0],
    ["a+b", false, "a+b", 0],
    ["%41%42", false, "AB", 0],
    ["%c3%a9t%C3%A9", false, "été", 0],
    ["%F0%9F%98%80", false, "😀", 0],
    ["100%", false, "100%", DECODE_INVALID_ESCAPE],
    ["%zz%4", false, "%zz%4", DECODE_INVALID_ESCAPE],
    ["%%41", false, "%A", DECODE_INVALID_ESCAPE],
    ["%c0%ae", false, "\uFFFD\uFFFD", DECODE_INVALID_UTF8], // overlong '.'
    ["%ed%a0%80", false, "\uFFFD\uFFFD\uFFFD", DECODE_INVALID_UTF8], // encoded surrogate
    ["%e2%82", false, "\uFFFD", DECODE_INVALID_UTF8], // truncated sequence: one replacement
    ["%e2%82x", false, "\uFFFDx", DECODE_INVALID_UTF8],
    ["%ff%41", false, "\uFFFDA", DECODE_INVALID_UTF8],
    ["..%2f..%2fetc", false, "../../etc", 0],
    ["%u0041", false, "%u0041", DECODE_INVALID_ESCAPE], // %u is a transform's job, not the URL decoder's
  ];
  for (const [input, plus, expected, flags] of table) {
    it(`${JSON.stringify(input)} (plus=${plus}) → ${JSON.stringify(expected)}`, () => {
      takeDecodeFlags();
      expect(percentDecode(input, plus)).toBe(expected);
      expect(takeDecodeFlags()).toBe(flags);
    });
  }

  it("long inputs take the one-decode path with the same results and flags", () => {
    const long = "%c3%a9t%C3%A9+%zz+".repeat(20) + "%ff";
    takeDecodeFlags();
    expect(percentDecode(long, true)).toBe("été %zz ".repeat(20) + "\uFFFD");
    expect(takeDecodeFlags()).toBe(DECODE_INVALID_ESCAPE | DECODE_INVALID_UTF8);
    const legit = "%EF%BF%BD".repeat(40); // an encoded U+FFFD is not an error
    expect(percentDecode(legit, false)).toBe("\uFFFD".repeat(40));
    expect(takeDecodeFlags()).toBe(0);
    expect(percentDecode("a+b+".repeat(50), true)).toBe("a b ".repeat(50));
  });

  it("returns the input string itself when nothing needs decoding", () => {
    const s = "/a/b/c?x=1";
    expect(percentDecode(s, false)).toBe(s);
  });

  it("never throws, never grows, and agrees with a byte-level WHATWG reference", () => {
    const piece = fc.oneof(
      fc.string({ unit: "binary", maxLength: 4 }),
      fc.constantFrom("%", "+", "%2", "%zz", "%41", "%c3", "%a9", "%ff", "%e2%82", "%f0%9f", "%80"),
      fc.integer({ min: 0, max: 255 }).map((b) => "%" + b.toString(16).padStart(2, "0")),
    );
    // Up to ~200 characters: both the short (piecewise) and the long (one TextDecoder) paths.
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.boolean(), (pieces, plus) => {
        const s = pieces.join("");
        const out = percentDecode(s, plus);
        expect(out.length).toBeLessThanOrEqual(s.length);
        if (s.isWellFormed()) expect(out).toBe(reference(s, plus));
      }),
      { numRuns: 2000 },
    );
  });

  it("agrees with decodeURIComponent whenever that one succeeds", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (s) => {
        let expected: string;
        try {
          expected = decodeURIComponent(s);
        } catch {
          return;
        }
        expect(percentDecode(s, false)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("in place over UTF-8 (percentDecodeUtf8InPlace): the bytes and flags of percentDecode(s, true)", () => {
    const enc = new TextEncoder();
    const piece = fc.oneof(
      fc.string({ unit: "binary", maxLength: 4 }),
      fc.constantFrom("%", "+", "%2", "%zz", "%41", "%2B", "%c3", "%a9", "%ff", "%e2%82", "%f0%9f", "%80", "%ed%a0%80", "%c0%ae", "%f4%90%80%80", "\ud800", "\udc00"),
      fc.integer({ min: 0, max: 255 }).map((b) => "%" + b.toString(16).padStart(2, "0")),
      fc.integer({ min: 0x80, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff).map((c) => encodeURIComponent(String.fromCodePoint(c))),
      // Long literal runs (the native search and copyWithin path), some with a `+`.
      fc.tuple(fc.integer({ min: 25, max: 90 }), fc.boolean()).map(([n, plus]) => "abcdefghij".repeat(9).slice(0, n) + (plus ? "+x" : "")),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.nat({ max: 8 }), (pieces, gap) => {
        const s = pieces.join("");
        takeDecodeFlags();
        const expected = enc.encode(percentDecode(s, true));
        const expectedFlags = takeDecodeFlags();
        const source = enc.encode(s);
        // The source written `gap` bytes after where the output goes, as in the arena.
        const bytes = new Uint8Array(source.length + gap + 4).fill(0xaa);
        bytes.set(source, gap + 2);
        const n = percentDecodeUtf8InPlace(bytes, new DataView(bytes.buffer), gap + 2, gap + 2 + source.length, 2);
        expect(Buffer.from(bytes.subarray(2, 2 + n)).toString("hex")).toBe(Buffer.from(expected).toString("hex"));
        expect(takeDecodeFlags()).toBe(expectedFlags);
        expect(bytes[0]).toBe(0xaa); // nothing written before the destination
        if (source.length === s.length) {
          // ASCII: again with the source string to search, inside a longer one (as the batch is).
          const batch = "x%+" + s + "%+y";
          const arena = new Uint8Array(batch.length + gap + 8).fill(0xaa);
          arena.set(enc.encode(batch), gap + 4);
          resetInPlaceSearch();
          const m = percentDecodeUtf8InPlace(arena, new DataView(arena.buffer), gap + 7, gap + 7 + source.length, 2, batch, gap + 4);
          expect(Buffer.from(arena.subarray(2, 2 + m)).toString("hex")).toBe(Buffer.from(expected).toString("hex"));
          expect(takeDecodeFlags()).toBe(expectedFlags);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
