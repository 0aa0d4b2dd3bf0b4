/**
 * Real-world patterns: a sample of OWASP CRS `@rx` patterns (from ../shared/corpora, never
 * copied into the repository) compile, and the DFA agrees with the host RegExp on CRS's own
 * regression payloads. Skipped, with the reason printed, when the corpus is absent.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { crsRxPatterns } from "../../scripts/regex-crs-survey.js";
import { compileRegex, DfaBudgetError, runDfaTable, toHostRegExp } from "../../src/regex/index.js";

const corpus = new URL("../../../shared/corpora/crs/", import.meta.url).pathname;
const present = existsSync(`${corpus}rules`) && existsSync(`${corpus}regression.jsonl`);
if (!present) console.log(`test/regex/crs.test.ts skipped: CRS corpus not found at ${corpus}`);

const MODSECURITY_FLAGS = { dotAll: true, dollarEndOnly: true };

describe.skipIf(!present)("CRS @rx patterns", () => {
  it("a sample of 30 compiles, agrees with RegExp on regression payloads, and its literals are sound", () => {
    const all = crsRxPatterns(`${corpus}rules`).filter((p) => p.pattern.length < 1500);
    const step = Math.max(1, Math.floor(all.length / 30));
    const sample = all.filter((_, i) => i % step === 0).slice(0, 30);
    const payloads: string[] = [];
    for (const line of readFileSync(`${corpus}regression.jsonl`, "utf8").split("\n")) {
      if (!line) continue;
      const t = JSON.parse(line) as { uri?: string; body?: string; headers?: Record<string, string> };
      if (t.uri) payloads.push(safeDecode(t.uri));
      if (typeof t.body === "string" && t.body.length < 4000) payloads.push(t.body);
      for (const v of Object.values(t.headers ?? {})) if (typeof v === "string") payloads.push(v);
    }
    const unique = [...new Set(payloads)].slice(0, 1500);
    const enc = new TextEncoder();
    let compiled = 0;
    let comparisons = 0;
    let matches = 0;
    for (const p of sample) {
      let c;
      try {
        c = compileRegex(p.pattern, MODSECURITY_FLAGS, { stateBudget: 10_000 });
      } catch (e) {
        expect(e, `${p.id}: ${(e as Error).message}`).toBeInstanceOf(DfaBudgetError);
        continue;
      }
      compiled++;
      const host = toHostRegExp(p.pattern, MODSECURITY_FLAGS);
      for (const s of unique) {
        const want = host.test(s);
        const got = runDfaTable(c.table, enc.encode(s)).matched;
        if (c.needsConfirm) {
          if (want) expect(got, `${p.id} missed ${JSON.stringify(s).slice(0, 200)}`).toBe(true);
        } else expect(got, `${p.id} on ${JSON.stringify(s).slice(0, 200)}`).toBe(want);
        comparisons++;
        if (want) {
          matches++;
          if (c.literals) {
            // Literal soundness on real patterns: a match contains one of the factors.
            const hay = c.literalsCaseInsensitive ? s.replace(/[A-Z]/g, (x) => x.toLowerCase()) : s;
            expect(c.literals.some((l) => hay.includes(l)), `${p.id} literals ${JSON.stringify(c.literals).slice(0, 200)} miss ${JSON.stringify(s).slice(0, 200)}`).toBe(true);
          }
        }
      }
    }
    console.log(`CRS sample: ${compiled}/${sample.length} compiled, ${comparisons} comparisons, ${matches} RegExp matches`);
    expect(compiled).toBeGreaterThanOrEqual(25);
    expect(matches).toBeGreaterThan(50);
  });
});

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
