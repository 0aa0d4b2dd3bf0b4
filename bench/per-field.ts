/**
 * What each field of the ordinary GET costs: the CPU time a request gains when that one
 * field is added to an empty `GET /`, for one or more engine builds side by side (rounds
 * interleaved, minimum over rounds, as bench/ab.ts). A developer tool for the per-field work
 * that dominates small requests; it prints and writes no results file.
 *
 *   npx esbuild bench/per-field.ts --bundle --platform=node --format=esm --packages=external \
 *     --log-level=warning --outfile=build/.tools/per-field.mjs && node build/.tools/per-field.mjs build/engine.wasm [OTHER.wasm …]
 */
import { readFileSync } from "node:fs";
import { Wafer } from "../src/engine/engine.js";
import { compilePackFrom } from "../src/pack/source-loader.js";
import type { PlainRequest } from "../src/request/types.js";
import { ordinaryGet } from "./workloads.js";

const root = `${process.cwd()}/`;
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node build/.tools/per-field.mjs A.wasm [B.wasm …]   (paths from the repository root)");
  process.exit(2);
}
const { image } = compilePackFrom(`${root}signatures/core`, { builtAt: "1970-01-01T00:00:00.000Z" });
const wafers = files.map((f) => new Wafer(new WebAssembly.Module(readFileSync(root + f)), image, { mode: "block", verdictCache: false }));

const empty: PlainRequest = { method: "GET", url: "/", headers: [], body: null };
const headers = ordinaryGet.headers as [string, string][];
const variants: [string, PlainRequest][] = [
  ["empty GET / (absolute)", empty],
  ["path", { ...empty, url: "/products/shoes" }],
  ["path + 2 query args", { ...empty, url: ordinaryGet.url }],
  ...headers.map(([name, value]): [string, PlainRequest] => [name, { ...empty, headers: [[name, value]] }]),
  ["whole ordinary GET (absolute)", ordinaryGet],
];

const CALLS = 4000;
const best = variants.map(() => files.map(() => Infinity));
for (let round = 0; round < 15; round++) {
  variants.forEach(([, request], v) => {
    wafers.forEach((wafer, w) => {
      for (let i = 0; i < 200; i++) wafer.inspectSync(request);
      const t0 = process.cpuUsage();
      for (let i = 0; i < CALLS; i++) wafer.inspectSync(request);
      const t = process.cpuUsage(t0);
      best[v]![w] = Math.min(best[v]![w]!, (t.user + t.system) / CALLS);
    });
  });
}
console.log(`CPU µs per request (min over 15 rounds); fields: added to the empty GET /\n${"".padEnd(30)}${files.map((f) => f.split("/").pop()!.padStart(20)).join("")}`);
variants.forEach(([name], v) => {
  const cells = files.map((_, w) => {
    const t = best[v]![w]!;
    const absolute = v === 0 || v === variants.length - 1;
    return (absolute ? t.toFixed(2) : `+${(t - best[0]![w]!).toFixed(2)}`).padStart(20);
  });
  console.log(`${name.padEnd(30)}${cells.join("")}`);
});
