// Which field parts an output state of the pack-wide literal automaton can matter to.
//
// The automaton holds every rule's literals, whatever fields the rules read, so a value
// reaches output states whose literals belong only to rules that cannot read it: `://` and
// `http` on a Referer are the literals of eight remote-file-inclusion and SSRF rules, of
// which one reads headers. Each such hit used to cost its prefix group's verification and a
// call of the hit handler, which then refused it (over the project's benign corpus, nine
// hits in ten). Per slot (a kind's values, or its names), a bitset over output states says
// whether a rule with a literal at that state or on its dictionary-suffix chain (what
// reportState visits) may read that slot: its kind mask or a selector of that kind and part
// (a superset of what targets() accepts). A walk for the slot reports only states whose bit
// is set (literal-verify.ts keepsOutput), so the refused hits are never verified. (The
// deleting walk does not take the bitsets: skipping more leaders there changes which later
// classes fold into whose walk, and with it the order in which rules fire.)
//
// Cost: derived at activation, one pass over the output states' chains and their rules
// (bounded by the pack; the rules' slots read inline, not through a callback, which cost
// the default pack's activation 40 µs rather than 20), 64 bitsets of one bit per output
// state (the default pack: 1,424 output states, 11.5 KB).

import { R_NAME_MASK, R_VALUE_MASK, RULE_SIZE } from "./pack-layout";

/** The 64 bitsets, slot after slot (0: none derived; walks then report every state). */
export let outputSlots: usize = 0;
/** Bytes per slot's bitset: a u32 per 32 output states. */
export let outputSlotStride: u32 = 0;
let capacity: usize = 0;
/** Test hook, taken at activation: no bitsets, so every output state is reported. */
let hookOff = false;
export function packOutputSlotsHook(off: bool): void { hookOff = off; }

/** Slots a field part can have: 32 kinds of values, then 32 kinds of names. */
const SLOTS: u32 = 64;

/**
 * Derives the bitsets for the automaton at `ac` (0: none). `keys` are the rules' selector
 * keys (pack.ts deriveSelectorKeys): u32 value kinds at +16, name kinds at +20 of each
 * `keysSize`-byte record.
 */
export function deriveOutputSlots(ac: usize, packBase: usize, rulesBase: usize, keys: usize, keysSize: u32): void {
  if (ac == 0 || hookOff) {
    outputSlots = 0;
    return;
  }
  const firstOut = load<u32>(ac + 8);
  const count = load<u32>(ac) - firstOut;
  const outs = ac + load<u32>(ac + 20);
  outputSlotStride = ((count + 31) >> 5) << 2;
  const bytes = <usize>SLOTS * outputSlotStride;
  if (capacity < bytes) {
    outputSlots = heap.alloc(bytes);
    capacity = bytes;
  }
  memory.fill(outputSlots, 0, bytes);
  for (let o: u32 = 0; o < count; o++) {
    let slots: u64 = 0;
    for (let st = o; ; ) {
      const group = load<u32>(outs + <usize>st * 8);
      if (group != 0) {
        const at = packBase + group;
        const members = load<u32>(at);
        for (let m: u32 = 0; m < members; m++) {
          const pat = packBase + load<u32>(at + 8 + <usize>m * 4);
          const hits = packBase + load<u32>(pat + 4);
          const n = load<u32>(pat + 8);
          for (let h: u32 = 0; h < n; h++) slots |= ruleSlots(load<u32>(hits + <usize>h * 12), rulesBase, keys, keysSize);
        }
      }
      const dict = load<u32>(outs + <usize>st * 8 + 4);
      if (dict == 0xffffffff) break;
      st = dict - firstOut;
    }
    const word = outputSlots + (<usize>(o >> 5) << 2);
    for (; slots != 0; slots &= slots - 1) {
      const at = word + <usize>ctz(slots) * outputSlotStride;
      store<u32>(at, load<u32>(at) | (<u32>1 << (o & 31)));
    }
  }
}

/** The slots rule `r` may read: its value kinds in the low half, its name kinds in the high. */
// @ts-ignore: decorator
@inline function ruleSlots(r: u32, rulesBase: usize, keys: usize, keysSize: u32): u64 {
  const rule = rulesBase + <usize>r * RULE_SIZE;
  const k = keys + <usize>r * keysSize;
  return <u64>(load<u32>(rule + R_VALUE_MASK) | load<u32>(k + 16)) | (<u64>(load<u32>(rule + R_NAME_MASK) | load<u32>(k + 20)) << 32);
}

/** The bitset of the slot of `kind` (< 32) and `part` (0 value, 1 name), or 0 when none was derived. */
// @ts-ignore: decorator
@inline export function outputSlotsOf(kind: u32, part: u32): usize {
  return outputSlots == 0 ? 0 : outputSlots + <usize>(part * 32 + kind) * outputSlotStride;
}
