#!/usr/bin/env node
// Bundles one benchmark (bench/<name>.ts) with esbuild and runs it from the repository root:
//   node bench/run.mjs peers [args…]
// Dependencies stay external (loaded from node_modules at run time), .wasm/.wpk as bytes.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [name, ...args] = process.argv.slice(2);
if (!name) {
  console.error("usage: node bench/run.mjs <peers|coldstart|scaling|smoke> [args…]");
  process.exit(2);
}
const outfile = join(root, "build/.tools", `bench-${name}.mjs`);
await build({
  entryPoints: [join(root, "bench", `${name}.ts`)],
  bundle: true, platform: "node", format: "esm", packages: "external", logLevel: "warning",
  loader: { ".wasm": "binary", ".wpk": "binary" }, outfile,
  // The Node entry's lazily imported inline fallbacks exist only in dist/; never reached here.
  plugins: [{ name: "inline-fallbacks", setup(b) { b.onResolve({ filter: /^\.\/(engine-inline|default-pack-inline)\.js$/ }, (a) => ({ path: a.path, external: true })); } }],
});
const r = spawnSync(process.execPath, ["--expose-gc", outfile, ...args], { cwd: root, stdio: "inherit" });
process.exit(r.status ?? 1);
