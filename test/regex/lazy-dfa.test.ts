/**
 * The lazy DFA (src/regex/lazy-dfa.ts) that confirms regexes over the DFA state budget, and
 * the binary NFA it reads from packs (src/regex/nfa-format.ts): it agrees with an independent
 * RegExp on generated patterns and inputs — with its cache kept across inputs, and with a
 * cache so small that it is cleared every few bytes; its work grows linearly on the inputs
 * that make a backtracking RegExp take cubic time; the NFA reader refuses damaged bytes with
 * a clear error and nothing else.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRegex } from "../../src/regex/index.js";
import { LazyDfa } from "../../src/regex/lazy-dfa.js";
import { buildNfa, type Nfa } from "../../src/regex/nfa.js";
import { deserializeNfa, serializeNfa } from "../../src/regex/nfa-format.js";
import { inputArbitrary, patternArbitrary } from "./arbitrary.js";
import { itRunsInLinearWork } from "./linear-work.js";

const encoder = new TextEncoder();
const RUNS = Number(process.env.REGEX_FC_RUNS ?? 400);

function exactNfa(pattern: string, flags = {}): Nfa | null {
  const { nfa, prefilterReasons } = buildNfa(parseRegex(pattern, flags));
  return prefilterReasons.length === 0 ? nfa : null;
}

describe("lazy DFA agrees with RegExp", () => {
  it("on generated exact patterns, through the pack's NFA bytes, with a warm cache and with one cleared every few bytes", () => {
    fc.assert(
      fc.property(patternArbitrary(false), fc.array(inputArbitrary, { minLength: 1, maxLength: 12 }), (pattern, inputs) => {
        const nfa = exactNfa(pattern.pcre);
        if (!nfa) return;
        const bytes = serializeNfa(nfa);
        const warm = new LazyDfa(deserializeNfa(bytes));
        const thrashing = new LazyDfa(deserializeNfa(bytes), { maxStates: 8, maxStoredInts: 1024 });
        for (const input of inputs) {
          const want = pattern.matches(input);
          const ctx = `pattern ${JSON.stringify(pattern.pcre)} (js ${pattern.js}) input ${JSON.stringify(input)}`;
          expect(warm.test(encoder.encode(input)), `warm: ${ctx}`).toBe(want);
          expect(thrashing.test(encoder.encode(input)), `small cache: ${ctx}`).toBe(want);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("clears its cache when full and keeps answering correctly", () => {
    // Many distinct states: every window of 12 a/b bytes is a state of (a|b)*a(a|b){11}.
    const nfa = exactNfa("(a|b)*a(a|b){11}c")!;
    const dfa = new LazyDfa(nfa, { maxStates: 64 });
    const re = /(a|b)*a(a|b){11}c/;
    let seed = 7;
    for (let i = 0; i < 40; i++) {
      let s = "";
      for (let j = 0; j < 200; j++) s += (seed = (seed * 1103515245 + 12345) >>> 0) & 0x10000 ? "a" : "b";
      if (i % 2 === 0) s += "c";
      expect(dfa.test(encoder.encode(s))).toBe(re.test(s));
    }
    expect(dfa.resets).toBeGreaterThan(0);
  });

  it("keeps its transition table inside the integer budget, whatever the input", () => {
    // Many byte classes (each listed character is one), so rows are wide next to the sets.
    const nfa = exactNfa("(a|b)*a(a|b){5}[02468ACEGIKMOQSUWY]c")!;
    const budget = 1024; // the smallest the automaton accepts
    const dfa = new LazyDfa(nfa, { maxStates: 100_000, maxStoredInts: budget });
    let seed = 11;
    for (let i = 0; i < 20; i++) {
      let s = "";
      for (let j = 0; j < 300; j++) s += (seed = (seed * 1103515245 + 12345) >>> 0) & 0x10000 ? "a" : "b";
      dfa.test(encoder.encode(s));
      expect((dfa as unknown as { trans: Int32Array }).trans.length).toBeLessThanOrEqual(budget);
    }
    expect(dfa.resets).toBeGreaterThan(0);
  });
});

describe("lazy DFA runs in linear time", () => {
  // A CRS-shaped evasion list (932230's gadget between letters) and the classic shapes.
  const gadget = String.raw`["'\)\[\x5c]*(?:(?:(?:\|\||&&)[\s\x0b]*)?\$[!#\(\*\-0-9\?@_a-\{]*)?\x5c?`;
  const word = (w: string) => [...w].join(gadget);
  const crsShaped = `(?i)(?:^|[;&|\\n])[\\s\\x0b]*(?:${["curl", "wget", "bash", "python", "perl", "nc", "cat", "echo"].map(word).join("|")})(?:[\\s\\x0b<>&|),]|$)`;
  const cases: Array<{ pattern: string; unit: string }> = [
    { pattern: crsShaped, unit: "\n" },
    { pattern: crsShaped, unit: "$a" },
    { pattern: crsShaped, unit: "c'u\\" },
    { pattern: "(a+)+$", unit: "a" },
    { pattern: "(a|aa)*b", unit: "a" },
    { pattern: "^(\\w+\\s?)*$", unit: "aaaa " },
  ];
  for (const { pattern, unit } of cases) itRunsInLinearWork(pattern, unit, (p) => exactNfa(p)!, [4096, 8192, 16384, 32768]);
});

describe("NFA bytes", () => {
  const nfa = exactNfa("(?i)ab[c-e]*\\bx$|^z")!;
  const bytes = serializeNfa(nfa);

  it("round-trip", () => {
    const back = deserializeNfa(bytes);
    expect(serializeNfa(back)).toEqual(bytes);
    expect(back.start).toBe(nfa.start);
    expect(back.looksUsed).toBe(nfa.looksUsed);
  });

  it("use 32-bit state ids beyond 65,535 states", () => {
    const big = exactNfa("[a-z]{2000}x".repeat(40))!;
    expect(big.kind.length).toBeGreaterThan(65_535);
    const back = deserializeNfa(serializeNfa(big));
    expect(back.kind.length).toBe(big.kind.length);
    expect(new LazyDfa(back).test(encoder.encode(`${"q".repeat(2000)}x`.repeat(40)))).toBe(true);
  });

  it("refuse every truncation with the field that does not hold", () => {
    for (let len = 0; len < bytes.length; len += 1) {
      expect(() => deserializeNfa(bytes.subarray(0, len)), `length ${len}`).toThrow(/^confirmation NFA: /);
    }
  });

  it("damaged anywhere: a clear error or an NFA whose ids all lie in range, never another failure", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (edits) => {
        const damaged = bytes.slice();
        for (const [at, value] of edits) damaged[at] = value;
        let read: Nfa;
        try {
          read = deserializeNfa(damaged);
        } catch (e) {
          expect((e as Error).message).toMatch(/^confirmation NFA: /);
          return;
        }
        const n = read.kind.length;
        expect(read.start).toBeLessThan(n);
        for (let s = 0; s < n; s++) {
          for (const t of read.out[s]!) expect(t).toBeLessThan(n);
          if (read.next[s]! >= 0) expect(read.next[s]).toBeLessThan(n);
        }
        // Runs to an answer on any input: bounded by construction.
        expect(typeof new LazyDfa(read).test(encoder.encode("abc\nx z"))).toBe("boolean");
      }),
      { numRuns: 300 },
    );
  });
});
