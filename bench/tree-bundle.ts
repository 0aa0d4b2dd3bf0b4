/**
 * Another checkout of this repository as one module: its own `Wafer` (JS side), its own
 * build/engine.wasm and its own pack compiler, bundled with esbuild from that tree's sources.
 * bench/ab.ts and scripts/diff-engines.ts take two such trees to compare two commits end to
 * end in one process: an engine-only A/B runs one tree's JS side and packs on both engines,
 * so a change to extraction, the arena writer or the compiler needs this instead.
 *
 *   git worktree add ../wafer-base <commit>
 *   (cd ../wafer-base && ln -s ../main/node_modules node_modules && node scripts/build.mjs)
 *
 * (`ln -s` with the path of this checkout's node_modules.) The bundle is written to the
 * tree's own build/.tools and imports its packages from the tree's node_modules.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import type { Wafer } from "../src/engine/engine.js";
import type { WaferOptions } from "../src/engine/options.js";

export interface Tree {
  dir: string;
  /** An engine of this tree (its engine.wasm and JS side) running `image`. */
  wafer(image: Uint8Array, options: WaferOptions): Wafer;
  /** The default pack and Datadog's recommended ruleset (from `datadogRulesPath`), compiled by this tree's compiler. */
  packs(datadogRulesPath: string): { core: Uint8Array; datadog: Uint8Array };
}

/** What the bundle exports; written into the tree so that its imports resolve to its own sources. */
const ENTRY = `import { readFileSync } from "node:fs";
import { Wafer } from "../../src/engine/engine.js";
import { compilePack } from "../../src/pack/compile.js";
import { compilePackFrom } from "../../src/pack/source-loader.js";
import { importDdwaf } from "../../src/ddwaf/index.js";
const dir = new URL("../../", import.meta.url).pathname;
const builtAt = "1970-01-01T00:00:00.000Z";
export const wafer = (image: Uint8Array, options: object) => new Wafer(new WebAssembly.Module(readFileSync(dir + "build/engine.wasm")), image, options);
export const packs = (datadogRulesPath: string) => ({
  core: compilePackFrom(dir + "signatures/core", { builtAt }).image,
  datadog: compilePack(importDdwaf(JSON.parse(readFileSync(datadogRulesPath, "utf8"))).pack, { builtAt }).image,
});
`;

export async function loadTree(path: string): Promise<Tree> {
  const dir = resolve(path);
  if (!existsSync(join(dir, "build", "engine.wasm"))) throw new Error(`${dir}: no build/engine.wasm (run node scripts/build.mjs there first)`);
  mkdirSync(join(dir, "build", ".tools"), { recursive: true });
  const entry = join(dir, "build", ".tools", "tree-entry.ts");
  const out = join(dir, "build", ".tools", "tree-bundle.mjs");
  writeFileSync(entry, ENTRY);
  await build({ entryPoints: [entry], outfile: out, bundle: true, platform: "node", format: "esm", packages: "external", logLevel: "warning", absWorkingDir: dir });
  const mod = (await import(pathToFileURL(out).href)) as Omit<Tree, "dir">;
  return { dir, wafer: mod.wafer, packs: mod.packs };
}
