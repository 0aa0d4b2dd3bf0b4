/**
 * Builds the literal prefilter: one Aho–Corasick automaton per transform group, compiled
 * to a full DFA so the Wasm walk is one table lookup per input byte (no failure-link loops).
 *
 * Stages and their costs (n = total literal bytes, c = byte classes):
 *   1. trie over ASCII-case-folded literals            O(n) time and states
 *   2. failure and dictionary-suffix links (BFS)         O(n · c)
 *   3. byte classes: one per distinct folded byte + one for "any other byte"
 *   4. dense transition table, states renumbered so every state with an output comes last:
 *      the walk tests `state >= firstOutput` instead of loading a flag per byte.
 *   Size: states × classes × 2 bytes (4 when states × classes exceeds u16 range).
 * Case-sensitive literals share the folded automaton; their hits carry HitFlag.caseSensitive
 * and the Wasm side compares the exact bytes on a hit.
 */
import { AC_HEADER_SIZE } from "./format.js";

export interface LiteralHit {
  rule: number;
  flags: number;
  /** Offset of the literal's exact bytes in the blob (filled by the blob writer). */
  literalOffset: number;
}

export interface LiteralEntry {
  bytes: Uint8Array;
  hit: Omit<LiteralHit, "literalOffset">;
  /** The literal's exact bytes are needed on the Wasm side (case-sensitive confirmation). */
  exact?: Uint8Array;
}

export interface AhoCorasickImage {
  /** Serialized automaton; hit literal offsets are relative to `literalBase` + blob offset. */
  bytes: Uint8Array;
  states: number;
  classes: number;
  patterns: number;
}

const fold = (b: number) => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b);

/**
 * Serializes an automaton. `placeExact` stores a literal's exact bytes somewhere in the
 * final image and returns its absolute offset; `base` is the absolute offset where the
 * returned bytes will be placed (hits list offsets are absolute).
 */
export function buildAhoCorasick(
  entries: LiteralEntry[],
  base: number,
  placeExact: (bytes: Uint8Array) => number,
): AhoCorasickImage {
  // 1. Deduplicate folded patterns; each keeps the list of rule hits it triggers.
  const patternIndex = new Map<string, number>();
  const patterns: { folded: Uint8Array; hits: LiteralHit[] }[] = [];
  for (const entry of entries) {
    if (entry.bytes.length === 0) throw new Error("empty literal cannot be prefiltered");
    const folded = entry.bytes.map(fold);
    const key = Buffer.from(folded).toString("latin1");
    let id = patternIndex.get(key);
    if (id === undefined) {
      id = patterns.length;
      patternIndex.set(key, id);
      patterns.push({ folded, hits: [] });
    }
    const literalOffset = entry.exact ? placeExact(entry.exact) : 0;
    patterns[id]!.hits.push({ ...entry.hit, literalOffset });
  }

  // 2. Trie.
  const children: Map<number, number>[] = [new Map()];
  const own: number[] = [-1];
  for (let p = 0; p < patterns.length; p++) {
    let s = 0;
    for (const b of patterns[p]!.folded) {
      let next = children[s]!.get(b);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        own.push(-1);
        children[s]!.set(b, next);
      }
      s = next;
    }
    own[s] = p;
  }
  const stateCount = children.length;

  // 3. Byte classes over folded bytes.
  const classOf = new Uint8Array(256); // class 0: bytes in no literal
  const used = new Set<number>();
  for (const p of patterns) for (const b of p.folded) used.add(b);
  if (used.size > 255) throw new Error("too many distinct bytes for u8 classes");
  let classes = 1;
  const classByte: number[] = [-1];
  for (const b of [...used].sort((a, b) => a - b)) {
    classByte.push(b);
    classOf[b] = classes++;
  }
  for (let b = 0x41; b <= 0x5a; b++) classOf[b] = classOf[b | 0x20]!;

  // 4. Failure links, dictionary links and the dense DFA, in BFS order.
  const fail = new Int32Array(stateCount);
  const dict = new Int32Array(stateCount).fill(-1);
  const delta = new Int32Array(stateCount * classes);
  const order: number[] = [0];
  for (let c = 1; c < classes; c++) {
    const child = children[0]!.get(classByte[c]!);
    delta[c] = child ?? 0;
    if (child !== undefined) {
      fail[child] = 0;
      order.push(child);
    }
  }
  for (let i = 1; i < order.length; i++) {
    const s = order[i]!;
    const f = fail[s]!;
    dict[s] = own[f]! >= 0 ? f : dict[f]!;
    for (let c = 0; c < classes; c++) {
      const child = c === 0 ? undefined : children[s]!.get(classByte[c]!);
      if (child !== undefined) {
        fail[child] = delta[f * classes + c]!;
        delta[s * classes + c] = child;
        order.push(child);
      } else {
        delta[s * classes + c] = delta[f * classes + c]!;
      }
    }
  }

  // 5. Renumber: states without any output first (root stays 0), output states last.
  const hasOutput = (s: number) => own[s]! >= 0 || dict[s]! >= 0;
  const newId = new Int32Array(stateCount);
  const quiet = order.filter((s) => !hasOutput(s));
  const loud = order.filter((s) => hasOutput(s));
  [...quiet, ...loud].forEach((s, i) => (newId[s] = i));
  const firstOutput = quiet.length;
  const wide = stateCount * classes > 0xffff;
  const cell = wide ? 4 : 2;

  // 6. Serialize.
  const transBytes = (stateCount * classes * cell + 3) & ~3;
  const outBytes = loud.length * 8;
  const patBytes = patterns.length * 12;
  const hitCount = patterns.reduce((n, p) => n + p.hits.length, 0);
  const total = AC_HEADER_SIZE + transBytes + outBytes + patBytes + hitCount * 12;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, stateCount, true);
  view.setUint32(4, classes, true);
  view.setUint32(8, firstOutput, true);
  view.setUint32(12, wide ? 1 : 0, true);
  view.setUint32(16, patterns.length, true);
  view.setUint32(20, hitCount, true);
  view.setUint32(24, patterns.reduce((m, p) => Math.min(m, p.folded.length), 0xffffffff), true);
  bytes.set(classOf, 32);
  let at = AC_HEADER_SIZE;
  for (const s of [...quiet, ...loud]) {
    for (let c = 0; c < classes; c++) {
      const next = newId[delta[s * classes + c]!]! * classes;
      if (wide) view.setUint32(at, next, true);
      else view.setUint16(at, next, true);
      at += cell;
    }
  }
  at = AC_HEADER_SIZE + transBytes;
  for (const s of loud) {
    view.setUint32(at, own[s]! >= 0 ? own[s]! + 1 : 0, true);
    view.setUint32(at + 4, dict[s]! >= 0 ? newId[dict[s]!]! : 0xffffffff, true);
    at += 8;
  }
  const hitsStart = at + patBytes;
  let hitAt = hitsStart;
  for (const p of patterns) {
    view.setUint32(at, p.folded.length, true);
    view.setUint32(at + 4, base + hitAt, true);
    view.setUint32(at + 8, p.hits.length, true);
    at += 12;
    for (const h of p.hits) {
      view.setUint32(hitAt, h.rule, true);
      view.setUint32(hitAt + 4, h.flags, true);
      view.setUint32(hitAt + 8, h.literalOffset, true);
      hitAt += 12;
    }
  }
  return { bytes, states: stateCount, classes, patterns: patterns.length };
}
