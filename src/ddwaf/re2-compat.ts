/**
 * Whether a wafer `rx` pattern can run in libddwaf, whose regex engine is RE2: RE2 has no
 * lookaround, backreferences, atomic groups or possessive repeats. Read from wafer's own
 * parse of the pattern, so escaped characters (`\?+`) are never mistaken for syntax.
 */
import type { Node } from "../regex/ast.js";
import { parseRegex } from "../regex/index.js";

function find(node: Node): string | null {
  switch (node.type) {
    case "lookaround":
      return "lookaround";
    case "backreference":
      return "a backreference";
    case "group":
      return node.atomic ? "an atomic group" : find(node.item);
    case "repeat":
      return node.kind === "possessive" ? "a possessive repeat" : find(node.item);
    case "concat":
    case "alternation":
      for (const item of node.items) {
        const found = find(item);
        if (found) return found;
      }
      return null;
    default:
      return null;
  }
}

/** The construct RE2 lacks, or null when the pattern is RE2-compatible (or does not parse: RE2 will say). */
export function re2Incompatibility(pattern: string): string | null {
  try {
    return find(parseRegex(pattern).root);
  } catch {
    return null;
  }
}
