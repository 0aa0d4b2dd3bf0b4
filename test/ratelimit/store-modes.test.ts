/**
 * Limiter modes against in-process fake stores: timeouts, synchronous throws, waitUntil
 * hand-off, bounded in-flight reconciliation. (Real stores: redis-store, deno-kv-store,
 * durable-object-store tests.)
 */
import { describe, expect, it } from "vitest";
import { instantiateEngine } from "../support/wasm";
import { RateLimiter } from "../../src/ratelimit/limiter";
import { fixedWindow } from "../../src/ratelimit/policy";
import { applyAlgorithm, EMPTY_STATE, type LimitState } from "../../src/ratelimit/algorithms";
import type { RateLimitStore, StoreFailure, StoreReply, StoreRequest } from "../../src/ratelimit/stores/store";

const policy = fixedWindow({ id: "p", limit: 2, windowMs: 60_000, characteristics: ["userId"], onMissingIdentity: "deny" });
const req = { method: "GET", path: "/" };

class MemoryStore implements RateLimitStore {
  readonly name = "memory";
  readonly states = new Map<string, LimitState>();
  calls: StoreRequest[] = [];
  async apply(q: StoreRequest): Promise<StoreReply> {
    this.calls.push(q);
    const out = applyAlgorithm(this.states.get(q.key) ?? EMPTY_STATE, q);
    if (out.allowed || q.force) this.states.set(q.key, out.state);
    return out;
  }
}

const hanging: RateLimitStore = { name: "hanging", apply: () => new Promise(() => {}) };
const throwing: RateLimitStore = { name: "throwing", apply: () => { throw new Error("boom"); } };

function make(store: RateLimitStore, mode: "sync" | "strict", failure: StoreFailure, extra = {}) {
  const { exports, memory } = instantiateEngine();
  return new RateLimiter(exports, memory, { policies: [policy], mode, store, onStoreFailure: failure, storeTimeoutMs: 30, ...extra });
}

describe("store modes", () => {
  it("a store is an explicit choice: onStoreFailure is required, strict needs checkAsync", () => {
    const { exports, memory } = instantiateEngine();
    expect(() => new RateLimiter(exports, memory, { policies: [policy], mode: "strict", store: new MemoryStore() })).toThrow(/onStoreFailure/);
    expect(() => new RateLimiter(exports, memory, { policies: [policy], mode: "sync" })).toThrow(/needs a store/);
    expect(() => make(new MemoryStore(), "strict", "open").check(req, { userId: "u" }, 0)).toThrow(/checkAsync/);
  });

  it("strict: a hanging store times out into the configured failure policy", async () => {
    const closed = await make(hanging, "strict", "closed").checkAsync(req, { userId: "u" }, 0);
    expect(closed).toMatchObject({ allowed: false, reason: "storeUnavailable" });
    const open = make(hanging, "strict", "open");
    for (let i = 0; i < 3; i++) expect(await open.checkAsync(req, { userId: "u" }, 0)).toMatchObject({ allowed: true, reason: "storeUnavailable", remaining: 1 });
    const local = make(throwing, "strict", "local");
    const verdicts = [];
    for (let i = 0; i < 3; i++) verdicts.push((await local.checkAsync(req, { userId: "u" }, 0)).allowed);
    expect(verdicts).toEqual([true, true, false]); // the local table decides during the outage
  });

  it("strict: once the store's reply shows the key over its limit, the table denies without a store call", async () => {
    const store = new MemoryStore();
    const rl = make(store, "strict", "closed");
    expect((await rl.checkAsync(req, { userId: "u" }, 0)).allowed).toBe(true);
    expect((await rl.checkAsync(req, { userId: "u" }, 0)).allowed).toBe(true);
    expect(store.calls).toHaveLength(2);
    for (let i = 0; i < 5; i++) expect(await rl.checkAsync(req, { userId: "u" }, 0)).toMatchObject({ allowed: false, policy: "p" });
    expect(store.calls).toHaveLength(2);
    expect(rl.stats).toMatchObject({ storeCalls: 2, localDenials: 5 });
    // The next window: the table allows again and asks the store.
    expect((await rl.checkAsync(req, { userId: "u" }, 60_000)).allowed).toBe(true);
    expect(store.calls).toHaveLength(3);
  });

  it("strict: store keys are keyed hashes (no raw identity), equal across instances with one secret", async () => {
    const store = new MemoryStore();
    const a = make(store, "strict", "closed", { storeKeySecret: "s3cret" });
    const b = make(store, "strict", "closed", { storeKeySecret: "s3cret" });
    expect((await a.checkAsync(req, { userId: "alice@example.com" }, 0)).remaining).toBe(1);
    expect((await b.checkAsync(req, { userId: "alice@example.com" }, 0)).remaining).toBe(0);
    expect((await b.checkAsync(req, { userId: "alice@example.com" }, 0)).allowed).toBe(false);
    expect(store.calls[0].key).toMatch(/^wafer:rl:p:[0-9a-f]{16}$/);
    expect(store.calls.every((c) => c.key === store.calls[0].key)).toBe(true);
  });

  it("sync: decides locally, hands reconciliation to waitUntil, merges other instances' usage", async () => {
    const store = new MemoryStore();
    const handed: Promise<unknown>[] = [];
    const a = make(store, "sync", "open", { storeKeySecret: "k" });
    const b = make(store, "sync", "open", { storeKeySecret: "k" });
    expect(a.check(req, { userId: "u" }, 0, { waitUntil: (p) => handed.push(p) }).allowed).toBe(true);
    expect(handed).toHaveLength(1);
    await Promise.all(handed);
    expect(store.calls[0].force).toBe(true);
    // b has not seen a's request yet: it admits one, learns the total (2) from the reply …
    expect(b.check(req, { userId: "u" }, 0).allowed).toBe(true);
    await b.flush();
    // … and then denies.
    expect(b.check(req, { userId: "u" }, 0).allowed).toBe(false);
    expect(b.stats).toMatchObject({ synced: 1, syncFailed: 0 });
  });

  it("sync: failures are counted, in-flight work is bounded, and local state survives", async () => {
    const rl = make(hanging, "sync", "open", { maxInFlight: 1 });
    expect(rl.check(req, { userId: "u" }, 0).allowed).toBe(true);
    expect(rl.check(req, { userId: "u" }, 0).allowed).toBe(true);
    expect(rl.check(req, { userId: "u" }, 0).allowed).toBe(false); // local table still enforces
    expect(rl.stats.syncDropped).toBe(1);
    await rl.flush();
    expect(rl.stats.syncFailed).toBe(1);
  });
});
