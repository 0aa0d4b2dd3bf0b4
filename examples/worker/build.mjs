// Bundles the Worker the way wrangler does (export conditions workerd, worker, browser;
// engine.wasm stays a Wasm module import) into examples/worker/dist/, next to a copy of
// engine.wasm, for `workerd serve examples/worker/config.capnp`.
//
//   npm run build && node examples/worker/build.mjs && npx workerd serve examples/worker/config.capnp
//
// `--from-src` resolves wafer's imports to this repository's TypeScript sources instead of
// the built package (used by the repository's tests).
import { build } from "esbuild";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const out = process.argv.includes("--out") ? process.argv[process.argv.indexOf("--out") + 1] : join(here, "dist");
const fromSrc = process.argv.includes("--from-src");
mkdirSync(out, { recursive: true });

const wasm = existsSync(join(root, "dist", "engine.wasm")) && !fromSrc ? join(root, "dist", "engine.wasm") : join(root, "build", "engine.wasm");
await build({
  entryPoints: [join(here, "worker.mjs")],
  bundle: true,
  format: "esm",
  platform: "neutral",
  conditions: ["workerd", "worker", "browser"],
  outfile: join(out, "worker.js"),
  logLevel: "warning",
  loader: { ".wpk": "binary" },
  ...(fromSrc ? { alias: { "wafer/fetch": join(root, "src/adapters/fetch.ts"), wafer: join(root, "src/entry/workerd.ts") } } : {}),
  plugins: [{
    name: "wasm-module",
    setup(b) {
      b.onResolve({ filter: /\.wasm(\?module)?$/ }, () => ({ path: "./engine.wasm", external: true }));
    },
  }],
});
copyFileSync(wasm, join(out, "engine.wasm"));
console.log(`worker bundled to ${join(out, "worker.js")}`);
