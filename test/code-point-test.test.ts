/** testAtCodePoints: RegExp.test without V8's matches inside a surrogate pair. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { testAtCodePoints } from "../src/engine/code-point-test.js";

describe("testAtCodePoints", () => {
  it("skips a match V8 reports between the halves of a surrogate pair", () => {
    const re = /(?<!\b)(?![^])/gu;
    expect(/(?<!\b)(?![^])/u.test("😀a")).toBe(true); // V8: at index 1, inside "😀"
    expect(testAtCodePoints(re, "😀a")).toBe(false);
    expect(testAtCodePoints(re, "")).toBe(true);
    expect(testAtCodePoints(re, "a😀")).toBe(true); // at the end, after the emoji
  });

  it("agrees with a sticky search at every code point boundary (property)", () => {
    const patterns = [/(?<!\b)(?![^])/gu, /((?!(?<=(?:\S|^))))/gu, /(?<=a)b?/gu, /x/gu, /(?<![😀])$/gu];
    const text = fc.array(fc.constantFrom("a", "b", "x", " ", "😀", "é", "\ud83d"), { maxLength: 8 }).map((a) => a.join(""));
    fc.assert(
      fc.property(fc.constantFrom(...patterns), text, (re, s) => {
        const sticky = new RegExp(re.source, "uy");
        let want = false;
        for (let at = 0; at <= s.length && !want; at++) {
          if (at > 0 && at < s.length && (s.charCodeAt(at - 1) & 0xfc00) === 0xd800 && (s.charCodeAt(at) & 0xfc00) === 0xdc00) continue;
          sticky.lastIndex = at;
          want = sticky.test(s);
        }
        expect(testAtCodePoints(re, s)).toBe(want);
      }),
      { numRuns: 3000 },
    );
  });
});
