/** Required literal factors: examples and the soundness property. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileRegex } from "../../src/regex/index.js";
import { extractLiterals } from "../../src/regex/literals.js";
import { parseRegex } from "../../src/regex/parse.js";
import { inputArbitrary, patternArbitrary } from "./arbitrary.js";

function literalsOf(pattern: string): { literals: string[] | null; ci: boolean } {
  const c = compileRegex(pattern);
  return { literals: c.literals, ci: c.literalsCaseInsensitive };
}

const asciiLower = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

describe("extractLiterals", () => {
  it("finds required factors", () => {
    expect(literalsOf("union\\s+select")).toEqual({ literals: ["select"], ci: false });
    expect(literalsOf("abc")).toEqual({ literals: ["abc"], ci: false });
    expect(literalsOf("(?:foo|bar)baz")).toEqual({ literals: ["barbaz", "foobaz"], ci: false });
    expect(literalsOf("<script[^>]*>")).toEqual({ literals: ["<script"], ci: false });
    expect(literalsOf("\\d+")).toEqual({ literals: null, ci: false });
    expect(literalsOf(".*")).toEqual({ literals: null, ci: false });
    expect(literalsOf("a|\\d")).toEqual({ literals: null, ci: false });
  });

  it("prefers the longer factor", () => {
    expect(literalsOf("ab\\d+javascript:").literals).toEqual(["javascript:"]);
  });

  it("ranks factors too short to prefilter on (< 3 bytes) below longer ones", () => {
    // 100 handler names: more than an exact language may hold, few enough for a factor set.
    const names = Array.from({ length: 100 }, (_, i) => `h${i.toString(36).padStart(2, "0")}x`);
    expect(literalsOf(`\\bon(?:${names.join("|")})\\s*=`).literals).toEqual(names.map((n) => `on${n}`).sort());
    // A 2-byte factor still comes out when nothing longer is required.
    expect(literalsOf("ab[a-z]+").literals).toEqual(["ab"]);
  });

  it("keeps a separator in front of a word list when the pairs are too many to be a language", () => {
    const words = ["cat", "echo", "ping", "type", "more", "bash", "python", "perl", "php", "ruby", "sleep", "net", "set", "env", "wget", "curl", "kill"];
    const literals = literalsOf(`[;|&] ?(${words.join("|")})( |$)`).literals!;
    // 3 separators × optional space × 17 words: 102 factors, each rarer than its bare word.
    expect(literals).toHaveLength(102);
    for (const w of words) for (const sep of [";", "|", "&", "; ", "| ", "& "]) expect(literals).toContain(`${sep}${w}`);
  });

  it("extends a factor with the small class that follows it (\\d), not whitespace nor a large one", () => {
    const digits = Array.from({ length: 10 }, (_, d) => String(d));
    expect(literalsOf("://\\d").literals).toEqual(digits.map((d) => `://${d}`));
    expect(literalsOf("sleep \\d+").literals).toEqual(digits.map((d) => `sleep ${d}`));
    // Not whitespace (a word is mostly followed by a space), nor [a-z] (26): the factor alone.
    expect(literalsOf("sleep\\s+\\d+").literals).toEqual(["sleep"]);
    expect(literalsOf("://[a-z]").literals).toEqual(["://"]);
    // Nor a class before a factor: `0javascript:` … is ten factors for about the hits of one.
    expect(literalsOf("ab\\d+javascript:").literals).toEqual(["javascript:"]);
    // The SSRF shape: a URL's authority starting with a digit, `[`, `::` or `f[cd]`, never `://` alone.
    const ssrf = literalsOf("://\\[?(127\\.|0+(:|/|$)|[0-9]{8,10}(:|/|$)|::1?\\]|fe80:|f[cd][0-9a-f]{2}:)").literals!;
    expect(ssrf).not.toContain("://");
    for (const l of ["://1", "://[0", "://::]", "://fe80:", "://fc", "://fd"]) expect(ssrf).toContain(l);
  });

  it("lower-cases ASCII factors of case-insensitive patterns and says so", () => {
    expect(literalsOf("(?i)SeLeCt\\s+FROM")).toEqual({ literals: ["select"], ci: true });
    expect(literalsOf("[Uu][Nn][Ii][Oo][Nn]")).toEqual({ literals: ["union"], ci: true });
  });

  it("enumerates non-ASCII case variants instead of folding them", () => {
    const { literals, ci } = literalsOf("(?i)é");
    expect(ci).toBe(false);
    expect(literals?.sort()).toEqual(["É", "é"]);
  });

  it("ignores lookaround (empty) and gives up at backreferences", () => {
    expect(literalsOf("(?<=x)abc(?!d)").literals).toEqual(["abc"]);
    expect(literalsOf("(a)\\1").literals).toEqual(["a"]);
  });

  it("keeps large alternations bounded", () => {
    const words = Array.from({ length: 600 }, (_, i) => `word${i.toString(36)}x`);
    const { literals } = literalsOf(`(?:${words.join("|")})`);
    expect(literals).not.toBeNull();
    expect(literals!.length).toBeLessThanOrEqual(256);
    // Still sound: every word contains one of the (shortened) factors.
    for (const w of words) expect(literals!.some((l) => w.includes(l)), w).toBe(true);
  });

  it("soundness: whenever RegExp matches, one literal occurs in the input", () => {
    fc.assert(
      fc.property(patternArbitrary(true), fc.array(inputArbitrary, { minLength: 1, maxLength: 10 }), (pattern, inputs) => {
        // The extractor alone: no DFA, whose state budget nested repeats can exceed.
        const c = extractLiterals(parseRegex(pattern.pcre, {}));
        if (!c) return;
        expect(c.literals.length).toBeGreaterThan(0);
        for (const input of inputs) {
          if (!pattern.matches(input)) continue;
          const hay = c.caseInsensitive ? asciiLower(input) : input;
          expect(c.literals.some((l) => hay.includes(l)), `${pattern.pcre} on ${JSON.stringify(input)}: ${JSON.stringify(c.literals)}`).toBe(true);
        }
      }),
      { numRuns: Number(process.env.REGEX_FC_RUNS ?? 400) },
    );
  });
});
