/**
 * SecLang transformation names (`t:…`, case-insensitive, with ModSecurity's British and
 * historical spellings) → the engine's transform ids (src/engine/abi.ts).
 */
import type { TransformName } from "../engine/abi.js";

const BY_LOWER_NAME: Record<string, TransformName> = {
  lowercase: "lowercase",
  uppercase: "uppercase",
  urldecode: "urlDecode",
  urldecodeuni: "urlDecodeUni",
  htmlentitydecode: "htmlEntityDecode",
  jsdecode: "jsDecode",
  cssdecode: "cssDecode",
  base64decode: "base64Decode",
  base64decodeext: "base64DecodeExt",
  hexdecode: "hexDecode",
  hexencode: "hexEncode",
  sqlhexdecode: "sqlHexDecode",
  removenulls: "removeNulls",
  replacenulls: "replaceNulls",
  removewhitespace: "removeWhitespace",
  compresswhitespace: "compressWhitespace",
  removecomments: "removeComments",
  removecommentschar: "removeCommentsChar",
  replacecomments: "replaceComments",
  normalizepath: "normalizePath",
  normalisepath: "normalizePath",
  normalizepathwin: "normalizePathWin",
  normalisepathwin: "normalizePathWin",
  utf8tounicode: "utf8ToUnicode",
  cmdline: "cmdLine",
  trim: "trim",
  trimleft: "trimLeft",
  trimright: "trimRight",
  length: "length",
  escapeseqdecode: "escapeSeqDecode",
};

/** The engine transform for a SecLang name; `none` for t:none; undefined when it has none. */
export function mapTransform(name: string): TransformName | "none" | undefined {
  const lower = name.toLowerCase();
  if (lower === "none") return "none";
  return BY_LOWER_NAME[lower];
}
