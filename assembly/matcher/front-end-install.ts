// Installs the pack-wide literal automaton's shift-or front end (front-end.ts) at
// activation. The compiler built its table (src/pack/front-end.ts: buckets, a cost model,
// ~50 K writes) so that activation only checks the trie and copies: 4,096 cells into the
// scan's layout (pairs & 0x5f5f) and the trie depth of each state, ~15 µs. The store is one
// per pack slot, allocated at its first use (FRONT_END_TABLE_BYTES + 64 KB of depths), so
// packs without a front end cost no memory.
//
// The table's bits need no validation: any content is safe to scan with (a wrong table can
// only cost speed or, in a hand-made image, hits, never memory safety). The trie must agree
// with the prefix groups (a group's depth is its state's depth; no state deeper than 16), as
// confirmation reports a group from its state; else the pack runs without a front end.

import { FRONT_END_TABLE_BYTES, pairCell } from "./front-end";

const MAX_STATES: usize = 0x10000;
const MAX_DEPTH: u32 = 16;

/** Per pack slot: the store (the scan's table, then the trie depth (u8) of each state). */
const slotStore = new StaticArray<usize>(2);
/** Per pack slot: the dense table whose front end the store holds (0: none). */
const slotTable = new StaticArray<usize>(2);

/**
 * The front end of the automaton whose dense table is at `trans`, or 0. Two compares: only
 * a pack's pack-wide automaton has one, and there are two pack slots.
 */
@inline export function frontEndOf(trans: usize): usize {
  if (trans == unchecked(slotTable[0])) return unchecked(slotStore[0]);
  if (trans == unchecked(slotTable[1])) return unchecked(slotStore[1]);
  return 0;
}

/**
 * Installs the compiled table `cells` (4,096 u64, cell c0 | c1 << 6) for the automaton `ac`
 * (dense table at `trans`) in pack slot `slot`; `cells` 0 records that it has none.
 * `depthPlusOne` holds each state's trie depth + 1 (u8, the derive's breadth-first marks).
 */
export function frontEndInstall(ac: usize, packBase: usize, slot: i32, trans: usize, cells: usize, depthPlusOne: usize): void {
  unchecked((slotTable[slot] = 0));
  if (cells == 0 || !trieAgrees(ac, packBase, depthPlusOne)) return;
  let fe = unchecked(slotStore[slot]);
  if (fe == 0) {
    fe = heap.alloc(<usize>FRONT_END_TABLE_BYTES + MAX_STATES);
    unchecked((slotStore[slot] = fe));
  }
  // Cells a scan never reads (pairs & 0x5f5f leaves holes) are left as they are.
  for (let c: u32 = 0; c < 4096; c++) store<u64>(fe + (<usize>pairCell(c & 63, c >> 6) << 3), load<u64>(cells + (<usize>c << 3)));
  const depths = fe + FRONT_END_TABLE_BYTES;
  for (let s: usize = 0; s < <usize>load<u32>(ac); s++) store<u8>(depths + s, load<u8>(depthPlusOne + s) - 1);
  unchecked((slotTable[slot] = trans));
}

/** Every state at most 16 deep; every output state's own prefix group as deep as the state. */
function trieAgrees(ac: usize, packBase: usize, depthPlusOne: usize): bool {
  const states = load<u32>(ac);
  const firstOut = load<u32>(ac + 8);
  const outs = ac + load<u32>(ac + 20);
  for (let s: u32 = 0; s < states; s++) if (<u32>load<u8>(depthPlusOne + s) > MAX_DEPTH + 1) return false;
  for (let s = firstOut; s < states; s++) {
    const group = load<u32>(outs + <usize>(s - firstOut) * 8);
    if (group != 0 && load<u32>(packBase + group + 4) + 1 != <u32>load<u8>(depthPlusOne + s)) return false;
  }
  return true;
}
