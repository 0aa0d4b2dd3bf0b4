// Exports of the rate-limit concern; see assembly/index.ts and assembly/ratelimit/table.ts.
//
// Hot path: `rlCheck` is one call with numbers only (the host hashes policy + identity
// into a 64-bit key). Its verdict is the return value; remaining / reset / retry-after
// are written to three f64 at `rlResultPtr()`. `rlCheckBatch` decides several policies in
// one call, all-or-nothing: when an enforced policy denies, no policy consumes.

import {
  configureTable, clearTable, tableCapacity, tableBytes, reservedBytes, nextClock,
  normaliseKey, findOrInsert, find, countOccupied, ST_T, ST_CUR, ST_PREV,
} from "./table";
import { decide, commit, touch, merge, outAllowed, outRemaining, outReset, outRetry, newT, newCur, newPrev } from "./algorithms";

/** Return values of rlCheck. */
const DENIED: u32 = 0;
const ALLOWED: u32 = 1;
const INVALID: u32 = 2;

/** rlCheck flag: compute the verdict without consuming (strict-mode pre-checks, previews). */
const FLAG_PEEK: u32 = 1;
/** Batch record flag: dry-run policy, its denial does not deny the batch. */
const FLAG_DRY_RUN: u32 = 2;

/** Batch limits and record layouts (mirrored in src/ratelimit/wasm-table.ts). */
const MAX_BATCH: u32 = 32;
const REQ_BYTES: usize = 48;  // keyLo u32, keyHi u32, algo u32, flags u32, limit f64, period f64, cost f64, pad
const RES_BYTES: usize = 32;  // allowed u32, pad, remaining f64, reset f64, retryAfter f64

let resultArea: usize = 0;   // 4 x f64: remaining, reset, retryAfter, spare (also state reads)
let batchReq: usize = 0;
let batchRes: usize = 0;
let batchState: usize = 0;   // per record: state address (usize as u64), newT, newCur, newPrev

/**
 * Reserves the table for `capacity` identities (rounded up to a power-of-two number of
 * 8-way buckets) plus the small I/O areas, once. Returns the bytes reserved.
 */
export function rlConfigure(capacity: u32): usize {
  if (resultArea == 0) {
    resultArea = heap.alloc(32);
    batchReq = heap.alloc(<usize>MAX_BATCH * REQ_BYTES);
    batchRes = heap.alloc(<usize>MAX_BATCH * RES_BYTES);
    batchState = heap.alloc(<usize>MAX_BATCH * 32);
  }
  return configureTable(capacity) + 32 + <usize>MAX_BATCH * (REQ_BYTES + RES_BYTES + 32);
}

export function rlCapacity(): u32 { return tableCapacity(); }
export function rlTableBytes(): usize { return tableBytes(); }
export function rlReservedBytes(): usize { return reservedBytes(); }
export function rlResultPtr(): usize { return resultArea; }
export function rlBatchPtr(): usize { return batchReq; }
export function rlBatchResultPtr(): usize { return batchRes; }
export function rlMaxBatch(): u32 { return MAX_BATCH; }
export function rlClear(): void { clearTable(); }
export function rlOccupied(): u32 { return countOccupied(); }

/**
 * Decides one request against one policy. `algo`: 1 token bucket (GCRA), 2 sliding
 * window, 3 fixed window. `limit` units per `periodMs`; `cost` units for this request.
 * Returns 1 allowed, 0 denied, 2 invalid arguments (nothing changed).
 */
export function rlCheck(keyLo: u32, keyHi: u32, algo: u32, limit: f64, periodMs: f64, cost: f64, nowMs: f64, flags: u32): u32 {
  nextClock();
  const st = findOrInsert(normaliseKey(keyLo, keyHi));
  if (!decide(st, algo, limit, periodMs, cost, nowMs)) return INVALID;
  if (outAllowed && (flags & FLAG_PEEK) == 0) commit(st);
  else touch(st);
  const r = resultArea;
  store<f64>(r, outRemaining);
  store<f64>(r + 8, outReset);
  store<f64>(r + 16, outRetry);
  return outAllowed ? ALLOWED : DENIED;
}

/**
 * Decides `count` policies (records at rlBatchPtr) for one request, all-or-nothing.
 * Per-record results go to rlBatchResultPtr. Returns bit 8 set when the request is
 * allowed (every enforced policy allows), and in bits 0..7 the index of the deciding
 * policy: the denying enforced policy with the longest retry-after, else (all allow) the
 * one with the least remaining, dry-run denials included. 0xFFFF on invalid input.
 */
export function rlCheckBatch(count: u32, nowMs: f64, flags: u32): u32 {
  if (count == 0 || count > MAX_BATCH) return 0xFFFF;
  nextClock();
  let allowed = true;
  let winner: u32 = 0;
  let winnerDenies = false;
  let winnerRetry: f64 = -1;
  let winnerRemaining: f64 = Infinity;
  for (let i: u32 = 0; i < count; i++) {
    const q = batchReq + <usize>i * REQ_BYTES;
    const st = findOrInsert(normaliseKey(load<u32>(q), load<u32>(q, 4)));
    const recFlags = load<u32>(q, 12);
    if (!decide(st, load<u32>(q, 8), load<f64>(q, 16), load<f64>(q, 24), load<f64>(q, 32), nowMs)) return 0xFFFF;
    touch(st);
    const s = batchState + <usize>i * 32;
    store<u64>(s, <u64>st);
    store<f64>(s, newT, 8);
    store<f64>(s, newCur, 16);
    store<f64>(s, newPrev, 24);
    const res = batchRes + <usize>i * RES_BYTES;
    store<u32>(res, outAllowed ? 1 : 0);
    store<f64>(res, outRemaining, 8);
    store<f64>(res, outReset, 16);
    store<f64>(res, outRetry, 24);
    const enforced = (recFlags & FLAG_DRY_RUN) == 0;
    if (!outAllowed && enforced) {
      allowed = false;
      if (!winnerDenies || outRetry > winnerRetry) {
        winner = i;
        winnerDenies = true;
        winnerRetry = outRetry;
      }
    } else if (!winnerDenies) {
      // Among allowing policies (and dry-run denials), the least remaining is the strictest;
      // a dry-run denial reports remaining 0 and so is preferred, which is what logs want.
      const rem = outAllowed ? outRemaining : -1;
      if (rem < winnerRemaining) {
        winner = i;
        winnerRemaining = rem;
      }
    }
  }
  if (allowed && (flags & FLAG_PEEK) == 0) {
    for (let i: u32 = 0; i < count; i++) {
      const res = batchRes + <usize>i * RES_BYTES;
      if (load<u32>(res) == 0) continue; // a dry-run denial consumes nothing
      const s = batchState + <usize>i * 32;
      const st = <usize>load<u64>(s);
      store<f64>(st + ST_T, load<f64>(s, 8));
      store<f64>(st + ST_CUR, load<f64>(s, 16));
      store<f32>(st + ST_PREV, <f32>load<f64>(s, 24));
    }
  }
  return (allowed ? 0x100 : 0) | winner;
}

/**
 * Sync mode: raises the local state of a key to at least the store's state (t, cur, prev)
 * so other instances' consumption is counted here. Inserts the key if absent.
 */
export function rlMerge(keyLo: u32, keyHi: u32, algo: u32, periodMs: f64, t: f64, cur: f64, prev: f64): void {
  nextClock();
  const st = findOrInsert(normaliseKey(keyLo, keyHi));
  touch(st);
  merge(st, algo, periodMs, t, cur, prev);
}

/**
 * Reads a key's state into the result area (t, cur, prev) without inserting or touching
 * it. Returns 1 when the table holds the key, 0 otherwise.
 */
export function rlRead(keyLo: u32, keyHi: u32): u32 {
  const st = find(normaliseKey(keyLo, keyHi));
  if (st == 0) return 0;
  store<f64>(resultArea, load<f64>(st + ST_T));
  store<f64>(resultArea, load<f64>(st + ST_CUR), 8);
  store<f64>(resultArea, <f64>load<f32>(st + ST_PREV), 16);
  return 1;
}
