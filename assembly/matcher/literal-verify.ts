// Confirms a literal prefix hit: the literals sharing the prefix are compared past it
// (case-folded), then each rule hit's anchors and, for case-sensitive literals, the exact
// bytes. Shared by the automaton walk (aho-corasick.ts) and the shift-or front end
// (front-end.ts). Cost per prefix hit: bounded by the pack (literals sharing the prefix ×
// their length), never by the input.

import { HIT_ANCHOR_END, HIT_ANCHOR_START, HIT_CASE_SENSITIVE } from "../pack-layout";
import { bytesEqual } from "../bytes-equal";

/** Called for every literal hit that passes its checks; return true to stop the walk. */
export type HitHandler = (rule: u32, flags: u32, start: u32, end: u32) => bool;

@inline function fold(b: u32): u32 { return b - 0x41 < 26 ? b | 0x20 : b; }

/**
 * Whether output state `state` is kept by `keep`: 0, or a bitset over output states (bit
 * state − firstOutState) whose clear bits are states none of whose hits the walk's handler
 * would take (assembly/output-slots.ts: their rules cannot read the field part walked).
 */
// @ts-ignore: decorator
@inline export function keepsOutput(keep: usize, state: u32, firstOutState: u32): bool {
  const o = state - firstOutState;
  return keep == 0 || ((load<u32>(keep + (<usize>(o >> 5) << 2)) >> (o & 31)) & 1) != 0;
}

/** Reports the state's prefix group and every group on its dictionary-suffix chain, unless `keep` drops the state. */
export function reportState(state: u32, firstOutState: u32, outs: usize, packBase: usize, input: usize, prefixEnd: u32, len: u32, onHit: HitHandler, keep: usize): bool {
  if (!keepsOutput(keep, state, firstOutState)) return false;
  let rec = outs + <usize>(state - firstOutState) * 8;
  while (true) {
    const group = load<u32>(rec);
    if (group != 0 && reportGroup(packBase + group, packBase, input, prefixEnd, len, onHit)) return true;
    const dict = load<u32>(rec + 4);
    if (dict == 0xffffffff) return false;
    rec = outs + <usize>(dict - firstOutState) * 8;
  }
  return false;
}

/** Asked about a rule with a literal at an output state (stateHasRule); true: that rule counts. */
export type RuleFilter = (rule: u32) => bool;

/**
 * Whether a literal of the state's prefix group, or of a group on its dictionary-suffix chain
 * (the groups reportState visits), has a hit for a rule `counts`. Unverified: the literal need
 * not be in the input. Cost: the groups' literals × their hits, bounded by the pack.
 */
export function stateHasRule(state: u32, firstOutState: u32, outs: usize, packBase: usize, counts: RuleFilter): bool {
  let rec = outs + <usize>(state - firstOutState) * 8;
  while (true) {
    const group = load<u32>(rec);
    if (group != 0) {
      const at = packBase + group;
      const members = load<u32>(at);
      for (let m: u32 = 0; m < members; m++) {
        const pat = packBase + load<u32>(at + 8 + <usize>m * 4);
        const hits = packBase + load<u32>(pat + 4);
        const count = load<u32>(pat + 8);
        for (let h: u32 = 0; h < count; h++) if (counts(load<u32>(hits + <usize>h * 12))) return true;
      }
    }
    const dict = load<u32>(rec + 4);
    if (dict == 0xffffffff) return false;
    rec = outs + <usize>(dict - firstOutState) * 8;
  }
  return false;
}

/** Reports every literal of the prefix group at `group` whose prefix ends at `prefixEnd`. */
export function reportGroup(group: usize, packBase: usize, input: usize, prefixEnd: u32, len: u32, onHit: HitHandler): bool {
  const members = load<u32>(group);
  const depth = load<u32>(group + 4);
  const start = prefixEnd - depth;
  for (let m: u32 = 0; m < members; m++) {
    const pat = packBase + load<u32>(group + 8 + <usize>m * 4);
    const plen = load<u32>(pat);
    if (<u64>start + plen > <u64>len) continue;
    if (plen > depth) {
      // Verify the rest of the literal, case-folded.
      const lit = packBase + load<u32>(pat + 12);
      let k = depth;
      while (k < plen && fold(<u32>load<u8>(input + start + k)) == <u32>load<u8>(lit + k)) k++;
      if (k < plen) continue;
    }
    const end = start + plen;
    const hits = packBase + load<u32>(pat + 4);
    const count = load<u32>(pat + 8);
    for (let h: u32 = 0; h < count; h++) {
      const hit = hits + <usize>h * 12;
      const flags = load<u32>(hit + 4);
      if ((flags & HIT_ANCHOR_START) != 0 && start != 0) continue;
      if ((flags & HIT_ANCHOR_END) != 0 && end != len) continue;
      if ((flags & HIT_CASE_SENSITIVE) != 0 && !bytesEqual(input + start, packBase + load<u32>(hit + 8), plen)) continue;
      if (onHit(load<u32>(hit), flags, start, end)) return true;
    }
  }
  return false;
}
