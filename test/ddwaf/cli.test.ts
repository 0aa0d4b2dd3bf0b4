/** `wafer import ddwaf` and `wafer export ddwaf`, run in-process on temporary files. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { UsageError } from "../../src/cli/args.js";
import { exportCommand } from "../../src/cli/export-ddwaf.js";
import { importCommand } from "../../src/cli/import.js";
import { exportDdwaf } from "../../src/ddwaf/export.js";
import { importDdwaf } from "../../src/ddwaf/import.js";
import { readPackHeader, readPackMeta } from "../../src/pack/reader.js";

const dir = mkdtempSync(join(tmpdir(), "wafer-ddwaf-"));
const captureStderr = () => {
  const chunks: string[] = [];
  vi.spyOn(process.stderr, "write").mockImplementation((c: string | Uint8Array) => (chunks.push(String(c)), true));
  return () => chunks.join("");
};
afterEach(() => vi.restoreAllMocks());

describe("wafer import ddwaf", () => {
  it("writes conditional exclusions on the URI as an ES module of routes the engine takes as they are", async () => {
    const rules = join(dir, "excluding.json");
    const sqli = { id: "sqli", name: "sqli", tags: { type: "sql_injection", category: "attack_attempt" }, on_match: ["block"],
      conditions: [{ operator: "match_regex", parameters: { inputs: [{ address: "server.request.query" }], regex: "union\\s+select" } }] };
    writeFileSync(rules, JSON.stringify({ version: "2.2", rules: [sqli], exclusions: [
      { id: "upload-bio", rules_target: [{ tags: { type: "sql_injection" } }], inputs: [{ address: "server.request.query", key_path: ["bio"] }],
        conditions: [{ operator: "match_regex", parameters: { inputs: [{ address: "server.request.uri.raw" }], regex: "^/profile" } }] },
    ] }));
    const stderr = captureStderr();
    expect(importCommand(["ddwaf", rules, "-o", join(dir, "excluding.wpk"), "--routes", join(dir, "excluding-routes.mjs")])).toBe(0);
    expect(stderr()).toContain("1 routes from conditional exclusions → ");
    const { default: routes } = await import(join(dir, "excluding-routes.mjs"));
    expect(routes).toHaveLength(1);
    expect(routes[0]).toMatchObject({ rules: ["sqli"], targets: [{ field: "args_get", names: ["bio"] }] });
    const { Wafer } = await import("../../src/engine/engine.js");
    const { engineModule } = await import("../support/wasm.js");
    const wafer = new Wafer(engineModule(), readFileSync(join(dir, "excluding.wpk")), { routes });
    const get = (url: string) => wafer.inspectSync({ method: "GET", url, headers: {}, body: null }).action;
    expect(get("/profile/edit?bio=1%20union%20select%202")).toBe("allow");
    expect(get("/profile/edit?name=1%20union%20select%202")).toBe("deny");
    expect(get("/other?bio=1%20union%20select%202")).toBe("deny");
  });

  it("writes a pack with the imported rules and prints what was left out and why", () => {
    const rules = join(dir, "rules.json");
    writeFileSync(
      rules,
      JSON.stringify({
        version: "2.2",
        metadata: { rules_version: "1.4.0" },
        rules: [
          { id: "crs-942-100", name: "SQLi", tags: { type: "sql_injection", category: "attack_attempt" }, conditions: [{ operator: "is_sqli", parameters: { inputs: [{ address: "server.request.query" }] } }], transformers: [] },
          { id: "nfd-000-001", name: "404", tags: { type: "security_scanner" }, conditions: [{ operator: "match_regex", parameters: { inputs: [{ address: "server.response.status" }], regex: "^404$" } }], transformers: [] },
        ],
      }),
    );
    const out = join(dir, "dd.wpk");
    const source = join(dir, "dd.json");
    const stderr = captureStderr();
    expect(importCommand(["ddwaf", rules, "-o", out, "--source", source])).toBe(0);
    const text = stderr();
    expect(text).toContain("imported 1 rules, 1 not imported");
    expect(text).toMatch(/1 {2}server\.response\.status: response data .*: nfd-000-001/);
    const image = new Uint8Array(readFileSync(out));
    const header = readPackHeader(image);
    expect(header.ruleCount).toBe(1);
    expect(readPackMeta(image, header).rules[0]!.id).toBe("crs-942-100");
    expect(readPackMeta(image, header).version).toBe("1.4.0");
    expect(JSON.parse(readFileSync(source, "utf8")).rules[0].operator).toEqual({ detectSQLi: true });
  });

  it("refuses unknown formats and bad options with usage errors", () => {
    expect(() => importCommand(["modsec", "x"])).toThrow(UsageError);
    expect(() => importCommand(["ddwaf", "x.json"])).toThrow(UsageError);
    expect(() => importCommand(["ddwaf", "x.json", "-o", "y", "--non-blocking", "maybe"])).toThrow(/log, score or confidence/);
  });
});

describe("wafer export ddwaf", () => {
  it("writes a libddwaf ruleset from a pack source and lists rules it cannot express", () => {
    const src = join(dir, "pack.yaml");
    writeFileSync(
      src,
      [
        "name: t",
        "version: 2.0.0",
        "rules:",
        "  - { id: a, message: m, family: sqli, targets: [args], operator: { detectSQLi: true }, action: block }",
        "  - { id: b, message: m, family: x, targets: [body], operator: { contains: evil } }",
      ].join("\n"),
    );
    const out = join(dir, "rules.json");
    const stderr = captureStderr();
    expect(exportCommand(["ddwaf", src, "-o", out])).toBe(0);
    expect(stderr()).toContain("exported 1 rules, 1 not expressible");
    const json = JSON.parse(readFileSync(out, "utf8"));
    expect(json).toMatchObject({ version: "2.2", metadata: { rules_version: "2.0.0" }, rules: [{ id: "a", on_match: ["block"], conditions: [{ operator: "is_sqli" }] }] });
  });

  it("explains that a compiled .wpk holds no rule source", () => {
    expect(() => exportCommand(["ddwaf", "default.wpk", "-o", "x.json"])).toThrow(/holds no rule source/);
    expect(() => exportCommand(["seclang", "p.yaml", "-o", "x"])).toThrow(UsageError);
  });
});

describe("key paths survive import then export", () => {
  const key = fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/), fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !/[.[\]"\\]/.test(s)));
  it("a body or query key_path comes back as the same key_path", () => {
    fc.assert(
      fc.property(fc.constantFrom("server.request.query", "server.request.body"), fc.array(key, { minLength: 1, maxLength: 4 }), (address, keyPath) => {
        const ruleset = {
          rules: [{ id: "r", name: "r", tags: { type: "t" }, transformers: [], conditions: [{ operator: "match_regex", parameters: { inputs: [{ address, key_path: keyPath }], regex: "x" } }] }],
        };
        const { pack, unsupported } = importDdwaf(ruleset);
        expect(unsupported).toEqual([]);
        const { json } = exportDdwaf(pack);
        const paths = json.rules![0]!.conditions[0]!.parameters.inputs!.map((i) => i.key_path);
        expect(paths).toContainEqual(keyPath);
        for (const p of paths) expect(p).toEqual(keyPath);
      }),
    );
  });
});
