/**
 * Deno KV store: optimistic concurrency. Read the key's state and versionstamp, apply
 * the algorithm in JS (src/ratelimit/algorithms.ts, the same formulas as the Wasm table),
 * then `kv.atomic().check({ key, versionstamp }).set(...)`; a failed check means another
 * writer got there first, so re-read and retry (bounded, with jittered backoff). Nothing is written when nothing
 * was consumed. Keys carry `expireIn` until their state stops carrying information.
 *
 * Typed structurally (no Deno types needed): pass the value of `await Deno.openKv()`.
 * Local KV needs `--unstable-kv` on Deno 2.x.
 */
import { applyAlgorithm, EMPTY_STATE, type LimitState } from "../algorithms";
import type { RateLimitStore, StoreReply, StoreRequest } from "./store";

type KvKey = readonly unknown[];

export interface DenoKvLike {
  get(key: KvKey): Promise<{ value: unknown; versionstamp: string | null }>;
  atomic(): DenoKvAtomicLike;
}

export interface DenoKvAtomicLike {
  check(...checks: { key: KvKey; versionstamp: string | null }[]): DenoKvAtomicLike;
  set(key: KvKey, value: unknown, options?: { expireIn?: number }): DenoKvAtomicLike;
  commit(): Promise<{ ok: boolean }>;
}

export interface DenoKvStoreOptions {
  kv: DenoKvLike;
  /** Key prefix inside the KV. Default ["wafer", "rl"]. */
  prefix?: readonly string[];
  /** Attempts before giving up under contention (the limiter then applies onStoreFailure). Default 32. */
  maxAttempts?: number;
}

export class StoreContentionError extends Error {
  constructor(key: string, attempts: number) {
    super(`rate-limit store: key "${key}" still contended after ${attempts} attempts`);
    this.name = "StoreContentionError";
  }
}

function asState(v: unknown): LimitState {
  const s = v as Partial<LimitState> | null;
  if (s === null || typeof s !== "object" || typeof s.t !== "number" || typeof s.cur !== "number" || typeof s.prev !== "number") return EMPTY_STATE;
  return { t: s.t, cur: s.cur, prev: s.prev };
}

export class DenoKvStore implements RateLimitStore {
  readonly name = "deno-kv";
  private readonly kv: DenoKvLike;
  private readonly prefix: readonly string[];
  private readonly maxAttempts: number;
  /** Commits that lost the race and were retried (contention figure for tests/bench). */
  retries = 0;

  constructor(options: DenoKvStoreOptions) {
    this.kv = options.kv;
    this.prefix = options.prefix ?? ["wafer", "rl"];
    this.maxAttempts = options.maxAttempts ?? 32;
  }

  async apply(q: StoreRequest): Promise<StoreReply> {
    const key = [...this.prefix, q.key];
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      let committed = true;
      let out;
      try {
        const entry = await this.kv.get(key);
        out = applyAlgorithm(asState(entry.value), q);
        if ((out.allowed || q.force) && q.cost > 0) {
          const expireIn = Math.max(1, Math.ceil(out.expiresAtMs - q.nowMs));
          committed = (await this.kv.atomic().check({ key, versionstamp: entry.versionstamp }).set(key, out.state, { expireIn }).commit()).ok;
        }
      } catch (error) {
        // A local (SQLite) KV opened by several handles reports "database is locked" under
        // write contention: retry like a lost race. Anything else is a real failure.
        if (!/locked|busy/i.test(String((error as { message?: unknown })?.message ?? error))) throw error;
        committed = false;
      }
      if (committed && out !== undefined) {
        return { allowed: out.allowed, remaining: out.remaining, resetMs: out.resetMs, retryAfterMs: out.retryAfterMs, state: out.state };
      }
      this.retries++;
      // Jittered exponential backoff spreads a herd of writers on one hot key.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(64, 2 ** attempt)));
    }
    throw new StoreContentionError(q.key, this.maxAttempts);
  }
}

export function denoKvStore(options: DenoKvStoreOptions): DenoKvStore {
  return new DenoKvStore(options);
}
