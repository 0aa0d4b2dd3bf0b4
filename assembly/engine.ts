// The engine's exported surface: memory regions, pack slots and the one-call inspection.
import { ABI_VERSION } from "./abi";
import {
  configureRegions, arenaBase, arenaCap, descBase, ensureScratch, scratchA, scratchB, scratchCap, scratchRoom, resultBase, disabledBase,
} from "./regions";
import { packReserve as reserve, packActivate as activate, packRollback as rollback, packErrorDetail } from "./pack";
import { inspectRequest, transformFieldForRule } from "./inspect";
import { bytesEqual } from "./bytes-equal";
export { ruleConditionsHold, ruleMayConfirmOn } from "./inspect";
export { chainCacheMismatches, inspectCacheHits, inspectDeletingWalkCount, inspectHitCount, inspectWalkCount } from "./inspect";
import { acWalk } from "./matcher/aho-corasick";
import { disabledStride as activeDisabledStride, prefilterAc, prefilterTable, packBase } from "./pack";
import { featureMask, triggerMask } from "./transform-triggers";

/** The ABI version this module implements; the host refuses a mismatch. */
export function abiVersion(): u32 {
  return ABI_VERSION;
}

/** Reserves all regions once. 0 on success. */
export function configure(arenaBytes: u32, maxFields: u32, scratchBytes: u32, maxRules: u32, resultBytes: u32): u32 {
  return configureRegions(arenaBytes, maxFields, scratchBytes, maxRules, resultBytes);
}

export function arenaPtr(): usize { return arenaBase; }
export function arenaSize(): u32 { return arenaCap; }
export function descPtr(): usize { return descBase; }
/** Host-writable buffers of scratchSize() bytes each (grown to the configured size on first use: see regions.ts). */
export function scratchPtr(): usize { ensureScratch(scratchCap); return scratchA; }
export function scratch2Ptr(): usize { ensureScratch(scratchCap); return scratchB; }
export function scratchSize(): u32 { ensureScratch(scratchCap); return scratchRoom; }
/** Where transformForRule left its output (scratch A, without growing it). */
export function transformedPtr(): usize { return scratchA; }
export { failScratchGrowth } from "./regions";
/** The host batch's form-urlencoded values, decoded in place (form-decode.ts). */
export { formDecodeFields, formDecodeFlags } from "./form-decode";
export { verdictCacheCollide } from "./verdict-cache";
export { packDeletingWalkHook, packNameIdCount, packNameIdsHook } from "./pack";
export { packOutputSlotsHook } from "./output-slots";
export function resultPtr(): usize { return resultBase; }
export function disabledPtr(): usize { return disabledBase; }
/** Bytes per disabled-rule bitset for the active pack: route sets are written at disabledPtr() + set * stride. */
export function disabledStride(): u32 { return activeDisabledStride; }

/** Returns where to copy a pack image of `len` bytes (the inactive slot). */
export function packReserve(len: u32): usize { return reserve(len); }
/** Validates and activates the staged image; 0 or an error code (src/engine/pack-errors.ts).
 *  `builtChecksum`: see packActivate in pack.ts (0, or a host calling with one argument: validate all). */
export function packActivate(len: u32, builtChecksum: u32): u32 { return activate(len, builtChecksum); }
/** Re-activates the previous pack. 0 on success. */
export function packRollback(): u32 { return rollback(); }
/** The rule/group index that failed the last validation. */
export function packError(): u32 { return packErrorDetail; }

/** Inspects the `fieldCount` fields described in the descriptor table. Returns the verdict. */
export function inspect(fieldCount: u32, paranoia: u32, threshold: u32, flags: u32): u32 {
  return inspectRequest(fieldCount, paranoia, threshold, flags);
}

/** Applies the chain of rule `r`'s group to field `field` (part 0 value, 1 name) into scratch A
 *  and returns the length: the host confirms over-approximated regex matches on it. */
export function transformForRule(field: u32, part: u32, r: u32): u32 {
  return transformFieldForRule(field, part, r);
}

/** For tests: the feature mask of a value and the trigger mask of a transform. */
export function valueFeatures(ptr: usize, len: u32): u32 { return featureMask(ptr, len); }
/** Test hook: bytesEqual (assembly/bytes-equal.ts) as 1 or 0. */
export function bytesEqualAt(a: usize, b: usize, n: u32): u32 { return bytesEqual(a, b, n) ? 1 : 0; }
export function transformTriggers(t: u32): u32 { return triggerMask(t); }

let prefilterHits: u32 = 0;
function countHit(rule: u32, flags: u32, start: u32, end: u32): bool { prefilterHits++; return false; }

/** For benchmarks: walks the active pack's literal prefilter over bytes, returns hits. */
export function prefilterScan(ptr: usize, len: u32): u32 {
  prefilterHits = 0;
  if (prefilterAc != 0) acWalk(prefilterAc, prefilterTable, packBase, ptr, len, countHit);
  return prefilterHits;
}
