// The contract between the TypeScript host and the Wasm hot path.
// Mirrored in src/engine/abi.ts; a test checks both agree. Change both or neither.

/** Bumped whenever the layout below, the pack format or an exported signature changes. */
export const ABI_VERSION: u32 = 1;

// ---- Field kinds (descriptor word 0, low 8 bits) ----
// One request is a flat list of fields. Selectors in a pack address fields by kind
// (a bit in a u32 mask) and optionally by name.
export const FIELD_METHOD: u32 = 1;
export const FIELD_URI_RAW: u32 = 2;          // request target exactly as received
export const FIELD_PATH: u32 = 3;             // percent-decoded, normalised path
export const FIELD_QUERY_STRING: u32 = 4;     // raw query string without '?'
export const FIELD_PROTOCOL: u32 = 5;         // e.g. HTTP/1.1
export const FIELD_QUERY_ARG: u32 = 6;        // name/value, decoded (+ as space)
export const FIELD_HEADER: u32 = 7;           // lower-cased name, value
export const FIELD_COOKIE: u32 = 8;           // name/value
export const FIELD_BODY_FORM: u32 = 9;        // urlencoded body argument
export const FIELD_BODY_JSON: u32 = 10;       // JSON leaf: name = JSON path, value = leaf text
export const FIELD_MULTIPART_FIELD: u32 = 11; // multipart part value, name = part name
export const FIELD_MULTIPART_FILENAME: u32 = 12;
export const FIELD_MULTIPART_HEADER: u32 = 13; // part header: name = header name
export const FIELD_BODY_RAW: u32 = 14;        // raw body bytes (up to the limit)
export const FIELD_CLIENT_IP: u32 = 15;
export const FIELD_BASENAME: u32 = 16;        // last path segment
export const FIELD_JSON_KEY: u32 = 17;        // JSON object key (value = key text)
export const FIELD_KIND_COUNT: u32 = 18;

// ---- Field flags (descriptor word 0, bits 8..15) ----
export const FIELD_FLAG_TRUNCATED: u32 = 1 << 8; // value was cut at a limit
// ---- Route exclusion sets (descriptor word 0, bits 16..31) ----
// With INSPECT_FIELD_SCOPED, which of the request's disabled-rule bitsets applies to this
// field's value (bits 16..23) and to its name (bits 24..31); 0: the route's set for every part.
export const DESC_VALUE_SET_SHIFT: u32 = 16;
export const DESC_NAME_SET_SHIFT: u32 = 24;

// ---- Descriptor table: one record per field, 6 x u32 = 24 bytes ----
// [0] kind | flags   [1] name offset  [2] name length
// [3] value offset   [4] value length [5] 0, or FORM_ENCODED (form-decode.ts) while the
//     host's batch awaits formDecodeFields
// Offsets are relative to the start of the request arena.
export const DESC_SIZE: u32 = 24;

// ---- Transform ids (a chain is up to 8 ids; 0 ends a chain) ----
export const T_NONE: u8 = 0;
export const T_LOWERCASE: u8 = 1;
export const T_URL_DECODE: u8 = 2;
export const T_URL_DECODE_UNI: u8 = 3;
export const T_HTML_ENTITY_DECODE: u8 = 4;
export const T_JS_DECODE: u8 = 5;
export const T_CSS_DECODE: u8 = 6;
export const T_BASE64_DECODE: u8 = 7;
export const T_HEX_DECODE: u8 = 8;
export const T_SQL_HEX_DECODE: u8 = 9;
export const T_REMOVE_NULLS: u8 = 10;
export const T_REMOVE_WHITESPACE: u8 = 11;
export const T_COMPRESS_WHITESPACE: u8 = 12;
export const T_REMOVE_COMMENTS: u8 = 13;
export const T_REPLACE_COMMENTS: u8 = 14;
export const T_NORMALIZE_PATH: u8 = 15;
export const T_NORMALIZE_PATH_WIN: u8 = 16;
export const T_UTF8_TO_UNICODE: u8 = 17;
export const T_CMD_LINE: u8 = 18;
export const T_TRIM: u8 = 19;
export const T_LENGTH: u8 = 20;
export const T_SHELL_UNESCAPE: u8 = 21;
export const T_UNICODE_NORMALIZE: u8 = 22;
export const T_TRIM_LEFT: u8 = 23;
export const T_TRIM_RIGHT: u8 = 24;
export const T_REPLACE_NULLS: u8 = 25;
export const T_BASE64_DECODE_EXT: u8 = 26;
export const T_ESCAPE_SEQ_DECODE: u8 = 27;
export const T_UPPERCASE: u8 = 28;
export const T_REMOVE_COMMENTS_CHAR: u8 = 29;
export const T_HEX_ENCODE: u8 = 30;
export const TRANSFORM_COUNT: u8 = 31;
export const MAX_CHAIN: u32 = 8;
