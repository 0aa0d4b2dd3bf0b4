/**
 * Scanning PCRE source text (import time only): the characters that are syntax, i.e. not
 * escaped and not inside a character class. `[]…]` and `[^]…]` open a class whose first
 * member is `]`, as in PCRE.
 */

/** Yields the index of every syntax character of `s` from `from` on. */
export function* syntaxChars(s: string, from = 0): Generator<number> {
  let inClass = false;
  for (let i = from; i < s.length; i++) {
    const c = s[i]!;
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") {
      inClass = true;
      if (s[i + 1] === "^") i++;
      if (s[i + 1] === "]") i++;
      continue;
    }
    yield i;
  }
}

/** Index of the `)` closing the group that opens at `open`, or -1. */
export function closingParen(s: string, open: number): number {
  let depth = 0;
  for (const i of syntaxChars(s, open)) {
    if (s[i] === "(") depth++;
    else if (s[i] === ")" && --depth === 0) return i;
  }
  return -1;
}

/** The branches of `|` at depth 0 (outside groups and classes). */
export function topLevelBranches(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (const i of syntaxChars(s)) {
    const c = s[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

/** Index of the first `(` at or after `from` that opens a capturing group, or -1. */
export function firstCapturingGroup(s: string, from = 0): number {
  for (const i of syntaxChars(s, from)) if (s[i] === "(" && s[i + 1] !== "?") return i;
  return -1;
}
