/**
 * Possessive repeats of one character and atomic groups around one, rewritten as greedy
 * repeats and a negative lookahead (src/regex/possessive-rewrite.ts), so the lazy DFA confirms
 * them. Checked against RegExp running the usual emulation, `(?=(X*))\k` (a JS lookahead does
 * not give back what it matched), on hand cases and generated patterns.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRegex } from "../../src/regex/index.js";
import { rewritePossessiveUnits } from "../../src/regex/possessive-rewrite.js";
import { jsMatches } from "./arbitrary.js";
import { expectAgreement, lazyDfaAfter, partArbitrary } from "./rewritten-dfa.js";

const encoder = new TextEncoder();
const RUNS = Number(process.env.REGEX_FC_RUNS ?? 400);

/** The lazy DFA over the rewritten pattern, or null when it is not rewritten or not exact. */
const rewritten = (pattern: string) => lazyDfaAfter(rewritePossessiveUnits, pattern);

describe("possessive repeats of one character", () => {
  it("match as the lookahead emulation does", () => {
    const cases: Array<[string, RegExp, string[]]> = [
      [String.raw`\w++b`, /(?=(\w+))\1b/u, ["ab", "a b", "b", "abc"]],
      [String.raw`"[^"]*+"`, /"(?=([^"]*))\1"/u, [`"abc"`, `"abc`, `""`, `x"y"z`]],
      [String.raw`a*+a`, /(?=(a*))\1a/u, ["a", "aaa", "b", ""]],
      [String.raw`a?+a`, /(?=(a?))\1a/u, ["a", "aa", "b"]],
      [String.raw`a{1,3}+a`, /(?=(a{1,3}))\1a/u, ["a", "aa", "aaa", "aaaa", "aaaaa"]],
      [String.raw`x(?>\d+)5`, /x(?=(\d+))\1(?:5)/u, ["x125", "x5", "x12", "x1 5"]],
      [String.raw`(?i)[a-c]{2,}+d`, /(?=([a-c]{2,}))\1d/iu, ["abd", "ABCD", "ad", "abcx"]],
    ];
    for (const [pcre, re, inputs] of cases) {
      const dfa = rewritten(pcre);
      expect(dfa, pcre).not.toBeNull();
      for (const input of inputs) expect(dfa!.test(encoder.encode(input)), `${pcre} on ${JSON.stringify(input)}`).toBe(jsMatches(re, input));
    }
  });

  it("are left as they are when anything possessive or atomic stays", () => {
    for (const pattern of [String.raw`(?:ab)++`, String.raw`(a)++`, String.raw`\w++(?>ab|a)`, String.raw`(?<=a++)b`, String.raw`(?>a*?)b`, "a+b"]) {
      expect(rewritePossessiveUnits(parseRegex(pattern)), pattern).toBeNull();
    }
  });

  it("agree with the emulation on generated patterns around a possessive repeat", () => {
    const unit = fc.constantFrom("a", "[ab]", "\\d", "[^a]", "é", ".", "(?i:b)");
    const jsUnit: Record<string, string> = { "(?i:b)": "[bB]" };
    const quantifier = fc.constantFrom("*", "+", "?", "{1,3}", "{2,}", "{0,2}", "{2}");
    const part = partArbitrary(["", "a", "b*", "[ab]", "x?", "(?:a|b)+", "1"]);
    const input = fc.array(fc.constantFrom("a", "b", "B", "1", "é", "x", " ", "\n"), { maxLength: 10 }).map((cs) => cs.join(""));
    let matched = 0;
    fc.assert(
      fc.property(part, unit, quantifier, fc.boolean(), part, fc.array(input, { minLength: 1, maxLength: 8 }), (x, u, q, atomic, y, inputs) => {
        const possessive = atomic ? `(?>${u}${q})` : `${u}${q}+`;
        const pcre = `(?:${x.pcre})${possessive}(?:${y.pcre})`;
        const js = new RegExp(`(?:${x.js.source})(?=(?<p>${jsUnit[u] ?? u}${q}))\\k<p>(?:${y.js.source})`, "u");
        matched += expectAgreement(rewritten(pcre), pcre, js, inputs);
      }),
      { numRuns: RUNS },
    );
    expect(matched).toBeGreaterThan(RUNS / 10); // matches are not rare: the property is not vacuous
  });
});
