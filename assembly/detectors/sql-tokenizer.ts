// SQL tokenizer for the dialects attackers write (MySQL, PostgreSQL, MSSQL, Oracle, SQLite).
// It maps bytes to a stream of one-character token types that the decision model in
// sqli.ts reads; it never allocates, never reads outside [base, stop), and visits each byte
// at most twice (once when a word peeks for a following `(`), so it is linear.
//
// Token types:
//   s string   1 number / literal   n name   f function call (name followed by `(`)
//   v variable  k keyword  E statement verb  U set operator  & logic  = comparison
//   o other operator  c comment  ( ) , ;  punctuation
// `(` and `)` are emitted once per run by the decision model (folded there).

import { lookupWord, lowerByte } from "./word-table";
import { SQL_WORDS_DISP_BITS, SQL_WORDS_SLOT_BITS, SQL_WORDS_MAX_LEN, SQL_WORDS_DISP, SQL_WORDS_SLOTS, SQL_WORDS_BLOB, SQL_WORDS_FILTER, SQL_WORDS_FILTER_BITS, SUB_NONE, SUB_STRONGNAME } from "./sql-words";
import { addWork } from "./fingerprint";
import { isAlpha, isDigit } from "./ascii";

export const T_STRING: u8 = 0x73; // s
export const T_NUMBER: u8 = 0x31; // 1
export const T_NAME: u8 = 0x6e; // n
export const T_FUNC: u8 = 0x66; // f
export const T_VAR: u8 = 0x76; // v
export const T_KEYWORD: u8 = 0x6b; // k
export const T_VERB: u8 = 0x45; // E
export const T_UNION: u8 = 0x55; // U
export const T_LOGIC: u8 = 0x26; // &
export const T_COMPARE: u8 = 0x3d; // =
export const T_OP: u8 = 0x6f; // o
export const T_COMMENT: u8 = 0x63; // c
export const T_LPAREN: u8 = 0x28; // (
export const T_RPAREN: u8 = 0x29; // )
export const T_COMMA: u8 = 0x2c; // ,
export const T_SEMI: u8 = 0x3b; // ;
export const T_END: u8 = 0;

/** The current token: type, keyword sub id, function kind, and whether a string ran to the end. */
export let tokType: u8 = 0;
export let tokSub: u8 = 0;
export let tokFunc: u8 = 0;
export let tokUnterminated: bool = false;

let base: usize = 0;
let cur: usize = 0;
let stop: usize = 0;
/** Depth of MySQL `/*! ... *\/` version comments: their content is code. */
let versionDepth: i32 = 0;

// @ts-ignore: decorator
@inline function isWordStart(c: u32): bool {
  return isAlpha(c) || c == 0x5f || c >= 0x80;
}
// @ts-ignore: decorator
@inline function isWordChar(c: u32): bool {
  return isAlpha(c) || isDigit(c) || c == 0x5f || c == 0x24 || c >= 0x80;
}
// @ts-ignore: decorator
@inline function isHex(c: u32): bool {
  return isDigit(c) || (c | 0x20) - 97 < 6;
}
/**
 * sqlPlainRun's byte classes, one load instead of a chain of compares per byte: RUN_SPACE
 * the whitespace scanOneInner skips (0x00-0x20, 0x7f), RUN_WORD isWordStart, RUN_OP
 * isPlainOp or `*`, RUN_STOP isRunStop, RUN_WCHAR isWordChar. Checked against those definitions on all 256
 * bytes (test/detectors/sqli-scan.test.ts reads this table from the source).
 */
const RUN_CLASS: usize = memory.data<u8>([
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 0, 8, 0, 16, 4, 0, 8, 0, 0, 4, 4, 0, 4, 8, 4, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 0, 0, 0, 0, 0, 4,
  0, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 0, 4, 4, 4, 18,
  0, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 4, 0, 4, 4, 1,
  18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18,
  18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18,
  18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18,
  18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18
]);
const RUN_SPACE: u32 = 1;
const RUN_WORD: u32 = 2;
const RUN_OP: u32 = 4;
const RUN_STOP: u32 = 8;
const RUN_WCHAR: u32 = 16;
// @ts-ignore: decorator
@inline function runClass(c: u32): u32 {
  return <u32>load<u8>(RUN_CLASS + <usize>c);
}

/**
 * End of the run of word bytes starting at p (isWordChar), at most `end`. Sixteen bytes per
 * step while a whole vector lies inside the input (it never reads past `end`), so a word
 * costs one vector step and no per-byte branch; the scalar loop finishes the last bytes.
 */
// @ts-ignore: decorator
@inline function wordEnd(p: usize, end: usize): usize {
  return wordEndWith(p, end, v128.load(WORD_NIBBLES), v128.load(WORD_NIBBLES, 16), v128.load(WORD_NIBBLES, 32));
}
/** wordEnd with WORD_NIBBLES' rows given: sqlPlainRun loads them once, not per word. */
// @ts-ignore: decorator
@inline function wordEndWith(p: usize, end: usize, low4: v128, byLow: v128, byHigh: v128): usize {
  while (p + 16 <= end) {
    const v = v128.load(p);
    const lo = i8x16.swizzle(byLow, v128.and(v, low4));
    const hi = i8x16.swizzle(byHigh, v128.and(i16x8.shr_u(v, 4), low4));
    const stopMask = i8x16.bitmask(i8x16.eq(v128.and(lo, hi), i8x16.splat(0)));
    if (stopMask != 0) return p + <usize>ctz(stopMask);
    p += 16;
  }
  while (p < end && (runClass(load<u8>(p)) & RUN_WCHAR) != 0) p++;
  return p;
}
/**
 * isWordChar by nibbles, for wordEnd's vector step: a byte is a word byte when row 1 at
 * its low nibble AND row 2 at its high nibble is nonzero. Each bit stands for the low
 * nibbles that are word bytes under some high nibbles: 1 '$' (4 under 2), 2 digits (0-9
 * under 3), 4 letters (1-15 under 4 and 6), 8 letters (0-10 under 5 and 7), 16 '_' (15
 * under 5), 32 bytes >= 0x80 (all under 8-15). Two swizzles replace five range tests and
 * their seven splatted constants (test/detectors/sqli-scan.test.ts checks the rows against
 * the definition on all 256 bytes). Row 0: the low-nibble mask. Loaded from memory: V8
 * builds a v128.const in three instructions each time a loop is entered, a load is one.
 */
const WORD_NIBBLES: usize = memory.data<u8>([
  0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f,
  42, 46, 46, 46, 47, 46, 46, 46, 46, 46, 44, 36, 36, 36, 36, 52,
  0, 0, 1, 2, 4, 24, 4, 8, 32, 32, 32, 32, 32, 32, 32, 32,
], 16);
// @ts-ignore: decorator
@inline function at(p: usize): u32 {
  return p < stop ? <u32>load<u8>(p) : 0;
}

// @ts-ignore: decorator
@inline function lookup(start: usize, end: usize): u32 {
  return lookupWord(start, <u32>(end - start), SQL_WORDS_DISP, SQL_WORDS_SLOTS, SQL_WORDS_BLOB, SQL_WORDS_DISP_BITS, SQL_WORDS_SLOT_BITS, SQL_WORDS_MAX_LEN, SQL_WORDS_FILTER, SQL_WORDS_FILTER_BITS);
}

/**
 * Starts tokenizing [ptr, ptr+len). With `quote` nonzero the input is read as if it
 * followed that quote character: the first token is the rest of that string.
 */
export function sqlReset(ptr: usize, len: u32, quote: u8): void {
  base = ptr;
  cur = ptr;
  stop = ptr + len;
  versionDepth = 0;
  skipFrom = 1;
  skipTo = 0;
  scannedStart = -1;
  sawVersionComment = false;
  startQuote = quote;
}
let startQuote: u8 = 0;

/** Whether sqlNext would return T_END now: nothing left and no quoted start pending. */
// @ts-ignore: decorator
@inline export function sqlAtEnd(): bool {
  return cur >= stop && startQuote == 0;
}

function set(type: u8, sub: u8, func: u8): u8 {
  tokType = type;
  tokSub = sub;
  tokFunc = func;
  return type;
}

/**
 * The last span skipped: [skipFrom, skipTo) is whitespace and comments only. The tokenizer
 * later asks again from positions inside that span (after each comment it consumes); the
 * answer is the same, so it is reused. Without this, "/**\/" repeated would be quadratic.
 */
let skipFrom: usize = 1;
let skipTo: usize = 0;

/** Skips whitespace and complete `/* *\/` comments from p (not version comments); returns the new position. */
function skipSpaceAndComments(p: usize): usize {
  if (p >= skipFrom && p <= skipTo) return skipTo;
  const start = p;
  while (p < stop) {
    const c = <u32>load<u8>(p);
    if (c <= 0x20 || c == 0x7f) { p++; continue; }
    if (c == 0x2f && at(p + 1) == 0x2a && at(p + 2) != 0x21) {
      let q = p + 2;
      while (q + 1 < stop && !(load<u8>(q) == 0x2a && load<u8>(q + 1) == 0x2f)) q++;
      if (q + 1 >= stop) { p = stop; break; }
      p = q + 2;
      continue;
    }
    break;
  }
  addWork(<u32>(p - start));
  skipFrom = start;
  skipTo = p;
  return p;
}

/** First byte of the last string's body (0 when empty): "' operator" starts with a space. */
export let tokFirstByte: u32 = 0;

/** Scans a quoted body after its opening quote; backslash and doubled quote escape. */
function scanQuotedBody(q: u32): void {
  tokUnterminated = true;
  tokFirstByte = at(cur) == q ? 0 : at(cur);
  const end = stop;
  let p = cur;
  while (p < end) {
    const c = <u32>load<u8>(p);
    if (c == 0x5c) { p += 2; continue; }
    if (c == q) {
      if (p + 1 < end && <u32>load<u8>(p + 1) == q) { p += 2; continue; }
      p++;
      tokUnterminated = false;
      break;
    }
    p++;
  }
  cur = p > end ? end : p;
}

/** Scans to the byte `close` (inclusive), no escapes: backtick and bracket identifiers. */
function scanUntil(close: u32): void {
  tokUnterminated = true;
  while (cur < stop) {
    const c = <u32>load<u8>(cur++);
    if (c == close) { tokUnterminated = false; return; }
  }
}

/** Oracle q'Xtext X'' quoting: cur is at the delimiter. */
function scanOracleQ(): void {
  let d = at(cur);
  if (d == 0x5b) d = 0x5d;
  else if (d == 0x28) d = 0x29;
  else if (d == 0x7b) d = 0x7d;
  else if (d == 0x3c) d = 0x3e;
  cur++;
  tokUnterminated = true;
  while (cur < stop) {
    if (<u32>load<u8>(cur) == d && at(cur + 1) == 0x27) { cur += 2; tokUnterminated = false; return; }
    cur++;
  }
}

/** PostgreSQL dollar quoting `$tag$ ... $tag$`; cur is just after the opening tag. Tag ≤ 16 bytes. */
function scanDollarBody(tagStart: usize, tagLen: u32): void {
  tokUnterminated = true;
  while (cur < stop) {
    if (load<u8>(cur) == 0x24 && cur + 1 + tagLen < stop) {
      let same = load<u8>(cur + 1 + tagLen) == 0x24;
      for (let i: u32 = 0; same && i < tagLen; i++) same = load<u8>(cur + 1 + i) == load<u8>(tagStart + i);
      if (same) { cur += 2 + tagLen; tokUnterminated = false; return; }
    }
    cur++;
  }
}

/**
 * Numbers: decimal, `.5`, exponent, `0x..`, `0b..`. Digits glued to letters form a name unless the letters are a keyword (`1union`).
 * Scans with locals and writes `cur` once (V8 keeps a Wasm global in memory: a loop over `cur` loads and stores it per byte).
 */
function scanNumber(): u8 {
  const start = cur;
  const end = stop;
  let p = start;
  const c0 = <u32>load<u8>(p);
  const c1 = p + 1 < end ? lowerByte(load<u8>(p + 1)) : 0;
  if (c0 == 0x30 && c1 == 0x78) {
    p += 2;
    while (p < end && isHex(load<u8>(p))) p++;
  } else if (c0 == 0x30 && c1 == 0x62 && p + 2 < end && (load<u8>(p + 2) == 0x30 || load<u8>(p + 2) == 0x31)) {
    p += 2;
    while (p < end && (load<u8>(p) == 0x30 || load<u8>(p) == 0x31)) p++;
  } else {
    p = digitsEnd(p, end);
    if (p < end && load<u8>(p) == 0x2e) p = digitsEnd(p + 1, end);
    // an exponent: e or E, then a digit or a sign and a digit
    if (p + 1 < end && (<u32>load<u8>(p) | 0x20) == 0x65) {
      const e1 = <u32>load<u8>(p + 1);
      if (isDigit(e1) || ((e1 == 0x2b || e1 == 0x2d) && p + 2 < end && isDigit(load<u8>(p + 2)))) p = digitsEnd(p + 2, end);
    }
  }
  if (p < end && isWordChar(load<u8>(p))) {
    const wordStop = wordEnd(p, end);
    const e = lookup(p, wordStop);
    const t = <u8>(e & 0xff);
    if (t == T_LOGIC || t == T_UNION || t == T_KEYWORD || t == T_VERB || t == T_COMPARE) {
      cur = p;
      return set(T_NUMBER, SUB_NONE, 0);
    }
    cur = wordStop;
    return set(T_NAME, SUB_NONE, 0);
  }
  cur = p == start ? p + 1 : p;
  return set(T_NUMBER, SUB_NONE, 0);
}

/** End of the run of decimal digits starting at p, at most `end`. */
// @ts-ignore: decorator
@inline function digitsEnd(p: usize, end: usize): usize {
  while (p < end && isDigit(load<u8>(p))) p++;
  return p;
}

/**
 * Whether input[0..len) is exactly one strong catalogue name (`xp_cmdshell`, `sysobjects`):
 * the one way a value of only letters, digits and '_' makes detectSQLi fire (a lone
 * catalogue name), so the engine's word-value skip asks this first.
 */
export function isStrongSqlName(ptr: usize, len: u32): bool {
  return len <= SQL_WORDS_MAX_LEN && ((lookup(ptr, ptr + len) >>> 8) & 0xff) == <u32>SUB_STRONGNAME;
}
/** A word, possibly dotted (`information_schema.tables`, `master..xp_cmdshell`). */
function scanWord(): u8 {
  const start = cur;
  let entry: u32;
  if (start == scannedStart) {
    cur = scannedEnd;
    entry = scannedEntry;
  } else {
    cur = wordEnd(cur, stop);
    entry = lookup(start, cur);
  }
  const len = cur - start;
  // Prefixed string literals: N'..' E'..' (strings), X'..' B'..' (numbers), Q'[..]' (Oracle).
  if (len == 1 && at(cur) == 0x27) {
    const p = lowerByte(load<u8>(start));
    if (p == 0x6e || p == 0x65 || p == 0x78 || p == 0x62) {
      cur++;
      scanQuotedBody(0x27);
      return set(p == 0x78 || p == 0x62 ? T_NUMBER : T_STRING, SUB_NONE, 0);
    }
    if (p == 0x71 && cur + 1 < stop) {
      cur++;
      scanOracleQ();
      return set(T_STRING, SUB_NONE, 0);
    }
  }
  // Charset introducers (_utf8'..', _latin1 0x..) are noise in front of a literal.
  if (load<u8>(start) == 0x5f && (at(cur) == 0x27 || at(cur) == 0x22)) return 0;

  let segments = 1;
  let strongName = ((entry >>> 8) & 0xff) == <u32>SUB_STRONGNAME;
  let maxFunc = entry >>> 16;
  let lastFunc = maxFunc;
  // Dotted names: schema.table, package.function, db..proc.
  while (cur + 1 < stop && load<u8>(cur) == 0x2e) {
    let p = cur + 1;
    if (load<u8>(p) == 0x2e) p++;
    if (p >= stop || !isWordStart(load<u8>(p))) break;
    const segStart = p;
    while (p < stop && isWordChar(load<u8>(p))) p++;
    cur = p;
    const e = lookup(segStart, p);
    segments++;
    if (((e >>> 8) & 0xff) == 21) strongName = true;
    lastFunc = e >>> 16;
    if (lastFunc > maxFunc) maxFunc = lastFunc;
  }
  // Only a function name needs to know whether '(' follows.
  let paren = false;
  if (maxFunc != 0) {
    const next = skipSpaceAndComments(cur);
    paren = next < stop && load<u8>(next) == 0x28;
  }
  if (segments == 1) {
    const type = <u8>(entry & 0xff);
    const sub = <u8>((entry >>> 8) & 0xff);
    if (entry != 0 && type == 0) return 0; // noise word: not, all, distinct
    if (paren && maxFunc != 0) return set(T_FUNC, sub, <u8>maxFunc);
    if (entry == 0) return set(T_NAME, SUB_NONE, 0);
    return set(type, sub, 0);
  }
  if (paren && (lastFunc != 0 || maxFunc == 3)) return set(T_FUNC, strongName ? 21 : 0, <u8>(maxFunc == 3 ? 3 : lastFunc));
  return set(T_NAME, strongName ? 21 : 0, 0);
}

/**
 * Plain run: consumes whitespace and the following tokens while each is one that
 * sqli.ts runContext would only push — push folds nothing (or drops a repeated paren) and
 * the fast path skips checkShapes — writing each (type, sub, func) into the caller's
 * 16-slot ring at `count & 15`, and returns the new count. It reads the tokens before
 * each one (p1 = t(0), its sub, p2 = t(1)) from the ring, which it keeps as push would. It
 * stops in front of the first token it does not take (whitespace before it consumed),
 * leaving that token for sqlNext.
 *
 * There is no run after a value or `)` and `=`, U or a `::` cast (o with sub ':'): a
 * name there reaches checkShapes, a name after a cast folds. After `=` that follows
 * anything else ("KHTML, like Gecko", "a?b=c") a name completes no shape (a tautology
 * with a name on the right needs a value or `)` on the left, nameRightCompletes) and the
 * fast path skips it; the first token of such a run is the only one with p1 `=`, and the
 * other tokens test shapeBack. The tokens, what sqlNext would return
 * for them, and when the run takes them (mirroring sqli.ts push and mayShape, which must
 * change together with this; p1 = the newest token, p2 the one before):
 *   - (n, 0, 0): a word (isWordStart, wordEnd) not in the word table and not followed by
 *     `'`, `"` or `.` (so no prefixed string, charset introducer, dotted name or `(` peek);
 *     always taken (the fast path needs p1 != `=`, push p1 not a cast); runWordRare takes
 *     more words;
 *   - (s, 0, 0): a string in `'` or `"` (scanQuotedBody), taken unless shapeBack;
 *   - (o, byte, 0): a byte of scanOneInner's `default` case, `-` not before `-`, `/` not
 *     before `*`, `*` not closing a version comment; always taken (needs p1 != U);
 *   - scanNumber's (1, 0, 0) or (n, 0, 0) ("14_5"): taken unless a sign would fold into it
 *     (p1 a unary sign after a non-operand), p1 is `,` (mayShape: "N, N"), or shapeBack;
 *   - `,`: always taken; `;` and `)`: taken unless shapeBack; `(`: taken unless shapeBack,
 *     p1 is f (a call) or a sign would fold into it; `(` after `(` and `)` after `)` are
 *     dropped (push folds them), counted as work only;
 *   - (=, first byte, 0): `=` `==` `<` `<=` `<>` `>` `>=` (and `<=>`, sub `=`), taken unless
 *     shapeBack or p1 is a value or `)` (then a name after it may complete a tautology,
 *     nameRightCompletes: the run ends before it, so inside the run p1 is `=` only after
 *     a weak left side), likewise (=, '!', 0): `!=` `!<` `!>`; (o, 0, 0): `<<`, `>>`, `&`
 *     not before `&`, `|` not before `|`, and (o, '!', 0): `!` otherwise, always taken
 *     ("a?b=c&d=e", "<b>ok</b>", "Great!"); a lone `.` is skipped as sqlNext does;
 *   - (n, 0, 0): `@` after a word byte and the word bytes, `.` and `-` after it (an e-mail
 *     address, scanOneInner's case), always taken;
 * where shapeBack = p1 is U, E, k or `=`, or p2 is E (mayShape's tests on the tokens
 * before). Whitespace is skipped as scanOneInner does (0x00-0x20, 0x7f). The work counter
 * grows by what sqlNext's steps would add (bytes + 1 per whitespace run and per token).
 * No tokenizer state but `cur`, tokUnterminated (whether the last token taken is an open
 * string) and tokFirstByte (of the last string taken) changes that the caller reads
 * (tokType/tokSub/tokFunc are left stale: read only after sqlNext). A word it scans and does not take is handed to
 * scanWord (scannedStart), not scanned again.
 */
export function sqlPlainRun(ringType: usize, ringSub: usize, ringFunc: usize, count: u32): u32 {
  // Words and operators look only at p1, and inside the run p1 is never '=', U or a cast:
  // the tokens before the run decide once whether there is a run at all.
  if (count > 0) {
    const last = <u32>load<u8>(ringType + ((count - 1) & 15));
    const before = count > 1 ? <u32>load<u8>(ringType + ((count - 2) & 15)) : 0;
    if ((last == T_COMPARE && nameRightCompletes(before)) || last == T_UNION ||
      (last == T_OP && <u32>load<u8>(ringSub + ((count - 1) & 15)) == 0x3a)) return count;
    // After '=' the run takes words, operators and commas, and stops at once in front of
    // anything else (a number in "q=0.9"): no run then, only its call would be saved.
    if (last == T_COMPARE && (cur >= stop || (runClass(load<u8>(cur)) & (RUN_WORD | RUN_SPACE)) == 0)) return count;
  }
  const end = stop;
  let p = cur;
  let work: u32 = 0;
  let n = count;
  const low4 = v128.load(WORD_NIBBLES);
  const byLow = v128.load(WORD_NIBBLES, 16);
  const byHigh = v128.load(WORD_NIBBLES, 32);
  tokUnterminated = false;
  while (p < end) {
    let c = <u32>load<u8>(p);
    let cls = runClass(c);
    if ((cls & RUN_SPACE) != 0) {
      const s = p;
      // the byte that ends the whitespace is the next token's: classified once
      while (true) {
        p++;
        if (p >= end) break;
        c = <u32>load<u8>(p);
        cls = runClass(c);
        if ((cls & RUN_SPACE) == 0) break;
      }
      work += <u32>(p - s) + 1;
      if (p >= end) break;
    }
    let type: u8 = 0;
    let sub: u8 = SUB_NONE;
    let q: usize = p;
    if ((cls & RUN_WORD) != 0) {
      q = wordEndWith(p, end, low4, byLow, byHigh);
      const entry = lookup(p, q);
      type = T_NAME;
      if (entry != 0 || (q < end && (runClass(load<u8>(q)) & RUN_STOP) != 0)) {
        const taken = runWordRare(p, q, entry, ringType, n);
        if (taken == RARE_STOP) {
          scannedStart = p;
          scannedEnd = q;
          scannedEntry = entry;
          break;
        }
        q = rareEnd;
        if (taken == RARE_SKIP) { work += <u32>(q - p) + 1; p = q; continue; }
        if (taken == RARE_LOGIC) type = T_LOGIC;
      }
    } else if ((cls & RUN_OP) != 0) {
      const c1 = at(p + 1);
      if ((c == 0x2d && c1 == 0x2d) || (c == 0x2f && c1 == 0x2a) || (c == 0x2a && c1 == 0x2f && versionDepth > 0)) break;
      q = p + 1;
      type = T_OP;
      sub = <u8>c;
    } else {
      // Numbers and punctuation: push and mayShape look further back (ring: p1, p2).
      const p1 = n > 0 ? <u32>load<u8>(ringType + ((n - 1) & 15)) : 0;
      const ps1 = n > 0 ? <u32>load<u8>(ringSub + ((n - 1) & 15)) : 0;
      const p2 = n > 1 ? <u32>load<u8>(ringType + ((n - 2) & 15)) : 0;
      if (isDigit(c) || (c == 0x2e && isDigit(at(p + 1)))) {
        if (shapeBack(p1, p2) || p1 == T_COMMA || signFolds(p1, ps1, p2)) break;
        // Decimal digits, maybe one '.' and digits, then no word byte: scanNumber's decimal
        // case, which would end there (a hex or binary prefix, an exponent or glued letters
        // put a word byte there), without its call.
        type = T_NUMBER;
        q = isDigit(c) ? digitsEnd(p + 1, end) : p;
        if (q > p && q < end && load<u8>(q) == 0x2e) q = digitsEnd(q + 1, end);
        if (q == p || (q < end && isWordChar(load<u8>(q)))) {
          cur = p;
          type = scanNumber();
          q = cur;
        }
      } else if (c == 0x27 || c == 0x22) {
        // scanOneInner's quoted string (an open one runs to the end: the last token).
        if (shapeBack(p1, p2)) break;
        cur = p + 1;
        scanQuotedBody(c);
        q = cur;
        type = T_STRING;
      } else if (c == 0x2c) {
        q = p + 1;
        type = T_COMMA;
      } else if (c == 0x3b || c == 0x29) {
        q = p + 1;
        if (c == 0x29 && p1 == T_RPAREN) { work += 2; p = q; continue; }
        if (shapeBack(p1, p2)) break;
        type = c == 0x3b ? T_SEMI : T_RPAREN;
      } else if (c == 0x28) {
        q = p + 1;
        if (p1 == T_LPAREN) { work += 2; p = q; continue; }
        if (shapeBack(p1, p2) || p1 == T_FUNC || signFolds(p1, ps1, p2)) break;
        type = T_LPAREN;
      } else if (c == 0x3d || c == 0x3c || c == 0x3e) {
        // scanOneInner's comparisons = == < <= <> <=> > >=, and the shifts << >> (o, 0)
        const c1 = at(p + 1);
        type = T_COMPARE;
        sub = <u8>c;
        if (c == 0x3d) q = p + (c1 == 0x3d ? 2 : 1);
        else if (c1 == c && c != 0x3d) { q = p + 2; type = T_OP; sub = SUB_NONE; }
        else if (c == 0x3c && c1 == 0x3d && at(p + 2) == 0x3e) { q = p + 3; sub = 0x3d; }
        else q = p + (c1 == 0x3d || (c == 0x3c && c1 == 0x3e) ? 2 : 1);
        if (type == T_COMPARE && (shapeBack(p1, p2) || nameRightCompletes(p1))) break;
      } else if (c == 0x21) {
        // '!=' '!<' '!>' (=, '!') under the comparisons' test; a lone '!' (o, '!'), taken as an operator
        const c1 = at(p + 1);
        if (c1 == 0x3d || c1 == 0x3c || c1 == 0x3e) {
          if (shapeBack(p1, p2) || nameRightCompletes(p1)) break;
          q = p + 2;
          type = T_COMPARE;
        } else {
          q = p + 1;
          type = T_OP;
        }
        sub = 0x21;
      } else if (c == 0x2e) {
        // a lone '.' (none before a digit: a number; none after a word: runWordRare), which
        // sqlNext skips as one step
        work += 2;
        p++;
        continue;
      } else if (c == 0x40 && p > base && isWordChar(load<u8>(p - 1))) {
        // "user@example.com": scanOneInner's e-mail name after a word byte (else a variable)
        q = p + 1;
        while (q < end && (isWordChar(load<u8>(q)) || load<u8>(q) == 0x2e || load<u8>(q) == 0x2d)) q++;
        type = T_NAME;
      } else if (c == 0x26 || c == 0x7c) {
        // a lone '&' or '|' ('&&' and '||' are logic)
        if (at(p + 1) == c) break;
        q = p + 1;
        type = T_OP;
      } else if (c == 0x3a) {
        // ':' and ':=' (o, 0); '::' is a cast, which folds a following word
        const c1 = at(p + 1);
        if (c1 == 0x3a) break;
        q = p + (c1 == 0x3d ? 2 : 1);
        type = T_OP;
      } else {
        break;
      }
    }
    work += <u32>(q - p) + 1;
    p = q;
    const i = <usize>(n & 15);
    store<u8>(ringType + i, type);
    store<u8>(ringSub + i, sub);
    store<u8>(ringFunc + i, 0);
    n++;
  }
  cur = p;
  addWork(work);
  return n;
}

// Token predicates the shapes (sqli.ts) and the plain run below share: defined once here.

/** The tokens before the newest that let a shape end at it (sqli.ts mayShape): p1 a set operator, verb, keyword or comparison, or p2 a verb. */
// @ts-ignore: decorator
@inline export function shapeBack(p1: u32, p2: u32): bool {
  return p1 == T_UNION || p1 == T_VERB || p1 == T_KEYWORD || p1 == T_COMPARE || p2 == T_VERB;
}

/** A unary sign operator: - + ~ ! */
// @ts-ignore: decorator
@inline export function isUnarySign(op: u32): bool {
  return op == 0x2d || op == 0x2b || op == 0x7e || op == 0x21;
}

/** A token that can be an operand (a sign after it is binary). */
// @ts-ignore: decorator
@inline export function isOperand(x: u32): bool {
  return x == T_NUMBER || x == T_STRING || x == T_VAR || x == T_NAME || x == T_RPAREN || x == T_FUNC;
}

/**
 * Whether a plain name right of a comparison can complete sqli.ts checkShapes' tautology,
 * given the token left of the comparison: only a value or `)` there (strongLeft; a name on
 * both sides needs a value on the right). No other shape ends at a plain name after `=`.
 */
// @ts-ignore: decorator
@inline export function nameRightCompletes(left: u32): bool {
  return left == T_NUMBER || left == T_STRING || left == T_VAR || left == T_RPAREN;
}

/** sqli.ts push's sign folding: a value or `(` after a unary sign (p1, sub ps1) that follows no operand (p2) takes the sign's place. */
// @ts-ignore: decorator
@inline export function signFolds(p1: u32, ps1: u32, p2: u32): bool {
  return p1 == T_OP && isUnarySign(ps1) && !isOperand(p2);
}

const RARE_STOP: u32 = 0;
const RARE_NAME: u32 = 1;
const RARE_SKIP: u32 = 2;
const RARE_LOGIC: u32 = 3;
/** End of the token runWordRare took. */
let rareEnd: usize = 0;

/**
 * A word [p, q) sqlPlainRun found in the table or before `'`, `"` or `.`: whether scanWord
 * (which sqlNext would call) gives a token the run may take, and which. RARE_NAME: (n, 0,
 * 0) — a dotted name whose segments are neither catalogue names nor functions (scanWord's
 * dotted case without a `(` peek), or a function name not before `(` whose entry is a
 * plain name (scanWord peeks with skipSpaceAndComments, which is called here in its place:
 * the same call, the same work and cache; when it finds `(` the word is left to scanWord,
 * whose second call from the same position hits the cache and adds nothing). RARE_SKIP: a
 * noise word (not, all), which sqlNext skips. RARE_LOGIC: and, or, xor, taken where
 * mayShape is false for it (no set operator, verb, keyword or comparison just before, no
 * verb two back; push folds nothing into a logic token). The token ends at rareEnd.
 * Before a quote, a word that is no prefix (N, E, X, B, Q before `'`) and no charset
 * introducer (`_` first) is read as anywhere else: "O'Brien". RARE_STOP: anything else
 * (keywords, prefixed strings, charset introducers, calls), left to sqlNext.
 */
function runWordRare(p: usize, q: usize, entry: u32, ringType: usize, n: u32): u32 {
  const end = stop;
  rareEnd = q;
  if (q < end) {
    const next = <u32>load<u8>(q);
    // scanWord's prefixed strings (N'..', X'..', Q'[..]') and charset introducers (_utf8'..')
    if (next == 0x27 || next == 0x22) {
      if (load<u8>(p) == 0x5f) return RARE_STOP;
      if (next == 0x27 && q - p == 1) {
        const l = lowerByte(load<u8>(p));
        if (l == 0x6e || l == 0x65 || l == 0x78 || l == 0x62 || l == 0x71) return RARE_STOP;
      }
    }
    if (next == 0x2e) {
      // scanWord's dotted names: schema.table, db..proc
      let r = q;
      let segments = 1;
      let plain = ((entry >>> 8) & 0xff) != <u32>SUB_STRONGNAME && (entry >>> 16) == 0;
      while (r + 1 < end && load<u8>(r) == 0x2e) {
        let t = r + 1;
        if (load<u8>(t) == 0x2e) t++;
        if (t >= end || (runClass(load<u8>(t)) & RUN_WORD) == 0) break;
        const segStart = t;
        t = wordEnd(t, end);
        r = t;
        const e = lookup(segStart, t);
        segments++;
        if (((e >>> 8) & 0xff) == <u32>SUB_STRONGNAME || (e >>> 16) != 0) plain = false;
      }
      if (segments > 1) {
        if (!plain) return RARE_STOP;
        rareEnd = r;
        return RARE_NAME;
      }
    }
  }
  if (entry == 0) return RARE_NAME;
  const type = entry & 0xff;
  const sub = (entry >>> 8) & 0xff;
  if ((entry >>> 16) != 0) {
    const next = skipSpaceAndComments(q);
    if (next < end && load<u8>(next) == 0x28) return RARE_STOP;
  }
  if (type == 0) return RARE_SKIP;
  if (type == <u32>T_NAME && sub == 0) return RARE_NAME;
  if (type == <u32>T_LOGIC) {
    const p1 = n > 0 ? <u32>load<u8>(ringType + ((n - 1) & 15)) : 0;
    const p2 = n > 1 ? <u32>load<u8>(ringType + ((n - 2) & 15)) : 0;
    if (!shapeBack(p1, p2)) return RARE_LOGIC;
  }
  return RARE_STOP;
}

/**
 * The word sqlPlainRun scanned last and did not take (a keyword, say): [scannedStart,
 * scannedEnd) and its table entry. sqlNext's next step starts there, and scanWord reuses
 * both instead of scanning and looking the word up again (a keyword's lookup is a full
 * hash probe). The bytes do not change while one input is tokenized; sqlReset clears it.
 */
let scannedStart: usize = -1;
let scannedEnd: usize = 0;
let scannedEntry: u32 = 0;

/** A word followed by one of these (`'`, `"`, `.`) may not be a plain name (prefixed string, charset introducer, dotted name). */
// @ts-ignore: decorator
@inline function isRunStop(next: u32): bool {
  return next == 0x27 || next == 0x22 || next == 0x2e;
}

/** Bytes that scanOneInner turns into (T_OP, byte) on their own: its `default` case, and `-` and `/` (the caller checks they do not start a comment). */
// @ts-ignore: decorator
@inline function isPlainOp(c: u32): bool {
  return c == 0x2d || c == 0x2f || c == 0x2b || c == 0x25 || c == 0x3f || c == 0x5e || c == 0x7b || c == 0x7d ||
    c == 0x7e || c == 0x5c || c == 0x5d;
}

/** Comment subs: CLEAN (empty, or not glued to a word: "--", "-- x", "#") or WORDY ("--INFANT", "#2 MOM"). */
export const COMMENT_CLEAN: u8 = 1;
export const COMMENT_WORDY: u8 = 2;

/**
 * A `--` or `#` comment (cur at its body). Like a block comment it is transparent unless
 * it is the last thing in the input: only a trailing comment can cut off a query.
 */
function lineComment(): u8 {
  const body = cur;
  while (cur < stop && load<u8>(cur) != 0x0a) cur++;
  if (skipSpaceAndComments(cur) < stop) return 0xff;
  const first = at(body);
  let wordy = isWordChar(first) && first < 0x80;
  if (marker == 0x23) {
    // "#2 MOM", "'# BLAH": a hash before text is more often a number sign than a comment.
    let p = body;
    while (p < cur && load<u8>(p) <= 0x20) p++;
    if (p < cur) wordy = true;
  }
  return set(T_COMMENT, wordy ? COMMENT_WORDY : COMMENT_CLEAN, 0);
}
let marker: u32 = 0;

/** True once a MySQL `/*!` version comment was seen: no English text contains one. */
export let sawVersionComment: bool = false;

/**
 * Reads the next token into tokType/tokSub/tokFunc and returns its type, or T_END.
 * Noise (whitespace, inner block comments, version-comment markers, noise words) is skipped.
 */
export function sqlNext(): u8 {
  while (true) {
    const t = scanOne();
    if (t != 0xff) return t;
  }
  return T_END;
}

/** One step: a token type, T_END, or 0xff for "skipped something, go on". Inlined with scanOneInner into sqlNext: one call per token. */
// @ts-ignore: decorator
@inline function scanOne(): u8 {
  const before = cur;
  const t = scanOneInner();
  addWork(<u32>(cur - before) + 1);
  return t;
}

// @ts-ignore: decorator
@inline function scanOneInner(): u8 {
  tokUnterminated = false;
  if (startQuote != 0) {
    // The rest of the string the input was placed in.
    const q = <u32>startQuote;
    startQuote = 0;
    scanQuotedBody(q);
    return set(T_STRING, SUB_NONE, 0);
  }
  if (cur >= stop) return T_END;
  const c = <u32>load<u8>(cur);
  if (c <= 0x20 || c == 0x7f) {
    cur++;
    while (cur < stop && (load<u8>(cur) <= 0x20 || load<u8>(cur) == 0x7f)) cur++;
    return 0xff;
  }
  if (isWordStart(c)) {
    const t = scanWord();
    return t == 0 ? 0xff : t;
  }
  if (isDigit(c) || (c == 0x2e && isDigit(at(cur + 1)))) return scanNumber();
  const c1 = at(cur + 1);
  switch (c) {
    case 0x27: // '
    case 0x22: // "
      cur++;
      scanQuotedBody(c);
      return set(T_STRING, SUB_NONE, 0);
    case 0x60: // ` identifier
      cur++;
      scanUntil(0x60);
      return set(T_NAME, SUB_NONE, 0);
    case 0x5b: // [identifier]
      cur++;
      scanUntil(0x5d);
      return set(T_NAME, SUB_NONE, 0);
    case 0x28: cur++; return set(T_LPAREN, SUB_NONE, 0);
    case 0x29: cur++; return set(T_RPAREN, SUB_NONE, 0);
    case 0x2c: cur++; return set(T_COMMA, SUB_NONE, 0);
    case 0x3b: cur++; return set(T_SEMI, SUB_NONE, 0);
    case 0x23: // # MySQL comment
      marker = c;
      cur++;
      return lineComment();
    case 0x2d: // -- comment, else minus
      if (c1 == 0x2d) { marker = c; cur += 2; return lineComment(); }
      cur++;
      return set(T_OP, <u8>c, 0);
    case 0x2f: // /* comment */, /*! version comment: code */
      if (c1 == 0x2a) {
        if (at(cur + 2) == 0x21) {
          cur += 3;
          let digits = 0;
          while (digits < 6 && cur < stop && isDigit(load<u8>(cur))) { cur++; digits++; }
          versionDepth++;
          sawVersionComment = true;
          return 0xff;
        }
        let q = cur + 2;
        while (q + 1 < stop && !(load<u8>(q) == 0x2a && load<u8>(q + 1) == 0x2f)) q++;
        if (q + 1 >= stop) { cur = stop; return set(T_COMMENT, COMMENT_CLEAN, 0); }
        cur = q + 2;
        // A block comment is transparent unless it is the last thing: then it truncates.
        if (skipSpaceAndComments(cur) >= stop) return set(T_COMMENT, COMMENT_CLEAN, 0);
        return 0xff;
      }
      cur++;
      return set(T_OP, <u8>c, 0);
    case 0x2a: // * or the end of a version comment
      if (c1 == 0x2f && versionDepth > 0) { versionDepth--; cur += 2; return 0xff; }
      cur++;
      return set(T_OP, <u8>c, 0);
    case 0x3d: // = ==  (comparison subs carry their first byte)
      cur += c1 == 0x3d ? 2 : 1;
      return set(T_COMPARE, 0x3d, 0);
    case 0x3c: // < <= <> <=> <<
      if (c1 == 0x3c) { cur += 2; return set(T_OP, SUB_NONE, 0); }
      if (c1 == 0x3d && at(cur + 2) == 0x3e) { cur += 3; return set(T_COMPARE, 0x3d, 0); }
      cur += c1 == 0x3d || c1 == 0x3e ? 2 : 1;
      return set(T_COMPARE, 0x3c, 0);
    case 0x3e: // > >= >>
      if (c1 == 0x3e) { cur += 2; return set(T_OP, SUB_NONE, 0); }
      cur += c1 == 0x3d ? 2 : 1;
      return set(T_COMPARE, 0x3e, 0);
    case 0x21: // ! != !< !>
      if (c1 == 0x3d || c1 == 0x3c || c1 == 0x3e) { cur += 2; return set(T_COMPARE, 0x21, 0); }
      cur++;
      return set(T_OP, <u8>c, 0);
    case 0x7c: // || (logic in MySQL, concatenation elsewhere: both join expressions)
      if (c1 == 0x7c) { cur += 2; return set(T_LOGIC, SUB_NONE, 0); }
      cur++;
      return set(T_OP, SUB_NONE, 0);
    case 0x26: // &&
      if (c1 == 0x26) { cur += 2; return set(T_LOGIC, SUB_NONE, 0); }
      cur++;
      return set(T_OP, SUB_NONE, 0);
    case 0x40: { // @var @@sysvar @'quoted'
      if (cur > base && isWordChar(load<u8>(cur - 1))) {
        // "user@example.com": an e-mail address, not a variable
        cur++;
        while (cur < stop && (isWordChar(load<u8>(cur)) || load<u8>(cur) == 0x2e || load<u8>(cur) == 0x2d)) cur++;
        return set(T_NAME, SUB_NONE, 0);
      }
      cur++;
      if (at(cur) == 0x40) cur++;
      const n = at(cur);
      if (n == 0x27 || n == 0x22 || n == 0x60) { cur++; scanQuotedBody(n); return set(T_VAR, SUB_NONE, 0); }
      if (cur < stop && isWordChar(n)) {
        while (cur < stop && (isWordChar(load<u8>(cur)) || load<u8>(cur) == 0x2e)) cur++;
        return set(T_VAR, SUB_NONE, 0);
      }
      return set(T_OP, SUB_NONE, 0);
    }
    case 0x24: { // $$..$$, $tag$..$tag$, $1
      if (c1 == 0x24) { cur += 2; scanDollarBody(cur, 0); return set(T_STRING, SUB_NONE, 0); }
      if (isDigit(c1)) {
        cur++;
        while (cur < stop && isDigit(load<u8>(cur))) cur++;
        return set(T_VAR, SUB_NONE, 0);
      }
      if (isAlpha(c1) || c1 == 0x5f) {
        let p = cur + 1;
        while (p < stop && p - cur <= 16 && isWordChar(load<u8>(p)) && load<u8>(p) != 0x24) p++;
        if (p < stop && load<u8>(p) == 0x24) {
          const tagStart = cur + 1;
          const tagLen = <u32>(p - tagStart);
          cur = p + 1;
          scanDollarBody(tagStart, tagLen);
          return set(T_STRING, SUB_NONE, 0);
        }
      }
      cur++;
      return set(T_OP, SUB_NONE, 0);
    }
    case 0x3a: // :: (cast: sub ':'), :=, :
      if (c1 == 0x3a) { cur += 2; return set(T_OP, 0x3a, 0); }
      cur += c1 == 0x3d ? 2 : 1;
      return set(T_OP, SUB_NONE, 0);
    case 0x2e: // lone dot
      cur++;
      return 0xff;
    default:
      cur++;
      return set(T_OP, <u8>c, 0);
  }
  return T_END;
}
