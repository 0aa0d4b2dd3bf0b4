/**
 * Stage 1: pattern text → AST (see ast.ts).
 *
 * Accepts the PCRE/JS subset real WAF rule sets use (OWASP CRS, Datadog): literals, escapes,
 * classes with ranges/negation/POSIX names, `.`, anchors `^ $ \A \z \Z`, alternation, groups
 * (capturing, `(?:…)`, named, atomic, branch reset), every repeat form (greedy, lazy,
 * possessive), inline flags `(?imsx-imsx)` and scoped `(?i:…)`, `\Q…\E`, comments.
 *
 * Semantics follow PCRE2 without UTF/UCP flags except that input is UTF-8: `\d \w \s \b` are
 * ASCII, `.` excludes only `\n`, `$` matches at the end or before a final `\n`, `\v` is the VT
 * character (JS/RE2 meaning), `\uHHHH`/`\u{…}` are accepted (JS).
 *
 * Lookaround, backreferences, atomic groups and possessive repeats parse fine but put the
 * pattern in prefilter mode (`prefilterReasons`): the automaton over-approximates and the host
 * `RegExp` confirms. Constructs no finite automaton or superset can express in a useful way —
 * recursion, subroutine calls, conditionals, `\G`, callouts, backtracking verbs, Unicode
 * properties — throw `RegexSyntaxError` with the position.
 *
 * Cost: one pass, O(pattern length), except case-insensitive classes (caseClose, see charset.ts).
 */
import type { Ast, AssertionKind, CodePointSet, Node, RepeatKind } from "./ast.js";
import { UNBOUNDED } from "./ast.js";
import {
  ANY, DIGIT, HSPACE, NOT_NEWLINE, POSIX_CLASSES, SPACE, VSPACE, WORD,
  caseClose, foldSet, negate, normalize, union,
} from "./charset.js";

/** A pattern the compiler cannot accept. `position` is the UTF-16 index in `pattern`. */
export class RegexSyntaxError extends Error {
  override readonly name = "RegexSyntaxError";
  constructor(
    readonly pattern: string,
    readonly position: number,
    readonly reason: string,
  ) {
    const shown = pattern.length > 120 ? excerpt(pattern, position) : { text: pattern, at: position };
    super(`${reason} at position ${position}\n  ${shown.text}\n  ${" ".repeat(shown.at)}^`);
  }
}

function excerpt(pattern: string, position: number): { text: string; at: number } {
  const start = Math.max(0, position - 50);
  const end = Math.min(pattern.length, position + 50);
  const prefix = start > 0 ? "…" : "";
  return { text: prefix + pattern.slice(start, end) + (end < pattern.length ? "…" : ""), at: position - start + prefix.length };
}

export interface RegexFlags {
  caseInsensitive?: boolean;
  dotAll?: boolean;
  multiline?: boolean;
  /** PCRE `x`: white space and `#` comments outside classes are ignored. */
  extended?: boolean;
  /** PCRE_DOLLAR_ENDONLY (ModSecurity's @rx uses it): `$` matches only at the very end. */
  dollarEndOnly?: boolean;
}

interface ModeFlags {
  i: boolean;
  s: boolean;
  m: boolean;
  x: boolean;
  /** Not an inline flag: fixed for the whole pattern. */
  dollarEndOnly: boolean;
}

/** Largest repeat count accepted (as PCRE2). Large counts are capped later, by the NFA stage. */
export const MAX_REPEAT_COUNT = 65535;

export function parseRegex(pattern: string, flags: RegexFlags = {}): Ast {
  return new Parser(pattern).parse({
    i: !!flags.caseInsensitive,
    s: !!flags.dotAll,
    m: !!flags.multiline,
    x: !!flags.extended,
    dollarEndOnly: !!flags.dollarEndOnly,
  });
}

const LOOKAROUND_REASON = " (automaton treats it as empty: a superset)";

/** Whether a prefilter reason is a lookaround's (which an exact NFA can keep: nfa.ts `exactLookaround`). */
export function isLookaroundReason(reason: string): boolean {
  return /^(negative )?look(ahead|behind) at \d+ /.test(reason) && reason.endsWith(LOOKAROUND_REASON);
}

type ClassItem = { kind: "cp"; cp: number } | { kind: "set"; set: CodePointSet };

class Parser {
  private i = 0;
  private captureCount = 0;
  private readonly names = new Map<string, number>();
  private readonly prefilterReasons: string[] = [];
  private readonly warnings: string[] = [];
  private readonly pendingBackrefs: Array<{ node: { index: number }; pos: number; number: number }> = [];
  private branchReset = false;

  constructor(private readonly p: string) {}

  parse(flags: ModeFlags): Ast {
    const root = this.alternation(flags);
    if (this.i < this.p.length) this.fail(this.i, "unmatched ')'");
    for (const ref of this.pendingBackrefs) {
      if (ref.number > this.captureCount) this.fail(ref.pos, `backreference to group ${ref.number}, but the pattern has ${this.captureCount} groups`);
    }
    if (this.branchReset && this.pendingBackrefs.length > 0) {
      this.fail(0, "branch reset groups (?|…) together with backreferences are not supported");
    }
    return {
      pattern: this.p,
      root,
      captureCount: this.captureCount,
      prefilterReasons: this.prefilterReasons,
      warnings: this.warnings,
    };
  }

  private fail(pos: number, reason: string): never {
    throw new RegexSyntaxError(this.p, pos, reason);
  }

  private peek(offset = 0): string {
    return this.p[this.i + offset] ?? "";
  }

  private startsWith(s: string): boolean {
    return this.p.startsWith(s, this.i);
  }

  // ---- alternation / concatenation --------------------------------------------------------

  private alternation(flags: ModeFlags): Node {
    const pos = this.i;
    const branches: Node[] = [this.concat(flags)];
    while (this.peek() === "|") {
      this.i++;
      branches.push(this.concat(flags));
    }
    return branches.length === 1 ? branches[0] : { type: "alternation", pos, items: branches };
  }

  private concat(flags: ModeFlags): Node {
    const pos = this.i;
    const items: Node[] = [];
    for (;;) {
      if (flags.x) this.skipExtendedSpace();
      const c = this.peek();
      if (c === "" || c === "|" || c === ")") break;
      const atomPos = this.i;
      const atom = this.atom(flags);
      if (atom === null) continue; // comment or flag-only group
      if (flags.x) this.skipExtendedSpace();
      items.push(this.quantified(atom, atomPos, flags));
    }
    if (items.length === 0) return { type: "empty", pos };
    return items.length === 1 ? items[0] : { type: "concat", pos, items };
  }

  private skipExtendedSpace(): void {
    for (;;) {
      const c = this.peek();
      if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v") this.i++;
      else if (c === "#") {
        while (this.i < this.p.length && this.p[this.i] !== "\n") this.i++;
      } else return;
    }
  }

  // ---- quantifiers --------------------------------------------------------------------------

  /** Reads `{n}`, `{n,}`, `{n,m}`, `{,m}` at the cursor without consuming; null if not a quantifier. */
  private braceQuantifier(): { min: number; max: number; length: number } | null {
    const m = /^\{\s*(\d*)\s*(?:(,)\s*(\d*)\s*)?\}/.exec(this.p.slice(this.i, this.i + 32));
    if (!m) return null;
    const [text, lo, comma, hi] = m;
    if (lo === "" && (comma === undefined || hi === "")) return null; // `{}`, `{,}` are literals
    const min = lo === "" ? 0 : Number(lo);
    const max = comma === undefined ? min : hi === "" ? UNBOUNDED : Number(hi);
    return { min, max, length: text.length };
  }

  private quantified(atom: Node, atomPos: number, flags: ModeFlags): Node {
    const qPos = this.i;
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === "*") [min, max] = [0, UNBOUNDED];
    else if (c === "+") [min, max] = [1, UNBOUNDED];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const q = this.braceQuantifier();
      if (!q) return atom;
      [min, max] = [q.min, q.max];
      this.i += q.length - 1;
      if (min > MAX_REPEAT_COUNT || (max !== UNBOUNDED && max > MAX_REPEAT_COUNT)) {
        this.fail(qPos, `repeat count is larger than ${MAX_REPEAT_COUNT}`);
      }
      if (max < min) this.fail(qPos, `repeat range {${min},${max}} is out of order`);
    } else return atom;
    this.i++;
    let kind: RepeatKind = "greedy";
    if (this.peek() === "?") {
      kind = "lazy";
      this.i++;
    } else if (this.peek() === "+") {
      kind = "possessive";
      this.i++;
      this.prefilterReasons.push(`possessive repeat at ${qPos} (automaton treats it as greedy: a superset)`);
    }
    if (flags.x) this.skipExtendedSpace();
    // PCRE and JS reject `a**`: one quantifier per atom.
    const next = this.peek();
    if (next === "*" || next === "+" || next === "?" || (next === "{" && this.braceQuantifier())) {
      this.fail(this.i, "nothing to repeat (a quantifier follows a quantifier)");
    }
    return { type: "repeat", pos: atomPos, min, max, kind, item: atom };
  }

  // ---- atoms ------------------------------------------------------------------------------

  private literal(cp: number, pos: number, flags: ModeFlags): Node {
    const ci = flags.i && foldSetHasOthers(cp);
    return { type: "literal", pos, cp, caseInsensitive: ci };
  }

  private atom(flags: ModeFlags): Node | null {
    const pos = this.i;
    const c = this.peek();
    switch (c) {
      case "(":
        return this.group(flags);
      case "[":
        return this.characterClass(flags);
      case ".":
        this.i++;
        return { type: "class", pos, set: flags.s ? ANY : NOT_NEWLINE };
      case "^":
        this.i++;
        return { type: "assertion", pos, kind: flags.m ? "startLine" : "startText" };
      case "$":
        this.i++;
        return { type: "assertion", pos, kind: flags.m ? "endLine" : flags.dollarEndOnly ? "endText" : "endTextOptionalNewline" };
      case "\\":
        return this.escape(flags);
      case "*":
      case "+":
      case "?":
        this.fail(pos, `nothing to repeat before '${c}'`);
        break;
      case "{":
        if (this.braceQuantifier()) this.fail(pos, "nothing to repeat before '{'");
        break;
    }
    const cp = this.p.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return this.literal(cp, pos, flags);
  }

  private group(outer: ModeFlags): Node | null {
    const pos = this.i;
    if (this.startsWith("(*")) this.fail(pos, "backtracking control verbs such as (*UTF) or (*SKIP) are not supported");
    if (!this.startsWith("(?")) {
      this.i++;
      const index = ++this.captureCount;
      return this.groupBody(pos, { ...outer }, { index, atomic: false });
    }
    // (?…) forms
    const rest = this.p.slice(this.i + 2, this.i + 3);
    if (rest === "#") {
      const end = this.p.indexOf(")", this.i);
      if (end < 0) this.fail(pos, "missing ) after (?# comment");
      this.i = end + 1;
      return null;
    }
    if (rest === ":") {
      this.i += 3;
      return this.groupBody(pos, { ...outer }, { index: 0, atomic: false });
    }
    if (rest === "|") {
      this.i += 3;
      this.branchReset = true;
      return this.groupBody(pos, { ...outer }, { index: 0, atomic: false });
    }
    if (rest === ">") {
      this.i += 3;
      this.prefilterReasons.push(`atomic group at ${pos} (automaton treats it as a plain group: a superset)`);
      return this.groupBody(pos, { ...outer }, { index: 0, atomic: true });
    }
    if (rest === "=" || rest === "!") {
      this.i += 3;
      return this.lookaround(pos, outer, true, rest === "!");
    }
    if (this.startsWith("(?<=") || this.startsWith("(?<!")) {
      const negated = this.p[this.i + 3] === "!";
      this.i += 4;
      return this.lookaround(pos, outer, false, negated);
    }
    const named = /^\(\?(?:P?<([A-Za-z_][A-Za-z0-9_]*)>|'([A-Za-z_][A-Za-z0-9_]*)')/.exec(this.p.slice(this.i, this.i + 64));
    if (named) {
      const name = named[1] ?? named[2];
      this.i += named[0].length;
      const index = ++this.captureCount;
      if (!this.names.has(name)) this.names.set(name, index);
      return this.groupBody(pos, { ...outer }, { index, name, atomic: false });
    }
    const namedRef = /^\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/.exec(this.p.slice(this.i, this.i + 64));
    if (namedRef) {
      this.i += namedRef[0].length;
      return this.namedBackreference(namedRef[1], pos, outer);
    }
    if (rest === "(") this.fail(pos, "conditional groups (?(…)…) are not supported");
    if (rest === "C") this.fail(pos, "callouts (?C…) are not supported");
    if (rest === "R" || rest === "&" || /[0-9+-]/.test(rest) && /^\(\?[+-]?\d/.test(this.p.slice(this.i, this.i + 8))) {
      this.fail(pos, "recursion and subroutine calls are not supported");
    }
    if (this.startsWith("(?P>")) this.fail(pos, "recursion and subroutine calls are not supported");
    // Inline flags: (?imsx-imsx) or (?imsx-imsx:…), (?^…)
    const m = /^\(\?(\^?)([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(this.p.slice(this.i, this.i + 40));
    if (!m) this.fail(pos, "unknown group syntax after '(?'");
    const [text, caret, on, off = "", end] = m;
    const flags: ModeFlags = caret ? { i: false, s: false, m: false, x: false, dollarEndOnly: outer.dollarEndOnly } : { ...outer };
    const apply = (letters: string, value: boolean, at: number): void => {
      for (let k = 0; k < letters.length; k++) {
        const l = letters[k];
        if (l === "i" || l === "s" || l === "m" || l === "x") flags[l] = value;
        else if (l === "n" || l === "J" || l === "U") {
          // No effect on which strings match (capture naming/numbering, greediness).
        } else this.fail(at + k, `unknown inline flag '${l}'`);
      }
    };
    apply(on, true, pos + 2 + caret.length);
    apply(off, false, pos + 3 + caret.length + on.length);
    this.i += text.length;
    if (end === ")") {
      // Flag-only group: applies to the rest of the enclosing group (PCRE), so mutate.
      Object.assign(outer, flags);
      return null;
    }
    return this.groupBody(pos, flags, { index: 0, atomic: false });
  }

  private groupBody(pos: number, flags: ModeFlags, shape: { index: number; name?: string; atomic: boolean }): Node {
    const item = this.alternation(flags);
    if (this.peek() !== ")") this.fail(pos, "missing ) to close this group");
    this.i++;
    const node: Node = { type: "group", pos, index: shape.index, atomic: shape.atomic, item };
    if (shape.name !== undefined) node.name = shape.name;
    return node;
  }

  private lookaround(pos: number, outer: ModeFlags, ahead: boolean, negated: boolean): Node {
    const what = `${negated ? "negative " : ""}look${ahead ? "ahead" : "behind"}`;
    this.prefilterReasons.push(`${what} at ${pos}${LOOKAROUND_REASON}`);
    const item = this.alternation({ ...outer });
    if (this.peek() !== ")") this.fail(pos, `missing ) to close this ${what}`);
    this.i++;
    return { type: "lookaround", pos, ahead, negated, item };
  }

  private namedBackreference(name: string, pos: number, flags: ModeFlags): Node {
    const index = this.names.get(name);
    if (index === undefined) this.fail(pos, `backreference to unknown group name '${name}'`);
    return this.backreference(index, pos, flags);
  }

  private backreference(index: number, pos: number, flags: ModeFlags): Node {
    const node = { type: "backreference" as const, pos, index, caseInsensitive: flags.i };
    this.pendingBackrefs.push({ node, pos, number: index });
    this.prefilterReasons.push(`backreference at ${pos} (automaton accepts any text there: a superset)`);
    return node;
  }

  // ---- escapes ----------------------------------------------------------------------------

  /** Escape outside a class. */
  private escape(flags: ModeFlags): Node | null {
    const pos = this.i;
    const c = this.p[this.i + 1];
    if (c === undefined) this.fail(pos, "pattern ends with a lone backslash");
    const assertion = (kind: AssertionKind): Node => {
      this.i += 2;
      return { type: "assertion", pos, kind };
    };
    switch (c) {
      case "b": return assertion("wordBoundary");
      case "B": return assertion("notWordBoundary");
      case "A": return assertion("startText");
      case "z": return assertion("endText");
      case "Z": return assertion("endTextOptionalNewline");
      case "G": this.fail(pos, "\\G (anchor at the previous match end) is not supported");
      // eslint-disable-next-line no-fallthrough
      case "K":
        this.i += 2;
        this.warnings.push(`\\K at ${pos} ignored (it only moves the reported match start)`);
        return null;
      case "R": {
        this.i += 2;
        const crlf: Node = {
          type: "concat", pos, items: [
            { type: "literal", pos, cp: 0x0d, caseInsensitive: false },
            { type: "literal", pos, cp: 0x0a, caseInsensitive: false },
          ],
        };
        return { type: "group", pos, index: 0, atomic: false, item: { type: "alternation", pos, items: [crlf, { type: "class", pos, set: VSPACE }] } };
      }
      case "N":
        if (this.p[this.i + 2] === "{") this.fail(pos, "\\N{…} named characters are not supported");
        this.i += 2;
        return { type: "class", pos, set: NOT_NEWLINE };
      case "Q": {
        this.i += 2;
        const end = this.p.indexOf("\\E", this.i);
        const text = this.p.slice(this.i, end < 0 ? this.p.length : end);
        this.i = end < 0 ? this.p.length : end + 2;
        const items = [...text].map((ch) => this.literal(ch.codePointAt(0)!, pos, flags));
        if (items.length === 0) return null;
        return items.length === 1 ? items[0] : { type: "group", pos, index: 0, atomic: false, item: { type: "concat", pos, items } };
      }
      case "E":
        this.i += 2;
        return null;
      case "g": return this.gReference(pos, flags);
      case "k": {
        const m = /^\\k(?:<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)'|\{([A-Za-z_]\w*)\})/.exec(this.p.slice(this.i, this.i + 64));
        if (!m) this.fail(pos, "\\k must be followed by <name>, 'name' or {name}");
        this.i += m[0].length;
        return this.namedBackreference(m[1] ?? m[2] ?? m[3], pos, flags);
      }
    }
    if (c >= "1" && c <= "9") {
      // PCRE: \1–\9 and any number not above the groups opened so far are references;
      // a longer number starting with an octal digit is an octal character code.
      const m = /^\d+/.exec(this.p.slice(this.i + 1))!;
      const n = Number(m[0]);
      if (n >= 10 && n > this.captureCount && c <= "7") {
        const oct = /^[0-7]{1,3}/.exec(m[0])![0];
        this.i += 1 + oct.length;
        return this.literal(parseInt(oct, 8), pos, flags);
      }
      this.i += 1 + m[0].length;
      return this.backreference(n, pos, flags);
    }
    const item = this.characterEscape(false);
    if (item.kind === "set") return { type: "class", pos, set: flags.i ? caseClose(item.set) : item.set };
    return this.literal(item.cp, pos, flags);
  }

  private gReference(pos: number, flags: ModeFlags): Node {
    const m = /^\\g(?:\{(-?\d+)\}|(-?\d+)|\{([A-Za-z_]\w*)\}|(<|'))/.exec(this.p.slice(this.i, this.i + 64));
    if (!m) this.fail(pos, "malformed \\g reference");
    if (m[4]) this.fail(pos, "subroutine calls \\g<…> are not supported");
    this.i += m[0].length;
    if (m[3] !== undefined) return this.namedBackreference(m[3], pos, flags);
    let n = Number(m[1] ?? m[2]);
    if (n < 0) n = this.captureCount + 1 + n; // relative: \g{-1} is the last opened group
    if (n <= 0) this.fail(pos, "backreference to a group that does not exist");
    return this.backreference(n, pos, flags);
  }

  /**
   * Escapes that denote a character or a fixed set, valid both inside and outside classes.
   * The cursor is on the backslash.
   */
  private characterEscape(inClass: boolean): ClassItem {
    const pos = this.i;
    const c = this.p[this.i + 1];
    this.i += 2;
    const cp = (n: number): ClassItem => ({ kind: "cp", cp: n });
    const set = (s: CodePointSet): ClassItem => ({ kind: "set", set: s });
    switch (c) {
      case "d": return set(DIGIT);
      case "D": return set(negate(DIGIT));
      case "w": return set(WORD);
      case "W": return set(negate(WORD));
      case "s": return set(SPACE);
      case "S": return set(negate(SPACE));
      case "h": return set(HSPACE);
      case "H": return set(negate(HSPACE));
      case "n": return cp(0x0a);
      case "r": return cp(0x0d);
      case "t": return cp(0x09);
      case "f": return cp(0x0c);
      case "v": return cp(0x0b);
      case "e": return cp(0x1b);
      case "a": return cp(0x07);
      case "b": if (inClass) return cp(0x08); break;
      case "0": {
        const m = /^[0-7]{0,2}/.exec(this.p.slice(this.i))!;
        this.i += m[0].length;
        return cp(parseInt("0" + m[0], 8));
      }
      case "o": {
        const m = /^\{([0-7]+)\}/.exec(this.p.slice(this.i));
        if (!m) this.fail(pos, "\\o must be followed by {octal digits}");
        this.i += m[0].length;
        return cp(this.checkCodePoint(parseInt(m[1], 8), pos));
      }
      case "x": {
        const braced = /^\{\s*([0-9a-fA-F]+)\s*\}/.exec(this.p.slice(this.i));
        if (braced) {
          this.i += braced[0].length;
          return cp(this.checkCodePoint(parseInt(braced[1], 16), pos));
        }
        if (this.p[this.i] === "{") this.fail(pos, "malformed \\x{…} escape");
        const m = /^[0-9a-fA-F]{0,2}/.exec(this.p.slice(this.i))!;
        this.i += m[0].length;
        return cp(m[0] === "" ? 0 : parseInt(m[0], 16));
      }
      case "u": {
        const braced = /^\{([0-9a-fA-F]+)\}/.exec(this.p.slice(this.i));
        if (braced) {
          this.i += braced[0].length;
          return cp(this.checkCodePoint(parseInt(braced[1], 16), pos));
        }
        const m = /^[0-9a-fA-F]{4}/.exec(this.p.slice(this.i));
        if (!m) this.fail(pos, "\\u must be followed by four hex digits or {hex}");
        this.i += 4;
        let value = parseInt(m[0], 16);
        // A JS surrogate pair written as two escapes is one code point.
        const low = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(this.p.slice(this.i));
        if (value >= 0xd800 && value <= 0xdbff && low) {
          value = 0x10000 + ((value - 0xd800) << 10) + (parseInt(low[1], 16) - 0xdc00);
          this.i += 6;
        }
        return cp(this.checkCodePoint(value, pos));
      }
      case "c": {
        const ch = this.p[this.i];
        if (ch === undefined || !/[A-Za-z@[\\\]^_?]/.test(ch)) this.fail(pos, "\\c must be followed by a letter");
        this.i++;
        return cp(ch.toUpperCase().charCodeAt(0) ^ 0x40);
      }
      case "p":
      case "P":
        this.fail(pos, `Unicode property escapes \\${c}{…} are not supported`);
      // eslint-disable-next-line no-fallthrough
      case "X":
      case "C":
        this.fail(pos, `\\${c} is not supported`);
    }
    if (c === undefined) this.fail(pos, "pattern ends with a lone backslash");
    if (inClass && c >= "1" && c <= "7") {
      const m = /^[0-7]{0,2}/.exec(this.p.slice(this.i))!;
      this.i += m[0].length;
      return cp(parseInt(c + m[0], 8));
    }
    const code = this.p.codePointAt(pos + 1)!;
    if (/[A-Za-z0-9]/.test(c)) this.fail(pos, `unknown escape \\${c}`);
    this.i = pos + 1 + (code > 0xffff ? 2 : 1);
    return cp(code); // escaped metacharacter or any other non-alphanumeric: itself
  }

  private checkCodePoint(value: number, pos: number): number {
    if (value > 0x10ffff) this.fail(pos, "code point is larger than U+10FFFF");
    if (value >= 0xd800 && value <= 0xdfff) this.fail(pos, "lone surrogate code points cannot occur in UTF-8");
    return value;
  }

  // ---- character classes ------------------------------------------------------------------

  private characterClass(flags: ModeFlags): Node {
    const pos = this.i;
    this.i++;
    let negated = false;
    if (this.peek() === "^") {
      negated = true;
      this.i++;
    }
    const parts: CodePointSet[] = [];
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === "") this.fail(pos, "missing ] to close this character class");
      if (c === "]" && !first) {
        this.i++;
        break;
      }
      first = false;
      const itemPos = this.i;
      const item = this.classItem();
      if (item.kind === "cp" && this.peek() === "-" && this.peek(1) !== "]" && this.peek(1) !== "") {
        const save = this.i;
        this.i++;
        const hi = this.classItem();
        if (hi.kind === "cp") {
          if (hi.cp < item.cp) this.fail(itemPos, "character range is out of order");
          parts.push([[item.cp, hi.cp]]);
          continue;
        }
        // `[a-\d]`: PCRE takes the '-' literally.
        this.i = save;
      }
      parts.push(item.kind === "cp" ? [[item.cp, item.cp]] : item.set);
    }
    let set = union(...parts);
    if (flags.i) set = caseClose(set);
    if (negated) set = negate(set);
    return { type: "class", pos, set: normalize(set) };
  }

  private classItem(): ClassItem {
    const c = this.peek();
    if (c === "[") {
      const m = /^\[:(\^?)([a-z]+):\]/.exec(this.p.slice(this.i, this.i + 16));
      if (m) {
        const named = POSIX_CLASSES[m[2]];
        if (!named) this.fail(this.i, `unknown POSIX class [:${m[2]}:]`);
        this.i += m[0].length;
        return { kind: "set", set: m[1] ? negate(named) : named };
      }
      if (/^\[[.=]/.test(this.p.slice(this.i, this.i + 2))) this.fail(this.i, "POSIX collating elements are not supported");
    }
    if (c === "\\") {
      const next = this.peek(1);
      if (next === "Q") {
        // \Q…\E inside a class: literal characters.
        this.i += 2;
        const end = this.p.indexOf("\\E", this.i);
        const text = this.p.slice(this.i, end < 0 ? this.p.length : end);
        this.i = end < 0 ? this.p.length : end + 2;
        return { kind: "set", set: normalize([...text].map((ch) => [ch.codePointAt(0)!, ch.codePointAt(0)!] as [number, number])) };
      }
      if (next === "E") {
        this.i += 2;
        return { kind: "set", set: [] };
      }
      if (next === "B" || next === "A" || next === "z" || next === "Z" || next === "G") {
        this.fail(this.i, `\\${next} is not allowed in a character class`);
      }
      if (next === "R" || next === "N") this.fail(this.i, `\\${next} is not allowed in a character class`);
      return this.characterEscape(true);
    }
    const cp = this.p.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return { kind: "cp", cp };
  }
}

function foldSetHasOthers(cp: number): boolean {
  const s = foldSet(cp);
  return s.length > 1 || s[0][0] !== s[0][1];
}
