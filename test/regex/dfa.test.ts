/** Compiled DFAs: matching semantics, the binary table, the state budget, large repeats. */
import { describe, expect, it } from "vitest";
import {
  compileRegex, DfaBudgetError, dfaTableIsMatch, readDfaHeader, runDfaTable, toHostRegExp, toHostRegExpSource,
} from "../../src/regex/index.js";
import { buildDfa, byteClasses } from "../../src/regex/dfa.js";
import { buildNfa } from "../../src/regex/nfa.js";
import { parseRegex } from "../../src/regex/parse.js";
import type { RegexFlags } from "../../src/regex/parse.js";
import { wasmDfa } from "./wasm-dfa.js";

const wasm = wasmDfa();
const enc = new TextEncoder();

/** Checks the DFA (both walkers) against an expected answer for each input. */
function expectMatches(pattern: string, table: Record<string, boolean>, flags: RegexFlags = {}): void {
  const compiled = compileRegex(pattern, flags);
  for (const [input, want] of Object.entries(table)) {
    const bytes = enc.encode(input);
    expect(runDfaTable(compiled.table, bytes).matched, `TS ${pattern} on ${JSON.stringify(input)}`).toBe(want);
    expect(wasm.isMatch(compiled.table, bytes), `Wasm ${pattern} on ${JSON.stringify(input)}`).toBe(want);
    expect(toHostRegExp(pattern, flags).test(input), `host ${pattern} on ${JSON.stringify(input)}`).toBe(want);
  }
}

describe("DFA matching", () => {
  it("unanchored search by default, anchored with ^ and \\A", () => {
    expectMatches("abc", { abc: true, xxabcyy: true, ab: false, "": false });
    expectMatches("^abc", { abc: true, abcd: true, xabc: false });
    expectMatches("\\Aabc", { abc: true, " abc": false });
  });

  it("$ matches at the end or before a final newline; \\z only at the end; dollarEndOnly", () => {
    expectMatches("abc$", { abc: true, "abc\n": true, "abc\n\n": false, abcd: false });
    expectMatches("abc\\Z", { abc: true, "abc\n": true, "abc\nx": false });
    expectMatches("abc\\z", { abc: true, "abc\n": false });
    expectMatches("abc$", { abc: true, "abc\n": false }, { dollarEndOnly: true });
    expectMatches("^$", { "": true, "\n": true, x: false });
    expectMatches("$\\n", { "\n": false, "a\n": false }, { dollarEndOnly: true });
  });

  it("multiline ^ and $ at line boundaries", () => {
    expectMatches("(?m)^b$", { "a\nb\nc": true, "a\nb": true, ab: false, "b c": false });
    expectMatches("^b", { "a\nb": true }, { multiline: true });
  });

  it("\\b and \\B use ASCII word bytes, at both ends of the input", () => {
    expectMatches("\\bfoo\\b", { foo: true, "a foo.": true, foobar: false, xfoo: false, "_foo": false, "éfooé": true });
    expectMatches("\\Bfoo\\B", { xfooy: true, foo: false, " foox": false });
    expectMatches("\\b", { "": false, " ": false, a: true });
  });

  it("case-insensitivity: (?i), scoped, flag, and simple Unicode folds", () => {
    expectMatches("(?i)select", { SeLeCt: true, selec: false });
    expectMatches("a(?i:b)c", { aBc: true, ABc: false, abC: false });
    expectMatches("select", { SELECT: true }, { caseInsensitive: true });
    expectMatches("(?i)é", { É: true, é: true, e: false });
    expectMatches("(?i)[^k]", { K: false, k: false, "\u212a": true });
  });

  it("classes, dot and negation over UTF-8", () => {
    expectMatches("^.$", { é: true, "€": true, "😀": true, ab: false, "\n": false });
    expectMatches("^[^a]$", { é: true, a: false, "😀": true });
    expectMatches("^[à-ÿ]+$", { éèê: true, "e": false });
    expectMatches("😀+", { "a😀😀": true, "a😃": false });
    expectMatches("[[:alpha:]]+\\d", { abc1: true, "1": false });
    expectMatches("(?s)a.b", { "a\nb": true });
  });

  it("repeats, including large bounded ones", () => {
    expectMatches("^a{3}$", { aaa: true, aa: false, aaaa: false });
    expectMatches("^a{2,3}$", { aa: true, aaa: true, aaaa: false });
    expectMatches("^(?:ab){2,}$", { abab: true, ababab: true, ab: false });
    expectMatches("x{1,1000}", { x: true, y: false });
  });

  it("a bounded repeat too large to expand becomes a prefilter superset, and says so", () => {
    const c = compileRegex("^(?:abc|def){10,5000}$");
    expect(c.needsConfirm).toBe(true);
    expect(c.warnings.join("\n")).toMatch(/too large to expand/);
    // Superset: everything the real pattern matches still matches.
    expect(dfaTableIsMatch(c.table, "abc".repeat(10))).toBe(true);
    expect(dfaTableIsMatch(c.table, "abc".repeat(9))).toBe(false);
  });

  it("prefilter mode over-approximates lookaround and backreferences", () => {
    const look = compileRegex("foo(?!bar)");
    expect(look.needsConfirm).toBe(true);
    expect(dfaTableIsMatch(look.table, "foobar")).toBe(true); // superset; RegExp says no
    expect(toHostRegExp("foo(?!bar)").test("foobar")).toBe(false);
    const backref = compileRegex("(['\"])x\\1");
    expect(backref.needsConfirm).toBe(true);
    expect(dfaTableIsMatch(backref.table, "'x'")).toBe(true);
    expect(dfaTableIsMatch(backref.table, "x")).toBe(false);
  });

  it("toHostRegExpSource gives a source and flags JS accepts, with PCRE's meaning", () => {
    const { source, flags } = toHostRegExpSource("\\A(?i)[[:alpha:]]++\\z");
    expect(flags).toBe("u");
    const re = new RegExp(source, flags);
    expect(re.test("AbC")).toBe(true);
    expect(re.test("AbC1")).toBe(false);
  });

  it("toHostRegExp emulates possessive repeats and atomic groups exactly", () => {
    expect(toHostRegExp("a++a").test("aaaa")).toBe(false);
    expect(toHostRegExp("a+a").test("aaaa")).toBe(true);
    expect(toHostRegExp("(?>a|ab)c").test("abc")).toBe(false);
    expect(toHostRegExp("(a)(?>b)(c)\\2").test("abcc")).toBe(true);
  });
});

describe("DFA construction", () => {
  it("byte classes merge bytes no transition distinguishes", () => {
    const { nfa } = buildNfa(parseRegex("^[a-z]+$"));
    const { classMap, count } = byteClasses(nfa);
    expect(classMap[0x61]).toBe(classMap[0x7a]);
    expect(classMap[0x61]).not.toBe(classMap[0x60]);
    expect(count).toBeLessThan(8);
  });

  it("minimization merges equivalent states", () => {
    const a = buildDfa(buildNfa(parseRegex("^(?:ab|cb)$")).nfa);
    const b = buildDfa(buildNfa(parseRegex("^[ac]b$")).nfa);
    expect(a.stateCount).toBe(b.stateCount);
  });

  it("throws DfaBudgetError instead of blowing up", () => {
    // a[ab]{n}$: the classic 2^n subset explosion (remember which of the last n bytes were 'a').
    expect(() => compileRegex("a[ab]{14}$", {}, { stateBudget: 1000 })).toThrow(DfaBudgetError);
    const small = compileRegex("a[ab]{6}$", {}, { stateBudget: 1000 });
    expect(small.states).toBeGreaterThan(100);
  });

  it("gives subset construction headroom over the budget, which applies to the minimal DFA", () => {
    // a.{0,7}b: subset construction tracks every 'a' in the window (2^8 sets), the minimal
    // DFA only the distance to the last one.
    expect(() => compileRegex("a.{0,7}b", {}, { stateBudget: 300, constructionBudget: 300 })).toThrow(DfaBudgetError);
    const c = compileRegex("a.{0,7}b", {}, { stateBudget: 300 });
    expect(c.states).toBeLessThanOrEqual(100); // ~60 minimal states
    expect(dfaTableIsMatch(c.table, "xxa1234567b")).toBe(true);
    expect(dfaTableIsMatch(c.table, "xxa12345678b")).toBe(false);
  });

  it("writes the documented binary layout", () => {
    const c = compileRegex("abc");
    const h = readDfaHeader(c.table);
    expect(h.version).toBe(1);
    expect(c.table.length % 4).toBe(0);
    expect(c.table.length).toBe(288 + ((h.stateCount * h.classCount * 2 + 3) & ~3));
    expect(h.eoiClass).toBe(h.classCount - 1);
    expect(h.firstAccepting % (h.classCount * 2)).toBe(0); // pre-multiplied: byte offset of the row
    expect(h.start).toBe(h.startOther);
    // Dead state 0: every transition stays at 0.
    const view = new DataView(c.table.buffer);
    for (let k = 0; k < h.classCount; k++) expect(view.getUint16(288 + k * 2, true)).toBe(0);
    expect(() => readDfaHeader(c.table.subarray(0, 100))).toThrow(/truncated/);
  });

  it("switches to u32 transitions when pre-multiplied ids exceed u16", () => {
    const c = compileRegex("a[ab]{13}\\z", {}, { stateBudget: 40_000 });
    const h = readDfaHeader(c.table);
    expect(h.flags & 1).toBe(1);
    for (const [input, want] of [["a" + "b".repeat(13), true], ["b".repeat(14), false], ["a" + "b".repeat(14), false]] as const) {
      expect(runDfaTable(c.table, enc.encode(input)).matched).toBe(want);
      expect(wasm.isMatch(c.table, enc.encode(input))).toBe(want);
    }
  });
});
