import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DECODE_INVALID_ESCAPE,
  DECODE_INVALID_UTF8,
  percentDecode,
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
});
