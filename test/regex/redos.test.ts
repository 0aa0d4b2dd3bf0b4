/**
 * Classic ReDoS shapes on 1 MB inputs: the Wasm walker finishes, and its work counter (bytes
 * consumed) never exceeds the input length — one table step per byte, by construction. The
 * Wasm walker checks for an exit once per block of 8 bytes (dead and accepting states are
 * absorbing), so its counter may run up to 7 bytes past the exact stop the TS walker reports.
 */
import { describe, expect, it } from "vitest";
import { compileRegex, runDfaTable } from "../../src/regex/index.js";
import { wasmDfa } from "./wasm-dfa.js";

const MB = 1 << 20;
const wasm = wasmDfa();

function bytes(s: string, n: number, tail = ""): Uint8Array {
  return new TextEncoder().encode(s.repeat(Math.ceil(n / s.length)).slice(0, n - tail.length) + tail);
}

const cases: Array<{ pattern: string; input: Uint8Array; matched: boolean; consumed?: number }> = [
  { pattern: "(a+)+$", input: bytes("a", MB, "!"), matched: false },
  { pattern: "(a+)+$", input: bytes("a", MB), matched: true },
  { pattern: "(a|aa)*b", input: bytes("a", MB), matched: false },
  { pattern: "(a|aa)*b", input: bytes("a", MB, "b"), matched: true },
  { pattern: "(.*a){20}", input: bytes("a", MB), matched: true, consumed: 20 },
  { pattern: "(.*a){20}", input: bytes("b", MB, "aaaaaaaaaa"), matched: false },
  { pattern: "^(\\w+\\s?)*$", input: bytes("aaaa ", MB, "!"), matched: false },
  { pattern: "(x+x+)+y", input: bytes("x", MB), matched: false },
  { pattern: "^(a|a?)+$", input: bytes("a", MB, "b"), matched: false },
];

describe("adversarial inputs run in linear time", () => {
  for (const c of cases) {
    it(`${c.pattern} on ${c.input.length} bytes → ${c.matched}`, () => {
      const compiled = compileRegex(c.pattern);
      expect(wasm.isMatch(compiled.table, c.input)).toBe(c.matched);
      const consumed = wasm.lastConsumed();
      expect(consumed).toBeLessThanOrEqual(c.input.length);
      const ts = runDfaTable(compiled.table, c.input);
      expect(ts.matched).toBe(c.matched);
      if (c.consumed !== undefined) expect(ts.consumed).toBe(c.consumed);
      expect(ts.consumed).toBeLessThanOrEqual(consumed);
      expect(consumed - ts.consumed).toBeLessThan(8);
    });
  }

  it("stops at the dead state of an anchored pattern after one byte", () => {
    const compiled = compileRegex("^GET ");
    expect(wasm.isMatch(compiled.table, bytes("x", MB))).toBe(false);
    expect(wasm.lastConsumed()).toBeLessThanOrEqual(8);
    expect(runDfaTable(compiled.table, bytes("x", MB)).consumed).toBe(1);
  });
});
