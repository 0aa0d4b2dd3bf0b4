// Bundles the Worker the way wrangler does (export conditions workerd, worker, browser;
// engine.wasm stays a Wasm module import, the default pack default-pack.bin a Data module
// import) into examples/worker/dist/, next to copies of both files, for
// `workerd serve examples/worker/config.capnp`.
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

const fromDist = existsSync(join(root, "dist", "engine.wasm")) && existsSync(join(root, "dist", "default-pack.bin")) && !fromSrc;
const wasm = fromDist ? join(root, "dist", "engine.wasm") : join(root, "build", "engine.wasm");
const pack = fromDist ? join(root, "dist", "default-pack.bin") : join(root, "build", "default.wpk");
await build({
  entryPoints: [join(here, "worker.mjs")],
  bundle: true,
  format: "esm",
  platform: "neutral",
  conditions: ["workerd", "worker", "browser"],
  outfile: join(out, "worker.js"),
  logLevel: "warning",
  ...(fromSrc ? { alias: { "wafer/fetch": join(root, "src/adapters/fetch.ts"), wafer: join(root, "src/entry/workerd.ts") } } : {}),
  plugins: [{
    name: "wasm-module",
    setup(b) {
      b.onResolve({ filter: /\.wasm(\?module)?$/ }, () => ({ path: "./engine.wasm", external: true }));
      b.onResolve({ filter: /\.bin$/ }, () => ({ path: "./default-pack.bin", external: true }));
    },
  }],
});
copyFileSync(wasm, join(out, "engine.wasm"));
copyFileSync(pack, join(out, "default-pack.bin"));
console.log(`worker bundled to ${join(out, "worker.js")}`);
