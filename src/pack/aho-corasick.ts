/**
 * Builds the literal prefilter: an Aho–Corasick automaton over literal *prefixes*, plus a
 * verification table for the rest of each literal. The image carries the prefix trie; the
 * engine derives failure links and the dense DFA with byte classes at activation
 * (assembly/matcher/aho-corasick-derive.ts), so the table costs Wasm memory, not image bytes.
 *
 * Stages and their costs (n = literal bytes, c = byte classes, K = prefix length):
 *   1. deduplicate ASCII-case-folded literals                         O(n)
 *   2. choose K: the longest of 6, 5, 4, 3, 2, 1 whose prefix trie
 *      has ≤ 65,535 states (u16 cells) and ≤ 256 Ki cells (a 512 KB table in
 *      Wasm memory), or for a large pack that fits no K ≥ 4 so, ≤ 1 Mi cells;
 *      a longer K means fewer prefix hits to verify
 *   3. trie over the K-byte prefixes, failure and dictionary links     O(states · c)
 *   4. states with an output numbered last (the walk compares the state with one
 *      bound per byte); the trie's edges serialized (~5 bytes a state)
 *   5. per prefix, the literals that start with it; a hit verifies the
 *      literal's remaining bytes (folded) before reporting it          O(literal) per prefix hit
 * The walk is linear in the input: one table lookup per byte, plus verification bounded by
 * the pack (literals sharing a prefix × their length), never by the input.
 * Case-sensitive literals share the folded automaton; their hits carry HitFlag.caseSensitive
 * and the Wasm side compares the exact bytes on a hit.
 */
import { AC_HEADER_SIZE, AC_ROW_CELLS } from "./format.js";

export interface LiteralHit {
  rule: number;
  flags: number;
  /** Offset of the literal's exact bytes in the image (case-sensitive hits), else 0. */
  literalOffset: number;
}

export interface LiteralEntry {
  bytes: Uint8Array;
  hit: Omit<LiteralHit, "literalOffset">;
  /** The literal's exact bytes are needed on the Wasm side (case-sensitive confirmation). */
  exact?: Uint8Array;
}

export interface AhoCorasickImage {
  bytes: Uint8Array;
  states: number;
  classes: number;
  patterns: number;
  prefixLength: number;
  /** The literals, ASCII case folded and deduplicated (the front end is built from them). */
  literals: Uint8Array[];
}

/**
 * Table budget: 256 Ki cells (512 KB of Wasm memory once derived; the image carries only the
 * trie). Measured on the default pack (1,561 literals), side by side in one process: 96 Ki
 * cells gave K = 3, 256 Ki gives K = 4 with 6% off an ordinary GET and 15% off a 1 MB body
 * (fewer prefix hits to verify); 512 Ki gained nothing more; 64 Ki fell to K = 2 and doubled
 * the cost of long values. K = 5 is tried before 4: the default pack (1,763 literals) fits
 * it (3,222 states × 69 classes) and a 1 MiB text body costs 12% less than at K = 4
 * ("charlie" no longer hits "char(" to be verified), the heavy request 2.5% less.
 *
 * No longer than 6, even when the budget allows more (small packs): the walk interleaves
 * four streams from 4K bytes on (assembly/matcher/aho-corasick.ts), each starting K bytes
 * early, so a long K leaves the 20–63-byte values of a request (URIs, Referers, cookies) to
 * one stream, while a 6-byte prefix already rules out almost every benign position. On the
 * 29 rules of the default pack that libddwaf can run too (bench/peers.ts), K = 16 → 6 took
 * the Wasm side of an ordinary GET from 4.74 to 4.44 µs and the heavy request from 74.6 to
 * 71.6 µs (K = 8: 4.49 and 72.5), one engine, packs interleaved; the default pack and
 * Datadog's imported ruleset already fit no more than 5 and 6.
 */
const MAX_CELLS = 256 * 1024;
/**
 * Large packs: when no prefix of at least MIN_DEEP_PREFIX bytes fits MAX_CELLS, up to the
 * engine's cap per automaton (assembly/pack.ts MAX_AC_CELLS: 1 Mi cells counted with the
 * engine's row padding to 16 cells, a table of up to 2 MB). A shallow trie makes cost grow
 * faster than the rule count: at 5,000 generated rules (37,159 literals,
 * bench/generated-rules.ts) 256 Ki cells left K = 2 (761 states, 730 of them with an
 * output), so nearly every byte was a prefix hit verifying dozens of literals. Measured with
 * the packs interleaved on one engine (CPU per request): 5,000 rules K 2 → 3, ordinary GET
 * 31.8 → 4.5 µs, heavy request 1,293 → 118 µs; 1,000 rules K 3 → 5, heavy 65.9 → 44.1 µs,
 * GET 2.8 → 2.3. From 1,000 to 5,000 rules the cost now grows less than the rule count.
 * Packs that fit a deep prefix within MAX_CELLS (the default pack, Datadog's ruleset)
 * compile exactly as before.
 */
const MAX_CELLS_LARGE = 1024 * 1024;
const MIN_DEEP_PREFIX = 4;
const MAX_STATES = 0xffff;
const PREFIX_LENGTHS = [6, 5, 4, 3, 2, 1];
const fold = (b: number) => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b);

interface Trie {
  children: Map<number, number>[];
  /** Prefix group (index) ending at each state, or -1. */
  own: number[];
  classes: number;
  classOf: Uint8Array;
  classByte: number[];
}

function buildTrie(prefixes: Uint8Array[]): Trie & { groupOfPrefix: number[] } {
  const children: Map<number, number>[] = [new Map()];
  const own: number[] = [-1];
  const groupOfPrefix: number[] = [];
  let groups = 0;
  for (const prefix of prefixes) {
    let s = 0;
    for (const b of prefix) {
      let next = children[s]!.get(b);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        own.push(-1);
        children[s]!.set(b, next);
      }
      s = next;
    }
    if (own[s]! < 0) own[s] = groups++;
    groupOfPrefix.push(own[s]!);
  }
  const used = new Set<number>();
  for (const p of prefixes) for (const b of p) used.add(b);
  const classOf = new Uint8Array(256); // class 0: bytes in no prefix
  const classByte: number[] = [-1];
  let classes = 1;
  for (const b of [...used].sort((x, y) => x - y)) {
    classByte.push(b);
    classOf[b] = classes++;
  }
  for (let b = 0x41; b <= 0x5a; b++) classOf[b] = classOf[b | 0x20]!;
  return { children, own, classes, classOf, classByte, groupOfPrefix };
}

/**
 * Serializes an automaton to be placed at absolute offset `base`. `placeExact` stores a
 * literal's exact (or folded) bytes in the image and returns their absolute offset.
 */
export function buildAhoCorasick(
  entries: LiteralEntry[],
  base: number,
  placeExact: (bytes: Uint8Array) => number,
): AhoCorasickImage {
  // 1. Deduplicate folded literals; each keeps the rule hits it triggers.
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
    patterns[id]!.hits.push({ ...entry.hit, literalOffset: entry.exact ? placeExact(entry.exact) : 0 });
  }

  // 2–3. The longest prefix length whose trie fits MAX_CELLS; if that is shorter than
  // MIN_DEEP_PREFIX, the longest (tried before it) that fits the engine's cap.
  type Built = { k: number; trie: ReturnType<typeof buildTrie> };
  const fits = (t: Built["trie"]) => t.children.length * t.classes <= MAX_CELLS && t.children.length <= MAX_STATES;
  const fitsLarge = (t: Built["trie"]) =>
    t.children.length * Math.ceil(t.classes / AC_ROW_CELLS) * AC_ROW_CELLS <= MAX_CELLS_LARGE && t.children.length <= MAX_STATES;
  let chosen: Built | undefined;
  let large: Built | undefined;
  for (const k of PREFIX_LENGTHS) {
    const built = { k, trie: buildTrie(patterns.map((p) => p.folded.subarray(0, Math.min(k, p.folded.length)))) };
    chosen = built;
    if (fits(built.trie)) break;
    large ??= fitsLarge(built.trie) ? built : undefined;
  }
  if (large && chosen!.k < MIN_DEEP_PREFIX) chosen = large;
  const { k: prefixLength, trie } = chosen!;
  const { children, own, classes, classOf, classByte, groupOfPrefix } = trie;
  const stateCount = children.length;
  const groupCount = own.reduce((n, g) => Math.max(n, g + 1), 0);
  const groupMembers: number[][] = Array.from({ length: groupCount }, () => []);
  groupOfPrefix.forEach((g, p) => groupMembers[g]!.push(p));

  // Failure links, dictionary links and the dense DFA, in BFS order.
  const fail = new Int32Array(stateCount);
  const dict = new Int32Array(stateCount).fill(-1);
  const delta = new Int32Array(stateCount * classes);
  const order: number[] = [0];
  for (let c = 1; c < classes; c++) {
    const child = children[0]!.get(classByte[c]!);
    delta[c] = child ?? 0;
    if (child !== undefined) order.push(child);
  }
  for (let i = 1; i < order.length; i++) {
    const s = order[i]!;
    const f = fail[s]!;
    dict[s] = own[f]! >= 0 ? f : dict[f]!;
    for (let c = 0; c < classes; c++) {
      const child = c === 0 ? undefined : children[s]!.get(classByte[c]!);
      if (child !== undefined) {
        fail[child] = s === 0 ? 0 : delta[f * classes + c]!;
        delta[s * classes + c] = child;
        order.push(child);
      } else {
        delta[s * classes + c] = delta[f * classes + c]!;
      }
    }
  }
  // Root children must fail to the root (the loop above handles depth ≥ 2).
  for (let c = 1; c < classes; c++) {
    const child = children[0]!.get(classByte[c]!);
    if (child !== undefined) fail[child] = 0;
  }

  // 4. Renumber: states without output first (root stays 0), output states last.
  const hasOutput = (s: number) => own[s]! >= 0 || dict[s]! >= 0;
  const quiet = order.filter((s) => !hasOutput(s));
  const loud = order.filter((s) => hasOutput(s));
  const newId = new Int32Array(stateCount);
  [...quiet, ...loud].forEach((s, i) => (newId[s] = i));

  // 5. Serialize. Folded literal bytes (for verification past the prefix) go in the image first.
  // The image holds the trie only (its edges, ~5 bytes a state); the engine derives the
  // failure links and the dense table at activation (assembly/pack.ts), so the table costs
  // Wasm memory, not image bytes, and its cells are correct by construction.
  const foldedOffset = patterns.map((p) => (p.folded.length > prefixLength ? placeExact(p.folded) : 0));
  const edges: { from: number; cls: number; to: number }[] = [];
  for (let s = 0; s < stateCount; s++) {
    for (const [b, child] of children[s]!) edges.push({ from: newId[s]!, cls: classOf[b]!, to: newId[child]! });
  }
  edges.sort((a, b) => a.from - b.from || a.cls - b.cls);
  const trieBytes = (2 * (stateCount + 1) + 3 * edges.length + 3) & ~3;
  const outBytes = loud.length * 8;
  const prefixTableBytes = groupCount * 8 + patterns.length * 4; // per prefix: u32 count, u32 depth; then ids
  const patBytes = patterns.length * 16;
  const hitCount = patterns.reduce((n, p) => n + p.hits.length, 0);
  const outsStart = AC_HEADER_SIZE + trieBytes;
  const total = outsStart + outBytes + prefixTableBytes + patBytes + hitCount * 12;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, stateCount, true);
  view.setUint32(4, classes, true);
  view.setUint32(8, quiet.length, true);
  view.setUint32(12, groupCount, true);
  view.setUint32(16, patterns.length, true);
  view.setUint32(20, outsStart, true);
  view.setUint32(24, patterns.reduce((m, p) => Math.min(m, p.folded.length), 0xffffffff), true);
  view.setUint32(28, prefixLength, true);
  bytes.set(classOf, 32);
  // Trie: u16 first edge per state (states + 1 entries), u16 child per edge, u8 class per edge.
  let at = AC_HEADER_SIZE;
  let edge = 0;
  for (let s = 0; s <= stateCount; s++) {
    while (edge < edges.length && edges[edge]!.from < s) edge++;
    view.setUint16(at, edge, true);
    at += 2;
  }
  for (const e of edges) {
    view.setUint16(at, e.to, true);
    at += 2;
  }
  for (const e of edges) bytes[at++] = e.cls;
  at = outsStart;
  for (const s of loud) {
    view.setUint32(at, own[s]! >= 0 ? own[s]! + 1 : 0, true);
    view.setUint32(at + 4, dict[s]! >= 0 ? newId[dict[s]!]! : 0xffffffff, true);
    at += 8;
  }
  // Prefix groups: u32 member count, u32 prefix length (the state's depth), then pattern ids.
  // Their offsets are implied by order; the walker finds group g through the index below.
  const groupStart: number[] = [];
  const patStart = outsStart + outBytes + prefixTableBytes;
  for (let g = 0; g < groupCount; g++) {
    groupStart.push(at);
    const members = groupMembers[g]!;
    view.setUint32(at, members.length, true);
    view.setUint32(at + 4, Math.min(prefixLength, patterns[members[0]!]!.folded.length), true);
    at += 8;
    for (const p of members) {
      view.setUint32(at, base + patStart + p * 16, true); // absolute offset of the pattern record
      at += 4;
    }
  }
  if (at !== patStart) throw new Error("internal: prefix table size");
  const hitsStart = patStart + patBytes;
  let hitAt = hitsStart;
  for (let p = 0; p < patterns.length; p++) {
    const pat = patterns[p]!;
    view.setUint32(at, pat.folded.length, true);
    view.setUint32(at + 4, base + hitAt, true);
    view.setUint32(at + 8, pat.hits.length, true);
    view.setUint32(at + 12, foldedOffset[p]!, true);
    at += 16;
    for (const h of pat.hits) {
      view.setUint32(hitAt, h.rule, true);
      view.setUint32(hitAt + 4, h.flags, true);
      view.setUint32(hitAt + 8, h.literalOffset, true);
      hitAt += 12;
    }
  }
  // The own-output field holds prefix group + 1; the walker needs each group's offset:
  // rewrite own fields to absolute offsets of the group records.
  at = outsStart;
  for (const s of loud) {
    if (own[s]! >= 0) view.setUint32(at, base + groupStart[own[s]!]!, true);
    at += 8;
  }
  return { bytes, states: stateCount, classes, patterns: patterns.length, prefixLength, literals: patterns.map((p) => p.folded) };
}
