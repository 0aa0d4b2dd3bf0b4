/**
 * The binary pack image (.wpk). Little-endian, every record 4-byte aligned, offsets only
 * (all offsets are from the start of the image). Loading is a bounds-checked copy into
 * Wasm memory; the Wasm side reads records in place (assembly/pack.ts mirrors this file).
 *
 * Layout:
 *   header (64 bytes)
 *     0  magic "WAFRPACK"          8  u16 format version      10 u16 engine ABI version
 *     12 u32 flags                 16 u32 total length         20 u32 checksum (src/pack/checksum.ts: lane-wise Fletcher sum, this field as zero)
 *     24 u32 section count         28 u32 rule count           32 u32 group count
 *     36 u32 default threshold     40 u32 meta offset          44 u32 meta length
 *     48 u32 prefilter automaton offset (0 = none: one Aho–Corasick over every prefiltered
 *        literal of every group; each hit names its rule, the rule names its group)
 *     52 u32 offset of the prefilter's shift-or front end (0 = none): 4,096 u64 cells, see
 *        src/pack/front-end.ts (since format version 3)
 *     56..63 reserved (0)
 *   section directory: section count × { u32 id, u32 offset, u32 length, u32 count }
 *   sections: RULES, GROUPS, SELECTORS, BLOB (automata, lists, strings), META (JSON, host only),
 *   and, only when some rule needs it, CONFIRM (host only): the exact NFAs of regexes whose
 *   DFA is over the state budget (src/regex/nfa-format.ts, each 4-byte aligned; a rule's
 *   meta `confirm.nfa` gives its offset from the section's start), which the host runs as a
 *   lazy DFA on the candidates the Wasm side's over-approximation lets through
 *
 * RULES: RULE_SIZE bytes per rule (top-level rules first, then chain conditions):
 *   0 u8 operator   1 u8 flags   2 u8 paranoia   3 u8 action
 *   4 u16 group (transform chain index)   6 u16 logical rule (index of the first `base#…` part; itself otherwise)
 *   8 u32 value kind mask   12 u32 name kind mask
 *   16 u32 selectors offset   20 u32 selector count
 *   24 u32 argument offset    28 u32 argument length   (automaton, string or list in BLOB)
 *   32 u32 score   36 u32 first condition (rule index)   40 u32 condition count
 *   44 i32 numeric argument; for `rx`: offset of the regex's required-byte set in BLOB (32
 *      bytes, src/regex/required-bytes.ts; the walk is skipped on values holding none), 0 none
 *
 * GROUPS: GROUP_SIZE bytes per transform chain used by top-level rules:
 *   0 u8[8] transform ids (0 ends the chain)
 *   8 u32 value kind mask   12 u32 name kind mask   (fields this group must look at)
 *   16 u32 name filter offset (0 = none): u32 kinds read whole (values), u32 (names),
 *      u32 count, then count selector-shaped entries naming the only fields of the other
 *      kinds the group reads (e.g. header user-agent); other fields of those kinds skip it
 *   20 u32 "always" list offset   24 u32 always count (rules evaluated on every targeted field)
 *   28 u32 walk gates offset (0 = none, as older compilers wrote: every walk runs):
 *      u32 slots 0–31, u32 slots 32–63 (slot = kind × 2 + part; a bit per slot some
 *      prefiltered rule of the group may read), then per set bit in order u32 offset of a
 *      32-byte byte set, 0 for none; see src/pack/walk-gates.ts
 *
 * SELECTORS: SELECTOR_SIZE bytes each: u8 kind, u8 part (0 value, 1 name), u8 mode
 *   (0 include, 1 exclude), u8 match (0 exact name, 1 name regex DFA), u32 offset, u32 length.
 *
 * Literal automaton (Aho–Corasick over literal prefixes; see src/pack/aho-corasick.ts). The
 * image holds the trie; the engine derives failure links and the dense DFA (a 1,040-byte
 * header, then per state a row of u16 cells, classes rounded up to 16:
 * assembly/matcher/aho-corasick-table.ts) in its own memory at activation, so the table never travels in the image:
 *   0 u32 states   4 u32 classes   8 u32 first output state   12 u32 prefix groups
 *   16 u32 patterns   20 u32 offset of the output records (from the automaton's start)
 *   24 u32 shortest literal (shorter inputs skip the walk)   28 u32 prefix length K (≤ 16)
 *   32 u8[256] byte → class (ASCII case folded)
 *   288 trie: u16 first edge per state (states + 1 entries, the last = edge count =
 *       states − 1), u16 child state per edge, u8 class per edge; every state but the root
 *       is the child of exactly one edge; padding to 4
 *   per output state (states ≥ first output, in order): u32 absolute offset of its prefix
 *       group (0 none), u32 dictionary link (state id of the nearest proper suffix state with
 *       output, 0xFFFFFFFF none)
 *   prefix groups: u32 member count, u32 prefix length, u32 absolute offsets of pattern records
 *   patterns (16 bytes): u32 length, u32 hits offset, u32 hit count, u32 offset of the folded
 *       literal (verified past the prefix; 0 when the literal is no longer than its prefix)
 *   hits: u32 rule, u32 flags (HIT_*), u32 offset of the exact literal (case-sensitive hits)
 */

export const MAGIC = "WAFRPACK";
export const FORMAT_VERSION = 3;
export const HEADER_SIZE = 64;
export const SECTION_ENTRY_SIZE = 16;
export const RULE_SIZE = 48;
export const GROUP_SIZE = 32;
export const SELECTOR_SIZE = 12;
export const AC_HEADER_SIZE = 288;
/**
 * The engine pads each row of a literal automaton's derived table to a multiple of this many
 * cells (assembly/matcher/aho-corasick-table.ts acRowCells) and caps a table at 1 Mi padded
 * cells (assembly/pack.ts MAX_AC_CELLS).
 */
export const AC_ROW_CELLS = 16;
/** The prefilter's shift-or front end: 4,096 u64 cells (src/pack/front-end.ts). */
export const FRONT_END_BYTES = 4096 * 8;

export const Section = { rules: 1, groups: 2, selectors: 3, blob: 4, meta: 5, confirm: 6 } as const;
/** Directory entries the compiler leaves room for (one per section id). */
export const SECTION_IDS = 6;

/** Operator codes (u8); assembly/pack.ts mirrors them. */
export const Op = {
  contains: 1, pm: 2, beginsWith: 3, endsWith: 4, streq: 5, rx: 6, within: 7,
  eq: 8, gt: 9, ge: 10, lt: 11, le: 12, ipMatch: 13, detectSQLi: 14, detectXSS: 15,
  validateUrlEncoding: 16, validateUtf8: 17, byteRange: 18, exists: 19, always: 20,
} as const;
export type OpName = keyof typeof Op;

export const RuleFlag = {
  negate: 1,
  /** A chain condition, never evaluated on its own. */
  condition: 2,
  /** The Wasm automaton over-approximates; the host confirms with RegExp. */
  needsConfirm: 4,
  /** Found through the group's literal automaton; evaluated only on candidates. */
  prefiltered: 8,
  /** Literal operators compare case-sensitively (confirmed against exact bytes). */
  caseSensitive: 16,
} as const;

export const ActionCode = { score: 0, block: 1, log: 2, allow: 3 } as const;

/** Literal hit flags: how a literal hit relates to its rule. */
export const HitFlag = {
  /** The literal is the whole operator: a hit (with anchors checked) fires the rule. */
  direct: 1,
  anchorStart: 2,
  anchorEnd: 4,
  caseSensitive: 8,
} as const;
