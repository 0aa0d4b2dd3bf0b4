/**
 * Walk gates: per transform group and field slot (kind and part), a set of bytes such that
 * every literal the pack-wide automaton holds for the group's rules reading that slot contains
 * one of them (either ASCII case: the walk folds case). A transformed value holding none of a
 * walk's gate bytes cannot produce a hit for any rule that walk serves, so the engine skips
 * the walk (assembly/inspect.ts walkFor) — exact, never a guess.
 *
 * Why: a long value is walked once per distinct transformed input, with the whole pack's
 * automaton (~1 ns a byte), even when the classes a walk serves hold a handful of rules for
 * that field. The raw URI of a long query string gets a walk of its decoded form without
 * whitespace for java-log4shell alone, whose literals all need `$` or `:`; a plain-text body
 * the same. The check costs a SIMD pass that stops at the first gate byte.
 *
 * Choice: each literal gives one byte, the cheapest by the weights below (rare punctuation
 * first), preferring bytes already chosen (greedy cover). A literal of letters, spaces only
 * (`etcpasswd`) leaves its slot without a gate: nearly every value holds a letter.
 *
 * Record (BLOB, group field 28; 0 none): u32 slots 0–31, u32 slots 32–63 (slot = kind × 2 +
 * part, a bit per slot some prefiltered rule of the group may read), then per set bit, in
 * order, u32 offset of a 32-byte set (src/regex/required-bytes.ts encoding), 0 for no gate.
 */

import { addByte, byteWeight, isLetterOrSpace } from "../regex/required-bytes.js";

/** One prefiltered rule of a group: the slots it may read and the literal bytes it is found by. */
export interface GateRule {
  valueMask: number;
  nameMask: number;
  literals: Uint8Array[];
}

/**
 * Price of a gate byte: required-bytes.ts's prices (rare punctuation 1, a byte ≥ 0x80 2, a
 * separator 4), and digits and `-._/`, which that file never cuts on, at 8; never a letter or
 * the space.
 */
function weight(b: number): number {
  const w = byteWeight(b);
  return w !== Infinity || isLetterOrSpace(b) ? w : 8;
}

/** The gate of a literal set (32 bytes), or null when some literal has no byte worth gating on. */
export function gateSet(literals: Uint8Array[]): Uint8Array | null {
  const chosen = new Set<number>();
  // Literals with fewer candidate bytes first: their choice is forced, later ones may share it.
  const sorted = [...literals].sort((a, b) => candidates(a).length - candidates(b).length);
  for (const lit of sorted) {
    const own = candidates(lit);
    if (own.length === 0) return null;
    if (own.some((b) => chosen.has(b))) continue;
    chosen.add(own.reduce((best, b) => (weight(b) < weight(best) ? b : best)));
  }
  const set = new Uint8Array(32);
  for (const b of chosen) addByte(set, b);
  return set;
}

function candidates(lit: Uint8Array): number[] {
  return [...new Set(lit)].filter((b) => weight(b) !== Infinity);
}

/**
 * The group's gate record: a bit per slot some rule reads, and that slot's gate set (a group
 * without prefiltered rules gets the empty record: no walk has hits for it).
 * `intern` places a byte string in the blob and returns its offset.
 */
export function gateRecord(rules: GateRule[], intern: (bytes: Uint8Array) => number): Uint8Array {
  const offsets: number[] = [];
  const masks = [0, 0];
  for (let slot = 0; slot < 64; slot++) {
    const kind = slot >> 1;
    const readers = rules.filter((r) => (((slot & 1) === 0 ? r.valueMask : r.nameMask) >>> kind) & 1);
    if (readers.length === 0) continue;
    masks[slot >> 5] = (masks[slot >> 5]! | (1 << (slot & 31))) >>> 0;
    const set = gateSet(readers.flatMap((r) => r.literals));
    offsets.push(set ? intern(set) : 0);
  }
  const record = new Uint8Array(8 + offsets.length * 4);
  const view = new DataView(record.buffer);
  view.setUint32(0, masks[0]!, true);
  view.setUint32(4, masks[1]!, true);
  offsets.forEach((o, i) => view.setUint32(8 + i * 4, o, true));
  return record;
}
