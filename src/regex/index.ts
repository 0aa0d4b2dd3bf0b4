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
 */
import { buildDfa, DEFAULT_STATE_BUDGET } from "./dfa.js";
import { serializeDfa } from "./dfa-format.js";
import { extractLiterals } from "./literals.js";
import { buildNfa } from "./nfa.js";
import { parseRegex, type RegexFlags } from "./parse.js";

export { RegexSyntaxError, parseRegex, type RegexFlags } from "./parse.js";
export { DfaBudgetError, DEFAULT_STATE_BUDGET } from "./dfa.js";
export { NfaTooLargeError } from "./nfa.js";
export { toHostRegExp, hostRegExpSource } from "./host-regexp.js";
export { runDfaTable, dfaTableIsMatch } from "./dfa-run.js";
export { readDfaHeader } from "./dfa-format.js";

export interface CompileRegexOptions {
  /** Maximum DFA states before `DfaBudgetError` (default 10,000). */
  stateBudget?: number;
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
  /** Why the pattern is in prefilter mode, and other notes. */
  warnings: string[];
}

/**
 * Compiles one pattern. Throws `RegexSyntaxError` (unsupported syntax, with position),
 * `DfaBudgetError` (too many states: split the pattern or fall back) or `NfaTooLargeError`.
 */
export function compileRegex(pattern: string, flags: RegexFlags = {}, options: CompileRegexOptions = {}): CompiledRegex {
  const ast = parseRegex(pattern, flags);
  const { nfa, prefilterReasons, warnings } = buildNfa(ast, { maxRepeatStates: options.maxRepeatStates });
  const dfa = buildDfa(nfa, { stateBudget: options.stateBudget ?? DEFAULT_STATE_BUDGET });
  const needsConfirm = prefilterReasons.length > 0;
  const literals = extractLiterals(ast);
  return {
    table: serializeDfa(dfa, { needsConfirm, anchoredStart: nfa.anchoredStart }),
    needsConfirm,
    literals: literals?.literals ?? null,
    literalsCaseInsensitive: literals?.caseInsensitive ?? false,
    states: dfa.stateCount,
    classes: dfa.classCount,
    warnings: [...prefilterReasons.map((r) => `prefilter mode: ${r}`), ...warnings],
  };
}
