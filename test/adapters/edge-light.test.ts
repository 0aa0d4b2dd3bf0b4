/**
 * The fetch wrapper as a Vercel Edge function: bundled for the edge-light condition from
 * the sources, run in @edge-runtime/vm with Wasm code generation from bytes disabled (as on
 * Vercel), called the way Vercel calls it — `(request, context)` with `context.waitUntil`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EdgeVM } from "@edge-runtime/vm";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../runtime/support.js";
import { defaultPack } from "./support.js";

const FUNCTION = `
import { createWafer } from "wafer";
import { getDecision, protect, tokenBucket } from "wafer/fetch";

const handler = protect(async (request) => Response.json({ ok: true, outcome: getDecision(request).outcome }), {
  wafer: createWafer,
  ip: (request) => request.headers.get("x-real-ip") ?? undefined,   // set by Vercel's edge
  rateLimits: [tokenBucket({ id: "login", capacity: 2, refillRate: 1, intervalMs: 60000, characteristics: ["ip"],
    match: { route: "/login" }, onMissingIdentity: "deny" })],
  log: false,
});

globalThis.__call = async (url, init) => {
  const waited = [];
  const res = await handler(new Request(url, init), { waitUntil: (p) => waited.push(p) });
  return JSON.stringify({ status: res.status, type: res.headers.get("content-type"), ratelimit: res.headers.get("ratelimit"), body: await res.text() });
};
globalThis.__probe = async () => {
  try { await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])); return "compiled"; }
  catch (e) { return "refused"; }
};
`;

async function bundle(): Promise<string> {
  const result = await build({
    stdin: { contents: FUNCTION, resolveDir: repoRoot, loader: "js" },
    bundle: true, write: false, format: "iife", platform: "neutral", target: "es2022",
    conditions: ["edge-light", "worker", "browser"], logLevel: "warning",
    alias: { wafer: join(repoRoot, "src/entry/edge-light.ts"), "wafer/fetch": join(repoRoot, "src/adapters/fetch.ts") },
    plugins: [{
      name: "vercel-like",
      setup(b) {
        b.onResolve({ filter: /\.wasm\?module$/ }, () => ({ path: "engine-wasm-module", namespace: "wasm-module" }));
        b.onLoad({ filter: /.*/, namespace: "wasm-module" }, () => ({ contents: "export default globalThis.__WAFER_WASM__;", loader: "js" }));
        b.onResolve({ filter: /default\.wpk$/ }, () => ({ path: "default.wpk", namespace: "wafer-pack" }));
        b.onLoad({ filter: /.*/, namespace: "wafer-pack" }, () => ({ contents: defaultPack(), loader: "binary" }));
      },
    }],
  });
  return result.outputFiles[0]!.text;
}

describe("fetch wrapper on Vercel Edge (edge-light, no Wasm compilation from bytes)", () => {
  it("passes, refuses attacks with 403 and rate-limits per IP with 429", async () => {
    const vm = new EdgeVM({
      codeGeneration: { strings: false, wasm: false },
      extend: (context) => Object.assign(context, { __WAFER_WASM__: new WebAssembly.Module(readFileSync(join(repoRoot, "build", "engine.wasm"))) }),
    });
    vm.evaluate(await bundle());
    expect(await vm.evaluate("globalThis.__probe()")).toBe("refused");
    const call = async (path: string, headers: Record<string, string> = {}) =>
      JSON.parse(await vm.evaluate(`globalThis.__call(${JSON.stringify(`https://app.example${path}`)}, { headers: ${JSON.stringify(headers)} })`));
    expect(await call("/")).toMatchObject({ status: 200, body: '{"ok":true,"outcome":"allowed"}' });
    const attack = await call("/search?q=%3Cscript%3Ealert(1)%3C/script%3E");
    expect(attack).toMatchObject({ status: 403, type: "application/problem+json" });
    const ip = { "x-real-ip": "192.0.2.10" };
    console.log("DBG", JSON.stringify([await call("/login", { "x-real-ip": "192.0.2.99" }), await call("/login", { "x-real-ip": "192.0.2.99" }), await call("/login", { "x-real-ip": "192.0.2.99" })]));
    expect((await call("/login", ip)).ratelimit).toBe('"login";r=1;t=60');
    expect((await call("/login", ip)).status).toBe(200);
    expect(await call("/login", ip)).toMatchObject({ status: 429, type: "application/problem+json" });
    expect((await call("/login", { "x-real-ip": "192.0.2.11" })).status).toBe(200);
  });
});
