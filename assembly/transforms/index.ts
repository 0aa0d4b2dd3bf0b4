// Transform dispatch: the engine's single entry point into this folder.
//
// runTransform(id, src, len, dst, cap) reads len bytes at src and writes the result at dst
// (a different buffer), never more than cap bytes, and returns the output length. No
// allocation, linear time, never traps. Each transform's file states its semantics and
// output bound; the summary:
//   <= len      every transform except the three below
//   <= max(len, 1)   length (the decimal digits of len; "0" for empty input)
//   <= 2 * len  hexEncode
//   <= 3 * len  utf8ToUnicode
// An unknown id (or T_NONE) copies the input.
import {
  T_NONE, T_LOWERCASE, T_URL_DECODE, T_URL_DECODE_UNI, T_HTML_ENTITY_DECODE, T_JS_DECODE,
  T_CSS_DECODE, T_BASE64_DECODE, T_HEX_DECODE, T_SQL_HEX_DECODE, T_REMOVE_NULLS,
  T_REMOVE_WHITESPACE, T_COMPRESS_WHITESPACE, T_REMOVE_COMMENTS, T_REPLACE_COMMENTS,
  T_NORMALIZE_PATH, T_NORMALIZE_PATH_WIN, T_UTF8_TO_UNICODE, T_CMD_LINE, T_TRIM, T_LENGTH,
  T_SHELL_UNESCAPE, T_UNICODE_NORMALIZE, T_TRIM_LEFT, T_TRIM_RIGHT, T_REPLACE_NULLS,
  T_BASE64_DECODE_EXT, T_ESCAPE_SEQ_DECODE, T_UPPERCASE, T_REMOVE_COMMENTS_CHAR, T_HEX_ENCODE,
} from "../abi";
import { lowercase, uppercase } from "./case";
import { urlDecode, urlDecodeUni } from "./url-decode";
import { htmlEntityDecode } from "./html-entity-decode";
import { jsDecode } from "./js-decode";
import { cssDecode } from "./css-decode";
import { base64Decode, base64DecodeExt } from "./base64";
import { hexDecode, sqlHexDecode } from "./hex";
import { removeNulls, replaceNulls } from "./nulls";
import { removeWhitespace, compressWhitespace } from "./whitespace";
import { removeComments, replaceComments, removeCommentsChar } from "./comments";
import { normalizePath, normalizePathWin } from "./path";
import { utf8ToUnicode } from "./utf8-to-unicode";
import { cmdLine } from "./cmd-line";
import { trim, trimLeft, trimRight } from "./trim";
import { lengthOf } from "./length";
import { shellUnescape } from "./shell-unescape";
import { unicodeNormalize } from "./unicode-normalize";
import { escapeSeqDecode } from "./escape-seq";
import { hexEncode } from "./hex-encode";

function copy(src: usize, len: u32, dst: usize, cap: u32): u32 {
  const n = len < cap ? len : cap;
  memory.copy(dst, src, n);
  return n;
}

export function runTransform(id: u32, src: usize, len: u32, dst: usize, cap: u32): u32 {
  switch (id) {
    case T_LOWERCASE: return lowercase(src, len, dst, cap);
    case T_URL_DECODE: return urlDecode(src, len, dst, cap);
    case T_URL_DECODE_UNI: return urlDecodeUni(src, len, dst, cap);
    case T_HTML_ENTITY_DECODE: return htmlEntityDecode(src, len, dst, cap);
    case T_JS_DECODE: return jsDecode(src, len, dst, cap);
    case T_CSS_DECODE: return cssDecode(src, len, dst, cap);
    case T_BASE64_DECODE: return base64Decode(src, len, dst, cap);
    case T_HEX_DECODE: return hexDecode(src, len, dst, cap);
    case T_SQL_HEX_DECODE: return sqlHexDecode(src, len, dst, cap);
    case T_REMOVE_NULLS: return removeNulls(src, len, dst, cap);
    case T_REMOVE_WHITESPACE: return removeWhitespace(src, len, dst, cap);
    case T_COMPRESS_WHITESPACE: return compressWhitespace(src, len, dst, cap);
    case T_REMOVE_COMMENTS: return removeComments(src, len, dst, cap);
    case T_REPLACE_COMMENTS: return replaceComments(src, len, dst, cap);
    case T_NORMALIZE_PATH: return normalizePath(src, len, dst, cap);
    case T_NORMALIZE_PATH_WIN: return normalizePathWin(src, len, dst, cap);
    case T_UTF8_TO_UNICODE: return utf8ToUnicode(src, len, dst, cap);
    case T_CMD_LINE: return cmdLine(src, len, dst, cap);
    case T_TRIM: return trim(src, len, dst, cap);
    case T_LENGTH: return lengthOf(src, len, dst, cap);
    case T_SHELL_UNESCAPE: return shellUnescape(src, len, dst, cap);
    case T_UNICODE_NORMALIZE: return unicodeNormalize(src, len, dst, cap);
    case T_TRIM_LEFT: return trimLeft(src, len, dst, cap);
    case T_TRIM_RIGHT: return trimRight(src, len, dst, cap);
    case T_REPLACE_NULLS: return replaceNulls(src, len, dst, cap);
    case T_BASE64_DECODE_EXT: return base64DecodeExt(src, len, dst, cap);
    case T_ESCAPE_SEQ_DECODE: return escapeSeqDecode(src, len, dst, cap);
    case T_UPPERCASE: return uppercase(src, len, dst, cap);
    case T_REMOVE_COMMENTS_CHAR: return removeCommentsChar(src, len, dst, cap);
    case T_HEX_ENCODE: return hexEncode(src, len, dst, cap);
    case T_NONE:
    default: return copy(src, len, dst, cap);
  }
}

/** Upper bound of runTransform's output length for an input of `len` bytes (before cap). */
export function transformBound(id: u32, len: u32): u64 {
  if (id == T_HEX_ENCODE) return <u64>len * 2;
  if (id == T_UTF8_TO_UNICODE) return <u64>len * 3;
  if (id == T_LENGTH) return len > 0 ? <u64>len : 1;
  return <u64>len;
}
