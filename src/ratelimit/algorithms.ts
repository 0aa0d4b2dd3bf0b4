/**
 * The three algorithms in TypeScript, for stores that run JS next to their storage
 * (Deno KV, Durable Objects). Formulas, operation order and tolerances mirror
 * assembly/ratelimit/algorithms.ts exactly (including `prev` rounded to f32), so a
 * store and the local table agree bit for bit; the Lua scripts mirror them too.
 */
import type { Algorithm } from "./policy";

export interface LimitState {
  /** GCRA: theoretical arrival time. Windows: start of the current window. */
  t: number;
  /** Windows: cost counted in the current window. */
  cur: number;
  /** Sliding window: cost counted in the previous window. */
  prev: number;
}

export interface AlgorithmInput {
  algorithm: Algorithm;
  limit: number;
  periodMs: number;
  cost: number;
  nowMs: number;
  /** Consume even when the verdict is deny (sync mode: the request was already admitted). */
  force: boolean;
}

export interface AlgorithmOutput {
  allowed: boolean;
  remaining: number;
  resetMs: number;
  retryAfterMs: number;
  /** The state to store (equal to the input state when nothing was consumed). */
  state: LimitState;
  /** When the state carries no information any more (ms, absolute): the key's expiry. */
  expiresAtMs: number;
}

const TOLERANCE = 1e-6;
const f32 = Math.fround;

export const EMPTY_STATE: LimitState = Object.freeze({ t: 0, cur: 0, prev: 0 });

export function applyAlgorithm(s: LimitState, q: AlgorithmInput): AlgorithmOutput {
  const { limit, periodMs: period, cost, nowMs: now } = q;
  if (q.algorithm === "tokenBucket") {
    const T = period / limit;
    const tat = Math.max(s.t, now);
    const next = tat + cost * T;
    const ahead = next - now;
    if (ahead <= period + TOLERANCE) {
      return {
        allowed: true, remaining: Math.max(0, Math.floor((period - ahead) / T + TOLERANCE)),
        resetMs: ahead, retryAfterMs: 0, state: { t: next, cur: 0, prev: 0 }, expiresAtMs: next,
      };
    }
    const held = tat - now;
    const t = q.force ? next : s.t;
    return {
      allowed: false, remaining: Math.max(0, Math.floor((period - held) / T + TOLERANCE)),
      resetMs: held, retryAfterMs: cost > limit ? Infinity : ahead - period,
      state: { t, cur: 0, prev: 0 }, expiresAtMs: Math.max(t, now),
    };
  }
  const start = Math.floor(now / period) * period;
  const reset = start + period - now;
  if (q.algorithm === "fixedWindow") {
    const cur = s.t === start ? s.cur : 0;
    const allowed = cur + cost <= limit + TOLERANCE;
    const newCur = allowed || q.force ? cur + cost : cur;
    return {
      allowed, remaining: Math.max(0, Math.floor(limit - newCur + TOLERANCE)), resetMs: reset,
      retryAfterMs: allowed ? 0 : cost > limit ? Infinity : reset,
      state: { t: start, cur: newCur, prev: 0 }, expiresAtMs: start + period,
    };
  }
  let cur = 0;
  let prev = 0;
  if (s.t === start) { cur = s.cur; prev = f32(s.prev); }
  else if (s.t === start - period) prev = f32(s.cur);
  const weight = 1 - (now - start) / period;
  const estimate = prev * weight + cur;
  const allowed = estimate + cost <= limit + TOLERANCE;
  let retry = 0;
  if (!allowed) {
    if (cost > limit) retry = Infinity;
    else if (cur + cost <= limit) retry = Math.max(0, start + period * (1 - (limit - cur - cost) / prev) - now);
    else retry = Math.max(0, start + period + period * (1 - (limit - cost) / cur) - now);
  }
  const newCur = allowed || q.force ? cur + cost : cur;
  return {
    allowed,
    remaining: Math.max(0, Math.floor(allowed ? limit - estimate - cost + TOLERANCE : limit - estimate + TOLERANCE)),
    resetMs: reset, retryAfterMs: retry,
    state: { t: start, cur: newCur, prev }, expiresAtMs: start + 2 * period,
  };
}
