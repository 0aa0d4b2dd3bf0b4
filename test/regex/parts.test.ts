/** compileRegexParts: a pattern too large for one DFA splits on alternations, same language. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileRegex, compileRegexParts, DfaBudgetError, dfaTableIsMatch, toHostRegExp } from "../../src/regex/index.js";

describe("compileRegexParts", () => {
  const pattern = "(?:a......b|c......d|e....f)"; // one DFA: ~25,000 states; each branch: < 600

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
    const parts = compileRegexParts("x(?:a......b|c......d)", {}, { stateBudget: 500 });
    expect(parts.length).toBe(2);
    expect(parts.map((p) => p.literals)).toEqual([["xa"], ["xc"]]);
    expect(parts.some((p) => dfaTableIsMatch(p.table, "--xc123456d"))).toBe(true);
    expect(parts.some((p) => dfaTableIsMatch(p.table, "--yc123456d"))).toBe(false);
  });

  it("widens counted repeats (a superset, confirmed by RegExp) when that fits", () => {
    expect(() => compileRegex("ab.{0,60}cd", {}, { stateBudget: 150 })).toThrow(DfaBudgetError);
    const parts = compileRegexParts("ab.{0,60}cd", {}, { stateBudget: 150 });
    expect(parts.length).toBe(1);
    expect(parts[0].needsConfirm).toBe(true);
    expect(parts[0].warnings.join()).toMatch(/widened/);
    expect(dfaTableIsMatch(parts[0].table, "xxab" + "-".repeat(60) + "cd")).toBe(true);
    expect(dfaTableIsMatch(parts[0].table, "xxab" + "-".repeat(61) + "cd")).toBe(true); // superset
    expect(toHostRegExp("ab.{0,60}cd").test("xxab" + "-".repeat(61) + "cd")).toBe(false); // confirmation
  });

  it("rethrows DfaBudgetError when nothing can be split or widened", () => {
    expect(() => compileRegexParts("a" + "[ab]".repeat(14) + "$", {}, { stateBudget: 1000 })).toThrow(DfaBudgetError);
  });
});
