// The active signature pack: two slots in linear memory, one active, one for the next
// update. Activation validates the whole image (checksum, every offset and length) once,
// so the hot path can read records in place without bounds checks.

import { deriveOutputSlots } from "./output-slots";
import { ABI_VERSION } from "./abi";
import { disabledCap } from "./regions";
import {
  AC_HEADER_SIZE, FRONT_END_BYTES, GROUP_SIZE, G_ALWAYS_COUNT, G_ALWAYS_OFF, G_GATES, G_NAME_FILTER, G_NAME_MASK, G_VALUE_MASK, HEADER_SIZE, IP_ENTRY_SIZE,
  OP_BYTE_RANGE, OP_IP_MATCH, OP_MAX, OP_RX, OP_WITHIN, PACK_FORMAT_VERSION, RULE_SIZE,
  R_ARG_LEN, R_ARG_OFF, R_COND_COUNT, R_COND_FIRST, R_GROUP, R_LOGICAL, R_NAME_MASK, R_NUMERIC, R_OP, R_PARANOIA, R_SEL_COUNT, R_SEL_OFF, R_VALUE_MASK,
  SECTION_ENTRY_SIZE, SECTION_GROUPS, SECTION_META, SECTION_RULES, SECTION_SELECTORS,
  SELECTOR_SIZE,
} from "./pack-layout";
import { packChecksum } from "./checksum";
import { AC_DELETING_MAP_BYTES, acDerive, acDeriveDeletingMap, acDerivedBytes } from "./matcher/aho-corasick-derive";
import { acRowCells } from "./matcher/aho-corasick-table";
import { dfaDerive, dfaDerivedBytes } from "./matcher/dfa-derive";
import { ALWAYS, triggerMask } from "./transform-triggers";
import { verdictCacheClear } from "./verdict-cache";
import { partPlanMemoClear } from "./part-plan-memo";
import { T_LOWERCASE } from "./abi";

// Error codes returned by packActivate; src/engine/pack-errors.ts turns them into messages.
export const PACK_OK: u32 = 0;
export const PACK_TOO_SHORT: u32 = 1;
export const PACK_BAD_MAGIC: u32 = 2;
export const PACK_BAD_FORMAT: u32 = 3;
export const PACK_BAD_ABI: u32 = 4;
export const PACK_BAD_LENGTH: u32 = 5;
export const PACK_BAD_CHECKSUM: u32 = 6;
export const PACK_BAD_SECTION: u32 = 7;
export const PACK_BAD_RULE: u32 = 8;
export const PACK_BAD_GROUP: u32 = 9;
export const PACK_BAD_SELECTOR: u32 = 10;
export const PACK_BAD_AUTOMATON: u32 = 11;
export const PACK_BAD_REGEX: u32 = 13;
export const PACK_TABLES_TOO_LARGE: u32 = 14;
export const PACK_NO_SLOT: u32 = 12;

// The active pack, read by the hot path.
export let packBase: usize = 0;
export let packLen: u32 = 0;
export let rulesBase: usize = 0;
export let ruleCount: u32 = 0;   // top-level rules
export let totalRules: u32 = 0;  // including chain conditions
/** Bytes per disabled-rule bitset (route exclusions): a bit per top-level rule, in 8-byte words. */
export let disabledStride: u32 = 0;
export let groupsBase: usize = 0;
export let groupCount: u32 = 0;
export let threshold: u32 = 0;

/** The pack's one literal automaton (absolute address), or 0, and its dense table. */
export let prefilterAc: usize = 0;
export let prefilterTable: usize = 0;
/**
 * The byte maps of a deleting walk over the pack-wide automaton (aho-corasick-derive.ts
 * acDeriveDeletingMap): at this address whitespace reads as absent, AC_DELETING_MAP_BYTES
 * further whitespace and `+`; 0 when its rows have no stay column.
 */
export let prefilterDeleting: usize = 0;
let deletingMap: usize = 0;
/** Test hook, taken at activation: no deleting walk (every class computes its own input). */
let hookNoDeletingWalk = false;
export function packDeletingWalkHook(off: bool): void { hookNoDeletingWalk = off; }
/** u32 per rule: the derived table of the rule's own literal automaton or regex DFA, or 0. */
export let ruleTables: usize = 0;
/** u32 per record of the SELECTORS section: the derived DFA of a name-regex selector, or 0. */
export let selectorTables: usize = 0;
export let selectorsBase: usize = 0;

// Tables derived at activation from the compact forms in the image (literal tries, regex
// DFAs with plain state ids): one arena per slot, laid out as u32 prefilter table address,
// u32 per rule, u32 per selector, then the tables.
const slotTables = new StaticArray<usize>(2);
const slotTablesCap = new StaticArray<usize>(2);
/**
 * Bytes of derived tables per pack. A regex table derives to at most 4× its image bytes
 * (u8 ids → u32 offsets); a literal table is capped per automaton (MAX_AC_CELLS; the compiler
 * stays ≤ 256 Ki cells unless a large literal set needs up to this cap to keep a prefix of 4+
 * bytes: src/pack/aho-corasick.ts MAX_CELLS_LARGE). The whole CRS at paranoia 4 derives ~28 MB; past this cap the pack
 * is refused with PACK_TABLES_TOO_LARGE instead of failing to grow memory mid-activation.
 */
const MAX_DERIVED_BYTES: u64 = 128 << 20;
const MAX_AC_CELLS: u64 = 1 << 20;
let derivedBytes: u64 = 0;

// Transform classes, derived from the groups at activation: a class is a group's chain
// without a trailing lowercase (the literal automaton folds case, so those groups can share
// one walk). Groups are sorted by chain, so a class's groups are contiguous.
// Per class: 0 u8[8] chain (0-terminated)  8 u32 value mask  12 u32 name mask
//            16 u32 trigger union (ALWAYS if any transform always runs)  20 u32 first group  24 u32 group count
//            28 u32 lowest paranoia of its groups' always-run rules (255 if none)
//            32 u32 kinds whose values, 36 u32 kinds whose names its groups' always-run rules may read
export const CLASS_SIZE: u32 = 40;
export let classBase: usize = 0;
export let classCount: u32 = 0;
export let groupClass: usize = 0; // u32 class index per group
export let classState: usize = 0; // u8 per class, scratch for the inspect loop
export let classWalk: usize = 0;  // u32 per class: the class whose walk serves it (inspect loop)
export let classInput: usize = 0; // per class: u32 ptr, u32 len, u32 chain stamp of its stored input, u32 0 (inspect loop)
// The leaders of the current field part (inspect loop): per leader, u64 the transforms of its
// chain that may act on the value, u32 its class.
export let leaderTails: usize = 0;
export let leaderClasses: usize = 0;
export let groupCandidateEpoch: usize = 0; // u32 per group: the walk that last gave it a candidate
export let classCandidateEpoch: usize = 0; // u32 per class: the walk that last gave one of its groups a candidate
export let groupWants: usize = 0; // u32 per group: the field part (partEpoch) it last read (inspect loop)
export let groupAlwaysParanoia: usize = 0; // u8 per group: lowest paranoia of its always-run rules, 255 if none
export let partClasses: usize = 0; // u32 per class: the classes the current field part needs (inspect loop)
export let ownClasses: usize = 0; // u32 per class: those of them not walking the raw value (inspect loop)
let classCap: u32 = 0;

// The read plan, derived at activation so that a field part touches only the groups that
// read its kind: per (kind, part) slot, u32 count then u32 group indexes in group order
// (a class's groups stay contiguous), PLAN_NAMED set when the group reads only some names
// of the kind (its name filter decides per field).
export const PLAN_NAMED: u32 = 0x80000000;
export let planBase: usize = 0;
export let planStride: u32 = 0; // bytes per slot
/**
 * Per slot whose groups all read the kind whole (no name filter decides): u32 count, then
 * its classes, ascending — the inspect loop takes this list as is, per field part. Count
 * PLAN_DYNAMIC when a name filter must decide per field.
 */
export let planClassesBase: usize = 0;
export const PLAN_DYNAMIC: u32 = 0xffffffff;
/**
 * Per slot: u32 count, then the classes, ascending, of its groups whose always-run rules may
 * read the kind (class kinds at 32/36): with the classes that got a candidate from a walk,
 * the only ones evaluateClassGroups can have work for.
 */
export let planAlwaysBase: usize = 0;
/**
 * Per PLAN_DYNAMIC slot: u32 count (PLAN_DYNAMIC when too many to list), then u32 image
 * offsets of name-filter entries, one per distinct name the slot's filters read; and u32
 * count, then the classes of the groups that read the kind whole, ascending. A field whose
 * name is none of those (most headers) is read by exactly those groups.
 */
export let planNamesBase: usize = 0;
export let planWholeBase: usize = 0;
/** u32 per class: the classes that got a candidate from the current walk, in hit order (inspect loop). */
export let candidateClasses: usize = 0;

// Per-rule state for one request, reused across requests through epochs (no clearing).
export let ruleStateBase: usize = 0; // per rule: u32 candidate epoch, u32 decided epoch
export let candidateList: usize = 0; // u32 rule indexes
/**
 * Per rule, RULE_KEYS_SIZE bytes: u64 for values and u64 for names, a bit per (kind, name
 * length, first and last name byte) that one of its selectors may match (selectorKey; every
 * bit for a name regex); then u32 for values and u32 for names, a bit per kind some selector
 * names. A field whose kind bit or key bit is clear matches none of them: targets() skips
 * the selector loop.
 */
export let ruleSelectorKeys: usize = 0;
export const RULE_KEYS_SIZE: u32 = 32;
let ruleStateCap: u32 = 0;

// Two slots: the active one and the one the next update is written into.
const slotPtr = new StaticArray<usize>(2);
const slotCap = new StaticArray<u32>(2);
let active: i32 = -1;
let staged: i32 = -1;
/** Index of the rule, group or automaton that failed validation (for the error message). */
export let packErrorDetail: u32 = 0;

/** Returns a buffer of `len` bytes in the inactive slot for the host to copy an image into. */
export function packReserve(len: u32): usize {
  const slot = active == 0 ? 1 : 0;
  if (unchecked(slotCap[slot]) < len) {
    // Grow to the next power of two so repeated updates of similar size reuse the slot.
    let cap: u32 = 4096;
    while (cap < len) cap <<= 1;
    unchecked((slotPtr[slot] = heap.alloc(<usize>cap + 16)));
    unchecked((slotCap[slot] = cap));
  }
  staged = slot;
  return unchecked(slotPtr[slot]);
}

/**
 * Validates the staged image and makes it active. The previous pack stays in the other slot.
 *
 * `builtChecksum` is 0 except for the default pack the host's bundle was built with: the
 * build ran this validation on that image (scripts/build.mjs refuses to ship one that fails)
 * and pinned its checksum into the bundle, which passes it here for those bytes only (never
 * for a pack a user hands over: src/engine/built-pack.ts). When the image's checksum is that
 * value, its structure is the one already validated, and only the header and the checksum are
 * checked again (a corrupted or replaced file still fails or is validated in full). Deriving
 * the tables keeps its own checks either way. Saves ~0.3 ms of every cold start, and a
 * background TurboFan compile of validOutputs.
 */
export function packActivate(len: u32, builtChecksum: u32): u32 {
  if (staged < 0) return PACK_NO_SLOT;
  const base = unchecked(slotPtr[staged]);
  const code = validate(base, len, staged, builtChecksum);
  if (code != PACK_OK) return code;
  use(base, len, staged);
  active = staged;
  staged = -1;
  return PACK_OK;
}

/** Switches back to the pack in the other slot, if it is still intact. 0 on success. */
export function packRollback(): u32 {
  const other = active == 0 ? 1 : 0;
  if (active < 0 || unchecked(slotCap[other]) == 0) return PACK_NO_SLOT;
  const base = unchecked(slotPtr[other]);
  const len = load<u32>(base + 16);
  if (len > unchecked(slotCap[other]) || validate(base, len, other, 0) != PACK_OK) return PACK_NO_SLOT;
  use(base, len, other);
  active = other;
  return PACK_OK;
}

function use(base: usize, len: u32, slot: i32): void {
  // Verdicts and part plans were the old pack's.
  verdictCacheClear();
  partPlanMemoClear();
  const tables = unchecked(slotTables[slot]);
  prefilterTable = load<u32>(tables);
  ruleTables = tables + 4;
  selectorTables = ruleTables + <usize>sectionCount(base, SECTION_RULES) * 4;
  selectorsBase = base + sectionOffset(base, SECTION_SELECTORS);
  packBase = base;
  packLen = len;
  ruleCount = load<u32>(base + 28);
  disabledStride = ((ruleCount + 63) >> 6) << 3;
  groupCount = load<u32>(base + 32);
  threshold = load<u32>(base + 36);
  rulesBase = base + sectionOffset(base, SECTION_RULES);
  totalRules = sectionCount(base, SECTION_RULES);
  groupsBase = base + sectionOffset(base, SECTION_GROUPS);
  const prefilter = load<u32>(base + 48);
  prefilterAc = prefilter == 0 ? 0 : base + prefilter;
  if (deletingMap == 0) deletingMap = heap.alloc(2 * AC_DELETING_MAP_BYTES);
  prefilterDeleting = prefilterAc != 0 && !hookNoDeletingWalk && acDeriveDeletingMap(prefilterAc, prefilterTable, deletingMap) ? deletingMap : 0;
  deriveClasses();
  if (totalRules > ruleStateCap) {
    let cap: u32 = 256;
    while (cap < totalRules) cap <<= 1;
    ruleStateBase = heap.alloc(<usize>cap * 8);
    memory.fill(ruleStateBase, 0, <usize>cap * 8);
    candidateList = heap.alloc(<usize>cap * 4);
    ruleSelectorKeys = heap.alloc(<usize>cap * RULE_KEYS_SIZE);
    ruleStateCap = cap;
  }
  deriveSelectorKeys();
  deriveOutputSlots(prefilterAc, packBase, rulesBase, ruleSelectorKeys, RULE_KEYS_SIZE);
  deriveNameIds();
}

/** Per rule: the kinds and (kind, name) keys its selectors may match, for values and for names. */
function deriveSelectorKeys(): void {
  for (let r: u32 = 0; r < totalRules; r++) {
    const rule = rulesBase + <usize>r * RULE_SIZE;
    const sels = packBase + load<u32>(rule + R_SEL_OFF);
    const count = load<u32>(rule + R_SEL_COUNT);
    let valueKeys: u64 = 0;
    let nameKeys: u64 = 0;
    let valueKinds: u32 = 0;
    let nameKinds: u32 = 0;
    for (let i: u32 = 0; i < count; i++) {
      const sel = sels + <usize>i * SELECTOR_SIZE;
      const kind = <u32>load<u8>(sel);
      const keys: u64 = load<u8>(sel + 3) == 1 ? 0xffffffffffffffff : selectorKey(kind, load<u32>(sel + 8), packBase + load<u32>(sel + 4));
      if (load<u8>(sel + 1) == 0) {
        valueKeys |= keys;
        valueKinds |= 1 << (kind & 31);
      } else {
        nameKeys |= keys;
        nameKinds |= 1 << (kind & 31);
      }
    }
    const at = ruleSelectorKeys + <usize>r * RULE_KEYS_SIZE;
    store<u64>(at, valueKeys);
    store<u64>(at + 8, nameKeys);
    store<u32>(at + 16, valueKinds);
    store<u32>(at + 20, nameKinds);
  }
}

/**
 * The bit of a field of `kind` whose name is the `len` bytes at `name`: a name selector
 * matches only names of its length, first and last byte (foldAscii, as nameEquals
 * compares). Length alone left common header names (4–16 bytes) on the few bits a rule's
 * exclusion list already set, so most headers still ran its selector loop.
 */
// @ts-ignore: decorator
@inline export function selectorKey(kind: u32, len: u32, name: usize): u64 {
  let h = kind * 31 + len;
  if (len > 0) h = (h * 31 + foldAscii(<u32>load<u8>(name))) * 31 + foldAscii(<u32>load<u8>(name + len - 1));
  return <u64>1 << <u64>((h ^ (h >> 6)) & 63);
}

/** ASCII upper case to lower case, other bytes unchanged: how names are compared (inspect.ts nameEquals) and keyed. */
// @ts-ignore: decorator
@inline export function foldAscii(b: u32): u32 { return b - 0x41 < 26 ? b | 0x20 : b; }

// Field-name ids, derived at activation so that the inspect loop asks once per field which
// of the pack's plain names (selector names, name-filter entries) the field carries, and
// then answers every rule's, group's and class's "may it read this field part?" with one bit.
// Ids 0–31: a name of that kind that no plain selector or filter of the pack names; from 32:
// the distinct (kind, name bytes) pairs listed. A name is found by hash, then compared byte
// for byte (foldAscii on the field's side, as nameEquals), so no name can pose as another;
// the probe is bounded by the table's longest run, fixed at activation.
// Past MAX_LISTED_NAMES the ids are off: every field gets its kind's id, every rule takes the
// selector loop (targets) and group and class bits are their kind masks.
const MAX_LISTED_NAMES: u32 = 1024;
/** Bytes of named plans at most (deriveNamedPlans). */
const MAX_NAMED_PLAN_BYTES: u32 = 1 << 18;
const NAME_SLOTS: u32 = 4096; // open addressing, load ≤ 1/4
/** Per slot: u32 id + 1 (0: empty), u32 the name's hash (allocated at the first activation). */
let nameSlots: usize = 0;
/** Per listed id (from 32): u32 image offset of a record with u8 kind at 0, u32 name offset at 4, u32 length at 8. */
let nameRecords: usize = 0;
/** Test hooks, taken at activation: ANDed into every name hash (0: all names collide), a cap on listed names, and on named plans' bytes. */
let hookHashMask: u32 = 0xffffffff;
let hookNameCap: u32 = MAX_LISTED_NAMES;
let hookPlanBytes: u32 = MAX_NAMED_PLAN_BYTES;
/** The active pack's: its hash mask and cap (the hooks' values when it was activated). */
let nameHashMask: u32 = 0xffffffff;
let listedNameCap: u32 = MAX_LISTED_NAMES;
/** Ids in use (32 + listed names); u32 words per bitset over them (a power of two) and log2 of a record's bytes (two bitsets). */
export let nameIdCount: u32 = 32;
export let nameWords: u32 = 1;
export let nameRecordShift: u32 = 3;
let nameIdsOn = false;
/** Kinds with a listed name (bit per kind): a field of another kind takes its kind's id unhashed. */
let listedKinds: u32 = 0;
/**
 * Bitsets over name ids, nameWords u32 each, per (record, part) with part 0 values, 1 names:
 * per rule, whether targets() selects a field part of that id (rules whose RK_SLOW is 0:
 * others have a name regex, or ids are off, and take targets); per group, whether any of its
 * always-run rules may select it; per class, whether any of its groups' may.
 */
export let ruleNameBits: usize = 0;
export let groupNameBits: usize = 0;
export let classNameBits: usize = 0;
let nameBitsCap: usize = 0;
/** In a rule's RULE_KEYS record: u32, 1 when its name bits are not kept (see ruleNameBits). */
export const RK_SLOW: u32 = 24;

/** Test hook: every name hashes alike (true), so only bytes tell names apart; `cap` listed names at most (ids off past it). Next activation. */
export function packNameIdsHook(collide: bool, cap: u32, planBytes: u32): void {
  hookHashMask = collide ? 0 : 0xffffffff;
  hookNameCap = cap < MAX_LISTED_NAMES ? cap : MAX_LISTED_NAMES;
  hookPlanBytes = planBytes < MAX_NAMED_PLAN_BYTES ? planBytes : MAX_NAMED_PLAN_BYTES;
}

/** Test hook: ids in use by the active pack (32 + listed names; 32 when ids are off). */
export function packNameIdCount(): u32 {
  return nameIdCount;
}

function nameHash(kind: u32, name: usize, len: u32): u32 {
  let h = (kind + 1) * 0x9e3779b1 ^ len * 0x85ebca6b;
  if (len > 0) h ^= foldAscii(<u32>load<u8>(name)) | foldAscii(<u32>load<u8>(name + (len >> 1))) << 8 | foldAscii(<u32>load<u8>(name + len - 1)) << 16;
  h ^= h >> 15;
  h *= 0x2c1b3c6d;
  h ^= h >> 12;
  return h & nameHashMask;
}

/** The id of a field of `kind` named by the `len` bytes at `name`. */
export function nameIdOf(kind: u32, name: usize, len: u32): u32 {
  if (((listedKinds >> kind) & 1) == 0) return kind;
  const h = nameHash(kind, name, len);
  let s = h & (NAME_SLOTS - 1);
  while (true) {
    const at = nameSlots + <usize>s * 8;
    const v = load<u32>(at);
    if (v == 0) break;
    if (load<u32>(at + 4) == h) {
      const e = packBase + load<u32>(nameRecords + <usize>(v - 33) * 4);
      if (<u32>load<u8>(e) == kind && load<u32>(e + 8) == len) {
        const stored = packBase + load<u32>(e + 4);
        let i: u32 = 0;
        while (i < len && foldAscii(<u32>load<u8>(name + i)) == <u32>load<u8>(stored + i)) i++;
        if (i == len) return v - 1;
      }
    }
    s = (s + 1) & (NAME_SLOTS - 1);
  }
  return kind;
}

/** Gives the record's (kind, name bytes) an id unless it has one; false past the cap. */
function listName(e: usize): bool {
  if (listedId(e) != NO_ID) return true;
  const kind = <u32>load<u8>(e);
  const h = nameHash(kind, packBase + load<u32>(e + 4), load<u32>(e + 8));
  let s = h & (NAME_SLOTS - 1);
  while (load<u32>(at0(s)) != 0) s = (s + 1) & (NAME_SLOTS - 1);
  if (nameIdCount - 32 >= listedNameCap) return false;
  store<u32>(nameRecords + <usize>(nameIdCount - 32) * 4, <u32>(e - packBase));
  store<u32>(at0(s), nameIdCount + 1);
  store<u32>(at0(s) + 4, h);
  listedKinds |= 1 << (kind & 31);
  nameIdCount++;
  return true;
}

// @ts-ignore: decorator
@inline function at0(s: u32): usize { return nameSlots + <usize>s * 8; }

/** The kind of a name id. */
function idKind(id: u32): u32 {
  return id < 32 ? id : <u32>load<u8>(packBase + load<u32>(nameRecords + <usize>(id - 32) * 4));
}

const NO_ID: u32 = 0xffffffff;
/** Words of a bitset over ids at most: 32 kind ids and MAX_LISTED_NAMES listed, rounded up to a power of two. */
const MAX_NAME_WORDS: u32 = 64;
/** Per kind, a bitset over ids: its own id and its listed names' (deriveNameIds; allocated once). */
let kindIdBits: usize = 0;

/** ORs into `bits` the ids of every kind in `kinds` (kindIdBits). */
function orKindIds(bits: usize, kinds: u32, words: u32): void {
  for (let m = kinds; m != 0; m &= m - 1) {
    const kb = kindIdBits + <usize>ctz(m) * words * 4;
    for (let w: u32 = 0; w < words; w++) store<u32>(bits + <usize>w * 4, load<u32>(bits + <usize>w * 4) | load<u32>(kb + <usize>w * 4));
  }
}

/** The id listName gave the record's exact (kind, name bytes), or NO_ID. */
function listedId(e: usize): u32 {
  const kind = <u32>load<u8>(e);
  const name = packBase + load<u32>(e + 4);
  const len = load<u32>(e + 8);
  let s = nameHash(kind, name, len) & (NAME_SLOTS - 1);
  while (true) {
    const v = load<u32>(at0(s));
    if (v == 0) return NO_ID;
    const f = packBase + load<u32>(nameRecords + <usize>(v - 33) * 4);
    if (<u32>load<u8>(f) == kind && load<u32>(f + 8) == len && memory.compare(packBase + load<u32>(f + 4), name, len) == 0) return v - 1;
    s = (s + 1) & (NAME_SLOTS - 1);
  }
  return NO_ID;
}

function deriveNameIds(): void {
  if (nameSlots == 0) {
    nameSlots = heap.alloc(<usize>NAME_SLOTS * 8);
    nameRecords = heap.alloc(<usize>MAX_LISTED_NAMES * 4);
  }
  memory.fill(nameSlots, 0, <usize>NAME_SLOTS * 8);
  nameHashMask = hookHashMask;
  listedNameCap = hookNameCap;
  nameIdCount = 32;
  nameIdsOn = true;
  listedKinds = 0;
  // Every plain name a selector or a name filter compares a field's name with.
  const nSel = sectionCount(packBase, SECTION_SELECTORS);
  for (let i: u32 = 0; i < nSel && nameIdsOn; i++) {
    const sel = selectorsBase + <usize>i * SELECTOR_SIZE;
    if (load<u8>(sel + 3) == 0 && !listName(sel)) nameIdsOn = false;
  }
  for (let g: u32 = 0; g < groupCount && nameIdsOn; g++) {
    const filter = load<u32>(groupsBase + <usize>g * GROUP_SIZE + G_NAME_FILTER);
    if (filter == 0) continue;
    const n = load<u32>(packBase + filter + 8);
    for (let i: u32 = 0; i < n && nameIdsOn; i++) if (!listName(packBase + filter + 12 + <usize>i * SELECTOR_SIZE)) nameIdsOn = false;
  }
  if (!nameIdsOn) {
    memory.fill(nameSlots, 0, <usize>NAME_SLOTS * 8);
    nameIdCount = 32;
    listedKinds = 0;
  }
  let words: u32 = 1;
  while (words * 32 < nameIdCount) words <<= 1;
  nameWords = words;
  nameRecordShift = 3 + <u32>ctz(words);
  const stride = <usize>words * 8; // two parts
  const need = (<usize>totalRules + groupCount + classCount) * stride;
  if (need > nameBitsCap) {
    let cap: usize = 4096;
    while (cap < need) cap <<= 1;
    ruleNameBits = heap.alloc(cap);
    nameBitsCap = cap;
  }
  groupNameBits = ruleNameBits + <usize>totalRules * stride;
  classNameBits = groupNameBits + <usize>groupCount * stride;
  memory.fill(ruleNameBits, 0, need);
  // Per kind, its ids: the kind's own (a name no plain selector lists) and its listed names'.
  if (kindIdBits == 0) kindIdBits = heap.alloc(<usize>32 * MAX_NAME_WORDS * 4);
  memory.fill(kindIdBits, 0, <usize>32 * words * 4);
  for (let id: u32 = 0; id < nameIdCount; id++) setBit(kindIdBits + <usize>idKind(id) * words * 4, id);
  // A rule's bits, without comparing every listed name with every selector (activation runs in
  // baseline code, at every cold start): the ids of the kinds its mask reads, then its
  // inclusions' ids set and its exclusions' cleared, as targets() decides (an exclusion wins).
  for (let r: u32 = 0; r < totalRules; r++) {
    const rule = rulesBase + <usize>r * RULE_SIZE;
    const sels = packBase + load<u32>(rule + R_SEL_OFF);
    const count = load<u32>(rule + R_SEL_COUNT);
    let slow = !nameIdsOn;
    for (let i: u32 = 0; i < count; i++) if (load<u8>(sels + <usize>i * SELECTOR_SIZE + 3) == 1) slow = true;
    store<u32>(ruleSelectorKeys + <usize>r * RULE_KEYS_SIZE + RK_SLOW, slow ? 1 : 0);
    if (slow) continue;
    for (let part: u32 = 0; part < 2; part++) {
      const bits = ruleNameBits + <usize>r * stride + <usize>part * words * 4;
      const mask = load<u32>(rule + (part == 0 ? R_VALUE_MASK : R_NAME_MASK));
      orKindIds(bits, mask, words);
      for (let exclusions: u32 = 0; exclusions < 2; exclusions++) {
        for (let i: u32 = 0; i < count; i++) {
          const sel = sels + <usize>i * SELECTOR_SIZE;
          if (<u32>load<u8>(sel + 1) != part || <u32>load<u8>(sel + 2) != exclusions) continue;
          const id = listedId(sel);
          if (id == NO_ID) continue;
          const at = bits + <usize>(id >> 5) * 4;
          store<u32>(at, exclusions == 0 ? load<u32>(at) | (1 << (id & 31)) : load<u32>(at) & ~(1 << (id & 31)));
        }
      }
    }
  }
  for (let g: u32 = 0; g < groupCount; g++) {
    const group = groupsBase + <usize>g * GROUP_SIZE;
    const bits = groupNameBits + <usize>g * stride;
    const always = packBase + load<u32>(group + G_ALWAYS_OFF);
    const alwaysCount = load<u32>(group + G_ALWAYS_COUNT);
    for (let i: u32 = 0; i < alwaysCount; i++) {
      const r = load<u32>(always + <usize>i * 4);
      if (load<u32>(ruleSelectorKeys + <usize>r * RULE_KEYS_SIZE + RK_SLOW) == 0) {
        for (let w: u32 = 0; w < words * 2; w++) store<u32>(bits + <usize>w * 4, load<u32>(bits + <usize>w * 4) | load<u32>(ruleNameBits + <usize>r * stride + <usize>w * 4));
        continue;
      }
      // A name regex may match any name: every id of a kind the rule may read (its mask and
      // its inclusions' kinds).
      const rule = rulesBase + <usize>r * RULE_SIZE;
      const sels = packBase + load<u32>(rule + R_SEL_OFF);
      const count = load<u32>(rule + R_SEL_COUNT);
      for (let part: u32 = 0; part < 2; part++) {
        let kinds = load<u32>(rule + (part == 0 ? R_VALUE_MASK : R_NAME_MASK));
        for (let k: u32 = 0; k < count; k++) {
          const sel = sels + <usize>k * SELECTOR_SIZE;
          if (load<u8>(sel + 2) == 0 && <u32>load<u8>(sel + 1) == part) kinds |= 1 << <u32>load<u8>(sel);
        }
        orKindIds(bits + <usize>part * words * 4, kinds, words);
      }
    }
    const c = load<u32>(groupClass + <usize>g * 4);
    const cb = classNameBits + <usize>c * stride;
    for (let w: u32 = 0; w < words * 2; w++) store<u32>(cb + <usize>w * 4, load<u32>(cb + <usize>w * 4) | load<u32>(bits + <usize>w * 4));
  }
  deriveNamedPlans();
}

/**
 * Named plans: for a slot whose groups read some names only (PLAN_DYNAMIC: headers read by
 * `[user-agent]`), the plan of a field part carrying one of the slot's listed names is a pure
 * function of its name id, derived here: its classes, ascending, and the groups that read it,
 * in plan order. planPart then looks the id up among the slot's few plans instead of asking
 * each group's name filter. Off (every slot asks the filters, as before) with the ids or past
 * MAX_NAMED_PLAN_BYTES.
 */
/** u32 per slot: address of u32 n, then n plan addresses (each u32 id, u32 classes, u32 groups, then the classes, then the groups); 0: none. */
export const namedPlanSlots: usize = memory.data(64 * 4, 4);
let namedPlans: usize = 0;
let namedPlansCap: usize = 0;

function deriveNamedPlans(): void {
  memory.fill(namedPlanSlots, 0, 64 * 4);
  if (!nameIdsOn) return;
  // Bytes needed, at most: per planned slot its index, and per listed name a plan of every entry.
  let need: usize = 0;
  for (let slot: u32 = 0; slot < 64; slot++) {
    const nNames = load<u32>(planNamesBase + <usize>slot * planStride);
    if (load<u32>(planClassesBase + <usize>slot * planStride) != PLAN_DYNAMIC || nNames == PLAN_DYNAMIC) continue;
    need += 4 + <usize>nNames * 4 + <usize>nNames * (12 + <usize>load<u32>(planBase + <usize>slot * planStride) * 8);
  }
  if (need == 0 || need > <usize>hookPlanBytes) return;
  if (need > namedPlansCap) {
    let cap: usize = 4096;
    while (cap < need) cap <<= 1;
    namedPlans = heap.alloc(cap);
    namedPlansCap = cap;
  }
  let at = namedPlans;
  for (let slot: u32 = 0; slot < 64; slot++) {
    const names = planNamesBase + <usize>slot * planStride;
    const nNames = load<u32>(names);
    if (load<u32>(planClassesBase + <usize>slot * planStride) != PLAN_DYNAMIC || nNames == PLAN_DYNAMIC) continue;
    const kind = slot >> 1;
    const part = slot & 1;
    const index = at;
    store<u32>(namedPlanSlots + <usize>slot * 4, <u32>index);
    at += 4 + <usize>nNames * 4;
    let n: u32 = 0;
    for (let i: u32 = 0; i < nNames; i++) {
      const e = packBase + load<u32>(names + 4 + <usize>i * 4);
      const name = packBase + load<u32>(e + 4);
      const len = load<u32>(e + 8);
      const id = listedId(e);
      if (id == NO_ID) continue;
      let dup = false;
      for (let j: u32 = 0; j < n && !dup; j++) dup = load<u32>(load<u32>(index + 4 + <usize>j * 4)) == id;
      if (dup) continue;
      const plan = at;
      store<u32>(index + 4 + <usize>n * 4, <u32>plan);
      n++;
      const entries = planBase + <usize>slot * planStride;
      const count = load<u32>(entries);
      let nClasses: u32 = 0;
      let nGroups: u32 = 0;
      let last: u32 = 0xffffffff;
      // Classes first (at most one per entry), groups after them: counted, then placed.
      const groupsAt = plan + 12 + <usize>count * 4;
      for (let k: u32 = 0; k < count; k++) {
        const entry = load<u32>(entries + 4 + <usize>k * 4);
        const g = entry & ~PLAN_NAMED;
        if ((entry & PLAN_NAMED) != 0 && !filterNames(load<u32>(groupsBase + <usize>g * GROUP_SIZE + G_NAME_FILTER), kind, part, name, len)) continue;
        store<u32>(groupsAt + <usize>nGroups * 4, g);
        nGroups++;
        const c = load<u32>(groupClass + <usize>g * 4);
        if (c != last) {
          store<u32>(plan + 12 + <usize>nClasses * 4, c);
          nClasses++;
          last = c;
        }
      }
      memory.copy(plan + 12 + <usize>nClasses * 4, groupsAt, <usize>nGroups * 4);
      store<u32>(plan, id);
      store<u32>(plan + 4, nClasses);
      store<u32>(plan + 8, nGroups);
      at = plan + 12 + <usize>(nClasses + nGroups) * 4;
    }
    store<u32>(index, n);
  }
}

/** Whether the name filter at `filter` has an entry (kind, part) whose bytes are the `len` at `name`. */
function filterNames(filter: u32, kind: u32, part: u32, name: usize, len: u32): bool {
  const n = load<u32>(packBase + filter + 8);
  for (let i: u32 = 0; i < n; i++) {
    const e = packBase + filter + 12 + <usize>i * SELECTOR_SIZE;
    if (<u32>load<u8>(e) == kind && <u32>load<u8>(e + 1) == part && load<u32>(e + 8) == len && memory.compare(packBase + load<u32>(e + 4), name, len) == 0) return true;
  }
  return false;
}

// @ts-ignore: decorator
@inline function setBit(bits: usize, id: u32): void {
  const at = bits + <usize>(id >> 5) * 4;
  store<u32>(at, load<u32>(at) | (1 << (id & 31)));
}

function deriveClasses(): void {
  if (groupCount > classCap) {
    let cap: u32 = 64;
    while (cap < groupCount) cap <<= 1;
    classBase = heap.alloc(<usize>cap * CLASS_SIZE);
    groupClass = heap.alloc(<usize>cap * 4);
    classState = heap.alloc(<usize>cap);
    classWalk = heap.alloc(<usize>cap * 4);
    classInput = heap.alloc(<usize>cap * 16);
    leaderTails = heap.alloc(<usize>cap * 8);
    leaderClasses = heap.alloc(<usize>cap * 4);
    groupCandidateEpoch = heap.alloc(<usize>cap * 4);
    classCandidateEpoch = heap.alloc(<usize>cap * 4);
    groupWants = heap.alloc(<usize>cap * 4);
    partClasses = heap.alloc(<usize>cap * 4);
    ownClasses = heap.alloc(<usize>cap * 4);
    groupAlwaysParanoia = heap.alloc(<usize>cap);
    planBase = heap.alloc(<usize>64 * (cap + 1) * 4);
    planClassesBase = heap.alloc(<usize>64 * (cap + 1) * 4);
    planAlwaysBase = heap.alloc(<usize>64 * (cap + 1) * 4);
    planNamesBase = heap.alloc(<usize>64 * (cap + 1) * 4);
    planWholeBase = heap.alloc(<usize>64 * (cap + 1) * 4);
    candidateClasses = heap.alloc(<usize>cap * 4);
    classCap = cap;
  }
  planStride = (classCap + 1) * 4;
  memory.fill(groupWants, 0, <usize>groupCount * 4);
  classCount = 0;
  memory.fill(groupCandidateEpoch, 0, <usize>groupCount * 4);
  memory.fill(classCandidateEpoch, 0, <usize>groupCount * 4);
  for (let g: u32 = 0; g < groupCount; g++) {
    const group = groupsBase + <usize>g * GROUP_SIZE;
    let n: u32 = 0;
    while (n < 8 && load<u8>(group + n) != 0) n++;
    const classLen = n > 0 && <u32>load<u8>(group + n - 1) == <u32>T_LOWERCASE ? n - 1 : n;
    let same = classCount > 0;
    if (same) {
      const prev = classBase + <usize>(classCount - 1) * CLASS_SIZE;
      for (let i: u32 = 0; i < 8 && same; i++) {
        const want: u32 = i < classLen ? <u32>load<u8>(group + i) : 0;
        if (<u32>load<u8>(prev + i) != want) same = false;
      }
    }
    if (!same) {
      const c = classBase + <usize>classCount * CLASS_SIZE;
      memory.fill(c, 0, CLASS_SIZE);
      let triggers: u32 = 0;
      for (let i: u32 = 0; i < classLen; i++) {
        const t = <u32>load<u8>(group + i);
        store<u8>(c + i, <u8>t);
        const m = triggerMask(t);
        triggers = m == ALWAYS || triggers == ALWAYS ? ALWAYS : triggers | m;
      }
      store<u32>(c + 16, triggers);
      store<u32>(c + 20, g);
      store<u32>(c + 28, 255);
      classCount++;
    }
    const c = classBase + <usize>(classCount - 1) * CLASS_SIZE;
    store<u32>(c + 8, load<u32>(c + 8) | load<u32>(group + 8));
    store<u32>(c + 12, load<u32>(c + 12) | load<u32>(group + 12));
    store<u32>(c + 24, load<u32>(c + 24) + 1);
    store<u32>(groupClass + <usize>g * 4, classCount - 1);
    // A group whose always-run rules all sit above the request's paranoia level has nothing
    // to run without a literal candidate: the inspect loop skips it (and its chain).
    // Nor has one whose always-run rules cannot target the field's kind (`method` only,
    // header `transfer-encoding` only): the kinds they read are the ones targets() can select.
    let lowest: u32 = 255;
    let valueKinds: u32 = 0;
    let nameKinds: u32 = 0;
    const always = packBase + load<u32>(group + G_ALWAYS_OFF);
    const alwaysCount = load<u32>(group + G_ALWAYS_COUNT);
    for (let i: u32 = 0; i < alwaysCount; i++) {
      const rule = rulesBase + <usize>load<u32>(always + <usize>i * 4) * RULE_SIZE;
      const p = <u32>load<u8>(rule + R_PARANOIA);
      if (p < lowest) lowest = p;
      valueKinds |= load<u32>(rule + R_VALUE_MASK);
      nameKinds |= load<u32>(rule + R_NAME_MASK);
      const sels = packBase + load<u32>(rule + R_SEL_OFF);
      const selCount = load<u32>(rule + R_SEL_COUNT);
      for (let k: u32 = 0; k < selCount; k++) {
        const sel = sels + <usize>k * SELECTOR_SIZE;
        if (load<u8>(sel + 2) != 0) continue; // exclusions select nothing
        const bit: u32 = 1 << <u32>load<u8>(sel);
        if (load<u8>(sel + 1) == 0) valueKinds |= bit;
        else nameKinds |= bit;
      }
    }
    store<u8>(groupAlwaysParanoia + g, <u8>lowest);
    if (lowest < load<u32>(c + 28)) store<u32>(c + 28, lowest);
    store<u32>(c + 32, load<u32>(c + 32) | valueKinds);
    store<u32>(c + 36, load<u32>(c + 36) | nameKinds);
  }
  derivePlan();
}

function derivePlan(): void {
  for (let slot: u32 = 0; slot < 64; slot++) {
    const part = slot & 1;
    const bit: u32 = 1 << (slot >> 1);
    const base = planBase + <usize>slot * planStride;
    const classes = planClassesBase + <usize>slot * planStride;
    const always = planAlwaysBase + <usize>slot * planStride;
    const names = planNamesBase + <usize>slot * planStride;
    const whole = planWholeBase + <usize>slot * planStride;
    let n: u32 = 0;
    let nClasses: u32 = 0;
    let nAlways: u32 = 0;
    let nNames: u32 = 0;
    let nWhole: u32 = 0;
    let anyNamed = false;
    let last: u32 = 0xffffffff;
    let lastWhole: u32 = 0xffffffff;
    for (let g: u32 = 0; g < groupCount; g++) {
      const group = groupsBase + <usize>g * GROUP_SIZE;
      if ((load<u32>(group + (part == 0 ? G_VALUE_MASK : G_NAME_MASK)) & bit) == 0) continue;
      const filter = load<u32>(group + G_NAME_FILTER);
      const named = filter != 0 && (load<u32>(packBase + filter + (part == 0 ? 0 : 4)) & bit) == 0;
      store<u32>(base + 4 + <usize>n * 4, g | (named ? PLAN_NAMED : 0));
      n++;
      anyNamed = anyNamed || named;
      const c = load<u32>(groupClass + <usize>g * 4);
      if (c != last) {
        store<u32>(classes + 4 + <usize>nClasses * 4, c);
        nClasses++;
        last = c;
        if ((load<u32>(classBase + <usize>c * CLASS_SIZE + 32 + <usize>part * 4) & bit) != 0) {
          store<u32>(always + 4 + <usize>nAlways * 4, c);
          nAlways++;
        }
      }
      if (!named) {
        if (c != lastWhole) {
          store<u32>(whole + 4 + <usize>nWhole * 4, c);
          nWhole++;
          lastWhole = c;
        }
      } else if (nNames != PLAN_DYNAMIC) {
        nNames = listFilterNames(names, nNames, filter, slot >> 1, part);
      }
    }
    store<u32>(always, nAlways);
    store<u32>(names, nNames);
    store<u32>(whole, nWhole);
    store<u32>(base, n);
    store<u32>(classes, anyNamed ? PLAN_DYNAMIC : nClasses);
  }
}

/**
 * Adds the names the filter at `filter` reads for (kind, part) that the list at `names` lacks;
 * returns the new count, or PLAN_DYNAMIC once the slot's stride cannot hold them.
 */
function listFilterNames(names: usize, count: u32, filter: u32, kind: u32, part: u32): u32 {
  const n = load<u32>(packBase + filter + 8);
  for (let i: u32 = 0; i < n; i++) {
    const e = packBase + filter + 12 + <usize>i * SELECTOR_SIZE;
    if (<u32>load<u8>(e) != kind || <u32>load<u8>(e + 1) != part) continue;
    let seen = false;
    for (let j: u32 = 0; j < count && !seen; j++) {
      const f = packBase + load<u32>(names + 4 + <usize>j * 4);
      const len = load<u32>(e + 8);
      seen = load<u32>(f + 8) == len && memory.compare(packBase + load<u32>(f + 4), packBase + load<u32>(e + 4), len) == 0;
    }
    if (seen) continue;
    if (count + 1 >= planStride / 4) return PLAN_DYNAMIC;
    store<u32>(names + 4 + <usize>count * 4, <u32>(e - packBase));
    count++;
  }
  return count;
}

function sectionEntry(base: usize, id: u32): usize {
  const n = load<u32>(base + 24);
  for (let i: u32 = 0; i < n; i++) {
    const e = base + HEADER_SIZE + <usize>i * SECTION_ENTRY_SIZE;
    if (load<u32>(e) == id) return e;
  }
  return 0;
}
function sectionOffset(base: usize, id: u32): u32 { return load<u32>(sectionEntry(base, id) + 4); }
function sectionCount(base: usize, id: u32): u32 { return load<u32>(sectionEntry(base, id) + 12); }

@inline function within(off: u32, len: u32, total: u32): bool {
  return <u64>off + <u64>len <= <u64>total;
}

function validate(base: usize, len: u32, slot: i32, builtChecksum: u32): u32 {
  packErrorDetail = 0;
  if (len < HEADER_SIZE) return PACK_TOO_SHORT;
  // "WAFRPACK"
  if (load<u64>(base) != 0x4b43415052464157) return PACK_BAD_MAGIC;
  if (<u32>load<u16>(base + 8) != PACK_FORMAT_VERSION) return PACK_BAD_FORMAT;
  if (<u32>load<u16>(base + 10) != ABI_VERSION) return PACK_BAD_ABI;
  if (load<u32>(base + 16) != len || (len & 3) != 0) return PACK_BAD_LENGTH;
  // The checksum covers every byte but its own four (20..23).
  const checksum = packChecksum(base, len);
  if (checksum != load<u32>(base + 20)) return PACK_BAD_CHECKSUM;
  // The built default pack's structure is the one the build validated (packActivate).
  if (builtChecksum == 0 || checksum != builtChecksum) {
    const code = validateStructure(base, len);
    if (code != PACK_OK) return code;
  }
  return deriveTables(base, len, slot);
}

/**
 * Every section, record and automaton of an image whose header and checksum hold, but the
 * regex DFAs, which deriveTables checks as it sizes them. Its own function so that activating
 * the built default pack does not compile it.
 */
function validateStructure(base: usize, len: u32): u32 {
  const sections = load<u32>(base + 24);
  if (sections > 64 || !within(HEADER_SIZE, sections * SECTION_ENTRY_SIZE, len)) return PACK_BAD_SECTION;
  for (let i: u32 = 0; i < sections; i++) {
    const e = base + HEADER_SIZE + <usize>i * SECTION_ENTRY_SIZE;
    if (!within(load<u32>(e + 4), load<u32>(e + 8), len) || (load<u32>(e + 4) & 3) != 0) return PACK_BAD_SECTION;
  }
  // Section ids are 1..5 (SECTION_RULES .. SECTION_META); all are required.
  for (let id: u32 = SECTION_RULES; id <= SECTION_META; id++) if (sectionEntry(base, id) == 0) return PACK_BAD_SECTION;
  const rules = sectionEntry(base, SECTION_RULES);
  const nRules = load<u32>(rules + 12);
  const nTop = load<u32>(base + 28);
  if (nTop > nRules || <u64>nRules * RULE_SIZE > <u64>load<u32>(rules + 8)) return PACK_BAD_SECTION;
  // Route exclusions hold a bit per top-level rule in the host's disabled-rule region.
  if (<u64>nTop > <u64>disabledCap * 8) return PACK_BAD_SECTION;
  const selectors = sectionEntry(base, SECTION_SELECTORS);
  const selSecOff = load<u32>(selectors + 4);
  const nSelectors = load<u32>(selectors + 12);
  if (<u64>nSelectors * SELECTOR_SIZE > <u64>load<u32>(selectors + 8)) return PACK_BAD_SECTION;
  // Every selector record, referenced or not (a name-regex one's DFA: deriveTables).
  for (let i: u32 = 0; i < nSelectors; i++) {
    packErrorDetail = 0x80000000 | i; // a selector record, not a rule (pack-errors.ts)
    const sel = base + selSecOff + <usize>i * SELECTOR_SIZE;
    if (load<u8>(sel + 1) > 1 || load<u8>(sel + 2) > 1 || load<u8>(sel + 3) > 1) return PACK_BAD_SELECTOR;
    if (!within(load<u32>(sel + 4), load<u32>(sel + 8), len)) return PACK_BAD_SELECTOR;
  }
  const groups = sectionEntry(base, SECTION_GROUPS);
  const nGroups = load<u32>(groups + 12);
  if (nGroups != load<u32>(base + 32) || <u64>nGroups * GROUP_SIZE > <u64>load<u32>(groups + 8)) return PACK_BAD_SECTION;

  for (let r: u32 = 0; r < nRules; r++) {
    packErrorDetail = r;
    const rule = base + load<u32>(rules + 4) + <usize>r * RULE_SIZE;
    const op = <u32>load<u8>(rule + R_OP);
    if (op == 0 || op > OP_MAX) return PACK_BAD_RULE;
    if (<u32>load<u16>(rule + R_GROUP) >= nGroups) return PACK_BAD_RULE;
    if (<u32>load<u16>(rule + R_LOGICAL) > r) return PACK_BAD_RULE; // a part points back at its first part
    const selOff = load<u32>(rule + R_SEL_OFF);
    const selCount = load<u32>(rule + R_SEL_COUNT);
    if (selCount > 0) {
      // Inside the SELECTORS section, on a record boundary (derived tables are per record).
      if (selCount > 0xffff || selOff < selSecOff || (selOff - selSecOff) % SELECTOR_SIZE != 0) return PACK_BAD_SELECTOR;
      if (<u64>selOff + <u64>selCount * SELECTOR_SIZE > <u64>selSecOff + <u64>nSelectors * SELECTOR_SIZE) return PACK_BAD_SELECTOR;
    }
    const argOff = load<u32>(rule + R_ARG_OFF);
    const argLen = load<u32>(rule + R_ARG_LEN);
    if (!within(argOff, argLen, len)) return PACK_BAD_RULE;
    if (op == OP_IP_MATCH && argLen % IP_ENTRY_SIZE != 0) return PACK_BAD_RULE;
    if (op == OP_BYTE_RANGE && argLen != 32) return PACK_BAD_RULE;
    if ((op == OP_RX || op == OP_WITHIN) && argOff == 0) return PACK_BAD_RULE;
    if (op <= 5 && argOff != 0 && !validAutomaton(base, argOff, len, nRules)) return PACK_BAD_AUTOMATON;
    if (op == OP_RX) {
      // The required-byte set (R_NUMERIC, 0 = none) is read 32 bytes at a time.
      const required = load<u32>(rule + R_NUMERIC);
      if (required != 0 && !within(required, 32, len)) return PACK_BAD_RULE;
    }
    const condCount = load<u32>(rule + R_COND_COUNT);
    if (condCount > 0) {
      const first = load<u32>(rule + R_COND_FIRST);
      if (r >= nTop || first < nTop || !within(first, condCount, nRules)) return PACK_BAD_RULE;
    }
  }
  for (let g: u32 = 0; g < nGroups; g++) {
    packErrorDetail = g;
    const group = base + load<u32>(groups + 4) + <usize>g * GROUP_SIZE;
    for (let t: u32 = 0; t < 8; t++) if (<u32>load<u8>(group + t) >= 31) return PACK_BAD_GROUP;
    const filter = load<u32>(group + G_NAME_FILTER);
    if (filter != 0) {
      if (!within(filter, 12, len)) return PACK_BAD_GROUP;
      const n = load<u32>(base + filter + 8);
      if (n > 0xffff || !within(filter + 12, n * SELECTOR_SIZE, len)) return PACK_BAD_GROUP;
      for (let i: u32 = 0; i < n; i++) {
        const e = base + filter + 12 + <usize>i * SELECTOR_SIZE;
        if (load<u8>(e) >= 32 || load<u8>(e + 1) > 1 || !within(load<u32>(e + 4), load<u32>(e + 8), len)) return PACK_BAD_GROUP;
      }
    }
    const alwaysOff = load<u32>(group + G_ALWAYS_OFF);
    const alwaysCount = load<u32>(group + G_ALWAYS_COUNT);
    if (!within(alwaysOff, alwaysCount * 4, len) || alwaysCount > nTop) return PACK_BAD_GROUP;
    for (let i: u32 = 0; i < alwaysCount; i++) if (load<u32>(base + alwaysOff + <usize>i * 4) >= nTop) return PACK_BAD_GROUP;
    // Walk gates (inspect.ts walkMayHit): two slot words, then a set offset per slot bit.
    const gates = load<u32>(group + G_GATES);
    if (gates != 0) {
      if (!within(gates, 8, len)) return PACK_BAD_GROUP;
      const n = <u32>popcnt(load<u32>(base + gates)) + <u32>popcnt(load<u32>(base + gates + 4));
      if (!within(gates + 8, n * 4, len)) return PACK_BAD_GROUP;
      for (let i: u32 = 0; i < n; i++) {
        const set = load<u32>(base + gates + 8 + <usize>i * 4);
        if (set != 0 && !within(set, 32, len)) return PACK_BAD_GROUP;
      }
    }
  }
  packErrorDetail = 0xffffffff; // the pack-wide prefilter
  const prefilter = load<u32>(base + 48);
  if (prefilter != 0 && !validAutomaton(base, prefilter, len, nTop)) return PACK_BAD_AUTOMATON;
  // The prefilter's shift-or front end: 4,096 u64 cells in the image (any bits are safe).
  const frontEnd = load<u32>(base + 52);
  if (frontEnd != 0 && (prefilter == 0 || !within(frontEnd, FRONT_END_BYTES, len))) return PACK_BAD_AUTOMATON;
  return PACK_OK;
}

/**
 * Sizes the derived tables of a structurally valid image (each regex DFA checked as it is
 * sized: dfaDerivedBytes is 0 for a bad one), then derives them. The one sizing for both
 * activation paths, validated and built: the slot's arena must hold what deriveSlotTables
 * writes.
 */
function deriveTables(base: usize, len: u32, slot: i32): u32 {
  derivedBytes = 0;
  const rules = sectionEntry(base, SECTION_RULES);
  const selectors = sectionEntry(base, SECTION_SELECTORS);
  const nRules = load<u32>(rules + 12);
  const selSecOff = load<u32>(selectors + 4);
  const nSelectors = load<u32>(selectors + 12);
  for (let i: u32 = 0; i < nSelectors; i++) {
    const sel = base + selSecOff + <usize>i * SELECTOR_SIZE;
    if (load<u8>(sel + 3) != 1) continue;
    packErrorDetail = 0x80000000 | i; // a selector record, not a rule (pack-errors.ts)
    const bytes = dfaDerivedBytes(base, load<u32>(sel + 4), len);
    if (bytes == 0) return PACK_BAD_SELECTOR;
    derivedBytes += bytes;
    if (derivedBytes > MAX_DERIVED_BYTES) return PACK_TABLES_TOO_LARGE;
  }
  for (let r: u32 = 0; r < nRules; r++) {
    packErrorDetail = r;
    const rule = base + load<u32>(rules + 4) + <usize>r * RULE_SIZE;
    const op = <u32>load<u8>(rule + R_OP);
    const argOff = load<u32>(rule + R_ARG_OFF);
    if (op <= 5 && argOff != 0) derivedBytes += acDerivedBytes(base + argOff);
    else if (op == OP_RX) {
      const bytes = dfaDerivedBytes(base, argOff, len);
      if (bytes == 0) return PACK_BAD_REGEX;
      derivedBytes += bytes;
    }
    if (derivedBytes > MAX_DERIVED_BYTES) return PACK_TABLES_TOO_LARGE;
  }
  packErrorDetail = 0xffffffff; // the pack-wide prefilter
  const prefilter = load<u32>(base + 48);
  if (prefilter != 0) derivedBytes += acDerivedBytes(base + prefilter);
  if (derivedBytes > MAX_DERIVED_BYTES) return PACK_TABLES_TOO_LARGE;
  return deriveSlotTables(base, slot, nRules, load<u32>(rules + 4), prefilter, selSecOff, nSelectors);
}

/** Derives every literal automaton's and regex DFA's table into the slot's arena (derivedBytes, sized by deriveTables). */
function deriveSlotTables(base: usize, slot: i32, nRules: u32, rulesOff: u32, prefilter: u32, selSecOff: u32, nSelectors: u32): u32 {
  const head = (<usize>(1 + nRules + nSelectors) * 4 + 15) & ~15;
  const need = head + <usize>derivedBytes;
  if (unchecked(slotTablesCap[slot]) < need) {
    let cap: usize = 65536;
    while (cap < need) cap <<= 1;
    unchecked((slotTables[slot] = heap.alloc(cap)));
    unchecked((slotTablesCap[slot] = cap));
  }
  const arena = unchecked(slotTables[slot]);
  const perRule = arena + 4;
  const perSelector = perRule + <usize>nRules * 4;
  let at = arena + head;
  store<u32>(arena, 0);
  for (let r: u32 = 0; r < nRules; r++) {
    const rule = base + rulesOff + <usize>r * RULE_SIZE;
    const op = <u32>load<u8>(rule + R_OP);
    const argOff = load<u32>(rule + R_ARG_OFF);
    let table: usize = 0;
    packErrorDetail = r;
    if (op <= 5 && argOff != 0) {
      table = acDerive(base + argOff, base, at, -1, 0);
      if (table == 0) return PACK_BAD_AUTOMATON;
      at += <usize>acDerivedBytes(base + argOff);
    } else if (op == OP_RX) {
      table = at;
      at += dfaDerive(base + argOff, at);
    }
    store<u32>(perRule + <usize>r * 4, <u32>table);
  }
  for (let i: u32 = 0; i < nSelectors; i++) {
    const sel = base + selSecOff + <usize>i * SELECTOR_SIZE;
    let table: usize = 0;
    if (load<u8>(sel + 3) == 1) {
      table = at;
      at += dfaDerive(base + load<u32>(sel + 4), at);
    }
    store<u32>(perSelector + <usize>i * 4, <u32>table);
  }
  packErrorDetail = 0xffffffff;
  if (prefilter != 0) {
    // Only the pack-wide automaton has a shift-or front end: it walks every field, bodies
    // included; a rule's own automaton runs on the few fields its rule targets.
    const frontEnd = load<u32>(base + 52);
    const table = acDerive(base + prefilter, base, at, slot, frontEnd != 0 ? base + frontEnd : 0);
    if (table == 0) return PACK_BAD_AUTOMATON;
    store<u32>(arena, <u32>table);
  }
  packErrorDetail = 0;
  return PACK_OK;
}

/**
 * Checks every table of a literal automaton so the walk never leaves the image. The trie and
 * the output records are checked by two functions: V8 tiers a Wasm function up to TurboFan
 * once it has run ~1.8 MB of code, and the default pack's prefilter checked in one function
 * crossed that near its end — a background compile, at every cold start, of code that never
 * runs again. Each half stays under it (loops keep binaryen from inlining them back).
 */
function validAutomaton(base: usize, off: u32, len: u32, ruleLimit: u32): bool {
  if (!within(off, AC_HEADER_SIZE, len)) return false;
  const ac = base + off;
  const states = load<u32>(ac);
  const classes = load<u32>(ac + 4);
  const firstOut = load<u32>(ac + 8);
  const groups = load<u32>(ac + 12);
  const patterns = load<u32>(ac + 16);
  const prefixLength = load<u32>(ac + 28);
  // K ≤ 16 (the compiler emits at most 6; older images up to 16): the walk of long inputs relies on it (aho-corasick.ts).
  if (states == 0 || classes == 0 || classes > 256 || firstOut > states || prefixLength == 0 || prefixLength > 16) return false;
  if (states > 0xffff) return false;
  // Counted as derived, rows padded: the derive's u16 cells reach exactly this far.
  if (<u64>states * acRowCells(classes) > MAX_AC_CELLS) return false;
  const edges = states - 1;
  const trieBytes = (2 * (states + 1) + 3 * edges + 3) & ~3;
  if (load<u32>(ac + 20) != AC_HEADER_SIZE + trieBytes) return false;
  if (!within(off, AC_HEADER_SIZE + trieBytes + (states - firstOut) * 8, len)) return false;
  return validTrie(ac, states, classes) && validOutputs(base, ac, len, states, firstOut, patterns, prefixLength, ruleLimit) && groups <= patterns;
}

/** The byte classes and the trie: edge ranges in order, children and classes in range
 *  (acDerive checks the rest: one tree rooted at state 0 covering every state). */
function validTrie(ac: usize, states: u32, classes: u32): bool {
  for (let b = 0; b < 256; b++) if (<u32>load<u8>(ac + 32 + b) >= classes) return false;
  const edges = states - 1;
  const firstEdge = ac + AC_HEADER_SIZE;
  if (load<u16>(firstEdge) != 0 || <u32>load<u16>(firstEdge + <usize>states * 2) != edges) return false;
  for (let s: u32 = 0; s < states; s++) {
    if (load<u16>(firstEdge + <usize>s * 2 + 2) < load<u16>(firstEdge + <usize>s * 2)) return false;
  }
  const child = firstEdge + (<usize>states + 1) * 2;
  const edgeClass = child + <usize>edges * 2;
  for (let e: u32 = 0; e < edges; e++) {
    const c = <u32>load<u16>(child + <usize>e * 2);
    const cls = <u32>load<u8>(edgeClass + e);
    if (c == 0 || c >= states || cls >= classes) return false;
  }
  return true;
}

/** The output records of the states from `firstOut` on: dictionary links, groups, patterns, hits. */
function validOutputs(base: usize, ac: usize, len: u32, states: u32, firstOut: u32, patterns: u32, prefixLength: u32, ruleLimit: u32): bool {
  const outs = ac + load<u32>(ac + 20);
  for (let s: u32 = 0; s < states - firstOut; s++) {
    const group = load<u32>(outs + <usize>s * 8);
    const dict = load<u32>(outs + <usize>s * 8 + 4);
    if (dict != 0xffffffff && (dict < firstOut || dict >= states)) return false;
    if (group == 0) continue;
    if (!within(group, 8, len)) return false;
    const members = load<u32>(base + group);
    const depth = load<u32>(base + group + 4);
    if (members == 0 || members > patterns || depth == 0 || depth > prefixLength || !within(group + 8, members * 4, len)) return false;
    for (let m: u32 = 0; m < members; m++) {
      const pat = load<u32>(base + group + 8 + <usize>m * 4);
      if (!within(pat, 16, len)) return false;
      const plen = load<u32>(base + pat);
      const hitOff = load<u32>(base + pat + 4);
      const hitCount = load<u32>(base + pat + 8);
      const folded = load<u32>(base + pat + 12);
      if (plen < depth || !within(hitOff, hitCount * 12, len)) return false;
      if (plen > depth && (folded == 0 || !within(folded, plen, len))) return false;
      for (let h: u32 = 0; h < hitCount; h++) {
        const hit = base + hitOff + <usize>h * 12;
        if (load<u32>(hit) >= ruleLimit) return false;
        if (!within(load<u32>(hit + 8), plen, len)) return false;
      }
    }
  }
  return true;
}
