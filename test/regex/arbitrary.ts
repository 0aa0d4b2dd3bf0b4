/**
 * fast-check generators of regex patterns for differential tests. Each generated tree renders
 * twice: as PCRE text for our compiler, and as an independent JS `RegExp` (flag `u`) with
 * PCRE's meaning spelled out (`.` → `[^\n]`, `$` → `(?=\n?$)`, `\z` → `$`, case-insensitive
 * parts expanded to explicit case pairs), so the reference does not go through our parser.
 */
import fc from "fast-check";

export const PATTERN_CHARS = ["a", "b", "A", "é", "1", " ", "-", "😀"] as const;
export const INPUT_CHARS = ["a", "b", "A", "B", "é", "É", "1", "2", " ", "\n", "-", "_", "x", "😀"] as const;

type Item = { k: "ch"; c: string } | { k: "range"; a: string; b: string } | { k: "esc"; e: string };
export type Tree =
  | { t: "lit"; c: string }
  | { t: "cls"; neg: boolean; items: Item[] }
  | { t: "dot" }
  | { t: "esc"; e: string }
  | { t: "cat"; xs: Tree[] }
  | { t: "alt"; xs: Tree[] }
  | { t: "grp"; x: Tree }
  | { t: "rep"; x: Tree; q: string; lazy: boolean }
  | { t: "bol" }
  | { t: "eol" }
  | { t: "eot" }
  | { t: "wb" }
  | { t: "ci"; x: Tree }
  | { t: "look"; x: Tree; kind: "(?=" | "(?!" | "(?<=" | "(?<!" }
  | { t: "backref" };

export interface RenderedPattern {
  pcre: string;
  js: RegExp;
  tree: Tree;
  mode: "" | "(?i)" | "(?m)" | "(?s)";
  /** The oracle: whether `js` matches `input` (see jsMatches). */
  matches(input: string): boolean;
}

/**
 * Whether `re` (a `u`-flag RegExp) matches `input` starting at a code point boundary. V8 can
 * report a match that starts inside a surrogate pair when the pattern begins with a
 * lookbehind: /(?<!\b)(?![^])/u matches "😀a" at index 1, between the halves of the emoji,
 * although no such position exists in `u` mode (and "😀a" ends in a word boundary). Trying
 * each boundary with a sticky copy of the pattern gives the answer the `u` semantics define.
 */
export function jsMatches(re: RegExp, input: string): boolean {
  const sticky = new RegExp(re.source, `${re.flags.replace(/[gy]/g, "")}y`);
  for (let at = 0; at <= input.length; at++) {
    const mid = at > 0 && at < input.length && (input.charCodeAt(at - 1) & 0xfc00) === 0xd800 && (input.charCodeAt(at) & 0xfc00) === 0xdc00;
    if (mid) continue;
    sticky.lastIndex = at;
    if (sticky.test(input)) return true;
  }
  return false;
}

const item: fc.Arbitrary<Item> = fc.oneof(
  fc.constantFrom(...PATTERN_CHARS).map((c) => ({ k: "ch" as const, c })),
  fc.constantFrom(["a", "c"], ["b", "z"], ["0", "5"], ["A", "C"]).map(([a, b]) => ({ k: "range" as const, a, b })),
  fc.constantFrom("d", "w", "s", "W", "S").map((e) => ({ k: "esc" as const, e })),
);

function treeArbitrary(withPrefilterConstructs: boolean, backreferences: boolean): fc.Arbitrary<Tree> {
  return fc.letrec<{ tree: Tree }>((tie) => {
    const leaves: Array<fc.Arbitrary<Tree>> = [
      fc.constantFrom(...PATTERN_CHARS).map((c): Tree => ({ t: "lit", c })),
      fc.constantFrom(...PATTERN_CHARS).map((c): Tree => ({ t: "lit", c })),
      fc.record({ neg: fc.boolean(), items: fc.array(item, { minLength: 1, maxLength: 3 }) }).map((r): Tree => ({ t: "cls", ...r })),
      fc.constant<Tree>({ t: "dot" }),
      fc.constantFrom("d", "w", "s", "D", "W", "S").map((e): Tree => ({ t: "esc", e })),
      fc.constantFrom<Tree>({ t: "bol" }, { t: "eol" }, { t: "eot" }, { t: "wb" }),
    ];
    if (withPrefilterConstructs && backreferences) leaves.push(fc.constant<Tree>({ t: "backref" }));
    const nodes: Array<fc.Arbitrary<Tree>> = [
      fc.array(tie("tree"), { minLength: 2, maxLength: 4 }).map((xs): Tree => ({ t: "cat", xs })),
      fc.array(tie("tree"), { minLength: 2, maxLength: 3 }).map((xs): Tree => ({ t: "alt", xs })),
      tie("tree").map((x): Tree => ({ t: "grp", x })),
      fc.record({
        x: tie("tree"),
        q: fc.constantFrom("*", "+", "?", "{2}", "{0,2}", "{1,3}", "{2,}"),
        lazy: fc.boolean(),
      }).map((r): Tree => ({ t: "rep", ...r })),
      tie("tree").map((x): Tree => ({ t: "ci", x })),
    ];
    if (withPrefilterConstructs) {
      nodes.push(
        fc.record({ x: tie("tree"), kind: fc.constantFrom("(?=" as const, "(?!" as const, "(?<=" as const, "(?<!" as const) })
          .map((r): Tree => ({ t: "look", ...r })),
      );
    }
    return {
      tree: fc.oneof({ depthSize: "medium", withCrossShrink: true }, fc.oneof(...leaves), fc.oneof(...leaves), fc.oneof(...nodes)),
    };
  }).tree;
}

const META = new Set(["\\", "^", "$", ".", "|", "?", "*", "+", "(", ")", "[", "]", "{", "}", "/", "-"]);

function swapCase(c: string): string {
  const u = c.toUpperCase();
  return u === c ? c.toLowerCase() : u;
}

function escapeOutside(c: string): string {
  return c === "-" ? "-" : META.has(c) ? `\\${c}` : c;
}

function escapeInClass(c: string): string {
  return c === "-" || c === "]" || c === "\\" || c === "^" ? `\\${c}` : c;
}

interface Rendered {
  pcre: string;
  js: string;
  groups: number;
}

function render(tree: Tree, ci: boolean, multiline: boolean, groupsBefore: number, dotAll = false): Rendered {
  const r = (x: Tree, g = groupsBefore, c = ci): Rendered => render(x, c, multiline, g, dotAll);
  switch (tree.t) {
    case "lit": {
      const other = swapCase(tree.c);
      const js = ci && other !== tree.c ? `[${tree.c}${other}]` : escapeOutside(tree.c);
      return { pcre: escapeOutside(tree.c), js, groups: 0 };
    }
    case "cls": {
      const p: string[] = [];
      const j: string[] = [];
      for (const it of tree.items) {
        if (it.k === "ch") {
          p.push(escapeInClass(it.c));
          j.push(escapeInClass(it.c));
          if (ci && swapCase(it.c) !== it.c) j.push(swapCase(it.c));
        } else if (it.k === "range") {
          p.push(`${it.a}-${it.b}`);
          j.push(`${it.a}-${it.b}`);
          if (ci && swapCase(it.a) !== it.a) j.push(`${swapCase(it.a)}-${swapCase(it.b)}`);
        } else {
          p.push(`\\${it.e}`);
          j.push(`\\${it.e}`);
        }
      }
      const neg = tree.neg ? "^" : "";
      return { pcre: `[${neg}${p.join("")}]`, js: `[${neg}${j.join("")}]`, groups: 0 };
    }
    case "dot":
      return { pcre: ".", js: dotAll ? "[^]" : "[^\\n]", groups: 0 };
    case "esc":
      return { pcre: `\\${tree.e}`, js: `\\${tree.e}`, groups: 0 };
    case "cat":
    case "alt": {
      let g = groupsBefore;
      const parts = tree.xs.map((x) => {
        const out = r(x, g);
        g += out.groups;
        return out;
      });
      const sep = tree.t === "alt" ? "|" : "";
      const wrap = (s: string): string => (tree.t === "alt" ? `(?:${s})` : s);
      return {
        pcre: wrap(parts.map((x) => x.pcre).join(sep)),
        js: wrap(parts.map((x) => x.js).join(sep)),
        groups: g - groupsBefore,
      };
    }
    case "grp": {
      const inner = r(tree.x, groupsBefore + 1);
      return { pcre: `(${inner.pcre})`, js: `(${inner.js})`, groups: inner.groups + 1 };
    }
    case "rep": {
      const inner = r(tree.x);
      const q = tree.q + (tree.lazy ? "?" : "");
      return { pcre: `(?:${inner.pcre})${q}`, js: `(?:${inner.js})${q}`, groups: inner.groups };
    }
    case "bol":
      return { pcre: "^", js: "^", groups: 0 };
    case "eol":
      return { pcre: "$", js: multiline ? "$" : "(?=\\n?$)", groups: 0 };
    case "eot":
      return { pcre: "\\z", js: multiline ? "(?![^])" : "$", groups: 0 };
    case "wb":
      return { pcre: "\\b", js: "\\b", groups: 0 };
    case "ci": {
      const inner = r(tree.x, groupsBefore, true);
      return { pcre: `(?i:${inner.pcre})`, js: inner.js, groups: inner.groups };
    }
    case "look": {
      const inner = r(tree.x);
      return { pcre: `${tree.kind}${inner.pcre})`, js: `${tree.kind}${inner.js})`, groups: inner.groups };
    }
    case "backref":
      // Refers to the most recent group opened before it, or matches the empty string.
      return groupsBefore > 0
        ? { pcre: `(?:\\${groupsBefore})`, js: `(?:\\${groupsBefore})`, groups: 0 }
        : { pcre: "(?:)", js: "(?:)", groups: 0 };
  }
}

/**
 * `withPrefilterConstructs`: lookarounds and (unless `backreferences` is false) backreferences
 * too, which only a backtracking matcher runs exactly.
 */
export function patternArbitrary(withPrefilterConstructs = false, { backreferences = true } = {}): fc.Arbitrary<RenderedPattern> {
  const tree = fc.array(treeArbitrary(withPrefilterConstructs, backreferences), { minLength: 1, maxLength: 4 })
    .map((xs): Tree => (xs.length === 1 ? xs[0] : { t: "cat", xs }));
  return fc.record({ tree, mode: fc.constantFrom("" as const, "" as const, "(?i)" as const, "(?m)" as const, "(?s)" as const) })
    .map(({ tree, mode }) => {
      const out = render(tree, mode === "(?i)", mode === "(?m)", 0, mode === "(?s)");
      const js = new RegExp(out.js, mode === "(?m)" ? "mu" : "u");
      return { pcre: mode + out.pcre, js, tree, mode, matches: (input: string) => jsMatches(js, input) };
    });
}

export const inputArbitrary: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...INPUT_CHARS), { maxLength: 12 })
  .map((cs) => cs.join(""));
