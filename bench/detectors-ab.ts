/**
 * Side-by-side A/B of two (or more) engine builds' detectXss (or detectSqli with
 * AB_DETECTOR=sqli): the same inputs on each build in one process, rounds interleaved, CPU
 * ns per call (minimum over rounds, so every build sees the same machine load). A developer
 * tool for judging one detector change; it prints and writes no results file.
 *
 *   npx esbuild bench/detectors-ab.ts --bundle --platform=node --format=esm --packages=external \
 *     --log-level=warning --outfile=build/.tools/detectors-ab.mjs && node build/.tools/detectors-ab.mjs A.wasm B.wasm
 *
 * Input sets: the benign values and attack payloads of bench/detectors.ts (same generator and
 * seed), the field values of the ordinary GET (header values, query values and names) and the
 * values of the heavy request (as the engine sees them after URL decoding).
 */
import { layDetectorBuild } from "./detector-build.js";
import { heavyRequest, ordinaryGet } from "./workloads.js";
import { benignInputs, sqliAttacks, xssAttacks } from "./detector-inputs.js";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node build/.tools/detectors-ab.mjs A.wasm [B.wasm …]");
  process.exit(2);
}
const kind = process.env.AB_DETECTOR === "sqli" ? "detectSqli" as const : "detectXss" as const;
const enc = new TextEncoder();

const inputs = benignInputs();
function fields(req: { url: string; headers: [string, string][]; body: string | null }): string[] {
  const out: string[] = [];
  for (const [name, value] of req.headers) {
    if (name === "cookie") for (const c of value.split("; ")) { const [k, v] = c.split("="); out.push(k!, v ?? ""); }
    else out.push(value);
  }
  const q = req.url.split("?")[1];
  const form = [q, req.body].filter(Boolean).join("&");
  for (const kv of form.split("&").filter(Boolean)) {
    const [k, v] = kv.split("=");
    out.push(decodeURIComponent(k!), decodeURIComponent(v ?? ""));
  }
  return out;
}
const sets: [string, Uint8Array[]][] = [
  ["benign", Array.from({ length: 4096 }, () => enc.encode(inputs.value()))],
  ["get", fields(ordinaryGet as any).map((s) => enc.encode(s))],
  ["heavy", fields(heavyRequest as any).map((s) => enc.encode(s))],
  ["attack", Array.from({ length: 1024 }, (_, i) => enc.encode(i % 2 ? inputs.pick(sqliAttacks) : inputs.pick(xssAttacks)))],
];

const builds = files.map((f) => layDetectorBuild(f, kind, sets.map(([, values]) => values)));
// Every build gives the same results (a quick sanity check; scripts/diff-detectors.ts is the real one).
sets.forEach((_, s) => {
  const r = builds.map((b) => { let x = 0; for (let i = 0; i < b.laid[s]!.length; i += 2) x = (x * 31 + b.detect(b.laid[s]![i]!, b.laid[s]![i + 1]!)) | 0; return x; });
  if (r.some((x) => x !== r[0])) console.log(`WARNING: results differ on set ${sets[s]![0]}`);
});
const best = sets.map(() => files.map(() => Infinity));
let sink = 0;
for (let round = 0; round < 30; round++) {
  sets.forEach((_, s) => {
    builds.forEach((b, w) => {
      const offs = b.laid[s]!;
      const calls = offs.length / 2;
      const reps = Math.max(1, Math.ceil(200000 / calls / 4));
      const t0 = process.cpuUsage();
      sink ^= b.run(b.detect, offs, reps);
      const t = process.cpuUsage(t0);
      best[s]![w] = Math.min(best[s]![w]!, ((t.user + t.system) * 1000) / (reps * calls));
    });
  });
}
if (sink === 0.5) console.log(sink);
sets.forEach(([name, values], s) => {
  const avg = Math.round(values.reduce((n, v) => n + v.length, 0) / values.length);
  console.log(`${kind} ${name.padEnd(7)} (${values.length} values, ${avg} B avg)`, files.map((f, w) => `${f.split("/").pop()}: ${best[s]![w]!.toFixed(1)} ns`).join("   "));
});
