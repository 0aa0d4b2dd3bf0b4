/** keygen → compile → sign → verify → diff, through the built CLI (dist/cli.js) as users run it. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const cli = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "wafer-lifecycle-"));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", cwd: dir });

const rule = (id: string, extra: object = {}) => ({ id, message: `${id} message`, family: "test", targets: ["args"], operator: { contains: "attack" }, ...extra });
const oldPack = {
  name: "shop", version: "1.0.0",
  rules: [
    rule("keep"),
    rule("retire", { operator: { contains: "legacy" } }),
    rule("tune", { operator: { rx: "union\\s+select" }, transforms: ["lowercase"], paranoia: 1 }),
    rule("chained", { operator: { contains: "admin" }, chain: [{ targets: ["headers"], operator: { contains: "curl" } }] }),
  ],
};
const newPack = {
  name: "shop", version: "1.1.0",
  rules: [
    rule("keep"),
    rule("tune", { operator: { rx: "union(\\s|/\\*.*\\*/)+select" }, transforms: ["urlDecodeUni", "lowercase"], paranoia: 2, targets: ["args", "cookies"], action: "block" }),
    rule("chained", { operator: { contains: "admin" }, chain: [{ targets: ["headers"], operator: { contains: "wget" } }] }),
    rule("fresh", { operator: { contains: "probe" } }),
  ],
};
writeFileSync(join(dir, "old.json"), JSON.stringify(oldPack));
writeFileSync(join(dir, "new.json"), JSON.stringify(newPack));
const corpus = [
  { id: "benign", method: "GET", uri: "/?q=shoes", headers: {}, body: null },
  { id: "legacy", method: "GET", uri: "/?q=legacy", headers: {}, body: null },
  { id: "probe", method: "GET", uri: "/?q=probe", headers: {}, body: null },
  { id: "attack", method: "GET", uri: "/?q=attack", headers: {}, body: null },
];
writeFileSync(join(dir, "corpus.jsonl"), `${corpus.map((c) => JSON.stringify(c)).join("\n")}\n`);

describe("keygen, sign, verify", () => {
  const keygen = run("keygen", "-o", "publisher.pem");
  const pub = readFileSync(join(dir, "publisher.pem.pub"), "utf8").trim();
  run("keygen", "-o", "stranger.pem");
  expect(run("compile", "new.json", "-o", "shop.wpk").status).toBe(0);

  it("keygen writes a private key (owner-only) and prints the public key", () => {
    expect(keygen.status).toBe(0);
    expect(keygen.stdout.trim()).toBe(pub);
    expect(pub).toMatch(/^wafer-ed25519:[0-9a-f]{16}:/);
    expect(statSync(join(dir, "publisher.pem")).mode & 0o777).toBe(0o600);
    const again = run("keygen", "-o", "publisher.pem");
    expect([again.status, again.stderr]).toEqual([2, expect.stringContaining("exists; pass --force")]);
  });
  it("sign writes an envelope that verify accepts with the publisher's key only", () => {
    const signed = run("sign", "shop.wpk", "--key", "publisher.pem");
    expect(signed.status).toBe(0);
    expect(existsSync(join(dir, "shop.swpk"))).toBe(true);
    const ok = run("verify", "shop.swpk", "--key", "publisher.pem.pub");
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true, keyId: pub.split(":")[1], name: "shop", version: "1.1.0", rules: 4 });
    const wrong = run("verify", "shop.swpk", "--key", "stranger.pem.pub");
    expect([wrong.status, wrong.stderr]).toEqual([1, expect.stringContaining("pack refused (untrusted-key)")]);
    const unsigned = run("verify", "shop.wpk", "--key", pub);
    expect([unsigned.status, unsigned.stderr]).toEqual([1, expect.stringContaining("pack refused (unsigned)")]);
  });
  it("verify refuses a tampered envelope", () => {
    run("sign", "shop.wpk", "--key", "publisher.pem", "-o", "tampered.swpk");
    const bytes = readFileSync(join(dir, "tampered.swpk"));
    bytes[200] ^= 1;
    writeFileSync(join(dir, "tampered.swpk"), bytes);
    const r = run("verify", "tampered.swpk", "--key", "publisher.pem.pub");
    expect([r.status, r.stderr]).toEqual([1, expect.stringContaining("pack refused (bad-signature)")]);
  });
  it("a detached signature verifies next to its image", () => {
    expect(run("sign", "shop.wpk", "--key", "publisher.pem", "--detached").status).toBe(0);
    const r = run("verify", "shop.wpk", "--sig", "shop.wpk.sig", "--key", "publisher.pem.pub");
    expect(r.status).toBe(0);
  });
  it("sign explains an unusable key", () => {
    writeFileSync(join(dir, "bad.pem"), "not a key");
    const r = run("sign", "shop.wpk", "--key", "bad.pem");
    expect([r.status, r.stderr]).toEqual([2, expect.stringContaining("PKCS#8 PEM")]);
  });
});

describe("diff", () => {
  it("lists rules added, removed and changed, and how they changed", () => {
    const r = run("diff", "old.json", "new.json", "--format", "json");
    expect(r.status).toBe(0);
    const { rules } = JSON.parse(r.stdout);
    expect(rules.added.map((x: { id: string }) => x.id)).toEqual(["fresh"]);
    expect(rules.removed.map((x: { id: string }) => x.id)).toEqual(["retire"]);
    expect(rules.unchanged).toBe(1);
    const byId = Object.fromEntries(rules.changed.map((c: { id: string; changes: { field: string }[] }) => [c.id, c.changes]));
    expect(byId.tune).toEqual(expect.arrayContaining([
      { field: "pattern", from: "union\\s+select", to: "union(\\s|/\\*.*\\*/)+select" },
      { field: "targets", from: "args", to: "args, cookies" },
      { field: "transforms", from: "lowercase", to: "urlDecodeUni, lowercase" },
      { field: "paranoia", from: "1", to: "2" },
      { field: "action", from: "score", to: "block" },
    ]));
    expect(byId.chained).toEqual([{ field: "chain[1].pattern", from: "curl", to: "wget" }]);
    expect(rules.note).toBeUndefined();
  });
  it("--against shows the requests whose decision changes", () => {
    run("compile", "old.json", "-o", "old.wpk");
    run("sign", "shop.wpk", "--key", "publisher.pem");
    const r = run("diff", "old.wpk", "shop.swpk", "--against", "corpus.jsonl");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("shop 1.0.0 → shop 1.1.0: 1 added, 1 removed, 2 changed, 1 unchanged");
    expect(r.stdout).toContain("~ tune (test):");
    expect(r.stdout).toContain("4 requests from corpus.jsonl: 2 decisions change");
    expect(r.stdout).toContain("legacy: deny 5 [retire] → allow 0");
    expect(r.stdout).toContain("probe: allow 0 → deny 5 [fresh]");
    expect(r.stdout).not.toMatch(/^\s+(benign|attack):/m);
  });
});
