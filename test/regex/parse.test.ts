/** Parser: AST shapes, flags, prefilter reasons, and precise errors. */
import { describe, expect, it } from "vitest";
import { parseRegex, RegexSyntaxError } from "../../src/regex/index.js";
import type { Node } from "../../src/regex/ast.js";

function root(pattern: string, flags = {}): Node {
  return parseRegex(pattern, flags).root;
}

function errorOf(pattern: string): RegexSyntaxError {
  try {
    parseRegex(pattern);
  } catch (e) {
    if (e instanceof RegexSyntaxError) return e;
    throw e;
  }
  throw new Error(`expected ${pattern} to be rejected`);
}

describe("parseRegex: AST", () => {
  it("parses literals, concatenation and alternation with positions", () => {
    expect(root("ab|c")).toEqual({
      type: "alternation", pos: 0, items: [
        { type: "concat", pos: 0, items: [
          { type: "literal", pos: 0, cp: 0x61, caseInsensitive: false },
          { type: "literal", pos: 1, cp: 0x62, caseInsensitive: false },
        ] },
        { type: "literal", pos: 3, cp: 0x63, caseInsensitive: false },
      ],
    });
  });

  it("parses every repeat form", () => {
    const reps = ["a*", "a+", "a?", "a{3}", "a{2,}", "a{2,5}", "a{,4}", "a*?", "a++"].map((p) => {
      const n = root(p);
      if (n.type !== "repeat") throw new Error(p);
      return [n.min, n.max, n.kind];
    });
    expect(reps).toEqual([
      [0, Infinity, "greedy"], [1, Infinity, "greedy"], [0, 1, "greedy"], [3, 3, "greedy"],
      [2, Infinity, "greedy"], [2, 5, "greedy"], [0, 4, "greedy"], [0, Infinity, "lazy"], [1, Infinity, "possessive"],
    ]);
  });

  it("treats a brace that is not a quantifier as a literal", () => {
    expect(root("a{x")).toMatchObject({ type: "concat", items: [{ cp: 0x61 }, { cp: 0x7b }, { cp: 0x78 }] });
  });

  it("resolves escapes to code points and classes", () => {
    const cps = ["\\x41", "\\x{20AC}", "\\u00e9", "\\u{1F600}", "\\n", "\\r", "\\t", "\\f", "\\v", "\\0", "\\/", "\\.", "\\e", "\\cA", "\\o{101}", "\\101"]
      .map((p) => root(p))
      .map((n) => (n.type === "literal" ? n.cp : n.type));
    expect(cps).toEqual([0x41, 0x20ac, 0xe9, 0x1f600, 10, 13, 9, 12, 11, 0, 0x2f, 0x2e, 0x1b, 1, 0x41, 0x41]);
    expect(root("\\d")).toEqual({ type: "class", pos: 0, set: [[0x30, 0x39]] });
    expect(root("\\s")).toEqual({ type: "class", pos: 0, set: [[9, 13], [32, 32]] });
    expect(root("\\w")).toEqual({ type: "class", pos: 0, set: [[48, 57], [65, 90], [95, 95], [97, 122]] });
  });

  it("parses classes: ranges, negation, escapes, POSIX names, a leading ]", () => {
    expect(root("[a-c\\d_]")).toMatchObject({ set: [[0x30, 0x39], [0x5f, 0x5f], [0x61, 0x63]] });
    expect(root("[]a]")).toMatchObject({ set: [[0x5d, 0x5d], [0x61, 0x61]] });
    expect(root("[[:digit:][:upper:]]")).toMatchObject({ set: [[0x30, 0x39], [0x41, 0x5a]] });
    expect(root("[^\\x00-\\x{10FFFF}]")).toMatchObject({ set: [] });
    expect(root("[\\b]")).toMatchObject({ set: [[8, 8]] });
    expect(root("[a-]")).toMatchObject({ set: [[0x2d, 0x2d], [0x61, 0x61]] });
    const negated = root("[^a]");
    expect(negated.type === "class" && negated.set[0]).toEqual([0, 0x60]);
  });

  it("applies (?i) to literals and classes, scoped and unscoped, and (?-i) turns it off", () => {
    expect(root("(?i)a")).toMatchObject({ type: "literal", cp: 0x61, caseInsensitive: true });
    expect(root("(?i)[a-b]")).toMatchObject({ set: [[0x41, 0x42], [0x61, 0x62]] });
    expect(root("(?i)1")).toMatchObject({ caseInsensitive: false });
    expect(root("a(?i:b)c")).toMatchObject({
      items: [{ caseInsensitive: false }, { type: "group", item: { caseInsensitive: true } }, { caseInsensitive: false }],
    });
    expect(root("(?i)a(?-i)b")).toMatchObject({ items: [{ caseInsensitive: true }, { caseInsensitive: false }] });
    // PCRE: a flag change inside a group carries into later alternatives of that group only.
    expect(root("(a(?i)b|c)d")).toMatchObject({
      items: [{ item: { items: [{ items: [{ caseInsensitive: false }, { caseInsensitive: true }] }, { caseInsensitive: true }] } }, { caseInsensitive: false }],
    });
  });

  it("anchors: ^ $ \\A \\z \\Z, multiline and dollarEndOnly", () => {
    const kinds = (p: string, f = {}): string[] => {
      const n = root(p, f);
      const items = n.type === "concat" ? n.items : [n];
      return items.filter((x) => x.type === "assertion").map((x) => (x.type === "assertion" ? x.kind : ""));
    };
    expect(kinds("^a$")).toEqual(["startText", "endTextOptionalNewline"]);
    expect(kinds("(?m)^a$")).toEqual(["startLine", "endLine"]);
    expect(kinds("^a$", { multiline: true })).toEqual(["startLine", "endLine"]);
    expect(kinds("^a$", { dollarEndOnly: true })).toEqual(["startText", "endText"]);
    expect(kinds("\\Aa\\z\\Z\\b\\B")).toEqual(["startText", "endText", "endTextOptionalNewline", "wordBoundary", "notWordBoundary"]);
  });

  it("dot excludes \\n unless (?s) or dotAll", () => {
    expect(root(".")).toMatchObject({ set: [[0, 9], [11, 0xd7ff], [0xe000, 0x10ffff]] });
    expect(root("(?s).")).toMatchObject({ set: [[0, 0xd7ff], [0xe000, 0x10ffff]] });
    expect(root(".", { dotAll: true })).toMatchObject({ set: [[0, 0xd7ff], [0xe000, 0x10ffff]] });
  });

  it("extended mode skips white space and comments outside classes", () => {
    expect(root("(?x) a b # comment\n c [ ]")).toMatchObject({ type: "concat", items: [{ cp: 0x61 }, { cp: 0x62 }, { cp: 0x63 }, { set: [[32, 32]] }] });
  });

  it("numbers capture groups, names included; non-capturing forms get 0", () => {
    const ast = parseRegex("(a)(?:b)(?<n>c)(?P<m>d)(?'o'e)(?>f)");
    expect(ast.captureCount).toBe(4);
    const n = ast.root;
    expect(n.type === "concat" && n.items.map((g) => (g.type === "group" ? [g.index, g.name ?? null, g.atomic] : null))).toEqual([
      [1, null, false], [0, null, false], [2, "n", false], [3, "m", false], [4, "o", false], [0, null, true],
    ]);
  });

  it("lookaround, backreferences, atomic groups and possessive repeats put the pattern in prefilter mode", () => {
    for (const p of ["a(?=b)", "a(?!b)", "(?<=a)b", "(?<!a)b", "(a)\\1", "(?<x>a)\\k<x>", "(a)\\g{-1}", "(?P<x>a)(?P=x)", "(?>a)", "a*+"]) {
      expect(parseRegex(p).prefilterReasons.length, p).toBeGreaterThan(0);
    }
    expect(parseRegex("(?:a)(b)").prefilterReasons).toEqual([]);
  });
});

describe("parseRegex: errors carry the position", () => {
  const cases: Array<[string, number, RegExp]> = [
    ["ab(c", 2, /missing \)/],
    ["abc)", 3, /unmatched '\)'/],
    ["a[bc", 1, /missing \]/],
    ["*a", 0, /nothing to repeat/],
    ["a**", 2, /nothing to repeat/],
    ["a{5,2}", 1, /out of order/],
    ["[z-a]", 1, /out of order/],
    ["a{70000}", 1, /larger than/],
    ["x(?R)", 1, /recursion/],
    ["x(?1)", 1, /recursion/],
    ["(?(1)a|b)", 0, /conditional/],
    ["ab\\G", 2, /\\G/],
    ["(?C1)", 0, /callout/],
    ["(*SKIP)", 0, /verbs/],
    ["a\\p{L}", 1, /Unicode property/],
    ["a\\i", 1, /unknown escape/],
    ["(a)\\2", 3, /group 2/],
    ["\\k<nope>", 0, /unknown group name/],
    ["(?Q)", 2, /unknown inline flag 'Q'/],
    ["a\\", 1, /lone backslash/],
    ["[[:nope:]]", 1, /unknown POSIX class/],
    ["\\x{110000}", 0, /larger than U\+10FFFF/],
  ];
  for (const [pattern, position, message] of cases) {
    it(`${JSON.stringify(pattern)} → position ${position}`, () => {
      const e = errorOf(pattern);
      expect(e.position).toBe(position);
      expect(e.pattern).toBe(pattern);
      expect(e.message).toMatch(message);
      // The message shows the pattern with a caret under the position.
      expect(e.message.split("\n")[2]).toBe("  " + " ".repeat(position) + "^");
    });
  }
});
