/**
 * The binary form of an exact NFA (nfa.ts), carried in a pack for the host's lazy DFA
 * (lazy-dfa.ts) when a pattern's DFA is over the state budget: the runtime then needs no
 * regex parser, only this reader. Little-endian:
 *
 *   0 u32 state count n     4 u32 start state     8 u32 looks used (LOOK_* bits)
 *   12 u32 flags: bit 0 anchored start, bit 1 state ids are u16 (else u32)
 *   16 u32 edge count e (SPLIT targets, over all SPLIT states)
 *   20 u8[n] kind, u8[n] lo, u8[n] hi (for LOOK: lo is its LOOK_* bit), padding to 4
 *   then id[n] next (RANGE, LOOK: target; SPLIT: its target count; MATCH: 0)
 *   then id[e] SPLIT targets, state by state in id order
 *
 * Reading checks every field (kinds, ranges, look bits, targets in range, counts adding up),
 * so a damaged or hostile image is refused with the field named, never run.
 * Size: about 5 bytes per state plus 2 per edge with u16 ids (CRS 932236: 12,138 states).
 */
import { LOOK, LOOK_END_TEXT_OPT_NEWLINE, MATCH, RANGE, SPLIT, type Nfa } from "./nfa.js";

const HEADER = 20;
const ANCHORED = 1;
const U16_IDS = 2;
/** Every LOOK_* bit nfa.ts defines. */
const ALL_LOOKS = LOOK_END_TEXT_OPT_NEWLINE * 2 - 1;
/** Largest NFA a pack may carry (nfa.ts's own limit is 250,000). */
export const MAX_SERIALIZED_NFA_STATES = 250_000;

export function serializeNfa(nfa: Nfa): Uint8Array {
  const n = nfa.kind.length;
  let e = 0;
  for (let s = 0; s < n; s++) if (nfa.kind[s] === SPLIT) e += nfa.out[s].length;
  const wide = n > 0xffff;
  const idBytes = wide ? 4 : 2;
  const idsAt = (HEADER + 3 * n + 3) & ~3;
  const bytes = new Uint8Array((idsAt + (n + e) * idBytes + 3) & ~3);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, n, true);
  view.setUint32(4, nfa.start, true);
  view.setUint32(8, nfa.looksUsed, true);
  view.setUint32(12, (nfa.anchoredStart ? ANCHORED : 0) | (wide ? 0 : U16_IDS), true);
  view.setUint32(16, e, true);
  const putId = (at: number, id: number): void => (wide ? view.setUint32(at, id, true) : view.setUint16(at, id, true));
  let edge = idsAt + n * idBytes;
  for (let s = 0; s < n; s++) {
    const kind = nfa.kind[s];
    bytes[HEADER + s] = kind;
    bytes[HEADER + n + s] = kind === RANGE || kind === LOOK ? nfa.lo[s] : 0;
    bytes[HEADER + 2 * n + s] = kind === RANGE ? nfa.hi[s] : 0;
    const at = idsAt + s * idBytes;
    if (kind === SPLIT) {
      putId(at, nfa.out[s].length);
      for (const t of nfa.out[s]) {
        putId(edge, t);
        edge += idBytes;
      }
    } else putId(at, kind === MATCH ? 0 : nfa.next[s]);
  }
  return bytes;
}

/** The NFA in `bytes`; throws an Error naming the first field that does not hold. */
export function deserializeNfa(bytes: Uint8Array): Nfa {
  const fail = (what: string): never => {
    throw new Error(`confirmation NFA: ${what}`);
  };
  if (bytes.length < HEADER) fail(`${bytes.length} bytes, shorter than its ${HEADER}-byte header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true);
  const start = view.getUint32(4, true);
  const looksUsed = view.getUint32(8, true);
  const flags = view.getUint32(12, true);
  const e = view.getUint32(16, true);
  if (n === 0 || n > MAX_SERIALIZED_NFA_STATES) fail(`state count ${n} (1..${MAX_SERIALIZED_NFA_STATES})`);
  if (start >= n) fail(`start state ${start} of ${n}`);
  if ((looksUsed & ~ALL_LOOKS) !== 0) fail(`unknown look-around bits ${looksUsed}`);
  if ((flags & ~(ANCHORED | U16_IDS)) !== 0) fail(`unknown flags ${flags}`);
  const idBytes = flags & U16_IDS ? 2 : 4;
  const idsAt = (HEADER + 3 * n + 3) & ~3;
  const expected = (idsAt + (n + e) * idBytes + 3) & ~3;
  if (bytes.length !== expected) fail(`${bytes.length} bytes, where ${n} states and ${e} edges take ${expected}`);
  const id = (at: number): number => (idBytes === 2 ? view.getUint16(at, true) : view.getUint32(at, true));
  const kind: number[] = new Array(n);
  const lo: number[] = new Array(n);
  const hi: number[] = new Array(n);
  const next: number[] = new Array(n);
  const out: number[][] = new Array(n);
  let edge = idsAt + n * idBytes;
  let edgesLeft = e;
  for (let s = 0; s < n; s++) {
    const k = bytes[HEADER + s];
    const l = bytes[HEADER + n + s];
    const h = bytes[HEADER + 2 * n + s];
    const v = id(idsAt + s * idBytes);
    kind[s] = k;
    lo[s] = l;
    hi[s] = h;
    next[s] = -1;
    out[s] = [];
    if (k === RANGE) {
      if (l > h) fail(`state ${s}: range ${l}..${h}`);
      if (v >= n) fail(`state ${s}: target ${v} of ${n}`);
      next[s] = v;
    } else if (k === LOOK) {
      if (l === 0 || (l & (l - 1)) !== 0 || (l & looksUsed) === 0) fail(`state ${s}: look-around bit ${l}`);
      if (v >= n) fail(`state ${s}: target ${v} of ${n}`);
      next[s] = v;
    } else if (k === SPLIT) {
      if (v > edgesLeft) fail(`state ${s}: ${v} targets, ${edgesLeft} edges left`);
      edgesLeft -= v;
      for (let j = 0; j < v; j++, edge += idBytes) {
        const t = id(edge);
        if (t >= n) fail(`state ${s}: target ${t} of ${n}`);
        out[s].push(t);
      }
    } else if (k !== MATCH) fail(`state ${s}: kind ${k}`);
  }
  if (edgesLeft !== 0) fail(`${edgesLeft} edges belong to no state`);
  return { kind, lo, hi, next, out, start, looksUsed, anchoredStart: (flags & ANCHORED) !== 0 };
}
