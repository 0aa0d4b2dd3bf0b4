/**
 * Datadog's recommended ruleset as dd-trace ships it (200 rules): how much imports and
 * compiles, why the rest does not, and whether the imported pack detects what libddwaf
 * detects on a handful of attacks, through the public engine (real request extraction).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { importDdwaf } from "../../src/ddwaf/import.js";
import { Wafer } from "../../src/engine/engine.js";
import { loadConfirmAutomata } from "../../src/engine/confirm-registry.js";
import { compilePack } from "../../src/pack/compile.js";
import { engineModule } from "../support/wasm.js";
import { loadDdwaf, type PairRequest } from "./request-pair.js";

// Imported rule sets have regexes over the DFA budget: their lazy DFA's code loads on demand.
await loadConfirmAutomata();

const path = createRequire(import.meta.url).resolve("dd-trace/packages/dd-trace/src/appsec/recommended.json");
const ruleset = JSON.parse(readFileSync(path, "utf8")) as { rules: { id: string; tags: { type: string } }[]; metadata: { rules_version: string } };

describe("dd-trace recommended.json", () => {
  const { pack, unsupported, notes } = importDdwaf(ruleset);
  const { image, report } = compilePack(pack, { onUnsupported: "skip" });

  it("imports and compiles most of its rules; every other rule is listed with a reason", () => {
    const byReason = new Map<string, string[]>();
    for (const u of unsupported) {
      const reason = u.reason.replace(/^[\w.@!]+: /, "");
      byReason.set(reason, [...(byReason.get(reason) ?? []), u.id]);
    }
    for (const s of report.skipped) {
      const reason = `compiler: ${s.reason.replace(/^rx ".*": /s, "")}`;
      byReason.set(reason, [...(byReason.get(reason) ?? []), s.rule]);
    }
    const lines = [...byReason].sort((a, b) => b[1].length - a[1].length).map(([r, ids]) => `  ${String(ids.length).padStart(3)}  ${r}  (${ids.slice(0, 3).join(", ")}${ids.length > 3 ? ", …" : ""})`);
    process.stdout.write(
      `recommended.json ${ruleset.metadata.rules_version}: ${ruleset.rules.length} rules; imported ${pack.rules.length}, compiled ${report.rules}; ` +
        `pack ${image.length} bytes; ${notes.length} notes\nnot imported or not compiled, by reason:\n${lines.join("\n")}\n`,
    );
    expect(ruleset.rules.length).toBe(200);
    expect(pack.rules.length).toBeGreaterThanOrEqual(150);
    expect(report.rules).toBeGreaterThanOrEqual(148);
    // Every rule of the file is accounted for: imported, or listed with its reason.
    const listed = new Set([...pack.rules.map((r) => r.id), ...unsupported.map((u) => u.id)]);
    for (const r of ruleset.rules) expect(listed.has(r.id)).toBe(true);
    expect(pack.rules.some((r) => r.id === "crs-942-100")).toBe(true);
  });

  it("detects the same attack types as libddwaf on the same requests (public engine, real extraction)", () => {
    const wafer = new Wafer(engineModule(), image, { paranoia: 4, threshold: 1_000_000 });
    const ddwaf = loadDdwaf(ruleset);
    const types = new Map(ruleset.rules.map((r) => [r.id, r.tags.type]));
    const cases: { url: string; headers?: Record<string, string>; pair: PairRequest }[] = [
      { url: "/search?q=1%27%20UNION%20SELECT%20password%20FROM%20users--", pair: { query: { q: "1' UNION SELECT password FROM users--" } } },
      { url: "/?x=%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E", pair: { query: { x: "<script>alert(document.cookie)</script>" } } },
      { url: "/?file=..%2F..%2F..%2Fetc%2Fpasswd", pair: { query: { file: "../../../etc/passwd" } } },
      { url: "/?cmd=%3Bcat%20%2Fetc%2Fpasswd", pair: { query: { cmd: ";cat /etc/passwd" } } },
      { url: "/", headers: { "user-agent": "sqlmap/1.7.2#stable (https://sqlmap.org)" }, pair: { headers: { "user-agent": "sqlmap/1.7.2#stable (https://sqlmap.org)" } } },
      { url: "/", headers: { "user-agent": "Nikto/2.1.6" }, pair: { headers: { "user-agent": "Nikto/2.1.6" } } },
      { url: "/?u=http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data%2F", pair: { query: { u: "http://169.254.169.254/latest/meta-data/" } } },
      { url: "/products?page=2&sort=price", headers: { "user-agent": "Mozilla/5.0" }, pair: { query: { page: "2", sort: "price" }, headers: { "user-agent": "Mozilla/5.0" } } },
    ];
    const imported = new Set(pack.rules.map((r) => r.id));
    let agree = 0;
    for (const c of cases) {
      const d = wafer.inspectSync({ method: "GET", url: `http://example.test${c.url}`, headers: c.headers ?? {}, body: null });
      const w = [...new Set(d.matches.map((m) => types.get(m.rule)))].sort();
      const dd = [...new Set(ddwaf.fired({ uri: c.url, ...c.pair }).filter((id) => imported.has(id)).map((id) => types.get(id)))].sort();
      if (JSON.stringify(w) === JSON.stringify(dd)) agree++;
      else process.stdout.write(`  types differ on ${c.url} ${JSON.stringify(c.headers ?? {})}: wafer [${w.join(",")}] libddwaf [${dd.join(",")}]\n`);
    }
    process.stdout.write(`recommended.json, wafer vs libddwaf: ${agree}/${cases.length} requests fire the same attack types\n`);
    const benign = wafer.inspectSync({ method: "GET", url: "http://example.test/products?page=2&sort=price", headers: { "user-agent": "Mozilla/5.0" }, body: null });
    expect(benign.matches).toEqual([]);
    const sqli = wafer.inspectSync({ method: "GET", url: `http://example.test${cases[0]!.url}`, headers: {}, body: null });
    expect(sqli.matches.map((m) => m.rule)).toContain("crs-942-100");
    expect(agree).toBeGreaterThanOrEqual(7);
  });
});
