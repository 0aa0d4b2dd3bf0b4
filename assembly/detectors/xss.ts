// detectXSS: would this input run script if an application pasted it into HTML?
//
// Two stages, both linear and allocation-free:
//  1. A normalised character pass over the whole input (once): HTML entities decoded
//     (`&#x6A;`, `&#106`, `&colon;`), tabs/newlines/control bytes dropped, ASCII lower-cased,
//     as a browser's URL and CSS parsers see it. It finds script-running URL schemes
//     (`javascript:` followed by code), `data:` URLs with an active media type, and CSS that
//     runs code (`:expression(`, `-moz-binding:`, `behavior:`).
//  2. An HTML tokenizer state machine (tag name, attribute name, attribute value) run in up to
//     four starting contexts: text, inside a double-quoted, single-quoted or unquoted
//     attribute value. It fires on tags that are dangerous by themselves (`<script`,
//     `<iframe`, `<object`, ...), event-handler attributes (`on*=`) and `</script`.
// Text with a `<` that is no tag (`a < b`, `<3`) or a harmless tag (`<b>`, `<bob@x.com>`)
// stays quiet.
//
// Result: 0, or (context << 8) | rule; context 1 text, 2 double-quoted attribute,
// 3 single-quoted, 4 unquoted. The fingerprint names the trigger ("<script", "onerror=",
// "javascript:(", ":expression(").

import { lookupWord, lowerByte } from "./word-table";
import { HTML_WORDS_DISP_BITS, HTML_WORDS_SLOT_BITS, HTML_WORDS_MAX_LEN, HTML_WORDS_DISP, HTML_WORDS_SLOTS, HTML_WORDS_BLOB } from "./html-words";
import { clearFingerprint, fingerprintPush, resetWork, addWork } from "./fingerprint";
import {
  presentClasses, CLASS_DQUOTE, CLASS_SQUOTE, CLASS_BREAK, CLASS_LT, CLASS_PLUS, CLASS_EQ, CLASS_COLON,
  CLASS_PAREN, CLASS_BACKTICK, CLASS_DOT, CLASS_AMP, CLASS_BSLASH, findAny3, findBreakOr2,
} from "./byte-classes";

export const XSS_TAG: u32 = 1;
export const XSS_HANDLER: u32 = 2;
export const XSS_SCHEME: u32 = 3;
export const XSS_DATA_URI: u32 = 4;
export const XSS_CSS: u32 = 5;
export const XSS_SCRIPT_END: u32 = 6;
export const XSS_JS_ENTITY: u32 = 7;
export const XSS_JS_SINK: u32 = 8;
export const XSS_ATTRIBUTE: u32 = 9;

const TYPE_TAG: u32 = 0x74; // t
const TYPE_SCHEME: u32 = 0x73; // s
const TYPE_MEDIA: u32 = 0x6d; // m
const TYPE_CSS: u32 = 0x63; // c
const TYPE_ENTITY: u32 = 0x78; // x
const TYPE_JS: u32 = 0x6a; // j
const TYPE_ATTR: u32 = 0x61; // a

function lookup(ptr: usize, len: u32): u32 {
  return lookupWord(ptr, len, HTML_WORDS_DISP, HTML_WORDS_SLOTS, HTML_WORDS_BLOB, HTML_WORDS_DISP_BITS, HTML_WORDS_SLOT_BITS, HTML_WORDS_MAX_LEN);
}

// @ts-ignore: decorator
@inline function isAlpha(c: u32): bool {
  return (c | 0x20) - 97 < 26;
}
// @ts-ignore: decorator
@inline function isDigit(c: u32): bool {
  return c - 48 < 10;
}
// @ts-ignore: decorator
@inline function isAlnum(c: u32): bool {
  return isAlpha(c) || isDigit(c);
}
// @ts-ignore: decorator
@inline function isSpace(c: u32): bool {
  return c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0c || c == 0x0d;
}

function pushText(p: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) fingerprintPush(load<u8>(p + i));
}
function pushByte(c: u32): void {
  fingerprintPush(<u8>c);
}

// ---- stage 1: normalised character pass ---------------------------------------------------

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
    return XSS_JS_SINK;
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

/** Stage 1 over the whole input. */
function scanNormalised(ptr: usize, len: u32): u32 {
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
  cssComment = false;
  cssStar = false;
  const stop = ptr + len;
  let p = ptr;
  while (p < stop) {
    addWork(1);
    const raw = <u32>load<u8>(p);
    // Fast path: a letter or digit while nothing is pending only extends both words.
    if (isAlnum(raw) && codeLeft == 0 && !propertyPending && !cssComment && !cssSlash) {
      const lower = lowerByte(raw);
      if (runLen == 0) runPrev = lastNorm;
      if (runLen < RUN_CAP) store<u8>(runBuf + runLen, <u8>lower);
      runLen++;
      lastNorm = lower;
      if (cssLen == 0) cssRunPrev = cssPrev;
      if (cssLen < RUN_CAP) store<u8>(cssBuf + cssLen, <u8>lower);
      cssLen++;
      p++;
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
  return propertyPending ? XSS_JS_SINK : 0;
}

// ---- stage 2: HTML tokenizer ----------------------------------------------------------------

const S_TEXT: u32 = 0;
const S_TAG_NAME: u32 = 1;
const S_BEFORE_ATTR: u32 = 2;
const S_ATTR_NAME: u32 = 3;
const S_AFTER_ATTR_NAME: u32 = 4;
const S_BEFORE_VALUE: u32 = 5;
const S_VALUE_DQ: u32 = 6;
const S_VALUE_SQ: u32 = 7;
const S_VALUE_UQ: u32 = 8;

/** Tag name, lower case, NUL bytes skipped (`<scr\0ipt>`), namespace prefix cut (`<svg:svg>`). */
const NAME_CAP: u32 = 16;
const nameBuf: usize = memory.data(16);
let nameLen: u32 = 0;
let nameOverflow = false;

// @ts-ignore: decorator
@inline function isTagSpace(c: u32): bool {
  // HTML whitespace, plus the other control bytes old engines accepted as separators.
  return c <= 0x20 && c != 0;
}

/** `<` (or UTF-7 `+ADw-`) opening a tag at p: returns the position after the opener, or 0. */
function tagOpen(p: usize, stop: usize): usize {
  const c = <u32>load<u8>(p);
  let open: usize = 0;
  if (c == 0x3c) open = p + 1;
  else if (c == 0x2b && p + 4 < stop && (load<u8>(p + 1) | 0x20) == 0x61 && (load<u8>(p + 2) | 0x20) == 0x64 &&
    (load<u8>(p + 3) | 0x20) == 0x77 && load<u8>(p + 4) == 0x2d) open = p + 5;
  if (open == 0 || open >= stop) return 0;
  let q = open;
  const d = <u32>load<u8>(q);
  if (d == 0x2f || d == 0x3f) q++; // </name, <?name
  if (q < stop && isAlpha(load<u8>(q))) return open;
  return 0;
}

/** Scans the HTML structure from `start`. In an attribute start the tag around it is unknown. */
function scanHtml(ptr: usize, len: u32, start: u32): u32 {
  const stop = ptr + len;
  let state = start;
  let implied = start != S_TEXT;
  let endTag = false;
  let piTag = false;
  let attrStart: usize = 0;
  /** The attribute being read is an event handler; in an unknown tag its value must look like code. */
  let handler = false;
  let handlerStart: usize = 0;
  let handlerLen: u32 = 0;
  let p = ptr;
  while (p < stop) {
    addWork(1);
    const c = <u32>load<u8>(p);
    // A tag opener starts a new tag from any state: parsers disagree about where values end,
    // so "<img onerror=...>" inside an attribute value is treated as markup too.
    if (state != S_TAG_NAME && (c == 0x3c || c == 0x2b)) {
      const open = tagOpen(p, stop);
      if (open != 0) {
        const d = <u32>load<u8>(open);
        endTag = d == 0x2f;
        piTag = d == 0x3f;
        p = endTag || piTag ? open + 1 : open;
        nameLen = 0;
        nameOverflow = false;
        state = S_TAG_NAME;
        implied = false;
        handler = false;
        continue;
      }
    }
    switch (state) {
      case S_TEXT: {
        // Only a tag opener matters in text: jump to the next '<' or '+'.
        const next = findAny3(p + 1, stop, 0x3c, 0x2b, 0x3c);
        addWork(<u32>(next - p));
        p = next;
        continue;
      }
      case S_TAG_NAME: {
        if (c == 0) { p++; continue; }
        if (isAlnum(c) || c == 0x2d || c == 0x5f) {
          if (nameLen < NAME_CAP) store<u8>(nameBuf + nameLen++, <u8>lowerByte(c));
          else nameOverflow = true;
          p++;
          continue;
        }
        if (c == 0x3a) {
          // "<?xml:namespace ... implementation=...>" imports behaviours in old IE (a plain
          // "<?xml version" prolog has no colon and stays quiet)
          if (piTag && nameLen == 3 && load<u8>(nameBuf) == 0x78 && load<u8>(nameBuf + 1) == 0x6d && load<u8>(nameBuf + 2) == 0x6c) {
            pushByte(0x3c); pushByte(0x3f); pushText(nameBuf, 3); pushByte(0x3a);
            return XSS_TAG;
          }
          // namespace prefix: "svg:svg" is judged by its prefix (a tag table word) or local name
          const rule = checkTagName(endTag, piTag);
          if (rule != 0) return rule;
          nameLen = 0;
          nameOverflow = false;
          p++;
          continue;
        }
        const rule = checkTagName(endTag, piTag);
        if (rule != 0) return rule;
        state = endTag || piTag ? S_TEXT : S_BEFORE_ATTR;
        continue; // reconsume
      }
      case S_BEFORE_ATTR: {
        if (isTagSpace(c) || c == 0x2f) { p++; continue; }
        if (c == 0x3e) { state = S_TEXT; implied = false; p++; continue; }
        attrStart = p;
        state = S_ATTR_NAME;
        p++;
        continue;
      }
      case S_ATTR_NAME: {
        const ends = isTagSpace(c) || c == 0x2f || c == 0x3e || c == 0x3d;
        if (!ends && p + 1 < stop) { p++; continue; }
        const end = ends ? p : p + 1;
        const rule = checkAttributeName(attrStart, end, implied);
        if (rule != 0) return rule;
        handler = attrHandler;
        handlerStart = attrStart;
        handlerLen = <u32>(end - attrStart);
        if (!ends) { p++; continue; }
        state = S_AFTER_ATTR_NAME;
        continue; // reconsume
      }
      case S_AFTER_ATTR_NAME: {
        if (isTagSpace(c)) { p++; continue; }
        if (c == 0x2f) { state = S_BEFORE_ATTR; handler = false; p++; continue; }
        if (c == 0x3d) { state = S_BEFORE_VALUE; p++; continue; }
        if (c == 0x3e) { state = S_TEXT; implied = false; handler = false; p++; continue; }
        handler = false;
        state = S_BEFORE_ATTR;
        continue;
      }
      case S_BEFORE_VALUE: {
        if (isTagSpace(c)) { p++; continue; }
        if (c == 0x22) { state = S_VALUE_DQ; p++; continue; }
        if (c == 0x27) { state = S_VALUE_SQ; p++; continue; }
        if (c == 0x3e) { state = S_TEXT; implied = false; handler = false; p++; continue; }
        state = S_VALUE_UQ;
        continue;
      }
      default: {
        // attribute values
        const close = state == S_VALUE_DQ ? c == 0x22 : state == S_VALUE_SQ ? c == 0x27 : (isTagSpace(c) || c == 0x3e);
        if (close) {
          handler = false;
          if (state == S_VALUE_UQ && c == 0x3e) { state = S_TEXT; implied = false; }
          else state = S_BEFORE_ATTR;
          p++;
          continue;
        }
        if (handler && (c == 0x28 || c == 0x60 || c == 0x3d || c == 0x26)) {
          pushText(handlerStart, handlerLen < 14 ? handlerLen : 14);
          pushByte(0x3d);
          pushByte(c);
          return XSS_HANDLER;
        }
        if (handler) { p++; continue; }
        // Outside a handler only the value's end or a tag opener matters.
        const next = state == S_VALUE_UQ ? findBreakOr2(p + 1, stop, 0x3c, 0x2b)
          : findAny3(p + 1, stop, state == S_VALUE_DQ ? 0x22 : 0x27, 0x3c, 0x2b);
        addWork(<u32>(next - p));
        p = next;
        continue;
      }
    }
  }
  if (state == S_TAG_NAME) return checkTagName(endTag, piTag);
  if (state == S_ATTR_NAME) return checkAttributeName(attrStart, stop, implied);
  return 0;
}

/** A start tag dangerous by itself, `<?import`, or `</script` (leaving a script block). */
function checkTagName(endTag: bool, piTag: bool): u32 {
  if (nameOverflow || nameLen == 0) return 0;
  const e = lookup(nameBuf, nameLen);
  if (e == 0 || (e & 0xff) != TYPE_TAG) return 0;
  const isScript = nameLen == 6 && load<u8>(nameBuf) == 0x73 && load<u8>(nameBuf + 1) == 0x63;
  if (endTag && !isScript) return 0;
  if (piTag && ((e >>> 8) & 0xff) != 2) return 0;
  pushByte(0x3c);
  if (endTag) pushByte(0x2f);
  if (piTag) pushByte(0x3f);
  pushText(nameBuf, nameLen < 13 ? nameLen : 13);
  return endTag ? XSS_SCRIPT_END : XSS_TAG;
}

let attrHandler = false;

/**
 * An attribute name in a tag: an event handler fires at once in a known tag; in the unknown
 * tag around an attribute-context start it waits for a value that looks like code.
 */
function checkAttributeName(start: usize, end: usize, implied: bool): u32 {
  // Junk before the name (".onclick", "'onload") does not stop old parsers.
  while (start < end && !isAlpha(load<u8>(start))) start++;
  attrHandler = isHandlerName(start, end);
  const n = <u32>(end - start);
  if (attrHandler && !implied) {
    pushText(start, n < 15 ? n : 15);
    pushByte(0x3d);
    return XSS_HANDLER;
  }
  if (!implied && n > 0 && n <= 16) {
    const e = lookup(start, n);
    if ((e & 0xff) == TYPE_ATTR) {
      pushText(start, n);
      return XSS_ATTRIBUTE;
    }
  }
  return 0;
}

/** `on` followed by at least three letters: onload, onerror, onmouseover, onpageshow... */
function isHandlerName(start: usize, end: usize): bool {
  if (end - start < 5) return false;
  if ((load<u8>(start) | 0x20) != 0x6f || (load<u8>(start + 1) | 0x20) != 0x6e) return false;
  for (let i: usize = 2; i < 5; i++) if (!isAlpha(load<u8>(start + i))) return false;
  return true;
}

/** Returns 0 when the input looks harmless in every context, else (context << 8) | rule. */
export function detectXSS(ptr: usize, len: u32): u32 {
  clearFingerprint();
  resetWork();
  const present = presentClasses(ptr, len);
  // Stage 1 fires only at ':', '(', '`', '.', "&{", or on what '&' and '\' decode to.
  if ((present & (CLASS_COLON | CLASS_PAREN | CLASS_BACKTICK | CLASS_DOT | CLASS_AMP | CLASS_BSLASH)) != 0) {
    const rule = scanNormalised(ptr, len);
    if (rule != 0) return (1 << 8) | rule;
    clearFingerprint();
  }
  // Markup needs a tag opener; an attribute start also fires on "on*=" after leaving the value.
  const opener = (present & (CLASS_LT | CLASS_PLUS)) != 0;
  const markup = opener || (present & CLASS_EQ) != 0;
  let rule: u32 = 0;
  if (opener) {
    rule = scanHtml(ptr, len, S_TEXT);
    if (rule != 0) return (1 << 8) | rule;
  }
  if (markup && (present & CLASS_DQUOTE) != 0) {
    clearFingerprint();
    rule = scanHtml(ptr, len, S_VALUE_DQ);
    if (rule != 0) return (2 << 8) | rule;
  }
  if (markup && (present & CLASS_SQUOTE) != 0) {
    clearFingerprint();
    rule = scanHtml(ptr, len, S_VALUE_SQ);
    if (rule != 0) return (3 << 8) | rule;
  }
  if (markup && (present & CLASS_BREAK) != 0) {
    clearFingerprint();
    rule = scanHtml(ptr, len, S_VALUE_UQ);
    if (rule != 0) return (4 << 8) | rule;
  }
  clearFingerprint();
  return 0;
}
