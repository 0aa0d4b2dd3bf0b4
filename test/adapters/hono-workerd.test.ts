/**
 * The Hono middleware inside real workerd: a Hono app bundled as a Worker (engine.wasm as a
 * Wasm module import and the default pack, default-pack.bin, as a Data module import, as
 * wrangler does), with a per-user login limit; real HTTP requests.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../runtime/support.js";
import { defaultPack } from "./support.js";
import { serveWorker, WAFER_WORKER_MODULES } from "../support/workerd.js";

const WORKER = `
import { Hono } from "hono";
import { createWafer } from "wafer";
import { wafer, tokenBucket } from "wafer/hono";

const app = new Hono();
app.use(wafer({
  wafer: createWafer,
  log: false,
  rateLimits: [tokenBucket({ id: "login", capacity: 2, refillRate: 1, intervalMs: 60000, characteristics: ["userId"],
    match: { route: "/login", methods: ["POST"] }, onMissingIdentity: "deny" })],
  identify: (c, body) => ({ userId: body.json()?.user }),
}));
app.get("/", (c) => c.text("hello"));
app.post("/echo", async (c) => c.json({ received: await c.req.json(), outcome: c.get("wafer").outcome, navigator: navigator.userAgent }));
app.post("/login", async (c) => c.json({ welcome: (await c.req.json()).user }));
export default app;
`;

const dir = mkdtempSync(join(tmpdir(), "wafer-hono-workerd-"));
let child: ChildProcess | undefined;
let base = "";

beforeAll(async () => {
  writeFileSync(join(dir, "src.js"), WORKER);
  await build({
    entryPoints: [join(dir, "src.js")],
    bundle: true, format: "esm", platform: "neutral", conditions: ["workerd", "worker", "browser"], outfile: join(dir, "worker.js"),
    logLevel: "warning", nodePaths: [join(repoRoot, "node_modules")],
    alias: { wafer: join(repoRoot, "src/entry/workerd.ts"), "wafer/hono": join(repoRoot, "src/adapters/hono.ts") },
    plugins: [{
      name: "workers-like",
      setup(b) {
        b.onResolve({ filter: /\.wasm$/ }, () => ({ path: "./engine.wasm", external: true }));
        b.onResolve({ filter: /\.bin$/ }, () => ({ path: "./default-pack.bin", external: true }));
      },
    }],
  });
  copyFileSync(join(repoRoot, "build", "engine.wasm"), join(dir, "engine.wasm"));
  // The default pack from the tests' checked image (see support.ts), served as a Data module.
  writeFileSync(join(dir, "default-pack.bin"), defaultPack());
  ({ base, child } = await serveWorker(dir, { modules: WAFER_WORKER_MODULES }));
});

afterAll(() => {
  if (child && child.exitCode === null) child.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe("Hono middleware in real workerd", () => {
  it("passes benign requests with the body intact, refuses attacks, limits logins per user", async () => {
    expect(await (await fetch(`${base}/`)).text()).toBe("hello");
    const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const ok = await (await post("/echo", { text: "garden chairs" })).json();
    expect(ok).toEqual({ received: { text: "garden chairs" }, outcome: "allowed", navigator: "Cloudflare-Workers" });
    const attack = await post("/echo", { text: "<script>alert(document.cookie)</script>" });
    expect(attack.status).toBe(403);
    expect(attack.headers.get("content-type")).toBe("application/problem+json");
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post("/login", { user: "zoe" })).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await post("/login", { user: "yann" })).status).toBe(200);
  });
});
