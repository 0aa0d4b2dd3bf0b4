/**
 * Stage 1 output: the abstract syntax tree of one pattern.
 *
 * The parser resolves everything that depends on flags at parse time, so later stages never
 * look at flags: `.` and escapes such as `\d` become `class` nodes, a case-insensitive class is
 * already case-closed, a negated class is already complemented. Only literals keep their
 * `caseInsensitive` bit, because literal extraction wants to know that a factor is case-folded.
 *
 * Code points are Unicode scalar values (0..0x10FFFF without surrogates); the NFA stage turns
 * them into UTF-8 byte sequences. Nodes carry `pos`, the UTF-16 index in the pattern where they
 * start, so warnings can point at them.
 */

/** Inclusive code point ranges, sorted, non-overlapping, non-adjacent. */
export type CodePointSet = ReadonlyArray<readonly [number, number]>;

/** Zero-width assertions the DFA can evaluate with one byte of look-behind and look-ahead. */
export type AssertionKind =
  | "startText" // \A, and ^ without (?m)
  | "endText" // \z
  | "endTextOptionalNewline" // \Z, and $ without (?m): end, or before a final \n (PCRE)
  | "startLine" // ^ with (?m): start or after \n
  | "endLine" // $ with (?m): end or before \n
  | "wordBoundary" // \b (ASCII word bytes, as PCRE without UCP and JS)
  | "notWordBoundary"; // \B

export type RepeatKind = "greedy" | "lazy" | "possessive";

export type Node =
  | { type: "empty"; pos: number }
  | { type: "literal"; pos: number; cp: number; caseInsensitive: boolean }
  | { type: "class"; pos: number; set: CodePointSet }
  | { type: "concat"; pos: number; items: Node[] }
  | { type: "alternation"; pos: number; items: Node[] }
  | { type: "repeat"; pos: number; min: number; max: number; kind: RepeatKind; item: Node }
  /** `index` is the capture number (PCRE numbering, named groups included), 0 when not capturing. */
  | { type: "group"; pos: number; index: number; name?: string; atomic: boolean; item: Node }
  | { type: "assertion"; pos: number; kind: AssertionKind }
  | { type: "lookaround"; pos: number; ahead: boolean; negated: boolean; item: Node }
  | { type: "backreference"; pos: number; index: number; caseInsensitive: boolean };

export interface Ast {
  pattern: string;
  root: Node;
  /** Number of capturing groups (named ones included). */
  captureCount: number;
  /** Constructs that make the automaton an over-approximation (lookaround, backreferences…). */
  prefilterReasons: string[];
  warnings: string[];
}

export const UNBOUNDED = Number.POSITIVE_INFINITY;
