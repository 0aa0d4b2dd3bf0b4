/**
 * Shared benchmark plumbing: sampling in batches (median, p99, mean per call), the machine
 * description written next to every result, and result files under bench/results/.
 */
import { writeFileSync, mkdirSync } from "node:fs";
import { cpus, totalmem } from "node:os";

export interface Sample {
  name: string;
  medianNs: number;
  p99Ns: number;
  meanNs: number;
  opsPerSec: number;
  samples: number;
}

/**
 * Times `fn` in batches sized to take ~2 ms each, after a warm-up long enough for V8 to
 * tier up both JS and Wasm. Per-call time of each batch is one sample.
 */
export function measure(name: string, fn: () => unknown, { seconds = 1.5, warmupSeconds = 0.5 } = {}): Sample {
  const until = (s: number) => performance.now() + s * 1000;
  let end = until(warmupSeconds);
  let calls = 0;
  while (performance.now() < end) {
    fn();
    calls++;
  }
  const perCallMs = (warmupSeconds * 1000) / Math.max(calls, 1);
  const batch = Math.max(1, Math.round(2 / perCallMs));
  const perCall: number[] = [];
  end = until(seconds);
  while (performance.now() < end) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    perCall.push(Number(process.hrtime.bigint() - t0) / batch);
  }
  perCall.sort((a, b) => a - b);
  const mean = perCall.reduce((a, b) => a + b, 0) / perCall.length;
  const at = (q: number) => perCall[Math.min(perCall.length - 1, Math.floor(q * perCall.length))]!;
  return { name, medianNs: at(0.5), p99Ns: at(0.99), meanNs: mean, opsPerSec: 1e9 / at(0.5), samples: perCall.length };
}

export function environment(): Record<string, unknown> {
  return {
    node: process.version,
    v8: process.versions.v8,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
  };
}

export function writeResult(name: string, data: object): string {
  const dir = `${process.cwd()}/bench/results/`;
  mkdirSync(dir, { recursive: true });
  const path = `${dir}${name}.json`;
  writeFileSync(path, `${JSON.stringify({ environment: environment(), ...data }, null, 2)}\n`);
  return path;
}

export const fmt = (ns: number) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
