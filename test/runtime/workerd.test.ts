/**
 * Real workerd (npm package `workerd`): a Worker that imports the BUILT package by name is
 * bundled the way wrangler does (export conditions workerd, worker, browser; engine.wasm
 * left as a Wasm module import), served by `workerd serve` on a free loopback port, and
 * sent real HTTP requests. workerd forbids compiling Wasm from bytes, so this also proves
 * the workerd entry never does.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MATRIX_REQUESTS, freePort, repoRoot, tempProject } from "./support.js";

const project = tempProject("workerd");
let server: ChildProcess | undefined;
let base = "";
let log = "";

const WORKER = `
import { createWafer } from "wafer";
let wafer;
export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/__compile-probe") {
      try {
        await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
        return new Response("compiled from bytes");
      } catch (e) {
        return new Response("refused: " + e.message);
      }
    }
    wafer ??= await createWafer();
    const d = await wafer.inspect(request);
    const bodyAfter = request.body ? await request.text() : null;
    return Response.json({ denied: d.denied, rules: d.matches.map((m) => m.rule), pack: wafer.pack.name, bodyAfter });
  },
};
`;

beforeAll(async () => {
  writeFileSync(join(project.dir, "worker-src.js"), WORKER);
  await build({
    entryPoints: [join(project.dir, "worker-src.js")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    outfile: join(project.dir, "worker.js"),
    absWorkingDir: project.dir,
    logLevel: "warning",
    plugins: [{
      name: "wasm-module",
      setup(b) {
        b.onResolve({ filter: /\.wasm$/ }, (args) => ({ path: "./engine.wasm", external: true }));
      },
    }],
  });
  copyFileSync(join(repoRoot, "dist", "engine.wasm"), join(project.dir, "engine.wasm"));
  const port = await freePort();
  writeFileSync(
    join(project.dir, "config.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "engine.wasm", wasm = embed "engine.wasm"),
  ],
  compatibilityDate = "2025-06-01",
);
`,
  );
  server = spawn(join(repoRoot, "node_modules", ".bin", "workerd"), ["serve", "config.capnp", "--verbose"], { cwd: project.dir });
  server.stdout?.on("data", (d) => (log += d));
  server.stderr?.on("data", (d) => (log += d));
  base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      await fetch(`${base}/__compile-probe`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`workerd did not start:\n${log}`);
});

afterAll(() => {
  server?.kill();
  project.cleanup();
});

describe("workerd runtime", () => {
  it("forbids compiling Wasm from bytes (so the entry must not)", async () => {
    expect(await (await fetch(`${base}/__compile-probe`)).text()).toMatch(/^refused/);
  });
  it.each(MATRIX_REQUESTS.map((r) => [r.name, r] as const))("%s", async (_name, r) => {
    const res = await fetch(`${base}${r.path}`, { method: r.method, headers: r.headers, body: r.body ?? undefined });
    expect(res.status, log).toBe(200);
    const json = (await res.json()) as { denied: boolean; pack: string; bodyAfter: string | null };
    expect(json.pack).toBe("wafer-core");
    expect(json.denied).toBe(r.denied);
    if (r.body) expect(json.bodyAfter).toBe(r.body);
  });
});
