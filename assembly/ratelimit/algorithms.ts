// The three rate-limit algorithms as pure functions of (state, parameters, now).
//
// Every algorithm takes `limit` units per `period` milliseconds and a `cost` per request.
// `decide` reads a state, computes the verdict and the would-be new state into module
// globals, and writes nothing; `commit` stores the new state. Splitting the two lets a
// multi-policy check consume from every policy or from none.
//
// These formulas are mirrored exactly (same f64 operations, same order) by the Lua
// scripts in src/ratelimit/stores/lua.ts, by src/ratelimit/algorithms.ts (Deno KV and
// Durable Objects) and by the reference model in test/ratelimit; change them together.

import { ST_T, ST_CUR, ST_PREV, ST_USED, clock } from "./table";

export const ALGO_TOKEN_BUCKET: u32 = 1; // GCRA
export const ALGO_SLIDING_WINDOW: u32 = 2;
export const ALGO_FIXED_WINDOW: u32 = 3;

/** Slack for float rounding in comparisons, in the units compared (ms or cost). */
const TOLERANCE: f64 = 1e-6;

// Outputs of the last `decide`.
export let outAllowed: bool = false;
export let outRemaining: f64 = 0;
export let outReset: f64 = 0;
export let outRetry: f64 = 0;
// Would-be new state.
export let newT: f64 = 0;
export let newCur: f64 = 0;
export let newPrev: f64 = 0;

/**
 * GCRA ("token bucket"): emission interval T = period / limit; burst = period (limit
 * tokens). A request of `cost` moves TAT to max(TAT, now) + cost * T and is allowed when
 * that lands no more than `burst` ahead of now. One f64 per key.
 */
function decideGcra(st: usize, limit: f64, period: f64, cost: f64, now: f64): void {
  const T = period / limit;
  const tat = max(load<f64>(st + ST_T), now);
  const next = tat + cost * T;
  const ahead = next - now;
  newCur = 0;
  newPrev = 0;
  if (ahead <= period + TOLERANCE) {
    outAllowed = true;
    newT = next;
    outRemaining = max<f64>(0, Math.floor((period - ahead) / T + TOLERANCE));
    outReset = ahead;
    outRetry = 0;
  } else {
    outAllowed = false;
    newT = tat;
    const held = tat - now;
    outRemaining = max<f64>(0, Math.floor((period - held) / T + TOLERANCE));
    outReset = held;
    outRetry = cost > limit ? Infinity : ahead - period;
  }
}

/** Fixed window: a counter per window [floor(now / period) * period, + period). */
function decideFixed(st: usize, limit: f64, period: f64, cost: f64, now: f64): void {
  const start = Math.floor(now / period) * period;
  const cur = load<f64>(st + ST_T) == start ? load<f64>(st + ST_CUR) : 0;
  newT = start;
  newPrev = 0;
  outReset = start + period - now;
  if (cur + cost <= limit + TOLERANCE) {
    outAllowed = true;
    newCur = cur + cost;
    outRetry = 0;
  } else {
    outAllowed = false;
    newCur = cur;
    outRetry = cost > limit ? Infinity : outReset;
  }
  outRemaining = max<f64>(0, Math.floor(limit - newCur + TOLERANCE));
}

/**
 * Sliding window (weighted two-window counter): the estimate is
 * prev * (1 - elapsed / period) + cur, where elapsed is the time since the current
 * fixed window started. Two counters per key; `prev` is kept as f32.
 */
function decideSliding(st: usize, limit: f64, period: f64, cost: f64, now: f64): void {
  const start = Math.floor(now / period) * period;
  const storedStart = load<f64>(st + ST_T);
  let cur: f64 = 0;
  let prev: f64 = 0;
  if (storedStart == start) {
    cur = load<f64>(st + ST_CUR);
    prev = <f64>load<f32>(st + ST_PREV);
  } else if (storedStart == start - period) {
    prev = <f64><f32>load<f64>(st + ST_CUR);
  }
  const weight = 1 - (now - start) / period;
  const estimate = prev * weight + cur;
  newT = start;
  newPrev = prev;
  outReset = start + period - now;
  if (estimate + cost <= limit + TOLERANCE) {
    outAllowed = true;
    newCur = cur + cost;
    outRetry = 0;
    outRemaining = max<f64>(0, Math.floor(limit - estimate - cost + TOLERANCE));
  } else {
    outAllowed = false;
    newCur = cur;
    outRemaining = max<f64>(0, Math.floor(limit - estimate + TOLERANCE));
    if (cost > limit) {
      outRetry = Infinity;
    } else if (cur + cost <= limit) {
      // Wait until the previous window's weight has decayed enough.
      outRetry = max<f64>(0, start + period * (1 - (limit - cur - cost) / prev) - now);
    } else {
      // Wait for the next window, where the current count becomes the decaying one.
      outRetry = max<f64>(0, start + period + period * (1 - (limit - cost) / cur) - now);
    }
  }
}

/** Computes the verdict for one state; writes nothing. Returns false on invalid input. */
export function decide(st: usize, algo: u32, limit: f64, period: f64, cost: f64, now: f64): bool {
  // NaN fails every comparison below, so hostile numbers are refused, never trusted.
  if (!(limit > 0) || !(period > 0) || !(cost >= 0) || !(now > -Infinity && now < Infinity) || !(period < Infinity)) {
    return false;
  }
  if (algo == ALGO_TOKEN_BUCKET) decideGcra(st, limit, period, cost, now);
  else if (algo == ALGO_SLIDING_WINDOW) decideSliding(st, limit, period, cost, now);
  else if (algo == ALGO_FIXED_WINDOW) decideFixed(st, limit, period, cost, now);
  else return false;
  return true;
}

/** Stores the state computed by the last `decide`. */
@inline export function commit(st: usize): void {
  store<f64>(st + ST_T, newT);
  store<f64>(st + ST_CUR, newCur);
  store<f32>(st + ST_PREV, <f32>newPrev);
  store<u32>(st + ST_USED, clock);
}

/** Marks the state as used now without changing it (peeks and denials keep recency). */
@inline export function touch(st: usize): void {
  store<u32>(st + ST_USED, clock);
}

/**
 * Raises a local state to at least the given (store) state: used by sync mode to adopt
 * what other instances consumed. Never lowers local usage.
 */
export function merge(st: usize, algo: u32, period: f64, t: f64, cur: f64, prev: f64): void {
  if (algo == ALGO_TOKEN_BUCKET) {
    if (t > load<f64>(st + ST_T)) store<f64>(st + ST_T, t);
    return;
  }
  const localStart = load<f64>(st + ST_T);
  const localCur = load<f64>(st + ST_CUR);
  const localPrev = <f64>load<f32>(st + ST_PREV);
  if (t == localStart) {
    store<f64>(st + ST_CUR, max(localCur, cur));
    store<f32>(st + ST_PREV, <f32>max(localPrev, prev));
  } else if (t > localStart) {
    // The store is in a later window: take it, keeping what we know about its previous one.
    store<f64>(st + ST_T, t);
    store<f64>(st + ST_CUR, cur);
    const carried = localStart == t - period ? max(localCur, prev) : prev;
    store<f32>(st + ST_PREV, <f32>carried);
  } else if (t == localStart - period) {
    // The store is one window behind: its current window is our previous one.
    store<f32>(st + ST_PREV, <f32>max(localPrev, cur));
  }
}
