/**
 * libddwaf transformer names (current names and their pre-1.12 aliases) ↔ wafer transforms.
 * `keys_only`/`values_only` are not transforms in wafer: they choose the names or values
 * target (see addresses.ts), so the importer handles them before this table.
 */
import type { TransformName } from "../engine/abi.js";

export const DDWAF_TO_WAFER_TRANSFORM: Record<string, TransformName> = {
  lowercase: "lowercase",
  remove_nulls: "removeNulls",
  removeNulls: "removeNulls",
  compress_whitespace: "compressWhitespace",
  compressWhiteSpace: "compressWhitespace",
  compressWhitespace: "compressWhitespace",
  normalize_path: "normalizePath",
  normalizePath: "normalizePath",
  normalize_path_win: "normalizePathWin",
  normalizePathWin: "normalizePathWin",
  url_decode: "urlDecode",
  urlDecode: "urlDecode",
  url_decode_iis: "urlDecodeUni",
  urlDecodeUni: "urlDecodeUni",
  css_decode: "cssDecode",
  cssDecode: "cssDecode",
  js_decode: "jsDecode",
  jsDecode: "jsDecode",
  html_entity_decode: "htmlEntityDecode",
  htmlEntityDecode: "htmlEntityDecode",
  base64_decode: "base64Decode",
  base64Decode: "base64Decode",
  base64DecodeExt: "base64DecodeExt",
  shell_unescape: "cmdLine",
  cmdLine: "cmdLine",
  remove_comments: "removeComments",
  removeComments: "removeComments",
  unicode_normalize: "unicodeNormalize",
  length: "length",
};

/** Transformers with no wafer transform, and why. */
export const UNSUPPORTED_DDWAF_TRANSFORM: Record<string, string> = {
  base64_encode: "base64_encode has no wafer transform",
  base64Encode: "base64_encode has no wafer transform",
  numerize: "numerize has no wafer transform (deprecated in libddwaf)",
};

/** The transformers that select a piece of the raw URI; the importer turns them into targets. */
export const URI_PART_TRANSFORMERS: Record<string, "path" | "basename" | "query_string"> = {
  url_path: "path",
  _sqr_filename: "path",
  url_basename: "basename",
  _sqr_basename: "basename",
  url_querystring: "query_string",
  _sqr_querystring: "query_string",
};

/** wafer transform → libddwaf name (current spelling), for the exporter. */
export const WAFER_TO_DDWAF_TRANSFORM: Partial<Record<TransformName, string>> = {
  lowercase: "lowercase",
  removeNulls: "remove_nulls",
  compressWhitespace: "compress_whitespace",
  normalizePath: "normalize_path",
  normalizePathWin: "normalize_path_win",
  urlDecode: "url_decode",
  urlDecodeUni: "url_decode_iis",
  cssDecode: "css_decode",
  jsDecode: "js_decode",
  htmlEntityDecode: "html_entity_decode",
  base64Decode: "base64_decode",
  base64DecodeExt: "base64DecodeExt",
  cmdLine: "shell_unescape",
  removeComments: "remove_comments",
  unicodeNormalize: "unicode_normalize",
};
