import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { importSecLang } from "../../src/seclang/index.js";
import { splitTopLevelAlternation } from "../../src/seclang/regex-split.js";

describe("splitTopLevelAlternation", () => {
  it("splits a top-level alternation and keeps global flags", () => {
    expect(splitTopLevelAlternation("(?i)(?:ab|c[|]d|e(?:f|g))", 8)).toEqual(["(?i)(?:ab)", "(?i)(?:c[|]d)", "(?i)(?:e(?:f|g))"]);
    expect(splitTopLevelAlternation("a|b|c|d", 2)).toEqual(["(?:a|b)", "(?:c|d)"]);
  });

  it("distributes over the unquantified group with the most branches", () => {
    expect(splitTopLevelAlternation(String.raw`\r\n.*?\b(?:HELO|MAIL|RCPT)\s`, 8)).toEqual([
      String.raw`\r\n.*?\b(?:HELO)\s`,
      String.raw`\r\n.*?\b(?:MAIL)\s`,
      String.raw`\r\n.*?\b(?:RCPT)\s`,
    ]);
    expect(splitTopLevelAlternation("x(?:a|b)+y", 8)).toBeNull();
    expect(splitTopLevelAlternation("abc", 8)).toBeNull();
  });

  it("matches exactly what the whole pattern matches (property, host RegExp)", () => {
    const word = fc.stringMatching(/^[a-c]{1,3}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 2, maxLength: 6 }), word, word, fc.integer({ min: 1, max: 4 }), fc.string({ maxLength: 8 }), (alts, pre, post, max, input) => {
        const pattern = `${pre}(?:${alts.join("|")})${post}`;
        const parts = splitTopLevelAlternation(pattern, max)!;
        expect(parts.length).toBeLessThanOrEqual(Math.max(max, 1));
        const whole = new RegExp(pattern).test(input);
        expect(parts.some((p) => new RegExp(p).test(input))).toBe(whole);
      }),
    );
  });

  it("emits rules listed in splitRegex as ID#aN copies", () => {
    const r = importSecLang([{ path: "x.conf", text: 'SecRule ARGS "@rx (?i)(?:union|select|sleep\\()" "id:942480,deny"' }], { splitRegex: ["942480"] });
    expect(r.pack.rules.map((x) => [x.id, x.operator])).toEqual([
      ["942480#a0", { rx: "(?i)(?:union)" }],
      ["942480#a1", { rx: "(?i)(?:select)" }],
      ["942480#a2", { rx: "(?i)(?:sleep\\()" }],
    ]);
    expect(r.notes.map((n) => n.reason)).toEqual(["splitRegex: emitted as 3 rules 942480#a0…#a2, one per group of alternatives"]);
  });
});
