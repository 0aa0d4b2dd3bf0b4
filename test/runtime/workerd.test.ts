/**
 * Real workerd (npm package `workerd`): a Worker that imports the BUILT package by name is
 * bundled the way wrangler does (export conditions workerd, worker, browser; engine.wasm
 * left as a Wasm module import, default-pack.bin as a Data module import), served by
 * `workerd serve` on a free loopback port, and sent real HTTP requests. workerd forbids
 * compiling Wasm from bytes, so this also proves the workerd entry never does.
 */
import { copyFileSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveWorker, WAFER_WORKER_MODULES, type ServedWorker } from "../support/workerd.js";
import { MATRIX_REQUESTS, repoRoot, tempProject } from "./support.js";

const project = tempProject("workerd");
let worker: ServedWorker | undefined;
let base = "";

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
    return Response.json({ denied: d.denied, rules: d.matches.map((m) => m.rule), pack: wafer.pack.name, packBytes: wafer.pack.bytes, bodyAfter });
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
        b.onResolve({ filter: /\.wasm$/ }, () => ({ path: "./engine.wasm", external: true }));
        b.onResolve({ filter: /\.bin$/ }, () => ({ path: "./default-pack.bin", external: true }));
      },
    }],
  });
  copyFileSync(join(repoRoot, "dist", "engine.wasm"), join(project.dir, "engine.wasm"));
  copyFileSync(join(repoRoot, "dist", "default-pack.bin"), join(project.dir, "default-pack.bin"));
  worker = await serveWorker(project.dir, { modules: WAFER_WORKER_MODULES, readyPath: "/__compile-probe" });
  base = worker.base;
});

afterAll(() => {
  worker?.close();
  project.cleanup();
});

describe("workerd runtime", () => {
  it("forbids compiling Wasm from bytes (so the entry must not)", async () => {
    expect(await (await fetch(`${base}/__compile-probe`)).text()).toMatch(/^refused/);
  });
  it("takes the default pack from the default-pack.bin Data module, not from the bundle", async () => {
    const packBytes = statSync(join(repoRoot, "dist", "default-pack.bin")).size;
    const bundle = readFileSync(join(project.dir, "worker.js"), "utf8");
    expect(bundle).toContain(`from "./default-pack.bin"`);
    expect(bundle.length).toBeLessThan(packBytes); // the base64 copy alone would be 4/3 of it
    const res = await fetch(`${base}/items?id=1%27%20union%20select%20password%20from%20users--`);
    expect(res.status, worker!.log()).toBe(200);
    expect(await res.json()).toMatchObject({ pack: "wafer-core", packBytes, denied: true });
  });
  it.each(MATRIX_REQUESTS.map((r) => [r.name, r] as const))("%s", async (_name, r) => {
    const res = await fetch(`${base}${r.path}`, { method: r.method, headers: r.headers, body: r.body ?? undefined });
    expect(res.status, worker!.log()).toBe(200);
    const json = (await res.json()) as { denied: boolean; pack: string; bodyAfter: string | null };
    expect(json.pack).toBe("wafer-core");
    expect(json.denied).toBe(r.denied);
    if (r.body) expect(json.bodyAfter).toBe(r.body);
  });
});
