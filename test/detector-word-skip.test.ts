/**
 * The engine skips detectSQLi on values made only of ASCII letters, digits and '_', and
 * detectXSS on values made only of ASCII letters, digits, '_', '/' and '-'
 * (assembly/operators.ts: ids, tokens, paths, slugs). That is sound only if the
 * detector cannot fire on such a value: checked here on the real detectors, with random
 * strings over each alphabet and with concatenations of SQL, HTML and JavaScript keywords
 * and the alphabet's punctuation. One exception, which the engine checks before skipping:
 * a value that is exactly one strong catalogue name (`xp_cmdshell`) makes detectSQLi fire.
 * The bytes left out are the ones that can: '-' opens SQL
 * comments ("1--"), '/' closes them ("union//select"), '.' separates SQL tokens
 * ("0having.0") and reaches JavaScript sinks ("document.cookie").
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { instantiateEngine } from "./support/wasm.js";

const w = instantiateEngine();
w.exports.configure(1 << 16, 64, 1 << 16, 64, 4096);
const p = w.exports.scratchPtr();
const detect = (name: "sqli" | "xss", s: string) => {
  const b = new TextEncoder().encode(s);
  w.bytes().set(b, p);
  return name === "sqli" ? w.exports.detectSqli(p, b.length) : w.exports.detectXss(p, b.length);
};

const strongName = (s: string): boolean => {
  const b = new TextEncoder().encode(s);
  w.bytes().set(b, p);
  return w.exports.sqlStrongName(p, b.length) === 1;
};

const keywords = [
  "select", "union", "sleep", "or", "and", "script", "alert", "javascript", "onerror", "drop", "table", "0x41", "1", "0",
  "null", "true", "exec", "xp", "cmdshell", "svg", "img", "iframe", "eval", "benchmark", "having", "where", "from",
  "into", "outfile", "dumpfile", "load", "file", "limit", "offset", "procedure", "analyse", "order", "by", "group",
  "waitfor", "delay", "declare", "case", "when", "then", "concat", "char", "version", "user", "information", "schema",
  "document", "cookie", "window", "location", "constructor", "prototype", "innerHTML", "src", "href", "onload",
  "vbscript", "data", "expression", "e1", "1e1", "0e0", "N", "like", "rlike", "xor", "div", "is", "not", "between",
];

const cases = [
  ["sqli", "[A-Za-z0-9_]", ["_"]],
  ["xss", "[A-Za-z0-9_/-]", ["_", "/", "-"]],
] as const;

describe("detector skip alphabets", () => {
  for (const [name, alphabet, punctuation] of cases) {
    it(`${name} never fires on values over ${alphabet}`, () => {
      const random = fc.stringMatching(new RegExp(`^${alphabet}{1,60}$`));
      const piece = fc.oneof(fc.constantFrom(...keywords), fc.constantFrom(...punctuation), fc.stringMatching(new RegExp(`^${alphabet}{1,3}$`)));
      const phrase = fc.array(piece, { minLength: 1, maxLength: 10 }).map((a) => a.join(""));
      fc.assert(fc.property(fc.oneof(random, phrase), (s) => {
        // The engine does not skip detectSQLi on a lone strong catalogue name (xp_cmdshell).
        if (name === "sqli" && strongName(s)) return;
        expect([s, detect(name, s)]).toEqual([s, 0]);
      }), { numRuns: 30000 });
    });
  }
  it("the bytes left out of each alphabet are the ones that can fire", () => {
    expect(detect("sqli", "1--")).not.toBe(0);
    expect(detect("sqli", "5union//select")).not.toBe(0);
    expect(detect("sqli", "0having.0")).not.toBe(0);
    expect(detect("xss", "document.cookie")).not.toBe(0);
    // A lone strong catalogue name fires, so the engine checks for one before skipping.
    for (const s of ["xp_cmdshell", "sysobjects"]) {
      expect(detect("sqli", s)).not.toBe(0);
      expect(strongName(s)).toBe(true);
    }
    expect(strongName("xp_cmdshell1")).toBe(false);
    // A lone clause keyword is a word; "into outfile" is the attack.
    expect(detect("sqli", "outfile")).toBe(0);
    expect(detect("sqli", "1 into outfile '/tmp/x'")).not.toBe(0);
  });
});
