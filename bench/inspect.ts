/**
 * Per-request cost of wafer with the default pack, side by side with the same pack's
 * regex and phrase rules run as a plain loop of JS RegExp.test / String#includes (what a
 * team writes by hand), plus pack load and compile times.
 *
 * wafer runs twice: with the verdict cache off (every field inspected in full: what one
 * request costs on its own, the figure the ratios use) and on. Repeating one request makes
 * every part the cache may hold (names, browser headers) a hit from the third run, so "cache
 * on" on a fixed request is its best case; the GET stream (bench/workloads.ts getStream) is
 * what it meets in practice.
 *
 *   npx esbuild bench/inspect.ts --bundle --platform=node --format=esm --packages=external --loader:.wasm=binary --loader:.wpk=binary --outfile=build/.tools/bench-inspect.mjs && node build/.tools/bench-inspect.mjs
 *   (or: npm run bench:inspect)
 */
import { readFileSync } from "node:fs";
import { Wafer } from "../src/engine/engine.js";
import { compilePack } from "../src/pack/compile.js";
import { compilePackFrom, loadPackSource } from "../src/pack/source-loader.js";
import type { RuleSource } from "../src/pack/schema.js";
import { fmt, measure, writeResult, type Sample } from "./harness.js";
import { regexpLoopFor } from "./peers/regexp-loop.js";
import { attackRequest, getStream, heavyRequest, jsonBody, ordinaryGet, textBody } from "./workloads.js";
import { parseRequestLine } from "../src/cli/request-line.js";
import type { PlainRequest } from "../src/request/types.js";

// Run from the repository root (npm scripts do); the bundled file lives in build/.tools.
const root = `${process.cwd()}/`;
const wasm = new WebAssembly.Module(readFileSync(`${root}build/engine.wasm`));
const packDir = `${root}signatures/core`;

const compileStart = performance.now();
const { image } = compilePackFrom(packDir, { builtAt: "1970-01-01T00:00:00.000Z" });
const compileMs = performance.now() - compileStart;
const wafer = new Wafer(wasm, image, { mode: "block", verdictCache: false });
const waferCached = new Wafer(wasm, image, { mode: "block" });

// The RegExp loop: every rx / pm / contains rule of the same pack, over every field value,
// each value URL-decoded and lower-cased once (the transforms a hand-written loop applies).
const { source, readDataFile } = loadPackSource(packDir);
const regexpLoop = regexpLoopFor(source.rules as RuleSource[], readDataFile);

const samples: Sample[] = [];
const ratios: Record<string, number> = {};
const run = (name: string, fn: () => unknown) => {
  const s = measure(name, fn);
  samples.push(s);
  console.log(`${name.padEnd(36)} median ${fmt(s.medianNs).padStart(10)}  p99 ${fmt(s.p99Ns).padStart(10)}  mean ${fmt(s.meanNs).padStart(10)}`);
  return s;
};

const cachedRatios: Record<string, number> = {};
for (const [label, req] of [["ordinary GET", ordinaryGet], ["heavy request", heavyRequest], ["attack request", attackRequest]] as const) {
  const w = run(`wafer ${label}`, () => wafer.inspectSync(req));
  const c = run(`wafer ${label}, cache on, repeated`, () => waferCached.inspectSync(req));
  const r = run(`RegExp loop ${label}`, () => regexpLoop.run(req));
  ratios[label] = r.medianNs / w.medianNs;
  cachedRatios[label] = r.medianNs / c.medianNs;
}
// Routes: what matching exclusions cost per request. All three match the ordinary GET and add
// up (src/engine/routes.ts); the third keeps every rule off one argument, so the host names a
// set in that field's descriptor on every request.
const routed = new Wafer(wasm, image, {
  mode: "block",
  verdictCache: false,
  routes: [
    { path: "/products", rules: ["sqli-union-select"] },
    { path: /^\/products\//, tags: ["attack-nosqli"] },
    { path: "/", targets: [{ field: "args", names: ["page"] }] },
  ],
});
run("wafer ordinary GET, 3 matching routes", () => routed.inspectSync(ordinaryGet));
// The GET stream: browser headers repeat, pages partly, session cookies never.
const stream = getStream(20_000);
let at = 0;
const streamW = run("wafer GET stream", () => wafer.inspectSync(stream[at++ % stream.length]!));
const streamC = run("wafer GET stream, cache on", () => waferCached.inspectSync(stream[at++ % stream.length]!));
const streamR = run("RegExp loop GET stream", () => regexpLoop.run(stream[at++ % stream.length]!));
ratios["GET stream"] = streamR.medianNs / streamW.medianNs;
cachedRatios["GET stream"] = streamR.medianNs / streamC.medianNs;
// The project's benign corpus (3,000 requests of many shapes), rotating.
const corpus: PlainRequest[] = [];
for (const line of readFileSync(`${root}test/corpora/benign-requests.jsonl`, "utf8").split("\n")) {
  const parsed = line.trim() ? parseRequestLine(line) : undefined;
  if (parsed && !("error" in parsed)) corpus.push(parsed.request as PlainRequest);
}
const corpusW = run("wafer benign corpus", () => wafer.inspectSync(corpus[at++ % corpus.length]!));
const corpusC = run("wafer benign corpus, cache on", () => waferCached.inspectSync(corpus[at++ % corpus.length]!));
const corpusR = run("RegExp loop benign corpus", () => regexpLoop.run(corpus[at++ % corpus.length]!));
ratios["benign corpus"] = corpusR.medianNs / corpusW.medianNs;
cachedRatios["benign corpus"] = corpusR.medianNs / corpusC.medianNs;
const json64 = jsonBody(64 * 1024);
run("wafer 64 KB JSON body", () => wafer.inspectSync(json64));
const big = textBody(1_000_000);
const bigSample = run("wafer 1 MB text body", () => wafer.inspectSync(big));
const mbPerSec = 1_000_000 / (bigSample.medianNs / 1e9) / 1e6;

// Loading a ~1 MB pack image (one rule of 20,000 phrases) into a live engine.
const phrases = Array.from({ length: 20000 }, (_, i) => `phrase-${i.toString(36)}-${(i * 7919).toString(36)}`);
const onePhrasePack = compilePack({ name: "big", version: "1.0.0", rules: [{ id: "p", message: "p", family: "f", targets: ["args"], operator: { pm: phrases } }] }).image;
const loadSample = measure("load pack image", () => wafer.loadPack(onePhrasePack), { seconds: 1, warmupSeconds: 0.2 });

// The literal prefilter alone: 1,000 phrases, 1 MB of prose, through the prefilterScan export.
const prefilterPack = compilePack({
  name: "prefilter", version: "1.0.0",
  rules: [{ id: "p", message: "p", family: "f", targets: ["body"], operator: { pm: Array.from({ length: 1000 }, (_, i) => `${["sel", "uni", "scr", "alp", "ec"][i % 5]}${(i * 7919).toString(36)}`) } }],
}).image;
const scan = new WebAssembly.Instance(wasm, {}).exports as unknown as {
  memory: WebAssembly.Memory; configure: (...a: number[]) => number; packReserve(n: number): number;
  packActivate(n: number): number; arenaPtr(): number; prefilterScan(p: number, n: number): number;
};
scan.configure(2 << 20, 64, 1 << 16, 1024, 4096);
const prefilterAt = scan.packReserve(prefilterPack.length); // may grow memory: take the buffer after it
new Uint8Array(scan.memory.buffer, prefilterAt, prefilterPack.length).set(prefilterPack);
scan.packActivate(prefilterPack.length);
const prose = new TextEncoder().encode(big.body as string).subarray(0, 1 << 20);
new Uint8Array(scan.memory.buffer).set(prose, scan.arenaPtr());
const prefilterSample = run("prefilter alone, 1 MB, 1,000 phrases", () => scan.prefilterScan(scan.arenaPtr(), prose.length));
const prefilterMBps = prose.length / (prefilterSample.medianNs / 1e9) / 1e6;

console.log(`\nRegExp loop / wafer (median): ${Object.entries(ratios).map(([k, v]) => `${k} ${v.toFixed(1)}×`).join(", ")}`);
console.log(`RegExp loop / wafer with the verdict cache (median): ${Object.entries(cachedRatios).map(([k, v]) => `${k} ${v.toFixed(1)}×`).join(", ")}`);
console.log(`1 MB body throughput: ${mbPerSec.toFixed(0)} MB/s; literal prefilter alone: ${prefilterMBps.toFixed(0)} MB/s`);
console.log(`load a ${(onePhrasePack.length / 1024).toFixed(0)} KB pack image: median ${fmt(loadSample.medianNs)}`);
console.log(`compile the default pack: ${compileMs.toFixed(0)} ms (${(image.length / 1024).toFixed(0)} KB image)`);
const path = writeResult("inspect", {
  workload: "bench/workloads.ts; default pack signatures/core; RegExp loop = same rx/pm/contains rules over URL-decoded, lower-cased field values",
  pack: { bytes: image.length, rules: (source.rules as unknown[]).length, compileMs },
  samples,
  waferRuns: "'wafer X': verdict cache off (every field inspected); 'wafer ordinary GET, 3 matching routes': the same with three route exclusions that all match it (one by id, one by tag, one keeping every rule off the page argument); 'wafer X, cache on, repeated': the same request again and again (every part the cache may hold, names and browser-header values, a hit: its best case); 'GET stream': bench/workloads.ts getStream, 20,000 requests rotating; 'benign corpus': test/corpora/benign-requests.jsonl, rotating",
  regexpLoopOverWafer: ratios,
  regexpLoopOverWaferWithVerdictCache: cachedRatios,
  oneMegabyteBodyMBps: mbPerSec,
  prefilterAloneMBps: prefilterMBps,
  loadPack: { bytes: onePhrasePack.length, ...loadSample },
});
console.log(`results: ${path}`);
