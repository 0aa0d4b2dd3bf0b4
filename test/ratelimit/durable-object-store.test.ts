/**
 * The Durable Object store in real workerd (`workerd serve`, in-memory DO storage, free
 * loopback port, real HTTP): parity with the Wasm table, exact counting under concurrency
 * (per-key objects and sharded), and a strict-mode limiter in a Worker.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { sampleSequences, tableReplies } from "./table-replies";
import { serveWorker, workerdBin, type ServedWorker } from "../support/workerd";

const root = fileURLToPath(new URL("../../", import.meta.url));

if (!existsSync(workerdBin)) console.warn("durable-object tests skipped: node_modules/.bin/workerd missing (npm package `workerd`)");

describe.skipIf(!existsSync(workerdBin))("Durable Object store (real workerd)", () => {
  let dir = "";
  let worker: ServedWorker | undefined;
  let base = "";
  const log = () => worker?.log() ?? "";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "wafer-do-"));
    await build({
      entryPoints: [join(root, "test/ratelimit/fixtures/durable-object-worker.ts")],
      bundle: true, format: "esm", platform: "neutral", outfile: join(dir, "worker.js"), logLevel: "silent",
      plugins: [{ name: "wasm-module", setup(b) { b.onResolve({ filter: /\.wasm$/ }, () => ({ path: "./engine.wasm", external: true })); } }],
    });
    copyFileSync(join(root, "build/engine.wasm"), join(dir, "engine.wasm"));
    worker = await serveWorker(dir, {
      readyPath: "/ping",
      extraConfig: `  durableObjectNamespaces = [(className = "RateLimitDurableObject", uniqueKey = "wafer-ratelimit-test")],
  durableObjectStorage = (inMemory = void),
  bindings = [
    (name = "RL", durableObjectNamespace = "RateLimitDurableObject"),
    (name = "RATE_LIMIT_SWEEP_MS", text = "300"),
  ],`,
    });
    base = worker.base;
  });

  afterAll(() => {
    worker?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("decides like the Wasm table", async () => {
    const sequences = sampleSequences(20, 25, 9);
    const res = await fetch(`${base}/sequences`, { method: "POST", body: JSON.stringify({ sequences, run: "parity" }) });
    expect(res.status, log()).toBe(200);
    const replies = await res.json();
    tableReplies(sequences).forEach((steps, i) => steps.forEach((expected, k) => expect(replies[i][k], `sequence ${i} step ${k}`).toEqual(expected)));
  });

  it("counts exactly under 100 concurrent requests, per-key and sharded", async () => {
    for (const q of ["", "?shards=4"]) {
      const body = await (await fetch(`${base}/race${q}`)).json();
      expect(body, log()).toEqual({ allowed: 30, lastCount: 30 });
    }
  });

  it("an alarm sweeps expired keys, so storage stays bounded by the active keys", async () => {
    const before = await (await fetch(`${base}/expiry`, { method: "POST" })).json();
    expect(before.keys, log()).toBeGreaterThanOrEqual(20);
    const deadline = Date.now() + 15_000;
    let keys = before.keys;
    while (keys > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      keys = (await (await fetch(`${base}/expiry`)).json()).keys;
    }
    expect(keys).toBe(0);
  });

  it("a strict-mode limiter in a Worker answers 429 past the limit", async () => {
    const now = 1_800_000_000_000;
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${base}/login?now=${now}`, { method: "POST", headers: { "x-client-ip": "::ffff:203.0.113.50" } });
      statuses.push(res.status);
      const body = await res.json();
      if (i === 1) expect(body).toEqual({ allowed: true, remaining: 0, policy: "login", reason: null });
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    // Same client via its plain IPv4 form shares the bucket.
    expect((await fetch(`${base}/login?now=${now}`, { method: "POST", headers: { "x-client-ip": "203.0.113.50" } })).status).toBe(429);
    expect((await fetch(`${base}/login?now=${now}`, { method: "POST", headers: { "x-client-ip": "203.0.113.51" } })).status).toBe(200);
  });
});
