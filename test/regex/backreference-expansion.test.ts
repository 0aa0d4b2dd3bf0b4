/**
 * Backreferences to a capture of a few short strings are written out
 * (src/regex/backreference-expansion.ts), so their NFA is exact and the lazy DFA confirms them
 * in linear time. Checked against RegExp on generated patterns around such a capture, and on
 * the cases the expansion must refuse (it would not be exact, or too large).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expandFiniteBackreferences, MAX_BRANCHES } from "../../src/regex/backreference-expansion.js";
import { parseRegex } from "../../src/regex/index.js";
import { INPUT_CHARS, jsMatches } from "./arbitrary.js";
import { expectAgreement, lazyDfaAfter, partArbitrary } from "./rewritten-dfa.js";

const encoder = new TextEncoder();
const RUNS = Number(process.env.REGEX_FC_RUNS ?? 400);

/** The lazy DFA over the written-out pattern, or null when it is not written out or not exact. */
const expanded = (pattern: string) => lazyDfaAfter(expandFiniteBackreferences, pattern);

describe("finite backreferences written out", () => {
  it("match as RegExp does: quotes, brackets, case-insensitive references, references in repeats and lookaheads", () => {
    const cases: Array<[string, RegExp, string[]]> = [
      [String.raw`(['"])evil\1`, /(['"])evil\1/u, [`'evil'`, `"evil"`, `"evil'`, `evil`, `x'evil'y`]],
      [String.raw`(<|>)=*\1`, /(<|>)=*\1/u, ["<==<", "<=>", ">>", "<"]],
      [String.raw`(?i)(a|b)x\1`, /(a|b)x\1/iu, ["axa", "axA", "AxA", "axb", "BXb"]],
      [String.raw`(?i:(a))\1`, /([aA])\1/u, ["aa", "AA", "aA", "Aa"]],
      [String.raw`(a?)b\1c`, /(a?)b\1c/u, ["bc", "abac", "abc", "babc"]],
      [String.raw`(x|y)(?:-\1)*$`, /(x|y)(?:-\1)*$/u, ["x-x-x", "x-y", "y-y", "x-"]],
      [String.raw`(é|e)(?=.\1)`, /(é|e)(?=.\1)/u, ["éaé", "eae", "éae", "e"]],
    ];
    for (const [pcre, re, inputs] of cases) {
      const dfa = expanded(pcre);
      expect(dfa, pcre).not.toBeNull();
      for (const input of inputs) expect(dfa!.test(encoder.encode(input)), `${pcre} on ${JSON.stringify(input)}`).toBe(jsMatches(re, input));
    }
  });

  it("is refused where it would not be exact or would be too large", () => {
    const refused = [
      String.raw`(\w+)=\1`, // infinite
      String.raw`([a-z])\1`, // 26 strings
      String.raw`(?:(a)|b)\1`, // not taken on every path
      String.raw`(a)*\1`, // in a repeat
      String.raw`\1(a)`, // referred to before it is taken
      String.raw`(a(?=b))\1`, // an assertion in the capture
      String.raw`(a)(?<=\1)`, // referred to from a lookbehind
      String.raw`(a|b)(c|d)(e|f)(g|h)(i|j)\1\2\3\4\5`, // 32 branches
      String.raw`(a)b`, // no reference at all
    ];
    for (const pattern of refused) expect(expandFiniteBackreferences(parseRegex(pattern)), pattern).toBeNull();
    expect(MAX_BRANCHES).toBe(16);
  });

  it("agrees with RegExp on generated patterns around a capture of a few strings", () => {
    const capture = fc.constantFrom("a|b", "[ab]", "a?", "ab|ba|", "(?:a|é){1,2}", `["'-]`, "1|2|3", "[aA]");
    const part = partArbitrary(["", "a", "b*", "[ab]", ".", "x?", "(?:a|b)+", "\\d", "'", "^", "$"]);
    const reference = fc.constantFrom("\\k<q>", "(?:\\k<q>)?", "(?=\\k<q>)", "(?!\\k<q>)");
    const input = fc.array(fc.constantFrom(...INPUT_CHARS, "a", "b", "'", '"', "3"), { maxLength: 12 }).map((cs) => cs.join(""));
    let matched = 0;
    fc.assert(
      fc.property(part, capture, part, reference, fc.array(input, { minLength: 1, maxLength: 8 }), (x, g, y, ref, inputs) => {
        const pcre = `(?:${x.pcre})(?<q>${g})(?:${y.pcre})${ref}`;
        const js = new RegExp(`(?:${x.js.source})(?<q>${g})(?:${y.js.source})${ref}`, "u");
        matched += expectAgreement(expanded(pcre), pcre, js, inputs);
      }),
      { numRuns: RUNS },
    );
    expect(matched).toBeGreaterThan(RUNS / 10); // matches are not rare: the property is not vacuous
  });
});
