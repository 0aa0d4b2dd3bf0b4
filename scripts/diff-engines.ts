/**
 * Differential check of two engine builds' decisions: the default pack and Datadog's
 * recommended ruleset (imported) at paranoia 1 and 4, monitor mode (every rule decides), over
 * the bench workloads and every request of the corpora (../shared/corpora, the project's
 * benign requests and examples; payload records placed in a query, a form, a JSON body, a
 * header and a long text body). Reports every request whose score or matches (rule, field)
 * differ. Used to show that a hot-path change keeps every decision.
 *
 *   npx esbuild scripts/diff-engines.ts --bundle --platform=node --format=esm --packages=external \
 *     --log-level=warning --outfile=build/.tools/diff-engines.mjs
 *   node build/.tools/diff-engines.mjs build/.tools/engine.base.wasm build/engine.wasm
 *
 * With two pack images after the engines (`… A.wasm B.wasm A.wpk B.wpk`), engine A runs the
 * first image and engine B the second instead: a compiler change is checked the same way,
 * with the same engine twice and the images the old and new compiler built.
 *
 * With two directories instead (two checkouts, each built: bench/tree-bundle.ts), each side
 * is its whole tree — JS side, engine and the packs its own compiler builds — so a change to
 * extraction, the arena writer or the compiler is checked end to end:
 *
 *   node build/.tools/diff-engines.mjs ../wafer-base .
 *
 * Compared: the score, every match (rule, field, snippet), the truncations, the parse errors
 * and the action. Exit status 1 when any decision differs. Run from the repository root. The
 * summary counts apart the differences in the order of the matches alone: a compiler change
 * that picks other literals reorders the prefilter's hits, and so which of two rules on one
 * field fires first, without changing what fires.
 */
import { readFileSync, statSync } from "node:fs";
import { Wafer } from "../src/engine/engine.js";
import { loadConfirmAutomata } from "../src/engine/confirm-registry.js";
import { compilePack } from "../src/pack/compile.js";
import { compilePackFrom } from "../src/pack/source-loader.js";
import { importDdwaf } from "../src/ddwaf/index.js";
import { parseRequestLine } from "../src/cli/request-line.js";
import type { PlainRequest } from "../src/request/types.js";
import { RECOMMENDED_RULES_PATH } from "../bench/peers/ddwaf.js";
import { attackRequest, heavyRequest, jsonBody, ordinaryGet, textBody } from "../bench/workloads.js";
import { loadTree } from "../bench/tree-bundle.js";
const root = `${process.cwd()}/`;
const [a, b, packA, packB] = process.argv.slice(2);
if (!a || !b || (packA !== undefined) !== (packB !== undefined)) {
  console.error("usage: node build/.tools/diff-engines.mjs OLD.wasm NEW.wasm [OLD.wpk NEW.wpk] | OLD_TREE NEW_TREE   (paths from the repository root)");
  process.exit(2);
}
const trees = statSync(root + a).isDirectory() && statSync(root + b).isDirectory()
  ? await Promise.all([loadTree(root + a), loadTree(root + b)])
  : undefined;
const treePacks = trees?.map((t) => t.packs(`${root}${RECOMMENDED_RULES_PATH}`));
/** Each entry: a name and the images engine A and engine B run. */
const packs: [string, Uint8Array, Uint8Array][] = treePacks
  ? (["core", "datadog"] as const).map((name) => [name, treePacks[0]![name], treePacks[1]![name]])
  : packA !== undefined && packB !== undefined
  ? [[`${packA} vs ${packB}`, readFileSync(root + packA), readFileSync(root + packB)]]
  : [
    ["core", compilePackFrom(`${root}signatures/core`, { builtAt: "1970-01-01T00:00:00.000Z" }).image],
    ["datadog", compilePack(importDdwaf(JSON.parse(readFileSync(`${root}${RECOMMENDED_RULES_PATH}`, "utf8"))).pack, { builtAt: "1970-01-01T00:00:00.000Z" }).image],
  ].map(([name, image]) => [name as string, image as Uint8Array, image as Uint8Array]);
/** A payload record's placements (as `wafer test` places them, plus a long text body). */
const place = (payload: string): PlainRequest[] => [
  { method: "GET", url: `/search?q=${encodeURIComponent(payload)}`, headers: [["host", "app.example"]] },
  { method: "POST", url: "/submit", headers: [["host", "a"], ["content-type", "application/x-www-form-urlencoded"]], body: `comment=${encodeURIComponent(payload)}` },
  { method: "POST", url: "/api", headers: [["host", "a"], ["content-type", "application/json"]], body: JSON.stringify({ data: { value: payload } }) },
  { method: "GET", url: "/", headers: [["host", "a"], ["x-custom", payload.replace(/[\x00-\x1f\x7f]/g, (c) => encodeURIComponent(c))]] },
  { method: "POST", url: "/t", headers: [["host", "a"], ["content-type", "text/plain"]], body: payload.repeat(Math.ceil(5000 / Math.max(1, payload.length))) },
];
const requests: PlainRequest[] = [ordinaryGet, heavyRequest, attackRequest, jsonBody(65536), textBody(1 << 20)];
for (const f of ["test/corpora/benign-requests.jsonl", "examples/requests.jsonl", "../shared/corpora/libinjection/samples.jsonl", "../shared/corpora/libinjection/false_positives.jsonl", "../shared/corpora/httpparams/train.jsonl", "../shared/corpora/payloads/patt.jsonl", "../shared/corpora/payloads/fuzzdb.jsonl", "../shared/corpora/crs/regression.jsonl"]) {
  for (const line of readFileSync(root + f, "utf8").split("\n")) {
    if (!line.trim()) continue;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof o.method === "string" && typeof o.uri === "string") {
      const p = parseRequestLine(JSON.stringify({ id: o.id ?? "x", ...o, headers: Array.isArray(o.headers) || typeof o.headers === "object" ? o.headers : undefined, body: typeof o.body === "string" ? o.body : null }));
      if (!("error" in p)) requests.push(p.request as PlainRequest);
    } else {
      const payload = typeof o.decoded === "string" ? o.decoded : typeof o.payload === "string" ? o.payload : undefined;
      if (payload !== undefined) requests.push(...place(payload));
    }
  }
}
console.log(requests.length, "requests");

/** What must not change: the score, every match, the truncations, the parse errors and the action. */
function decisionKey(wafer: Wafer, request: PlainRequest): string {
  const d = wafer.inspectSync(request);
  return JSON.stringify([d.score, d.matches, d.truncated, d.parseErrors, d.action]);
}

/** The key with the matches sorted: equal when two decisions differ only in the order rules fired. */
function unordered(key: string): string {
  const [score, matches, ...rest] = JSON.parse(key) as [number, unknown[], ...unknown[]];
  return JSON.stringify([score, matches.map((m) => JSON.stringify(m)).sort(), ...rest]);
}

// Regexes over the DFA budget are confirmed by the lazy DFA, whose code loads on demand.
await loadConfirmAutomata();
let diffs = 0;
/** Differences in the order of the matches only (same score, rules, fields and snippets). */
let reordered = 0;
for (const [name, imageA, imageB] of packs) for (const paranoia of [1, 4] as const) {
  const options = { mode: "monitor", paranoia } as const;
  const wa = trees ? trees[0]!.wafer(imageA, options) : new Wafer(new WebAssembly.Module(readFileSync(root + a)), imageA, options);
  const wb = trees ? trees[1]!.wafer(imageB, options) : new Wafer(new WebAssembly.Module(readFileSync(root + b)), imageB, options);
  let n = 0;
  for (const r of requests) {
    const ka = decisionKey(wa, r);
    const kb = decisionKey(wb, r);
    if (ka !== kb && unordered(ka) === unordered(kb)) reordered++;
    if (ka !== kb && diffs++ < 10) console.log("DIFF", name, paranoia, JSON.stringify(r).slice(0, 200), "\n  ", ka.slice(0, 300), "\n  ", kb.slice(0, 300));
    n++;
  }
  console.log(name, "paranoia", paranoia, n, "compared");
}
console.log(diffs, "differences", `(${reordered} of them only in the order of the matches)`);
process.exit(diffs ? 1 : 0);
