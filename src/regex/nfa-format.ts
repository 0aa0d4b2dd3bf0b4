/**
 * The binary form of an exact NFA (nfa.ts), carried in a pack for the host's lazy DFA
 * (lazy-dfa.ts) when a pattern's DFA is over the state budget: the runtime then needs no
 * regex parser, only this reader. Little-endian:
 *
 *   0 u32 state count n     4 u32 start state     8 u32 looks used (LOOK_* bits)
 *   12 u32 flags: bit 0 anchored start, bit 1 state ids are u16 (else u32)
 *   16 u32 edge count e (SPLIT targets, over all SPLIT states)
 *   20 u8[n] kind, u8[n] lo, u8[n] hi (for LOOK: lo is its LOOK_* bit), padding to 4
 *   then id[n] next (RANGE, LOOK, LOOKAROUND: target; SPLIT: its target count; MATCH: 0)
 *   then id[e] SPLIT targets, state by state in id order, padding to 4
 *   with flag bit 2 (lookarounds; nfa.ts `exactLookaround`), then: u32 count k, and k times
 *   u32 sense (bit 0 ahead, bit 1 negated), u32 length, the body in this same format
 *   (padded to 4). A LOOKAROUND state's lo is its lookaround's index.
 *
 * Reading checks every field (kinds, ranges, look bits, targets in range, counts adding up),
 * so a damaged or hostile image is refused with the field named, never run.
 * Size: about 5 bytes per state plus 2 per edge with u16 ids (CRS 932236: 12,138 states).
 */
import { LOOK, LOOKAROUND, LOOK_END_TEXT_OPT_NEWLINE, MATCH, MAX_LOOKAROUNDS, RANGE, SPLIT, type Nfa, type NfaLookaround } from "./nfa.js";

const HEADER = 20;
const ANCHORED = 1;
const U16_IDS = 2;
const LOOKAROUNDS = 4;
/** Lookaround bodies nest at most this deep in a pack (the reader recurses). */
const MAX_LOOKAROUND_DEPTH = 8;
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
  const mainBytes = (idsAt + (n + e) * idBytes + 3) & ~3;
  const bodies = (nfa.lookarounds ?? []).map((l) => serializeNfa(l.nfa));
  const trailer = bodies.length === 0 ? 0 : 4 + bodies.reduce((sum, b) => sum + 8 + b.length, 0);
  const bytes = new Uint8Array(mainBytes + trailer);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, n, true);
  view.setUint32(4, nfa.start, true);
  view.setUint32(8, nfa.looksUsed, true);
  view.setUint32(12, (nfa.anchoredStart ? ANCHORED : 0) | (wide ? 0 : U16_IDS) | (bodies.length > 0 ? LOOKAROUNDS : 0), true);
  view.setUint32(16, e, true);
  const putId = (at: number, id: number): void => (wide ? view.setUint32(at, id, true) : view.setUint16(at, id, true));
  let edge = idsAt + n * idBytes;
  for (let s = 0; s < n; s++) {
    const kind = nfa.kind[s];
    bytes[HEADER + s] = kind;
    bytes[HEADER + n + s] = kind === RANGE || kind === LOOK || kind === LOOKAROUND ? nfa.lo[s] : 0;
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
  if (bodies.length > 0) {
    let at = mainBytes;
    view.setUint32(at, bodies.length, true);
    at += 4;
    bodies.forEach((body, k) => {
      const { ahead, negated } = nfa.lookarounds![k];
      view.setUint32(at, (ahead ? 1 : 0) | (negated ? 2 : 0), true);
      view.setUint32(at + 4, body.length, true);
      bytes.set(body, at + 8);
      at += 8 + body.length;
    });
  }
  return bytes;
}

/** The NFA in `bytes`; throws an Error naming the first field that does not hold. */
export function deserializeNfa(bytes: Uint8Array): Nfa {
  return readNfa(bytes, "confirmation NFA", 0);
}

function readNfa(bytes: Uint8Array, where: string, depth: number): Nfa {
  const fail = (what: string): never => {
    throw new Error(`${where}: ${what}`);
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
  if ((flags & ~(ANCHORED | U16_IDS | LOOKAROUNDS)) !== 0) fail(`unknown flags ${flags}`);
  const idBytes = flags & U16_IDS ? 2 : 4;
  const idsAt = (HEADER + 3 * n + 3) & ~3;
  // Plain arithmetic, not `& ~3`: a damaged edge count must not wrap to a negative length.
  const expected = Math.ceil((idsAt + (n + e) * idBytes) / 4) * 4;
  const lookarounds = flags & LOOKAROUNDS ? readLookarounds(bytes, expected, where, depth, fail) : undefined;
  if (!lookarounds && bytes.length !== expected) fail(`${bytes.length} bytes, where ${n} states and ${e} edges take ${expected}`);
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
    } else if (k === LOOKAROUND) {
      if (!lookarounds || l >= lookarounds.length) fail(`state ${s}: lookaround ${l} of ${lookarounds?.length ?? 0}`);
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
  const nfa: Nfa = { kind, lo, hi, next, out, start, looksUsed, anchoredStart: (flags & ANCHORED) !== 0 };
  if (lookarounds) nfa.lookarounds = lookarounds;
  return nfa;
}

/** The lookaround bodies after the main NFA's `mainBytes` bytes, which must fill `bytes` exactly. */
function readLookarounds(bytes: Uint8Array, mainBytes: number, where: string, depth: number, fail: (what: string) => never): NfaLookaround[] {
  if (depth >= MAX_LOOKAROUND_DEPTH) fail(`lookarounds nested deeper than ${MAX_LOOKAROUND_DEPTH}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < mainBytes + 4) fail(`${bytes.length} bytes, too short for the lookaround count after ${mainBytes}`);
  const count = view.getUint32(mainBytes, true);
  if (count === 0 || count > MAX_LOOKAROUNDS) fail(`lookaround count ${count} (1..${MAX_LOOKAROUNDS})`);
  const out: NfaLookaround[] = [];
  let at = mainBytes + 4;
  for (let k = 0; k < count; k++) {
    if (at + 8 > bytes.length) fail(`lookaround ${k}: header past the end (${bytes.length} bytes)`);
    const sense = view.getUint32(at, true);
    const length = view.getUint32(at + 4, true);
    if ((sense & ~3) !== 0) fail(`lookaround ${k}: unknown sense bits ${sense}`);
    if (length % 4 !== 0 || at + 8 + length > bytes.length) fail(`lookaround ${k}: ${length} bytes at ${at + 8}, past the end (${bytes.length}) or unaligned`);
    const nfa = readNfa(bytes.subarray(at + 8, at + 8 + length), `${where}, lookaround ${k}`, depth + 1);
    out.push({ ahead: (sense & 1) !== 0, negated: (sense & 2) !== 0, nfa });
    at += 8 + length;
  }
  if (at !== bytes.length) fail(`${bytes.length - at} bytes after the last lookaround`);
  return out;
}
