/**
 * unicodeNormalize's tables checked against the platform's real NFKC (String.prototype.normalize)
 * for every code point in the ranges the transform claims to fold as NFKC does.
 */
import { describe, expect, it } from "vitest";
import { createTransformer } from "./harness";

const nfkcRanges: [number, number][] = [
  [0xff01, 0xff5e], // fullwidth ASCII
  [0xfe50, 0xfe6b], // small form variants
  [0x2000, 0x200a], // spaces
  [0x2024, 0x2026], // leaders
  [0x2070, 0x208e], // superscripts and subscripts
  [0x2460, 0x2468], // circled digits
  [0x24b6, 0x24e9], // circled letters
  [0x1d400, 0x1d6a3], // mathematical alphanumeric letters
  [0x1d7ce, 0x1d7ff], // mathematical digits
];
const singles = [0x00a0, 0x00b2, 0x00b3, 0x00b9, 0x202f, 0x205f, 0x3000];

const isAscii = (s: string) => /^[\x00-\x7f]+$/.test(s);

describe("unicodeNormalize agrees with NFKC where it claims to", () => {
  const t = createTransformer();
  const dec = new TextDecoder();
  const run = (s: string) => dec.decode(t.run("unicodeNormalize", s));

  it("every assigned code point whose NFKC form is ASCII folds to exactly that", () => {
    let checked = 0;
    const cps = [...singles];
    for (const [lo, hi] of nfkcRanges) for (let cp = lo; cp <= hi; cp++) cps.push(cp);
    for (const cp of cps) {
      const ch = String.fromCodePoint(cp);
      const nfkc = ch.normalize("NFKC");
      if (nfkc === ch) continue; // unassigned hole (the transform may fold it anyway)
      if (isAscii(nfkc)) {
        expect(run(ch), `U+${cp.toString(16)}`).toBe(nfkc);
        checked++;
      } else {
        // NFKC gives something non-ASCII: the transform leaves the character alone.
        expect(run(ch), `U+${cp.toString(16)}`).toBe(ch);
      }
    }
    expect(checked).toBeGreaterThan(900);
  });

  it("the non-NFKC additions are exactly the documented look-alikes and invisibles", () => {
    expect(run("\u2044\u2215")).toBe("//");
    expect(run("\u2216\u29f5")).toBe("\\\\");
    expect(run("a\u00ad\u200b\u200c\u200d\u2060\ufeffb")).toBe("ab");
    // Quotes are NOT folded: English text with typographic apostrophes must not look like SQL.
    expect(run("don\u2019t \u201cquote\u201d")).toBe("don\u2019t \u201cquote\u201d");
  });
});
