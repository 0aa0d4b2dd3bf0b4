import { closingParen, topLevelBranches } from "./regex-source.js";

/**
 * Splits a regex at its top-level alternation: `(?i)(?:A|B|C)` → `(?i)A`, `(?i)B`, `(?i)C`
 * (grouped into at most `maxParts` pieces). A value matches the whole iff it matches one
 * piece, so a rule can be emitted as several smaller rules when one DFA for the whole
 * pattern would exceed the compiler's state budget (CRS's assembled RCE and SQLi patterns
 * combine many `.*?` branches, whose product explodes; each piece stays small).
 */
export function splitTopLevelAlternation(pattern: string, maxParts: number): string[] | null {
  let flags = "";
  let body = pattern;
  const f = /^\(\?([a-z]+)\)/.exec(body);
  if (f) {
    flags = f[0];
    body = body.slice(f[0].length);
  }
  let before = "";
  let after = "";
  let branches = topLevelBranches(body);
  if (branches.length < 2) {
    // `X(?:A|B|C)Y` matches iff one of `X(?:A)Y`, `X(?:B)Y`, `X(?:C)Y` does: distribute
    // over the unquantified top-level group with the most branches.
    let best: { open: number; close: number; branches: string[] } | null = null;
    for (let i = 0; i < body.length; i++) {
      const c = body[i]!;
      if (c === "\\") {
        i++;
        continue;
      }
      if (c === "[") {
        i = classEnd(body, i);
        continue;
      }
      if (c !== "(") continue;
      const close = closingParen(body, i);
      if (close < 0) return null;
      const quantified = /^[*+?{]/.test(body.slice(close + 1, close + 2));
      if (body.startsWith("(?:", i) && !quantified) {
        const inner = topLevelBranches(body.slice(i + 3, close));
        if (!best || inner.length > best.branches.length) best = { open: i, close, branches: inner };
      }
      i = close;
    }
    if (!best || best.branches.length < 2) return null;
    before = body.slice(0, best.open);
    after = body.slice(best.close + 1);
    branches = best.branches;
  }
  const size = Math.ceil(branches.length / Math.min(maxParts, branches.length));
  const parts: string[] = [];
  for (let i = 0; i < branches.length; i += size) parts.push(`${flags}${before}(?:${branches.slice(i, i + size).join("|")})${after}`);
  return parts;
}

/** Index of the `]` closing the class that opens at `open`. */
function classEnd(s: string, open: number): number {
  let i = open + 1;
  if (s[i] === "^") i++;
  if (s[i] === "]") i++;
  for (; i < s.length; i++) {
    if (s[i] === "\\") i++;
    else if (s[i] === "]") return i;
  }
  return s.length;
}

