// Derives a literal automaton's dense table from the trie the pack image carries
// (layout in src/pack/format.ts): the classic Aho–Corasick construction, breadth first.
//
//   row(root)[c]  = child of the root on c, else the root
//   row(s)[c]     = child of s on c, else row(fail(s))[c]
//   fail(child of s on c) = row(fail(s))[c]            (the root's children fail to the root)
//
// The table's layout (cells are row offsets, rows padded to 16 cells): aho-corasick-table.ts.
//
// Cost: one row copy per state (states × classes u16 cells written) plus one step per edge,
// under 0.1 ms for the default pack's 3,589 states × 69 classes once compiled (the pack's
// whole activation takes ~0.11 ms warm). Every cell is a child the trie names or a copy of a
// finished row, so the table is well formed by construction; the walk (aho-corasick.ts)
// needs no per-cell validation. The trie itself is checked here: every state but the root
// reached exactly once from the root, or the pack is refused.
//
// The pack-wide automaton's shift-or front end, when the image has one, is installed from
// here (front-end-install.ts): it needs the trie depths, which the breadth-first walk marks
// in `reached` at no extra cost.

import { AC_HEADER_SIZE } from "../pack-layout";
import { frontEndInstall } from "./front-end-install";
import { isAsciiSpace } from "../transforms/whitespace";
import { AC_CELLS_AT, AC_FIRST_OUT_CELL_AT, AC_STATE_MUL_AT, AC_UNIT_AT, AC_UNIT_SHIFT, acRowCells } from "./aho-corasick-table";

const MAX_STATES: u32 = 0x10000;
/** A row of u16 zeros, as wide as a row can be (256 classes): the root's children fail to the root. */
const ZERO_ROW = memory.data(512);
let queue: usize = 0;   // u16 per state: breadth-first order
let failOf: usize = 0;  // u16 per state: its failure state's cell
let reached: usize = 0; // u8 per state: 0 not reached, else its trie depth + 1 (≤ 255)

/** Bytes of the derived dense table, rounded to 16: its header, then the rows. */
export function acDerivedBytes(ac: usize): u64 {
  return AC_CELLS_AT + ((<u64>load<u32>(ac) * acRowCells(<u64>load<u32>(ac + 4)) * 2 + 15) & ~15);
}

/**
 * Derives the dense table at `at` (acDerivedBytes(ac) bytes, 16-aligned) and returns it, or
 * 0 when the trie is not a tree rooted at state 0 covering every state, or its table would
 * not fit u16 cells (the pack is then refused). With `frontEndSlot` ≥ 0 (the pack slot of
 * the pack-wide automaton), installs the front end whose compiled cells are at `frontEnd`
 * (0: none).
 * The caller has checked the trie's bounds: edge ranges, children < states, classes < classes.
 */
export function acDerive(ac: usize, packBase: usize, at: usize, frontEndSlot: i32, frontEnd: usize): usize {
  const table = at;
  if (!deriveTable(ac, table)) return 0;
  if (frontEndSlot >= 0) frontEndInstall(ac, packBase, frontEndSlot, table, frontEnd, reached);
  return table;
}

function deriveTable(ac: usize, table: usize): bool {
  if (queue == 0) {
    queue = heap.alloc(<usize>MAX_STATES * 2);
    failOf = heap.alloc(<usize>MAX_STATES * 2);
    reached = heap.alloc(<usize>MAX_STATES);
  }
  const states = load<u32>(ac);
  const classes = <usize>load<u32>(ac + 4);
  const firstEdge = ac + AC_HEADER_SIZE;
  const edgeCount = <usize>states - 1;
  const child = firstEdge + (<usize>states + 1) * 2;
  const edgeClass = child + edgeCount * 2;
  const usedBytes = classes * 2;
  const rowBytes = <usize>acRowCells(classes) * 2;
  const unit = rowBytes >> AC_UNIT_SHIFT; // a state's cell is state × unit
  if (<u64>(states - 1) * unit > 0xffff) return false;
  store<u32>(table + AC_UNIT_AT, <u32>unit);
  store<u32>(table + AC_FIRST_OUT_CELL_AT, load<u32>(ac + 8) * <u32>unit);
  store<u32>(table + AC_STATE_MUL_AT, <u32>((<u64>0x80000000 + <u64>unit - 1) / <u64>unit));
  for (let b: usize = 0; b < 256; b++) store<u32>(table + (b << 2), AC_CELLS_AT + (<u32>load<u8>(ac + 32 + b) << 1));
  table += AC_CELLS_AT;
  memory.fill(reached, 0, states);
  store<u8>(reached, 1);
  // The root: its children, every other class back to the root; its children fail to the
  // root (a row of zeros).
  memory.fill(table, 0, usedBytes);
  const root = linkChildren(0, table, ZERO_ROW, unit, child, edgeClass, <u32>load<u16>(firstEdge), <u32>load<u16>(firstEdge + 2), 0);
  if (root < 0) return false;
  let tail = <u32>root;
  // The walks assume no trie path is longer than the prefix length K (the four-stream walk
  // warms each stream up on the K − 1 bytes before its quarter): a deeper trie is refused.
  const maxDepth = load<u32>(ac + 28);
  for (let head: u32 = 0; head < tail; head++) {
    const s = <u32>load<u16>(queue + <usize>head * 2);
    const f = <usize>load<u16>(failOf + <usize>s * 2) << AC_UNIT_SHIFT;
    const row = table + <usize>s * rowBytes;
    const failRow = table + f;
    memory.copy(row, failRow, usedBytes);
    const from = <u32>load<u16>(firstEdge + <usize>s * 2);
    const to = <u32>load<u16>(firstEdge + <usize>s * 2 + 2);
    if (to == from) continue;
    if (<u32>load<u8>(reached + s) > maxDepth) return false; // children at depth reached[s]
    const next = linkChildren(s, row, failRow, unit, child, edgeClass, from, to, tail);
    if (next < 0) return false;
    tail = <u32>next;
  }
  return tail == states - 1;
}

/** Bytes per deleting byte map (256 u32 cells); acDeriveDeletingMap writes two, one after the other. */
export const AC_DELETING_MAP_BYTES: usize = 1024;

/**
 * Readies the table derived for `ac` at `trans` for a deleting walk (aho-corasick.ts
 * acReachesOutputDeleting): writes its stay column (aho-corasick-table.ts: the first padding
 * cell of every row holds the row's own cell) and, at `out`, two byte maps of
 * AC_DELETING_MAP_BYTES each: the table's own, except that the deleted bytes read the stay
 * column. The first deletes ASCII whitespace (what removeWhitespace deletes, NBSP aside);
 * the second whitespace and `+` (what urlDecode then removeWhitespace delete from a value
 * without `%`: the `+` becomes a space, and the space goes). Only the pack-wide automaton's
 * table gets them, at each activation. False, with nothing written, when the rows have no
 * padding cell (a class count that is a multiple of 16).
 */
export function acDeriveDeletingMap(ac: usize, trans: usize, out: usize): bool {
  const classes = <u64>load<u32>(ac + 4);
  if (acRowCells(classes) <= classes) return false;
  const stay = AC_CELLS_AT + (<u32>classes << 1);
  const unit = load<u32>(trans + AC_UNIT_AT);
  const rows = trans + AC_CELLS_AT;
  const states = load<u32>(ac);
  for (let s: u32 = 0; s < states; s++) {
    const cell = s * unit;
    store<u16>(rows + (<usize>cell << AC_UNIT_SHIFT) + (<usize>classes << 1), <u16>cell);
  }
  const plus = out + AC_DELETING_MAP_BYTES;
  for (let b: u32 = 0; b < 256; b++) {
    const column = isAsciiSpace(b) ? stay : load<u32>(trans + (<usize>b << 2));
    store<u32>(out + (<usize>b << 2), column);
    store<u32>(plus + (<usize>b << 2), b == 0x2b ? stay : column);
  }
  return true;
}

/**
 * The children of state `s` (edges from..to): each is marked reached (refused if it already
 * was), fails to its class's cell of the fail row, becomes a cell of `row` (its number ×
 * `unit`), and joins the queue. Returns the new queue tail, or -1 when a child was reached
 * twice.
 *
 * A function of its own, not a loop inside deriveTable, for the cold start: V8 compiles a
 * Wasm function with TurboFan, in the background, once that function has run about 1.8 MB
 * of code (its tiering budget), and the default pack's prefilter (3,589 states) took
 * deriveTable over it at every cold start: a TurboFan compile (--trace-wasm-compilation-times:
 * up to 1 ms of CPU) of code that runs once. Split, each half stays under it. (Two call
 * sites and a loop keep binaryen from inlining it back.)
 */
function linkChildren(s: u32, row: usize, failRow: usize, unit: usize, child: usize, edgeClass: usize, from: u32, to: u32, tail: u32): i32 {
  const depth = <u8>min(<u32>load<u8>(reached + s) + 1, 255);
  for (let e = from; e < to; e++) {
    const c = <u32>load<u16>(child + <usize>e * 2);
    if (load<u8>(reached + c) != 0) return -1;
    store<u8>(reached + c, depth);
    const cls = <usize>load<u8>(edgeClass + e);
    store<u16>(failOf + <usize>c * 2, load<u16>(failRow + cls * 2));
    store<u16>(row + cls * 2, <u16>(<usize>c * unit));
    store<u16>(queue + <usize>tail * 2, <u16>c);
    tail++;
  }
  return <i32>tail;
}
