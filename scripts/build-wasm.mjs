#!/usr/bin/env node
// Builds build/engine.wasm (assembly/index.ts, the shipped module) and
// build/engine-testing.wasm (assembly/testing.ts: the same plus entry points for tests and
// benchmarks) from assembly/, release target, when their sources changed, and prints the
// shipped module's size. `--force` rebuilds regardless; `--check` only reports staleness.
import { readFileSync, renameSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { spawnSync } from "node:child_process";
import { isStale, recordSources, sourceHash } from "./source-hash.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "build", "engine.wasm");
const testingOut = join(root, "build", "engine-testing.wasm");
const force = process.argv.includes("--force");

// Hash the sources before building: an edit made during the build leaves a stale stamp.
const hash = sourceHash(root, ["assembly", "asconfig.json"]);
const stale = force || isStale(out, hash) || isStale(testingOut, hash);
if (process.argv.includes("--check")) {
  console.log(stale ? "stale" : "fresh");
  process.exit(0);
}
if (stale) {
  const asc = join(root, "node_modules", "assemblyscript", "bin", "asc.js");
  // Build to a private file and rename: several builds may run at once (tests, helpers).
  mkdirSync(join(root, "build"), { recursive: true });
  for (const [entry, file] of [["assembly/index.ts", out], ["assembly/testing.ts", testingOut]]) {
    const tmp = join(root, "build", `.engine-${process.pid}.wasm`);
    const r = spawnSync(
      process.execPath,
      [asc, entry, "--config", "asconfig.json", "--target", "release", "--outFile", tmp],
      { cwd: root, stdio: "inherit" },
    );
    if (r.status !== 0) process.exit(r.status ?? 1);
    renameSync(tmp, file);
    recordSources(file, hash);
  }
}
const bytes = readFileSync(out);
const mod = new WebAssembly.Module(bytes);
const imports = WebAssembly.Module.imports(mod);
console.log(
  `engine.wasm: ${bytes.length} bytes (${(bytes.length / 1024).toFixed(1)} KB), gzip ${gzipSync(bytes).length} bytes, ` +
    `${imports.length} imports${stale ? "" : " (up to date)"}`,
);
if (imports.length > 0) {
  console.error("engine.wasm must have zero imports, found:", imports);
  process.exit(1);
}
