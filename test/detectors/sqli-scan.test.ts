/**
 * Properties of detectSqli's word scanning and word lookup: a verdict does not depend on
 * letter case, on where the input sits relative to a 16-byte vector boundary, or on how long
 * the plain words around a shape are (words are scanned 16 bytes per step and looked up
 * after an early-reject filter on the first two and last two bytes and the length).
 * Expected codes are fixed: (context << 8) | rule, see assembly/detectors/sqli.ts.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { detectorHarness } from "./harness";
import { instantiateEngine } from "../support/wasm";

const h = detectorHarness();

/** Attacks and the code and fingerprint they give in lower case. */
const shapes: Array<[string, number, string]> = [
  ["-1 union select 1,2--", 0x101, "UE1"],
  ["1; drop table users", 0x102, ";Ek"],
  ["x' or 1=1--", 0x203, "s&1="],
  ["1 and sleep(5)", 0x106, "1&f("],
  ["1 order by 3--", 0x108, "1k1"],
  ["information_schema.tables", 0x107, "n"],
  ["waitfor delay '0:0:5'", 0x109, "Eks"],
  ["1' and extractvalue(1,concat(0x7e,version()))#", 0x203, "s&f"],
  ["') union select null,null--", 0x201, "UE1"],
  ["select * from users", 0x105, "Eo"],
];

const recase = (s: string, mask: number[]) =>
  [...s].map((c, i) => (mask[i % mask.length]! & 1 ? c.toUpperCase() : c)).join("");

/** Plain words no table entry starts with ("zz"), of any length around 16 bytes. */
const plainWord = fc
  .stringMatching(/^[a-z0-9_]{0,40}$/)
  .map((w) => `zz${w}`);

describe("detectSqli word scanning and lookup", () => {
  it("keywords match in any letter case", () => {
    fc.assert(
      fc.property(fc.constantFrom(...shapes), fc.array(fc.nat(1), { minLength: 1, maxLength: 64 }), ([input, code, fp], mask) => {
        const v = h.sqli(recase(input, mask));
        expect(v.code).toBe(code);
        expect(v.fingerprint).toBe(fp);
      }),
      { numRuns: 400 },
    );
  });

  it("plain words of any length around a shape do not change it", () => {
    fc.assert(
      fc.property(plainWord, plainWord, (a, b) => {
        expect(h.sqli(`${a} or 1=1`)).toMatchObject({ code: 0x104, fingerprint: "&1=1" });
        expect(h.sqli(`1 and ${b}=1`)).toMatchObject({ code: 0x104, fingerprint: "&n=1" });
        expect(h.sqli(`${a} ${b}-${a}, ${b}`).code).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it("a strong function name with one letter more or less is a plain word", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("benchmark", "pg_sleep", "extractvalue", "updatexml"),
        fc.constantFrom("x", "_", "1", ""),
        fc.array(fc.nat(1), { minLength: 1, maxLength: 16 }),
        (w, extra, mask) => {
          expect(h.sqli(`${recase(w, mask)}(1)`)).toMatchObject({ code: 0x106, fingerprint: "f(" });
          const near = extra === "" ? w.slice(0, -1) : w + extra;
          expect(h.sqli(`${recase(near, mask)}(1)`).code).toBe(0);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("every catalogue name of the word table passes the early-reject filter in any letter case", () => {
    // The filter key is computed twice: by gen-tables.mjs (setting the bits) and by
    // word-table.ts mayBeWord (testing them); sqlStrongName looks a word up through both.
    const source = readFileSync(new URL("../../assembly/detectors/sql-words.ts", import.meta.url), "utf8");
    const blob = source.match(/SQL_WORDS_BLOB: usize = memory\.data<u8>\(\[([^\]]*)\]/)![1]!.split(",").map((x) => Number(x.trim())).filter((x) => !Number.isNaN(x));
    const strong: string[] = [];
    for (let i = 0; i < blob.length; i += 4 + blob[i]!) if (blob[i + 2] === 21) strong.push(String.fromCharCode(...blob.slice(i + 4, i + 4 + blob[i]!)));
    expect(strong.length).toBeGreaterThan(30);
    const { exports, memory } = instantiateEngine();
    exports.configure(1 << 16, 64, 1 << 16, 64, 4096);
    const ptr: number = exports.scratchPtr();
    const isStrong = (w: string) => {
      const bytes = new TextEncoder().encode(w);
      new Uint8Array(memory.buffer, ptr, bytes.length).set(bytes);
      return exports.sqlStrongName(ptr, bytes.length) === 1;
    };
    fc.assert(fc.property(fc.constantFrom(...strong), fc.array(fc.nat(1), { minLength: 1, maxLength: 24 }), (w, mask) => {
      expect(isStrong(recase(w, mask)), recase(w, mask)).toBe(true);
    }), { numRuns: 500 });
    for (const w of strong) expect(isStrong(w.toUpperCase()), w).toBe(true);
  });

  it("the plain run's byte-class table matches the tokenizer's byte definitions on all 256 bytes", () => {
    // sql-tokenizer.ts RUN_CLASS replaces compares in sqlPlainRun and wordEnd's scalar tail.
    const source = readFileSync(new URL("../../assembly/detectors/sql-tokenizer.ts", import.meta.url), "utf8");
    const table = source.match(/RUN_CLASS: usize = memory\.data<u8>\(\[([^\]]*)\]/)![1]!.split(",").map((x) => Number(x.trim()));
    expect(table.length).toBe(256);
    const bit = (name: string) => Number(source.match(new RegExp(`const ${name}: u32 = (\\d+);`))![1]);
    const alpha = (c: number) => ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
    const digit = (c: number) => c >= 0x30 && c <= 0x39;
    const defs: Array<[string, (c: number) => boolean]> = [
      ["RUN_SPACE", (c) => c <= 0x20 || c === 0x7f],
      ["RUN_WORD", (c) => alpha(c) || c === 0x5f || c >= 0x80],
      ["RUN_OP", (c) => [0x2d, 0x2f, 0x2b, 0x25, 0x3f, 0x5e, 0x7b, 0x7d, 0x7e, 0x5c, 0x5d, 0x2a].includes(c)],
      ["RUN_STOP", (c) => c === 0x27 || c === 0x22 || c === 0x2e],
      ["RUN_WCHAR", (c) => alpha(c) || digit(c) || c === 0x5f || c === 0x24 || c >= 0x80],
    ];
    let all = 0;
    for (const [name, def] of defs) {
      const b = bit(name);
      all |= b;
      for (let c = 0; c < 256; c++) expect([name, c, (table[c]! & b) !== 0]).toEqual([name, c, def(c)]);
    }
    for (let c = 0; c < 256; c++) expect(table[c]! & ~all).toBe(0);
  });

  it("wordEnd's nibble rows match isWordChar on all 256 bytes", () => {
    // sql-tokenizer.ts WORD_NIBBLES: row 0 the low-nibble mask, a word byte where row 1 at
    // the low nibble AND row 2 at the high nibble is nonzero.
    const source = readFileSync(new URL("../../assembly/detectors/sql-tokenizer.ts", import.meta.url), "utf8");
    const rows = source.match(/WORD_NIBBLES: usize = memory\.data<u8>\(\[([^\]]*)\]/)![1]!.split(",").filter((x) => x.trim() !== "").map((x) => Number(x.trim()));
    expect(rows.length).toBe(48);
    expect(rows.slice(0, 16)).toEqual(Array(16).fill(0x0f));
    const wordChar = (c: number) => ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x24 || c >= 0x80;
    for (let c = 0; c < 256; c++) expect([c, (rows[16 + (c & 15)]! & rows[32 + (c >> 4)]!) !== 0]).toEqual([c, wordChar(c)]);
  });

  it("a lone quote at any position of an input of any length opens its quote context", () => {
    // detectSQLi runs the quoted passes only when its presence scan sees the quote: short
    // inputs are read as overlapping partial loads, long ones as vectors and a last overlap.
    for (const [quote, context] of [["'", 2], ["\"", 3]] as const) {
      for (let a = 0; a <= 40; a++) {
        for (let b = 0; b <= 40; b += a < 20 ? 1 : 7) {
          const input = "x".repeat(a) + quote + "#" + " ".repeat(b);
          expect(h.sqli(input).code, JSON.stringify(input)).toBe((context << 8) | 10);
        }
      }
    }
  });

  it("the verdict does not depend on the input's alignment in memory", () => {
    const { exports, memory } = instantiateEngine();
    exports.configure(1 << 16, 64, 1 << 16, 64, 4096);
    const ptr: number = exports.scratchPtr();
    const piece = fc.constantFrom(
      "select", "UNION", "or", "and", "1", "'", "\"", "--", "#", "/**/", "(", ")", ",", "=", "-", " ", "  ",
      "information_schema.tables", "sleep", "zzalpha", "bravo_charlie_delta_echo", "x.y", "a..b", "é", "$x", "@@v",
    );
    const text = fc.array(piece, { maxLength: 40 }).map((p) => p.join(""));
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 31 }), (input, shift) => {
        const bytes = new TextEncoder().encode(input);
        const mem = new Uint8Array(memory.buffer);
        const run = (at: number) => {
          mem.fill(0x61, ptr, ptr + bytes.length + 64); // word bytes around the input
          mem.set(bytes, at);
          const code = exports.detectSqli(at, bytes.length) >>> 0;
          const fp = Buffer.from(new Uint8Array(memory.buffer, exports.detectorFingerprintPtr(), exports.detectorFingerprintLen())).toString("latin1");
          return { code, fp };
        };
        expect(run(ptr + shift)).toEqual(run(ptr));
      }),
      { numRuns: 400 },
    );
  });
});
