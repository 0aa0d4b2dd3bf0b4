/** The `wafer` CLI as users run it: the built dist/cli.js in a child process. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "wafer-cli-"));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", cwd: dir });

const lines = [
  JSON.stringify({ id: "ok", method: "GET", uri: "/search?q=shoes", headers: { "user-agent": "Mozilla/5.0" }, body: null }),
  JSON.stringify({ id: "sqli", method: "GET", uri: "/item?id=1%27%20or%20%271%27=%271", headers: [["host", "x"]], body: null }),
  "{not json",
  JSON.stringify({ id: "no-method", uri: "/" }),
  JSON.stringify({ id: "xss-body", method: "POST", uri: "/c", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "c=%3Cscript%3Ealert(1)%3C%2Fscript%3E" }),
];
writeFileSync(join(dir, "requests.jsonl"), `${lines.join("\n")}\n`);

describe("wafer scan", () => {
  const r = run("scan", "requests.jsonl");
  it("writes one decision per valid line, in order, with the documented shape", () => {
    const out = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(out.map((o) => o.id)).toEqual(["ok", "sqli", "xss-body"]);
    expect(out[0]).toEqual({ id: "ok", action: "allow", blocked: false, score: 0, matches: [] });
    expect(out[1]).toMatchObject({ id: "sqli", action: "deny", blocked: true });
    expect(out[1].matches[0]).toEqual({ rule: "sqli-detector", family: "sqli", field: "queryArg:id" });
    expect(out[2].matches.map((m: { family: string }) => m.family)).toContain("xss");
  });
  it("reports malformed lines with their line numbers and exits non-zero at the end", () => {
    expect(r.stderr).toContain("requests.jsonl:3: skipped: not JSON");
    expect(r.stderr).toContain('requests.jsonl:4: skipped: no-method: "method" must be a non-empty string');
    expect(r.status).toBe(1);
  });
  it("prints a summary on stderr", () => {
    expect(r.stderr).toMatch(/3 requests, 2 blocked \((sqli 1, xss 1|xss 1, sqli 1)\), [\d.]+ µs per request, 2 malformed lines skipped; pack wafer-core/);
  });
  it("honours --paranoia, --threshold and --mode", () => {
    const lenient = run("scan", "requests.jsonl", "--threshold", "100");
    expect(lenient.stdout).not.toContain('"blocked":true');
    const monitor = run("scan", "requests.jsonl", "--mode", "monitor");
    expect(monitor.stdout).toContain('"action":"monitor"');
    expect(run("scan", "requests.jsonl", "--paranoia", "7").stderr).toContain("--paranoia must be an integer from 1 to 4");
  });
  it("prints a table with --format table", () => {
    const t = run("scan", "requests.jsonl", "--format", "table");
    expect(t.stdout.split("\n")[0]).toMatch(/^id\s+action\s+score\s+matches/);
    expect(t.stdout).toMatch(/sqli\s+deny\s+5\s+sqli-detector/);
  });
});

describe("wafer compile and inspect-pack", () => {
  it("compiles a pack source, reports what it built, and reads it back", () => {
    writeFileSync(
      join(dir, "pack.yaml"),
      `name: mine\nversion: 2.1.0\nrules:\n  - id: no-admin\n    message: admin probe\n    family: recon\n    targets: [path]\n    operator: { beginsWith: /admin }\n    examples: { match: [/admin], noMatch: [/] }\n`,
    );
    const c = run("compile", "pack.yaml", "-o", "mine.wpk");
    expect(c.status).toBe(0);
    expect(c.stderr).toMatch(/compiled 1 rules .* → mine\.wpk/);
    const info = JSON.parse(run("inspect-pack", "mine.wpk").stdout);
    expect(info).toMatchObject({ name: "mine", version: "2.1.0", rules: 1, families: { recon: 1 } });
    writeFileSync(join(dir, "probe.jsonl"), `${JSON.stringify({ id: "p", method: "GET", uri: "/admin/users", headers: {}, body: null })}\n`);
    const s = run("scan", "probe.jsonl", "--pack", "mine.wpk");
    expect(JSON.parse(s.stdout).matches).toEqual([{ rule: "no-admin", family: "recon", field: "path" }]);
  });
  it("names the rule and field when a pack source is invalid", () => {
    writeFileSync(join(dir, "bad.yaml"), `name: bad\nversion: 1.0.0\nrules:\n  - id: r1\n    message: m\n    family: f\n    targets: [args]\n    operator: { rx: "a(b" }\n`);
    const c = run("compile", "bad.yaml", "-o", "bad.wpk");
    expect(c.status).toBe(1);
    expect(c.stderr).toMatch(/rule r1: .*rx "a\(b"/);
  });
  it("refuses a corrupt image with a clear error", () => {
    const image = readFileSync(join(dir, "mine.wpk"));
    image[image.length - 10] ^= 0xff;
    writeFileSync(join(dir, "corrupt.wpk"), image);
    const s = run("scan", "probe.jsonl", "--pack", "corrupt.wpk");
    expect(s.status).toBe(1);
    expect(s.stderr).toContain("checksum mismatch");
  });
});

describe("wafer test", () => {
  it("reports detection per family and placement and false positives, through the real engine", () => {
    writeFileSync(
      join(dir, "payloads.jsonl"),
      [
        JSON.stringify({ family: "sqli", label: "malicious", payload: "1' or '1'='1" }),
        JSON.stringify({ family: "sqli", label: "malicious", decoded: "1 union select password from users--" }),
        JSON.stringify({ family: "sqli", label: "benign", payload: "O'Brien" }),
      ].join("\n"),
    );
    const r = run("test", join(fileURLToPath(new URL("../build/default.wpk", import.meta.url))), "payloads.jsonl", "requests.jsonl", "--paranoia", "1", "--json");
    expect(r.status).toBe(1); // requests.jsonl has malformed lines: reported, run completes
    const out = JSON.parse(r.stdout);
    const level = out.levels[0];
    expect(level.paranoia).toBe(1);
    const sqli = level.detection.find((d: { family: string }) => d.family === "payloads.jsonl:sqli");
    expect(sqli.placements.query).toEqual({ total: 2, blocked: 2, rate: 100 });
    expect(Object.keys(sqli.placements).sort()).toEqual(["cookie", "form", "header", "json", "query"]);
    expect(level.falsePositives.find((f: { source: string }) => f.source === "payloads.jsonl")).toMatchObject({ total: 5, blocked: 0 });
    expect(r.stderr).toContain("requests.jsonl:3: skipped");
  });
});

describe("wafer import seclang --routes", () => {
  it("writes the runtime exclusions as an ES module of engine routes that the engine takes as they are", async () => {
    const rules = [
      `SecRule REQUEST_FILENAME "@endsWith /wp-login.php" "id:1002,phase:2,pass,nolog,ctl:ruleRemoveTargetById=942100;ARGS:pwd"`,
      `SecRule REMOTE_ADDR "@ipMatch 10.0.0.0/8" "id:1005,phase:1,pass,nolog,ctl:ruleRemoveById=942100"`,
      `SecRule ARGS "@rx (?i)union\\s+select" "id:942100,phase:2,block,t:none,msg:'SQLi',setvar:'tx.inbound_anomaly_score_pl1=+5'"`,
    ];
    writeFileSync(join(dir, "rules.conf"), `${rules.join("\n")}\n`);
    const r = run("import", "seclang", "rules.conf", "-o", "crs.wpk", "--routes", "crs-routes.mjs");
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("1 routes from runtime exclusions (ctl:ruleRemove…) → crs-routes.mjs");
    expect(r.stderr).toContain("its condition on REMOTE_ADDR cannot be a route");
    const { default: routes } = await import(join(dir, "crs-routes.mjs"));
    expect(routes).toEqual([{ path: /\/wp-login\.php$/, rules: ["942100"], targets: [{ field: "args", names: ["pwd"] }] }]);
    // The module and the pack, as a user wires them: pwd is left alone on /wp-login.php only.
    const { Wafer } = await import("../src/engine/engine.js");
    const { engineModule } = await import("./support/wasm.js");
    const wafer = new Wafer(engineModule(), readFileSync(join(dir, "crs.wpk")), { routes });
    const attack = "1%20union%20select%202";
    expect(wafer.inspectSync({ method: "POST", url: `/wp-login.php?pwd=${attack}`, headers: {}, body: null }).action).toBe("allow");
    expect(wafer.inspectSync({ method: "POST", url: `/other.php?pwd=${attack}`, headers: {}, body: null }).action).toBe("deny");
  });
});
