// The layout of a literal automaton's dense table, as activation derives it
// (aho-corasick-derive.ts) and the walks read it (aho-corasick.ts, front-end.ts):
//
//   +0     u32 × 256  per input byte: AC_CELLS_AT + 2 × its class (the byte's cell in a row)
//   +1024  u32        the unit: a row's size in 32-byte units (classes rounded up to 16, / 16)
//   +1028  u32        the first output state's cell (firstOut × unit)
//   +1032  u32        ⌈2^31 / unit⌉: a cell back to its state with a multiply
//   +1040  rows       one per state, u16 cells: the next state's cell
//
// A state's cell is its row's offset in 32-byte units (state × unit), not its number, so a
// step is a shift and an add off the previous load: the state number × classes (a multiply
// on the walk's chain of dependent loads) is paid once, at activation. Rows are padded to a
// multiple of 16 cells (the default pack's 69 classes: 80). Cells are u16, so a table holds
// at most 2 MB of rows: states × padded classes ≤ 1 Mi, the engine's cap per automaton
// (assembly/pack.ts MAX_AC_CELLS), which the compiler's budget for large literal sets
// counts with the padding (src/pack/aho-corasick.ts). 16-byte units (rows padded to 8 cells)
// would cap tables at 1 MB, too small for the 5,000-rule scaling pack's 3-byte prefix trie.
// Output states are still numbered last, so their cells are the ones ≥ the first one's.
//
// The stay column: when the classes leave padding in a row, the first padding cell (column
// `classes`) holds the row's own cell. A byte mapped to it leaves the state unchanged, as if
// it were not there: a walk over a value whose whitespace bytes are mapped so is the walk over
// the value with its whitespace removed, without computing that copy (aho-corasick.ts
// acReachesOutputDeleting; written for the pack-wide automaton by aho-corasick-derive.ts
// acDeriveDeletingMap). Normal walks never read it (their classes are < `classes`).

/** log2 of the unit of a cell, in bytes. */
export const AC_UNIT_SHIFT: usize = 5;

/**
 * A row's width in cells: the classes rounded up to 16, a whole number of 32-byte units. The
 * engine's cap on a table (assembly/pack.ts MAX_AC_CELLS) counts these padded cells, as the
 * compiler's budget does (src/pack/format.ts AC_ROW_CELLS).
 */
// @ts-ignore: decorator
@inline export function acRowCells(classes: u64): u64 {
  return (classes + 15) & ~15;
}
export const AC_UNIT_AT: usize = 1024;
export const AC_FIRST_OUT_CELL_AT: usize = 1028;
export const AC_STATE_MUL_AT: usize = 1032;
export const AC_CELLS_AT: u32 = 1040;

/** The cell after reading the byte at `p` in the state whose cell is `cell`: one table lookup. */
@inline export function acStep(trans: usize, cell: u32, p: usize): u32 {
  return acStepMapped(trans, trans, cell, p);
}

/** acStep with the byte's cell offset read from `map` (256 u32, the table's own at `trans` + 0, or a deleting walk's). */
// @ts-ignore: decorator
@inline export function acStepMapped(trans: usize, map: usize, cell: u32, p: usize): u32 {
  return <u32>load<u16>(trans + <usize>load<u32>(map + (<usize>load<u8>(p) << 2)) + (<usize>cell << AC_UNIT_SHIFT));
}

/** The state whose cell is `cell` (an exact division by the unit, as a multiply: cell < 2^16, unit ≤ 16). */
@inline export function acStateOf(trans: usize, cell: u32): u32 {
  return <u32>((<u64>cell * <u64>load<u32>(trans + AC_STATE_MUL_AT)) >> 31);
}
