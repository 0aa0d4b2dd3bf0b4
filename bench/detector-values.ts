/**
 * Side-by-side A/B of two (or more) engine builds' detectSqli (or detectXss with
 * AB_DETECTOR=xss) on single named values: the kinds of value that dominate the GET and
 * heavy requests (a User-Agent, a Referer, a filler form value, a filler cookie) and prose
 * with quotes. CPU ns per call, minimum over interleaved rounds. A developer tool for
 * finding which kind of value a detector change helps; it prints and writes no results file.
 *
 *   npx esbuild bench/detector-values.ts --bundle --platform=node --format=esm --packages=external \
 *     --log-level=warning --outfile=build/.tools/detector-values.mjs && node build/.tools/detector-values.mjs A.wasm B.wasm
 *
 * Extra values may follow the wasm files as `--value TEXT`.
 */
import { layDetectorBuild } from "./detector-build.js";
import { heavyRequest, ordinaryGet } from "./workloads.js";

const args = process.argv.slice(2);
const files: string[] = [];
const extra: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--value") extra.push(args[++i]!);
  else files.push(args[i]!);
}
if (files.length === 0) {
  console.error("usage: node build/.tools/detector-values.mjs A.wasm [B.wasm …] [--value TEXT …]");
  process.exit(2);
}
const kind = process.env.AB_DETECTOR === "xss" ? "detectXss" as const : "detectSqli" as const;
const enc = new TextEncoder();

const header = (name: string) => (ordinaryGet.headers as [string, string][]).find(([n]) => n === name)![1];
const heavyArg = decodeURIComponent(heavyRequest.url.split("?")[1]!.split("&")[0]!.split("=")[1]!);
const heavyCookie = (heavyRequest.headers as [string, string][]).find(([n]) => n === "cookie")![1].split("; ")[0]!.split("=")[1]!;
const heavyHeader = (heavyRequest.headers as [string, string][]).find(([n]) => n === "x-custom-0")![1];
const values: [string, string][] = [
  ["user-agent", header("user-agent")],
  ["referer", header("referer")],
  ["accept", header("accept")],
  ["heavy arg", heavyArg],
  ["heavy cookie", heavyCookie],
  ["heavy header", heavyHeader],
  ["O'Brien", `O'Brien said "hello"`],
  ["don't", "don't stop me now, it's fine"],
  ["5'10\"", `5'10" tall`],
  ...extra.map((v, i): [string, string] => [`extra ${i}`, v]),
];

const builds = files.map((f) => layDetectorBuild(f, kind, values.map(([, v]) => [enc.encode(v)])));
values.forEach(([name], i) => {
  const r = builds.map((b) => b.detect(b.laid[i]![0]!, b.laid[i]![1]!));
  if (r.some((x) => x !== r[0])) console.log(`WARNING: results differ on ${name}`);
});
const best = values.map(() => files.map(() => Infinity));
let sink = 0;
const reps = 20000;
for (let round = 0; round < 25; round++) {
  values.forEach((_, i) => {
    builds.forEach((b, w) => {
      const t0 = process.cpuUsage();
      sink ^= b.run(b.detect, b.laid[i]!, reps);
      const t = process.cpuUsage(t0);
      best[i]![w] = Math.min(best[i]![w]!, ((t.user + t.system) * 1000) / reps);
    });
  });
}
if (sink === 0.5) console.log(sink);
values.forEach(([name, v], i) => {
  console.log(`${kind} ${name.padEnd(13)} (${String(enc.encode(v).length).padStart(3)} B)`, files.map((f, w) => `${f.split("/").pop()}: ${best[i]![w]!.toFixed(1)} ns`).join("   "));
});
