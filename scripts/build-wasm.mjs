#!/usr/bin/env node
// Builds build/engine.wasm from assembly/ (release target) when any source is newer,
// and prints the module's size. `--force` rebuilds regardless; `--check` only reports staleness.
import { readdirSync, statSync, existsSync, readFileSync, renameSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { spawnSync } from "node:child_process";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "build", "engine.wasm");
const force = process.argv.includes("--force");

function newestSource() {
  let newest = statSync(join(root, "asconfig.json")).mtimeMs;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (p.endsWith(".ts")) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(join(root, "assembly"));
  return newest;
}

const stale = force || !existsSync(out) || statSync(out).mtimeMs < newestSource();
if (process.argv.includes("--check")) {
  console.log(stale ? "stale" : "fresh");
  process.exit(0);
}
if (stale) {
  const asc = join(root, "node_modules", "assemblyscript", "bin", "asc.js");
  // Build to a private file and rename: several builds may run at once (tests, helpers).
  mkdirSync(join(root, "build"), { recursive: true });
  const tmp = join(root, "build", `.engine-${process.pid}.wasm`);
  const r = spawnSync(
    process.execPath,
    [asc, "assembly/index.ts", "--config", "asconfig.json", "--target", "release", "--outFile", tmp],
    { cwd: root, stdio: "inherit" },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
  renameSync(tmp, out);
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
