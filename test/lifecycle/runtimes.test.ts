/**
 * The lifecycle in real Deno and real workerd: Ed25519 through each runtime's own WebCrypto
 * (keygen, sign, verify, a tampered envelope refused), updatePack from a Response, rollback;
 * and in Deno, a pack published to and read from a real (in-memory) Deno KV.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, repoRoot } from "../runtime/support.js";

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
  let server: ChildProcess | undefined;
  let log = "";
  afterAll(() => server?.kill());

  it("signs, verifies, refuses tampering, updates and rolls back inside a Worker", async () => {
    writeFileSync(join(dir, "worker.js"), `
import wasm from "./engine.wasm";
import pack from "./pack.wpk";
import { lifecycleScenario } from "./scenario.js";
export default {
  async fetch() {
    try {
      return Response.json(await lifecycleScenario(wasm, new Uint8Array(pack)));
    } catch (e) {
      return new Response(String(e && e.stack || e), { status: 500 });
    }
  },
};
`);
    const port = await freePort();
    writeFileSync(join(dir, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "scenario.js", esModule = embed "scenario.js"),
    (name = "lifecycle.js", esModule = embed "lifecycle.js"),
    (name = "engine.wasm", wasm = embed "engine.wasm"),
    (name = "pack.wpk", data = embed "pack.wpk"),
  ],
  compatibilityDate = "2025-06-01",
);
`);
    server = spawn(join(repoRoot, "node_modules", ".bin", "workerd"), ["serve", "config.capnp", "--verbose"], { cwd: dir });
    server.stdout?.on("data", (d) => (log += d));
    server.stderr?.on("data", (d) => (log += d));
    let res: Response | undefined;
    for (let i = 0; i < 200 && !res; i++) {
      try {
        res = await fetch(`http://127.0.0.1:${port}/`);
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    expect(res, log).toBeDefined();
    const text = await res!.text();
    expect(res!.status, `${text}\n${log}`).toBe(200);
    expect(JSON.parse(text)).toMatchObject(expectedScenario);
  });
});
