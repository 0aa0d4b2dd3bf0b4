// detectSQLi: does this input change the structure of a SQL statement it is pasted into?
//
// Stage 1 (sql-tokenizer.ts) turns bytes into one-character tokens. Stage 2 (here) reads
// the tokens through a sliding window of the last 16 and a few pending expectations, and
// fires on "attack shapes": a union or stacked statement with a SQL-looking tail, a string
// broken out of followed by SQL, a boolean tautology, a subquery, a probe function call,
// catalogue names, clause injection (order by N, into outfile), time delays. English text
// ("O'Brien", "don't", "select a plan") stays quiet because every shape needs more than
// words: numbers, strings, operators, parentheses or keywords in the right places.
//
// The input is evaluated in three starting contexts: bare, after a single quote, after a
// double quote (as if the application wrote `'` + input). Each pass is linear; the
// quoted passes run only when the input contains that quote.
//
// Result: 0, or (context << 8) | rule, context 1 bare, 2 single quote, 3 double quote.

import {
  sqlReset, sqlNext, sqlPlainRun, sqlAtEnd, tokType, tokSub, tokFunc, tokUnterminated,
  T_STRING, T_NUMBER, T_NAME, T_FUNC, T_VAR, T_KEYWORD, T_VERB, T_UNION, T_LOGIC, T_COMPARE,
  T_OP, T_COMMENT, T_LPAREN, T_RPAREN, T_COMMA, T_SEMI, T_END, COMMENT_CLEAN, sawVersionComment, tokFirstByte,
  isOperand, isUnarySign, shapeBack, signFolds, nameRightCompletes,
} from "./sql-tokenizer";
import {
  SUB_SELECT, SUB_DECLARE, SUB_EXEC, SUB_WAITFOR, SUB_SHUTDOWN, SUB_WHERE, SUB_ORDER, SUB_GROUP,
  SUB_BY, SUB_HAVING, SUB_LIMIT, SUB_INTO, SUB_INTO_FILE, SUB_OUTFILE, SUB_PROCEDURE, SUB_DELAY, SUB_WHEN,
  SUB_STRONGNAME, SUB_AS, SUB_CASE, SUB_ORDERBY, SUB_GROUPBY, SUB_FROM, SUB_CLAUSEKW,
  SUB_CMPWORD, FUNC_PROBE, FUNC_STRONG,
} from "./sql-words";
import { addWork, clearFingerprint, fingerprintPush, resetWork } from "./fingerprint";
import { presentQuotes, CLASS_SQUOTE, CLASS_DQUOTE } from "./byte-classes";

/** Rule ids (low byte of the result). */
export const SQLI_UNION: u32 = 1;
export const SQLI_STACKED: u32 = 2;
export const SQLI_BREAKOUT: u32 = 3;
export const SQLI_TAUTOLOGY: u32 = 4;
export const SQLI_SUBQUERY: u32 = 5;
export const SQLI_FUNCTION: u32 = 6;
export const SQLI_CATALOG: u32 = 7;
export const SQLI_CLAUSE: u32 = 8;
export const SQLI_TIME: u32 = 9;
export const SQLI_TRUNCATION: u32 = 10;
export const SQLI_PROCEDURAL: u32 = 11;
export const SQLI_VERSION_COMMENT: u32 = 12;

const RING: u32 = 16;
const ringType: usize = memory.data(16);
const ringSub: usize = memory.data(16);
const ringFunc: usize = memory.data(16);
/** Tokens pushed in this context (after folding). */
let count: u32 = 0;
/** Quote context: token 0 is the rest of the string the input was placed in. */
let quoted: bool = false;
/** Absolute index of the first token after the broken-out string (and its closing parens). */
let breakAt: u32 = 0;
/** Pending expectation: fire `pendingRule` if a token of `pendingMode` arrives within `pendingLeft` tokens. */
let pendingRule: u32 = 0;
let pendingMode: u32 = 0;
let pendingLeft: u32 = 0;
/** How many tokens make up the shape (for the fingerprint). */
let shapeLen: u32 = 0;
/** The last "union select" followed a value ("-1 union select"): enough even at the end. */
let unionAfterValue: bool = false;
/** The newest token is a string left open by the input (the application's quote closes it). */
let lastUnterminated: bool = false;
let lastFirstByte: u32 = 0;

const MODE_TAIL: u32 = 1; // after "; drop", "(select": a SQL-looking continuation
const MODE_ARG: u32 = 2; // after "probe(": an argument that is not a plain word
const MODE_ARG_WORD: u32 = 3; // after "probe(word": a comma or operator
const MODE_UNION: u32 = 4; // after "union select": anything but a run of words
const MODE_SELECT: u32 = 6; // input starts with "select": a column list, not prose

// @ts-ignore: decorator
@inline function t(back: u32): u8 {
  return back < count && back < RING ? load<u8>(ringType + ((count - 1 - back) & (RING - 1))) : 0;
}
// @ts-ignore: decorator
@inline function s(back: u32): u8 {
  return back < count && back < RING ? load<u8>(ringSub + ((count - 1 - back) & (RING - 1))) : 0;
}
// @ts-ignore: decorator
@inline function fn(back: u32): u8 {
  return back < count && back < RING ? load<u8>(ringFunc + ((count - 1 - back) & (RING - 1))) : 0;
}

/**
 * Appends a token to the ring, folding it into the previous one where the model wants. Inlined: it runs once per token.
 * sql-tokenizer.ts sqlPlainRun mirrors these folds and the fast path below: change them together.
 */
// @ts-ignore: decorator
@inline function push(type: u8, sub: u8, func: u8): bool {
  const last = t(0);
  if ((type == T_LPAREN || type == T_RPAREN) && last == type) return false;
  const lastSlot = (count - 1) & (RING - 1);
  // A PostgreSQL cast "value::type" is transparent: the value stays the operand.
  if (last == T_OP && s(0) == 0x3a && (type == T_KEYWORD || type == T_NAME)) {
    count--;
    return false;
  }
  if (type == T_KEYWORD && last == T_KEYWORD) {
    const ls = s(0);
    // Two-word keywords become one token; the shapes see the merged token as new.
    if (sub == SUB_BY && ls == SUB_ORDER) { store<u8>(ringSub + lastSlot, SUB_ORDERBY); return true; }
    if (sub == SUB_BY && ls == SUB_GROUP) { store<u8>(ringSub + lastSlot, SUB_GROUPBY); return true; }
    if (sub == SUB_OUTFILE && ls == SUB_INTO) { store<u8>(ringSub + lastSlot, SUB_INTO_FILE); return true; }
  }
  // A sign in front of a value, where no operand precedes it, is part of the value: "-8", "~1".
  if ((type == T_NUMBER || type == T_LPAREN || type == T_FUNC || type == T_VAR) && signFolds(last, s(0), t(1))) {
    store<u8>(ringType + lastSlot, type);
    store<u8>(ringSub + lastSlot, sub);
    store<u8>(ringFunc + lastSlot, func);
    return true;
  }
  const i = count & (RING - 1);
  store<u8>(ringType + i, type);
  store<u8>(ringSub + i, sub);
  store<u8>(ringFunc + i, func);
  count++;
  return true;
}

// @ts-ignore: decorator
@inline function isValue(x: u8): bool {
  return x == T_NUMBER || x == T_STRING || x == T_VAR;
}

/** Keywords that only make sense inside a statement. */
function isClauseKeyword(sub: u8): bool {
  return sub == SUB_WHERE || sub == SUB_ORDERBY || sub == SUB_GROUPBY || sub == SUB_HAVING ||
    sub == SUB_LIMIT || sub == SUB_INTO || sub == SUB_OUTFILE || sub == SUB_INTO_FILE || sub == SUB_PROCEDURE ||
    sub == SUB_FROM || sub == SUB_CLAUSEKW || sub == SUB_DELAY;
}

function expect(rule: u32, mode: u32, left: u32): void {
  pendingRule = rule;
  pendingMode = mode;
  pendingLeft = left;
}

/** Checks the pending expectation against the newest token. */
function checkPending(): u32 {
  if (pendingLeft == 0) return 0;
  const x = t(0);
  pendingLeft--;
  shapeLen++;
  if (pendingMode == MODE_UNION) {
    if (x != T_NAME) return pendingRule;
    if (pendingLeft == 0) return 0;
    // one word after "union select": the next token decides (a column list vs. prose)
    expect(pendingRule, MODE_ARG_WORD, 1);
    return 0;
  }
  if (pendingMode == MODE_SELECT) {
    // "select * ...", "select @@version", "select sin(1)": not "select 2 items", "select (one)"
    if (x == T_VAR || x == T_FUNC || (x == T_OP && s(0) == 0x2a)) return pendingRule;
  } else if (pendingMode == MODE_TAIL) {
    if (x == T_NUMBER || x == T_VAR || x == T_FUNC || x == T_LPAREN || x == T_SEMI || x == T_UNION) return pendingRule;
    if (x == T_OP && s(0) == 0x2a) return pendingRule; // *
    if (x == T_KEYWORD && isClauseKeyword(s(0))) return pendingRule;
    if (x == T_COMMENT && s(0) == COMMENT_CLEAN) return pendingRule;
  }
  if (pendingMode == MODE_TAIL || pendingMode == MODE_SELECT) {
    if (x == T_NAME || x == T_COMMA || x == T_LOGIC || x == T_RPAREN) return 0;
    // a sign may still fold into the next value; a quoted column in a select list
    if (pendingMode == MODE_SELECT && ((x == T_OP && isUnarySign(s(0))) || x == T_STRING || x == T_NUMBER)) return 0;
    pendingLeft = 0;
    return 0;
  }
  if (pendingMode == MODE_ARG) {
    pendingLeft = 0;
    if (isValue(x) || x == T_FUNC || x == T_VERB || x == T_LPAREN || x == T_RPAREN || x == T_OP) return pendingRule;
    if (x == T_NAME) expect(pendingRule, MODE_ARG_WORD, 1);
    return 0;
  }
  // MODE_ARG_WORD
  pendingLeft = 0;
  if (x == T_COMMA || x == T_OP || x == T_COMPARE || x == T_LPAREN || x == T_LOGIC || x == T_KEYWORD ||
    x == T_COMMENT || x == T_RPAREN || x == T_NUMBER) return pendingRule;
  return 0;
}

/**
 * Walks back over one operand ending `back` tokens from the newest: a value, a name, or a
 * parenthesised group (with its function name), then any `op operand` pairs before it.
 * Returns the index just before the operand, or 0xff when there is none.
 */
function skipOperand(back: u32): u32 {
  let seen = false;
  for (let pairs = 0; pairs < 3; pairs++) {
    const x = t(back);
    if (x == T_RPAREN) {
      let b = back + 1;
      while (b < RING - 1 && t(b) != T_LPAREN && t(b) != 0) b++;
      if (t(b) != T_LPAREN) return 0xff;
      back = b + 1;
      if (t(back) == T_FUNC) back++;
    } else if (isOperand(x)) {
      back++;
    } else {
      return seen ? back : 0xff;
    }
    seen = true;
    if (t(back) == T_OP && isOperand(t(back + 1))) { back++; continue; }
    return back;
  }
  return back;
}

/**
 * Whether checkShapes can do anything at the newest token (x, after p1, p2): each of its
 * shapes tests for one of these first — a strong catalogue name, a comment, a set
 * operator, verb, keyword or comparison just before, a verb two back, a verb after `;` or
 * `(` or first ("; drop", "(select", "select *"), the keywords "when" (case 1 when) and
 * "into outfile", a call "f(", or "N, N" (after limit). Otherwise it returns 0 and changes
 * no state but the break-out window's (which runContext keeps out of the fast path).
 * sql-tokenizer.ts sqlPlainRun mirrors these tests for the tokens it pushes: change them
 * together.
 */
// @ts-ignore: decorator
@inline function mayShape(): bool {
  const x = t(0);
  const p1 = t(1);
  if (x == T_COMMENT || shapeBack(p1, t(2))) return true;
  if (x == T_VERB) return p1 == T_SEMI || p1 == T_LPAREN || count == 1;
  if (x == T_KEYWORD) return s(0) == SUB_WHEN || s(0) == SUB_INTO_FILE;
  if (x == T_NAME) return s(0) == SUB_STRONGNAME;
  if (x == T_LPAREN) return p1 == T_FUNC;
  return x == T_NUMBER && p1 == T_COMMA;
}

/** Shapes that end at the newest token. Returns a rule id or 0. */
function checkShapes(): u32 {
  const x = t(0);
  const p1 = t(1);
  const p2 = t(2);

  if (x == T_NAME && s(0) == SUB_STRONGNAME) { shapeLen = 1; return SQLI_CATALOG; }

  if (p1 == T_UNION && (isValue(p2) || p2 == T_RPAREN) &&
    (x == T_NUMBER || x == T_VAR || x == T_LPAREN || x == T_FUNC || x == T_COMMENT || x == T_OP)) {
    // "-1 union 1,2", "') union/*": a set operation glued to a value, then no prose
    shapeLen = 3;
    return SQLI_UNION;
  }
  if (x == T_VERB) {
    if (s(0) == SUB_SELECT && (p1 == T_UNION || (p1 == T_LPAREN && p2 == T_UNION))) {
      shapeLen = p1 == T_UNION ? 2 : 3;
      const before = t(p1 == T_UNION ? 2 : 3);
      unionAfterValue = isValue(before) || before == T_RPAREN;
      expect(SQLI_UNION, MODE_UNION, 2);
      return 0;
    }
    if (p1 == T_SEMI) {
      shapeLen = 2;
      if (s(0) == SUB_SHUTDOWN) return SQLI_STACKED;
      expect(SQLI_STACKED, MODE_TAIL, 3);
      return 0;
    }
    if (s(0) == SUB_SELECT && p1 == T_LPAREN &&
      (p2 == T_LOGIC || p2 == T_COMPARE || p2 == T_OP || p2 == T_COMMA || p2 == T_FUNC ||
        p2 == T_VERB || p2 == T_KEYWORD || p2 == T_UNION || (quoted && count == 3) || count == 2)) {
      shapeLen = 3;
      expect(SQLI_SUBQUERY, MODE_TAIL, 3);
      return 0;
    }
    if (s(0) == SUB_SELECT && count == 1 && !quoted) {
      shapeLen = 1;
      expect(SQLI_SUBQUERY, MODE_SELECT, 4);
      return 0;
    }
  }
  // declare @x, exec @x / exec('...'), waitfor delay '0:0:5'
  if (p1 == T_VERB) {
    const v = s(1);
    if (v == SUB_DECLARE && x == T_VAR) { shapeLen = 2; return SQLI_PROCEDURAL; }
    if (v == SUB_EXEC && (x == T_VAR || x == T_LPAREN || x == T_STRING)) { shapeLen = 2; return SQLI_PROCEDURAL; }
  }
  // exec proc @arg / exec proc 'arg' / exec proc;
  if (p2 == T_VERB && s(2) == SUB_EXEC && p1 == T_NAME && (x == T_VAR || x == T_STRING || x == T_SEMI)) {
    shapeLen = 3;
    return SQLI_PROCEDURAL;
  }
  // case <value> when / case when <value> then
  if (p1 == T_KEYWORD && s(1) == SUB_WHEN && isValue(x) && p2 == T_KEYWORD && s(2) == SUB_CASE) { shapeLen = 3; return SQLI_CLAUSE; }
  if (x == T_KEYWORD && s(0) == SUB_WHEN && isValue(p1) && p2 == T_KEYWORD && s(2) == SUB_CASE) { shapeLen = 3; return SQLI_CLAUSE; }
  // into outfile / dumpfile: file access through SQL (a lone "outfile" is an English word)
  if (x == T_KEYWORD && s(0) == SUB_INTO_FILE) { shapeLen = 1; return SQLI_CLAUSE; }
  if (p2 == T_VERB && s(2) == SUB_WAITFOR && p1 == T_KEYWORD && x == T_STRING) { shapeLen = 3; return SQLI_TIME; }

  // Function calls: strong names always; probes when the call sits in an expression.
  if (x == T_LPAREN && p1 == T_FUNC) {
    const kind = fn(1);
    if (kind == FUNC_STRONG) { shapeLen = 2; return SQLI_FUNCTION; }
    if (p2 == T_LOGIC && (isValue(t(3)) || t(3) == T_RPAREN)) { shapeLen = 4; return SQLI_FUNCTION; }
    if (kind == FUNC_PROBE) {
      if (p2 == T_LOGIC || p2 == T_COMPARE || p2 == T_OP || p2 == T_COMMA || p2 == T_LPAREN ||
        p2 == T_VERB || p2 == T_UNION || p2 == T_KEYWORD || p2 == T_SEMI ||
        (quoted && count == 3 && p2 == T_STRING)) {
        shapeLen = 3;
        expect(SQLI_FUNCTION, MODE_ARG, 1);
        return 0;
      }
    }
  }

  // Tautology / boolean test: (logic | where | when) L cmp R, L and R operands or groups.
  if (p1 == T_COMPARE && (isOperand(x) || x == T_LPAREN) && x != T_RPAREN) {
    const left = t(2);
    let back = skipOperand(2);
    if (back != 0xff) {
      if (t(back) == T_LPAREN) back++;
      const pre = t(back);
      const preKw = pre == T_KEYWORD && (s(back) == SUB_WHERE || s(back) == SUB_HAVING || s(back) == SUB_WHEN);
      if (pre == T_LOGIC || preKw) {
        const before = t(back + 1);
        const strongLeft = isValue(left) || left == T_RPAREN;
        const strongRight = isValue(x) || x == T_FUNC || x == T_LPAREN;
        // Word comparisons (in, is, like) need a value on the right: "'or' or 'nor' in that".
        // A name on the left needs '=' (or like/in/is) and a value before the logic:
        // "1 and id=1", "1 or name like '%'"; not "where coffee = 'x'" or "x < 3 and y > 4".
        const wordCompare = s(1) == SUB_CMPWORD;
        if ((strongLeft && (strongRight || !wordCompare)) ||
          (left == T_NAME && (s(1) == 0x3d || wordCompare) && strongRight && (isValue(before) || before == T_RPAREN))) {
          shapeLen = back + 1;
          return SQLI_TAUTOLOGY;
        }
      }
    }
  }
  // "348 and 1/*": a number joined by logic to a number, then the query is cut off.
  if (x == T_COMMENT && s(0) == COMMENT_CLEAN && p1 == T_NUMBER && p2 == T_LOGIC && isValue(t(3))) {
    shapeLen = 4;
    return SQLI_TAUTOLOGY;
  }

  // Clause injection after a value: 1 order by 3, ') group by 1, into outfile '..', procedure analyse
  if (x == T_NUMBER && p1 == T_KEYWORD) {
    const k = s(1);
    if ((k == SUB_ORDERBY || k == SUB_GROUPBY || k == SUB_LIMIT || k == SUB_HAVING) &&
      (isValue(p2) || p2 == T_RPAREN || p2 == T_COMMENT || (count == 2 && k == SUB_ORDERBY))) {
      shapeLen = 3;
      return SQLI_CLAUSE;
    }
  }
  if (x == T_NUMBER && p1 == T_COMMA && p2 == T_NUMBER && t(3) == T_KEYWORD && s(3) == SUB_LIMIT) { shapeLen = 4; return SQLI_CLAUSE; }
  if (x == T_KEYWORD && p1 == T_KEYWORD && s(1) == SUB_PROCEDURE && s(0) == SUB_CLAUSEKW) { shapeLen = 2; return SQLI_CLAUSE; }

  if (quoted) return checkBreakout();
  return 0;
}

/**
 * In a quote context: the input closed the application's string (token 0), possibly
 * closed parentheses, and now continues. Y is the first token after that, Z and W follow.
 * runContext sets breakAt (Y's index) when the second token is pushed.
 */
function checkBreakout(): u32 {
  const i = count - 1; // absolute index of the newest token
  if (i < breakAt || breakAt == 0) return 0;
  const rel = i - breakAt; // 0 = Y, 1 = Z, 2 = W
  if (rel > 2) return 0;
  const y = t(rel);
  const ys = s(rel);
  shapeLen = rel + 1 + breakAt;
  if (rel == 0) {
    if (y == T_COMMENT && ys == COMMENT_CLEAN) return SQLI_TRUNCATION;
    return 0;
  }
  const z = t(rel - 1);
  const zs = s(rel - 1);
  if (rel == 1) {
    if (y == T_SEMI && (z == T_VERB || z == T_FUNC || z == T_VAR || z == T_LPAREN || (z == T_COMMENT && zs == COMMENT_CLEAN) ||
      (z == T_KEYWORD && isClauseKeyword(zs)))) return SQLI_STACKED;
    if (y == T_LOGIC && (z == T_NUMBER && false)) return 0;
    if (y == T_LOGIC && (z == T_VAR || z == T_FUNC || z == T_LPAREN || z == T_VERB)) return SQLI_BREAKOUT;
    if (y == T_OP && (z == T_LPAREN || z == T_FUNC || z == T_VERB || z == T_VAR)) return SQLI_BREAKOUT;
    if (y == T_COMPARE && ys != SUB_CMPWORD && (z == T_FUNC || z == T_LPAREN || z == T_VAR)) return SQLI_BREAKOUT;
    if (y == T_KEYWORD && isBreakClause(ys) && (z == T_NUMBER || z == T_VAR || z == T_FUNC || z == T_LPAREN)) return SQLI_BREAKOUT;
    return 0;
  }
  // rel == 2
  const w = t(0);
  const ws = s(0);
  const wEnds = w == T_COMPARE || w == T_LOGIC || (w == T_COMMENT && ws == COMMENT_CLEAN) || w == T_SEMI ||
    w == T_UNION || w == T_RPAREN || (w == T_KEYWORD && isClauseKeyword(ws)) || (w == T_OP && s(0) != 0x2d && s(0) != 0x2f);
  if (y == T_LOGIC && (z == T_NAME || z == T_NUMBER || z == T_STRING) && wEnds) return SQLI_BREAKOUT;
  // "' || pkg.proc(": a call of a function the table does not know
  if (y == T_LOGIC && z == T_NAME && w == T_LPAREN) return SQLI_BREAKOUT;
  if (y == T_COMPARE && isValue(z) && ys != SUB_CMPWORD && wEnds) return SQLI_BREAKOUT;
  if (y == T_COMPARE && z == T_NAME && ys != SUB_CMPWORD &&
    (w == T_LOGIC || (w == T_COMMENT && ws == COMMENT_CLEAN) || w == T_SEMI || w == T_UNION)) return SQLI_BREAKOUT;
  if (y == T_COMPARE && isValue(z) && ys == SUB_CMPWORD && wEnds && w != T_RPAREN) return SQLI_BREAKOUT;
  if (y == T_OP && isValue(z) && (w == T_COMPARE || w == T_LOGIC || (w == T_COMMENT && ws == COMMENT_CLEAN) || w == T_SEMI || w == T_UNION)) return SQLI_BREAKOUT;
  if (y == T_KEYWORD && isBreakClause(ys) && (z == T_NAME || z == T_STRING) && (w == T_COMPARE || w == T_KEYWORD || w == T_COMMA || w == T_COMMENT)) return SQLI_BREAKOUT;
  return 0;
}

/** Keywords that may directly follow a closed string in an injected clause. */
function isBreakClause(sub: u8): bool {
  return sub == SUB_WHERE || sub == SUB_ORDERBY || sub == SUB_GROUPBY || sub == SUB_HAVING ||
    sub == SUB_LIMIT || sub == SUB_INTO || sub == SUB_OUTFILE || sub == SUB_INTO_FILE || sub == SUB_PROCEDURE || sub == SUB_AS;
}

/**
 * The whole input is a small expression cut off by a comment: "1--", "@@version/*",
 * "1*1--", "( 'a' OR 1 ) --", "sleep(5)#". Words may not appear, so "(see above) --"
 * stays quiet.
 */
function checkExpressionThenComment(): u32 {
  let values = 0;
  for (let k: u32 = 1; k < count; k++) {
    const x = t(k);
    if (isValue(x) || x == T_FUNC) { values++; continue; }
    if (x == T_OP || x == T_LOGIC || x == T_LPAREN || x == T_RPAREN || x == T_COMPARE) continue;
    if (x == T_VERB && s(k) == SUB_SELECT) continue;
    return 0;
  }
  const first = t(count - 1);
  // "sleep(5)#": a probe call alone, then the rest of the query cut off
  const probeFirst = first == T_FUNC && fn(count - 1) >= FUNC_PROBE;
  if (values == 0 || !(isValue(first) || first == T_LPAREN || probeFirst)) return 0;
  shapeLen = count;
  return SQLI_TRUNCATION;
}

/** Shapes completed by the end of the input. */
function checkEnd(): u32 {
  if (sawVersionComment && count >= 2) { shapeLen = count; return SQLI_VERSION_COMMENT; }
  // "-1 union select", "-1 union select concat_ws": cut short, but unmistakable
  if (pendingLeft > 0 && pendingRule == SQLI_UNION && unionAfterValue) return SQLI_UNION;
  if (t(0) == T_VERB && s(0) == SUB_SELECT && t(1) == T_UNION && (isValue(t(2)) || t(2) == T_RPAREN)) { shapeLen = 3; return SQLI_UNION; }
  if (!quoted && t(0) == T_COMMENT && s(0) == COMMENT_CLEAN && count <= 6) {
    const rule = checkExpressionThenComment();
    if (rule != 0) return rule;
  }
  if (!quoted || breakAt == 0) return 0;
  const i = count; // the virtual end token's absolute index
  if (i < breakAt + 1) return 0;
  const rel = i - breakAt;
  if (rel == 2) {
    const y = t(1);
    const z = t(0);
    shapeLen = breakAt + 2;
    // "x' or 'y" (the application's quote closes 'y); not "the 'or' operator", where the
    // open string starts with a space like the rest of a sentence.
    if (y == T_LOGIC && (z == T_NUMBER || z == T_VAR ||
      (z == T_STRING && lastUnterminated && lastFirstByte > 0x20))) return SQLI_BREAKOUT;
    if (y == T_COMPARE && s(1) != SUB_CMPWORD && (z == T_NUMBER || z == T_VAR)) return SQLI_BREAKOUT;
  }
  if (rel == 3) {
    const y = t(2);
    const z = t(1);
    const w = t(0);
    shapeLen = breakAt + 3;
    if (y == T_COMPARE && (isValue(z) || z == T_FUNC) && (w == T_RPAREN)) return SQLI_BREAKOUT;
  }
  return 0;
}

function writeFingerprint(): void {
  let n = shapeLen;
  if (n > count) n = count;
  if (n > RING) n = RING;
  if (n == 0) n = 1;
  for (let k: i32 = <i32>n - 1; k >= 0; k--) fingerprintPush(t(<u32>k));
}

/**
 * Whether checkBreakout can no longer fire: not quoted, past the window (Y, Z, W), or Y is
 * a token none of its shapes (nor checkEnd's) starts with: a word in "O'Brien", a number
 * in "5'10\"". Then the fast path and the plain run may skip it, as they skip the rest of
 * checkShapes: in a short quoted value the whole value is in the window. Y stays put once
 * pushed (push rewrites or drops only an operator or keyword in the newest slot, and count
 * falls back to Y's index only by dropping a cast operator there). What a skipped
 * checkBreakout changes is shapeLen, which only a pending expectation reads without
 * setting it, and pending keeps the fast path off.
 */
// @ts-ignore: decorator
@inline function breakoutClosed(): bool {
  if (!quoted) return true;
  if (breakAt == 0 || count <= breakAt) return false;
  if (count > breakAt + 3) return true;
  const y = load<u8>(ringType + (breakAt & (RING - 1)));
  return !(y == T_COMMENT || y == T_SEMI || y == T_LOGIC || y == T_OP || y == T_COMPARE || y == T_KEYWORD);
}

/** Test hook: run checkShapes on every token (no fast path), to show the fast path is exact. */
let everyToken = false;
export function setEveryToken(on: bool): void { everyToken = on; }

function runContext(ptr: usize, len: u32, quote: u8): u32 {
  sqlReset(ptr, len, quote);
  count = 0;
  quoted = quote != 0;
  breakAt = 0;
  pendingLeft = 0;
  shapeLen = 0;
  unionAfterValue = false;
  if (quoted) {
    sqlNext();
    if (tokUnterminated) return 0; // the input never leaves the string
    push(T_STRING, 0, 0);
  }
  lastUnterminated = false;
  while (true) {
    // Plain run: with the fast path's conditions holding (nothing pending, outside the
    // break-out window), the tokenizer pushes the following tokens that push would not
    // fold and the fast path would skip (sqlPlainRun states which) in one loop instead of
    // one sqlNext + push each. They hold for the whole run: pendingLeft changes only in
    // checkShapes and checkPending, breakAt only at the second token, and breakoutClosed
    // stays true once true while count grows. The run reports whether its last token is an
    // open string, and the first byte of its last string, as sqlNext does.
    if (pendingLeft == 0 && !everyToken && breakoutClosed()) {
      const before = count;
      count = sqlPlainRun(ringType, ringSub, ringFunc, count);
      if (count != before) {
        lastUnterminated = tokUnterminated;
        lastFirstByte = tokFirstByte;
        // The run took the last token: sqlNext would give T_END (one unit of work), and
        // checkEnd would find nothing: the run pushes no verb or comment and leaves nothing
        // pending, no version comment was seen, and its break-out shapes need Y to be logic
        // or a comparison within three tokens, which breakoutClosed (true for the run) rules out.
        if (!sawVersionComment && sqlAtEnd()) {
          addWork(1);
          return 0;
        }
      }
    }
    const type = sqlNext();
    if (type == T_END) break;
    lastUnterminated = tokUnterminated;
    lastFirstByte = tokFirstByte;
    if (!push(type, tokSub, tokFunc)) continue;
    // Y follows the closed string and a ')' closing it. Set again whenever the second token
    // changes (a sign, a keyword or a cast folds it).
    if (quoted && count == 2) breakAt = t(0) == T_RPAREN ? 2 : 1;
    // Fast path: with nothing pending and outside the break-out window, these tokens
    // complete no shape in checkShapes (the common case in prose): a plain word after
    // anything but a value or ')' and a comparison (the tautology's left side when its
    // right is a name, nameRightCompletes), a comma, an operator after anything but a set operator
    // ("-1 union -"). In a quote context only once breakoutClosed.
    // Nor does any token that no shape of checkShapes involves (mayShape): "5.0 (Macintosh;"
    // in a User-Agent.
    if (pendingLeft == 0 && !everyToken && breakoutClosed() &&
      ((type == T_NAME && tokSub == 0 && (t(1) != T_COMPARE || !nameRightCompletes(t(2)))) || type == T_COMMA ||
        (type == T_OP && t(1) != T_UNION) || !mayShape())) continue;
    const pendingBefore = pendingLeft;
    let rule = pendingBefore > 0 ? checkPending() : 0;
    if (rule == 0) {
      const keepShape = pendingLeft > 0 ? shapeLen : 0;
      rule = checkShapes();
      if (rule == 0 && keepShape > 0 && pendingLeft > 0 && shapeLen < keepShape) shapeLen = keepShape;
    }
    if (rule != 0) {
      writeFingerprint();
      return rule;
    }
  }
  const rule = checkEnd();
  if (rule != 0) {
    writeFingerprint();
    return rule;
  }
  return 0;
}

/** Returns 0 when the input looks harmless in all three contexts, else (context << 8) | rule. */
export function detectSQLi(ptr: usize, len: u32): u32 {
  clearFingerprint();
  resetWork();
  let rule = runContext(ptr, len, 0);
  if (rule != 0) return (1 << 8) | rule;
  const present = presentQuotes(ptr, len);
  if ((present & CLASS_SQUOTE) != 0) {
    clearFingerprint();
    rule = runContext(ptr, len, 0x27);
    if (rule != 0) return (2 << 8) | rule;
  }
  if ((present & CLASS_DQUOTE) != 0) {
    clearFingerprint();
    rule = runContext(ptr, len, 0x22);
    if (rule != 0) return (3 << 8) | rule;
  }
  clearFingerprint();
  return 0;
}
