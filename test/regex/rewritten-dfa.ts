/**
 * What the rewrite tests share (backreference-expansion, possessive-rewrite): the lazy DFA
 * over a pattern after an AST rewrite, and the parts they build patterns from around the
 * construct under test.
 */
import fc from "fast-check";
import { expect } from "vitest";
import type { Ast } from "../../src/regex/ast.js";
import { parseRegex } from "../../src/regex/index.js";
import { LazyDfa } from "../../src/regex/lazy-dfa.js";
import { buildNfa } from "../../src/regex/nfa.js";
import { jsMatches, patternArbitrary } from "./arbitrary.js";

/** The lazy DFA over `pattern` rewritten by `rewrite`, or null when the rewrite declines or the NFA is not exact. */
export function lazyDfaAfter(rewrite: (ast: Ast) => Ast | null, pattern: string): LazyDfa | null {
  const ast = rewrite(parseRegex(pattern));
  if (!ast) return null;
  const { nfa, prefilterReasons } = buildNfa(ast, { exactLookaround: true });
  return prefilterReasons.length === 0 ? new LazyDfa(nfa) : null;
}

/**
 * A part to put around the construct under test: mostly one of `simple` (short, over the
 * construct's characters, so matches are common), sometimes a generated pattern (anchors,
 * lookarounds, classes, repeats). `$` is PCRE's: it also holds before a final newline.
 */
export function partArbitrary(simple: string[]): fc.Arbitrary<{ pcre: string; js: RegExp }> {
  const short = fc.constantFrom(...simple).map((pcre) => ({ pcre, js: new RegExp(pcre === "$" ? "(?=\\n?$)" : pcre, "u") }));
  return fc.oneof({ arbitrary: short, weight: 3 }, { arbitrary: patternArbitrary(false).filter((p) => p.mode === ""), weight: 1 });
}

const encoder = new TextEncoder();

/** Asserts that `dfa` (built for `pcre`) answers as `js` on every input; returns how many matched. */
export function expectAgreement(dfa: LazyDfa | null, pcre: string, js: RegExp, inputs: string[]): number {
  expect(dfa, pcre).not.toBeNull();
  let matched = 0;
  for (const s of inputs) {
    const want = jsMatches(js, s);
    if (want) matched++;
    expect(dfa!.test(encoder.encode(s)), `${pcre} on ${JSON.stringify(s)}`).toBe(want);
  }
  return matched;
}
