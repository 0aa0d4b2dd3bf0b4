/**
 * Route globs (src/path-pattern/glob.ts) beside the RegExp translation they replaced
 * (`**` → `.*`, `*` → `[^/]*`, anchored), in one run: per test on ordinary paths
 * (interleaved batches, wall and CPU), and once each on hostile paths, where the RegExp
 * backtracks (O(n^k) for k `**`) and the glob takes one step per character.
 *
 *   npm run bench:routes      # writes bench/results/route-patterns.json
 */
import { compileGlob } from "../src/path-pattern/glob.js";
import { environment, fmt, writeResult } from "./harness.js";
import { measureInterleaved } from "./interleave.js";

/** The translation route-policy.ts and route-match.ts used before the glob automaton. */
function backtrackingRegExp(glob: string): RegExp {
  let src = "^";
  for (let i = 0; i < glob.length; i++) {
    if (glob[i] === "*" && glob[i + 1] === "*") {
      src += ".*";
      i++;
    } else if (glob[i] === "*") src += "[^/]*";
    else src += glob[i]!.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`${src}$`);
}

const ordinary: [string, string][] = [
  ["/users/*/reset", "/users/42/reset"],
  ["/users/*/reset", "/products/shoes"],
  ["/static/**", "/static/css/site.css"],
  ["/api/**/files/**/download", "/api/v1/files/abc/download"],
  ["/api/**/files/**/download", "/api/v1/items/1"],
];

const typical = ordinary.map(([glob, path]) => {
  const g = compileGlob(glob);
  const rx = backtrackingRegExp(glob);
  if (g(path) !== rx.test(path)) throw new Error(`glob and RegExp disagree on ${glob} ${path}`);
  const [a, b] = measureInterleaved([
    { name: "glob", fn: () => g(path) },
    { name: "RegExp", fn: () => rx.test(path) },
  ], { rounds: 11, batchMs: 10 });
  console.log(`${glob.padEnd(28)} ${path.padEnd(28)} glob ${fmt(a!.medianNs).padStart(8)}   RegExp ${fmt(b!.medianNs).padStart(8)}`);
  return { glob, path, matches: g(path), glob_ns: { median: a!.medianNs, cpuMean: a!.cpuMeanNs }, regexp_ns: { median: b!.medianNs, cpuMean: b!.cpuMeanNs } };
});

/** One call, wall time in ms. */
function once(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

const hostile = [
  // No "/z" at the end: the glob refuses on its literal tail, the RegExp tries every split.
  { glob: "/a/**/**/**/z", path: (n: number) => `/a/${"b/".repeat(n)}y` },
  // The tail is there, "/c/" is not: the glob's automaton reads the whole path once.
  { glob: "/a/**/b/**/c/**/y", path: (n: number) => `/a/${"b/".repeat(n)}y` },
].flatMap(({ glob, path }) => [500, 1000, 2000].map((n) => {
  const p = path(n);
  const g = compileGlob(glob);
  const rx = backtrackingRegExp(glob);
  const agree = g(p) === rx.test(p);
  const row = { glob, pathChars: p.length, matches: g(p), agree, glob_ms: once(() => g(p)), regexp_ms: once(() => rx.test(p)) };
  console.log(`${glob.padEnd(28)} ${String(p.length).padStart(6)} chars   glob ${row.glob_ms.toFixed(3)} ms   RegExp ${row.regexp_ms.toFixed(1)} ms`);
  return row;
}));

const out = writeResult("route-patterns", {
  environment: environment(),
  note: "ordinary: median wall ns per test of interleaved batches (cpuMean: process CPU / calls); hostile: one call each, wall ms",
  typical,
  hostile,
});
console.log(`wrote ${out}`);
