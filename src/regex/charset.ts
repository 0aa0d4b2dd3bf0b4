/**
 * Code point sets as sorted inclusive ranges, and the case folding the compiler supports.
 *
 * Case folding limit (documented, deliberate): a code point folds to the other code points
 * reachable through single-code-point `toLowerCase`/`toUpperCase` (e.g. é↔É, µ↔Μ↔μ), and ASCII
 * letters fold only to ASCII letters — `k` does not match the Kelvin sign and `s` does not match
 * `ſ`, as in PCRE without UCP and JS without the `u` flag. Multi-code-point foldings (ß→SS) are
 * not applied. Cost: the table of cased code points is built once, lazily (~0.1 s, below U+20000).
 */
import type { CodePointSet } from "./ast.js";

export const MAX_CODE_POINT = 0x10ffff;
const SURROGATE_LO = 0xd800;
const SURROGATE_HI = 0xdfff;

type MutableRanges = Array<[number, number]>;

/** Sorts, merges overlapping/adjacent ranges and removes surrogates. */
export function normalize(ranges: ReadonlyArray<readonly [number, number]>): CodePointSet {
  const sorted = ranges.map(([a, b]) => [a, b] as [number, number]).filter(([a, b]) => a <= b);
  sorted.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: MutableRanges = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  // Surrogates are not scalar values: they never occur in UTF-8.
  const clean: MutableRanges = [];
  for (const [a, b] of out) {
    if (b < SURROGATE_LO || a > SURROGATE_HI) clean.push([a, b]);
    else {
      if (a < SURROGATE_LO) clean.push([a, SURROGATE_LO - 1]);
      if (b > SURROGATE_HI) clean.push([SURROGATE_HI + 1, b]);
    }
  }
  return clean;
}

export function union(...sets: CodePointSet[]): CodePointSet {
  return normalize(sets.flat());
}

/** Complement within the Unicode scalar values. */
export function negate(set: CodePointSet): CodePointSet {
  const out: MutableRanges = [];
  let next = 0;
  for (const [a, b] of set) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return normalize(out);
}

export function contains(set: CodePointSet, cp: number): boolean {
  let lo = 0;
  let hi = set.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = set[mid];
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  return false;
}

export function size(set: CodePointSet): number {
  let n = 0;
  for (const [a, b] of set) n += b - a + 1;
  return n;
}

export function fromChars(chars: string): CodePointSet {
  return normalize([...chars].map((c) => [c.codePointAt(0)!, c.codePointAt(0)!] as [number, number]));
}

// ---- Case folding -------------------------------------------------------------------------

function singleMapping(cp: number, upper: boolean): number | undefined {
  const s = String.fromCodePoint(cp);
  const m = upper ? s.toUpperCase() : s.toLowerCase();
  const mcp = m.codePointAt(0)!;
  if (m.length !== String.fromCodePoint(mcp).length) return undefined; // multi-code-point
  if (mcp === cp) return undefined;
  if (cp < 0x80 !== mcp < 0x80) return undefined; // ASCII folds only within ASCII
  return mcp;
}

let casedCodePoints: number[] | undefined;
/** Reverse simple mappings: target → sources (so an orbit is found from any member). */
const reverseMappings = new Map<number, number[]>();

/** Every code point (below U+20000, where all cased scripts live) with a simple case mapping. */
function cased(): number[] {
  if (casedCodePoints) return casedCodePoints;
  const list: number[] = [];
  for (let cp = 0; cp < 0x20000; cp++) {
    if (cp >= SURROGATE_LO && cp <= SURROGATE_HI) continue;
    let has = false;
    for (const upper of [true, false]) {
      const m = singleMapping(cp, upper);
      if (m === undefined) continue;
      has = true;
      const r = reverseMappings.get(m);
      if (r) r.push(cp);
      else reverseMappings.set(m, [cp]);
    }
    if (has) list.push(cp);
  }
  // Targets that have no mapping of their own still belong to an orbit.
  for (const target of reverseMappings.keys()) if (target >= 0x80) list.push(target);
  casedCodePoints = [...new Set(list)].sort((a, b) => a - b);
  return casedCodePoints;
}

/** The case orbit of one code point: itself plus everything reachable by simple mappings. */
export function caseOrbit(cp: number): number[] {
  cased();
  const seen = new Set<number>([cp]);
  const todo = [cp];
  while (todo.length > 0) {
    const c = todo.pop()!;
    const next = [singleMapping(c, true), singleMapping(c, false), ...(reverseMappings.get(c) ?? [])];
    for (const m of next) {
      if (m !== undefined && !seen.has(m)) {
        seen.add(m);
        todo.push(m);
      }
    }
  }
  return [...seen].sort((a, b) => a - b);
}

const orbitCache = new Map<number, number[]>();

function orbit(cp: number): number[] {
  if (cp < 0x80) {
    if (cp >= 0x41 && cp <= 0x5a) return [cp, cp + 32];
    if (cp >= 0x61 && cp <= 0x7a) return [cp - 32, cp];
    return [cp];
  }
  let o = orbitCache.get(cp);
  if (!o) {
    o = caseOrbit(cp);
    orbitCache.set(cp, o);
  }
  return o;
}

/** The smallest case-closed superset of `set`. */
export function caseClose(set: CodePointSet): CodePointSet {
  const extra: Array<[number, number]> = [];
  const all = cased();
  for (const [a, b] of set) {
    // ASCII part directly, the rest through the table of cased code points.
    for (let cp = a; cp <= Math.min(b, 0x7f); cp++) for (const o of orbit(cp)) extra.push([o, o]);
    if (b < 0x80) continue;
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (all[mid] < Math.max(a, 0x80)) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < all.length && all[i] <= b; i++) for (const o of orbit(all[i])) extra.push([o, o]);
  }
  return normalize([...set, ...extra]);
}

/** Case orbit of one code point, for literals. */
export function foldSet(cp: number): CodePointSet {
  return normalize(orbit(cp).map((c) => [c, c] as [number, number]));
}

// ---- Named sets (PCRE semantics without UCP: ASCII only) -----------------------------------

export const DIGIT: CodePointSet = [[0x30, 0x39]];
export const WORD: CodePointSet = normalize([[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]]);
/** PCRE2 \s: space, \t \n \v \f \r. */
export const SPACE: CodePointSet = normalize([[0x09, 0x0d], [0x20, 0x20]]);
/** PCRE \h: horizontal white space. */
export const HSPACE: CodePointSet = normalize([
  [0x09, 0x09], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x180e, 0x180e],
  [0x2000, 0x200a], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000],
]);
/** PCRE \v (as a class escape outside character classes): vertical white space. */
export const VSPACE: CodePointSet = normalize([[0x0a, 0x0d], [0x85, 0x85], [0x2028, 0x2029]]);
export const ANY: CodePointSet = normalize([[0, MAX_CODE_POINT]]);
export const NOT_NEWLINE: CodePointSet = negate([[0x0a, 0x0a]]);

export const POSIX_CLASSES: Record<string, CodePointSet> = {
  alpha: normalize([[0x41, 0x5a], [0x61, 0x7a]]),
  digit: DIGIT,
  alnum: normalize([[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]]),
  upper: [[0x41, 0x5a]],
  lower: [[0x61, 0x7a]],
  space: SPACE,
  blank: normalize([[0x09, 0x09], [0x20, 0x20]]),
  punct: normalize([[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]]),
  xdigit: normalize([[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]]),
  word: WORD,
  cntrl: normalize([[0x00, 0x1f], [0x7f, 0x7f]]),
  graph: [[0x21, 0x7e]],
  print: [[0x20, 0x7e]],
  ascii: [[0x00, 0x7f]],
};

export function isAsciiWordByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || b === 0x5f || (b >= 0x61 && b <= 0x7a);
}
