// Which bytes can make a transform change its input. A value containing none of a
// transform's trigger bytes passes through it unchanged, so the engine skips the call and
// the copy (most names and values — "2", "books", session ids — trigger nothing).
// test/transforms/triggers.test.ts checks every mask: on inputs drawn from the other
// bytes, each transform must be the identity.

import {
  T_LOWERCASE, T_URL_DECODE, T_URL_DECODE_UNI, T_HTML_ENTITY_DECODE, T_JS_DECODE, T_CSS_DECODE,
  T_REMOVE_NULLS, T_REMOVE_WHITESPACE, T_COMPRESS_WHITESPACE, T_REMOVE_COMMENTS, T_REPLACE_COMMENTS,
  T_NORMALIZE_PATH, T_NORMALIZE_PATH_WIN, T_UTF8_TO_UNICODE, T_CMD_LINE, T_TRIM, T_SHELL_UNESCAPE,
  T_UNICODE_NORMALIZE, T_TRIM_LEFT, T_TRIM_RIGHT, T_REPLACE_NULLS, T_ESCAPE_SEQ_DECODE, T_UPPERCASE,
  T_REMOVE_COMMENTS_CHAR, TRANSFORM_COUNT,
} from "./abi";

// Byte features (bits of a value's feature mask).
export const B_PERCENT: u32 = 1 << 0;
export const B_PLUS: u32 = 1 << 1;
export const B_AMP: u32 = 1 << 2;
export const B_BSLASH: u32 = 1 << 3;
export const B_SLASH: u32 = 1 << 4;
export const B_DOT: u32 = 1 << 5;
export const B_UPPER: u32 = 1 << 6;
export const B_LOWER: u32 = 1 << 7;
export const B_SPACE: u32 = 1 << 8;   // space \t \n \v \f \r
export const B_NUL: u32 = 1 << 9;
export const B_HIGH: u32 = 1 << 10;   // >= 0x80
export const B_QUOTE: u32 = 1 << 11;  // ' " `
export const B_CARET: u32 = 1 << 12;
export const B_SEP: u32 = 1 << 13;    // , ;
export const B_DASH: u32 = 1 << 14;
export const B_HASH: u32 = 1 << 15;
export const B_STAR: u32 = 1 << 16;
export const B_LT: u32 = 1 << 17;
export const B_DOLLAR: u32 = 1 << 18;
/** Transforms that may change any input (decoders of whole encodings, length…) always run. */
export const ALWAYS: u32 = 0xffffffff;

const featureOf = new StaticArray<u32>(256);
const triggers = new StaticArray<u32>(<i32>TRANSFORM_COUNT);
// Built in the module's start function, so lookups need no "ready" check.
setup();

function setup(): void {
  for (let b = 0; b < 256; b++) {
    let f: u32 = 0;
    if (b == 0x25) f |= B_PERCENT;
    if (b == 0x2b) f |= B_PLUS;
    if (b == 0x26) f |= B_AMP;
    if (b == 0x5c) f |= B_BSLASH;
    if (b == 0x2f) f |= B_SLASH;
    if (b == 0x2e) f |= B_DOT;
    if (b >= 0x41 && b <= 0x5a) f |= B_UPPER;
    if (b >= 0x61 && b <= 0x7a) f |= B_LOWER;
    if (b == 0x20 || (b >= 0x09 && b <= 0x0d)) f |= B_SPACE;
    if (b == 0) f |= B_NUL;
    if (b >= 0x80) f |= B_HIGH;
    if (b == 0x27 || b == 0x22 || b == 0x60) f |= B_QUOTE;
    if (b == 0x5e) f |= B_CARET;
    if (b == 0x2c || b == 0x3b) f |= B_SEP;
    if (b == 0x2d) f |= B_DASH;
    if (b == 0x23) f |= B_HASH;
    if (b == 0x2a) f |= B_STAR;
    if (b == 0x3c) f |= B_LT;
    if (b == 0x24) f |= B_DOLLAR;
    unchecked((featureOf[b] = f));
  }
  for (let t = 0; t < <i32>TRANSFORM_COUNT; t++) unchecked((triggers[t] = ALWAYS));
  unchecked((triggers[T_LOWERCASE] = B_UPPER));
  unchecked((triggers[T_UPPERCASE] = B_LOWER));
  unchecked((triggers[T_URL_DECODE] = B_PERCENT | B_PLUS));
  unchecked((triggers[T_URL_DECODE_UNI] = B_PERCENT | B_PLUS));
  unchecked((triggers[T_HTML_ENTITY_DECODE] = B_AMP));
  unchecked((triggers[T_JS_DECODE] = B_BSLASH));
  unchecked((triggers[T_CSS_DECODE] = B_BSLASH));
  unchecked((triggers[T_ESCAPE_SEQ_DECODE] = B_BSLASH));
  unchecked((triggers[T_REMOVE_NULLS] = B_NUL));
  unchecked((triggers[T_REPLACE_NULLS] = B_NUL));
  unchecked((triggers[T_REMOVE_WHITESPACE] = B_SPACE | B_HIGH));
  unchecked((triggers[T_COMPRESS_WHITESPACE] = B_SPACE | B_HIGH));
  unchecked((triggers[T_TRIM] = B_SPACE));
  unchecked((triggers[T_TRIM_LEFT] = B_SPACE));
  unchecked((triggers[T_TRIM_RIGHT] = B_SPACE));
  unchecked((triggers[T_REMOVE_COMMENTS] = B_SLASH | B_LT | B_DASH | B_HASH));
  unchecked((triggers[T_REPLACE_COMMENTS] = B_SLASH));
  unchecked((triggers[T_REMOVE_COMMENTS_CHAR] = B_SLASH | B_STAR | B_LT | B_DASH | B_HASH));
  unchecked((triggers[T_NORMALIZE_PATH] = B_SLASH | B_DOT));
  unchecked((triggers[T_NORMALIZE_PATH_WIN] = B_SLASH | B_DOT | B_BSLASH));
  unchecked((triggers[T_UTF8_TO_UNICODE] = B_HIGH));
  unchecked((triggers[T_UNICODE_NORMALIZE] = B_HIGH));
  unchecked((triggers[T_CMD_LINE] = B_BSLASH | B_QUOTE | B_CARET | B_SPACE | B_SEP | B_UPPER));
  unchecked((triggers[T_SHELL_UNESCAPE] = B_BSLASH | B_QUOTE | B_DOLLAR));
}

/** OR of the features of every byte of the value. */
export function featureMask(p: usize, len: u32): u32 {
  let m: u32 = 0;
  for (let i: u32 = 0; i < len; i++) m |= unchecked(featureOf[load<u8>(p + i)]);
  return m;
}

/** The features that can make transform `t` change a value (ALWAYS when any can). */
@inline export function triggerMask(t: u32): u32 {
  return t < TRANSFORM_COUNT ? unchecked(triggers[t]) : ALWAYS;
}
