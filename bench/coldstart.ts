/**
 * Cold start, process level, in every runtime (issue 9), interleaved with the same runtime
 * doing nothing: Node (dist/node.js), Bun (dist/bun.js, on JavaScriptCore), Deno (dist/deno.js), workerd (dist/workerd.js with
 * engine.wasm as a Wasm module and default-pack.bin as a Data module, time to first
 * response), and libddwaf in Node (require + Datadog's recommended ruleset + one run) in
 * the same loop as Node. Plus the sizes of what ships (raw and gzip) and the in-process
 * instantiate time alone.
 *
 *   npm run bench:coldstart       (node bench/run.mjs coldstart)  → bench/results/coldstart.json
 *   node bench/run.mjs coldstart --quick                          → build/bench-smoke/coldstart.json
 */
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { Wafer } from "../src/engine/engine.js";
import { formatColdStart, measureColdStart, spread, type ColdStartResult } from "../src/cli/bench.js";
import { loadSnapshot } from "./interleave.js";
import { RECOMMENDED_RULES_PATH } from "./peers/ddwaf.js";
import { writeBenchResult } from "./results.js";

const quick = process.argv.includes("--quick");
const root = process.cwd();
const dist = `${root}/dist`;
const loadAtStart = loadSnapshot();

// ---- sizes ----
const sizeOf = (path: string) => {
  const bytes = readFileSync(path);
  return { path: path.slice(root.length + 1), bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
};
const sizes = [
  sizeOf(`${dist}/engine.wasm`),
  sizeOf(`${dist}/default.wpk`),
  sizeOf(`${dist}/node.js`),
  sizeOf(`${dist}/bun.js`),
  sizeOf(`${dist}/deno.js`),
  sizeOf(`${dist}/default.js`),
  sizeOf(`${dist}/workerd.js`),
  sizeOf(`${root}/${RECOMMENDED_RULES_PATH}`),
];

// ---- instantiate alone (in this process) ----
const wasmBytes = readFileSync(`${dist}/engine.wasm`);
const image = new Uint8Array(readFileSync(`${dist}/default.wpk`));
let t = performance.now();
const module = new WebAssembly.Module(wasmBytes);
const firstCompileMs = performance.now() - t;
const instantiateMs: number[] = [];
const newWaferMs: number[] = [];
for (let i = 0; i < (quick ? 5 : 40); i++) {
  t = performance.now();
  new WebAssembly.Instance(module, {});
  instantiateMs.push(performance.now() - t);
  t = performance.now();
  new Wafer(module, image);
  newWaferMs.push(performance.now() - t);
}
// Wasm memory an engine holds: after create, and after a body long enough to grow the
// transform buffers to their configured size (assembly/regions.ts). Percent-encoded, so its
// decoding chains must run: a plain-text body holding no gate byte of the pack's walks skips
// the transforms that would grow them (assembly/inspect.ts, walk gates).
const memoryOf = (w: Wafer) => (w as unknown as { exports: { memory: WebAssembly.Memory } }).exports.memory.buffer.byteLength;
const measured = new Wafer(module, image);
const memoryAfterCreate = memoryOf(measured);
measured.inspectSync({ method: "POST", url: "/", headers: { "content-type": "text/plain" }, body: "lorem%20ips+".repeat(20_000) });
const memoryAfterLongBody = memoryOf(measured);
const inProcess = {
  wasmMemoryBytes: { afterCreate: memoryAfterCreate, afterA240KbBody: memoryAfterLongBody },
  timeKind: "wall time, this process (after the first compile V8 caches the module, so later compiles are not measured)",
  firstCompileMs: Math.round(firstCompileMs * 100) / 100,
  instantiate: spread(instantiateMs),
  newWaferWithDefaultPack: spread(newWaferMs),
  note: "newWaferWithDefaultPack = instantiate + configure + copy and activate the default pack (checksum, validation)",
};
console.log(`engine.wasm ${sizes[0]!.bytes} B (${sizes[0]!.gzipBytes} gzip), default.wpk ${sizes[1]!.bytes} B (${sizes[1]!.gzipBytes} gzip)`);
console.log(`first compile ${inProcess.firstCompileMs} ms, instantiate median ${inProcess.instantiate.medianMs} ms, new Wafer (default pack) median ${inProcess.newWaferWithDefaultPack.medianMs} ms`);

// ---- process-level cold starts ----
const libddwafScript = `import { createRequire } from "node:module";
const require = createRequire(${JSON.stringify(`${root}/package.json`)});
const t0 = performance.now();
const { DDWAF } = require("@datadog/native-appsec");
const t1 = performance.now();
const rules = require(${JSON.stringify(`${root}/${RECOMMENDED_RULES_PATH}`)});
const waf = new DDWAF(rules, "recommended");
const t2 = performance.now();
const ctx = waf.createContext();
const r = ctx.run({ persistent: { "server.request.uri.raw": "/search?q=hello&page=2", "server.request.method": "GET", "server.request.query": { q: "hello", page: "2" }, "server.request.headers.no_cookies": { host: "example.com", "user-agent": "Mozilla/5.0" } } }, 10000000);
ctx.dispose();
const t3 = performance.now();
console.log(JSON.stringify({ importMs: t1 - t0, createMs: t2 - t1, inspectMs: t3 - t2, denied: r.events !== undefined }));
`;
const runs = { node: quick ? 2 : 25, bun: quick ? 2 : 20, deno: quick ? 2 : 20, workerd: quick ? 2 : 20 };
const coldStarts: ColdStartResult[] = [];
for (const runtime of ["node", "bun", "deno", "workerd"] as const) {
  const r = await measureColdStart({
    runtime,
    runs: runs[runtime],
    distDir: dist,
    searchRoots: [root],
    ...(runtime === "node" ? { extraNodeScripts: { "node + libddwaf (Datadog recommended)": libddwafScript } } : {}),
  });
  console.log(formatColdStart(r));
  coldStarts.push(r);
}

const targetMs = 5;
const path = writeBenchResult(
  "coldstart",
  {
    benchmark: "cold start per runtime, minus the same runtime doing nothing (interleaved runs)",
    command: quick ? "node bench/run.mjs coldstart --quick" : "npm run bench:coldstart",
    timeKinds: {
      "variants[].wall": "wall time: spawn → process exit (node, bun, deno) or spawn → end of the first HTTP response (workerd, on a pre-opened socket)",
      "variants[].cpuMeanMs": "CPU time: the child's user + system time (Linux /proc/self/stat cutime+cstime of reaped children, 10 ms ticks, averaged over the runs)",
      "variants[].phases": "wall time inside the child (performance.now): import of the package, createWafer (instantiate + pack load), first inspect",
      addedWallMs: "median wall of the variant − median wall of the empty runtime",
      addedCpuMs: "mean CPU of the variant − mean CPU of the empty runtime",
    },
    targets: { addedMsPerRuntime: targetMs, engineWasmBytes: 100_000, defaultPackBytes: 300_000 },
    sizes,
    inProcess,
    coldStarts,
    summary: Object.fromEntries(
      coldStarts.flatMap((r) =>
        Object.keys(r.addedWallMs).map((name) => [name, { addedWallMs: r.addedWallMs[name], addedCpuMs: r.addedCpuMs[name], phases: r.variants.find((v) => v.name === name)?.phases }]),
      ),
    ),
    loadAverage: { atStart: loadAtStart, atEnd: loadSnapshot() },
  },
  { smoke: quick },
);
console.log(`results: ${path}`);
