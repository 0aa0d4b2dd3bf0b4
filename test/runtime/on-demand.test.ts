/**
 * Code the runtime entries load on demand (scripts/build.mjs): the rate limiter is not in
 * the bundle "wafer" resolves to, but in dist/limiter.js (which `wafer/ratelimit`
 * re-exports), imported when rate limits are configured; reading and verifying packs is dist/pack-update.js,
 * imported by updatePack and verifyPack; the inlined engine and default pack of the edge-light and
 * default entries are their own files too. Checked on the BUILT package: the bundles leave it out,
 * and `createWafer({ rateLimits })` still limits — in Node and Deno through the package's
 * exports, and in workerd serving dist/workerd.js itself, with the module list
 * `wafer bench coldstart` writes (workerd resolves only the modules it was given).
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { workerdBundleModules } from "../../src/cli/bench.js";
import { serveWorker } from "../support/workerd.js";
import { repoRoot, tempProject } from "./support.js";

const dist = join(repoRoot, "dist");
const built = existsSync(join(dist, "ratelimit.js"));
const project = tempProject("on-demand");
afterAll(() => project.cleanup());

// Two requests from one address against a bucket of one: the second is refused by the limit.
const SCRIPT = `import { createWafer, tokenBucket, PolicyError } from "wafer";
// The limiter (another file) refuses a policy id used twice: still a PolicyError to "wafer".
const twice = tokenBucket({ id: "twice", capacity: 1, refillRate: 1, intervalMs: 1000, characteristics: ["ip"], onMissingIdentity: "shared" });
const duplicate = await createWafer({ rateLimits: [twice, twice] }).then(() => "accepted", (e) => e instanceof PolicyError && e.policyId);
const wafer = await createWafer({
  rateLimits: [tokenBucket({ id: "per-ip", capacity: 1, refillRate: 1, intervalMs: 60_000, characteristics: ["ip"], onMissingIdentity: "shared" })],
});
const request = { method: "GET", url: "/", headers: { host: "example.com" } };
const first = wafer.inspectSync(request, { ip: "203.0.113.9" });
const second = wafer.inspectSync(request, { ip: "203.0.113.9" });
const { RateLimiter } = await import("wafer/ratelimit");
console.log(JSON.stringify({ duplicate, first: first.action, second: second.blockedBy, policy: second.rateLimit?.policy, sameClass: wafer.rateLimiter instanceof RateLimiter }));
`;
const EXPECTED = { duplicate: "twice", first: "allow", second: "rateLimit", policy: "per-ip", sameClass: true };

describe.runIf(built)("the rate limiter, loaded on demand", () => {
  it("is not in any runtime entry; each imports dist/limiter.js when asked", () => {
    const limiterOnly = "needs a store"; // a message of RateLimiter's constructor
    expect(readFileSync(join(dist, "limiter.js"), "utf8")).toContain(limiterOnly);
    // wafer/ratelimit re-exports that file's class rather than carrying a copy.
    const subpath = readFileSync(join(dist, "ratelimit.js"), "utf8");
    expect(subpath).not.toContain(limiterOnly);
    expect(subpath).toMatch(/from\s*"\.\/limiter\.js"/);
    for (const entry of ["node", "bun", "deno", "workerd", "edge-light", "default"]) {
      const text = readFileSync(join(dist, `${entry}.js`), "utf8");
      expect(text, entry).not.toContain(limiterOnly);
      expect(text, entry).toContain(`import("./limiter.js")`);
    }
    for (const adapter of ["fetch", "hono", "express", "fastify", "node-http"]) {
      const text = readFileSync(join(dist, "adapters", `${adapter}.js`), "utf8");
      expect(text, adapter).not.toContain(limiterOnly);
      expect(text, adapter).toContain(`import("../limiter.js")`);
    }
  });

  it("Node: createWafer({ rateLimits }) limits, with wafer/ratelimit's own RateLimiter", () => {
    writeFileSync(join(project.dir, "node-main.mjs"), SCRIPT);
    const out = execFileSync(process.execPath, ["node-main.mjs"], { cwd: project.dir, encoding: "utf8" });
    expect(JSON.parse(out.trim().split("\n").pop()!)).toEqual(EXPECTED);
  });

  it("Deno: the same through the deno export, with and without read access", () => {
    writeFileSync(join(project.dir, "deno-main.js"), SCRIPT);
    const deno = join(repoRoot, "node_modules", ".bin", "deno");
    for (const permissions of [["--allow-read"], []]) {
      const out = execFileSync(deno, ["run", ...permissions, "--no-prompt", "--no-config", "--node-modules-dir=manual", "deno-main.js"], {
        cwd: project.dir,
        encoding: "utf8",
        env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
      });
      expect(JSON.parse(out.trim().split("\n").pop()!), permissions.join(" ") || "no permissions").toEqual(EXPECTED);
    }
  });

  it("workerd: dist/workerd.js served as built, every module it imports listed", async () => {
    const modules = workerdBundleModules(dist);
    expect(modules.map((m) => m.name).sort()).toEqual(["confirm.js", "default-pack.bin", "engine.wasm", "limiter.js", "pack-update.js"]);
    for (const m of [...modules, { name: "ratelimit.js" }]) copyFileSync(join(dist, m.name), join(project.dir, m.name));
    copyFileSync(join(dist, "workerd.js"), join(project.dir, "wafer.js"));
    writeFileSync(
      join(project.dir, "worker.js"),
      `import { createWafer, tokenBucket } from "./wafer.js";
import { RateLimiter } from "./ratelimit.js";
import pack from "./default-pack.bin";
let wafer;
export default {
  async fetch(request) {
    if (new URL(request.url).pathname === "/__ready") return new Response("ready");
    wafer ??= await createWafer({
      rateLimits: [tokenBucket({ id: "per-ip", capacity: 1, refillRate: 1, intervalMs: 60_000, characteristics: ["ip"], onMissingIdentity: "shared" })],
    });
    if (new URL(request.url).pathname === "/update") {
      const info = await wafer.updatePack(new Uint8Array(pack), { allowDowngrade: true });
      return Response.json({ name: info.name, sha256: info.sha256 });
    }
    const d = await wafer.inspect(request, { ip: "203.0.113.9" });
    return Response.json({ action: d.action, blockedBy: d.blockedBy, sameClass: wafer.rateLimiter instanceof RateLimiter });
  },
};
`,
    );
    const worker = await serveWorker(project.dir, {
      // The Worker itself imports wafer/ratelimit (dist/ratelimit.js) to compare classes.
      modules: [{ name: "worker.js", type: "esModule" }, { name: "wafer.js", type: "esModule" }, { name: "ratelimit.js", type: "esModule" }, ...modules],
      readyPath: "/__ready",
    });
    try {
      const first = await fetch(`${worker.base}/`);
      expect(first.status, worker.log()).toBe(200);
      expect(await first.json()).toEqual({ action: "allow", blockedBy: null, sameClass: true });
      expect(await (await fetch(`${worker.base}/`)).json()).toMatchObject({ blockedBy: "rateLimit" });
      // updatePack loads dist/pack-update.js.
      expect(await (await fetch(`${worker.base}/update`)).json()).toEqual({ name: "wafer-core", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    } finally {
      worker.close();
    }
  });
});

// A signed pack through the Node entry: refusals are PackRefusedErrors whichever copy of the
// class the application imported, and verifyPack from "wafer" and from wafer/lifecycle agree.
const LIFECYCLE_SCRIPT = `import { createWafer, verifyPack, PackRefusedError, PackError } from "wafer";
import * as lifecycle from "wafer/lifecycle";
const fs = process.getBuiltinModule?.("fs") ?? (await import("node:fs"));
const image = new Uint8Array(fs.readFileSync(new URL(import.meta.resolve("wafer/engine.wasm").replace("engine.wasm", "default.wpk"))));
const key = await lifecycle.importSigningKey((await lifecycle.generateSigningKey()).privateKeyPem);
const signed = await lifecycle.signPack(image, key);
const wafer = await createWafer({ trustedKeys: [key.publicKey.text] });
const refusal = (e) => ({ reason: e.reason, main: e instanceof PackRefusedError, base: e instanceof PackError, lifecycle: e instanceof lifecycle.PackRefusedError });
const unsigned = await wafer.updatePack(image).then(() => "accepted", refusal);
const tampered = signed.envelope.slice();
tampered[100] ^= 1;
const bad = await wafer.updatePack(tampered).then(() => "accepted", refusal);
const updated = await wafer.updatePack(signed.envelope, { allowDowngrade: true });
const viaMain = wafer.loadPack(await verifyPack(signed.envelope, undefined, [key.publicKey.text]), { allowDowngrade: true });
const keyring = new lifecycle.Keyring([key.publicKey.text]);
const viaLifecycle = wafer.loadPack(await verifyPack(signed.envelope, undefined, keyring), { allowDowngrade: true });
console.log(JSON.stringify({ unsigned, bad, keyIds: [updated.keyId, viaMain.keyId, viaLifecycle.keyId].map((id) => id === key.keyId), plain: new Error("x") instanceof PackError }));
`;

describe.runIf(built)("pack reading and verification, loaded on demand", () => {
  it("is not in any runtime entry; each imports dist/pack-update.js when asked", () => {
    const only = ["the pack stream yielded something other than bytes", "does not match the pack (altered or corrupt)"];
    for (const text of only) expect(readFileSync(join(dist, "pack-update.js"), "utf8")).toContain(text);
    for (const entry of ["node", "bun", "deno", "workerd", "edge-light", "default"]) {
      const bundle = readFileSync(join(dist, `${entry}.js`), "utf8");
      for (const text of only) expect(bundle, entry).not.toContain(text);
      expect(bundle, entry).toContain(`import("./pack-update.js")`);
    }
  });

  it("Node: updatePack and verifyPack through it; refusals are instances of every copy of the error classes", () => {
    writeFileSync(join(project.dir, "lifecycle-main.mjs"), LIFECYCLE_SCRIPT);
    const out = execFileSync(process.execPath, ["lifecycle-main.mjs"], { cwd: project.dir, encoding: "utf8" });
    expect(JSON.parse(out.trim().split("\n").pop()!)).toEqual({
      unsigned: { reason: "unsigned", main: true, base: true, lifecycle: true },
      bad: { reason: "bad-signature", main: true, base: true, lifecycle: true },
      keyIds: [true, true, true],
      plain: false,
    });
  });
});

describe.runIf(built)("the inlined engine and default pack, loaded on demand", () => {
  it("are not in the bun, edge-light and default entries, which import them when first needed", () => {
    for (const entry of ["bun", "edge-light", "default"]) {
      const text = readFileSync(join(dist, `${entry}.js`), "utf8");
      expect(text, entry).not.toContain("V0FGUlBBQ0"); // base64 of the pack image's magic, "WAFRPACK"
      expect(text, entry).not.toContain("AGFzbQ"); // base64 of the Wasm magic, "\0asm"
      expect(text, entry).toContain(`import("./default-pack-inline.js")`);
    }
    expect(readFileSync(join(dist, "default.js"), "utf8")).toContain(`import("./engine-inline.js")`);
  });

  it("the default entry (browsers, unknown runtimes) still creates an engine with the default pack", () => {
    const script = `const { createWafer } = await import(${JSON.stringify(join(dist, "default.js"))});
const wafer = await createWafer();
const d = wafer.inspectSync({ method: "GET", url: "/items?id=1%27%20union%20select%20password%20from%20users--", headers: {} });
console.log(JSON.stringify({ pack: wafer.pack.name, denied: d.denied }));`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({ pack: "wafer-core", denied: true });
  });
});

if (!built) it("on-demand rate limiter (skipped: dist/ is not built; `npm test` builds it)", () => {});
