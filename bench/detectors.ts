/**
 * Detector throughput: MB/s (10^6 input bytes per second) of detectSqli and detectXss.
 *
 *  - benign values: short form/query values (names with apostrophes, prose with SQL words,
 *    emails, URLs, numbers), one Wasm call per value, as the engine calls them per field;
 *  - benign text: one 64 KiB block of prose with `<`, quotes and SQL/HTML words, one call;
 *  - attack-dense values: short SQLi and XSS payloads (every call fires, so this is the
 *    cost of deciding and writing the fingerprint), one call per value.
 * The inputs are synthetic, written here, generated from a fixed seed.
 *
 *   npx esbuild bench/detectors.ts --bundle --platform=node --format=esm --outfile=/tmp/bd.mjs && node /tmp/bd.mjs
 *
 * Run from the repository root (reads build/engine.wasm; run `node scripts/build-wasm.mjs`
 * first). Writes bench/results/detectors.json. There is no in-process peer: libinjection
 * has no maintained npm build, so the figures stand alone.
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { loadavg } from "node:os";
import { environment } from "./harness.js";
import { join } from "node:path";

const root = process.cwd();
const ex = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(join(root, "build", "engine.wasm"))), {})
  .exports as Record<string, any>;
const CAP = 1 << 20;
ex.configure(CAP, 16, CAP, 16, 4096);
const ptr = ex.scratchPtr() as number;
const mem = () => new Uint8Array((ex.memory as WebAssembly.Memory).buffer);
const enc = new TextEncoder();

let seed = 0x2545f491;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / (1 << 24);
const pick = <T>(xs: T[]): T => xs[(rand() * xs.length) | 0]!;

const words = [
  "select", "the", "plan", "union", "station", "order", "by", "phone", "O'Brien", "don't", "it's", "and", "or",
  "from", "where", "table", "drop", "me", "a", "line", "price", "$10", "5'10\"", "a < b", "<3", "<b>ok</b>",
  "javascript", "alert", "the", "team", "on", "load", "user@example.com", "2024-01-15", "100%", "#1", "C#",
  "Tom & Jerry", "https://example.com/a?b=c&d=e", "(see above)", "x = y + 1", "L'Oréal",
];
function benignValue(): string {
  const n = 1 + ((rand() * 8) | 0);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(pick(words));
  return parts.join(" ");
}
function benignText(size: number): string {
  let s = "";
  // Lines of ~80 bytes, as in a multi-line text field (a '#' or '--' comment ends at the newline).
  while (s.length < size) s += pick(words) + (rand() < 0.1 ? ". " : rand() < 0.1 ? "\n" : " ");
  return s.slice(0, size);
}
const sqliAttacks = [
  "' or 1=1--", "-1 UNION SELECT 1,2,version()--", "1; DROP TABLE users", "1 AND SLEEP(5)", "admin'--",
  "1' AND extractvalue(1,concat(0x7e,user()))#", "1 ORDER BY 3--", "'; exec xp_cmdshell 'dir'--",
  "1) and (select count(*) from information_schema.tables)>0--", "x' || pg_sleep(5) || '",
];
const xssAttacks = [
  "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\" onmouseover=\"alert(1)",
  "<a href=\"&#x6A;avascript:alert(1)\">x</a>", "<svg/onload=alert(1)>", "<div style=\"x:expression(alert(1))\">",
  "'><iframe src=//evil.example>", "<a href=\"java\tscript:alert(1)\">", "\";alert(1)//", "<body onload=x()>",
];

const benignValues = Array.from({ length: 4096 }, () => enc.encode(benignValue()));
const benignBlock = enc.encode(benignText(64 * 1024));
const attackValues = Array.from({ length: 4096 }, (_, i) => enc.encode(i % 2 ? pick(sqliAttacks) : pick(xssAttacks)));

type Detect = (p: number, n: number) => number;

/**
 * Best of `rounds` rounds of at least `minMs` each, over many calls on `values`. Reports
 * wall-clock MB/s and CPU-time MB/s (process user+system time): on a shared, loaded
 * machine the CPU figure is the one that reflects the code.
 */
function measure(detect: Detect, values: Uint8Array[], rounds = 9, minMs = 100): { mbps: number; cpuMbps: number; nsPerCall: number } {
  // Lay the values out once in scratch memory; calls then only pass offsets.
  const offsets: number[] = [];
  let at = 0;
  for (const v of values) {
    mem().set(v, ptr + at);
    offsets.push(at);
    at += v.length;
  }
  const total = values.reduce((n, v) => n + v.length, 0);
  let bestWall = Infinity;
  let bestCpu = Infinity;
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    let iterations = 0;
    const start = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    let elapsed = 0;
    do {
      for (let i = 0; i < values.length; i++) sink ^= detect(ptr + offsets[i]!, values[i]!.length);
      iterations++;
      elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    } while (elapsed < minMs);
    const cpu = process.cpuUsage(cpu0);
    bestWall = Math.min(bestWall, elapsed / iterations);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1e3 / iterations);
  }
  if (sink === 0.5) console.log(sink);
  return {
    mbps: Math.round(total / 1e6 / (bestWall / 1e3)),
    cpuMbps: Math.round(total / 1e6 / (bestCpu / 1e3)),
    nsPerCall: Math.round((bestCpu * 1e6) / values.length),
  };
}

const firing = (detect: Detect, values: Uint8Array[]) => {
  let n = 0;
  for (const v of values) {
    mem().set(v, ptr);
    if (detect(ptr, v.length) !== 0) n++;
  }
  return n / values.length;
};

const results = [];
for (const [name, detect] of [["detectSqli", ex.detectSqli], ["detectXss", ex.detectXss]] as Array<[string, Detect]>) {
  const benignV = measure(detect, benignValues);
  const block = measure(detect, [benignBlock]);
  const attacks = measure(detect, attackValues);
  results.push({
    detector: name,
    benignValuesMBps: benignV.mbps,
    benignValuesCpuMBps: benignV.cpuMbps,
    benignValuesCpuNsPerCall: benignV.nsPerCall,
    benignTextMBps: block.mbps,
    benignTextCpuMBps: block.cpuMbps,
    attackValuesMBps: attacks.mbps,
    attackValuesCpuMBps: attacks.cpuMbps,
    attackValuesCpuNsPerCall: attacks.nsPerCall,
    firedOnBenignValues: firing(detect, benignValues),
    firedOnAttackValues: firing(detect, attackValues),
  });
}

const avg = (xs: Uint8Array[]) => Math.round(xs.reduce((n, v) => n + v.length, 0) / xs.length);
const report = {
  benchmark: "detectors",
  unit: "MB/s (10^6 input bytes per second), best of 9 rounds of >= 100 ms; *MBps = wall clock, *CpuMBps = per second of process CPU time",
  // The machine is shared: figures taken under load are lower bounds.
  environment: { ...environment(), loadAverage1m: Math.round(loadavg()[0]! * 100) / 100 },
  inputs: {
    benignValues: `${benignValues.length} synthetic values, ${avg(benignValues)} bytes on average, one call each`,
    benignText: `one ${benignBlock.length}-byte block of synthetic prose in lines of ~80 bytes, one call`,
    attackValues: `${attackValues.length} SQLi/XSS payloads (half each), ${avg(attackValues)} bytes on average, one call each; both detectors see both halves`,
  },
  peer: null,
  results,
};
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(join(root, "bench", "results", "detectors.json"), JSON.stringify(report, null, 2) + "\n");
console.table(results);
console.log("wrote bench/results/detectors.json");
