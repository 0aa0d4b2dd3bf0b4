/**
 * Quality run on a public corpus (../shared/corpora/httpparams, labelled parameter values):
 * Datadog's recommended rules in libddwaf and, imported, in wafer, on the same values placed
 * in a query argument and in a JSON body field. Prints detection and false-positive figures
 * for both engines and how often they fire the same attack types; asserts floors.
 * Differences are expected only where wafer's own detectors stand in for libinjection
 * (`is_sqli`/`is_xss`).
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { exportDdwaf } from "../../src/ddwaf/export.js";
import { importDdwaf } from "../../src/ddwaf/import.js";
import { loadPackSource } from "../../src/pack/source-loader.js";
import { validatePack } from "../../src/pack/validate.js";
import { Wafer } from "../../src/engine/engine.js";
import { loadConfirmAutomata } from "../../src/engine/confirm-registry.js";
import { compilePack } from "../../src/pack/compile.js";
import { engineModule } from "../support/wasm.js";
import { loadDdwaf } from "./request-pair.js";

// Imported rule sets have regexes over the DFA budget: their lazy DFA's code loads on demand.
await loadConfirmAutomata();

const corpus = fileURLToPath(new URL("../../../shared/corpora/httpparams/train.jsonl", import.meta.url));
const present = existsSync(corpus);
if (!present) process.stdout.write(`corpus-agreement: skipped, ${corpus} is not present (see ../shared/corpora/README.md)\n`);

/** Every SAMPLE_STEP-th line keeps the run to a few seconds. */
const SAMPLE_STEP = 4;

describe.skipIf(!present)("recommended rules on httpparams: libddwaf vs wafer", () => {
  it("both engines stay silent on benign values and fire the same attack types on nearly every attack", () => {
    const path = createRequire(import.meta.url).resolve("dd-trace/packages/dd-trace/src/appsec/recommended.json");
    const ruleset = JSON.parse(readFileSync(path, "utf8")) as { rules: { id: string; tags: { type: string } }[] };
    const { pack } = importDdwaf(ruleset);
    const { image } = compilePack(pack, { onUnsupported: "skip" });
    const wafer = new Wafer(engineModule(), image, { paranoia: 4, threshold: 1_000_000_000 });
    const ddwaf = loadDdwaf(ruleset);
    const types = new Map(ruleset.rules.map((r) => [r.id, r.tags.type]));
    const imported = new Set(pack.rules.map((r) => r.id));
    const typesOf = (ids: string[]) => [...new Set(ids.map((id) => types.get(id)))].sort().join(",");

    const rows = readFileSync(corpus, "utf8").trim().split("\n").filter((_, i) => i % SAMPLE_STEP === 0).map((l) => JSON.parse(l) as { label: string; payload: string });
    const stats = new Map<string, { n: number; wafer: number; ddwaf: number; sameTypes: number }>();
    for (const { label, payload } of rows) {
      for (const place of ["query", "json"] as const) {
        const s = stats.get(`${label}/${place}`) ?? { n: 0, wafer: 0, ddwaf: 0, sameTypes: 0 };
        stats.set(`${label}/${place}`, s);
        const uri = place === "query" ? `/p?v=${encodeURIComponent(payload)}` : "/p";
        const body = place === "json" ? JSON.stringify({ v: payload }) : null;
        const headers: Record<string, string> = place === "json" ? { "content-type": "application/json" } : {};
        const w = wafer.inspectSync({ method: place === "json" ? "POST" : "GET", url: `http://example.test${uri}`, headers, body }).matches.map((m) => m.rule);
        const d = ddwaf
          .fired({ method: place === "json" ? "POST" : "GET", uri, headers, ...(place === "query" ? { query: { v: payload } } : { body: { v: payload } }) })
          .filter((id) => imported.has(id));
        s.n++;
        if (w.length > 0) s.wafer++;
        if (d.length > 0) s.ddwaf++;
        if (typesOf(w) === typesOf(d)) s.sameTypes++;
      }
    }
    const pct = (a: number, n: number) => `${((100 * a) / n).toFixed(1)}%`;
    process.stdout.write(`httpparams (every ${SAMPLE_STEP}th value), recommended.json rules that import:\n`);
    for (const [key, s] of [...stats].sort())
      process.stdout.write(`  ${key.padEnd(16)} n=${String(s.n).padStart(5)}  fired: wafer ${pct(s.wafer, s.n).padStart(6)}  libddwaf ${pct(s.ddwaf, s.n).padStart(6)}  same types ${pct(s.sameTypes, s.n)}\n`);

    for (const place of ["query", "json"]) {
      const benign = stats.get(`benign/${place}`)!;
      const attacks = stats.get(`malicious/${place}`)!;
      // No more false positives than libddwaf (it has none on this corpus), and near-identical verdicts on attacks.
      expect(benign.wafer).toBeLessThanOrEqual(benign.ddwaf + 2);
      expect(benign.sameTypes / benign.n).toBeGreaterThanOrEqual(0.999);
      expect(attacks.sameTypes / attacks.n).toBeGreaterThanOrEqual(0.95);
      expect(attacks.wafer).toBeGreaterThanOrEqual(attacks.ddwaf * 0.98);
    }
  });

  it("wafer's default pack, exported exactly: libddwaf fires the same families as wafer", () => {
    const source = validatePack(loadPackSource(fileURLToPath(new URL("../../signatures/core", import.meta.url))).source);
    const { json } = exportDdwaf(source, { paranoia: 4 });
    const exported = new Set(json.rules!.map((r) => r.id));
    const family = new Map(source.rules.map((r) => [r.id, r.family]));
    const subset = { ...source, rules: source.rules.filter((r) => exported.has(r.id)).map((r) => ({ ...r, action: "log" as const })) };
    const wafer = new Wafer(engineModule(), compilePack(subset).image, { paranoia: 4, threshold: 1_000_000_000 });
    const ddwaf = loadDdwaf(json);
    const families = (ids: string[]) => [...new Set(ids.map((id) => family.get(id)))].sort().join(",");
    const rows = readFileSync(corpus, "utf8").trim().split("\n").filter((_, i) => i % SAMPLE_STEP === 0).map((l) => JSON.parse(l) as { label: string; payload: string });
    const stats = new Map<string, { n: number; wafer: number; ddwaf: number; same: number }>();
    for (const { label, payload } of rows) {
      const s = stats.get(label) ?? { n: 0, wafer: 0, ddwaf: 0, same: 0 };
      stats.set(label, s);
      const uri = `/p?v=${encodeURIComponent(payload)}`;
      const w = wafer.inspectSync({ method: "GET", url: `http://example.test${uri}`, headers: {}, body: null }).matches.map((m) => m.rule);
      const d = ddwaf.fired({ uri, query: { v: payload } });
      s.n++;
      if (w.length > 0) s.wafer++;
      if (d.length > 0) s.ddwaf++;
      if (families(w) === families(d)) s.same++;
    }
    const pct = (a: number, n: number) => `${((100 * a) / n).toFixed(1)}%`;
    process.stdout.write(`httpparams (every ${SAMPLE_STEP}th value, query), wafer default pack: ${exported.size} exported rules in both engines:\n`);
    for (const [label, s] of [...stats].sort())
      process.stdout.write(`  ${label.padEnd(10)} n=${String(s.n).padStart(5)}  fired: wafer ${pct(s.wafer, s.n).padStart(6)}  libddwaf ${pct(s.ddwaf, s.n).padStart(6)}  same families ${pct(s.same, s.n)}\n`);
    const attacks = stats.get("malicious")!;
    const benign = stats.get("benign")!;
    expect(Math.abs(benign.wafer - benign.ddwaf)).toBeLessThanOrEqual(Math.max(3, benign.n * 0.002));
    expect(attacks.same / attacks.n).toBeGreaterThanOrEqual(0.9);
  });
});
