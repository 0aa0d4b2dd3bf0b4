/**
 * Runs the real engine.wasm detectors on test inputs: bytes go to scratchPtr() after
 * configure(), as the host does. One instance per harness.
 */
import { instantiateEngine } from "../support/wasm";

export interface Verdict {
  /** 0 = quiet, else (context << 8) | rule. */
  code: number;
  /** Token pattern that fired ("" when quiet). */
  fingerprint: string;
  /** Work counter of the call (bytes and tokens visited). */
  work: number;
}

export interface DetectorHarness {
  sqli(input: string | Uint8Array): Verdict;
  xss(input: string | Uint8Array): Verdict;
  capacity: number;
  /** The instance's exports, for the detectors' test hooks (xssHtmlGate, …). */
  exports: Record<string, any>;
}

export function detectorHarness(): DetectorHarness {
  const { exports, memory } = instantiateEngine();
  const capacity = 1 << 20;
  if (exports.configure(capacity, 1024, capacity, 1024, 4096) !== 0) throw new Error("configure failed");
  const ptr: number = exports.scratchPtr();
  const encoder = new TextEncoder();
  const run = (fn: (p: number, n: number) => number, input: string | Uint8Array): Verdict => {
    const bytes = typeof input === "string" ? encoder.encode(input) : input;
    if (bytes.length > capacity) throw new Error("input larger than scratch");
    new Uint8Array(memory.buffer, ptr, bytes.length).set(bytes);
    const code = fn(ptr, bytes.length) >>> 0;
    const fpPtr: number = exports.detectorFingerprintPtr();
    const fpLen: number = exports.detectorFingerprintLen();
    const fingerprint = Buffer.from(new Uint8Array(memory.buffer, fpPtr, fpLen)).toString("latin1");
    return { code, fingerprint, work: exports.detectorWorkCount() >>> 0 };
  };
  return {
    sqli: (input) => run(exports.detectSqli, input),
    xss: (input) => run(exports.detectXss, input),
    capacity,
    exports,
  };
}
