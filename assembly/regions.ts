// Fixed regions of linear memory, reserved once by `configure` and never freed.
// The module runs with `--runtime stub` (a bump allocator that never frees), so every
// buffer the hot path touches is carved out here up front: no allocation per request.

import { DESC_SIZE } from "./abi";
import { VERDICT_CACHE_BYTES, verdictCacheInit } from "./verdict-cache";

/** Request arena: field names and values as UTF-8, written by the host. */
export let arenaBase: usize = 0;
export let arenaCap: u32 = 0;
/** Field descriptor table, DESC_SIZE bytes per field. */
export let descBase: usize = 0;
export let maxFields: u32 = 0;
/** Two ping-pong buffers for transform chains, each `scratchRoom` bytes, and two more for
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
/** The longest value a transform may write: the host's limit (the largest body it sends). */
export let scratchCap: u32 = 0;
/**
 * What the twelve buffers above hold now: SMALL_SCRATCH until a value needs more, then
 * scratchCap. Sized for a 1 MB body from the start they cost 12 MB that most engines never
 * touch (and that counts against V8's external-memory budget, which decides when it
 * collects). ensureScratch grows them the first time a transform's bound exceeds this.
 */
export let scratchRoom: u32 = 0;
const SMALL_SCRATCH: u32 = 64 * 1024;
/** Per-request "disabled rule" bitset written by the host (route exclusions). */
export let disabledBase: usize = 0;
export let disabledCap: u32 = 0; // in bytes
/** Result block: its layout is in the header comment of assembly/inspect.ts. */
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
  reserveScratch(scratchBytes < SMALL_SCRATCH ? scratchBytes : SMALL_SCRATCH);
  disabledCap = (maxRules + 7) >> 3;
  disabledBase = reserve(<usize>disabledCap);
  resultBase = reserve(<usize>resultBytes);
  // Zero (empty) until used: fresh pages of linear memory.
  verdictCacheInit(reserve(VERDICT_CACHE_BYTES));
  resultCap = resultBytes;
  return 0;
}

function reserveScratch(bytes: u32): void {
  scratchA = reserve(<usize>bytes + 16);
  scratchB = reserve(<usize>bytes + 16);
  scratchC = reserve(<usize>bytes + 16);
  scratchD = reserve(<usize>bytes + 16);
  levelStride = (<usize>bytes + 31) & ~15;
  levelBase = reserve(levelStride * CHAIN_LEVELS);
  scratchRoom = bytes;
}

/**
 * Makes every scratch and chain buffer hold at least `bytes` (≤ scratchCap): once needed,
 * they are replaced by buffers of scratchCap. The old ones stay readable (linear memory never
 * moves or shrinks), so a chain cache level computed before the switch is still valid; they
 * are never written again (a one-time 768 KB left behind).
 *
 * False when memory could not grow, so the buffers stay smaller than `bytes`: the request
 * must not trap, so the callers write at most scratchRoom bytes (a prefix of the output, by
 * the transforms' contract) and the decision reports the cut (inspect's result flag 4).
 */
export function ensureScratch(bytes: u64): bool {
  // At full size any further cut is the configured one (scratchCap), as it always was.
  if (bytes <= <u64>scratchRoom || scratchRoom >= scratchCap) return true;
  if (growthFailed) return false;
  // Grow memory here, where a failure can be answered, so that the bump allocator below
  // (which traps when memory.grow fails) finds the room already there.
  const stride = (<usize>scratchCap + 31) & ~15;
  const needed: usize = 4 * ((<usize>scratchCap + 16 + 15) & ~15) + ((stride * <usize>CHAIN_LEVELS + 15) & ~15);
  // One page more than the buffers: the allocator adds a small header and alignment to each.
  if (memory.grow(<i32>((needed + 0xffff) >> 16) + 1) < 0) {
    growthFailed = true;
    return false;
  }
  reserveScratch(scratchCap);
  return true;
}

/** memory.grow refused the full-size buffers once: the engine keeps the small ones (no retry per request). */
let growthFailed = false;

/** Test hook: from now on, growing the buffers fails as memory.grow would under memory pressure. */
export function failScratchGrowth(): void {
  growthFailed = true;
}
