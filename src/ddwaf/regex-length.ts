/**
 * The shortest input a regex can match, in code points (each at least one byte). libddwaf's
 * `min_length` skips values shorter than N bytes; when every match of the regex is already at
 * least N long, that option changes nothing and the importer can drop it exactly.
 */
import { parseRegex } from "../regex/index.js";
import type { Node } from "../regex/ast.js";

function minLength(node: Node): number {
  switch (node.type) {
    case "literal":
    case "class":
      return 1;
    case "concat":
      return node.items.reduce((n, item) => n + minLength(item), 0);
    case "alternation":
      return node.items.length === 0 ? 0 : Math.min(...node.items.map(minLength));
    case "repeat":
      return node.min === 0 ? 0 : node.min * minLength(node.item);
    case "group":
      return minLength(node.item);
    default:
      // empty, assertions, lookaround and backreferences (which may match empty) add nothing.
      return 0;
  }
}

/** The minimum match length, or 0 when the pattern does not parse (nothing can be assumed). */
export function regexMinMatchLength(pattern: string): number {
  try {
    return minLength(parseRegex(pattern).root);
  } catch {
    return 0;
  }
}

/** Whether the pattern matches every input (`.*`, `^.*`, `(?:.*)`): min_length is then the whole test. */
export function matchesEverything(pattern: string): boolean {
  return /^\^?(?:\.\*|\(\?:\.\*\)|\[\\s\\S\]\*)$/.test(pattern);
}
