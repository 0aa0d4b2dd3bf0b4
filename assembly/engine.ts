import { ABI_VERSION } from "./abi";
import { configureRegions, arenaBase, descBase, scratchA, scratchB, resultBase, disabledBase } from "./regions";

/** The ABI version this module implements; the host refuses a mismatch. */
export function abiVersion(): u32 {
  return ABI_VERSION;
}

/** Reserves all regions once. 0 on success. */
export function configure(arenaBytes: u32, maxFields: u32, scratchBytes: u32, maxRules: u32, resultBytes: u32): u32 {
  return configureRegions(arenaBytes, maxFields, scratchBytes, maxRules, resultBytes);
}

export function arenaPtr(): usize { return arenaBase; }
export function descPtr(): usize { return descBase; }
export function scratchPtr(): usize { return scratchA; }
export function scratch2Ptr(): usize { return scratchB; }
export function resultPtr(): usize { return resultBase; }
export function disabledPtr(): usize { return disabledBase; }
