/**
 * The same libddwaf ruleset run in libddwaf (@datadog/native-appsec) and, imported, in wafer:
 * on every request both engines must fire the same rule ids. The rules cover each operator,
 * transformer family, keys_only, key_path, several conditions, negation and min_length where
 * the importer claims exact semantics. Also: wafer's export loads in libddwaf and agrees too.
 */
import { describe, expect, it } from "vitest";
import { exportDdwaf } from "../../src/ddwaf/export.js";
import { importDdwaf } from "../../src/ddwaf/import.js";
import type { DdwafCondition, DdwafInput, DdwafRule } from "../../src/ddwaf/format.js";
import type { PackSource } from "../../src/pack/schema.js";
import { loadRawEngine } from "../pack/harness.js";
import { loadDdwaf, waferFields, type PairRequest } from "./request-pair.js";

const Q = { address: "server.request.query" };
const B = { address: "server.request.body" };
const header = (name: string): DdwafInput => ({ address: "server.request.headers.no_cookies", key_path: [name] });
const cond = (operator: string, inputs: DdwafInput[], parameters: Omit<DdwafCondition["parameters"], "inputs"> = {}): DdwafCondition => ({
  operator,
  parameters: { inputs, ...parameters },
});
// Each rule has its own type: libddwaf reports at most one rule per type and request.
const rule = (id: string, conditions: DdwafCondition[], transformers: string[] = []): DdwafRule => ({
  id,
  name: id,
  tags: { type: id, category: "attack_attempt" },
  conditions,
  transformers,
});

const RULESET = {
  version: "2.2",
  metadata: { rules_version: "1.0.0" },
  rules: [
    rule("sqli", [cond("is_sqli", [Q, B])], ["removeNulls"]),
    rule("xss", [cond("is_xss", [Q, B, header("user-agent")])], ["removeNulls"]),
    rule("rx-folded", [cond("match_regex", [Q, B], { regex: "union\\s+select" })]),
    rule("rx-cased", [cond("match_regex", [Q], { regex: "EVIL", options: { case_sensitive: true } })]),
    rule("pm-ua", [cond("phrase_match", [header("user-agent")], { list: ["sqlmap", "nikto"] })], ["lowercase"]),
    rule("pm-cased", [cond("phrase_match", [Q], { list: ["Secret"] })]),
    rule("pm-bounded", [cond("phrase_match", [Q], { list: ["/etc/passwd", "cmd"], options: { enforce_word_boundary: true } })], ["lowercase"]),
    rule("exact-method", [cond("exact_match", [{ address: "server.request.method" }], { list: ["TRACE", "TRACK"] })]),
    rule("equals-method", [cond("equals", [{ address: "server.request.method" }], { value: "DELETE", type: "string" })]),
    rule("ip", [cond("ip_match", [{ address: "http.client_ip" }], { list: ["10.0.0.0/8", "192.168.1.7"] })]),
    rule("keys", [cond("match_regex", [Q, B], { regex: "^constructor$" })], ["keys_only"]),
    rule("two-conditions", [
      cond("match_regex", [{ address: "server.request.uri.raw" }], { regex: "^/admin" }),
      cond("match_regex", [header("x-debug")], { regex: "^1$" }),
    ]),
    rule("negated", [
      cond("match_regex", [header("x-token")], { regex: ".*", options: { min_length: 1 } }),
      cond("!match_regex", [header("x-token")], { regex: "^[a-f0-9]{32}$" }),
    ]),
    rule("url-decoded", [cond("match_regex", [Q], { regex: "<script" })], ["urlDecodeUni", "lowercase"]),
    rule("min-length", [cond("match_regex", [header("x-pad")], { regex: "a+", options: { min_length: 4 } })]),
    rule("cookie", [cond("match_regex", [{ address: "server.request.cookies", key_path: ["role"] }], { regex: "^root$" })]),
    rule("body-key-path", [cond("match_regex", [{ address: "server.request.body", key_path: ["q"] }], { regex: "sleep\\(" })]),
  ],
};

const REQUESTS: PairRequest[] = [
  { uri: "/home?q=hello", query: { q: "hello" }, headers: { "user-agent": "Mozilla/5.0" } },
  { uri: "/s", query: { q: "1' UNION SELECT password FROM users--" } },
  { uri: "/s", query: { x: "<script>alert(1)</script>" } },
  { uri: "/s", query: { x: "%3CScRiPt%3E" } },
  { uri: "/", headers: { "User-Agent": "sqlmap/1.7" } },
  { uri: "/", query: { a: "my Secret" } },
  { uri: "/", query: { a: "my secret", b: "EVIL", c: "evil" } },
  { uri: "/", query: { p: "/etc/passwd" } },
  { uri: "/", query: { p: "xcmdx" } },
  { uri: "/", query: { p: "run cmd now" } },
  { method: "TRACE", uri: "/" },
  { method: "DELETE", uri: "/items/1" },
  { uri: "/", ip: "10.1.2.3" },
  { uri: "/", ip: "192.168.1.8" },
  { method: "POST", uri: "/api", body: { user: { constructor: { prototype: { admin: true } } } } },
  { uri: "/admin/panel", headers: { "x-debug": "1" } },
  { uri: "/admin/panel", headers: { "x-debug": "0" } },
  { uri: "/", headers: { "x-token": "abc" } },
  { uri: "/", headers: { "x-token": "0123456789abcdef0123456789abcdef" } },
  { uri: "/", headers: { "x-pad": "aa" } },
  { uri: "/", headers: { "x-pad": "aaaa" } },
  { uri: "/", cookies: { role: "root" } },
  { uri: "/", cookies: { role: "user", other: "root" } },
  { method: "POST", uri: "/q", body: { q: "sleep(5)", r: "sleep(1)" } },
  { method: "POST", uri: "/q", body: { r: "sleep(1)" } },
];

function waferFired(pack: PackSource) {
  const engine = loadRawEngine(pack);
  return (r: PairRequest) => [...new Set(engine.inspect(waferFields(r)).matches.map((m) => m.rule))].sort();
}

describe("libddwaf and wafer fire the same rules", () => {
  const imported = importDdwaf(RULESET, { nonBlocking: "log" });
  const ddwaf = loadDdwaf(RULESET);
  const wafer = waferFired(imported.pack);

  it("every rule of the ruleset imports without notes, and libddwaf loads it", () => {
    expect(imported.unsupported).toEqual([]);
    expect(imported.notes).toEqual([]);
    expect(ddwaf.diagnostics.rules?.failed).toEqual([]);
    expect(imported.pack.rules).toHaveLength(RULESET.rules.length);
  });

  it.each(REQUESTS.map((r) => [JSON.stringify(r), r] as const))("%s", (_label, request) => {
    expect(wafer(request)).toEqual(ddwaf.fired(request));
  });

  it("the requests exercise every rule at least once", () => {
    const seen = new Set(REQUESTS.flatMap((r) => ddwaf.fired(r)));
    expect([...seen].sort()).toEqual(RULESET.rules.map((r) => r.id).sort());
  });

  it("exporting the imported pack gives a ruleset libddwaf loads and that fires the same rules", () => {
    const { json, unsupported } = exportDdwaf(imported.pack);
    expect(unsupported.map((u) => u.id)).toEqual([]);
    const again = loadDdwaf(json);
    expect(again.diagnostics.rules?.failed).toEqual([]);
    for (const r of REQUESTS) expect(again.fired(r)).toEqual(ddwaf.fired(r));
  });
});

describe("wafer's default pack, exported", () => {
  it("loads in libddwaf, and its rules fire on the same requests in both engines", async () => {
    const { loadPackSource } = await import("../../src/pack/source-loader.js");
    const { validatePack } = await import("../../src/pack/validate.js");
    const source = validatePack(loadPackSource(new URL("../../signatures/core", import.meta.url).pathname).source);
    const { json, unsupported } = exportDdwaf(source, { paranoia: 4 });
    const ddwaf = loadDdwaf(json);
    expect(ddwaf.diagnostics.rules?.failed).toEqual([]);
    const exportedIds = new Set(json.rules!.map((r) => r.id));
    const wafer = waferFired({ ...source, rules: source.rules.filter((r) => exportedIds.has(r.id)).map((r) => ({ ...r, action: "log" as const })) });
    process.stdout.write(`default pack: ${json.rules!.length} of ${source.rules.length} rules export; not expressible: ${unsupported.length}\n`);
    const probes: PairRequest[] = [
      { uri: "/?q=1' or '1'='1", query: { q: "1' or '1'='1" } },
      { uri: "/", query: { f: "../../../../etc/passwd" } },
      { uri: "/", query: { x: "<img src=x onerror=alert(1)>" } },
      { uri: "/", query: { u: "http://169.254.169.254/latest/meta-data/" } },
      { uri: "/", headers: { "user-agent": "sqlmap/1.7" } },
      { uri: "/", query: { q: "shoes" } },
    ];
    // libddwaf reports at most one rule per type (family) and request; wafer reports every rule.
    // So the engines must agree on the families that fire; rule ids are printed where they differ.
    const familyOf = new Map(json.rules!.map((r) => [r.id, r.tags!.type!]));
    const families = (ids: string[]) => [...new Set(ids.map((id) => familyOf.get(id)))].sort();
    for (const r of probes) {
      const [w, d] = [wafer(r), ddwaf.fired(r)];
      if (JSON.stringify(w) !== JSON.stringify(d)) process.stdout.write(`  ids differ on ${JSON.stringify(r.query ?? r.headers)}: wafer ${w.join(",")} | libddwaf ${d.join(",")}\n`);
      expect(families(w)).toEqual(families(d));
    }
    expect(wafer(probes[5]!)).toEqual([]);
    // With approximations (for cost comparisons) nearly every rule exports, and libddwaf loads all of them.
    const approx = exportDdwaf(source, { paranoia: 4, approximate: true });
    process.stdout.write(`default pack, --approximate: ${approx.json.rules!.length} rules export (${approx.notes.length} approximations); not expressible: ${approx.unsupported.map((u) => u.id).join(", ")}\n`);
    expect(approx.json.rules!.length).toBeGreaterThan(json.rules!.length);
    expect(approx.json.rules!.length).toBeGreaterThanOrEqual(source.rules.length - 5);
    expect(loadDdwaf(approx.json).diagnostics.rules?.failed).toEqual([]);
  });
});
