/**
 * Side-by-side A/B of engine builds: the same default pack and workloads on two (or more)
 * engine.wasm files in one process, rounds interleaved, CPU time per request (minimum over
 * rounds, so both builds see the same machine load). A developer tool for judging one hot-path
 * change; it prints and writes no results file (the committed figures come from bench:inspect).
 *
 *   node scripts/build.mjs && cp build/engine.wasm build/.tools/engine.base.wasm   # before
 *   node scripts/build.mjs                                                        # after
 *   npx esbuild bench/ab.ts --bundle --platform=node --format=esm --packages=external \
 *     --log-level=warning --outfile=build/.tools/ab.mjs && node build/.tools/ab.mjs build/.tools/engine.base.wasm build/engine.wasm
 *
 * With AB_PACK=datadog the pack is Datadog's recommended ruleset imported (src/ddwaf), as in
 * the same-rules comparison of bench/peers.ts.
 *
 * Given directories instead (two checkouts, each built: bench/tree-bundle.ts), each side is its
 * whole tree — JS side, engine and its own compiler's pack — for changes outside the engine:
 *   node build/.tools/ab.mjs ../wafer-base .
 */
import { readFileSync, statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { Wafer } from "../src/engine/engine.js";
import { compilePack } from "../src/pack/compile.js";
import { compilePackFrom } from "../src/pack/source-loader.js";
import { importDdwaf } from "../src/ddwaf/index.js";
import { RECOMMENDED_RULES_PATH } from "./peers/ddwaf.js";
import type { PlainRequest } from "../src/request/types.js";
import { attackRequest, heavyRequest, jsonBody, ordinaryGet, textBody } from "./workloads.js";
import { loadTree } from "./tree-bundle.js";

const root = `${process.cwd()}/`;
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node build/.tools/ab.mjs A.wasm [B.wasm …] | OLD_TREE NEW_TREE   (paths from the repository root)");
  process.exit(2);
}
const datadog = process.env.AB_PACK === "datadog";
const options = { mode: "block", verdictCache: false } as const;
let wafers: Wafer[];
if (files.every((f) => statSync(root + f).isDirectory())) {
  const trees = await Promise.all(files.map((f) => loadTree(root + f)));
  wafers = trees.map((t) => {
    const packs = t.packs(`${root}${RECOMMENDED_RULES_PATH}`);
    return t.wafer(datadog ? packs.datadog : packs.core, options);
  });
} else {
  const { image } = datadog
    ? compilePack(importDdwaf(JSON.parse(readFileSync(`${root}${RECOMMENDED_RULES_PATH}`, "utf8"))).pack, { builtAt: "1970-01-01T00:00:00.000Z" })
    : compilePackFrom(`${root}signatures/core`, { builtAt: "1970-01-01T00:00:00.000Z" });
  wafers = files.map((f) => new Wafer(new WebAssembly.Module(readFileSync(root + f)), image, options));
}
const heavyQuery: PlainRequest = { method: "GET", url: heavyRequest.url, headers: [] };
const workloads: [string, PlainRequest, number][] = [
  ["get", ordinaryGet, 4000], ["heavy", heavyRequest, 150], ["query", heavyQuery, 300], ["attack", attackRequest, 4000],
  ["json64k", jsonBody(65536), 20], ["text1m", textBody(1 << 20), 3],
];
const cpuUs: Record<string, number[][]> = {};
for (let round = 0; round < 25; round++) {
  for (const [name, req, n] of workloads) {
    wafers.forEach((wafer, w) => {
      for (let i = 0; i < Math.min(50, n); i++) wafer.inspectSync(req);
      const t0 = process.cpuUsage();
      for (let i = 0; i < n; i++) wafer.inspectSync(req);
      const t = process.cpuUsage(t0);
      ((cpuUs[name] ??= files.map(() => []))[w]!).push((t.user + t.system) / n);
    });
  }
}
for (const [name] of workloads) {
  console.log(name.padEnd(8), files.map((f, w) => `${basename(resolve(root + f))}: ${Math.min(...cpuUs[name]![w]!).toFixed(1)} µs`).join("   "));
}
