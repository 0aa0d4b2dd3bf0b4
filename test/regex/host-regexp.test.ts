/**
 * The confirmation RegExp (src/regex/host-regexp.ts) leaves out the repeats at the start of a
 * pattern that may match nothing: for "is there a match anywhere?" they change nothing, and V8
 * backtracks over them from every start position (quadratic on CRS 942130). The verdicts stay
 * those of the pattern as written, on generated patterns with every kind of construct.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toHostRegExp, toHostRegExpSource } from "../../src/regex/index.js";
import { inputArbitrary, jsMatches, patternArbitrary } from "./arbitrary.js";

const RUNS = Number(process.env.REGEX_FC_RUNS ?? 400);

/** Prefixes that may match nothing, in PCRE and as JS (no letters: the same under `(?i)`). */
const PREFIXES: Array<[string, string]> = [
  ["[ -]*?", "[ -]*?"],
  ["(?:1|[\\t\\n ])*", "(?:1|[\\t\\n ])*"],
  ["2?", "2?"],
  ["[^a-zA-Z]{0,3}", "[^a-zA-Z]{0,3}"],
  ["(?:-(?=1))*?", "(?:-(?=1))*?"],
];

describe("toHostRegExp and optional leading repeats", () => {
  it("drops them, and only them", () => {
    const crs942130 = String.raw`(?i)[\s\x0b"'-\)` + "`" + String.raw`]*?\b([0-9A-Z_a-z]+)\b[\s\x0b"'-\)` + "`" + String.raw`]*?=\b(\1)\b`;
    expect(toHostRegExpSource(crs942130).source.startsWith("\\b(")).toBe(true);
    expect(toHostRegExpSource(crs942130, {}, { dropOptionalPrefix: false }).source.startsWith("(?:[")).toBe(true);
    expect(toHostRegExpSource("x?y*?z").source).toBe("z");
    expect(toHostRegExpSource("(?:a|b)*c|d?e").source).toBe("(?:c|e)");
    // Kept: a capture a backreference may read, a possessive repeat, an atomic group inside,
    // a repeat that must match once, and a pattern that is nothing but the repeat.
    expect(toHostRegExpSource("(a)*b\\1").source).toBe("(?:(a))*b(?:\\1)");
    expect(toHostRegExpSource("a*+b").source).toBe("(?=((?:a)*))(?:\\1)b");
    expect(toHostRegExpSource("(?:(?>a))*b").source.endsWith("b")).toBe(true);
    expect(toHostRegExpSource("(?:(?>a))*b").source).not.toBe("b");
    expect(toHostRegExpSource("a+b").source).toBe("(?:a)+b");
    expect(toHostRegExpSource("a*").source).toBe("(?:a)*");
  });

  it("leaves the verdicts of generated patterns (backreferences, lookarounds, atomic groups…) as written", () => {
    fc.assert(
      fc.property(
        patternArbitrary(true),
        fc.constantFrom(...PREFIXES),
        fc.array(inputArbitrary, { minLength: 1, maxLength: 8 }),
        (pattern, [prefixPcre, prefixJs], inputs) => {
          const body = pattern.pcre.slice(pattern.mode.length);
          const host = toHostRegExp(`${pattern.mode}${prefixPcre}(?:${body})`);
          // The source the pattern gets without the prefix: it was dropped.
          expect(host.source).toBe(toHostRegExp(`${pattern.mode}(?:${body})`).source);
          // Backreferences to groups that did not participate differ between PCRE and JS (see
          // differential.test.ts): the oracle is the JS form of the pattern with the prefix.
          if (/\\\d/.test(pattern.pcre)) return;
          const oracle = new RegExp(`${prefixJs}(?:${pattern.js.source})`, pattern.js.flags);
          for (const input of inputs) {
            expect(jsMatches(host, input), `${pattern.pcre} with ${prefixPcre} on ${JSON.stringify(input)}`).toBe(jsMatches(oracle, input));
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
