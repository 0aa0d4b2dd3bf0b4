/**
 * The NFA the host's lazy DFA confirms a pattern with (lazy-dfa.ts): lookarounds exact, and
 * before that the rewrites that take out constructs with no automaton of their own — a
 * backreference to a capture of a few strings (backreference-expansion.ts), a possessive
 * repeat of one character (possessive-rewrite.ts). One place, so the pack compiler and
 * bench:confirm confirm with the same automaton. `prefilterReasons` empty: exact.
 */
import type { Ast } from "./ast.js";
import { expandFiniteBackreferences } from "./backreference-expansion.js";
import { buildNfa, type NfaResult } from "./nfa.js";
import { rewritePossessiveUnits } from "./possessive-rewrite.js";

export function buildConfirmNfa(ast: Ast, options: { maxNfaStates?: number } = {}): NfaResult {
  const expanded = expandFiniteBackreferences(ast) ?? ast;
  return buildNfa(rewritePossessiveUnits(expanded) ?? expanded, { ...options, exactLookaround: true });
}
