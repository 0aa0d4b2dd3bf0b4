// Offsets of the binary pack image; mirrors src/pack/format.ts (a test checks they agree).

export const PACK_FORMAT_VERSION: u32 = 3;
export const HEADER_SIZE: u32 = 64;
export const SECTION_ENTRY_SIZE: u32 = 16;
export const RULE_SIZE: u32 = 48;
export const GROUP_SIZE: u32 = 32;
export const SELECTOR_SIZE: u32 = 12;
export const AC_HEADER_SIZE: u32 = 288;
export const FRONT_END_BYTES: u32 = 32768;
export const IP_ENTRY_SIZE: u32 = 20;

export const SECTION_RULES: u32 = 1;
export const SECTION_GROUPS: u32 = 2;
export const SECTION_SELECTORS: u32 = 3;
export const SECTION_BLOB: u32 = 4;
export const SECTION_META: u32 = 5;
/** Host only (the NFAs of regexes over the DFA budget, src/pack/format.ts): the engine never reads it. */
export const SECTION_CONFIRM: u32 = 6;

// Rule record fields.
export const R_OP: u32 = 0;
export const R_FLAGS: u32 = 1;
export const R_PARANOIA: u32 = 2;
export const R_ACTION: u32 = 3;
export const R_GROUP: u32 = 4;
export const R_LOGICAL: u32 = 6; // u16: rules sharing it fire at most once together
export const R_VALUE_MASK: u32 = 8;
export const R_NAME_MASK: u32 = 12;
export const R_SEL_OFF: u32 = 16;
export const R_SEL_COUNT: u32 = 20;
export const R_ARG_OFF: u32 = 24;
export const R_ARG_LEN: u32 = 28;
export const R_SCORE: u32 = 32;
export const R_COND_FIRST: u32 = 36;
export const R_COND_COUNT: u32 = 40;
export const R_NUMERIC: u32 = 44;

// Group record fields.
export const G_VALUE_MASK: u32 = 8;
export const G_NAME_MASK: u32 = 12;
export const G_AC: u32 = 16;
export const G_NAME_FILTER: u32 = 16;
export const G_ALWAYS_OFF: u32 = 20;
export const G_ALWAYS_COUNT: u32 = 24;
export const G_GATES: u32 = 28; // walk gates (src/pack/walk-gates.ts), 0 none

// Operators.
export const OP_CONTAINS: u32 = 1;
export const OP_PM: u32 = 2;
export const OP_BEGINS_WITH: u32 = 3;
export const OP_ENDS_WITH: u32 = 4;
export const OP_STREQ: u32 = 5;
export const OP_RX: u32 = 6;
export const OP_WITHIN: u32 = 7;
export const OP_EQ: u32 = 8;
export const OP_GT: u32 = 9;
export const OP_GE: u32 = 10;
export const OP_LT: u32 = 11;
export const OP_LE: u32 = 12;
export const OP_IP_MATCH: u32 = 13;
export const OP_DETECT_SQLI: u32 = 14;
export const OP_DETECT_XSS: u32 = 15;
export const OP_VALIDATE_URL_ENCODING: u32 = 16;
export const OP_VALIDATE_UTF8: u32 = 17;
export const OP_BYTE_RANGE: u32 = 18;
export const OP_EXISTS: u32 = 19;
export const OP_ALWAYS: u32 = 20;
export const OP_MAX: u32 = 20;

// Rule flags.
export const RF_NEGATE: u32 = 1;
export const RF_CONDITION: u32 = 2;
export const RF_NEEDS_CONFIRM: u32 = 4;
export const RF_PREFILTERED: u32 = 8;
export const RF_CASE_SENSITIVE: u32 = 16;

// Actions.
export const ACTION_SCORE: u32 = 0;
export const ACTION_BLOCK: u32 = 1;
export const ACTION_LOG: u32 = 2;
export const ACTION_ALLOW: u32 = 3;

// Literal hit flags.
export const HIT_DIRECT: u32 = 1;
export const HIT_ANCHOR_START: u32 = 2;
export const HIT_ANCHOR_END: u32 = 4;
export const HIT_CASE_SENSITIVE: u32 = 8;
