/**
 * One engine build's detector laid out for an A/B (bench/detectors-ab.ts,
 * bench/detector-values.ts): its own instance with the input sets copied into scratch memory,
 * and a timing loop compiled for it alone (new Function): a call site shared by several Wasm
 * instances goes megamorphic and costs more than the detector itself.
 */
import { readFileSync } from "node:fs";

export type DetectorExport = "detectSqli" | "detectXss";

export interface DetectorBuild {
  detect: (p: number, n: number) => number;
  /** Per set: pointer, length, pointer, length, … */
  laid: number[][];
  /** Calls `detect` on every value of `offs`, `reps` times; returns a sink the caller keeps. */
  run: (detect: (p: number, n: number) => number, offs: number[], reps: number) => number;
}

export function layDetectorBuild(file: string, kind: DetectorExport, sets: Uint8Array[][]): DetectorBuild {
  const ex = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(file)), {}).exports as Record<string, any>;
  const cap = 1 << 20;
  ex.configure(cap, 16, cap, 16, 4096);
  let at = ex.scratchPtr() as number; // may grow memory: take the view after it
  const mem = new Uint8Array((ex.memory as WebAssembly.Memory).buffer);
  const laid = sets.map((values) => {
    const offs: number[] = [];
    for (const v of values) { mem.set(v, at); offs.push(at, v.length); at += v.length; }
    return offs;
  });
  const run = new Function("detect", "offs", "reps", `let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < offs.length; i += 2) sink ^= detect(offs[i], offs[i + 1]);
    return sink;`) as DetectorBuild["run"];
  return { detect: ex[kind] as DetectorBuild["detect"], laid, run };
}
