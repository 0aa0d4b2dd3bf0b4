/**
 * Per-request cost of wafer against the peers a team would otherwise pick, interleaved in
 * one process (A B C A B C …) so the loaded machine treats them alike:
 *  - wafer, default pack (signatures/core), through the public Wafer class, with its verdict
 *    cache off (every field inspected in full: the figure every ratio uses, like for like with
 *    engines that remember nothing between requests) and on (a repeated request's names and
 *    browser headers are then all hits: its best case; the GET stream is what it meets in
 *    practice);
 *  - a plain loop of JS RegExp.test / includes over the same pack's rx/pm/contains rules;
 *  - libddwaf 1.30 (native, @datadog/native-appsec) with Datadog's recommended ruleset;
 *  - when src/ddwaf/ exists, the same rules on both engines: wafer running Datadog's ruleset
 *    imported beside libddwaf running exactly the rules that were imported, and libddwaf
 *    running wafer's pack exported beside wafer running exactly the rules that were exported
 *    (a rule one format cannot express runs on neither side; else marked pending).
 * Rate limits are measured by bench/ratelimit.ts (bench/results/ratelimit.json).
 *
 *   npm run bench              (node bench/run.mjs peers)   → bench/results/peers.json
 *   node bench/run.mjs peers --quick                        → build/bench-smoke/peers.json
 */
import { readFileSync } from "node:fs";
import { Wafer } from "../src/engine/engine.js";
import { compilePack } from "../src/pack/compile.js";
import { loadPackSource } from "../src/pack/source-loader.js";
import type { RuleSource } from "../src/pack/schema.js";
import { parseRequestLine } from "../src/cli/request-line.js";
import type { PlainRequest } from "../src/request/types.js";
import { fmt } from "./harness.js";
import { loadSnapshot, measureInterleaved, TIME_KINDS, type Contender, type InterleavedResult } from "./interleave.js";
import { DdwafPeer, ddwafPayload, loadDdwaf, RECOMMENDED_RULES_PATH } from "./peers/ddwaf.js";
import { loadDdwafConverter } from "./peers/ddwaf-importer.js";
import { regexpLoopFor } from "./peers/regexp-loop.js";
import { writeBenchResult } from "./results.js";
import { attackRequest, getStream, heavyRequest, jsonBody, ordinaryGet, textBody } from "./workloads.js";

const quick = process.argv.includes("--quick");
const root = `${process.cwd()}/`;
const loadAtStart = loadSnapshot();

// ---- engines ----
const wasmBytes = readFileSync(`${root}build/engine.wasm`);
const wasm = new WebAssembly.Module(wasmBytes);
const defaultImage = new Uint8Array(readFileSync(`${root}build/default.wpk`));
const wafer = new Wafer(wasm, defaultImage, { mode: "block", verdictCache: false });
const waferCached = new Wafer(wasm, defaultImage, { mode: "block" });
const { source, readDataFile } = loadPackSource(`${root}signatures/core`);
const coreRules = source.rules as RuleSource[];
const regexpLoop = regexpLoopFor(coreRules, readDataFile);

const { DDWAF, packageVersion, libddwafVersion } = loadDdwaf();
const recommended = JSON.parse(readFileSync(`${root}${RECOMMENDED_RULES_PATH}`, "utf8")) as { version: string; rules: unknown[] };
const ddwaf = new DdwafPeer(DDWAF, recommended);

// Same rules both ways, when the converter exists.
const converter = await loadDdwafConverter();
const sameRules: Record<string, unknown> = {};
let waferWithDdRules: Wafer | undefined;
let ddwafWithImportedRules: DdwafPeer | undefined;
let ddwafWithWaferRules: DdwafPeer | undefined;
let waferWithExportedRules: Wafer | undefined;
if ("pending" in converter) {
  sameRules.pending = converter.pending;
} else {
  sameRules.converter = converter.from;
  try {
    if (!converter.importDdwaf) throw new Error("no importDdwaf export");
    const imported = converter.importDdwaf(recommended) as { pack: Record<string, unknown>; unsupported?: unknown[]; notes?: unknown[] };
    const { image } = compilePack(imported.pack);
    waferWithDdRules = new Wafer(wasm, image, { mode: "block", verdictCache: false });
    // libddwaf with the same subset: the rules of Datadog's file that the importer took.
    const importedIds = new Set((imported.pack.rules as { id: string }[]).map((r) => r.id));
    const subset = { ...recommended, rules: recommended.rules.filter((r) => importedIds.has((r as { id: string }).id)) };
    ddwafWithImportedRules = new DdwafPeer(DDWAF, subset);
    sameRules.waferWithDatadogRules = {
      rules: (imported.pack.rules as unknown[]).length,
      of: recommended.rules.length,
      unsupported: imported.unsupported?.length ?? 0,
      notes: imported.notes?.length ?? 0,
      imageBytes: image.length,
      libddwafRunsTheSameSubset: { loaded: ddwafWithImportedRules.rulesLoaded(), failed: ddwafWithImportedRules.rulesFailed() },
    };
  } catch (e) {
    sameRules.waferWithDatadogRules = { pending: `importDdwaf failed: ${(e as Error).message}` };
  }
  try {
    if (!converter.exportDdwaf) throw new Error("no exportDdwaf export");
    // wafer runs paranoia 1 by default: export the same rules (paranoia ≤ 1).
    const exported = (converter.exportDdwaf as (p: unknown, o: object) => { json: { rules: { id: string }[] }; unsupported?: unknown[] })(source, { paranoia: 1 });
    ddwafWithWaferRules = new DdwafPeer(DDWAF, exported.json);
    // wafer with the same subset: the rules of its pack that the exporter could express.
    const exportedIds = new Set(exported.json.rules.map((r) => r.id));
    const subset = compilePack({ ...source, rules: coreRules.filter((r) => exportedIds.has(r.id)) }, { readDataFile }).image;
    waferWithExportedRules = new Wafer(wasm, subset, { mode: "block", verdictCache: false });
    sameRules.ddwafWithWaferRules = {
      loaded: ddwafWithWaferRules.rulesLoaded(),
      failed: ddwafWithWaferRules.rulesFailed(),
      unsupported: exported.unsupported?.length ?? 0,
      ofParanoia1Rules: coreRules.filter((r) => ((r as { paranoia?: number }).paranoia ?? 1) <= 1).length,
      waferRunsTheSameSubset: { rules: waferWithExportedRules.pack.rules, imageBytes: subset.length },
    };
  } catch (e) {
    sameRules.ddwafWithWaferRules = { pending: `exportDdwaf failed: ${(e as Error).message}` };
  }
}

// ---- workloads ----
const corpus: PlainRequest[] = [];
for (const line of readFileSync(`${root}test/corpora/benign-requests.jsonl`, "utf8").split("\n")) {
  if (!line.trim()) continue;
  const parsed = parseRequestLine(line);
  if (!("error" in parsed)) corpus.push(parsed.request as PlainRequest);
}
let corpusAt = 0;
const nextFromCorpus = () => corpus[corpusAt++ % corpus.length]!;
const stream = getStream(20_000);
let streamAt = 0;
const nextFromStream = () => stream[streamAt++ % stream.length]!;

interface Workload {
  name: string;
  /** A fixed request, or a rotation through the corpus. */
  request: PlainRequest | (() => PlainRequest);
  rounds: number;
  /** Peers too slow for this size are left out (named in the result). */
  skip?: string[];
}
const workloads: Workload[] = [
  { name: "ordinary GET", request: ordinaryGet, rounds: 25 },
  { name: "GET stream (bench/workloads.ts getStream)", request: nextFromStream, rounds: 20 },
  { name: "heavy request", request: heavyRequest, rounds: 20 },
  { name: "attack request", request: attackRequest, rounds: 20 },
  { name: "64 KB JSON body", request: jsonBody(64 * 1024), rounds: 12 },
  { name: "1 MB text body", request: textBody(1_000_000), rounds: 6 },
  { name: `benign corpus (${corpus.length} requests, rotating)`, request: nextFromCorpus, rounds: 15 },
];
if (quick) for (const w of workloads) w.rounds = 2;

function contendersFor(w: Workload): Contender[] {
  const get = typeof w.request === "function" ? w.request : () => w.request as PlainRequest;
  const prebuilt = typeof w.request === "function" ? undefined : ddwafPayload(w.request);
  const cs: Contender[] = [
    { name: "wafer (default pack)", fn: () => wafer.inspectSync(get()) },
    { name: "wafer (default pack, verdict cache on)", fn: () => waferCached.inspectSync(get()) },
    { name: "RegExp loop (default pack rules)", fn: () => regexpLoop.run(get()) },
    { name: "libddwaf (Datadog recommended)", fn: () => ddwaf.inspect(get()) },
  ];
  if (prebuilt) cs.push({ name: "libddwaf run only, prebuilt payload (Datadog recommended)", fn: () => ddwaf.runOnly(prebuilt) });
  if (waferWithDdRules && ddwafWithImportedRules) {
    const w2 = waferWithDdRules;
    const d2 = ddwafWithImportedRules;
    cs.push({ name: "wafer (Datadog recommended, imported)", fn: () => w2.inspectSync(get()) });
    cs.push({ name: "libddwaf (Datadog recommended, the rules wafer imported)", fn: () => d2.inspect(get()) });
  }
  if (ddwafWithWaferRules && waferWithExportedRules) {
    const d3 = ddwafWithWaferRules;
    const w3 = waferWithExportedRules;
    cs.push({ name: "libddwaf (wafer default pack, exported)", fn: () => d3.inspect(get()) });
    cs.push({ name: "wafer (default pack, the rules libddwaf runs)", fn: () => w3.inspectSync(get()) });
  }
  return cs;
}

/** What each engine decided on the workload's (first) request: a sanity check that all ran. */
function verdicts(req: PlainRequest): Record<string, unknown> {
  const d = wafer.inspectSync(req);
  const r = ddwaf.inspect(req);
  const out: Record<string, unknown> = {
    wafer: { denied: d.denied, score: d.score, rules: d.matches.map((m) => m.rule), truncated: d.truncated },
    regexpLoop: { hit: regexpLoop.run(req) },
    libddwaf: { events: (r.events ?? []).map((e) => e.rule.id), truncation: r.metrics ?? {} },
  };
  if (waferWithDdRules) {
    const d2 = waferWithDdRules.inspectSync(req);
    out.waferWithDatadogRules = { denied: d2.denied, score: d2.score, rules: d2.matches.map((m) => m.rule) };
  }
  if (ddwafWithWaferRules) out.libddwafWithWaferRules = { events: (ddwafWithWaferRules.inspect(req).events ?? []).map((e) => e.rule.id) };
  return out;
}

const results: { workload: string; load: { before: number[]; after: number[] }; verdicts: Record<string, unknown>; samples: (InterleavedResult & { wallRatioVsWafer: number; cpuRatioVsWafer: number })[] }[] = [];
for (const w of workloads) {
  const before = loadSnapshot().loadavg;
  const startedAt = performance.now();
  const first = typeof w.request === "function" ? w.request() : w.request;
  const v = verdicts(first);
  const samples = measureInterleaved(contendersFor(w), { rounds: w.rounds, batchMs: quick ? 5 : 20, warmupMs: quick ? 20 : 150 });
  const base = samples[0]!;
  const withRatios = samples.map((s) => ({ ...s, wallRatioVsWafer: s.medianNs / base.medianNs, cpuRatioVsWafer: s.cpuMeanNs / base.cpuMeanNs }));
  console.log(`\n${w.name} (${((performance.now() - startedAt) / 1000).toFixed(1)} s)`);
  for (const s of withRatios) {
    console.log(
      `  ${s.name.padEnd(58)} median ${fmt(s.medianNs).padStart(10)}  p99 ${fmt(s.p99Ns).padStart(10)}  mean ${fmt(s.meanNs).padStart(10)}  cpu ${fmt(s.cpuMeanNs).padStart(10)}  ×${s.wallRatioVsWafer.toFixed(1)} wall ×${s.cpuRatioVsWafer.toFixed(1)} cpu`,
    );
  }
  results.push({ workload: w.name, load: { before, after: loadSnapshot().loadavg }, verdicts: v, samples: withRatios });
}

const headline: Record<string, Record<string, number>> = {};
for (const r of results) {
  headline[r.workload] = {};
  for (const s of r.samples.slice(1)) headline[r.workload]![s.name] = Math.round(s.wallRatioVsWafer * 10) / 10;
}
const path = writeBenchResult("peers", {
  benchmark: "per-request cost, wafer vs peers (interleaved in one process)",
  command: quick ? "node bench/run.mjs peers --quick" : "npm run bench",
  timeKinds: TIME_KINDS,
  ratioNote: "wallRatioVsWafer = peer medianNs / wafer medianNs (wall); cpuRatioVsWafer = peer cpuMeanNs / wafer cpuMeanNs (CPU). > 1 means wafer is faster.",
  versions: {
    libddwaf: libddwafVersion,
    "@datadog/native-appsec": packageVersion,
    datadogRecommendedRuleset: recommended.version,
    datadogRules: recommended.rules.length,
    datadogRulesLoaded: ddwaf.rulesLoaded(),
    datadogRulesetLoadMs: ddwaf.loadMs,
    waferPack: { name: wafer.pack.name, version: wafer.pack.version, rules: wafer.pack.rules, bytes: defaultImage.length },
    engineWasmBytes: wasmBytes.length,
    regexpLoopTests: regexpLoop.tests,
    regexpLoopSkippedRules: regexpLoop.skipped,
  },
  caveats: [
    "wafer's default pack and Datadog's recommended ruleset are different rule sets: the 'libddwaf (Datadog recommended)' ratio compares each engine with its own defaults. The same-rules comparison needs src/ddwaf (see sameRules).",
    "libddwaf truncates what it inspects (strings at 4 KiB, containers at 256 items, depth 20 by default: see verdicts.*.libddwaf.truncation); wafer inspects up to its limits (maxFieldBytes 64 KiB, maxBodyBytes 1 MiB by default: see verdicts.*.wafer.truncated). On the large bodies the engines therefore do different amounts of work.",
    "libddwaf timed calls include building its input payload from the raw request (query/cookie/body parsing in JS), as wafer's include extraction; 'run only' is the native call alone on a prebuilt payload.",
  ],
  sameRules,
  loadAverage: { atStart: loadAtStart, atEnd: loadSnapshot() },
  headlineWallRatiosVsWafer: headline,
  workloads: results,
  rateLimits: "see bench/results/ratelimit.json (bench/ratelimit.ts: wafer vs rate-limiter-flexible and limiter, interleaved)",
}, { smoke: quick });
console.log(`\nresults: ${path}`);
