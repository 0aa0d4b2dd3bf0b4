/**
 * Typed access to the rate-limit exports of engine.wasm (assembly/ratelimit/exports.ts).
 * Views over linear memory are re-created when another part of the module grows memory
 * (growth detaches the old buffer, so a view of length 0 means "stale").
 */

export interface RateLimitExports {
  rlConfigure(capacity: number): number;
  rlCapacity(): number;
  rlTableBytes(): number;
  rlReservedBytes(): number;
  rlResultPtr(): number;
  rlBatchPtr(): number;
  rlBatchResultPtr(): number;
  rlMaxBatch(): number;
  rlClear(): void;
  rlOccupied(): number;
  rlCheck(keyLo: number, keyHi: number, algo: number, limit: number, periodMs: number, cost: number, nowMs: number, flags: number): number;
  rlCheckBatch(count: number, nowMs: number, flags: number): number;
  rlMerge(keyLo: number, keyHi: number, algo: number, periodMs: number, t: number, cur: number, prev: number): void;
  rlRead(keyLo: number, keyHi: number): number;
}

export const CHECK_DENIED = 0;
export const CHECK_ALLOWED = 1;
export const CHECK_INVALID = 2;
export const FLAG_PEEK = 1;
export const FLAG_DRY_RUN = 2;
export const BATCH_REQ_BYTES = 48;
export const BATCH_RES_BYTES = 32;
export const BATCH_INVALID = 0xffff;

export class WasmTable {
  readonly exports: RateLimitExports;
  readonly memory: WebAssembly.Memory;
  /** Bytes reserved by rlConfigure (table + I/O areas). */
  readonly reservedBytes: number;
  readonly capacity: number;
  private f64: Float64Array;
  private u32: Uint32Array;
  /** Index (in f64 units) of the result area: remaining, reset, retry-after. */
  readonly resultIndex: number;
  readonly batchPtr: number;
  readonly batchResultPtr: number;
  readonly maxBatch: number;

  constructor(exports: Record<string, unknown>, memory: WebAssembly.Memory, capacity: number) {
    const e = exports as unknown as RateLimitExports;
    if (typeof e.rlConfigure !== "function" || typeof e.rlCheck !== "function") {
      throw new TypeError("RateLimiter: the Wasm exports lack rlConfigure/rlCheck (engine.wasm too old?)");
    }
    this.exports = e;
    this.memory = memory;
    this.reservedBytes = e.rlConfigure(capacity >>> 0);
    this.capacity = e.rlCapacity();
    this.resultIndex = e.rlResultPtr() >>> 3;
    this.batchPtr = e.rlBatchPtr();
    this.batchResultPtr = e.rlBatchResultPtr();
    this.maxBatch = e.rlMaxBatch();
    this.f64 = new Float64Array(memory.buffer);
    this.u32 = new Uint32Array(memory.buffer);
  }

  /** The f64 view, refreshed if memory grew since. */
  f64View(): Float64Array {
    if (this.f64.length === 0) this.refresh();
    return this.f64;
  }

  u32View(): Uint32Array {
    if (this.u32.length === 0) this.refresh();
    return this.u32;
  }

  private refresh(): void {
    this.f64 = new Float64Array(this.memory.buffer);
    this.u32 = new Uint32Array(this.memory.buffer);
  }

  /** Remaining / reset / retry-after of the last rlCheck. */
  get remaining(): number { return this.f64View()[this.resultIndex]; }
  get resetMs(): number { return this.f64View()[this.resultIndex + 1]; }
  get retryAfterMs(): number { return this.f64View()[this.resultIndex + 2]; }

  /** State of a key (t, cur, prev) or undefined when not tracked; does not touch it. */
  read(keyLo: number, keyHi: number): { t: number; cur: number; prev: number } | undefined {
    if (this.exports.rlRead(keyLo, keyHi) === 0) return undefined;
    const f = this.f64View();
    return { t: f[this.resultIndex], cur: f[this.resultIndex + 1], prev: f[this.resultIndex + 2] };
  }
}
