// Fixed regions of linear memory, reserved once by `configure` and never freed.
// The module runs with `--runtime stub` (a bump allocator that never frees), so every
// buffer the hot path touches is carved out here up front: no allocation per request.

import { DESC_SIZE } from "./abi";

/** Request arena: field names and values as UTF-8, written by the host. */
export let arenaBase: usize = 0;
export let arenaCap: u32 = 0;
/** Field descriptor table, DESC_SIZE bytes per field. */
export let descBase: usize = 0;
export let maxFields: u32 = 0;
/** Two ping-pong buffers for transform chains, each `scratchCap` bytes, and two more for
 *  chain conditions, which run while a value in the first pair is still being walked. */
export let scratchA: usize = 0;
export let scratchB: usize = 0;
export let scratchC: usize = 0;
export let scratchD: usize = 0;
/** One buffer per transform-chain depth: the per-field chain cache (assembly/inspect.ts)
 *  keeps every prefix's output, so groups sharing a prefix compute it once. */
export const CHAIN_LEVELS: u32 = 8;
export let levelBase: usize = 0;
export let levelStride: usize = 0;
export let scratchCap: u32 = 0;
/** Per-request "disabled rule" bitset written by the host (route exclusions). */
export let disabledBase: usize = 0;
export let disabledCap: u32 = 0; // in bytes
/** Result block, see assembly/result.ts. */
export let resultBase: usize = 0;
export let resultCap: u32 = 0;

let configured = false;

function reserve(bytes: usize): usize {
  // 16-byte alignment keeps v128 loads aligned.
  return heap.alloc((bytes + 15) & ~15);
}

/**
 * Reserves every region. Returns 0 on success, 1 if already configured.
 * Sizes come from the host's limits (body bytes, field count, field length).
 */
export function configureRegions(arenaBytes: u32, fields: u32, scratchBytes: u32, maxRules: u32, resultBytes: u32): u32 {
  if (configured) return 1;
  configured = true;
  arenaCap = arenaBytes;
  // 16 spare bytes after the arena so SIMD loads near the end stay in bounds.
  arenaBase = reserve(<usize>arenaBytes + 16);
  maxFields = fields;
  descBase = reserve(<usize>fields * DESC_SIZE);
  scratchCap = scratchBytes;
  scratchA = reserve(<usize>scratchBytes + 16);
  scratchB = reserve(<usize>scratchBytes + 16);
  scratchC = reserve(<usize>scratchBytes + 16);
  scratchD = reserve(<usize>scratchBytes + 16);
  levelStride = (<usize>scratchBytes + 31) & ~15;
  levelBase = reserve(levelStride * CHAIN_LEVELS);
  disabledCap = (maxRules + 7) >> 3;
  disabledBase = reserve(<usize>disabledCap);
  resultBase = reserve(<usize>resultBytes);
  resultCap = resultBytes;
  return 0;
}
