/**
 * The engine skips detectSQLi / detectXSS on values made only of ASCII letters and digits
 * (assembly/operators.ts: most argument values, ids and tokens). That is sound only if
 * neither detector can fire on such a value: checked here on the real detectors, with
 * random words and concatenations of SQL and HTML keywords.
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import { instantiateEngine } from "./support/wasm.js";
it("neither detector fires on ASCII letters and digits only", () => {
  const w = instantiateEngine();
  w.exports.configure(1 << 16, 64, 1 << 16, 64, 4096);
  const p = w.exports.scratchPtr();
  const words = ["select", "union", "sleep", "or", "and", "script", "alert", "javascript", "onerror", "drop", "table", "0x41", "1", "0", "null", "true", "exec", "xp", "cmdshell", "svg", "img", "iframe", "eval", "benchmark", "having", "where", "from"];
  fc.assert(fc.property(fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{1,40}$/), fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 6 }).map((a) => a.join(""))), (s) => {
    const b = new TextEncoder().encode(s);
    w.bytes().set(b, p);
    expect([s, w.exports.detectSqli(p, b.length), w.exports.detectXss(p, b.length)]).toEqual([s, 0, 0]);
  }), { numRuns: 20000 });
});
