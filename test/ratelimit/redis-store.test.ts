/**
 * The Redis store against a real redis-server: algorithm parity with the Wasm table,
 * one command per decision, key expiry, the sync-mode overshoot bound with several
 * limiters, and an outage (kill, fail open / closed, restart, recovery).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { createClient } from "redis";
import { RedisServer, redisServerAvailable } from "../support/redis-server";
import { instantiateEngine } from "../support/wasm";
import { RedisStore, fromIoredis } from "../../src/ratelimit/stores/redis";
import { RateLimiter } from "../../src/ratelimit/limiter";
import { ALGORITHM_ID, fixedWindow, slidingWindow, tokenBucket, type Algorithm, type Policy } from "../../src/ratelimit/policy";
import type { StoreFailure } from "../../src/ratelimit/stores/store";


if (!redisServerAvailable()) console.warn("redis-store tests skipped: no redis-server binary (install the redis-server package)");

describe.skipIf(!redisServerAvailable())("Redis store (real redis-server)", () => {
  let server: RedisServer;
  const clients: { destroy(): void }[] = [];

  async function connectClient() {
    const client = createClient({
      url: server.url,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: () => 50, connectTimeout: 1000 },
    });
    client.on("error", () => { /* outages are part of the test; the limiter reports them */ });
    await client.connect();
    clients.push(client);
    return client;
  }

  beforeAll(async () => { server = await RedisServer.start(); });
  afterAll(async () => {
    for (const c of clients) { try { c.destroy(); } catch { /* already closed */ } }
    await server?.stop();
  });

  it("each algorithm's Lua script decides exactly like the Wasm table (fast-check)", async () => {
    const client = await connectClient();
    const store = new RedisStore({ client });
    const { exports: e, memory } = instantiateEngine();
    e.rlConfigure(1024);
    let key = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Algorithm>("tokenBucket", "slidingWindow", "fixedWindow"),
        fc.integer({ min: 1, max: 10 }), fc.constantFrom(100, 1000),
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 600 }), cost: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 40 }),
        async (algorithm, limit, periodMs, steps) => {
          key++;
          let nowMs = 1_763_800_000_000;
          for (const { dt, cost } of steps) {
            nowMs += dt;
            const reply = await store.apply({ key: `parity:${key}`, algorithm, limit, periodMs, cost, nowMs, force: false });
            const local = e.rlCheck(key, 1, ALGORITHM_ID[algorithm], limit, periodMs, cost, nowMs, 0);
            const f = new Float64Array(memory.buffer);
            const r = e.rlResultPtr() >>> 3;
            if (reply.allowed !== (local === 1)) return false;
            if (reply.remaining !== f[r] || reply.resetMs !== f[r + 1]) return false;
            if (!reply.allowed && reply.retryAfterMs !== f[r + 2]) return false;
          }
          return true;
        }),
      { numRuns: 60 },
    );
  });

  it("sends exactly one command per decision and keys expire", async () => {
    const client = await connectClient();
    const admin = await connectClient();
    const store = new RedisStore({ client });
    // Warm the script cache (the first call of a script is an EVAL).
    await store.apply({ key: "warm", algorithm: "fixedWindow", limit: 5, periodMs: 1000, cost: 1, nowMs: 0, force: false });
    await admin.configResetStat();
    const before = store.commands;
    const N = 200;
    for (let i = 0; i < N; i++) {
      await store.apply({ key: `cmd:${i % 7}`, algorithm: "fixedWindow", limit: 5, periodMs: 60_000, cost: 1, nowMs: Date.now(), force: false });
    }
    const stats = await admin.info("commandstats");
    const evalsha = /cmdstat_evalsha:calls=(\d+)/.exec(stats);
    expect(Number(evalsha?.[1])).toBe(N);
    expect(stats).not.toMatch(/cmdstat_eval:calls/);
    expect(store.commands - before).toBe(N);
    const ttl = await admin.pTTL("cmd:0");
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    // NOSCRIPT (script cache flushed) falls back to EVAL once.
    await admin.scriptFlush();
    const reply = await store.apply({ key: "after-flush", algorithm: "fixedWindow", limit: 5, periodMs: 1000, cost: 1, nowMs: 0, force: false });
    expect(reply.allowed).toBe(true);
  });

  it("adapts ioredis-shaped clients", async () => {
    const calls: unknown[][] = [];
    const fake = {
      evalsha: async (...a: unknown[]) => { calls.push(["evalsha", ...a]); return ["1", "4", "1000", "0", "0", "1", "0"]; },
      eval: async (...a: unknown[]) => { calls.push(["eval", ...a]); return ["1", "4", "1000", "0", "0", "1", "0"]; },
    };
    const store = new RedisStore({ client: fake });
    await store.apply({ key: "k", algorithm: "fixedWindow", limit: 5, periodMs: 1000, cost: 1, nowMs: 0, force: false });
    await store.apply({ key: "k", algorithm: "fixedWindow", limit: 5, periodMs: 1000, cost: 1, nowMs: 0, force: false });
    expect(calls[0].slice(0, 1).concat(calls[0].slice(2))).toEqual(["eval", 1, "k", "5", "1000", "1", "0", "0"]);
    expect(calls[1][0]).toBe("evalsha");
    expect(typeof fromIoredis(fake).evalSha).toBe("function");
  });

  it("sync mode: several limiters on one Redis stay within the stated overshoot bound", async () => {
    const N = 4;
    const B = 5; // requests each instance admits per round before awaiting its reconciliations
    const limit = 100;
    const policy = fixedWindow({ id: "overshoot", limit, windowMs: 3_600_000, characteristics: ["userId"], onMissingIdentity: "deny" });
    const limiters: RateLimiter[] = [];
    for (let i = 0; i < N; i++) {
      const { exports, memory } = instantiateEngine();
      limiters.push(new RateLimiter(exports, memory, {
        policies: [policy], mode: "sync", store: new RedisStore({ client: await connectClient() }),
        onStoreFailure: "open", storeTimeoutMs: 2000, storeKeySecret: "shared-secret",
      }));
    }
    const now = 1_800_000_000_000;
    let admitted = 0;
    for (let round = 0; round < 60; round++) {
      for (const rl of limiters) {
        for (let k = 0; k < B; k++) if (rl.check({ method: "GET", path: "/" }, { userId: "shared-user" }, now).allowed) admitted++;
      }
      await Promise.all(limiters.map((rl) => rl.flush()));
    }
    const bound = limit + Math.min(N * B, (N - 1) * limit);
    const overshoot = admitted - limit;
    console.log(`sync-mode overshoot: N=${N} instances, B=${B}, limit=${limit}: admitted ${admitted} (overshoot ${overshoot}, bound ${bound - limit})`);
    expect(admitted).toBeGreaterThanOrEqual(limit);
    expect(admitted).toBeLessThanOrEqual(bound);
    for (const rl of limiters) expect(rl.stats).toMatchObject({ syncFailed: 0, syncDropped: 0 });
    // Every admitted request reached the store.
    const admin = await connectClient();
    const keys = await admin.keys("wafer:rl:overshoot:*");
    expect(keys).toHaveLength(1);
    const stored = (await admin.get(keys[0]))!.split(" ");
    expect(Number(stored[1])).toBe(admitted);
    // The same holds for the other algorithms (token bucket with a negligible refill, so it
    // acts as a budget of `limit` over the run; sliding window within one long window).
    for (const other of [
      tokenBucket({ id: "overshoot-gcra", capacity: limit, refillRate: 1, intervalMs: 3_600_000, characteristics: ["userId"], onMissingIdentity: "deny" }),
      slidingWindow({ id: "overshoot-sliding", limit, windowMs: 3_600_000, characteristics: ["userId"], onMissingIdentity: "deny" }),
    ]) {
      const group: RateLimiter[] = [];
      for (let i = 0; i < N; i++) {
        const { exports, memory } = instantiateEngine();
        group.push(new RateLimiter(exports, memory, {
          policies: [other], mode: "sync", store: new RedisStore({ client: await connectClient() }),
          onStoreFailure: "open", storeTimeoutMs: 2000, storeKeySecret: "shared-secret",
        }));
      }
      let count = 0;
      for (let round = 0; round < 60; round++) {
        for (const rl of group) for (let k = 0; k < B; k++) if (rl.check({ method: "GET", path: "/" }, { userId: "shared-user" }, now).allowed) count++;
        await Promise.all(group.map((rl) => rl.flush()));
      }
      console.log(`sync-mode overshoot (${other.algorithm}): admitted ${count} (overshoot ${count - limit}, bound ${bound - limit})`);
      expect(count).toBeGreaterThanOrEqual(limit);
      expect(count).toBeLessThanOrEqual(bound);
    }
    // Strict mode on the same workload never overshoots.
    const strict: RateLimiter[] = [];
    for (let i = 0; i < N; i++) {
      const { exports, memory } = instantiateEngine();
      strict.push(new RateLimiter(exports, memory, {
        policies: [fixedWindow({ ...policy, id: "strict-overshoot", limit, windowMs: 3_600_000, characteristics: ["userId"], onMissingIdentity: "deny" })],
        mode: "strict", store: new RedisStore({ client: await connectClient() }), onStoreFailure: "closed", storeTimeoutMs: 2000,
      }));
    }
    let strictAdmitted = 0;
    for (let round = 0; round < 60; round++) {
      const all = strict.flatMap((rl) => Array.from({ length: B }, () => rl.checkAsync({ method: "GET", path: "/" }, { userId: "u" }, now)));
      for (const r of await Promise.all(all)) if (r.allowed) strictAdmitted++;
    }
    expect(strictAdmitted).toBe(limit);
  });

  async function outage(failure: StoreFailure, ip = "198.51.100.20") {
    const { exports, memory } = instantiateEngine();
    const policy: Policy = tokenBucket({ id: `outage-${failure}`, capacity: 1000, refillRate: 1, intervalMs: 1000, characteristics: ["ip"], onMissingIdentity: "deny" });
    const client = await connectClient();
    const rl = new RateLimiter(exports, memory, { policies: [policy], mode: "strict", store: new RedisStore({ client }), onStoreFailure: failure, storeTimeoutMs: 200 });
    const req = { method: "POST", path: "/login", ip };
    return { rl, client, req };
  }

  it("an outage fails open or closed as configured, keeps local state, and recovers after restart", async () => {
    const open = await outage("open");
    const closed = await outage("closed");
    const now = 1_800_000_000_000;
    for (let i = 0; i < 10; i++) {
      expect(await open.rl.checkAsync(open.req, {}, now)).toMatchObject({ allowed: true, remaining: 999 - i });
      expect((await closed.rl.checkAsync(closed.req, {}, now)).allowed).toBe(true);
    }
    // Sync-mode limiter too: it must keep deciding locally.
    const { exports, memory } = instantiateEngine();
    const syncRl = new RateLimiter(exports, memory, {
      policies: [fixedWindow({ id: "sync-outage", limit: 3, windowMs: 60_000, characteristics: ["ip"], onMissingIdentity: "deny" })],
      mode: "sync", store: new RedisStore({ client: await connectClient() }), onStoreFailure: "open", storeTimeoutMs: 200,
    });

    // Background traffic runs across the kill and the restart: nothing may throw.
    let trafficOn = true;
    const traffic = (async () => {
      const seen = { openStore: 0, openFailed: 0, closedStore: 0, closedFailed: 0, bad: 0 };
      const bgOpen = await outage("open", "198.51.100.99");
      const bgClosed = await outage("closed", "198.51.100.99");
      while (trafficOn) {
        const [o, c] = await Promise.all([bgOpen.rl.checkAsync(bgOpen.req, {}, now), bgClosed.rl.checkAsync(bgClosed.req, {}, now)]);
        if (o.reason === "storeUnavailable") { seen.openFailed++; if (!o.allowed) seen.bad++; } else seen.openStore++;
        if (c.reason === "storeUnavailable") { seen.closedFailed++; if (c.allowed) seen.bad++; } else seen.closedStore++;
        await new Promise((r) => setTimeout(r, 2));
      }
      return seen;
    })();
    await new Promise((r) => setTimeout(r, 100));

    await server.kill();

    for (let i = 0; i < 5; i++) {
      const o = await open.rl.checkAsync(open.req, {}, now);
      expect(o).toMatchObject({ allowed: true, reason: "storeUnavailable" });
      const c = await closed.rl.checkAsync(closed.req, {}, now);
      expect(c).toMatchObject({ allowed: false, reason: "storeUnavailable" });
    }
    // The table still holds what the store reported before the outage (10 consumed):
    // fail-open peeks at it, so remaining reads 1000 - 10 - 1.
    expect((await open.rl.checkAsync(open.req, {}, now)).remaining).toBe(989);
    expect(open.rl.stats.storeFailures).toBe(6);
    expect(closed.rl.stats.storeFailures).toBe(5);
    // Sync mode keeps enforcing from its local table during the outage.
    const verdicts = [];
    for (let i = 0; i < 4; i++) verdicts.push(syncRl.check({ method: "GET", path: "/", ip: "192.0.2.9" }, {}, now).allowed);
    expect(verdicts).toEqual([true, true, true, false]);
    await syncRl.flush();
    expect(syncRl.stats.syncFailed).toBe(3);

    await server.restart();
    // Wait for the clients to reconnect, then decisions come from the store again.
    const deadline = Date.now() + 10_000;
    while ((!open.client.isReady || !closed.client.isReady) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const back = await closed.rl.checkAsync(closed.req, {}, now);
    expect(back.allowed).toBe(true);
    expect(back.reason).toBeUndefined();
    const backOpen = await open.rl.checkAsync(open.req, {}, now);
    expect(backOpen.reason).toBeUndefined();
    // The restarted server has no state (no persistence): the store starts over.
    expect(backOpen.remaining).toBe(999);
    await new Promise((r) => setTimeout(r, 100));
    trafficOn = false;
    const seen = await traffic;
    expect(seen.bad).toBe(0);
    for (const count of [seen.openStore, seen.openFailed, seen.closedStore, seen.closedFailed]) expect(count).toBeGreaterThan(0);
  });
});
