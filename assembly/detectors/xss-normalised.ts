// Stage 1 of detectXSS: one pass over the input as a browser's URL and CSS parsers read it —
// HTML entities and CSS/JS backslash escapes decoded, tabs, newlines and control bytes
// dropped, ASCII lower-cased. It finds script-running URL schemes (`javascript:` followed by
// code), `data:` URLs with an active media type, CSS that runs code (`:expression(`,
// `behavior: url(`), JavaScript sinks (`alert(`, `document.cookie=`) and `&{...}` entities.
// Linear: every byte is decoded once; lookahead is bounded (entity names, suffixes ≤ 12).

import { lowerByte } from "./word-table";
import { findAny3 } from "./byte-classes";
import { HTML_WORDS_JS_ENDS } from "./html-words";
import { clearFingerprint, addWork } from "./fingerprint";
import { isAlpha, isDigit, isAlnum, isSpace } from "./ascii";
import {
  XSS_TAG, XSS_HANDLER, XSS_SCHEME, XSS_DATA_URI, XSS_CSS, XSS_SCRIPT_END, XSS_JS_ENTITY, XSS_JS_SINK, XSS_ATTRIBUTE,
  TYPE_TAG, TYPE_SCHEME, TYPE_MEDIA, TYPE_CSS, TYPE_ENTITY, TYPE_JS, TYPE_ATTR, lookup, pushText, pushByte,
} from "./xss-vocabulary";


/** Scheme run: the alphanumeric word just before the current character, lower case. */
const RUN_CAP: u32 = 32;
const runBuf: usize = memory.data(32);
let runLen: u32 = 0;
/** The character before the run (0 at the start): a scheme needs a non-alphanumeric boundary. */
let runPrev: u32 = 0;
let lastNorm: u32 = 0;
/** After `javascript:` etc.: characters left in which code punctuation confirms the scheme. */
let codeLeft: u32 = 0;
const schemeBuf: usize = memory.data(16);
let schemeLen: u32 = 0;
/** After `data:`: the run collects the media type (with '/', '+', '-', '.') until it ends. */
let inDataType: bool = false;

/** CSS run: words with CSS comments removed ("expr/**\/ession(" reads "expression("). */
const cssBuf: usize = memory.data(32);
let cssLen: u32 = 0;
/** Last significant CSS character before the current run (':' for a property value). */
let cssPrev: u32 = 0;
let cssRunPrev: u32 = 0;
let cssComment: bool = false;
let cssStar: bool = false;

/**
 * Decodes the character at p (an entity or a byte) and writes the number of bytes
 * consumed to `decodedLen`. Numeric values are clamped to 0x110000.
 */
let decodedLen: u32 = 1;
function decodeAt(p: usize, stop: usize): u32 {
  const c = <u32>load<u8>(p);
  decodedLen = 1;
  if (c == 0x5c && p + 1 < stop) return decodeBackslash(p, stop);
  if (c != 0x26 || p + 1 >= stop) return c;
  let q = p + 1;
  if (load<u8>(q) == 0x23) {
    q++;
    let hex = false;
    if (q < stop && (load<u8>(q) | 0x20) == 0x78) { hex = true; q++; }
    let value: u32 = 0;
    const digitsStart = q;
    while (q < stop) {
      const d = <u32>load<u8>(q);
      let v: u32 = 0;
      if (isDigit(d)) v = d - 48;
      else if (hex && (d | 0x20) - 97 < 6) v = (d | 0x20) - 87;
      else break;
      value = value * (hex ? 16 : 10) + v;
      if (value > 0x10ffff) value = 0x110000;
      q++;
    }
    if (q == digitsStart) return c;
    if (q < stop && load<u8>(q) == 0x3b) q++;
    decodedLen = <u32>(q - p);
    return value;
  }
  // named entity: up to 10 letters, optional ';'
  while (q < stop && q - p <= 10 && isAlpha(load<u8>(q))) q++;
  const nameLen = <u32>(q - p - 1);
  addWork(nameLen);
  if (nameLen == 0) return c;
  const e = lookup(p + 1, nameLen);
  if (e == 0 || (e & 0xff) != TYPE_ENTITY) return c;
  if (q < stop && load<u8>(q) == 0x3b) q++;
  decodedLen = <u32>(q - p);
  return (e >>> 8) & 0xff;
}

function hexValue(c: u32): i32 {
  if (isDigit(c)) return <i32>(c - 48);
  const l = c | 0x20;
  return l - 97 < 6 ? <i32>(l - 87) : -1;
}

/**
 * Backslash escapes as CSS and JavaScript read them: `\75` / `\000075 ` (CSS, up to six
 * hex digits and one optional space), `\u0061`, `\x61` (JS), `\j` (the letter itself).
 */
function decodeBackslash(p: usize, stop: usize): u32 {
  const n = <u32>load<u8>(p + 1);
  const l = n | 0x20;
  if ((l == 0x75 || l == 0x78) && !isDigit(n)) {
    const digits: u32 = l == 0x75 ? 4 : 2;
    if (p + 2 + digits <= stop) {
      let v: u32 = 0;
      let ok = true;
      for (let i: u32 = 0; i < digits; i++) {
        const h = hexValue(load<u8>(p + 2 + i));
        if (h < 0) { ok = false; break; }
        v = (v << 4) | <u32>h;
      }
      if (ok) { decodedLen = 2 + digits; return v; }
    }
  }
  if (hexValue(n) >= 0) {
    let q = p + 1;
    let v: u32 = 0;
    while (q < stop && q - p <= 6) {
      const h = hexValue(load<u8>(q));
      if (h < 0) break;
      v = (v << 4) | <u32>h;
      q++;
    }
    if (q < stop && isSpace(load<u8>(q))) q++;
    decodedLen = <u32>(q - p);
    return v > 0x10ffff ? 0x110000 : v;
  }
  if (n < 0x20) return 0x5c;
  decodedLen = 2;
  return n;
}

/** URL schemes: `javascript:` + code punctuation, `data:` + an active media type. */
function feedScheme(c: u32, raw: u32): u32 {
  if (callPending != 0) {
    const rule = checkCallPending(c);
    if (rule != 0) return rule;
  }
  if (propertyPending) {
    const rule = checkPropertyPending(c);
    if (rule != 0) return rule;
  }
  if (codeLeft > 0) {
    codeLeft--;
    if (c == 0x28 || c == 0x60 || c == 0x3d || c == 0x2e || c == 0x5b) {
      for (let i: u32 = 0; i < schemeLen; i++) pushByte(load<u8>(schemeBuf + i));
      pushByte(0x3a);
      pushByte(c);
      return XSS_SCHEME;
    }
    if (raw == 0x22 || raw == 0x27 || raw == 0x3c || raw == 0x3e) codeLeft = 0;
  }
  const lower = lowerByte(c);
  const wordChar = isAlnum(lower) ||
    (inDataType && (lower == 0x2f || lower == 0x2b || lower == 0x2d || lower == 0x2e || lower == 0x5f));
  if (wordChar) {
    if (runLen == 0) runPrev = lastNorm;
    if (runLen < RUN_CAP) store<u8>(runBuf + runLen, <u8>lower);
    runLen++;
    lastNorm = lower;
    return 0;
  }
  let rule: u32 = 0;
  if (runLen > 0 && !inDataType) {
    rule = checkJsSink(c);
    if (rule != 0) return rule;
  } else if (runLen == 0) {
    objectDot = false;
  }
  if (inDataType) {
    if (runLen == 0 && isSpace(c)) { lastNorm = lower; return 0; } // "data: text/html"
    // The media type must end like one in a URL: "data:text/html," or "data:text/html;base64".
    if (runLen > 0 && runLen <= RUN_CAP && (c == 0x2c || c == 0x3b)) {
      const m = lookup(runBuf, runLen);
      if (m != 0 && (m & 0xff) == TYPE_MEDIA) {
        pushText(runBuf, runLen < 11 ? runLen : 11);
        rule = XSS_DATA_URI;
      }
    }
    if (rule == 0) clearFingerprint(); // drop the "data:" prefix
    inDataType = false;
  } else if (c == 0x3a && runLen > 0 && runLen <= RUN_CAP && !isAlnum(runPrev)) {
    const e = lookup(runBuf, runLen);
    if ((e & 0xff) == TYPE_SCHEME) {
      if (((e >>> 8) & 0xff) == 1) {
        codeLeft = 96;
        schemeLen = runLen < 12 ? runLen : 12;
        memory.copy(schemeBuf, runBuf, schemeLen);
      } else {
        pushText(runBuf, runLen); // "data:" then the media type if it fires
        pushByte(0x3a);
        inDataType = true;
      }
    }
  }
  runLen = 0;
  lastNorm = lower;
  return rule;
}

/** The last word was a global object followed by '.': `document.`, `window.` */
let objectDot: bool = false;

/** `alert(`, `eval(`, `String.fromCharCode(`, `document.cookie`, `top.location`... */
function checkJsSink(c: u32): u32 {
  const wasObjectDot = objectDot && runPrev == 0x2e;
  objectDot = false;
  if (runLen > RUN_CAP) return 0;
  if (c != 0x28 && c != 0x60 && c != 0x2e && !wasObjectDot) return 0;
  let e: u32 = 0;
  let wordStart: u32 = 0;
  if (!isAlnum(runPrev) || wasObjectDot) e = lookup(runBuf, runLen);
  if ((e & 0xff) != TYPE_JS && (c == 0x28 || c == 0x60 || c == 0x2e)) {
    // the name glued to the end of a longer word: "scriptalert(", "scriptdocument."
    for (let k: u32 = 5; k <= 12 && k < runLen; k++) {
      const f = lookup(runBuf + runLen - k, k);
      if ((f & 0xff) == TYPE_JS && ((f >>> 8) & 0x10) != 0) { e = f; wordStart = runLen - k; break; }
    }
  }
  if ((e & 0xff) != TYPE_JS) return 0;
  const sub = (e >>> 8) & 0x0f;
  const n = runLen - wordStart;
  if (sub == 1 && (c == 0x28 || c == 0x60)) {
    pushText(runBuf + wordStart, n < 15 ? n : 15);
    pushByte(c);
    if (c == 0x60) return XSS_JS_SINK;
    callPending = 1; // "alert(1)" fires; the plural in "your alert(s)" does not
    return 0;
  }
  if (sub == 2 && c == 0x2e) objectDot = true;
  if (sub == 3 && wasObjectDot) {
    pushByte(0x2e);
    pushText(runBuf, n < 15 ? n : 15);
    // "document.cookie=", "+document.cookie)": code. "my window.location is": prose.
    if (!isSpace(c)) return XSS_JS_SINK;
    propertyPending = true;
  }
  return 0;
}

/**
 * After a sink name and '(': 1 = nothing read yet, 2 = read "s" or "es", 3 = read "e".
 * Prose writes plurals as "alert(s)" and "prompt(es)"; code passes an argument.
 */
let callPending: u32 = 0;

function checkCallPending(c: u32): u32 {
  const l = lowerByte(c);
  if (callPending == 1) {
    if (l == 0x73) { callPending = 2; return 0; }
    if (l == 0x65) { callPending = 3; return 0; }
  } else if (callPending == 3) {
    if (l == 0x73) { callPending = 2; return 0; }
  } else if (c == 0x29) {
    callPending = 0;
    clearFingerprint();
    return 0;
  }
  callPending = 0;
  return XSS_JS_SINK;
}

/** A sink property was followed by space: the next significant character decides. */
let propertyPending: bool = false;

function checkPropertyPending(c: u32): u32 {
  if (isSpace(c)) return 0;
  propertyPending = false;
  if (isAlnum(c) || c >= 0x80) {
    clearFingerprint();
    return 0;
  }
  return XSS_JS_SINK;
}

/** CSS that runs code: `:expression(`, `-moz-binding:`, `behavior:`. */
function feedCss(c: u32): u32 {
  if (cssComment) {
    if (cssStar && c == 0x2f) cssComment = false;
    cssStar = c == 0x2a;
    return 0;
  }
  if (cssSlash) {
    cssSlash = false;
    if (c == 0x2a) {
      // A comment inside a word joins its halves: the run stays open.
      cssComment = true;
      cssStar = false;
      return 0;
    }
    const rule = cssChar(0x2f);
    if (rule != 0) return rule;
  }
  if (c == 0x2f) {
    cssSlash = true;
    return 0;
  }
  return cssChar(c);
}
let cssSlash: bool = false;
/** After `behavior:` / `-moz-binding:`: significant characters left for `url(` to appear. */
let cssUrlLeft: u32 = 0;

function cssChar(c: u32): u32 {
  const lower = lowerByte(c);
  if (isAlnum(lower) || lower == 0x2d || lower == 0x5f) {
    if (cssLen == 0) cssRunPrev = cssPrev;
    if (cssLen < RUN_CAP) store<u8>(cssBuf + cssLen, <u8>lower);
    cssLen++;
    return 0;
  }
  let rule: u32 = 0;
  if (cssLen > 0 && cssLen <= RUN_CAP && (c == 0x28 || c == 0x3a)) {
    const e = lookup(cssBuf, cssLen);
    if ((e & 0xff) == TYPE_CSS) {
      const sub = (e >>> 8) & 0xff;
      if (sub == 1 && c == 0x28 && cssRunPrev == 0x3a) {
        pushByte(0x3a);
        pushText(cssBuf, cssLen);
        pushByte(0x28);
        rule = XSS_CSS;
      } else if (sub == 2 && c == 0x3a) {
        cssUrlLeft = 3; // a behaviour or binding property: fires when its value is url(
      }
    } else if (cssUrlLeft > 0 && c == 0x28 && cssLen == 3 && load<u8>(cssBuf) == 0x75 &&
      load<u8>(cssBuf + 1) == 0x72 && load<u8>(cssBuf + 2) == 0x6c) {
      pushText(cssBuf, 3);
      pushByte(0x28);
      rule = XSS_CSS;
    }
  }
  if (cssUrlLeft > 0 && !isSpace(c)) cssUrlLeft--;
  if (cssLen > 0) cssPrev = 0x61; // a word
  cssLen = 0;
  if (!isSpace(c) && c != 0x2f) cssPrev = c;
  return rule;
}

/** For tests: false makes ampersandsInert answer false (every '&' then opens stage 1, as before it). */
let ampersandGate = true;
export function setAmpersandGate(on: bool): void {
  ampersandGate = on;
}

/**
 * Whether every '&' in the input reads as the byte '&' alone in scanNormalised: not "&{" (a
 * JavaScript entity), not "&#" (a numeric reference, decoded or not: refused outright), and
 * not followed by the letters of an entity name of the table, looked up exactly as decodeAt
 * looks them up (up to ten letters from p + 1). Then decodeAt returns '&' with decodedLen 1
 * at each of them; with no '\\' in the input nothing else decodes either, so the scan visits
 * every byte as itself and '&' is one more non-word byte: mayReachJsSink and
 * mayReachSchemeOrCss decide as for an input without '&'. "Tom & Jerry" and a URL's
 * "?a=1&b=2" no longer cost a full scan; "&lt;", "&colon;", "&amp;" still do.
 */
export function ampersandsInert(ptr: usize, len: u32): bool {
  if (!ampersandGate) return false;
  const stop = ptr + len;
  let p = findAny3(ptr, stop, 0x26, 0x26, 0x26);
  while (p < stop) {
    if (p + 1 < stop) {
      const n = <u32>load<u8>(p + 1);
      if (n == 0x7b || n == 0x23) return false;
      let q = p + 1;
      while (q < stop && q - p <= 10 && isAlpha(load<u8>(q))) q++;
      const nameLen = <u32>(q - p - 1);
      if (nameLen != 0 && (lookup(p + 1, nameLen) & 0xff) == TYPE_ENTITY) return false;
    }
    p = findAny3(p + 1, stop, 0x26, 0x26, 0x26);
  }
  return true;
}

/**
 * Whether stage 1 could fire on an input that holds no ':', '\\', no control byte and no '&'
 * but inert ones (ampersandsInert; the caller checks all that). Then no scheme, data: URL, CSS rule or entity can start, nothing
 * is decoded or dropped, and the only way to fire is checkJsSink: a word of the JavaScript
 * vocabulary (or one glued to the end of a longer word) right before '(', '`' or '.'; every
 * later state (callPending, propertyPending, objectDot) starts there. So when no such word
 * stands before any of those bytes, scanNormalised would return 0: the caller skips it.
 * Conservative (any vocabulary hit means "run the scan"), one lookup per '(', '`', '.'.
 */
export function mayReachJsSink(ptr: usize, len: u32): bool {
  // The '(', '`' and '.' are found sixteen bytes at a time; the words before them are few.
  let i: u32 = 0;
  for (; i + 16 <= len; i += 16) {
    const v = v128.load(ptr + i);
    let m = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, i8x16.splat(0x28)), i8x16.eq(v, i8x16.splat(0x60))), i8x16.eq(v, i8x16.splat(0x2e))));
    while (m != 0) {
      if (sinkWordBefore(ptr, ptr + i + <usize>ctz(m))) return true;
      m &= m - 1;
    }
  }
  for (; i < len; i++) {
    const c = <u32>load<u8>(ptr + i);
    if ((c == 0x28 || c == 0x60 || c == 0x2e) && sinkWordBefore(ptr, ptr + i)) return true;
  }
  return false;
}

/** For tests: false turns off sinkWordBefore's last-two-letters filter (it must not change a result). */
let sinkEndsFilter = true;
export function setSinkEndsFilter(on: bool): void {
  sinkEndsFilter = on;
}

/**
 * Whether the letters and digits right before p (from `start` on) end in a JavaScript vocabulary word, as checkJsSink looks them up.
 * First filter: every word it looks up (the whole run, or its last k bytes) ends at p, and a
 * lookup finds a "j" word only when the lower-cased last two bytes are that word's last two
 * letters (gen-tables.mjs builds HTML_WORDS_JS_ENDS from them, and refuses a "j" word shorter
 * than two bytes or not ending in two letters). So unless the two bytes before p are letters
 * whose pair some "j" word ends with, no lookup can find one: false, without the run's
 * backward scan and up to nine lookups (a digit or other byte there leaves a run ending in
 * a digit, a run of one byte, or none). Most '.' and '(' in URLs and user-agents stop here.
 */
function sinkWordBefore(start: usize, p: usize): bool {
  if (sinkEndsFilter) {
    if (p - start < 2) return false;
    const a = (<u32>load<u8>(p - 2) | 0x20) - 97; // < 26 exactly for a letter
    const b = (<u32>load<u8>(p - 1) | 0x20) - 97;
    if (a >= 26 || b >= 26 || ((load<u32>(HTML_WORDS_JS_ENDS + (<usize>a << 2)) >>> b) & 1) == 0) return false;
  }
  let run: u32 = 0; // counted up to RUN_CAP + 1: a longer word is never looked up
  while (run <= RUN_CAP && p - run > start && isAlnum(<u32>load<u8>(p - run - 1))) run++;
  if (run == 0 || run > RUN_CAP) return false;
  if ((lookup(p - run, run) & 0xff) == TYPE_JS) return true;
  for (let k: u32 = 5; k <= 12 && k < run; k++) if ((lookup(p - k, k) & 0xff) == TYPE_JS) return true;
  return false;
}

/**
 * Whether stage 1 could fire through a ':' on an input that holds a ':' but no '\\', no
 * control byte and no '&' but inert ones (the caller checks that; mayReachJsSink covers the JavaScript sinks). With
 * nothing decoded or dropped, the scan's words are the input's own runs: a scheme is the run
 * of letters and digits right before a ':' (feedScheme: only a TYPE_SCHEME word there starts
 * `javascript:` code or a `data:` type), a CSS word the run of letters, digits, '-' and '_'
 * right before a ':' or '(' (cssChar: `:expression(` and `behavior:` then `url(` both start
 * at a TYPE_CSS word there), unless a CSS comment joins the halves of a word ("/*"). So when
 * no such word stands there and no "/*" occurs, the ':' paths never start and, with
 * mayReachJsSink false, scanNormalised returns 0. Conservative: one or two lookups per ':'
 * and '('. A URL ("https://shop.example.com/x") or a time ("12:30") skips the scan.
 */
export function mayReachSchemeOrCss(ptr: usize, len: u32): bool {
  if (!schemeSimd) return mayReachSchemeOrCssBytewise(ptr, len);
  // The ':', '(' and '/' are found sixteen bytes at a time; the words before them are read
  // backwards, as mayReachJsSink does. A referer's "https:" and its '/' cost two short reads.
  let i: u32 = 0;
  for (; i + 16 <= len; i += 16) {
    const v = v128.load(ptr + i);
    let m = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, i8x16.splat(0x3a)), i8x16.eq(v, i8x16.splat(0x28))), i8x16.eq(v, i8x16.splat(0x2f))));
    while (m != 0) {
      if (schemeOrCssAt(ptr, ptr + i + <usize>ctz(m), ptr + len)) return true;
      m &= m - 1;
    }
  }
  for (; i < len; i++) {
    const c = <u32>load<u8>(ptr + i);
    if ((c == 0x3a || c == 0x28 || c == 0x2f) && schemeOrCssAt(ptr, ptr + i, ptr + len)) return true;
  }
  return false;
}

/**
 * mayReachSchemeOrCss at one ':', '(' or '/' at p: the run of letters and digits right before
 * a ':' (a scheme), the run of letters, digits, '-' and '_' right before a ':' or '(' (a CSS
 * word), "/*". Runs are counted backwards up to RUN_CAP + 1 (a longer one is never looked up),
 * the same runs the byte-wise loop counts forwards.
 */
function schemeOrCssAt(start: usize, p: usize, stop: usize): bool {
  const c = <u32>load<u8>(p);
  if (c == 0x2f) return p + 1 < stop && load<u8>(p + 1) == 0x2a;
  if (c == 0x3a) {
    let n: u32 = 0;
    while (n <= RUN_CAP && p - n > start && isAlnum(<u32>load<u8>(p - n - 1))) n++;
    if (n > 0 && n <= RUN_CAP && (lookup(p - n, n) & 0xff) == TYPE_SCHEME) return true;
  }
  let n: u32 = 0;
  while (n <= RUN_CAP && p - n > start) {
    const b = <u32>load<u8>(p - n - 1);
    if (!isAlnum(b) && b != 0x2d && b != 0x5f) break;
    n++;
  }
  return n > 0 && n <= RUN_CAP && (lookup(p - n, n) & 0xff) == TYPE_CSS;
}

/** For tests: false makes mayReachSchemeOrCss take its byte-wise reference loop. */
let schemeSimd = true;
export function setSchemeSimd(on: bool): void {
  schemeSimd = on;
}

/** The byte-wise reference of mayReachSchemeOrCss (tests compare the two on every input). */
function mayReachSchemeOrCssBytewise(ptr: usize, len: u32): bool {
  let alnum: u32 = 0; // letters and digits just before p
  let css: u32 = 0; // letters, digits, '-' and '_' just before p
  for (let p = ptr; p < ptr + len; p++) {
    const c = <u32>load<u8>(p);
    if (isAlnum(c)) {
      alnum++;
      css++;
      continue;
    }
    if (c == 0x2d || c == 0x5f) {
      alnum = 0;
      css++;
      continue;
    }
    if (c == 0x3a && alnum > 0 && alnum <= RUN_CAP && (lookup(p - alnum, alnum) & 0xff) == TYPE_SCHEME) return true;
    if ((c == 0x3a || c == 0x28) && css > 0 && css <= RUN_CAP && (lookup(p - css, css) & 0xff) == TYPE_CSS) return true;
    if (c == 0x2f && p + 1 < ptr + len && load<u8>(p + 1) == 0x2a) return true;
    alnum = 0;
    css = 0;
  }
  return false;
}

/** Stage 1 over the whole input: a rule id or 0. */
export function scanNormalised(ptr: usize, len: u32): u32 {
  runLen = 0;
  runPrev = 0;
  lastNorm = 0;
  codeLeft = 0;
  inDataType = false;
  cssLen = 0;
  cssPrev = 0;
  cssSlash = false;
  cssUrlLeft = 0;
  objectDot = false;
  propertyPending = false;
  callPending = 0;
  cssComment = false;
  cssStar = false;
  const stop = ptr + len;
  let p = ptr;
  while (p < stop) {
    addWork(1);
    const raw = <u32>load<u8>(p);
    // Fast path: a run of letters and digits while nothing is pending only extends both
    // words (kept lower-cased up to RUN_CAP bytes; longer words never match a table word).
    if (isAlnum(raw) && codeLeft == 0 && !propertyPending && callPending == 0 && !cssComment && !cssSlash) {
      let q = p;
      let rl = runLen;
      let cl = cssLen;
      if (rl == 0) runPrev = lastNorm;
      if (cl == 0) cssRunPrev = cssPrev;
      let lower: u32 = 0;
      while (q < stop) {
        const b = <u32>load<u8>(q);
        if (!isAlnum(b)) break;
        lower = lowerByte(b);
        if (rl < RUN_CAP) store<u8>(runBuf + rl, <u8>lower);
        if (cl < RUN_CAP) store<u8>(cssBuf + cl, <u8>lower);
        rl++;
        cl++;
        q++;
      }
      addWork(<u32>(q - p));
      runLen = rl;
      cssLen = cl;
      lastNorm = lower;
      p = q;
      continue;
    }
    // Netscape JavaScript entities: &{ code };
    if (raw == 0x26 && p + 1 < stop && load<u8>(p + 1) == 0x7b) {
      pushByte(0x26);
      pushByte(0x7b);
      return XSS_JS_ENTITY;
    }
    const c = decodeAt(p, stop);
    p += decodedLen;
    // Browsers drop tabs and newlines inside URLs, and old engines dropped other controls too.
    if (c < 0x20 || c == 0x7f) continue;
    let rule = feedScheme(c, raw);
    if (rule == 0) rule = feedCss(c);
    if (rule != 0) return rule;
  }
  // A data: media type or a CSS word that runs to the end of the input.
  const rule = feedScheme(0x20, 0x20);
  if (rule != 0) return rule;
  return propertyPending || callPending != 0 ? XSS_JS_SINK : 0;
}

