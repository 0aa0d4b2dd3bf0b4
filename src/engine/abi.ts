/**
 * The contract between the TypeScript host and the Wasm hot path.
 * Mirrors assembly/abi.ts; test/abi.test.ts checks that both agree.
 */

/** Bumped whenever the arena layout, pack format or an exported signature changes. */
export const ABI_VERSION = 1;

/** Field kinds: one request is a flat list of fields, each of one kind. */
export const FieldKind = {
  method: 1,
  uriRaw: 2,
  path: 3,
  queryString: 4,
  protocol: 5,
  queryArg: 6,
  header: 7,
  cookie: 8,
  bodyForm: 9,
  bodyJson: 10,
  multipartField: 11,
  multipartFilename: 12,
  multipartHeader: 13,
  bodyRaw: 14,
  clientIp: 15,
  basename: 16,
  jsonKey: 17,
} as const;
export type FieldKindName = keyof typeof FieldKind;
export const FIELD_KIND_COUNT = 18;
export const FIELD_KIND_NAMES: readonly FieldKindName[] = (() => {
  const names: FieldKindName[] = [];
  for (const [name, id] of Object.entries(FieldKind)) names[id] = name as FieldKindName;
  return names;
})();

/** Descriptor flag: the value was cut at a configured limit. */
export const FIELD_FLAG_TRUNCATED = 1 << 8;
/**
 * Descriptor word 0, bits 16..23 / 24..31: with INSPECT_FIELD_SCOPED, the index of the
 * disabled-rule set (route exclusions, src/engine/routes.ts) for this field's value / name.
 */
export const DESC_VALUE_SET_SHIFT = 16;
export const DESC_NAME_SET_SHIFT = 24;

/** inspect() flags (assembly/inspect.ts). */
export const INSPECT_EARLY_EXIT = 1; // stop once blocked (block mode)
export const INSPECT_USE_DISABLED = 2; // consult the per-request disabled-rule sets (routes)
export const INSPECT_VERDICT_CACHE = 4; // skip field parts known to fire no rule
export const INSPECT_FIELD_SCOPED = 8; // descriptors name each part's set (DESC_*_SET_SHIFT); else set 0 for all

/** Bytes per descriptor: kind|flags, nameOff, nameLen, valueOff, valueLen, reserved. */
export const DESC_SIZE = 24;

/** Transform ids. A chain is up to MAX_CHAIN ids applied in order. */
export const Transform = {
  none: 0,
  lowercase: 1,
  urlDecode: 2,
  urlDecodeUni: 3,
  htmlEntityDecode: 4,
  jsDecode: 5,
  cssDecode: 6,
  base64Decode: 7,
  hexDecode: 8,
  sqlHexDecode: 9,
  removeNulls: 10,
  removeWhitespace: 11,
  compressWhitespace: 12,
  removeComments: 13,
  replaceComments: 14,
  normalizePath: 15,
  normalizePathWin: 16,
  utf8ToUnicode: 17,
  cmdLine: 18,
  trim: 19,
  length: 20,
  shellUnescape: 21,
  unicodeNormalize: 22,
  trimLeft: 23,
  trimRight: 24,
  replaceNulls: 25,
  base64DecodeExt: 26,
  escapeSeqDecode: 27,
  uppercase: 28,
  removeCommentsChar: 29,
  hexEncode: 30,
} as const;
export type TransformName = keyof typeof Transform;
export const TRANSFORM_COUNT = 31;
export const MAX_CHAIN = 8;
