/**
 * Cloudflare Durable Objects store.
 *
 * `RateLimitDurableObject` holds rate-limit state for the keys routed to it and applies
 * the algorithms (src/ratelimit/algorithms.ts, the Wasm table's formulas) over
 * `state.storage`. A Durable Object runs one event at a time and its storage calls hold
 * the input gate, so read → decide → write is atomic without locks. Values are cached in
 * memory and written through (`put` is not awaited: the output gate holds the response
 * until the write is durable). Storage has no TTL, so each value carries its expiry and
 * an alarm sweeps expired keys: storage stays bounded by the active keys.
 *
 * `DurableObjectStore` is the client: one POST per decision to the object chosen by
 * `idFromName(key)` (one object per key; `shards` pools keys into fewer objects).
 *
 * Export the class from your Worker and bind it:
 *   export { RateLimitDurableObject } from "wafer/ratelimit";
 *   // wrangler: [[durable_objects.bindings]] name = "RATE_LIMITS", class_name = "RateLimitDurableObject"
 */
import { applyAlgorithm, EMPTY_STATE, type LimitState } from "../algorithms";
import { hashHex } from "../key-hash";
import type { RateLimitStore, StoreReply, StoreRequest } from "./store";

// ---- structural types (no @cloudflare/workers-types dependency) ----
export interface DurableObjectStorageLike {
  get<T = unknown>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
  delete(keys: string[]): Promise<number>;
  list<T = unknown>(options?: { limit?: number; startAfter?: string; prefix?: string }): Promise<Map<string, T>>;
  getAlarm(): Promise<number | null>;
  setAlarm(time: number): Promise<void>;
}
export interface DurableObjectStateLike { storage: DurableObjectStorageLike }
export interface DurableObjectStubLike { fetch(input: string, init?: RequestInit): Promise<Response> }
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: unknown): DurableObjectStubLike;
}

interface StoredValue extends LimitState { exp: number }

/** Default sweep period for expired keys. */
const SWEEP_MS = 60_000;
/** Keys examined per sweep batch (storage.list pages). */
const SWEEP_BATCH = 512;
/** Most values kept in the in-memory cache; beyond, it is dropped (storage stays authoritative). */
const CACHE_LIMIT = 10_000;

function encodeReply(r: StoreReply): string {
  return JSON.stringify({ ...r, retryAfterMs: r.retryAfterMs === Infinity ? -1 : r.retryAfterMs });
}

function decodeReply(v: { allowed: boolean; remaining: number; resetMs: number; retryAfterMs: number; state: LimitState }): StoreReply {
  return { ...v, retryAfterMs: v.retryAfterMs < 0 ? Infinity : v.retryAfterMs };
}

function validRequest(q: Partial<StoreRequest>): q is StoreRequest {
  return typeof q.key === "string" && q.key.length > 0 && q.key.length <= 512 &&
    (q.algorithm === "tokenBucket" || q.algorithm === "slidingWindow" || q.algorithm === "fixedWindow") &&
    typeof q.limit === "number" && q.limit > 0 && typeof q.periodMs === "number" && q.periodMs > 0 && q.periodMs < Infinity &&
    typeof q.cost === "number" && q.cost >= 0 && typeof q.nowMs === "number" && Number.isFinite(q.nowMs) && typeof q.force === "boolean";
}

export class RateLimitDurableObject {
  private readonly storage: DurableObjectStorageLike;
  private readonly cache = new Map<string, StoredValue>();
  /** True once an alarm is known to be set (saves a getAlarm per write). */
  private alarmArmed = false;

  private readonly sweepMs: number;

  /** `env.RATE_LIMIT_SWEEP_MS` (a text binding) overrides the sweep period. */
  constructor(state: DurableObjectStateLike, env?: unknown) {
    this.storage = state.storage;
    const sweep = Number((env as { RATE_LIMIT_SWEEP_MS?: unknown } | undefined)?.RATE_LIMIT_SWEEP_MS);
    this.sweepMs = sweep > 0 ? sweep : SWEEP_MS;
  }

  async fetch(request: Request): Promise<Response> {
    if (request.method === "GET") {
      // Stored key count (tests, operations). Objects are reachable only through their stubs.
      return Response.json({ keys: (await this.storage.list({ prefix: "k:" })).size });
    }
    let q: Partial<StoreRequest>;
    try {
      q = (await request.json()) as Partial<StoreRequest>;
    } catch {
      return new Response("bad request body", { status: 400 });
    }
    if (!validRequest(q)) return new Response("bad rate-limit request", { status: 400 });
    const key = `k:${q.key}`;
    let stored = this.cache.get(key);
    if (stored === undefined) {
      stored = await this.storage.get<StoredValue>(key);
      if (stored !== undefined) this.remember(key, stored);
    }
    const state = stored !== undefined && stored.exp > q.nowMs ? stored : EMPTY_STATE;
    const out = applyAlgorithm(state, q);
    if ((out.allowed || q.force) && q.cost > 0) {
      const value: StoredValue = { ...out.state, exp: out.expiresAtMs };
      this.remember(key, value);
      void this.storage.put(key, value); // the output gate holds the reply until durable
      void this.ensureAlarm();
    }
    return new Response(encodeReply({ allowed: out.allowed, remaining: out.remaining, resetMs: out.resetMs, retryAfterMs: out.retryAfterMs, state: out.state }), {
      headers: { "content-type": "application/json" },
    });
  }

  /** Deletes expired keys, one page at a time, and re-arms while keys remain. */
  async alarm(): Promise<void> {
    this.alarmArmed = false;
    const now = Date.now();
    let startAfter: string | undefined;
    let remaining = 0;
    for (;;) {
      const page = await this.storage.list<StoredValue>({ limit: SWEEP_BATCH, startAfter });
      if (page.size === 0) break;
      const expired: string[] = [];
      for (const [k, v] of page) {
        startAfter = k;
        if (k.startsWith("k:") && v.exp <= now) expired.push(k);
        else remaining++;
      }
      if (expired.length > 0) {
        await this.storage.delete(expired);
        for (const k of expired) this.cache.delete(k);
      }
      if (page.size < SWEEP_BATCH) break;
    }
    if (remaining > 0) {
      await this.storage.setAlarm(now + this.sweepMs);
      this.alarmArmed = true;
    }
  }

  private remember(key: string, value: StoredValue): void {
    if (this.cache.size >= CACHE_LIMIT && !this.cache.has(key)) this.cache.clear();
    this.cache.set(key, value);
  }

  private async ensureAlarm(): Promise<void> {
    if (this.alarmArmed) return;
    this.alarmArmed = true;
    if ((await this.storage.getAlarm()) === null) await this.storage.setAlarm(Date.now() + this.sweepMs);
  }
}

export interface DurableObjectStoreOptions {
  namespace: DurableObjectNamespaceLike;
  /** Pool keys into this many objects (by key hash). Default: one object per key. */
  shards?: number;
  /** Prefix of object names (separates limiters sharing a namespace). Default "". */
  objectPrefix?: string;
}

export class DurableObjectStore implements RateLimitStore {
  readonly name = "durable-object";
  private readonly namespace: DurableObjectNamespaceLike;
  private readonly shards: number | undefined;
  private readonly objectPrefix: string;

  constructor(options: DurableObjectStoreOptions) {
    this.namespace = options.namespace;
    this.shards = options.shards;
    this.objectPrefix = options.objectPrefix ?? "";
  }

  /** The object name a key is routed to. */
  objectName(key: string): string {
    return this.objectPrefix + (this.shards === undefined ? key : `shard:${parseInt(hashHex(0, 0, [key]).slice(8), 16) % this.shards}`);
  }

  async apply(q: StoreRequest): Promise<StoreReply> {
    const stub = this.namespace.get(this.namespace.idFromName(this.objectName(q.key)));
    const res = await stub.fetch("https://rate-limit.internal/apply", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(q),
    });
    if (!res.ok) throw new Error(`rate-limit durable object answered ${res.status}: ${await res.text()}`);
    return decodeReply(await res.json());
  }
}

export function durableObjectStore(options: DurableObjectStoreOptions): DurableObjectStore {
  return new DurableObjectStore(options);
}
