/**
 * Interleaved measurement for a shared, loaded machine: every contender runs one batch per
 * round, in turn (A B C A B C …), so load from other processes falls on all of them alike,
 * and the ratio between two contenders stays meaningful even when absolute times drift.
 *
 * Each result carries wall time (performance.now) AND process CPU time
 * (process.cpuUsage: user + system of this process, all threads) per call; CPU time is the
 * more robust of the two when the machine is oversubscribed (a descheduled process accrues
 * wall time but no CPU time).
 */
import { loadavg } from "node:os";

export interface Contender {
  name: string;
  /** One call = one request (or one unit of work the result is quoted per). */
  fn: () => unknown;
}

export interface InterleavedResult {
  name: string;
  /** Wall time: median over batches of (batch time / calls). */
  medianNs: number;
  /** Wall time: 99th percentile of individually timed calls (timer overhead included, ~40 ns). */
  p99Ns: number;
  /** Wall time: total batch time / total calls. */
  meanNs: number;
  /** CPU time (user + system, this process) / total calls. */
  cpuMeanNs: number;
  /** 1e9 / meanNs (wall). */
  opsPerSec: number;
  calls: number;
  batches: number;
}

export interface InterleaveOptions {
  /** Rounds of A B C …; each round runs one batch of every contender. */
  rounds?: number;
  /** Target wall time of one batch. */
  batchMs?: number;
  /** Warm-up per contender before the first round (JIT tier-up, Wasm tier-up). */
  warmupMs?: number;
  /** Individually timed calls per round and contender, for p99. */
  timedCallsPerRound?: number;
}

export function measureInterleaved(contenders: readonly Contender[], options: InterleaveOptions = {}): InterleavedResult[] {
  const { rounds = 15, batchMs = 20, warmupMs = 150, timedCallsPerRound = 40 } = options;
  // Warm-up, and size each batch from the warm-up rate.
  const batchSize = contenders.map((c) => {
    const end = performance.now() + warmupMs;
    let calls = 0;
    const t0 = performance.now();
    do {
      c.fn();
      calls++;
    } while (performance.now() < end);
    const perCall = (performance.now() - t0) / calls;
    return Math.max(1, Math.round(batchMs / perCall));
  });
  const perBatch = contenders.map(() => [] as number[]);
  const timed = contenders.map(() => [] as number[]);
  const wallNs = contenders.map(() => 0);
  const cpuNs = contenders.map(() => 0);
  const calls = contenders.map(() => 0);
  for (let r = 0; r < rounds; r++) {
    // Rotate the starting contender each round so none always runs first after a pause.
    for (let k = 0; k < contenders.length; k++) {
      const i = (k + r) % contenders.length;
      const { fn } = contenders[i]!;
      const n = batchSize[i]!;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      for (let j = 0; j < n; j++) fn();
      const t1 = performance.now();
      const cpu = process.cpuUsage(cpu0);
      const ns = (t1 - t0) * 1e6;
      perBatch[i]!.push(ns / n);
      wallNs[i]! += ns;
      cpuNs[i]! += (cpu.user + cpu.system) * 1e3;
      calls[i]! += n;
      const m = Math.min(timedCallsPerRound, n);
      for (let j = 0; j < m; j++) {
        const a = performance.now();
        fn();
        timed[i]!.push((performance.now() - a) * 1e6);
      }
    }
  }
  return contenders.map((c, i) => {
    const mean = wallNs[i]! / calls[i]!;
    return {
      name: c.name,
      medianNs: quantile(perBatch[i]!, 0.5),
      p99Ns: quantile(timed[i]!, 0.99),
      meanNs: mean,
      cpuMeanNs: cpuNs[i]! / calls[i]!,
      opsPerSec: 1e9 / mean,
      calls: calls[i]!,
      batches: perBatch[i]!.length,
    };
  });
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Load average and process CPU counters, recorded beside every result. */
export function loadSnapshot(): { loadavg: number[]; processCpuMs: number; at: string } {
  const c = process.cpuUsage();
  return { loadavg: loadavg().map((x) => Math.round(x * 100) / 100), processCpuMs: (c.user + c.system) / 1000, at: new Date().toISOString() };
}

export const TIME_KINDS = {
  medianNs: "wall time: median over interleaved batches of per-call time",
  p99Ns: "wall time: 99th percentile of individually timed calls (includes ~40 ns timer overhead)",
  meanNs: "wall time: total / calls",
  cpuMeanNs: "CPU time (process.cpuUsage user+system, this process) / calls",
  opsPerSec: "wall time: 1e9 / meanNs",
} as const;
