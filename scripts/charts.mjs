#!/usr/bin/env node
// Renders the benchmark charts (bench/charts/*.svg) from the result files (bench/results/*.json)
// with Vega-Lite, headless (no browser, no canvas): every number on a chart comes from a
// result file. `npm run charts` after any benchmark run. A missing result file skips its chart.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as vega from "vega";
import * as vl from "vega-lite";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// --results DIR --out DIR: the smoke run renders its own results into build/ (never the committed charts).
const argAfter = (flag, fallback) => {
  const i = process.argv.indexOf(flag);
  return i > 0 && process.argv[i + 1] ? join(process.cwd(), process.argv[i + 1]) : fallback;
};
const resultsDir = argAfter("--results", join(root, "bench/results"));
const outDir = argAfter("--out", join(root, "bench/charts"));
mkdirSync(outDir, { recursive: true });
const read = (name) => {
  const path = join(resultsDir, `${name}.json`);
  return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : undefined;
};
const config = { font: "Helvetica, Arial, sans-serif", axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11, labelLimit: 400 }, title: { fontSize: 14, anchor: "start" } };
const envLine = (r) => `${r.environment.cpu}, ${r.environment.cores} cores, Node ${r.environment.node}; load avg ${r.loadAverage?.atStart?.loadavg?.[0] ?? r.loadAverage?.atStart?.[0] ?? "?"}; ${r.environment.date.slice(0, 10)}`;

async function render(name, spec) {
  const compiled = vl.compile({ $schema: "https://vega.github.io/schema/vega-lite/v6.json", config, background: "white", ...spec }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  writeFileSync(join(outDir, `${name}.svg`), svg);
  console.log(join(outDir, `${name}.svg`).slice(root.length + 1));
}
/** Bars on a log scale need an explicit domain (Vega cannot take the log of their zero baseline). */
const logDomain = (values) => {
  const finite = values.filter((v) => Number.isFinite(v) && v > 0);
  return [10 ** Math.floor(Math.log10(Math.min(...finite))), 10 ** Math.ceil(Math.log10(Math.max(...finite)))];
};
const short = (engine) =>
  engine
    .replace(" (default pack)", "")
    .replace("libddwaf run only, prebuilt payload (Datadog recommended)", "libddwaf native call only")
    .replace("libddwaf (Datadog recommended)", "libddwaf")
    .replace("RegExp loop (default pack rules)", "RegExp loop");

// 1. Per-request cost against the peers.
const peers = read("peers");
if (peers) {
  const rows = peers.workloads.flatMap((w) =>
    w.samples.map((s) => ({ workload: w.workload.replace(/ \(.*\)$/, ""), engine: short(s.name), wallUs: s.medianNs / 1000, cpuUs: s.cpuMeanNs / 1000, ratio: s.wallRatioVsWafer })),
  );
  const workloadOrder = [...new Set(rows.map((r) => r.workload))];
  await render("peers", {
    title: { text: "Per-request cost (median wall time, log scale; lower is better)", subtitle: envLine(peers) },
    data: { values: rows },
    mark: { type: "bar", tooltip: true },
    encoding: {
      row: { field: "workload", type: "nominal", sort: workloadOrder, header: { labelAngle: 0, labelAlign: "left", labelFontSize: 11 }, title: null },
      y: { field: "engine", type: "nominal", title: null, sort: null },
      x: { field: "wallUs", type: "quantitative", scale: { type: "log", domain: logDomain(rows.map((r) => r.wallUs)) }, title: "µs per request (wall, median of interleaved batches)" },
      // A bar on a log scale needs an explicit baseline (log 0 is undefined): the domain's minimum.
      x2: { datum: logDomain(rows.map((r) => r.wallUs))[0] },
      color: { field: "engine", type: "nominal", legend: null },
    },
    width: 420,
    height: { step: 14 },
  });
  // Each ratio pairs a peer with the wafer that runs the same rules (or, for libddwaf with its
  // own ruleset, wafer with its own).
  const pairs = [
    ["RegExp loop, same rules", "RegExp loop (default pack rules)", "wafer (default pack)"],
    ["libddwaf, its own rules", "libddwaf (Datadog recommended)", "wafer (default pack)"],
    ["libddwaf, same rules: Datadog's", "libddwaf (Datadog recommended, the rules wafer imported)", "wafer (Datadog recommended, imported)"],
    ["libddwaf, same rules: wafer's", "libddwaf (wafer default pack, exported)", "wafer (default pack, the rules libddwaf runs)"],
  ];
  const ratioRows = peers.workloads.flatMap((w) =>
    pairs.flatMap(([engine, peer, ours]) => {
      const p = w.samples.find((s) => s.name === peer);
      const o = w.samples.find((s) => s.name === ours);
      return p && o ? [{ workload: w.workload.replace(/ \(.*\)$/, ""), engine, ratio: p.medianNs / o.medianNs }] : [];
    }),
  );
  await render("peers-ratio", {
    title: { text: "How many times wafer is faster (peer ÷ wafer, median wall; > 1: wafer faster)", subtitle: "dashed: the ×10 (libddwaf) and ×100 (RegExp loop) targets, same rules. " + envLine(peers) },
    data: { values: ratioRows },
    layer: [
      {
        mark: { type: "bar", tooltip: true },
        encoding: {
          y: { field: "workload", type: "nominal", sort: workloadOrder, title: null },
          yOffset: { field: "engine", type: "nominal" },
          x: { field: "ratio", type: "quantitative", scale: { type: "log", domain: logDomain([...ratioRows.map((r) => r.ratio), 100]) }, title: "× (log scale)" },
          x2: { datum: logDomain([...ratioRows.map((r) => r.ratio), 100])[0] },
          color: { field: "engine", type: "nominal", title: "peer" },
        },
      },
      { data: { values: [{ x: 1 }, { x: 10 }, { x: 100 }] }, mark: { type: "rule", strokeDash: [4, 3], color: "#555" }, encoding: { x: { field: "x", type: "quantitative" } } },
    ],
    width: 520,
    height: { step: 40 },
  });
}

// 2. Cold start added per runtime.
const cold = read("coldstart");
if (cold) {
  const rows = Object.entries(cold.summary).flatMap(([name, s]) => [
    { variant: name, kind: "wall (median − empty)", ms: s.addedWallMs },
    { variant: name, kind: "CPU (mean − empty)", ms: s.addedCpuMs },
  ]).filter((r) => r.ms !== null && r.ms !== undefined);
  await render("coldstart", {
    title: { text: "Cold start added to an empty runtime (ms; lower is better)", subtitle: `dashed: the 5 ms target. ${envLine(cold)}` },
    data: { values: rows },
    layer: [
      {
        mark: { type: "bar", tooltip: true },
        encoding: {
          y: { field: "variant", type: "nominal", title: null },
          yOffset: { field: "kind", type: "nominal" },
          x: { field: "ms", type: "quantitative", title: "ms added" },
          color: { field: "kind", type: "nominal", title: null },
        },
      },
      { data: { values: [{ x: cold.targets.addedMsPerRuntime }] }, mark: { type: "rule", strokeDash: [4, 3], color: "#c00" }, encoding: { x: { field: "x", type: "quantitative" } } },
    ],
    width: 480,
    height: { step: 36 },
  });
  const sizeRows = cold.sizes.flatMap((s) => [
    { file: s.path, kind: "raw", kb: s.bytes / 1024 },
    { file: s.path, kind: "gzip", kb: s.gzipBytes / 1024 },
  ]);
  await render("sizes", {
    title: { text: "What ships (KB, raw and gzip -9)", subtitle: `targets: engine.wasm ≤ ${cold.targets.engineWasmBytes.toLocaleString("en")} bytes, default pack ≤ ${cold.targets.defaultPackBytes.toLocaleString("en")} bytes` },
    data: { values: sizeRows },
    mark: { type: "bar", tooltip: true },
    encoding: {
      y: { field: "file", type: "nominal", title: null, sort: null },
      yOffset: { field: "kind", type: "nominal" },
      x: { field: "kb", type: "quantitative", title: "KB" },
      color: { field: "kind", type: "nominal", title: null },
    },
    width: 480,
    height: { step: 30 },
  });
}

// 3. Scaling.
const scaling = read("scaling");
if (scaling) {
  const ruleRows = scaling.rules.points.flatMap((p) => [
    { workload: p.workload, rules: p.rules, engine: "wafer", us: p.wafer.medianNs / 1000 },
    { workload: p.workload, rules: p.rules, engine: "RegExp loop", us: p.regexpLoop.medianNs / 1000 },
  ]);
  await render("scaling-rules", {
    title: { text: "Cost vs number of rules (median wall µs per request, log–log)", subtitle: `generated signatures; ${envLine(scaling)}` },
    data: { values: ruleRows },
    mark: { type: "line", point: true, tooltip: true },
    encoding: {
      x: { field: "rules", type: "quantitative", scale: { type: "log" }, title: "rules" },
      y: { field: "us", type: "quantitative", scale: { type: "log" }, title: "µs per request" },
      color: { field: "engine", type: "nominal", title: null },
      strokeDash: { field: "workload", type: "nominal", title: null },
    },
    width: 480,
    height: 300,
  });
  const sizeRows = scaling.requestSize.points.map((p) => ({ body: p.body, bytes: p.bytes, mbps: p.mbPerSecCpu, us: p.sample.cpuMeanNs / 1000 }));
  await render("scaling-size", {
    title: { text: "Cost vs request body size (CPU time per request, log–log)", subtitle: `default pack, limits raised; ${envLine(scaling)}` },
    data: { values: sizeRows },
    mark: { type: "line", point: true, tooltip: true },
    encoding: {
      x: { field: "bytes", type: "quantitative", scale: { type: "log" }, title: "body bytes" },
      y: { field: "us", type: "quantitative", scale: { type: "log" }, title: "µs per request (CPU)" },
      color: { field: "body", type: "nominal", title: "body" },
    },
    width: 480,
    height: 300,
  });
  const tableRows = scaling.rateLimitTable.points.flatMap((p) => [
    { identities: p.identities, kind: "wall (median)", ns: p.nsPerDecisionWallMedian },
    { identities: p.identities, kind: "CPU (mean)", ns: p.nsPerDecisionCpuMean },
  ]);
  await render("scaling-ratelimit", {
    title: { text: "Rate-limit decision vs identities held (ns per decision)", subtitle: `uniform random identity (worst case for caches); ${envLine(scaling)}` },
    data: { values: tableRows },
    mark: { type: "line", point: true, tooltip: true },
    encoding: {
      x: { field: "identities", type: "quantitative", scale: { type: "log" }, title: "identities in the table" },
      y: { field: "ns", type: "quantitative", title: "ns per decision" },
      color: { field: "kind", type: "nominal", title: null },
    },
    width: 480,
    height: 300,
  });
}

// 3b. Rate limits (bench/ratelimit.ts, another engineer's benchmark: charted here, not re-measured).
const rl = read("ratelimit");
if (rl?.local) {
  await render("ratelimit", {
    title: { text: "Rate-limit decisions per second, one process (higher is better)", subtitle: `${rl.workload.identities} identities, ${rl.workload.distribution}, ${rl.workload.policy}; median of interleaved runs (wall). bench/ratelimit.ts, ${rl.date.slice(0, 10)}` },
    data: { values: rl.local.map((m) => ({ contender: m.name, perSec: m.decisionsPerSec })) },
    mark: { type: "bar", tooltip: true },
    encoding: {
      y: { field: "contender", type: "nominal", title: null, sort: "-x" },
      x: { field: "perSec", type: "quantitative", title: "decisions per second" },
      color: { field: "contender", type: "nominal", legend: null },
    },
    width: 480,
    height: { step: 24 },
  });
}

// 4. The headline tables, written between markers in bench/README.md (and to bench/charts/headline.md).
const fmtUs = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(1)} µs`);
const x = (v) => (v === undefined || !Number.isFinite(v) ? "—" : `${v >= 10 ? v.toFixed(0) : v.toFixed(1)}×`);
const md = [];
if (peers) {
  const get = (w, name) => w.samples.find((s) => s.name === name);
  md.push(
    `Per request — median wall time of interleaved batches, ratio = peer ÷ wafer (> 1: wafer faster; CPU-time ratios are in bench/results/peers.json). ${envLine(peers)}.`,
    "",
    "| workload | wafer, default pack (every field inspected) | wafer, verdict cache on (speed-up) | RegExp loop, same rules | libddwaf, its own rules | **same rules: Datadog's** (libddwaf ÷ wafer, both running the Datadog rules wafer imports) | **same rules: wafer's** (libddwaf ÷ wafer, both running the wafer rules libddwaf can express) |",
    "|---|---:|---:|---:|---:|---:|---:|",
  );
  for (const w of peers.workloads) {
    const wafer = get(w, "wafer (default pack)");
    const cached = get(w, "wafer (default pack, verdict cache on)");
    const loop = get(w, "RegExp loop (default pack rules)");
    const dd = get(w, "libddwaf (Datadog recommended)");
    const waferDd = get(w, "wafer (Datadog recommended, imported)");
    const ddImported = get(w, "libddwaf (Datadog recommended, the rules wafer imported)");
    const ddWafer = get(w, "libddwaf (wafer default pack, exported)");
    const waferExported = get(w, "wafer (default pack, the rules libddwaf runs)");
    const pair = (peer, ours) => (peer && ours ? `${x(peer.medianNs / ours.medianNs)} (${fmtUs(peer.medianNs)} vs ${fmtUs(ours.medianNs)})` : "pending");
    md.push(
      `| ${w.workload} | ${fmtUs(wafer.medianNs)} | ${cached ? `${fmtUs(cached.medianNs)} (${x(wafer.medianNs / cached.medianNs)})` : "—"} | ${x(loop?.wallRatioVsWafer)} | ${x(dd?.wallRatioVsWafer)} (${dd ? fmtUs(dd.medianNs) : "—"}) | ${pair(ddImported, waferDd)} | ${pair(ddWafer, waferExported)} |`,
    );
  }
  md.push("", "Every ratio uses wafer with its verdict cache off: each request inspected in full, like for like with engines that remember nothing between requests. With the cache on, a field name or browser-header value that fired no rule is skipped the third time it comes (assembly/verdict-cache.ts; query, body and cookie values are never cached): a workload that repeats one request shows its best case; the GET stream (browser headers repeat, pages partly, session cookies never) is what it meets in practice.");
  const sr = peers.sameRules ?? {};
  if (sr.waferWithDatadogRules?.rules !== undefined)
    md.push("", `Same rules: both engines run the ${sr.waferWithDatadogRules.rules} of Datadog's ${sr.waferWithDatadogRules.of} recommended rules that wafer imports (libddwaf loads ${sr.waferWithDatadogRules.libddwafRunsTheSameSubset?.loaded ?? "?"} of them; the others are not importable yet, each with its reason in importDdwaf's \`unsupported\` list), and the ${sr.ddwafWithWaferRules?.loaded ?? "?"} of wafer's ${sr.ddwafWithWaferRules?.ofParanoia1Rules ?? "?"} paranoia-1 rules that libddwaf's format can express (wafer runs ${sr.ddwafWithWaferRules?.waferRunsTheSameSubset?.rules ?? "?"}; the others are in exportDdwaf's \`unsupported\` list). Cells: ratio (libddwaf vs wafer). A converted rule is as close as the formats allow, not always identical (bench/results/peers.json \`sameRules\`).`);
}
if (cold) {
  md.push("", `Cold start — process level, interleaved with the same runtime doing nothing, ${cold.coldStarts.map((r) => r.runs).join("/")} runs (${cold.coldStarts.map((r) => r.runtime).join("/")}). ${envLine(cold)}.`, "", "| runtime + what | empty runtime (median wall) | with it (median wall) | added, wall (median − median) | added, CPU (mean − mean) | inside the child: import / create / first inspect |", "|---|---:|---:|---:|---:|---|");
  for (const r of cold.coldStarts) {
    const base = r.variants[0];
    for (const v of r.variants.slice(1)) {
      const p = v.phases ? `${v.phases.importMs} / ${v.phases.createMs} / ${v.phases.inspectMs} ms` : "—";
      md.push(`| ${v.name} | ${base.wall.medianMs} ms | ${v.wall.medianMs} ms | ${r.addedWallMs[v.name]} ms | ${r.addedCpuMs[v.name] ?? "—"} ms | ${p} |`);
    }
  }
  const s = (p) => cold.sizes.find((z) => z.path.endsWith(p));
  md.push("", `Sizes: engine.wasm ${s("engine.wasm").bytes.toLocaleString("en")} bytes (${(s("engine.wasm").gzipBytes / 1024).toFixed(1)} KiB gzip; target ≤ ${cold.targets.engineWasmBytes.toLocaleString("en")} bytes); default pack ${s("default.wpk").bytes.toLocaleString("en")} bytes (${(s("default.wpk").gzipBytes / 1024).toFixed(0)} KiB gzip; target ≤ ${cold.targets.defaultPackBytes.toLocaleString("en")} bytes). In-process: instantiate ${cold.inProcess.instantiate.medianMs} ms, instantiate + load the default pack ${cold.inProcess.newWaferWithDefaultPack.medianMs} ms (medians)${cold.inProcess.wasmMemoryBytes ? `; Wasm memory per engine ${(cold.inProcess.wasmMemoryBytes.afterCreate / 1048576).toFixed(1)} MB after create, ${(cold.inProcess.wasmMemoryBytes.afterA240KbBody / 1048576).toFixed(1)} MB once a long body has grown the transform buffers` : ""}.`);
}
if (scaling) {
  const r = scaling.rules.points.filter((p) => p.workload === "ordinary GET");
  const t = scaling.rateLimitTable.points;
  md.push("", `Scaling — ordinary GET, median wall, with ${r.map((p) => `${p.rules} rules: ${fmtUs(p.wafer.medianNs)} (${fmtUs(p.wafer.cpuMeanNs)} CPU)`).join(", ")} (RegExp loop: ${r.map((p) => fmtUs(p.regexpLoop.medianNs)).join(", ")}). Rate-limit decision, uniform identities: ${t.map((p) => `${p.identities.toExponential(0)}: ${p.nsPerDecisionCpuMean.toFixed(0)} ns CPU`).join(", ")}.`);
}
if (rl?.ratios) {
  const r = rl.ratios;
  md.push("", `Rate limits (bench/ratelimit.ts, ${rl.date.slice(0, 10)}): wafer's table decides ${x(r.tableVsRateLimiterFlexible)} as many requests per second as rate-limiter-flexible (memory) and ${x(r.tableVsLimiterTokenBucket)} as many as limiter's TokenBucket; through the full RateLimiter API ${x(r.fullApiVsRateLimiterFlexible)} and ${x(r.fullApiVsLimiterTokenBucket)}. Details: bench/results/ratelimit.json.`);
}
if (md.length > 0) {
  const block = md.join("\n");
  writeFileSync(join(outDir, "headline.md"), `${block}\n`);
  const readme = join(root, "bench/README.md");
  if (outDir === join(root, "bench/charts") && existsSync(readme)) {
    const text = readFileSync(readme, "utf8");
    const start = "<!-- headline:start (generated by npm run charts) -->";
    const end = "<!-- headline:end -->";
    const i = text.indexOf(start);
    const j = text.indexOf(end);
    if (i >= 0 && j > i) writeFileSync(readme, `${text.slice(0, i + start.length)}\n${block}\n${text.slice(j)}`);
  }
  console.log(join(outDir, "headline.md").slice(root.length + 1));
}
