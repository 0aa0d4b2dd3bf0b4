/**
 * Vercel Edge (edge-light) in @edge-runtime/vm with Wasm code generation from bytes turned
 * off, as on Vercel. The script imports the BUILT package through its edge-light export;
 * the `engine.wasm?module` import is wired the way Vercel's bundler does it: to a
 * WebAssembly.Module compiled outside the sandbox.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EdgeVM } from "@edge-runtime/vm";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { MATRIX_REQUESTS, repoRoot, tempProject } from "./support.js";

const project = tempProject("edge");
afterAll(() => project.cleanup());

const SCRIPT = `
import { createWafer } from "wafer";
globalThis.__run = async (requests) => {
  const wafer = await createWafer();
  const out = [];
  for (const r of requests) {
    const req = new Request("http://app.test" + r.path, { method: r.method, headers: r.headers, body: r.body ?? undefined });
    const d = await wafer.inspect(req);
    out.push({ denied: d.denied, rules: d.matches.map((m) => m.rule), bodyAfter: r.body ? await req.text() : null });
  }
  return JSON.stringify({ pack: wafer.pack.name, out });
};
globalThis.__probe = async () => {
  try { await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])); return "compiled"; }
  catch (e) { return "refused"; }
};
`;

async function bundle(): Promise<string> {
  const result = await build({
    stdin: { contents: SCRIPT, resolveDir: project.dir, loader: "js" },
    bundle: true,
    write: false,
    format: "iife",
    platform: "neutral",
    conditions: ["edge-light", "worker", "browser"],
    logLevel: "warning",
    plugins: [{
      name: "vercel-wasm-module",
      setup(b) {
        b.onResolve({ filter: /\.wasm\?module$/ }, () => ({ path: "engine-wasm-module", namespace: "wasm-module" }));
        b.onLoad({ filter: /.*/, namespace: "wasm-module" }, () => ({ contents: "export default globalThis.__WAFER_WASM__;", loader: "js" }));
      },
    }],
  });
  return result.outputFiles[0]!.text;
}

describe("edge-light runtime (Wasm code generation from bytes disabled)", () => {
  it("resolves the edge-light export and inspects requests without compiling from bytes", async () => {
    const code = await bundle();
    expect(code).toContain("__WAFER_WASM__");
    const wasmModule = new WebAssembly.Module(readFileSync(join(repoRoot, "dist", "engine.wasm")));
    const vm = new EdgeVM({
      codeGeneration: { strings: false, wasm: false },
      extend: (context) => Object.assign(context, { __WAFER_WASM__: wasmModule }),
    });
    vm.evaluate(code);
    expect(await vm.evaluate("globalThis.__probe()")).toBe("refused");
    const result = JSON.parse(await vm.evaluate(`globalThis.__run(${JSON.stringify(MATRIX_REQUESTS)})`));
    expect(result.pack).toBe("wafer-core");
    for (const [i, r] of MATRIX_REQUESTS.entries()) {
      expect(result.out[i].denied, r.name).toBe(r.denied);
      if (r.body) expect(result.out[i].bodyAfter).toBe(r.body);
    }
  });
});
