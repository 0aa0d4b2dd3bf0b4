import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SecLangError } from "../../src/seclang/errors.js";
import { logicalLines, splitWords } from "../../src/seclang/lexer.js";
import { parseActions, parseOperator, parseSecLang, parseVariables, type Directive } from "../../src/seclang/parser.js";

const fail = (reason: string): never => {
  throw new Error(reason);
};

function rule(d: Directive | undefined) {
  if (!d || d.kind !== "SecRule") throw new Error(`expected a SecRule, got ${d?.kind}`);
  return d;
}

describe("lexer", () => {
  it("joins continuation lines and keeps the first line's number", () => {
    const text = "# comment\n\nSecRule ARGS \"@rx a\" \\\n    \"id:1,\\\n    phase:2\"\nSecMarker END\n";
    const lines = logicalLines(text, "x.conf");
    expect(lines.map((l) => l.line)).toEqual([3, 6]);
    expect(lines[0]!.words).toEqual(["SecRule", "ARGS", "@rx a", "id:1,    phase:2"]);
    expect(lines[1]!.words).toEqual(["SecMarker", "END"]);
  });

  it("treats a trailing backslash followed by blanks as a continuation", () => {
    const lines = logicalLines("SecAction \\  \n  \"id:5,pass\"", "x.conf");
    expect(lines).toHaveLength(1);
    expect(lines[0]!.words).toEqual(["SecAction", "id:5,pass"]);
  });

  it("unescapes only the quote character inside quotes and keeps other backslashes", () => {
    expect(splitWords(String.raw`SecRule ARGS "@rx \"\d+\\w" 'it\'s'`, "f", 1)).toEqual(["SecRule", "ARGS", String.raw`@rx "\d+\\w`, "it's"]);
  });

  it("names file, line and directive on an unterminated quote", () => {
    try {
      parseSecLang('\n\nSecRule ARGS "@rx a', "rules/x.conf");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SecLangError);
      expect((e as SecLangError).line).toBe(3);
      expect((e as SecLangError).message).toBe('rules/x.conf:3 SecRule: unterminated " quote');
    }
  });

  it("round-trips any quoted words (property)", () => {
    const word = fc.string({ maxLength: 20 }).filter((w) => !/[\r\n]/.test(w) && !w.endsWith("\\"));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), (words) => {
        const line = words.map((w) => `"${w.replace(/"/g, '\\"')}"`).join(" ");
        expect(splitWords(line, "f", 1)).toEqual(words);
      }),
    );
  });

  it("never throws anything but SecLangError on arbitrary text (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          parseSecLang(text, "fuzz.conf");
        } catch (e) {
          expect(e).toBeInstanceOf(SecLangError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("parser", () => {
  it("parses variables with exclusions, counts, regex keys containing | and XPath keys", () => {
    const vars = parseVariables("REQUEST_COOKIES|!REQUEST_COOKIES:/^(?:a|b)$/|&ARGS|ARGS:'x y'|XML:/*|XML://@*|REQUEST_HEADERS:User-Agent", fail);
    expect(vars).toEqual([
      { exclude: false, count: false, collection: "REQUEST_COOKIES" },
      { exclude: true, count: false, collection: "REQUEST_COOKIES", key: "/^(?:a|b)$/" },
      { exclude: false, count: true, collection: "ARGS" },
      { exclude: false, count: false, collection: "ARGS", key: "x y" },
      { exclude: false, count: false, collection: "XML", key: "/*" },
      { exclude: false, count: false, collection: "XML", key: "//@*" },
      { exclude: false, count: false, collection: "REQUEST_HEADERS", key: "User-Agent" },
    ]);
  });

  it("parses operators: negation, names, bare regexes", () => {
    expect(parseOperator("!@within GET POST")).toEqual({ negate: true, name: "within", argument: "GET POST" });
    expect(parseOperator("@detectSQLi")).toEqual({ negate: false, name: "detectsqli", argument: "" });
    expect(parseOperator("^a|b$")).toEqual({ negate: false, name: "rx", argument: "^a|b$" });
  });

  it("parses actions with quoted values, commas and escaped quotes", () => {
    expect(parseActions("id:942100, phase:2,t:none,msg:'a, b \\'c\\'',setvar:'tx.x=+%{tx.y}',chain", fail)).toEqual([
      { name: "id", value: "942100" },
      { name: "phase", value: "2" },
      { name: "t", value: "none" },
      { name: "msg", value: "a, b 'c'" },
      { name: "setvar", value: "tx.x=+%{tx.y}" },
      { name: "chain" },
    ]);
  });

  it("gathers chained rules, markers, actions and other directives", () => {
    const ds = parseSecLang(
      [
        'SecRule REQUEST_METHOD "@streq POST" "id:10,phase:2,chain"',
        '  SecRule ARGS "@rx a" "chain"',
        '    SecRule ARGS_NAMES "@rx b" "t:lowercase"',
        'SecAction "id:11,pass,setvar:tx.a=1"',
        "SecMarker END-X",
        "SecRuleEngine On",
      ].join("\n"),
      "c.conf",
    );
    expect(ds.map((d) => d.kind)).toEqual(["SecRule", "SecAction", "SecMarker", "other"]);
    const r = rule(ds[0]);
    expect(r.chain.map((l) => [l.line, l.variables[0]!.collection])).toEqual([[2, "ARGS"], [3, "ARGS_NAMES"]]);
    expect(ds[2]).toMatchObject({ marker: "END-X", line: 5 });
    expect(ds[3]).toMatchObject({ name: "SecRuleEngine", args: ["On"] });
  });

  it("rejects a chain that is not followed by a rule, with the line", () => {
    expect(() => parseSecLang('SecRule ARGS "@rx a" "id:1,chain"\nSecMarker X', "c.conf")).toThrow(/c\.conf:2 SecMarker: the previous rule \(line 1\) ends with "chain"/);
    expect(() => parseSecLang('SecRule ARGS "@rx a" "id:1,chain"', "c.conf")).toThrow(/c\.conf:1 SecRule: the last rule ends with "chain"/);
  });

  it("rejects malformed rules with file and line", () => {
    expect(() => parseSecLang('\nSecRule ARGS', "bad.conf")).toThrow(/bad\.conf:2 SecRule: expected SecRule VARIABLES OPERATOR/);
    expect(() => parseSecLang('SecRule "ARGS|" "@rx a" "id:1"', "bad.conf")).toThrow(/bad\.conf:1 SecRule: bad variable list/);
    expect(() => parseSecLang("SecRule ARGS \"@rx a\" \"id:1,msg:'oops\"", "bad.conf")).toThrow(/bad\.conf:1 SecRule: unterminated quote in action msg/);
  });
});
