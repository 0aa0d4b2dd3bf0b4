/** compileRegexParts: a pattern too large for one DFA splits on alternations, same language. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileRegex, compileRegexParts, DfaBudgetError, dfaTableIsMatch, toHostRegExp } from "../../src/regex/index.js";

describe("compileRegexParts", () => {
  const pattern = "(?:a.{6}b|c.{6}d|e.{4}f)"; // one DFA: ~25,000 states; each branch: < 600

  it("splits when one DFA exceeds the budget, and every part fits", () => {
    expect(() => compileRegex(pattern, {}, { stateBudget: 2000 })).toThrow(DfaBudgetError);
    const parts = compileRegexParts(pattern, {}, { stateBudget: 2000 });
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.states).toBeLessThanOrEqual(2000);
  });

  it("the parts together match exactly what the pattern matches", () => {
    const parts = compileRegexParts(pattern, {}, { stateBudget: 2000 });
    const host = toHostRegExp(pattern);
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", "b", "c", "d", "e", "f", "x", "\n"), { maxLength: 14 }), (chars) => {
        const input = chars.join("");
        expect(parts.some((p) => dfaTableIsMatch(p.table, input)), JSON.stringify(input)).toBe(host.test(input));
      }),
      { numRuns: 2000 },
    );
  });

  it("distributes a concatenation over an inner alternation", () => {
    const parts = compileRegexParts("x(?:a.{6}b|c.{6}d)", {}, { stateBudget: 500 });
    expect(parts.length).toBe(2);
    expect(parts.map((p) => p.literals)).toEqual([["xa"], ["xc"]]);
    expect(parts.some((p) => dfaTableIsMatch(p.table, "--xc123456d"))).toBe(true);
    expect(parts.some((p) => dfaTableIsMatch(p.table, "--yc123456d"))).toBe(false);
  });

  it("rethrows DfaBudgetError when there is nothing to split", () => {
    expect(() => compileRegexParts("a[ab]{14}$", {}, { stateBudget: 1000 })).toThrow(DfaBudgetError);
  });
});
