/**
 * The lifecycle in real Deno and real workerd: Ed25519 through each runtime's own WebCrypto
 * (keygen, sign, verify, a tampered envelope refused), updatePack from a Response, rollback;
 * and in Deno, a pack published to and read from a real (in-memory) Deno KV.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../runtime/support.js";
import { serveWorker, type ServedWorker } from "../support/workerd.js";

const dir = mkdtempSync(join(tmpdir(), "wafer-lifecycle-rt-"));
const here = fileURLToPath(new URL(".", import.meta.url));
const expectedScenario = {
  keyIdMatches: true,
  tampered: "bad-signature",
  unsigned: "unsigned",
  updated: { version: expect.any(String), keyId: true, sha256: true },
  rolledBack: "wafer-core",
  denied: true,
};

beforeAll(async () => {
  await build({
    entryPoints: [join(here, "runtime-entry.ts")],
    bundle: true, format: "esm", platform: "neutral", outfile: join(dir, "lifecycle.js"), logLevel: "warning",
  });
  copyFileSync(join(here, "runtime-script.js"), join(dir, "scenario.js"));
  copyFileSync(join(repoRoot, "build", "engine.wasm"), join(dir, "engine.wasm"));
  copyFileSync(join(repoRoot, "build", "default.wpk"), join(dir, "pack.wpk"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("Deno", () => {
  it("signs, verifies, refuses tampering, updates and rolls back; a pack round-trips through Deno KV", () => {
    writeFileSync(join(dir, "deno-main.js"), `
import { lifecycleScenario } from "./scenario.js";
import { denoKvPackSource, publishPackToDenoKv } from "./lifecycle.js";
const module = new WebAssembly.Module(await Deno.readFile("engine.wasm"));
const image = await Deno.readFile("pack.wpk");
const out = await lifecycleScenario(module, image);
const kv = await Deno.openKv(":memory:");
await publishPackToDenoKv(kv, ["packs", "core"], image);
const source = denoKvPackSource(kv, ["packs", "core"]);
const first = await source.fetch(undefined, new AbortController().signal);
const same = first.bytes.length === image.length && first.bytes.every((b, i) => b === image[i]);
const again = await source.fetch(first.tag, new AbortController().signal);
out.kv = { same, again: again.status };
kv.close();
console.log(JSON.stringify(out));
`);
    const deno = join(repoRoot, "node_modules", ".bin", "deno");
    const stdout = execFileSync(deno, ["run", "--allow-read", "--unstable-kv", "--no-config", "deno-main.js"], {
      cwd: dir, encoding: "utf8", env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    });
    const result = JSON.parse(stdout.trim().split("\n").pop()!);
    expect(result).toMatchObject({ ...expectedScenario, kv: { same: true, again: "unchanged" } });
  });
});

describe("workerd", () => {
  let worker: ServedWorker | undefined;
  afterAll(() => worker?.close());

  it("signs, verifies, refuses tampering, updates and rolls back inside a Worker", async () => {
    writeFileSync(join(dir, "worker.js"), `
import wasm from "./engine.wasm";
import pack from "./pack.wpk";
import { lifecycleScenario } from "./scenario.js";
export default {
  async fetch(request) {
    if (new URL(request.url).pathname === "/__ready") return new Response("ready");
    try {
      return Response.json(await lifecycleScenario(wasm, new Uint8Array(pack)));
    } catch (e) {
      return new Response(String(e && e.stack || e), { status: 500 });
    }
  },
};
`);
    worker = await serveWorker(dir, {
      modules: [
        { name: "worker.js", type: "esModule" },
        { name: "scenario.js", type: "esModule" },
        { name: "lifecycle.js", type: "esModule" },
        { name: "engine.wasm", type: "wasm" },
        { name: "pack.wpk", type: "data" },
      ],
      readyPath: "/__ready",
    });
    const res = await fetch(`${worker.base}/`);
    const text = await res.text();
    expect(res.status, `${text}\n${worker.log()}`).toBe(200);
    expect(JSON.parse(text)).toMatchObject(expectedScenario);
  });
});
