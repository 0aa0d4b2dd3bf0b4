import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileGlob, lastGlobWork } from "../src/path-pattern/glob.js";
import { compilePathPattern, compilePathPatterns } from "../src/path-pattern/index.js";

/** The glob as a RegExp (backtracking: only for short inputs): the meaning glob.ts must have. */
function referenceRegExp(glob: string): RegExp {
  let src = "";
  for (let i = 0; i < glob.length; i++) {
    if (glob[i] === "*" && glob[i + 1] === "*") {
      src += "[\\s\\S]*";
      i++;
    } else if (glob[i] === "*") src += "[^/]*";
    else src += glob[i]!.replace(/[.+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^(?:${src})$`);
}

/** A path made from the glob: each wildcard filled, then maybe one character changed (near misses). */
function pathFrom(glob: string, fills: string[], mutate: number, replacement: string): string {
  let out = "";
  let k = 0;
  for (let i = 0; i < glob.length; i++) {
    if (glob[i] === "*") {
      const deep = glob[i + 1] === "*";
      if (deep) i++;
      const fill = fills[k++ % Math.max(1, fills.length)] ?? "";
      out += deep ? fill : fill.replace(/\//g, "");
    } else out += glob[i];
  }
  if (mutate >= 0 && out.length > 0) {
    const at = mutate % out.length;
    out = out.slice(0, at) + replacement + out.slice(at + 1);
  }
  return out;
}

const symbol = fc.constantFrom("a", "b", "/", "*", "é", "\n", ".");
const pathChar = fc.constantFrom("a", "b", "/", "é", "\n", ".", "😀");

describe("route globs (src/path-pattern/glob.ts)", () => {
  it("* covers a run without /, ** any run, everything else stands for itself", () => {
    const users = compileGlob("/users/*/reset");
    expect(["/users/42/reset", "/users//reset", "/users/4/2/reset", "/users/42/reset/x", "/users/42/rese"].map(users)).toEqual([true, true, false, false, false]);
    const deep = compileGlob("/static/**");
    expect(["/static/", "/static/a/b.css", "/static", "/staticx/a"].map(deep)).toEqual([true, true, false, false]);
    const meta = compileGlob("/(x)+[y]/*.json");
    expect(["/(x)+[y]/a.json", "/xxy/a.json", "/(x)+[y]/ajson"].map(meta)).toEqual([true, false, false]);
    // ** crosses line breaks (a decoded %0A must not step out of a route), * too.
    expect(compileGlob("/api/**/login")("/api/x\ny/login")).toBe(true);
    expect(compileGlob("/a/*")("/a/x\ny")).toBe(true);
    expect(compileGlob("/ü/**/ß")("/ü/😀/ß")).toBe(true);
    // Adjacent wildcards are one.
    expect(compileGlob("/a/***")("/a/b/c")).toBe(true);
    expect(compileGlob("/a/*x*")("/a/yxz")).toBe(true);
    expect(compileGlob("/a/*x*")("/a/y/xz")).toBe(false);
  });

  it("agrees with the backtracking RegExp reading of the glob (short globs and paths)", () => {
    fc.assert(
      fc.property(fc.array(symbol, { minLength: 1, maxLength: 12 }), fc.array(pathChar, { maxLength: 16 }), (g, p) => {
        const glob = `${g.join("")}*`;
        const path = p.join("");
        expect(compileGlob(glob)(path)).toBe(referenceRegExp(glob).test(path));
      }),
      { numRuns: 3000 },
    );
  });

  it("agrees on paths made from the glob, near misses included, for globs of one and many state words", () => {
    const literal = fc.constantFrom("a", "b", "/", "é", "x");
    const part = fc.oneof(fc.array(literal, { minLength: 1, maxLength: 12 }).map((a) => a.join("")), fc.constantFrom("*", "**"));
    fc.assert(
      fc.property(
        fc.array(part, { minLength: 1, maxLength: 12 }),
        fc.array(fc.array(pathChar, { maxLength: 6 }).map((a) => a.join("")), { maxLength: 4 }),
        fc.integer({ min: -3, max: 200 }),
        pathChar,
        (parts, fills, mutate, replacement) => {
          // Globs of up to ~140 elements (several words), with at most 3 wildcards so the
          // reference RegExp stays quick.
          let wild = 0;
          const glob = `${parts.filter((p) => !p.startsWith("*") || wild++ < 3).join("")}*`;
          const path = pathFrom(glob, fills, mutate, replacement);
          expect(compileGlob(glob)(path)).toBe(referenceRegExp(glob).test(path));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("costs one step per path character whatever the path (the RegExp reading is O(n^3) here)", () => {
    const short = compileGlob("/a/**/b/**/c/**/d");
    const long = compileGlob(`/${"seg/".repeat(20)}**/b/**/c/**/${"z".repeat(20)}`);
    for (const n of [1_000, 100_000]) {
      const almost = `/a/${"b/".repeat(n)}d`;
      expect(short(almost)).toBe(false);
      expect(lastGlobWork).toBeLessThanOrEqual(almost.length);
      const path = `/${"seg/".repeat(20)}${"b/".repeat(n)}/${"z".repeat(20)}`; // no "/c/"
      expect(long(path)).toBe(false);
      expect(lastGlobWork).toBeLessThanOrEqual(path.length * 4); // 4 words of state for 121 elements
      expect(lastGlobWork).toBeGreaterThan(0);
    }
  });
});

describe("route patterns (src/path-pattern/index.ts)", () => {
  it("strings without * are segment-aware prefixes; / covers every request", () => {
    const api = compilePathPattern("/api");
    expect(["/api", "/api/x", "/apix", "/", "/API"].map(api)).toEqual([true, true, false, false, false]);
    expect(compilePathPattern("/api/")("/api")).toBe(true);
    expect(["/", "/x", "*", "example.com:443"].map(compilePathPattern("/"))).toEqual([true, true, true, true]);
  });

  it("RegExps keep their own flags, lose g and y, and give the same answer every time", () => {
    const login = compilePathPattern(/^\/login/gi);
    expect([login("/LOGIN"), login("/login"), login("/login"), login("/x")]).toEqual([true, true, true, false]);
    const list = compilePathPatterns(["/a", /^\/b$/i, "/c/**"]);
    expect(["/a/1", "/B", "/c/d/e", "/A", "/d"].map(list)).toEqual([true, true, true, false, false]);
  });
});
