/**
 * Possessive repeats of one character (`\w++`, `[^"]*+`, `a{2,}+`) and atomic groups around
 * one (`(?>\d+)`) rewritten as greedy repeats guarded by a negative lookahead: such a repeat
 * takes every character of its class that follows and gives none back, so it ends exactly
 * where the next character is not in the class.
 *
 *   X*+ → X*(?!X)    X++ → X+(?!X)    X{n,}+ → X{n,}(?!X)
 *   X{n,m}+ → (?:X{m}|X{n,m-1}(?!X))   (it stops at m even when more follow; X?+ is X|(?!X))
 *
 * With lookarounds exact (lookaround.ts), the result's NFA is exact and the lazy DFA confirms
 * it in linear time, where the host RegExp emulated the repeat with a lookahead and a
 * backreference and backtracked over the rest. Not inside lookbehinds (which run backwards);
 * a pattern that keeps any other possessive repeat or atomic group is left as it is (null).
 */
import type { Ast, Node } from "./ast.js";
import { UNBOUNDED } from "./ast.js";

/** The AST with its one-character possessive repeats rewritten, or null when it has none or keeps others. */
export function rewritePossessiveUnits(ast: Ast): Ast | null {
  let rewritten = 0;
  let kept = 0;
  const rewrite = (node: Node, inLookbehind: boolean): Node => {
    switch (node.type) {
      case "repeat": {
        if (node.kind === "possessive") {
          const unit = inLookbehind ? null : unitOf(node.item);
          if (unit) {
            rewritten++;
            return possessiveAsGreedy(unit, node.min, node.max, node.pos);
          }
          kept++;
        }
        return { ...node, item: rewrite(node.item, inLookbehind) };
      }
      case "group": {
        if (node.atomic) {
          // (?>X) with X one character or a repeat of one: the group's own index stays (a
          // backreference may read it) around the rewritten item.
          const item = node.item;
          if (!inLookbehind && unitOf(item)) {
            rewritten++;
            return { ...node, atomic: false };
          }
          const unit = !inLookbehind && item.type === "repeat" && item.kind !== "lazy" ? unitOf(item.item) : null;
          if (unit && item.type === "repeat") {
            rewritten++;
            return { ...node, atomic: false, item: possessiveAsGreedy(unit, item.min, item.max, item.pos) };
          }
          kept++;
        }
        return { ...node, item: rewrite(node.item, inLookbehind) };
      }
      case "lookaround":
        return { ...node, item: rewrite(node.item, inLookbehind || !node.ahead) };
      case "concat":
      case "alternation":
        return { ...node, items: node.items.map((item) => rewrite(item, inLookbehind)) };
      default:
        return node;
    }
  };
  const root = rewrite(ast.root, false);
  if (rewritten === 0 || kept > 0) return null;
  return {
    ...ast,
    root,
    prefilterReasons: ast.prefilterReasons.filter((r) => !r.startsWith("possessive repeat at ") && !r.startsWith("atomic group at ")),
  };
}

/** One character: a literal or a class (a set of code points), inside non-capturing groups (`(?i:b)`) or not. */
function unitOf(node: Node): Node | null {
  if (node.type === "literal" || node.type === "class") return node;
  return node.type === "group" && node.index === 0 && !node.atomic ? unitOf(node.item) : null;
}

function possessiveAsGreedy(unit: Node, min: number, max: number, pos: number): Node {
  const repeat = (lo: number, hi: number): Node => ({ type: "repeat", pos, min: lo, max: hi, kind: "greedy", item: unit });
  const notFollowed: Node = { type: "lookaround", pos, ahead: true, negated: true, item: unit };
  if (max === UNBOUNDED) return { type: "concat", pos, items: [repeat(min, UNBOUNDED), notFollowed] };
  // Stops at max even when more follow; below max only where the next character is not one.
  const full = max === 1 ? unit : repeat(max, max);
  if (min === max) return full;
  const short: Node = { type: "concat", pos, items: [...(max - 1 === 0 ? [] : [repeat(min, max - 1)]), notFollowed] };
  return { type: "alternation", pos, items: [full, short] };
}
