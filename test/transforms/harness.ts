/**
 * Runs transforms in a real engine.wasm instance: the input is staged in the request arena,
 * the output lands in scratch A (scratch B is the chain's second buffer).
 */
import { instantiateEngine } from "../support/wasm";
import { Transform, type TransformName } from "../../src/engine/abi";

export const CANARY = 0xa5;
const encoder = new TextEncoder();

export type Input = string | Uint8Array;
export type TransformRef = TransformName | number;

export function bytesOf(input: Input): Uint8Array {
  return typeof input === "string" ? encoder.encode(input) : input;
}

/** Latin-1 view of bytes: one char per byte, so tables can spell any byte sequence. */
export function latin1(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/** Bytes from a Latin-1 string (each char code is one byte). */
export function rawBytes(s: string): Uint8Array {
  return Uint8Array.from(s, (ch) => ch.charCodeAt(0));
}

export function idOf(t: TransformRef): number {
  return typeof t === "number" ? t : Transform[t];
}

export interface Transformer {
  /** Output bytes of one transform; cap defaults to the scratch size. */
  run(t: TransformRef, input: Input, cap?: number): Uint8Array;
  /** Like run, and reports whether the 32 bytes after dst+cap were left untouched. */
  runGuarded(t: TransformRef, input: Input, cap: number): { out: Uint8Array; canaryIntact: boolean };
  chain(ts: readonly TransformRef[], input: Input, cap?: number): Uint8Array;
  /**
   * Runs with the input flush against the end of linear memory: any read past src+len
   * traps (WebAssembly.RuntimeError), so this proves a transform never reads beyond its input.
   */
  runAtMemoryEnd(t: TransformRef, input: Input): Uint8Array;
  /** Documented output bound (before cap). */
  bound(t: TransformRef, len: number): number;
  readonly scratchBytes: number;
}

export function createTransformer(scratchBytes = 1 << 20): Transformer {
  const engine = instantiateEngine();
  const ex = engine.exports;
  if (ex.configure(scratchBytes, 1024, scratchBytes, 1024, 4096) !== 0) throw new Error("configure failed");
  const arena = ex.arenaPtr() as number;
  const bufA = ex.scratchPtr() as number;
  const bufB = ex.scratch2Ptr() as number;
  // The chain ids live in the result block (unused by transforms).
  const chainAt = ex.resultPtr() as number;

  const stage = (input: Input): number => {
    const bytes = bytesOf(input);
    if (bytes.length > scratchBytes) throw new Error("input larger than the arena");
    engine.bytes().set(bytes, arena);
    return bytes.length;
  };

  return {
    scratchBytes,
    run(t, input, cap = scratchBytes) {
      const len = stage(input);
      const n = ex.transform(idOf(t), arena, len, bufA, cap) >>> 0;
      return engine.bytes().slice(bufA, bufA + n);
    },
    runGuarded(t, input, cap) {
      const len = stage(input);
      const mem = engine.bytes();
      mem.fill(CANARY, bufA + cap, bufA + cap + 32);
      const n = ex.transform(idOf(t), arena, len, bufA, cap) >>> 0;
      const after = engine.bytes();
      let canaryIntact = n <= cap;
      for (let k = 0; k < 32; k++) if (after[bufA + cap + k] !== CANARY) canaryIntact = false;
      return { out: after.slice(bufA, bufA + n), canaryIntact };
    },
    chain(ts, input, cap = scratchBytes) {
      const len = stage(input);
      const ids = ts.map(idOf);
      engine.bytes().set(ids, chainAt);
      const n = ex.transformChain(chainAt, ids.length, arena, len, bufA, bufB, cap) >>> 0;
      return engine.bytes().slice(bufA, bufA + n);
    },
    runAtMemoryEnd(t, input) {
      const bytes = bytesOf(input);
      const mem = engine.bytes();
      const src = mem.length - bytes.length;
      if (src < bufB + scratchBytes + 16) throw new Error("no free memory after the scratch buffers");
      mem.set(bytes, src);
      const n = ex.transform(idOf(t), src, bytes.length, bufA, scratchBytes) >>> 0;
      return engine.bytes().slice(bufA, bufA + n);
    },
    bound(t, len) {
      return ex.transformMaxOutput(idOf(t), len) >>> 0;
    },
  };
}
