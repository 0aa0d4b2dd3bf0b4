/**
 * Stage 4: required literal factors, for the Aho–Corasick/Teddy prefilter built elsewhere.
 *
 * `extractLiterals(ast)` returns a set of strings such that every match of the pattern
 * contains at least one of them, or null when no useful set exists (e.g. `\d+`, `.*`).
 * When `caseInsensitive` is true the strings are ASCII-lower-cased and must be searched
 * ASCII-case-insensitively (non-ASCII case variants are enumerated instead, so a prefilter
 * that folds only ASCII stays sound).
 *
 * Per node we compute `exact` (the node's whole language, when finite and small) and
 * `required` (a factor set). A concatenation cross-multiplies runs of consecutive exact
 * children (bounded), an alternation unions its branches' factors, a repeat with min ≥ 1
 * keeps its child's factors. A class too large to be worth a language (up to
 * MAX_PREFIX_CLASS_CHARS: `\d`, not whitespace) still starts every match with one of its
 * characters, so it extends the factor before it: `://\[?(127\.|[0-9]{8,10}…)` requires one
 * of `://0` … `://9`, `://[0` …, rarer than `://` itself (which every URL holds: over the
 * benign corpus, 2,961 candidate DFA runs of an SSRF rule that never fired). Among candidate
 * sets we prefer longer, rarer strings and fewer of them. Sets that grow too large are shrunk
 * by truncating to prefixes (a prefix of a required factor is required). Lookaround is empty;
 * backreferences are unknown.
 *
 * Cost: O(pattern size × MAX_SET²) in the worst case, small in practice.
 */
import type { Ast, Node } from "./ast.js";
import { UNBOUNDED } from "./ast.js";
import { foldSet, size } from "./charset.js";

export interface LiteralSet {
  literals: string[];
  caseInsensitive: boolean;
}

const MAX_EXACT = 64;
const MAX_REQUIRED = 256;
const MAX_CLASS_CHARS = 4;
/**
 * Classes of up to this many characters (`\d`: 10) give prefix sets, not languages; no class
 * larger is looked at (≥ 2 × MAX_CLASS_CHARS, so `[Aa][Bb]…`-style folding is).
 */
const MAX_PREFIX_CLASS_CHARS = 10;
const MAX_LITERAL_CHARS = 48;
/**
 * Factors shorter than this many UTF-8 bytes hit on nearly every value, so the pack compiler
 * does not prefilter on them (src/pack/compile.ts): a set holding one ranks below any set
 * without, so `on(?:abort|blur|…)` yields `onabort`, `onblur`, … rather than `on`.
 */
export const MIN_USEFUL_LITERAL_BYTES = 3;

interface Info {
  /** The node's whole language, when finite and small. */
  exact: string[] | null;
  /** A factor set: every match contains one of these. */
  required: string[] | null;
  /** Every match starts with one of these (null: unknown). */
  prefix: string[] | null;
  /** Every match ends with one of these (null: unknown). */
  suffix: string[] | null;
}

const UNKNOWN: Info = { exact: null, required: null, prefix: null, suffix: null };

function exactly(set: string[]): Info {
  return { exact: set, required: null, prefix: set, suffix: set };
}

export function extractLiterals(ast: Ast): LiteralSet | null {
  const ctx = { caseInsensitive: false };
  const info = analyse(ast.root, ctx);
  const best = pick(info);
  if (!best || best.length === 0 || best.includes("")) return null;
  // Once any factor needed ASCII folding the whole set is searched folded: lower-case it all
  // (a superset of the case-sensitive factors, so still sound).
  const fold = (s: string): string => (ctx.caseInsensitive ? s.replace(/[A-Z]/g, (c) => c.toLowerCase()) : s);
  const literals = shrink(minimal([...new Set(best.map((s) => fold([...s].slice(0, MAX_LITERAL_CHARS).join(""))))]), MAX_REQUIRED);
  if (!literals || literals.includes("")) return null;
  return { literals: literals.sort(), caseInsensitive: ctx.caseInsensitive };
}

function analyse(node: Node, ctx: { caseInsensitive: boolean }): Info {
  switch (node.type) {
    case "empty":
    case "assertion":
    case "lookaround":
      return exactly([""]);
    case "backreference":
      return UNKNOWN;
    case "group":
      return analyse(node.item, ctx);
    case "literal": {
      if (!node.caseInsensitive) return exactly([String.fromCodePoint(node.cp)]);
      const orbit = foldSet(node.cp);
      const chars: string[] = [];
      for (const [a, b] of orbit) for (let c = a; c <= b; c++) chars.push(String.fromCodePoint(c));
      if (chars.every((ch) => ch.charCodeAt(0) < 0x80)) {
        ctx.caseInsensitive = true;
        return exactly([String.fromCodePoint(node.cp).toLowerCase()]);
      }
      return exactly(chars);
    }
    case "class": {
      const n = size(node.set);
      if (n === 0 || n > MAX_PREFIX_CLASS_CHARS) return UNKNOWN;
      const chars: string[] = [];
      for (const [a, b] of node.set) for (let c = a; c <= b; c++) chars.push(String.fromCodePoint(c));
      // [Aa] style classes: fold ASCII letters when that shrinks the set.
      const folded = [...new Set(chars.map((ch) => (ch.charCodeAt(0) < 0x80 ? ch.toLowerCase() : ch)))];
      if (folded.length < chars.length && folded.length <= MAX_CLASS_CHARS && foldedIsClosed(chars)) {
        ctx.caseInsensitive = true;
        return exactly(folded);
      }
      if (chars.length <= MAX_CLASS_CHARS) return exactly(chars);
      // Only as a prefix (what follows a factor), and never whitespace: a word is mostly
      // followed by a space, so `select\s` is hardly rarer than `select`, six times over.
      return chars.length <= MAX_PREFIX_CLASS_CHARS && !chars.some((ch) => /\s/.test(ch))
        ? { exact: null, required: null, prefix: chars, suffix: null }
        : UNKNOWN;
    }
    case "concat":
      return concat(node.items.map((item) => analyse(item, ctx)));
    case "alternation": {
      const infos = node.items.map((item) => analyse(item, ctx));
      const unionOf = (get: (i: Info) => string[] | null, limit: number): string[] | null => {
        let out: string[] | null = [];
        for (const i of infos) {
          const v = get(i);
          out = v && out ? [...out, ...v] : null;
        }
        if (out) out = [...new Set(out)];
        return out && out.length <= limit ? out : null;
      };
      const exact = unionOf((i) => i.exact, MAX_EXACT);
      let required: string[] | null = [];
      for (const i of infos) {
        const b = pick(i);
        if (!b || b.includes("")) {
          required = null;
          break;
        }
        required.push(...b);
      }
      if (required) required = shrink(minimal([...new Set(required)]), MAX_REQUIRED);
      return { exact, required, prefix: unionOf((i) => i.prefix, MAX_REQUIRED), suffix: unionOf((i) => i.suffix, MAX_REQUIRED) };
    }
    case "repeat": {
      const child = analyse(node.item, ctx);
      if (node.min === 0) {
        if (node.max === 1 && child.exact) return exactly([...new Set(["", ...child.exact])]);
        return node.max === 0 ? exactly([""]) : UNKNOWN;
      }
      let exact: string[] | null = null;
      if (child.exact && node.max !== UNBOUNDED && node.max <= 4) {
        exact = [];
        for (let k = node.min; k <= node.max && exact; k++) {
          let power: string[] | null = [""];
          for (let j = 0; j < k && power; j++) power = cross(power, child.exact);
          exact = power ? [...new Set([...exact, ...power])] : null;
          if (exact && exact.length > MAX_EXACT) exact = null;
        }
      }
      if (exact) return exactly(exact);
      let required = pick(child);
      // x{n,} with exact x: x^n (bounded) is required too, and longer.
      if (child.exact && node.min > 1) {
        let power: string[] | null = [""];
        for (let j = 0; j < Math.min(node.min, 8) && power; j++) power = cross(power, child.exact);
        if (power && better(power, required)) required = power;
      }
      return { exact: null, required, prefix: child.prefix, suffix: child.suffix };
    }
  }
}

function foldedIsClosed(chars: string[]): boolean {
  const set = new Set(chars);
  return chars.every((ch) => set.has(ch.toLowerCase()) && set.has(ch.toUpperCase()) || ch.toLowerCase() === ch.toUpperCase());
}

/**
 * A concatenation: `cur` is a set one of which ends right at the current position. Exact
 * children extend it; a non-exact child ends it (joined with the child's prefix set) and
 * restarts it from the child's suffix set.
 */
function concat(infos: Info[]): Info {
  const candidates: string[][] = [];
  let cur: string[] = [""];
  let all: string[] | null = [""];
  for (const info of infos) {
    all = all && info.exact ? cross(all, info.exact) : null;
    if (info.exact) {
      const joined = cross(cur, info.exact);
      if (joined) cur = joined;
      else {
        // Too many to stay a language, but as a factor set (`[;|&] ?(cat|echo|…)` → `;cat`,
        // `| echo`, …) it may still beat its halves: a word after a separator is rarer
        // than the word.
        const wide = cross(cur, info.exact, MAX_REQUIRED);
        if (wide) candidates.push(wide);
        candidates.push(cur);
        cur = info.exact;
      }
      continue;
    }
    // A factor set, not a language: it may grow to MAX_REQUIRED.
    const joined = info.prefix ? cross(cur, info.prefix, MAX_REQUIRED) : null;
    candidates.push(joined ?? cur);
    if (!joined && info.prefix) candidates.push(info.prefix);
    if (info.required) candidates.push(info.required);
    cur = info.suffix ?? [""];
  }
  candidates.push(cur);
  let required: string[] | null = null;
  for (const c of candidates) if (better(c, required)) required = c;
  if (all) return { exact: all, required, prefix: all, suffix: all };
  // Prefix: leading exact children, then the first other child's prefix.
  let prefix: string[] = [""];
  for (const info of infos) {
    const next = cross(prefix, info.exact ?? info.prefix ?? [""]);
    if (!next) break;
    prefix = next;
    if (!info.exact) break;
  }
  let suffix: string[] = [""];
  for (let k = infos.length - 1; k >= 0; k--) {
    const info = infos[k];
    const next = cross(info.exact ?? info.suffix ?? [""], suffix);
    if (!next) break;
    suffix = next;
    if (!info.exact) break;
  }
  return { exact: null, required, prefix, suffix };
}

function cross(a: string[], b: string[], limit = MAX_EXACT): string[] | null {
  if (a.length * b.length > limit) return null;
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return [...out];
}

function pick(info: Info): string[] | null {
  const exact = info.exact && !info.exact.includes("") ? info.exact : null;
  return better(exact, info.required) ? exact : info.required;
}

const COMMON = new Set("etaoinshrdlcumwfgypbvk0123456789 ".split(""));

/** Usefulness of a factor set: the weakest string decides; rare characters count more. */
function score(set: string[]): number {
  if (set.length === 0 || set.includes("")) return -Infinity;
  let weakest = Infinity;
  let tooShort = false;
  for (const s of set) {
    let w = 0;
    for (const ch of s) w += COMMON.has(ch.toLowerCase()) ? 1 : 1.5;
    weakest = Math.min(weakest, w);
    if (utf8Length(s) < MIN_USEFUL_LITERAL_BYTES) tooShort = true;
  }
  return weakest - 0.25 * Math.log2(set.length) - (tooShort ? 100 : 0);
}

function better(a: string[] | null, b: string[] | null): boolean {
  if (!a) return false;
  if (!b) return score(a) > -Infinity;
  return score(a) > score(b);
}

function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/** Drops strings that contain another string of the set (the shorter one is implied). */
function minimal(set: string[]): string[] {
  if (set.length > 2000) return set;
  const sorted = [...new Set(set)].sort((x, y) => x.length - y.length);
  const out: string[] = [];
  for (const s of sorted) if (!out.some((t) => s.includes(t))) out.push(s);
  return out;
}

/** Truncates to prefixes until at most `limit` strings remain; null if impossible. */
function shrink(set: string[], limit: number): string[] | null {
  if (set.length <= limit) return set;
  const longest = Math.max(...set.map((s) => [...s].length));
  for (let len = longest - 1; len >= 1; len--) {
    const cut = minimal([...new Set(set.map((s) => [...s].slice(0, len).join("")))]);
    if (cut.length <= limit) return cut;
  }
  return null;
}
