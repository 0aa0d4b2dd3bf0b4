import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { instantiateEngine } from "../support/wasm";
import { applyAlgorithm, EMPTY_STATE, type LimitState } from "../../src/ratelimit/algorithms";
import { ALGORITHM_ID } from "../../src/ratelimit/policy";
import { ReferenceLimiter, type Algo } from "./reference-model";


function engine(capacity = 1024) {
  const inst = instantiateEngine();
  const e = inst.exports;
  const reserved = e.rlConfigure(capacity) as number;
  const f64 = () => new Float64Array(inst.memory.buffer);
  const result = () => {
    const i = (e.rlResultPtr() as number) >>> 3;
    const f = f64();
    return { remaining: f[i], reset: f[i + 1], retry: f[i + 2] };
  };
  return { inst, e, reserved, result };
}

describe("rate-limit table: memory", () => {
  it("reserves memory once and at most 48 bytes per tracked identity", () => {
    const { inst, e, reserved } = engine(65_536);
    expect(e.rlCapacity()).toBe(65_536);
    expect(e.rlTableBytes() / e.rlCapacity()).toBeLessThanOrEqual(48);
    expect(e.rlTableBytes() / e.rlCapacity()).toBe(32);
    expect(reserved).toBeGreaterThanOrEqual(e.rlTableBytes());
    const before = inst.memory.buffer.byteLength;
    expect(e.rlConfigure(1 << 20)).toBe(reserved); // same figure, nothing reserved
    expect(e.rlCapacity()).toBe(65_536); // a second configure changes nothing
    expect(inst.memory.buffer.byteLength).toBe(before);
  });

  it("rounds capacity up to a power of two of 8-way buckets", () => {
    const { e } = engine(1000);
    expect(e.rlCapacity()).toBe(1024);
  });

  it("a flood of 10 million distinct keys keeps memory fixed and keeps recently active keys", () => {
    const { inst, e } = engine(65_536);
    const bytesBefore = inst.memory.buffer.byteLength;
    const ACTIVE = 100;
    const touches = new Uint32Array(ACTIVE);
    const activeLo = (i: number) => 0xa0000000 + i;
    const activeHi = 0xfeedbeef;
    const period = 1e15; // one fixed window for the whole run: counts are exact
    const FLOOD = 10_000_000;
    let active = 0;
    for (let n = 0; n < FLOOD; n++) {
      // Distinct flood keys: (n, n * golden) never repeats and never equals an active key.
      e.rlCheck(n, Math.imul(n, 0x9e3779b1) ^ 0x1234, 3, 1e12, period, 1, 1000, 0);
      if (n % 20 === 0) {
        e.rlCheck(activeLo(active), activeHi, 3, 1e12, period, 1, 1000, 0);
        touches[active]++;
        active = (active + 1) % ACTIVE;
      }
    }
    expect(inst.memory.buffer.byteLength).toBe(bytesBefore);
    expect(e.rlOccupied()).toBe(e.rlCapacity()); // full, evicting, not growing
    const f = new Float64Array(inst.memory.buffer);
    const r = (e.rlResultPtr() as number) >>> 3;
    for (let i = 0; i < ACTIVE; i++) {
      expect(e.rlRead(activeLo(i), activeHi)).toBe(1);
      expect(f[r + 1]).toBe(touches[i]); // its count survived the flood intact
    }
    // The oldest flood keys were evicted.
    let kept = 0;
    for (let n = 0; n < 1000; n++) kept += e.rlRead(n, Math.imul(n, 0x9e3779b1) ^ 0x1234);
    expect(kept).toBe(0);
  });
});

describe("rate-limit table: algorithms", () => {
  it("token bucket (GCRA): bursts to capacity, then one per emission interval", () => {
    const { e, result } = engine();
    // 5 per 1000 ms: T = 200 ms.
    const now = 1_763_800_000_000;
    for (let i = 0; i < 5; i++) {
      expect(e.rlCheck(1, 2, 1, 5, 1000, 1, now, 0)).toBe(1);
      expect(result().remaining).toBe(4 - i);
    }
    expect(e.rlCheck(1, 2, 1, 5, 1000, 1, now, 0)).toBe(0);
    expect(result().retry).toBeCloseTo(200, 6);
    expect(result().reset).toBeCloseTo(1000, 6);
    expect(e.rlCheck(1, 2, 1, 5, 1000, 1, now + 199, 0)).toBe(0);
    expect(e.rlCheck(1, 2, 1, 5, 1000, 1, now + 200, 0)).toBe(1);
    expect(e.rlCheck(1, 2, 1, 5, 1000, 6, now + 5000, 0)).toBe(0); // cost above capacity
    expect(result().retry).toBe(Infinity);
  });

  it("fixed window: resets at the window boundary", () => {
    const { e, result } = engine();
    for (let i = 0; i < 3; i++) expect(e.rlCheck(7, 0, 3, 3, 1000, 1, 10_100, 0)).toBe(1);
    expect(e.rlCheck(7, 0, 3, 3, 1000, 1, 10_500, 0)).toBe(0);
    expect(result().retry).toBe(500);
    expect(result().reset).toBe(500);
    expect(e.rlCheck(7, 0, 3, 3, 1000, 1, 11_000, 0)).toBe(1);
    expect(result().remaining).toBe(2);
  });

  it("sliding window: the previous window's count decays linearly", () => {
    const { e, result } = engine();
    for (let i = 0; i < 10; i++) expect(e.rlCheck(9, 9, 2, 10, 1000, 1, 500, 0)).toBe(1);
    // At 1250 the previous window weighs 0.75: estimate 7.5, 2 more fit.
    expect(e.rlCheck(9, 9, 2, 10, 1000, 1, 1250, 0)).toBe(1);
    expect(e.rlCheck(9, 9, 2, 10, 1000, 1, 1250, 0)).toBe(1);
    expect(e.rlCheck(9, 9, 2, 10, 1000, 1, 1250, 0)).toBe(0);
    const wait = result().retry;
    expect(wait).toBeGreaterThan(0);
    expect(e.rlCheck(9, 9, 2, 10, 1000, 1, 1250 + wait, 0)).toBe(1);
  });

  it("peek decides without consuming; invalid numbers change nothing", () => {
    const { e } = engine();
    for (let i = 0; i < 10; i++) expect(e.rlCheck(3, 3, 3, 1, 1000, 1, 0, 1)).toBe(1);
    expect(e.rlCheck(3, 3, 3, 1, 1000, 1, 0, 0)).toBe(1);
    expect(e.rlCheck(3, 3, 3, 1, 1000, 1, 0, 0)).toBe(0);
    expect(e.rlCheck(4, 4, 3, NaN, 1000, 1, 0, 0)).toBe(2);
    expect(e.rlCheck(4, 4, 3, 1, 1000, -1, 0, 0)).toBe(2);
    expect(e.rlCheck(4, 4, 3, 1, 1000, 1, NaN, 0)).toBe(2);
    expect(e.rlCheck(4, 4, 9, 1, 1000, 1, 0, 0)).toBe(2);
  });

  it("batch: all-or-nothing, and the strictest policy decides", () => {
    const { inst, e } = engine();
    const write = (i: number, lo: number, algo: number, limit: number, period: number, flags = 0) => {
      const q = (e.rlBatchPtr() as number) + i * 48;
      const u = new Uint32Array(inst.memory.buffer);
      const f = new Float64Array(inst.memory.buffer);
      u[q >>> 2] = lo; u[(q >>> 2) + 1] = 0; u[(q >>> 2) + 2] = algo; u[(q >>> 2) + 3] = flags;
      f[(q + 16) >>> 3] = limit; f[(q + 24) >>> 3] = period; f[(q + 32) >>> 3] = 1;
    };
    write(0, 100, 3, 10, 60_000); // quota 10/min
    write(1, 101, 1, 2, 1000);    // burst 2/s
    expect(e.rlCheckBatch(2, 0, 0)).toBe(0x100 | 1); // allowed; burst has least remaining
    expect(e.rlCheckBatch(2, 0, 0)).toBe(0x100 | 1);
    expect(e.rlCheckBatch(2, 0, 0)).toBe(1); // burst denies
    // The quota did not consume on the denied call: 2 used, 8 left.
    const f = new Float64Array(inst.memory.buffer);
    expect(e.rlRead(100, 0)).toBe(1);
    expect(f[((e.rlResultPtr() as number) >>> 3) + 1]).toBe(2);
    // A dry-run denial does not deny the batch.
    write(1, 101, 1, 2, 1000, 2);
    expect(e.rlCheckBatch(2, 0, 0) & 0x100).toBe(0x100);
  });
});

const algoArb = fc.constantFrom<Algo>("tokenBucket", "slidingWindow", "fixedWindow");
const stepsArb = fc.array(fc.record({ dt: fc.integer({ min: 0, max: 1500 }), cost: fc.integer({ min: 0, max: 4 }) }), { minLength: 1, maxLength: 200 });

describe("rate-limit algorithms agree with the reference model (fast-check)", () => {
  it("Wasm table and the TS store algorithms give the reference's allow/deny on random (time, cost) sequences", () => {
    const { e } = engine();
    let key = 1;
    fc.assert(
      fc.property(algoArb, fc.integer({ min: 1, max: 20 }), fc.constantFrom(100, 250, 1000, 3000), fc.constantFrom(0, 1_763_800_000_123), stepsArb,
        (algo, limit, period, base, steps) => {
          key++;
          const ref = new ReferenceLimiter(algo, limit, period);
          let state: LimitState = EMPTY_STATE;
          let now = base;
          for (const { dt, cost } of steps) {
            now += dt;
            const expected = ref.check(now, cost);
            const wasm = e.rlCheck(key, 77, ALGORITHM_ID[algo], limit, period, cost, now, 0);
            const ts = applyAlgorithm(state, { algorithm: algo, limit, periodMs: period, cost, nowMs: now, force: false });
            state = ts.allowed ? ts.state : state;
            if ((wasm === 1) !== expected || ts.allowed !== expected) return false;
          }
          return true;
        }),
      { numRuns: 400 },
    );
  });

  it("Wasm and TS agree on remaining, reset and retry-after", () => {
    const { e, result } = engine();
    let key = 1;
    fc.assert(
      fc.property(algoArb, fc.integer({ min: 1, max: 20 }), fc.constantFrom(100, 1000), stepsArb, (algo, limit, period, steps) => {
        key++;
        let state: LimitState = EMPTY_STATE;
        let now = 5_000;
        for (const { dt, cost } of steps) {
          now += dt;
          e.rlCheck(key, 5, ALGORITHM_ID[algo], limit, period, cost, now, 0);
          const ts = applyAlgorithm(state, { algorithm: algo, limit, periodMs: period, cost, nowMs: now, force: false });
          if (ts.allowed) state = ts.state;
          const w = result();
          if (w.remaining !== ts.remaining || w.reset !== ts.resetMs || (!ts.allowed && w.retry !== ts.retryAfterMs)) return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it("a denied request that waits its retry-after is then allowed", () => {
    const { e, result } = engine();
    let key = 1;
    fc.assert(
      fc.property(algoArb, fc.integer({ min: 1, max: 20 }), fc.constantFrom(100, 1000), stepsArb, (algo, limit, period, steps) => {
        key++;
        let now = 0;
        for (const { dt, cost } of steps) {
          now += dt;
          if (e.rlCheck(key, 9, ALGORITHM_ID[algo], limit, period, cost, now, 1) === 0 && cost <= limit) {
            const wait = result().retry;
            if (!(wait >= 0 && wait < Infinity)) return false;
            if (e.rlCheck(key, 9, ALGORITHM_ID[algo], limit, period, cost, now + wait + 1e-3, 1) !== 1) return false;
          }
          e.rlCheck(key, 9, ALGORITHM_ID[algo], limit, period, cost, now, 0);
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});

describe("batch decisions agree with per-policy reference models, all-or-nothing (fast-check)", () => {
  it("allows exactly when every policy's reference allows, and then every policy consumes", () => {
    const { inst, e } = engine();
    let keyBase = 1000;
    const policyArb = fc.record({ algo: algoArb, limit: fc.integer({ min: 1, max: 10 }), period: fc.constantFrom(100, 1000) });
    fc.assert(
      fc.property(fc.array(policyArb, { minLength: 2, maxLength: 4 }), stepsArb, (policies, steps) => {
        keyBase += 10;
        const refs = policies.map((p) => new ReferenceLimiter(p.algo, p.limit, p.period));
        let now = 0;
        for (const { dt, cost } of steps) {
          now += dt;
          const u = new Uint32Array(inst.memory.buffer);
          const f = new Float64Array(inst.memory.buffer);
          policies.forEach((p, i) => {
            const q = e.rlBatchPtr() + i * 48;
            u[q >>> 2] = keyBase + i; u[(q >>> 2) + 1] = 0; u[(q >>> 2) + 2] = ALGORITHM_ID[p.algo]; u[(q >>> 2) + 3] = 0;
            f[(q + 16) >>> 3] = p.limit; f[(q + 24) >>> 3] = p.period; f[(q + 32) >>> 3] = cost;
          });
          const packed = e.rlCheckBatch(policies.length, now, 0);
          // Reference: decide each on a copy, consume only if all allow.
          const wouldAllow = refs.map((r) => { const copy = Object.assign(Object.create(Object.getPrototypeOf(r)), structuredClone(r)); return copy.check(now, cost); });
          const all = wouldAllow.every(Boolean);
          if (all) refs.forEach((r) => r.check(now, cost));
          if (((packed & 0x100) !== 0) !== all) return false;
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });
});
