/**
 * Stage 2: AST → Thompson NFA over bytes.
 *
 * States are plain arrays (struct-of-arrays) so the DFA stage can walk them quickly:
 *   RANGE  lo..hi → next          one byte in [lo, hi]
 *   SPLIT  → out[]                 epsilon to each target
 *   LOOK   look → next            zero-width assertion (a LOOK_* bit), checked by the DFA
 *   MATCH                          the pattern matched
 *   LOOKAROUND k → next            zero-width: lookaround k holds here (exact mode only; below)
 * Code points become UTF-8 sequences (utf8.ts); a case-insensitive literal becomes its case
 * orbit (charset.ts). Built back to front ("continuation passing"), so no patch lists.
 *
 * Over-approximations (prefilter mode, reported in `prefilterReasons`): lookaround compiles to
 * empty; a backreference to "any bytes"; possessive/atomic to greedy/plain; a repeat whose
 * expansion would exceed `maxRepeatStates` NFA states to `x{k,}` with k as large as fits.
 *
 * With `exactLookaround`, a lookaround is kept instead: a LOOKAROUND state whose condition is
 * the body's own NFA (`Nfa.lookarounds[k]`, built anchored, nested lookarounds likewise). No
 * DFA is built from such an NFA; the host's lazy DFA (lazy-dfa.ts) runs it with per-position
 * truth tables of the bodies (lookaround.ts), in linear time.
 *
 * Unanchored search: unless every branch starts with `\A`/`^`, the start state loops on any
 * byte first (an implicit `(?s:.)*?` over bytes). Looping on bytes rather than code points
 * keeps the search going past invalid UTF-8 (a stray `\xFF` cannot blind the rest of the
 * input); the only cost is that a match made of zero-width assertions alone may be found
 * inside a multi-byte character (only `\B` can hold there; real rules never do this).
 * Classes and `.` match whole, valid UTF-8 sequences only: an invalid byte matches no class.
 *
 * Cost: O(pattern size × repeat expansion) states, bounded by `maxNfaStates`.
 */
import type { Ast, CodePointSet, Node } from "./ast.js";
import { UNBOUNDED } from "./ast.js";
import { foldSet } from "./charset.js";
import { isLookaroundReason } from "./parse.js";
import { utf8Sequences } from "./utf8.js";

export const RANGE = 0;
export const SPLIT = 1;
export const LOOK = 2;
export const MATCH = 3;
export const LOOKAROUND = 4;

export const LOOK_START_TEXT = 1;
export const LOOK_END_TEXT = 2;
export const LOOK_START_LINE = 4;
export const LOOK_END_LINE = 8;
export const LOOK_WORD_BOUNDARY = 16;
export const LOOK_NOT_WORD_BOUNDARY = 32;
/** `\Z` / PCRE `$`: at the end, or before a final `\n` (two units of look-ahead; see dfa.ts). */
export const LOOK_END_TEXT_OPT_NEWLINE = 64;
/**
 * The look bit of lookaround k (kept apart from the LOOK_* bits, so one `looks` mask holds
 * both): lookaround k holds at the current position.
 */
export const LOOKAROUND_SHIFT = 7;
/** Most lookarounds one NFA (or one lookaround body) may hold: their bits fill a 31-bit mask. */
export const MAX_LOOKAROUNDS = 24;
export function lookaroundBit(k: number): number {
  return 1 << (LOOKAROUND_SHIFT + k);
}

/** One lookaround of an exact NFA: its body (anchored where the lookaround stands) and its sense. */
export interface NfaLookaround {
  /** Lookahead: the body matches from here on; lookbehind: it matches ending here. */
  ahead: boolean;
  negated: boolean;
  nfa: Nfa;
}

export interface Nfa {
  kind: number[];
  lo: number[];
  hi: number[];
  next: number[];
  /** Epsilon targets of SPLIT states (empty arrays elsewhere). */
  out: number[][];
  start: number;
  /** Bitwise OR of every LOOK_* used. */
  looksUsed: number;
  anchoredStart: boolean;
  /** The bodies of LOOKAROUND states (`lo` is the index here); absent when there are none. */
  lookarounds?: NfaLookaround[];
}

export interface NfaOptions {
  /** Largest number of NFA states one repeat may expand to before it is approximated. */
  maxRepeatStates?: number;
  /** Hard limit on the NFA size; exceeding it throws `NfaTooLargeError`. */
  maxNfaStates?: number;
  /**
   * Keep lookarounds as LOOKAROUND states with their bodies (see above) instead of
   * over-approximating them; they then leave `prefilterReasons`. More than MAX_LOOKAROUNDS
   * in one NFA or body throws `NfaTooLargeError`.
   */
  exactLookaround?: boolean;
}

export class NfaTooLargeError extends Error {
  override readonly name = "NfaTooLargeError";
  constructor(readonly states: number, readonly limit: number) {
    super(`NFA exceeds ${limit} states`);
  }
}

export interface NfaResult {
  nfa: Nfa;
  /** Why the NFA over-approximates (empty when it is exact). */
  prefilterReasons: string[];
  warnings: string[];
}

export function buildNfa(ast: Ast, options: NfaOptions = {}): NfaResult {
  const exact = options.exactLookaround === true;
  const b = new NfaBuilder(options.maxRepeatStates ?? 20_000, options.maxNfaStates ?? 250_000, exact);
  const match = b.add(MATCH, 0, 0, -1);
  let start = b.compile(ast.root, match);
  const anchoredStart = isAnchoredAtStart(ast.root);
  if (!anchoredStart) {
    const split = b.add(SPLIT, 0, 0, -1);
    const loop = b.add(RANGE, 0, 0xff, split);
    b.out[split] = [start, loop];
    start = split;
  }
  const astReasons = exact ? ast.prefilterReasons.filter((r) => !isLookaroundReason(r)) : ast.prefilterReasons;
  return {
    nfa: b.finish(start, anchoredStart),
    prefilterReasons: [...astReasons, ...b.prefilterReasons],
    warnings: [...ast.warnings, ...b.warnings],
  };
}

/** True when every match must start at position 0 (so no unanchored prefix is needed). */
export function isAnchoredAtStart(node: Node): boolean {
  switch (node.type) {
    case "assertion":
      return node.kind === "startText";
    case "group":
      return isAnchoredAtStart(node.item);
    case "concat":
      for (const item of node.items) {
        if (isAnchoredAtStart(item)) return true;
        // Zero-width items that are not \A may precede it: keep looking; anything else stops.
        if (item.type === "assertion" || item.type === "lookaround" || item.type === "empty") continue;
        return false;
      }
      return false;
    case "alternation":
      return node.items.every(isAnchoredAtStart);
    case "repeat":
      return node.min >= 1 && isAnchoredAtStart(node.item);
    default:
      return false;
  }
}

class NfaBuilder {
  kind: number[] = [];
  lo: number[] = [];
  hi: number[] = [];
  next: number[] = [];
  out: number[][] = [];
  looksUsed = 0;
  lookarounds: NfaLookaround[] = [];
  /**
   * Lookaround index by AST node: a repeat compiles its item once per copy, and every copy of
   * a lookaround holds at the same positions, so the copies share one body and one bit.
   */
  private readonly lookaroundOf = new Map<Node, number>();
  prefilterReasons: string[] = [];
  warnings: string[] = [];
  private readonly seqCache = new Map<CodePointSet, Array<Array<readonly [number, number]>>>();

  constructor(
    private readonly maxRepeatStates: number,
    private readonly maxNfaStates: number,
    private readonly exactLookaround = false,
  ) {}

  finish(start: number, anchoredStart: boolean): Nfa {
    const nfa: Nfa = { kind: this.kind, lo: this.lo, hi: this.hi, next: this.next, out: this.out, start, looksUsed: this.looksUsed, anchoredStart };
    if (this.lookarounds.length > 0) nfa.lookarounds = this.lookarounds;
    return nfa;
  }

  /** A LOOKAROUND state for `node`, its body built by a builder of its own (anchored, no search loop). */
  private lookaround(node: Extract<Node, { type: "lookaround" }>, next: number): number {
    let k = this.lookaroundOf.get(node);
    if (k === undefined) {
      k = this.lookarounds.length;
      if (k >= MAX_LOOKAROUNDS) throw new NfaTooLargeError(k + 1, MAX_LOOKAROUNDS);
      const body = new NfaBuilder(this.maxRepeatStates, this.maxNfaStates - this.kind.length, true);
      const start = body.compile(node.item, body.add(MATCH, 0, 0, -1));
      this.prefilterReasons.push(...body.prefilterReasons);
      this.warnings.push(...body.warnings);
      this.lookarounds.push({ ahead: node.ahead, negated: node.negated, nfa: body.finish(start, false) });
      this.lookaroundOf.set(node, k);
    }
    return this.add(LOOKAROUND, k, 0, next);
  }

  add(kind: number, lo: number, hi: number, next: number): number {
    const id = this.kind.length;
    if (id >= this.maxNfaStates) throw new NfaTooLargeError(id, this.maxNfaStates);
    this.kind.push(kind);
    this.lo.push(lo);
    this.hi.push(hi);
    this.next.push(next);
    this.out.push([]);
    return id;
  }

  private split(targets: number[]): number {
    if (targets.length === 1) return targets[0];
    const id = this.add(SPLIT, 0, 0, -1);
    this.out[id] = targets;
    return id;
  }

  private look(look: number, next: number): number {
    this.looksUsed |= look;
    return this.add(LOOK, look, 0, next);
  }

  private set(set: CodePointSet, next: number): number {
    if (set.length === 0) return this.add(SPLIT, 0, 0, -1); // a SPLIT to nowhere: matches nothing
    let seqs = this.seqCache.get(set);
    if (!seqs) {
      seqs = set.flatMap(([a, b]) => utf8Sequences(a, b));
      this.seqCache.set(set, seqs);
    }
    const starts: number[] = [];
    // Share the tails: sequences that differ only in their leading byte reuse one chain.
    const tailCache = new Map<string, number>();
    for (const seq of seqs) {
      let s = next;
      let key = "";
      for (let j = seq.length - 1; j >= 1; j--) {
        key = `${seq[j][0]}-${seq[j][1]},${key}`;
        const cached = tailCache.get(key);
        if (cached !== undefined) s = cached;
        else {
          s = this.add(RANGE, seq[j][0], seq[j][1], s);
          tailCache.set(key, s);
        }
      }
      starts.push(this.add(RANGE, seq[0][0], seq[0][1], s));
    }
    return this.split(starts);
  }

  compile(node: Node, next: number): number {
    switch (node.type) {
      case "empty":
        return next;
      case "literal":
        return this.set(node.caseInsensitive ? foldSet(node.cp) : [[node.cp, node.cp]], next);
      case "class":
        return this.set(node.set, next);
      case "group":
        return this.compile(node.item, next);
      case "concat": {
        let s = next;
        for (let k = node.items.length - 1; k >= 0; k--) s = this.compile(node.items[k], s);
        return s;
      }
      case "alternation":
        return this.split(node.items.map((item) => this.compile(item, next)));
      case "lookaround":
        if (this.exactLookaround) return this.lookaround(node, next);
        return next; // superset; reason recorded by the parser
      case "backreference": {
        const loop = this.add(SPLIT, 0, 0, -1);
        const any = this.add(RANGE, 0, 0xff, loop);
        this.out[loop] = [any, next];
        return loop;
      }
      case "assertion":
        switch (node.kind) {
          case "startText": return this.look(LOOK_START_TEXT, next);
          case "endText": return this.look(LOOK_END_TEXT, next);
          case "startLine": return this.look(LOOK_START_LINE, next);
          case "endLine": return this.look(LOOK_END_LINE, next);
          case "wordBoundary": return this.look(LOOK_WORD_BOUNDARY, next);
          case "notWordBoundary": return this.look(LOOK_NOT_WORD_BOUNDARY, next);
          case "endTextOptionalNewline": return this.look(LOOK_END_TEXT_OPT_NEWLINE, next);
        }
        break;
      case "repeat":
        return this.repeat(node, next);
    }
    throw new Error("unreachable");
  }

  private repeat(node: Extract<Node, { type: "repeat" }>, next: number): number {
    let { min, max } = node;
    const needed = max === UNBOUNDED ? min + 1 : max;
    if (needed > 1) {
      // Measure one copy, then decide whether the expansion fits.
      const before = this.kind.length;
      this.compile(node.item, next);
      const size = Math.max(1, this.kind.length - before);
      if (size * needed > this.maxRepeatStates) {
        const fit = Math.max(0, Math.floor(this.maxRepeatStates / size) - 1);
        const newMin = Math.min(min, fit);
        this.prefilterReasons.push(
          `repeat {${min},${max === UNBOUNDED ? "" : max}} at ${node.pos} is too large to expand (${size} states per copy); compiled as {${newMin},} (a superset)`,
        );
        min = newMin;
        max = UNBOUNDED;
      }
    }
    let s = next;
    if (max === UNBOUNDED) {
      const loop = this.add(SPLIT, 0, 0, -1);
      const body = this.compile(node.item, loop);
      this.out[loop] = [body, next];
      s = loop;
    } else {
      for (let k = 0; k < max - min; k++) s = this.split([this.compile(node.item, s), next]);
    }
    for (let k = 0; k < min; k++) s = this.compile(node.item, s);
    return s;
  }
}
