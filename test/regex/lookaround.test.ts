/**
 * Lookarounds confirmed in linear time (src/regex/lookaround.ts, lazy-dfa.ts): an NFA built
 * with `exactLookaround` keeps each lookaround's body; the lazy DFA runs it with per-position
 * truth tables of those bodies. It agrees with an independent RegExp on generated patterns
 * with lookarounds (nested ones included), through the pack's NFA bytes; its work grows
 * linearly on inputs that make V8's backtracking exponential or polynomial; the bytes are
 * checked as strictly as the plain NFA's.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRegex } from "../../src/regex/index.js";
import { LazyDfa } from "../../src/regex/lazy-dfa.js";
import { lookaroundTable } from "../../src/regex/lookaround.js";
import { buildNfa, LOOKAROUND, MAX_LOOKAROUNDS, NfaTooLargeError, type Nfa } from "../../src/regex/nfa.js";
import { deserializeNfa, serializeNfa } from "../../src/regex/nfa-format.js";
import { inputArbitrary, jsMatches, patternArbitrary } from "./arbitrary.js";
import { itRunsInLinearWork } from "./linear-work.js";

const encoder = new TextEncoder();
const RUNS = Number(process.env.REGEX_FC_RUNS ?? 400);

function exactNfa(pattern: string): Nfa | null {
  const { nfa, prefilterReasons } = buildNfa(parseRegex(pattern), { exactLookaround: true });
  return prefilterReasons.length === 0 ? nfa : null;
}

describe("exact lookaround NFAs", () => {
  it("keep lookarounds (nested too) and leave only the other prefilter reasons", () => {
    const nfa = exactNfa("(?<!\\w)admin(?=(?!x)[a-z])")!;
    const behind = nfa.lookarounds?.find((l) => !l.ahead);
    const ahead = nfa.lookarounds?.find((l) => l.ahead);
    expect(nfa.lookarounds).toHaveLength(2);
    expect(behind?.negated).toBe(true);
    expect(ahead?.negated).toBe(false);
    expect(ahead!.nfa.lookarounds?.map((l) => [l.ahead, l.negated])).toEqual([[true, true]]);
    expect(nfa.kind.filter((k) => k === LOOKAROUND)).toHaveLength(2);
    // A backreference still needs a backtracking matcher.
    const { prefilterReasons } = buildNfa(parseRegex("(a)(?=b)\\1"), { exactLookaround: true });
    expect(prefilterReasons).toEqual([expect.stringContaining("backreference")]);
    // Without the option, lookarounds over-approximate as before.
    expect(buildNfa(parseRegex("a(?=b)")).prefilterReasons).toEqual([expect.stringContaining("lookahead")]);
  });

  it("share one body among the copies a repeat makes of a lookaround", () => {
    const pattern = "(?:(?<![b-z])a){30}";
    const nfa = exactNfa(pattern)!;
    expect(nfa.lookarounds).toHaveLength(1);
    const dfa = new LazyDfa(nfa);
    for (const input of [`x1${"a".repeat(30)}`, `b${"a".repeat(30)}`]) {
      expect(dfa.test(encoder.encode(input)), input).toBe(new RegExp(pattern).test(input));
    }
    expect(dfa.test(encoder.encode(`1${"a".repeat(30)}`))).toBe(true);
  });

  it(`refuse more than ${MAX_LOOKAROUNDS} lookarounds in one NFA (their bits fill the mask)`, () => {
    expect(exactNfa("(?=a)".repeat(MAX_LOOKAROUNDS))).not.toBeNull();
    expect(() => buildNfa(parseRegex("(?=a)".repeat(MAX_LOOKAROUNDS + 1)), { exactLookaround: true })).toThrow(NfaTooLargeError);
  });
});

describe("lazy DFA with lookarounds agrees with RegExp", () => {
  it("on generated patterns with lookarounds, through the NFA bytes, warm and with a cache cleared every few bytes", () => {
    let withLookarounds = 0;
    fc.assert(
      fc.property(patternArbitrary(true, { backreferences: false }), fc.array(inputArbitrary, { minLength: 1, maxLength: 12 }), (pattern, inputs) => {
        const nfa = exactNfa(pattern.pcre);
        expect(nfa, pattern.pcre).not.toBeNull(); // no backreferences generated: always exact
        if (nfa!.lookarounds) withLookarounds++;
        const bytes = serializeNfa(nfa!);
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
    expect(withLookarounds).toBeGreaterThan(RUNS / 10); // the property is not vacuous
  });

  it("on hand-picked cases: word edges, both directions, nesting, multi-byte text, the ends of the input", () => {
    const cases: Array<[string, RegExp, string[]]> = [
      ["(?<![a-z])admin(?![a-z])", /(?<![a-z])admin(?![a-z])/, ["admin", "xadmin", "admins", "/admin/", "ADMIN", "sysadmin panel"]],
      ["(?<=\\$\\{)jndi:", /(?<=\$\{)jndi:/, ["${jndi:ldap", "$ {jndi:", "jndi:", "${{jndi:"]],
      ["select(?=\\s+\\w+\\s+from\\b)", /select(?=\s+\w+\s+from\b)/, ["select a from t", "select a fromage", "select  x\tfrom", "selectfrom"]],
      ["(?<=(?<!b)a)c", /(?<=(?<!b)a)c/, ["ac", "bac", "xac", "c", "aac"]],
      ["(?!(?<=\\S|^))", /(?!(?<=\S|^))/u, ["😀", "a b", "ab", "é é", ""]],
      ["(?<=é)x|(?=é$)", /(?<=é)x|(?=é$)/u, ["éx", "ex", "aé", "éa", "é"]],
      ["^(?=.*\\d)(?=.*[a-z]).{8}$", /^(?=.*\d)(?=.*[a-z]).{8}$/, ["abcd1234", "abcdefgh", "12345678", "abc1234", "ab\n12345"]],
      ["(?m)(?<=^)b|a$(?=\\n^)|(?<=\\b)x(?=\\B)", /(?<=^)b|a$(?=\n^)|(?<=\b)x(?=\B)/m, ["b", "a\nb", "ab", "a\n", "xa\nb", "\n\nb", "a\n\n", " xx", "a\nx"]],
    ];
    for (const [pcre, re, inputs] of cases) {
      const dfa = new LazyDfa(deserializeNfa(serializeNfa(exactNfa(pcre)!)));
      // jsMatches: V8 alone would match the fifth pattern between the halves of "😀".
      for (const input of inputs) expect(dfa.test(encoder.encode(input)), `${pcre} on ${JSON.stringify(input)}`).toBe(jsMatches(re, input));
    }
  });
});

describe("lookaround tables from cached passes", () => {
  it("are the same with a cache cleared at every few sets as with a warm one, on generated patterns", () => {
    fc.assert(
      fc.property(patternArbitrary(true, { backreferences: false }), fc.array(inputArbitrary, { minLength: 1, maxLength: 8 }), (pattern, inputs) => {
        const nfa = exactNfa(pattern.pcre)!;
        fc.pre(nfa.lookarounds !== undefined);
        // Two copies of the NFA, so the two runs keep caches of their own.
        const twin = deserializeNfa(serializeNfa(nfa));
        for (const input of inputs) {
          const bytes = encoder.encode(input);
          const warm = lookaroundTable(nfa, bytes, { work: 0 });
          const thrashing = lookaroundTable(twin, bytes, { work: 0 }, { maxSets: 2, maxStoredInts: 16 });
          expect(Array.from(thrashing), `${pattern.pcre} on ${JSON.stringify(input)}`).toEqual(Array.from(warm));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("cost one unit of work per position once warm", () => {
    const nfa = exactNfa("(?<![\\w.])(?:curl|wget)(?!\\.\\w)[\\s,;|&]+(?=(?:[\\w./-]+\\s?)*$)")!;
    const input = encoder.encode("Mozilla/5.0 (X11; Linux x86_64) curl wget/1.2 ; ls -la /tmp && echo done");
    lookaroundTable(nfa, input, { work: 0 });
    const warm = { work: 0 };
    lookaroundTable(nfa, input, warm);
    expect(warm.work).toBe(nfa.lookarounds!.length * (input.length + 1));
  });
});

describe("lazy DFA with lookarounds runs in linear time", () => {
  // V8 takes exponential or polynomial time on each of these once the input is long enough.
  const cases: Array<{ pattern: string; unit: string }> = [
    { pattern: "(?=(a+)+$)b", unit: "a" },
    { pattern: "^(?!(\\w+\\s?)*$)", unit: "aaaa " },
    { pattern: "(?<=(a|aa)*)c", unit: "a" },
    { pattern: "(?<![x])(a|a)*(?=b)", unit: "a" },
    { pattern: "(?=.*(?:\\||&&)\\s*(?:curl|wget))[\\w\\s|&]+(?<!\\s)$", unit: "|| cur" },
  ];
  for (const { pattern, unit } of cases) itRunsInLinearWork(pattern, unit, (p) => exactNfa(p)!, [2048, 4096, 8192, 16384]);
});

describe("NFA bytes with lookarounds", () => {
  const nfa = exactNfa("(?<!\\w)ad(?=(?!x)[a-z]|$)min\\b")!;
  const bytes = serializeNfa(nfa);

  it("round-trip, bodies and their sense included", () => {
    const back = deserializeNfa(bytes);
    expect(serializeNfa(back)).toEqual(bytes);
    expect(back.lookarounds?.map((l) => [l.ahead, l.negated, l.nfa.kind.length])).toEqual(nfa.lookarounds!.map((l) => [l.ahead, l.negated, l.nfa.kind.length]));
  });

  it("refuse every truncation and any trailing byte", () => {
    for (let len = 0; len < bytes.length; len++) {
      expect(() => deserializeNfa(bytes.subarray(0, len)), `length ${len}`).toThrow(/^confirmation NFA[:,] /);
    }
    const longer = new Uint8Array(bytes.length + 4);
    longer.set(bytes);
    expect(() => deserializeNfa(longer)).toThrow(/lookaround/);
  });

  it("refuse lookarounds nested deeper than the reader recurses", () => {
    const deep = exactNfa(`${"(?=a".repeat(12)}${")".repeat(12)}`)!;
    expect(() => deserializeNfa(serializeNfa(deep))).toThrow(/nested deeper than 8/);
  });

  it("damaged anywhere: a clear error or an NFA that runs to an answer, never another failure", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (edits) => {
        const damaged = bytes.slice();
        for (const [at, value] of edits) damaged[at] = value;
        let read: Nfa;
        try {
          read = deserializeNfa(damaged);
        } catch (e) {
          expect((e as Error).message).toMatch(/^confirmation NFA[:,] /);
          return;
        }
        expect(typeof new LazyDfa(read).test(encoder.encode("x admin\nadmins é"))).toBe("boolean");
      }),
      { numRuns: 300 },
    );
  });
});
