/**
 * How wafer's cost grows (issue 9), each curve interleaved across its points so the loaded
 * machine treats them alike:
 *  1. with the number of rules: 10, 100, 1,000, 5,000 generated signatures (70 % rx, 30 %
 *     pm phrase lists, CRS-like shapes over generated words), wafer vs the RegExp loop over
 *     the same rules, on the ordinary GET and the heavy request; compile time, image size;
 *  2. with request size: text and JSON bodies from 1 KB to 10 MB (limits raised so the whole
 *     body is inspected; the default maxBodyBytes is 1 MiB);
 *  3. with rate-limit table size: 10³ … 10⁷ identities held, uniform random identity per
 *     decision (the worst case for caches), raw table call with precomputed key hashes.
 *
 *   node bench/run.mjs scaling [--quick]    → bench/results/scaling.json
 */
import { readFileSync } from "node:fs";
import { Wafer } from "../src/engine/engine.js";
import { compilePack } from "../src/pack/compile.js";
import { hashBegin, hashEnd, hashOut, hashString } from "../src/ratelimit/key-hash.js";
import { fmt } from "./harness.js";
import { loadSnapshot, measureInterleaved, TIME_KINDS } from "./interleave.js";
import { regexpLoopFor } from "./peers/regexp-loop.js";
import { generateRules, rnd } from "./generated-rules.js";
import { writeBenchResult } from "./results.js";
import { heavyRequest, jsonBody, ordinaryGet, textBody } from "./workloads.js";

const quick = process.argv.includes("--quick");
const root = process.cwd();
const loadAtStart = loadSnapshot();
const wasm = new WebAssembly.Module(readFileSync(`${root}/build/engine.wasm`));
const defaultImage = new Uint8Array(readFileSync(`${root}/build/default.wpk`));

// ---------- 1. rule count ----------
const ruleCounts = quick ? [10, 100] : [10, 100, 1000, 5000];
const ruleEngines = ruleCounts.map((n) => {
  const rules = generateRules(n);
  const t0 = performance.now();
  const { image, report } = compilePack({ name: `generated-${n}`, version: "1.0.0", rules });
  const compileMs = performance.now() - t0;
  const wafer = new Wafer(wasm, image, { mode: "block", verdictCache: false });
  const loop = regexpLoopFor(rules);
  console.log(`${n} rules: compiled in ${compileMs.toFixed(0)} ms, image ${(image.length / 1024).toFixed(0)} KB`);
  // The compiler's own counts explain the curve (e.g. how deep the literal trie could go).
  const compiled = { literals: report.literals, automatonStates: report.automatonStates, regexes: report.regexes, dfaStates: report.dfaStates };
  return { n, compileMs, imageBytes: image.length, compiled, wafer, loop };
});
const byRules: Record<string, unknown>[] = [];
for (const [label, req] of [["ordinary GET", ordinaryGet], ["heavy request", heavyRequest]] as const) {
  const contenders = ruleEngines.flatMap((e) => [
    { name: `wafer ${e.n}`, fn: () => e.wafer.inspectSync(req) },
    { name: `RegExp loop ${e.n}`, fn: () => e.loop.run(req) },
  ]);
  const samples = measureInterleaved(contenders, { rounds: quick ? 2 : 10, batchMs: quick ? 3 : 15, warmupMs: quick ? 10 : 100 });
  for (const e of ruleEngines) {
    const w = samples.find((s) => s.name === `wafer ${e.n}`)!;
    const r = samples.find((s) => s.name === `RegExp loop ${e.n}`)!;
    byRules.push({ workload: label, rules: e.n, compileMs: Math.round(e.compileMs), imageBytes: e.imageBytes, compiled: e.compiled, wafer: w, regexpLoop: r, regexpLoopOverWafer: r.medianNs / w.medianNs });
    console.log(`  ${label.padEnd(14)} ${String(e.n).padStart(5)} rules: wafer ${fmt(w.medianNs).padStart(10)} (cpu ${fmt(w.cpuMeanNs)})  RegExp loop ${fmt(r.medianNs).padStart(10)}  ×${(r.medianNs / w.medianNs).toFixed(1)}`);
  }
}

// ---------- 2. request size ----------
const MiB = 1024 * 1024;
const sizes = quick ? [1024, 100 * 1024] : [1024, 10 * 1024, 100 * 1024, MiB, 10 * MiB];
const big = new Wafer(wasm, defaultImage, {
  mode: "block",
  verdictCache: false,
  limits: { maxBodyBytes: 16 * MiB, maxFieldBytes: 16 * MiB, maxTotalBytes: 48 * MiB, maxFields: 1_000_000 },
});
const bySize: Record<string, unknown>[] = [];
for (const kind of ["text", "json"] as const) {
  const reqs = sizes.map((s) => ({ bytes: s, req: kind === "text" ? textBody(s) : jsonBody(s) }));
  const samples = measureInterleaved(
    reqs.map((r) => ({ name: `${kind} ${r.bytes}`, fn: () => big.inspectSync(r.req) })),
    { rounds: quick ? 2 : 8, batchMs: quick ? 5 : 30, warmupMs: quick ? 10 : 100, timedCallsPerRound: 3 },
  );
  for (const [i, r] of reqs.entries()) {
    const s = samples[i]!;
    const bodyBytes = typeof r.req.body === "string" ? r.req.body.length : 0;
    const d = big.inspectSync(r.req);
    bySize.push({ body: kind, bytes: bodyBytes, sample: s, mbPerSecWall: bodyBytes / (s.medianNs / 1e9) / 1e6, mbPerSecCpu: bodyBytes / (s.cpuMeanNs / 1e9) / 1e6, truncated: d.truncated });
    console.log(`  ${kind} body ${String(bodyBytes).padStart(9)} B: ${fmt(s.medianNs).padStart(10)} wall, ${fmt(s.cpuMeanNs).padStart(10)} cpu, ${(bodyBytes / (s.cpuMeanNs / 1e9) / 1e6).toFixed(0)} MB/s (cpu)`);
  }
}

// ---------- 3. rate-limit table size ----------
const tableSizes = quick ? [1e3, 1e4] : [1e3, 1e4, 1e5, 1e6, 1e7];
const DECISIONS_PER_CALL = 10_000;
const tables = tableSizes.map((n) => {
  const inst = new WebAssembly.Instance(wasm, {});
  const e = inst.exports as Record<string, (...a: number[]) => number>;
  e.rlConfigure!(n);
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    hashBegin(0x12345678, 0x9abcdef0);
    hashString(`user-${i}`);
    hashEnd();
    lo[i] = hashOut[0]!;
    hi[i] = hashOut[1]!;
  }
  const check = e.rlCheck!;
  const now = 1_700_000_000_000;
  for (let i = 0; i < n; i++) check(lo[i]!, hi[i]!, 1, 1e9, 60_000, 1, now, 0); // hold every identity
  const order = new Uint32Array(1 << 20);
  for (let i = 0; i < order.length; i++) order[i] = Math.floor(rnd() * n);
  let at = 0;
  return {
    n,
    capacity: e.rlCapacity!(),
    tableBytes: e.rlTableBytes!(),
    occupied: e.rlOccupied!(),
    fn: () => {
      let allowed = 0;
      for (let k = 0; k < DECISIONS_PER_CALL; k++) {
        const i = order[at++ & (order.length - 1)]!;
        allowed += check(lo[i]!, hi[i]!, 1, 1e9, 60_000, 1, now, 0);
      }
      return allowed;
    },
  };
});
const tableSamples = measureInterleaved(
  tables.map((t) => ({ name: `table ${t.n}`, fn: t.fn })),
  { rounds: quick ? 2 : 12, batchMs: quick ? 5 : 25, warmupMs: quick ? 10 : 100, timedCallsPerRound: 2 },
);
const byTable = tables.map((t, i) => {
  const s = tableSamples[i]!;
  console.log(`  table ${String(t.n).padStart(9)} identities (${(t.tableBytes / MiB).toFixed(1)} MiB): ${(s.medianNs / DECISIONS_PER_CALL).toFixed(1)} ns/decision wall, ${(s.cpuMeanNs / DECISIONS_PER_CALL).toFixed(1)} cpu`);
  return {
    identities: t.n, capacity: t.capacity, tableBytes: t.tableBytes, occupiedAfterFill: t.occupied,
    nsPerDecisionWallMedian: s.medianNs / DECISIONS_PER_CALL, nsPerDecisionCpuMean: s.cpuMeanNs / DECISIONS_PER_CALL,
    decisionsPerSecWall: 1e9 / (s.medianNs / DECISIONS_PER_CALL),
  };
});

const path = writeBenchResult(
  "scaling",
  {
    benchmark: "scaling: rules, request size, rate-limit table size (each curve's points interleaved)",
    command: quick ? "node bench/run.mjs scaling --quick" : "npm run bench:scaling",
    timeKinds: TIME_KINDS,
    rules: {
      generator: "70 % rx (8 CRS-like shapes over random 5–9 letter words), 30 % pm (10–30 phrases); 3 target sets, 3 transform chains; they rarely match benign traffic, as real signatures",
      points: byRules,
    },
    requestSize: {
      limits: "maxBodyBytes 16 MiB, maxFieldBytes 16 MiB, maxTotalBytes 48 MiB, maxFields 1,000,000 (raised from the defaults so nothing is truncated)",
      pack: "default pack (signatures/core)",
      points: bySize,
    },
    rateLimitTable: {
      workload: `uniform random identity per decision among those held (worst case for caches); token bucket; key hashes precomputed; one call = ${DECISIONS_PER_CALL} decisions`,
      points: byTable,
    },
    loadAverage: { atStart: loadAtStart, atEnd: loadSnapshot() },
  },
  { smoke: quick },
);
console.log(`results: ${path}`);
