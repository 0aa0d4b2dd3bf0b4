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
 * keeps its child's factors. Among candidate sets we prefer longer, rarer strings and fewer
 * of them. Sets that grow too large are shrunk by truncating to prefixes (a prefix of a
 * required factor is required). Lookaround is empty; backreferences are unknown.
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
const MAX_LITERAL_CHARS = 48;

interface Info {
  exact: string[] | null;
  required: string[] | null;
}

export function extractLiterals(ast: Ast): LiteralSet | null {
  const ctx = { caseInsensitive: false };
  const info = analyse(ast.root, ctx);
  const best = pick(info);
  if (!best || best.length === 0 || best.includes("")) return null;
  const literals = shrink(minimal(best.map((s) => [...s].slice(0, MAX_LITERAL_CHARS).join(""))), MAX_REQUIRED);
  if (!literals || literals.includes("")) return null;
  return { literals: literals.sort(), caseInsensitive: ctx.caseInsensitive };
}

function analyse(node: Node, ctx: { caseInsensitive: boolean }): Info {
  switch (node.type) {
    case "empty":
    case "assertion":
    case "lookaround":
      return { exact: [""], required: null };
    case "backreference":
      return { exact: null, required: null };
    case "group":
      return analyse(node.item, ctx);
    case "literal": {
      if (!node.caseInsensitive) return { exact: [String.fromCodePoint(node.cp)], required: null };
      const orbit = foldSet(node.cp);
      const chars: string[] = [];
      for (const [a, b] of orbit) for (let c = a; c <= b; c++) chars.push(String.fromCodePoint(c));
      if (chars.every((ch) => ch.charCodeAt(0) < 0x80)) {
        ctx.caseInsensitive = true;
        return { exact: [String.fromCodePoint(node.cp).toLowerCase()], required: null };
      }
      return { exact: chars, required: null };
    }
    case "class": {
      const n = size(node.set);
      if (n === 0 || n > 2 * MAX_CLASS_CHARS) return { exact: null, required: null };
      const chars: string[] = [];
      for (const [a, b] of node.set) for (let c = a; c <= b; c++) chars.push(String.fromCodePoint(c));
      // [Aa] style classes: fold ASCII letters when that shrinks the set.
      const folded = [...new Set(chars.map((ch) => (ch.charCodeAt(0) < 0x80 ? ch.toLowerCase() : ch)))];
      if (folded.length < chars.length && folded.length <= MAX_CLASS_CHARS && foldedIsClosed(chars)) {
        ctx.caseInsensitive = true;
        return { exact: folded, required: null };
      }
      return chars.length <= MAX_CLASS_CHARS ? { exact: chars, required: null } : { exact: null, required: null };
    }
    case "concat":
      return concat(node.items.map((item) => analyse(item, ctx)));
    case "alternation": {
      const infos = node.items.map((item) => analyse(item, ctx));
      let exact: string[] | null = [];
      for (const i of infos) exact = i.exact && exact ? [...exact, ...i.exact] : null;
      if (exact) exact = [...new Set(exact)];
      if (exact && exact.length > MAX_EXACT) exact = null;
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
      return { exact, required };
    }
    case "repeat": {
      const child = analyse(node.item, ctx);
      if (node.min === 0) {
        if (node.max === 1 && child.exact) return { exact: [...new Set(["", ...child.exact])], required: null };
        return { exact: node.max === 0 ? [""] : null, required: null };
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
      let required = pick(child);
      // x{n,} with exact x: x^n (bounded) is required too, and longer.
      if (child.exact && node.min > 1) {
        let power: string[] | null = [""];
        for (let j = 0; j < Math.min(node.min, 8) && power; j++) power = cross(power, child.exact);
        if (power && better(power, required)) required = power;
      }
      return { exact, required };
    }
  }
}

function foldedIsClosed(chars: string[]): boolean {
  const set = new Set(chars);
  return chars.every((ch) => set.has(ch.toLowerCase()) && set.has(ch.toUpperCase()) || ch.toLowerCase() === ch.toUpperCase());
}

function concat(infos: Info[]): Info {
  const candidates: string[][] = [];
  let run: string[] | null = null;
  let all: string[] | null = [""];
  for (const info of infos) {
    all = all && info.exact ? cross(all, info.exact) : null;
    if (info.exact) {
      const joined: string[] | null = run ? cross(run, info.exact) : info.exact;
      if (joined) run = joined;
      else {
        if (run) candidates.push(run);
        run = info.exact;
      }
    } else {
      if (run) candidates.push(run);
      run = null;
      if (info.required) candidates.push(info.required);
    }
  }
  if (run) candidates.push(run);
  let required: string[] | null = null;
  for (const c of candidates) if (better(c, required)) required = c;
  return { exact: all, required };
}

function cross(a: string[], b: string[]): string[] | null {
  if (a.length * b.length > MAX_EXACT) return null;
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
  for (const s of set) {
    let w = 0;
    for (const ch of s) w += COMMON.has(ch.toLowerCase()) ? 1 : 1.5;
    weakest = Math.min(weakest, w);
  }
  return weakest - 0.25 * Math.log2(set.length);
}

function better(a: string[] | null, b: string[] | null): boolean {
  if (!a) return false;
  if (!b) return score(a) > -Infinity;
  return score(a) > score(b);
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
