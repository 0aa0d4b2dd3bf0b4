// Stage 2 of detectXSS: an HTML tokenizer state machine (tag name, attribute name, attribute
// value), startable inside an attribute value whose tag is unknown. It fires on tags that
// are dangerous by themselves, event-handler attributes, data-binding attributes and
// `</script`. SIMD skips jump over text and values to the next byte that matters.

import { lowerByte } from "./word-table";
import { clearFingerprint, addWork } from "./fingerprint";
import { isAlpha, isDigit, isAlnum, isSpace } from "./ascii";
import {
  XSS_TAG, XSS_HANDLER, XSS_SCHEME, XSS_DATA_URI, XSS_CSS, XSS_SCRIPT_END, XSS_JS_ENTITY, XSS_JS_SINK, XSS_ATTRIBUTE,
  TYPE_TAG, TYPE_SCHEME, TYPE_MEDIA, TYPE_CSS, TYPE_ENTITY, TYPE_JS, TYPE_ATTR, lookup, pushText, pushByte,
} from "./xss-vocabulary";
import { findAny3, findBreakOr2 } from "./byte-classes";


export const S_TEXT: u32 = 0;
export const S_TAG_NAME: u32 = 1;
export const S_BEFORE_ATTR: u32 = 2;
export const S_ATTR_NAME: u32 = 3;
export const S_AFTER_ATTR_NAME: u32 = 4;
export const S_BEFORE_VALUE: u32 = 5;
export const S_VALUE_DQ: u32 = 6;
export const S_VALUE_SQ: u32 = 7;
export const S_VALUE_UQ: u32 = 8;

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
export function scanHtml(ptr: usize, len: u32, start: u32): u32 {
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


/**
 * Whether a tag opens anywhere in the input: tagOpen succeeds at some '<' or '+'. tagOpen
 * reads only the bytes from its position on, whatever the scan's state, so when it fails at
 * every one scanHtml never leaves the states it starts in: the text context never fires
 * ("a < b", "<3", "x + 1"), and an attribute context can fire only by a handler
 * (mayNameHandler).
 */
export function anyTagOpens(ptr: usize, len: u32): bool {
  const stop = ptr + len;
  let p = findAny3(ptr, stop, 0x3c, 0x2b, 0x3c);
  while (p < stop) {
    if (tagOpen(p, stop) != 0) return true;
    p = findAny3(p + 1, stop, 0x3c, 0x2b, 0x3c);
  }
  return false;
}

/**
 * Whether an event-handler name can start in the input: "on" (either case) and three letters,
 * at the start or after a byte that is no letter. Without a tag opening (anyTagOpens) an
 * attribute-context scan is implied throughout, so it fires only in the value of a name that
 * isHandlerName accepts; that name begins at its first letter after any junk, and the byte
 * before it is junk or what ended the value or name before (a quote, a space, '/'), never a
 * letter. So with no such "on" the attribute contexts return 0 ("station", "phone", "on load").
 */
export function mayNameHandler(ptr: usize, len: u32): bool {
  const stop = ptr + len;
  let p = findAny3(ptr, stop, 0x6f, 0x4f, 0x6f);
  while (p + 5 <= stop) {
    if ((p == ptr || !isAlpha(load<u8>(p - 1))) && (load<u8>(p + 1) | 0x20) == 0x6e &&
      isAlpha(load<u8>(p + 2)) && isAlpha(load<u8>(p + 3)) && isAlpha(load<u8>(p + 4))) return true;
    p = findAny3(p + 1, stop, 0x6f, 0x4f, 0x6f);
  }
  return false;
}
