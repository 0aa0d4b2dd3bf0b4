// The XSS detector's vocabulary, shared by its two passes: result rule ids, the word
// types of the generated HTML word table (html-words.ts) and their lookup, and how a
// trigger is written to the fingerprint.

import { lookupWord } from "./word-table";
import { HTML_WORDS_DISP_BITS, HTML_WORDS_SLOT_BITS, HTML_WORDS_MAX_LEN, HTML_WORDS_DISP, HTML_WORDS_SLOTS, HTML_WORDS_BLOB, HTML_WORDS_FILTER, HTML_WORDS_FILTER_BITS } from "./html-words";
import { fingerprintPush } from "./fingerprint";

/** Rule ids (low byte of detectXSS's result). */
export const XSS_TAG: u32 = 1;
export const XSS_HANDLER: u32 = 2;
export const XSS_SCHEME: u32 = 3;
export const XSS_DATA_URI: u32 = 4;
export const XSS_CSS: u32 = 5;
export const XSS_SCRIPT_END: u32 = 6;
export const XSS_JS_ENTITY: u32 = 7;
export const XSS_JS_SINK: u32 = 8;
export const XSS_ATTRIBUTE: u32 = 9;

/** Word types in html-words.ts (see gen-tables.mjs). */
export const TYPE_TAG: u32 = 0x74; // t
export const TYPE_SCHEME: u32 = 0x73; // s
export const TYPE_MEDIA: u32 = 0x6d; // m
export const TYPE_CSS: u32 = 0x63; // c
export const TYPE_ENTITY: u32 = 0x78; // x
export const TYPE_JS: u32 = 0x6a; // j
export const TYPE_ATTR: u32 = 0x61; // a

/** Looks a lower-cased or mixed-case word up in the HTML word table; 0 when absent. */
export function lookup(ptr: usize, len: u32): u32 {
  return lookupWord(ptr, len, HTML_WORDS_DISP, HTML_WORDS_SLOTS, HTML_WORDS_BLOB, HTML_WORDS_DISP_BITS, HTML_WORDS_SLOT_BITS, HTML_WORDS_MAX_LEN, HTML_WORDS_FILTER, HTML_WORDS_FILTER_BITS);
}
/** Appends n bytes at p to the fingerprint (it keeps at most 16). */
export function pushText(p: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) fingerprintPush(load<u8>(p + i));
}
export function pushByte(c: u32): void {
  fingerprintPush(<u8>c);
}

