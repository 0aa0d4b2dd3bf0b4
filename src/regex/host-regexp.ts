/**
 * The confirmation side of prefilter mode: AST → JS `RegExp` with the same language as the
 * compiler's interpretation (PCRE semantics, see parse.ts). Printing from the AST rather than
 * patching the source text means every PCRE-only difference is handled in one place:
 * `(?i)`/scoped flags (case-insensitive literals and classes are printed already folded),
 * `\A \z \Z $` (printed as JS assertions/lookaheads), POSIX classes and `\d \w \s` (printed
 * as explicit ranges), possessive repeats and atomic groups (emulated exactly with
 * `(?=(X))\N`), named groups and `\k`/`\g` references (renumbered), multiline `^`/`$`
 * (`\n` only, as PCRE). Output always uses the `u` flag; `i` only when a backreference is
 * case-insensitive.
 */
import type { Ast, CodePointSet, Node } from "./ast.js";
import { UNBOUNDED } from "./ast.js";
import { foldSet } from "./charset.js";
import { parseRegex, type RegexFlags } from "./parse.js";

export function toHostRegExp(pattern: string, flags: RegexFlags = {}): RegExp {
  const { source, flags: f } = hostRegExpSource(parseRegex(pattern, flags));
  return new RegExp(source, f);
}

/**
 * The same as `toHostRegExp`, as `{ source, flags }` for `new RegExp(source, flags)`: what a
 * pack stores for its confirmation step (computed at compile time, no parsing at load).
 */
export function toHostRegExpSource(pattern: string, flags: RegexFlags = {}, options: HostRegExpOptions = {}): { source: string; flags: string } {
  return hostRegExpSource(parseRegex(pattern, flags), options);
}

export interface HostRegExpOptions {
  /** Drop the repeats at the start that may match nothing (withoutLeadingOptional); default true. Off: the pattern as written, for benchmarks. */
  dropOptionalPrefix?: boolean;
}

export function hostRegExpSource(ast: Ast, { dropOptionalPrefix = true }: HostRegExpOptions = {}): { source: string; flags: string } {
  // Printed capture numbers: user groups keep their order; emulation groups are interleaved.
  const numbers = new Map<number, number>();
  let counter = 0;
  let ignoreCase = false;
  const number = (node: Node): void => {
    switch (node.type) {
      case "group":
        if (node.atomic) counter++;
        if (node.index > 0) numbers.set(node.index, ++counter);
        number(node.item);
        break;
      case "repeat":
        if (node.kind === "possessive") counter++;
        number(node.item);
        break;
      case "lookaround":
        number(node.item);
        break;
      case "concat":
      case "alternation":
        node.items.forEach(number);
        break;
      case "backreference":
        if (node.caseInsensitive) ignoreCase = true;
        break;
      default:
    }
  };
  const root = dropOptionalPrefix ? withoutLeadingOptional(ast.root) : ast.root;
  number(root);
  let emitted = 0; // emulation/capture groups printed so far, mirrors `number`
  const print = (node: Node): string => {
    switch (node.type) {
      case "empty":
        return "(?:)";
      case "literal":
        return node.caseInsensitive ? printSet(foldSet(node.cp)) : printCodePoint(node.cp, false);
      case "class":
        return printSet(node.set);
      case "concat":
        return node.items.map(print).join("");
      case "alternation":
        return "(?:" + node.items.map(print).join("|") + ")";
      case "group": {
        if (node.atomic) {
          const n = ++emitted;
          if (node.index > 0) {
            ++emitted;
            return `(?=((${print(node.item)})))(?:\\${n})`;
          }
          return `(?=(${print(node.item)}))(?:\\${n})`;
        }
        if (node.index > 0) {
          ++emitted;
          return `(${print(node.item)})`;
        }
        return `(?:${print(node.item)})`;
      }
      case "repeat": {
        const q = node.min === 0 && node.max === UNBOUNDED ? "*"
          : node.min === 1 && node.max === UNBOUNDED ? "+"
          : node.min === 0 && node.max === 1 ? "?"
          : node.max === UNBOUNDED ? `{${node.min},}`
          : node.min === node.max ? `{${node.min}}` : `{${node.min},${node.max}}`;
        if (node.kind === "possessive") {
          const n = ++emitted;
          return `(?=((?:${print(node.item)})${q}))(?:\\${n})`;
        }
        return `(?:${print(node.item)})${q}${node.kind === "lazy" ? "?" : ""}`;
      }
      case "assertion":
        switch (node.kind) {
          case "startText": return "^";
          case "endText": return "$";
          case "endTextOptionalNewline": return "(?=\\n?$)";
          // Not `(?<![^\n])`/`(?![^\n])`: V8 (Node 20) lets those match between the halves
          // of a surrogate pair even with the `u` flag.
          case "startLine": return "(?<=^|\\n)";
          case "endLine": return "(?=\\n|$)";
          case "wordBoundary": return "\\b";
          case "notWordBoundary": return "\\B";
        }
        break;
      case "lookaround":
        return `(?${node.ahead ? "" : "<"}${node.negated ? "!" : "="}${print(node.item)})`;
      case "backreference":
        return `(?:\\${numbers.get(node.index) ?? node.index})`;
    }
    throw new Error("unreachable");
  };
  const source = print(root);
  return { source, flags: ignoreCase ? "iu" : "u" };
}

/**
 * The pattern without the repeats at its start that may match nothing (`X*`, `X*?`, `X?`,
 * `X{0,n}`). The host RegExp only answers "is there a match anywhere?", and for that such a
 * repeat changes nothing: a match that begins with it begins again where it ends, with the
 * repeat empty. For backtracking it changes everything: crs-toolchain starts CRS regexes with
 * `[\s\x0b"'-\)`]*?`, and V8 retries that prefix from every start position in a run of those
 * bytes, which is quadratic — 942130 (a backreference, so confirmed by RegExp) took 6 s on
 * 64,000 quotes before `a=b`, and 0.2 ms without the prefix (bench/results/backtracking.json).
 * Kept: possessive repeats (they give nothing back, so they are not optional) and repeats
 * holding a capture, an atomic group or a possessive repeat (a backreference may read the
 * capture; the emulation numbers its groups).
 */
function withoutLeadingOptional(root: Node): Node {
  // Each alternative of a top-level alternation is a pattern of its own for this purpose.
  if (root.type === "alternation") return { ...root, items: root.items.map(withoutLeadingOptional) };
  if (root.type !== "concat") return root;
  let first = 0;
  while (first < root.items.length - 1 && isDroppablePrefix(root.items[first])) first++;
  return first === 0 ? root : { ...root, items: root.items.slice(first) };
}

function isDroppablePrefix(node: Node): boolean {
  return node.type === "repeat" && node.min === 0 && node.kind !== "possessive" && !holdsGroupOrPossessive(node.item);
}

function holdsGroupOrPossessive(node: Node): boolean {
  switch (node.type) {
    case "group":
      return node.index > 0 || node.atomic || holdsGroupOrPossessive(node.item);
    case "repeat":
      return node.kind === "possessive" || holdsGroupOrPossessive(node.item);
    case "lookaround":
      return holdsGroupOrPossessive(node.item);
    case "concat":
    case "alternation":
      return node.items.some(holdsGroupOrPossessive);
    default:
      return false;
  }
}

function printCodePoint(cp: number, inClass: boolean): string {
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) return String.fromCharCode(cp);
  if (!inClass && (cp === 0x20 || cp === 0x5f)) return String.fromCharCode(cp);
  return `\\u{${cp.toString(16)}}`;
}

function printSet(set: CodePointSet): string {
  if (set.length === 0) return "[]";
  const parts = set.map(([a, b]) => (a === b ? printCodePoint(a, true) : `${printCodePoint(a, true)}-${printCodePoint(b, true)}`));
  return `[${parts.join("")}]`;
}

/** A host RegExp test, as the importers build route paths from rule conditions. */
export interface HostRegExpTest {
  source: string;
  /** "u", "i"… as `new RegExp(source, flags)` takes them. */
  flags: string;
  /** Holds where the source does not match. */
  negate?: boolean;
}

/**
 * One RegExp that holds where every test holds on the same input: the test itself when it is
 * one and not negated, else a lookahead per test from the start, each searching the whole
 * input (so an anchored test stays anchored). Escaped literals and `\xHH` classes read the same
 * with "u", so the union of the tests' flags serves them all; a refusal when their case
 * sensitivity differs, or when several tests hold a backreference (its number would shift).
 */
export function allOfHostRegExps(tests: readonly HostRegExpTest[]): RegExp | { unsupported: string } {
  const ignoreCase = tests[0]!.flags.includes("i");
  if (tests.some((t) => t.flags.includes("i") !== ignoreCase)) return { unsupported: "its conditions mix case-sensitive and case-insensitive tests" };
  const flags = [...new Set(tests.flatMap((t) => [...t.flags]))].join("");
  if (tests.length === 1 && !tests[0]!.negate) return new RegExp(tests[0]!.source, flags);
  if (tests.length > 1 && tests.some((t) => /\\[1-9]/.test(t.source))) return { unsupported: "a backreference in one of several conditions" };
  return new RegExp(`^${tests.map((t) => `(?${t.negate ? "!" : "="}[\\s\\S]*?(?:${t.source}))`).join("")}`, flags);
}

/** `^(?:GET|HEAD)$`, `GET|POST`… — a regex that is only a list of words — as that list; undefined otherwise. */
export function wordAlternatives(regex: string): string[] | undefined {
  if (!/^\^?\(?(?:\?:)?[A-Za-z|]+\)?\$?$/.test(regex.trim())) return undefined;
  return regex.replace(/[\^$()?:\s]/g, "").split("|").filter(Boolean);
}
