/**
 * Detector throughput: MB/s (10^6 input bytes per second) of detectSqli and detectXss.
 *
 *  - benign values: short form/query values (names with apostrophes, prose with SQL words,
 *    emails, URLs, numbers), one Wasm call per value, as the engine calls them per field;
 *  - benign text: one 64 KiB block of prose with `<`, quotes and SQL/HTML words, one call;
 *  - attack-dense values: short SQLi and XSS payloads (every call fires, so this is the
 *    cost of deciding and writing the fingerprint), one call per value.
 * The inputs are synthetic (bench/detector-inputs.ts), generated from a fixed seed.
 *
 *   npx esbuild bench/detectors.ts --bundle --platform=node --format=esm --outfile=/tmp/bd.mjs && node /tmp/bd.mjs
 *
 * Run from the repository root (reads build/engine-testing.wasm, engine.wasm with the entry
 * points it calls; run `node scripts/build-wasm.mjs` first). Writes bench/results/detectors.json. There is no in-process peer: libinjection
 * has no maintained npm build, so the figures stand alone.
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { loadavg } from "node:os";
import { environment } from "./harness.js";
import { join } from "node:path";
import { benignInputs, sqliAttacks, xssAttacks } from "./detector-inputs.js";

const root = process.cwd();
const ex = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(join(root, "build", "engine-testing.wasm"))), {})
  .exports as Record<string, any>;
const CAP = 1 << 20;
ex.configure(CAP, 16, CAP, 16, 4096);
const ptr = ex.scratchPtr() as number;
const mem = () => new Uint8Array((ex.memory as WebAssembly.Memory).buffer);
const enc = new TextEncoder();

const inputs = benignInputs();

const benignValues = Array.from({ length: 4096 }, () => enc.encode(inputs.value()));
const benignBlock = enc.encode(inputs.text(64 * 1024));
const attackValues = Array.from({ length: 4096 }, (_, i) => enc.encode(i % 2 ? inputs.pick(sqliAttacks) : inputs.pick(xssAttacks)));

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
