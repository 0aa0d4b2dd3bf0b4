/**
 * Backreferences to a capture that can only match a few short strings — the quote of
 * `(['"])…\1`, the bracket of `(<|>)…\1` — written out: the pattern becomes the alternation,
 * over each string s the capture can match, of the pattern with the capture matching exactly
 * s and every reference to it matching s (case-insensitively when the reference is). The
 * result has no backreference, so its NFA is exact and the lazy DFA confirms it in linear
 * time, where V8's RegExp backtracks.
 *
 * Exact for "is there a match anywhere?" when the capture is taken on every path and before
 * every reference to it: it must be an item of the pattern's top-level sequence (seen through
 * non-capturing groups), and every reference must sit in a later item, outside lookbehinds
 * (which JS runs backwards). Then a match of the original takes some s for the capture and
 * the same s at each reference — a match of the branch for s — and a match of a branch is a
 * match of the original with the capture taking s. The capture's strings are enumerated from its syntax (literals, small
 * classes, alternations, sequences, bounded repeats; no assertions, captures or possessive
 * repeats inside), and at most MAX_BRANCHES branches are made in all: otherwise the pattern
 * is left as it is (null), and RegExp confirms it as before.
 */
import type { Ast, Node } from "./ast.js";
import { UNBOUNDED } from "./ast.js";
import { foldSet } from "./charset.js";

/** Most branches the expansion may make (the product over the expanded captures). */
export const MAX_BRANCHES = 16;
/** Longest string (in code points) a capture may match to be written out. */
const MAX_STRING = 32;
/** Longest bounded repeat enumerated inside a capture. */
const MAX_REPEAT = 8;

type Strings = number[][];

/** The AST with its finite backreferences written out, or null when it has none or cannot be expanded exactly. */
export function expandFiniteBackreferences(ast: Ast): Ast | null {
  const referenced = new Set<number>();
  collectReferences(ast.root, referenced);
  if (referenced.size === 0) return null;
  const items = sequenceOf(ast.root);
  const choices = new Map<number, Strings>();
  let branches = 1;
  for (const index of referenced) {
    const at = items.findIndex((item) => item.type === "group" && item.index === index && !item.atomic);
    if (at < 0) return null; // inside an alternation, a repeat, a lookaround…: not taken on every path
    for (let i = 0; i <= at; i++) if (refersTo(items[i]!, index, false)) return null;
    for (let i = at + 1; i < items.length; i++) if (refersTo(items[i]!, index, true)) return null;
    const strings = stringsOf((items[at] as Extract<Node, { type: "group" }>).item);
    if (strings === null) return null;
    branches *= strings.length;
    if (branches > MAX_BRANCHES) return null;
    choices.set(index, strings);
  }
  let roots: Node[] = [ast.root];
  for (const [index, strings] of choices) {
    roots = roots.flatMap((root) => strings.map((s) => writeOut(root, index, s)));
  }
  const root: Node = roots.length === 1 ? roots[0]! : { type: "alternation", pos: ast.root.pos, items: roots };
  return { ...ast, root, prefilterReasons: ast.prefilterReasons.filter((r) => !r.startsWith("backreference at ")) };
}

/** The top-level sequence of items, through non-capturing groups (`(?:a(b))c` is a, (b), c). */
function sequenceOf(node: Node): Node[] {
  if (node.type === "concat") return node.items.flatMap(sequenceOf);
  if (node.type === "group" && node.index === 0 && !node.atomic) return sequenceOf(node.item);
  return [node];
}

function collectReferences(node: Node, into: Set<number>): void {
  switch (node.type) {
    case "backreference":
      into.add(node.index);
      break;
    case "concat":
    case "alternation":
      node.items.forEach((item) => collectReferences(item, into));
      break;
    case "group":
    case "repeat":
    case "lookaround":
      collectReferences(node.item, into);
      break;
    default:
  }
}

/**
 * Whether `node` refers to group `index` in a way the expansion cannot take: anywhere when
 * `!allowed` (the capture's own item or an item before it), else only inside a lookbehind.
 */
function refersTo(node: Node, index: number, allowed: boolean, inLookbehind = false): boolean {
  switch (node.type) {
    case "backreference":
      return node.index === index && (!allowed || inLookbehind);
    case "concat":
    case "alternation":
      return node.items.some((item) => refersTo(item, index, allowed, inLookbehind));
    case "group":
    case "repeat":
      return refersTo(node.item, index, allowed, inLookbehind);
    case "lookaround":
      return refersTo(node.item, index, allowed, inLookbehind || !node.ahead);
    default:
      return false;
  }
}

/** The strings `node` can match (code points), or null when they are not few and short. */
function stringsOf(node: Node): Strings | null {
  switch (node.type) {
    case "empty":
      return [[]];
    case "literal":
      return node.caseInsensitive ? codePoints(foldSet(node.cp)) : [[node.cp]];
    case "class":
      return codePoints(node.set);
    case "concat": {
      let out: Strings | null = [[]];
      for (const item of node.items) {
        const next = stringsOf(item);
        if (next === null) return null;
        out = product(out, next);
        if (out === null) return null;
      }
      return out;
    }
    case "alternation": {
      const out: Strings = [];
      for (const item of node.items) {
        const next = stringsOf(item);
        if (next === null) return null;
        out.push(...next);
      }
      return distinct(out);
    }
    case "group":
      return node.index > 0 || node.atomic ? null : stringsOf(node.item);
    case "repeat": {
      if (node.kind === "possessive" || node.max === UNBOUNDED || node.max > MAX_REPEAT) return null;
      const once = stringsOf(node.item);
      if (once === null) return null;
      const out: Strings = [];
      let k: Strings | null = [[]];
      for (let n = 0; n <= node.max; n++) {
        if (n >= node.min) out.push(...k);
        if (n < node.max) {
          k = product(k, once);
          if (k === null) return null;
        }
      }
      return distinct(out);
    }
    default:
      return null; // assertions, lookarounds, backreferences: the string depends on the context
  }
}

function codePoints(set: ReadonlyArray<readonly [number, number]>): Strings | null {
  const out: Strings = [];
  for (const [lo, hi] of set) {
    if (out.length + (hi - lo + 1) > MAX_BRANCHES) return null;
    for (let cp = lo; cp <= hi; cp++) out.push([cp]);
  }
  return out;
}

function product(a: Strings, b: Strings): Strings | null {
  if (a.length * b.length > MAX_BRANCHES) return null;
  const out: Strings = [];
  for (const x of a) {
    for (const y of b) {
      if (x.length + y.length > MAX_STRING) return null;
      out.push([...x, ...y]);
    }
  }
  return distinct(out);
}

function distinct(strings: Strings): Strings | null {
  const seen = new Map<string, number[]>();
  for (const s of strings) seen.set(s.join(","), s);
  return seen.size > MAX_BRANCHES ? null : [...seen.values()];
}

/** `root` with group `index` matching exactly `s` and every reference to it matching `s`. */
function writeOut(root: Node, index: number, s: number[]): Node {
  const text = (caseInsensitive: boolean, pos: number): Node =>
    s.length === 0 ? { type: "empty", pos }
      : s.length === 1 ? { type: "literal", pos, cp: s[0]!, caseInsensitive }
      : { type: "concat", pos, items: s.map((cp) => ({ type: "literal" as const, pos, cp, caseInsensitive })) };
  const rewrite = (node: Node): Node => {
    switch (node.type) {
      case "backreference":
        return node.index === index ? text(node.caseInsensitive, node.pos) : node;
      case "group":
        if (node.index === index) return { ...node, item: text(false, node.pos) };
        return { ...node, item: rewrite(node.item) };
      case "repeat":
      case "lookaround":
        return { ...node, item: rewrite(node.item) };
      case "concat":
      case "alternation":
        return { ...node, items: node.items.map(rewrite) };
      default:
        return node;
    }
  };
  return rewrite(root);
}
