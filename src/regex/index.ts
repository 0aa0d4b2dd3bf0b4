/**
 * Regex compiler entry point: pattern → { DFA table, prefilter literals, confirmation need }.
 *
 * Stages (each in its own file, costs documented there):
 *   parse.ts      pattern → AST (PCRE/JS subset; RegexSyntaxError with a position)
 *   nfa.ts        AST → Thompson NFA over UTF-8 bytes (over-approximates in prefilter mode)
 *   dfa.ts        NFA → DFA with byte classes, EOI class, look-around via state context,
 *                 state budget (DfaBudgetError), Hopcroft minimization
 *   dfa-format.ts DFA → binary table read in place by assembly/matcher/dfa.ts
 *   literals.ts   AST → required literal factors for the prefilter
 *   host-regexp.ts AST → JS RegExp with the same language, to confirm prefilter-mode hits
 *
 * `compileRegex` builds one DFA or throws. `compileRegexParts` is the fallback for patterns
 * over the state budget: it widens counted repeats and/or splits on alternations into several
 * DFAs (the pattern matches iff one of them does).
 *
 * Measured (scripts/regex-crs-survey.ts, CRS v4 @rx with ModSecurity's flags, budget 10,000):
 * 297 of 318 compile to one exact DFA (median 38 states), 8 more as parts (5 of them widened,
 * so confirmed), 13 fail (the evasion-tolerant command lists of 932xxx, 933180, 942480).
 */
import type { Ast, Node } from "./ast.js";
import { buildDfa, DEFAULT_STATE_BUDGET, DfaBudgetError } from "./dfa.js";
import { serializeDfa } from "./dfa-format.js";
import { extractLiterals } from "./literals.js";
import { requiredByteSet } from "./required-bytes.js";
import { buildNfa } from "./nfa.js";
import { parseRegex, type RegexFlags } from "./parse.js";

export { RegexSyntaxError, parseRegex, type RegexFlags } from "./parse.js";
export { DfaBudgetError, DEFAULT_STATE_BUDGET } from "./dfa.js";
export { NfaTooLargeError } from "./nfa.js";
export { toHostRegExp, toHostRegExpSource, hostRegExpSource } from "./host-regexp.js";
export { runDfaTable, dfaTableIsMatch } from "./dfa-run.js";
export { readDfaHeader } from "./dfa-format.js";

export interface CompileRegexOptions {
  /** Maximum DFA states (after minimization) before `DfaBudgetError` (default 10,000). */
  stateBudget?: number;
  /** Maximum states during subset construction, before minimization (default 4 × stateBudget). */
  constructionBudget?: number;
  /** Largest NFA expansion of one bounded repeat before it is approximated (default 20,000). */
  maxRepeatStates?: number;
}

export interface CompiledRegex {
  /** Binary DFA table (dfa-format.ts), for the Wasm walker. */
  table: Uint8Array;
  /** The DFA over-approximates: confirm its matches with `toHostRegExp(pattern, flags)`. */
  needsConfirm: boolean;
  /** Required literal factors (one occurs in every match), or null when none is useful. */
  literals: string[] | null;
  /** The literals are ASCII-lower-cased and must be searched ASCII-case-insensitively. */
  literalsCaseInsensitive: boolean;
  /** DFA states after minimization (dead and accepting states included). */
  states: number;
  /** Byte classes + 1 (end of input). */
  classes: number;
  /** Bytes every match reads (required-bytes.ts encoding), or null when none is worth checking. */
  requiredBytes: Uint8Array | null;
  /** Why the pattern is in prefilter mode, and other notes. */
  warnings: string[];
}

/**
 * Compiles one pattern. Throws `RegexSyntaxError` (unsupported syntax, with position),
 * `DfaBudgetError` (too many states: split the pattern or fall back) or `NfaTooLargeError`.
 */
export function compileRegex(pattern: string, flags: RegexFlags = {}, options: CompileRegexOptions = {}): CompiledRegex {
  return compileAst(parseRegex(pattern, flags), options);
}

/** Compiles an already parsed (possibly rewritten) AST. */
export function compileAst(ast: Ast, options: CompileRegexOptions = {}): CompiledRegex {
  const { nfa, prefilterReasons, warnings } = buildNfa(ast, { maxRepeatStates: options.maxRepeatStates });
  const dfa = buildDfa(nfa, { stateBudget: options.stateBudget ?? DEFAULT_STATE_BUDGET, constructionBudget: options.constructionBudget });
  const needsConfirm = prefilterReasons.length > 0;
  const literals = extractLiterals(ast);
  return {
    table: serializeDfa(dfa, { needsConfirm, anchoredStart: nfa.anchoredStart }),
    needsConfirm,
    literals: literals?.literals ?? null,
    literalsCaseInsensitive: literals?.caseInsensitive ?? false,
    states: dfa.stateCount,
    classes: dfa.classCount,
    requiredBytes: requiredByteSet(dfa),
    warnings: [...prefilterReasons.map((r) => `prefilter mode: ${r}`), ...warnings],
  };
}

export interface CompileRegexPartsOptions extends CompileRegexOptions {
  /** Give up (rethrow DfaBudgetError) beyond this many parts (default 16). */
  maxParts?: number;
  /**
   * Give up after this many DFA constructions (default 12). A construction that hits the
   * budget costs about as much as building 40,000 states (≈1–5 s), so this bounds compile time.
   */
  maxAttempts?: number;
}

/**
 * Like `compileRegex`, but when the DFA exceeds the state budget the pattern is split on an
 * alternation (top-level, or inside a group of a top-level concatenation: `p(?:a|b)s` →
 * `p(?:a)s`, `p(?:b)s`) into parts compiled separately, halving again as needed. The pattern
 * matches iff any part matches; each part has its own literals (usually better ones). A part
 * with `needsConfirm` is confirmed with the whole pattern's `toHostRegExp`.
 * Order of attempts: whole; whole with counted repeats widened (`relaxCountedRepeats`, needs
 * confirm); split exact; split widened. Throws `DfaBudgetError` when nothing fits in `maxParts`.
 */
export function compileRegexParts(pattern: string, flags: RegexFlags = {}, options: CompileRegexPartsOptions = {}): CompiledRegex[] {
  const ast = parseRegex(pattern, flags);
  const attempts = { left: options.maxAttempts ?? 12 };
  const attempt = (a: Ast): CompiledRegex => {
    if (attempts.left-- <= 0) throw new DfaBudgetError(options.stateBudget ?? DEFAULT_STATE_BUDGET);
    return compileAst(a, options);
  };
  try {
    return [attempt(ast)];
  } catch (e) {
    if (!(e instanceof DfaBudgetError)) throw e;
  }
  // Widen counted repeats (`.{1,100}` → `.+`): usually far fewer states; a superset of the
  // language, so the result needs confirmation by the host RegExp.
  const relaxedRoot = relaxCountedRepeats(ast.root);
  const relaxed: Ast | null = relaxedRoot === ast.root ? null : {
    ...ast,
    root: relaxedRoot,
    prefilterReasons: [...ast.prefilterReasons, "counted repeats widened to fit the state budget (a superset)"],
  };
  if (relaxed) {
    try {
      return [attempt(relaxed)];
    } catch (e) {
      if (!(e instanceof DfaBudgetError)) throw e;
    }
  }
  try {
    return compileSplitting(ast, options, attempt);
  } catch (e) {
    if (!(e instanceof DfaBudgetError) || !relaxed) throw e;
    return compileSplitting(relaxed, options, attempt);
  }
}

/** Splits `ast` (known to exceed the budget as a whole) until every part fits. */
function compileSplitting(ast: Ast, options: CompileRegexPartsOptions, attempt: (a: Ast) => CompiledRegex): CompiledRegex[] {
  const maxParts = options.maxParts ?? 16;
  const parts: CompiledRegex[] = [];
  const first = splitAlternation(ast.root);
  if (!first) throw new DfaBudgetError(options.stateBudget ?? DEFAULT_STATE_BUDGET);
  const todo: Node[] = [...first];
  while (todo.length > 0) {
    const root = todo.shift()!;
    try {
      parts.push(attempt({ ...ast, root }));
    } catch (e) {
      if (!(e instanceof DfaBudgetError)) throw e;
      const halves = splitAlternation(root);
      if (!halves || parts.length + todo.length + 2 > maxParts) throw e;
      todo.unshift(...halves);
    }
  }
  return parts;
}

/** `x{n,m}` with m > 4 → `x{min(n,1),}`: a superset with a much smaller DFA. Same node if unchanged. */
export function relaxCountedRepeats(node: Node): Node {
  switch (node.type) {
    case "repeat": {
      const item = relaxCountedRepeats(node.item);
      if (node.max !== Number.POSITIVE_INFINITY && node.max > 4) {
        return { ...node, item, min: Math.min(node.min, 1), max: Number.POSITIVE_INFINITY };
      }
      return item === node.item ? node : { ...node, item };
    }
    case "group":
    case "lookaround": {
      const item = relaxCountedRepeats(node.item);
      return item === node.item ? node : { ...node, item };
    }
    case "concat":
    case "alternation": {
      const items = node.items.map(relaxCountedRepeats);
      return items.every((x, i) => x === node.items[i]) ? node : { ...node, items };
    }
    default:
      return node;
  }
}

/** Two ASTs whose languages' union is `node`'s language, or null if no alternation to split. */
export function splitAlternation(node: Node): [Node, Node] | null {
  switch (node.type) {
    case "alternation": {
      if (node.items.length < 2) return null;
      const h = node.items.length >> 1;
      const half = (items: Node[]): Node => (items.length === 1 ? items[0] : { type: "alternation", pos: node.pos, items });
      return [half(node.items.slice(0, h)), half(node.items.slice(h))];
    }
    case "group": {
      if (node.atomic) return null;
      const inner = splitAlternation(node.item);
      return inner ? [{ ...node, item: inner[0] }, { ...node, item: inner[1] }] : null;
    }
    case "concat": {
      // Split the widest alternation among the children (distributes over concatenation).
      let best = -1;
      let width = 1;
      node.items.forEach((item, i) => {
        const w = alternationWidth(item);
        if (w > width) {
          width = w;
          best = i;
        }
      });
      if (best < 0) return null;
      const inner = splitAlternation(node.items[best])!;
      const withChild = (child: Node): Node => ({ ...node, items: node.items.map((x, i) => (i === best ? child : x)) });
      return [withChild(inner[0]), withChild(inner[1])];
    }
    default:
      return null;
  }
}

function alternationWidth(node: Node): number {
  if (node.type === "alternation") return node.items.length;
  if (node.type === "group" && !node.atomic) return alternationWidth(node.item);
  if (node.type === "concat") return Math.max(1, ...node.items.map(alternationWidth));
  return 1;
}
