// One call evaluates a whole request: for each field, for each transform group that looks
// at the field's kind, compute the chain once, walk the group's literal automaton, run the
// automata of candidate rules only, then the group's "always" rules; apply chain conditions,
// actions and anomaly scoring; stop early once the verdict is certain (block mode). A long
// input holding none of its walk's gate bytes (src/pack/walk-gates.ts) is not walked, and
// not computed either when its chain past the cached prefix only deletes bytes.
//
// Result block (resultPtr()), read by src/engine/engine.ts (evaluate, decideMatches):
//   0 u32 verdict (0 allow, 1 block, 2 allow forced by an allow rule)   4 u32 score
//   8 u32 recorded matches   12 u32 flags (1 matches truncated, 2 stopped early, 4 a transformed
//     value cut short because memory could not grow: see regions.ts ensureScratch, 8 unconfirmed
//     matches dropped to keep definite ones: see record())
//   16 u32 total matches      20 u32 deciding rule (block/allow action) or 0xffffffff
//   32.. records of 16 bytes: u32 rule, u32 field, u32 flags (1 name part, 2 unconfirmed), u32 0

import {
  DESC_NAME_SET_SHIFT, DESC_SIZE, DESC_VALUE_SET_SHIFT, T_COMPRESS_WHITESPACE, T_LOWERCASE, T_REMOVE_NULLS, T_REMOVE_WHITESPACE, T_REPLACE_NULLS, T_TRIM, T_TRIM_LEFT,
  T_TRIM_RIGHT, T_UPPERCASE, T_URL_DECODE, T_URL_DECODE_UNI,
} from "./abi";
import { bytesEqual } from "./bytes-equal";
import {
  ACTION_ALLOW, ACTION_BLOCK, ACTION_LOG, G_ALWAYS_COUNT, G_ALWAYS_OFF, G_GATES,
  G_NAME_FILTER, G_NAME_MASK, G_VALUE_MASK, GROUP_SIZE, HIT_DIRECT, RF_NEEDS_CONFIRM, RF_NEGATE, RULE_SIZE, R_ACTION, R_LOGICAL,
  R_COND_COUNT, R_COND_FIRST, R_FLAGS, R_GROUP, R_NAME_MASK, R_PARANOIA, R_SCORE, R_SEL_COUNT,
  R_SEL_OFF, R_VALUE_MASK, SELECTOR_SIZE,
} from "./pack-layout";
import {
  candidateClasses, candidateList, classBase, classCandidateEpoch, classCount, ownClasses, classInput, classState, classWalk, CLASS_SIZE, foldAscii, groupAlwaysParanoia, groupCandidateEpoch, groupClass, groupCount,
  groupsBase, groupWants, leaderClasses, prefilterDeleting, leaderTails, packBase, partClasses, selectorsBase, selectorTables, planBase, planAlwaysBase, planClassesBase, planNamesBase, planStride, planWholeBase, PLAN_DYNAMIC, PLAN_NAMED, prefilterAc, classNameBits, disabledStride, groupNameBits, nameIdOf, namedPlanSlots, nameRecordShift, nameWords, ruleNameBits, RK_SLOW, prefilterTable, rulesBase, RULE_KEYS_SIZE, ruleSelectorKeys, ruleStateBase, selectorKey, totalRules,
} from "./pack";
import {
  arenaBase, arenaCap, descBase, disabledBase, levelBase, levelStride, maxFields, resultBase, resultCap,
  ensureScratch, scratchA, scratchB, scratchC, scratchD, scratchCap, scratchRoom,
} from "./regions";
import { ALWAYS, B_PERCENT, B_PLUS, B_SPACE, E_LEAD_SPACE, E_LONE_DOT, E_TRAIL_SPACE, P_NBSP, PAIRS, featureMask, triggerMask } from "./transform-triggers";
import { AC_DELETING_MAP_BYTES } from "./matcher/aho-corasick-derive";
import { acReachesOutputDeleting, acWalk } from "./matcher/aho-corasick";
import { stateHasRule } from "./matcher/literal-verify";
import { outputSlotsOf } from "./output-slots";
import { holdsAnyByte } from "./matcher/byte-set";
import { dfaIsMatch } from "./matcher/dfa";
import { runOperator } from "./operators";
import { runTransform, transformBound } from "./transforms/index";
import { PLAN_ANY_FOLLOWER, PLAN_ANY_OWN, PLAN_ANY_RAW, PLAN_OWN_SHIFT, partPlanRecall, partPlanRemember } from "./part-plan-memo";
import { verdictCacheEligible, verdictCacheFind, verdictCacheFits, verdictCacheStore } from "./verdict-cache";

export const VERDICT_ALLOW: u32 = 0;
export const VERDICT_BLOCK: u32 = 1;
export const VERDICT_FORCED_ALLOW: u32 = 2;
/** Result flag: a definite match found the match records full (it is counted, not recorded). */
export const RESULT_MATCHES_TRUNCATED: u32 = 1;
/** Result flag: a transformed value was cut short because memory could not grow. */
export const RESULT_MEMORY_CUT: u32 = 4;
/** Result flag: unconfirmed matches were dropped from full records: the host confirms over every field (record()). */
export const RESULT_UNCONFIRMED_DROPPED: u32 = 8;

/** inspect() flags. */
export const INSPECT_EARLY_EXIT: u32 = 1;   // stop once blocked (block mode)
export const INSPECT_USE_DISABLED: u32 = 2; // consult the per-request disabled-rule bitsets (route exclusions)
export const INSPECT_VERDICT_CACHE: u32 = 4; // skip field parts known to fire no rule (verdict-cache.ts)
/** With INSPECT_USE_DISABLED: each field part's descriptor names its bitset (DESC_*_SET_SHIFT; routes' targets). */
export const INSPECT_FIELD_SCOPED: u32 = 8;

// State of the request being inspected.
let paranoia: u32 = 1;
let blockThreshold: u32 = 0;
let flags: u32 = 0;
let fieldCount: u32 = 0;
let requestEpoch: u32 = 0;
let passEpoch: u32 = 0;
let partEpoch: u32 = 0;
/** The classes the current field part needs, ascending: partClassCount u32s at partClassList. */
let partClassCount: u32 = 0;
let partClassList: usize = 0;
/**
 * The part's classes whose state is not RAW once its plan is made (OWN leaders and their
 * FOLLOWERs), in list order: ownClassCount u32s at ownClasses. A class RAW then stays RAW, so
 * every loop over leaders and followers reads these few instead of the whole list (an
 * argument's part lists some twenty classes; a value with spaces has two or three own).
 */
let ownClassCount: u32 = 0;
/** How a group of the part's classes is known to read the part (planPart). */
let partMode: u32 = 0;
/** Every group of the slot reads the part: its kind mask says so. */
const PART_STATIC: u32 = 0;
/** No name filter of the slot reads the field's name: the groups reading the kind whole do. */
const PART_WHOLE: u32 = 1;
/** Some filter reads the name: the groups planPart marked in groupWants do. */
const PART_NAMED: u32 = 2;
/** The current part's value/name mask offset in a group record and its kind bit. */
let partMaskOffset: usize = 0;
let partBit: u32 = 0;
let score: u32 = 0;
let verdict: u32 = 0;
let done = false;
let recorded: u32 = 0;
let totalMatches: u32 = 0;
let resultFlags: u32 = 0;
let decidingRule: u32 = 0xffffffff;
let candidates: u32 = 0;
/** Literal walks of the last inspectRequest (a work counter for tests: inspectWalkCount). */
let walks: u32 = 0;
/** Deleting walks (skipDeletingLeader) of the last inspectRequest, counted apart (inspectDeletingWalkCount). */
let deletingWalks: u32 = 0;
/** Literal hits the last inspectRequest's walks handed to onPrefilterHit (inspectHitCount). */
let literalHits: u32 = 0;
/** Field parts the last inspectRequest skipped on a verdict-cache hit (inspectCacheHits). */
let cacheHits: u32 = 0;
/**
 * Rules whose operator matched in this request, whether or not their chain conditions then
 * held (fire's first step). A part is remembered only while this is 0: nothing matched before
 * it (every rule was still eligible) nor on it (no outcome that other fields could change).
 */
let operatorMatches: u32 = 0;
// The field and part under evaluation (read by the prefilter hit handler).
let curField: u32 = 0;
let curKind: u32 = 0;
let curPart: u32 = 0;
let curName: usize = 0;
let curNameLen: u32 = 0;
/** The current field's descriptor word 0 (kind | flags | exclusion sets). */
let curDescWord: u32 = 0;
/** The disabled-rule bitset of the current field part (disabledSetOf); 0: none. */
let partDisabledSet: usize = 0;
/** The current field's name id (pack.ts nameIdOf), once a part needs it; NAME_ID_UNSET before. */
let curNameId: u32 = 0;
const NAME_ID_UNSET: u32 = 0xffffffff;
/** The current part's word of curNameId in rule 0's, group 0's and class 0's name bits, and the bit's shift. */
let partRuleBits: usize = 0;
let partGroupBits: usize = 0;
let partClassBits: usize = 0;
let partNameShift: u32 = 0;
// Output of applyChain / cachedChain (and its stamp: cachedChain only).
let chainOut: usize = 0;
let chainOutLen: u32 = 0;
let chainStamp: u32 = 0;

// The per-field chain cache: level i holds the value after the first i transforms of the
// chain in cacheIds. Groups are sorted by chain at compile time, so consecutive groups
// share their longest prefix and only compute what differs.
const cacheIds = new StaticArray<u8>(9);
const levelPtr = new StaticArray<usize>(9);
const levelLen = new StaticArray<u32>(9);
const levelMask = new StaticArray<u32>(9);
/**
 * Per level, which bytes it holds: 0 the raw value; a transform that runs gives its level a
 * new stamp, one skipped (an identity) passes its input's on. Equal stamps, equal bytes: a
 * level's buffer is rewritten only with a new stamp.
 */
const levelStamp = new StaticArray<u32>(9);
let stampCount: u32 = 0;
const MASK_UNKNOWN: u32 = 0xffffffff;
let cacheDepth: u32 = 0;

export function inspectRequest(count: u32, paranoiaLevel: u32, threshold: u32, inspectFlags: u32): u32 {
  fieldCount = count < maxFields ? count : maxFields;
  paranoia = paranoiaLevel;
  blockThreshold = threshold;
  flags = inspectFlags;
  score = 0;
  verdict = VERDICT_ALLOW;
  done = false;
  recorded = 0;
  totalMatches = 0;
  resultFlags = 0;
  decidingRule = 0xffffffff;
  walks = 0;
  deletingWalks = 0;
  literalHits = 0;
  cacheHits = 0;
  operatorMatches = 0;
  if (requestEpoch >= 0x7ffffff0 || passEpoch >= 0x7ffffff0 || partEpoch >= 0x7ffffff0) {
    // Epochs make per-rule and per-group state free to reset; on wrap-around clear it once.
    memory.fill(ruleStateBase, 0, <usize>totalRules * 8);
    memory.fill(groupWants, 0, <usize>groupCount * 4);
    memory.fill(groupCandidateEpoch, 0, <usize>groupCount * 4);
    memory.fill(classCandidateEpoch, 0, <usize>classCount * 4);
    requestEpoch = 0;
    passEpoch = 0;
    partEpoch = 0;
  }
  requestEpoch++;
  if (packBase != 0) {
    for (let f: u32 = 0; f < fieldCount && !done; f++) inspectField(f);
  }
  store<u32>(resultBase, verdict);
  store<u32>(resultBase + 4, score);
  store<u32>(resultBase + 8, recorded);
  store<u32>(resultBase + 12, resultFlags);
  store<u32>(resultBase + 16, totalMatches);
  store<u32>(resultBase + 20, decidingRule);
  return verdict;
}

function inspectField(f: u32): void {
  const d = descBase + <usize>f * DESC_SIZE;
  const word = load<u32>(d);
  const kind = word & 0xff;
  const nameOff = load<u32>(d + 4);
  const nameLen = load<u32>(d + 8);
  const valueOff = load<u32>(d + 12);
  const valueLen = load<u32>(d + 16);
  // The host is trusted, but a bad descriptor must never read outside the arena.
  if (kind >= 32 || <u64>nameOff + nameLen > <u64>arenaCap || <u64>valueOff + valueLen > <u64>arenaCap) return;
  curField = f;
  curKind = kind;
  curDescWord = word;
  curName = arenaBase + nameOff;
  curNameLen = nameLen;
  curNameId = NAME_ID_UNSET;
  // Values first, then names: each part gets its own chain cache and literal walks.
  inspectCachedPart(arenaBase + valueOff, valueLen, 0);
  if (nameLen > 0 && !done) inspectCachedPart(curName, nameLen, 1);
}

/**
 * A field part through the verdict cache (assembly/verdict-cache.ts) when the host asked for
 * it and the part may be cached (names, browser headers): a part known to fire no rule is
 * skipped; a part on which no rule's operator matched, in a request where none matched
 * before and no rule was disabled, is remembered. The name part's key leaves the value out:
 * what matches on a name does not depend on the value.
 */
function inspectCachedPart(ptr: usize, len: u32, part: u32): void {
  partDisabledSet = disabledSetOf(curDescWord, part);
  const value = part == 0 ? ptr : 0;
  const valueLen = part == 0 ? len : 0;
  if ((flags & INSPECT_VERDICT_CACHE) == 0 || !verdictCacheFits(curNameLen, valueLen) || !verdictCacheEligible(curKind, part, curName, curNameLen)) {
    inspectPart(ptr, len, part);
    return;
  }
  if (verdictCacheFind(curKind, part, paranoia, curName, curNameLen, value, valueLen)) {
    cacheHits++;
    return;
  }
  inspectPart(ptr, len, part);
  if (operatorMatches == 0 && (flags & INSPECT_USE_DISABLED) == 0 && (resultFlags & RESULT_MEMORY_CUT) == 0) {
    verdictCacheStore(curKind, part, paranoia, curName, curNameLen, value, valueLen);
  }
}

// Per-class plan for the current field part (classState bytes).
const CLASS_SKIP: u8 = 0; // no group of the class looks at this field
const CLASS_RAW: u8 = 1;  // every transform of the class is a no-op on this value: walk the raw value
const CLASS_OWN: u8 = 2;  // the class's transforms change the value: its own walk
const WALK_RAW: u32 = 0xffffffff;
/** Which hits the current literal walk serves: WALK_RAW, or one class index. */
let walkFilter: u32 = WALK_RAW;

/**
 * One field part against the whole pack. The pack's single literal automaton is walked
 * once over the raw value for every class whose transforms are no-ops on it, then once per
 * remaining class over that class's transformed value; each group then runs its candidate
 * automata and its "always" rules on its own transformed value.
 */
function inspectPart(ptr: usize, len: u32, part: u32): void {
  curPart = part;
  // Once per field (both parts): planPart and the name bits below read it.
  if (curNameId == NAME_ID_UNSET) curNameId = nameIdOf(curKind, curName, curNameLen);
  planPart(part);
  if (partClassCount == 0) return; // no group reads this part (most header names)
  const word = (<usize>part * nameWords + <usize>(curNameId >> 5)) * 4;
  partRuleBits = ruleNameBits + word;
  partGroupBits = groupNameBits + word;
  partClassBits = classNameBits + word;
  partNameShift = curNameId & 31;
  startChainCache(ptr, len);
  const rawMask = featureMask(ptr, len);
  unchecked((levelMask[0] = rawMask));
  // Branch-free, on locals: which of RAW and OWN a value gets varies from class to class, and
  // this loop runs for every class of every field part.
  const list = partClassList;
  const n = partClassCount;
  const classes = classBase;
  const states = classState;
  // The plan (states, leaders) depends only on the list and rawMask: often remembered
  // (part-plan-memo.ts); the scratch list of a dynamic part is rebuilt per part, never a key.
  const stable = list != partClasses;
  const stateBytes = (classCount + 15) & ~15;
  let plan = stable ? partPlanRecall(list, n, rawMask, states, stateBytes, classWalk, ownClasses) : 0;
  if (plan == 0) {
    // Every class SKIP, then the listed ones. 16-byte stores (the buffer's capacity is a
    // multiple of 64): memory.fill with a length known only at run time is a call into the
    // runtime, dearer than a few dozen bytes. A remembered plan is one copy of them all.
    for (let i: u32 = 0; i < stateBytes; i += 16) v128.store(states + i, i8x16.splat(CLASS_SKIP));
    let seen: u32 = 0; // bit CLASS_RAW, bit CLASS_OWN
    let own: u32 = 0;
    for (let i: u32 = 0; i < n; i++) {
      const c = load<u32>(list + <usize>i * 4);
      const triggers = load<u32>(classes + <usize>c * CLASS_SIZE + 16);
      const state = CLASS_RAW + <u32>(triggers == ALWAYS || (triggers & rawMask) != 0);
      seen |= state;
      store<u8>(states + c, <u8>state);
      // Listed in ownClasses when OWN: written always, kept by counting it.
      store<u32>(ownClasses + <usize>own * 4, c);
      own += state - CLASS_RAW;
    }
    ownClassCount = own;
    plan = seen; // CLASS_RAW == PLAN_ANY_RAW, CLASS_OWN == PLAN_ANY_OWN
    // Classes whose chains do the same thing to this value share one input, found before
    // anything is computed (markFollowers: on a User-Agent, nine chains reduce to
    // removeWhitespace; a 1 MB body walked two classes' identical output twice).
    if (own != 0) {
      markFollowers(rawMask);
      if (anyFollower) plan |= PLAN_ANY_FOLLOWER;
    }
    if (stable) partPlanRemember(list, n, rawMask, plan, states, stateBytes, classWalk, ownClasses, own);
  } else {
    anyFollower = (plan & PLAN_ANY_FOLLOWER) != 0;
    ownClassCount = plan >> PLAN_OWN_SHIFT;
  }
  let anyRaw = (plan & PLAN_ANY_RAW) != 0;
  let anyOwn = (plan & PLAN_ANY_OWN) != 0;
  if (anyOwn && len > DEDUPE_MAX_VALUE) {
    // Long values: no copies. Each leader's input is computed once and walked at once,
    // unless it equals the raw bytes; those join the raw walk, which comes last because the
    // raw value (level 0) is never overwritten.
    for (let i: u32 = 0; i < ownClassCount && !done; i++) {
      const c = load<u32>(ownClasses + <usize>i * 4);
      if (load<u8>(classState + c) != CLASS_OWN || skipQuietLeader(i, len) || skipDeletingLeader(i, ptr, len)) continue;
      cachedChain(classBase + <usize>c * CLASS_SIZE);
      if (chainOutLen == len && (chainOut == ptr || bytesEqual(chainOut, ptr, len))) {
        store<u8>(classState + c, CLASS_RAW);
        foldFollowers(i);
        anyRaw = true;
        continue;
      }
      foldFollowers(i);
      walkFor(c, chainOut, chainOutLen);
      for (let j = i; j < ownClassCount && !done; j++) {
        const c2 = load<u32>(ownClasses + <usize>j * 4);
        if (load<u8>(classState + c2) != CLASS_OWN || load<u32>(classWalk + <usize>c2 * 4) != c) continue;
        evaluateClassGroups(c2);
        // A follower served by this walk: the loop must not compute and walk it again.
        if (c2 != c) store<u8>(classState + c2, CLASS_SKIP);
      }
    }
    anyOwn = false;
  } else if (anyOwn) {
    // Short values: each leader's input is computed and copied; equal bytes (steps that
    // change nothing on this value) fold into the raw walk or into another leader's walk.
    // Equality is by comparing bytes, never by hash, so no input can be crafted to hide
    // from a class.
    anyRaw = foldEqualInputs(ptr, len) || anyRaw;
  }
  if (anyRaw) {
    walkFor(WALK_RAW, ptr, len);
    evaluateRawClasses();
  }
  if (!anyOwn) return;
  for (let i: u32 = 0; i < ownClassCount && !done; i++) {
    const c = load<u32>(ownClasses + <usize>i * 4);
    if (load<u8>(classState + c) != CLASS_OWN || load<u32>(classWalk + <usize>c * 4) != c) continue;
    let input = load<u32>(classInput + <usize>c * 16);
    let inputLen = load<u32>(classInput + <usize>c * 16 + 4);
    if (input == 0) {
      // Not stored (too long, or the dedupe arena is full): compute it again.
      cachedChain(classBase + <usize>c * CLASS_SIZE);
      input = <u32>chainOut;
      inputLen = chainOutLen;
    }
    walkFor(c, input, inputLen);
    for (let j = i; j < ownClassCount && !done; j++) {
      const c2 = load<u32>(ownClasses + <usize>j * 4);
      if (load<u8>(classState + c2) == CLASS_OWN && load<u32>(classWalk + <usize>c2 * 4) == c) evaluateClassGroups(c2);
    }
  }
}

/**
 * The raw walk's classes, ascending, that can have work: those whose always-run rules may
 * read the kind (the slot's list, derived at activation) and those that got a candidate from
 * the walk (noted by onPrefilterHit), merged. Every other raw class would return at once
 * from evaluateClassGroups; a field part has some twenty classes and most have nothing to do.
 */
function evaluateRawClasses(): void {
  // Hit order to ascending order: few classes get a candidate (insertion sort).
  for (let i: u32 = 1; i < candidateClassCount; i++) {
    const c = load<u32>(candidateClasses + <usize>i * 4);
    let j = i;
    for (; j > 0 && load<u32>(candidateClasses + <usize>(j - 1) * 4) > c; j--) {
      store<u32>(candidateClasses + <usize>j * 4, load<u32>(candidateClasses + <usize>(j - 1) * 4));
    }
    store<u32>(candidateClasses + <usize>j * 4, c);
  }
  const always = planAlwaysBase + <usize>(curKind * 2 + curPart) * planStride;
  const nAlways = load<u32>(always);
  let a: u32 = 0;
  let k: u32 = 0;
  while ((a < nAlways || k < candidateClassCount) && !done) {
    const ca = a < nAlways ? load<u32>(always + 4 + <usize>a * 4) : 0xffffffff;
    const ck = k < candidateClassCount ? load<u32>(candidateClasses + <usize>k * 4) : 0xffffffff;
    const c = ca < ck ? ca : ck;
    if (ca == c) a++;
    if (ck == c) k++;
    // Only this part's raw classes (a slot's list names classes other fields need).
    if (load<u8>(classState + c) == CLASS_RAW) evaluateClassGroups(c);
  }
}

/** Classes noted in candidateClasses by the current walk. */
let candidateClassCount: u32 = 0;

/** One literal walk over `input`, whose hits serve `filter` (WALK_RAW or a class): a new pass. */
function walkFor(filter: u32, input: usize, len: u32): void {
  walkFilter = filter;
  candidates = 0;
  candidateClassCount = 0;
  passEpoch++;
  if (prefilterAc == 0) return;
  if (len >= GATE_MIN_LEN && !walkMayHit(filter, input, len)) return;
  walks++;
  acWalk(prefilterAc, prefilterTable, packBase, input, len, onPrefilterHit, outputSlotsOf(curKind, curPart));
}

/**
 * Values shorter than this are walked without asking the gates: the union below costs about
 * as much as walking a hundred bytes.
 */
const GATE_MIN_LEN: u32 = 512;
const gateUnion = memory.data(32, 16);

/** Whether the walk for `filter` over `input` can have a hit (uniteGates; true without gates). */
function walkMayHit(filter: u32, input: usize, len: u32): bool {
  return !uniteGates(filter, false) || holdsAnyByte(gateUnion, input, len);
}

/**
 * Unites into gateUnion the gates (src/pack/walk-gates.ts), for the current slot, of the
 * groups of the classes a walk serves: with `quiet` false, the walk for `filter` (WALK_RAW or
 * a class); with `quiet` true, the leader `filter` and its followers, none of which may have
 * an always-run rule for this part. An input holding none of the union's bytes then holds no
 * literal of any rule of theirs that may read this part. False when there is no such union:
 * a group without gates (an older pack), a slot without a gate, an always-run rule.
 */
function uniteGates(filter: u32, quiet: bool): bool {
  const slot = curKind * 2 + curPart;
  const word = <usize>(slot >> 5) * 4;
  const below = (<u32>1 << (slot & 31)) - 1;
  let lo = i8x16.splat(0);
  let hi = lo;
  for (let i: u32 = 0; i < partClassCount; i++) {
    const c = load<u32>(partClassList + <usize>i * 4);
    const state = load<u8>(classState + c);
    const cls = classBase + <usize>c * CLASS_SIZE;
    if (quiet) {
      if (c != filter && (state != CLASS_FOLLOWER || load<u32>(classWalk + <usize>c * 4) != filter)) continue;
      if (hasAlwaysWork(c)) return false;
    } else if (filter == WALK_RAW ? state != CLASS_RAW : state != CLASS_OWN || load<u32>(classWalk + <usize>c * 4) != filter) continue;
    const first = load<u32>(cls + 20);
    const end = first + load<u32>(cls + 24);
    for (let g = first; g < end; g++) {
      const gates = load<u32>(groupsBase + <usize>g * GROUP_SIZE + G_GATES);
      if (gates == 0) return false;
      const rec = packBase + gates;
      const bits = load<u32>(rec + word);
      if (((bits >> (slot & 31)) & 1) == 0) continue;
      const index = (word != 0 ? <u32>popcnt(load<u32>(rec)) : 0) + <u32>popcnt(bits & below);
      const set = load<u32>(rec + 8 + <usize>index * 4);
      if (set == 0) return false;
      lo = v128.or(lo, v128.load(packBase + set));
      hi = v128.or(hi, v128.load(packBase + set + 16));
    }
  }
  v128.store(gateUnion, lo);
  v128.store(gateUnion + 16, hi);
  return true;
}

/**
 * The leader `c` (at ownClasses[i]) and its followers need nothing on this part when they
 * have no always-run rule for it and their input holds no byte of their gates — found without
 * computing that input when the chain's steps past its cached prefix only delete bytes, map
 * case or make spaces (gateSafe), or are identities on the cached value (its feature mask):
 * such steps add no byte a gate can hold (no letter, no space: walk-gates.ts). On the raw URI
 * of a long query string, java-log4shell's removeWhitespace output is neither computed nor
 * walked. Then they are all CLASS_SKIP.
 */
function skipQuietLeader(i: u32, len: u32): bool {
  const c = load<u32>(ownClasses + <usize>i * 4);
  if (len < GATE_MIN_LEN || !uniteGates(c, true)) return false;
  if (v128.any_true(v128.and(v128.load(gateUnion), v128.load(LETTERS_AND_SPACE)))) return false;
  const cls = classBase + <usize>c * CLASS_SIZE;
  let k = cachedPrefix(cls);
  const level = k;
  let mask = unchecked(levelMask[level]);
  for (; k < 8; k++) {
    const t = <u32>load<u8>(cls + k);
    if (t == 0) break;
    const trigger = triggerMask(t);
    if (mask == MASK_UNKNOWN && trigger != ALWAYS && k == level) {
      mask = featureMask(unchecked(levelPtr[level]), unchecked(levelLen[level]));
      unchecked((levelMask[level] = mask));
    }
    if (mask != MASK_UNKNOWN && trigger != ALWAYS && (mask & trigger) == 0) continue;
    if (!gateSafe(t)) return false;
    mask = MASK_UNKNOWN;
  }
  if (holdsAnyByte(gateUnion, unchecked(levelPtr[level]), unchecked(levelLen[level]))) return false;
  store<u8>(classState + c, CLASS_SKIP);
  foldFollowers(i);
  return true;
}

/**
 * The leader `c` (at ownClasses[i]) and its followers need nothing on this part when, on this
 * value, their chain only deletes bytes (deletionOf), none of them has an always-run rule for
 * the part, and the literal automaton walked over the raw value with those bytes read as
 * absent reaches no output state holding a literal of theirs (aho-corasick.ts
 * acReachesOutputDeleting, stateOfDeletingLeader): then no literal of theirs is in their
 * input, which is neither computed nor copied nor walked. Then they are all CLASS_SKIP.
 * Values with spaces walk this way on headers and arguments: the heavy request's 91 such
 * walks all skip, the benign corpus's 16,594 skip but for 15% (then the ordinary path
 * computes and walks the copy, a second walk).
 */
function skipDeletingLeader(i: u32, raw: usize, rawLen: u32): bool {
  if (prefilterDeleting == 0) return false;
  const c = load<u32>(ownClasses + <usize>i * 4);
  if (hasAlwaysWork(c)) return false;
  const rawMask = unchecked(levelMask[0]);
  const deletes = deletionOf(activeTail(classBase + <usize>c * CLASS_SIZE, rawMask), rawMask);
  if (deletes == 0) return false;
  if (anyFollower) {
    for (let j = i + 1; j < ownClassCount; j++) {
      const c2 = load<u32>(ownClasses + <usize>j * 4);
      if (load<u8>(classState + c2) == CLASS_FOLLOWER && load<u32>(classWalk + <usize>c2 * 4) == c && hasAlwaysWork(c2)) return false;
    }
  }
  deletingWalks++;
  deletingLeader = c;
  const map = prefilterDeleting + <usize>(deletes - DELETES_WHITESPACE) * AC_DELETING_MAP_BYTES;
  if (acReachesOutputDeleting(prefilterAc, prefilterTable, map, raw, rawLen, stateOfDeletingLeader)) return false;
  store<u8>(classState + c, CLASS_SKIP);
  foldFollowers(i);
  return true;
}

/** deletionOf: the chain deletes whitespace only, or whitespace and `+` (the deleting walk's two byte maps, in that order). */
const DELETES_WHITESPACE: u32 = 1;
const DELETES_WHITESPACE_AND_PLUS: u32 = 2;

/**
 * What a chain whose transforms that may act on a value with features `rawMask` are `tail`
 * (activeTail) does to that value when all it does is delete bytes: DELETES_WHITESPACE when
 * its first step is removeWhitespace; DELETES_WHITESPACE_AND_PLUS when it is urlDecode on a
 * value without `%` (then it only turns each `+` into a space) and removeWhitespace is the
 * next step that may act on that output (checked against a superset of its features: the
 * raw value's, without `+`, with a space, every pair and both edges). 0 otherwise: NBSP in
 * the value (a two-byte deletion no byte map expresses), or a step after removeWhitespace
 * that may act, checked against a superset of the output's features: the raw value's plus
 * every byte pair and the lone dot, which deleting can create ("/ *" → "/*", " . " → ".").
 */
function deletionOf(tail: u64, rawMask: u32): u32 {
  if ((rawMask & P_NBSP) != 0) return 0;
  let deletes = DELETES_WHITESPACE;
  const first = <u32>(tail & 0xff);
  if (first == T_URL_DECODE || first == T_URL_DECODE_UNI) {
    if ((rawMask & B_PERCENT) != 0) return 0;
    const decoded = (rawMask & ~B_PLUS) | B_SPACE | PAIRS | E_LEAD_SPACE | E_TRAIL_SPACE;
    for (tail >>= 8; tail != 0; tail >>= 8) {
      const trigger = triggerMask(<u32>(tail & 0xff));
      if (trigger == ALWAYS || (trigger & decoded) != 0) break;
    }
    deletes = DELETES_WHITESPACE_AND_PLUS;
  }
  if (<u32>(tail & 0xff) != T_REMOVE_WHITESPACE) return 0;
  const after = rawMask | PAIRS | E_LONE_DOT;
  for (let rest = tail >> 8; rest != 0; rest >>= 8) {
    const trigger = triggerMask(<u32>(rest & 0xff));
    if (trigger == ALWAYS || (trigger & after) != 0) return 0;
  }
  return deletes;
}

/** The leader whose input the deleting walk under way stands for. */
let deletingLeader: u32 = 0;

/**
 * Whether output state `state` of the pack-wide automaton has a literal of a rule of the
 * deleting walk's leader or of one of its followers: the other classes' literals are not that
 * walk's to find.
 */
function stateOfDeletingLeader(state: u32): bool {
  const ac = prefilterAc;
  return stateHasRule(state, load<u32>(ac + 8), ac + load<u32>(ac + 20), packBase, ruleOfDeletingLeader);
}

/** Whether rule `r` is of the deleting walk's leader or of one of its followers. */
function ruleOfDeletingLeader(r: u32): bool {
  const c = load<u32>(groupClass + <usize>load<u16>(rulesBase + <usize>r * RULE_SIZE + R_GROUP) * 4);
  return c == deletingLeader || (load<u8>(classState + c) == CLASS_FOLLOWER && load<u32>(classWalk + <usize>c * 4) == deletingLeader);
}

/** Whether class `c` has an always-run rule, at this paranoia, that may read the current part (its name bit). */
// @ts-ignore: decorator
@inline function hasAlwaysWork(c: u32): bool {
  return load<u32>(classBase + <usize>c * CLASS_SIZE + 28) <= paranoia && nameBit(partClassBits, c);
}

/** ASCII letters and space in the byte-set encoding of byte-set.ts: never gate bytes. */
const LETTERS_AND_SPACE = memory.data<u8>([
  0xa4, 0xf0, 0xf0, 0xf0, 0xf0, 0xf0, 0xf0, 0xf0, 0xf0, 0xf0, 0xf0, 0x50, 0x50, 0x50, 0x50, 0x50,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
]);

/** Transforms whose output holds only bytes of their input (either case), and spaces. */
function gateSafe(t: u32): bool {
  return t == T_LOWERCASE || t == T_UPPERCASE || t == T_REMOVE_NULLS || t == T_REPLACE_NULLS || t == T_REMOVE_WHITESPACE ||
    t == T_COMPRESS_WHITESPACE || t == T_TRIM || t == T_TRIM_LEFT || t == T_TRIM_RIGHT;
}

const CLASS_FOLLOWER: u8 = 3; // same effective chain as an earlier class (classWalk = that leader)
/** markFollowers found a follower in the current part. */
let anyFollower = false;

/** markFollowers' key for a chain that only deletes bytes (deletionOf in the low byte). */
const DELETION_TAIL: u64 = 0xffffffffffffff00;

/**
 * The transforms of a class that can act on this value: leading ones whose triggers the raw
 * value lacks are identities (as cachedChain skips them), so the chain really starts at the
 * first that may act. Two classes with equal remainders (that transform and all after it),
 * or that both only delete the same bytes (deletionOf), produce the same bytes from the same
 * value: the later one follows the earlier and is never computed. Exact, by trigger
 * soundness; no bytes compared. Cost: one u64 compare per class and earlier leader, against
 * a chain computed (and, on long values, a walk) saved per follower; the part-plan memo
 * remembers the outcome.
 */
function markFollowers(rawMask: u32): void {
  let leaders: u32 = 0;
  anyFollower = false;
  for (let i: u32 = 0; i < ownClassCount; i++) {
    const c = load<u32>(ownClasses + <usize>i * 4); // all OWN yet
    let tail = activeTail(classBase + <usize>c * CLASS_SIZE, rawMask);
    // Chains that only delete the same bytes on this value make the same input whatever
    // steps they differ in that do not act (an Accept header's three urlDecode then
    // removeWhitespace chains): one key, whose 0xff bytes no chain holds.
    const deletes = deletionOf(tail, rawMask);
    if (deletes != 0) tail = DELETION_TAIL | deletes;
    let leader: u32 = 0xffffffff;
    for (let j: u32 = 0; j < leaders; j++) {
      if (load<u64>(leaderTails + <usize>j * 8) == tail) {
        leader = load<u32>(leaderClasses + <usize>j * 4);
        break;
      }
    }
    if (leader == 0xffffffff) {
      store<u64>(leaderTails + <usize>leaders * 8, tail);
      store<u32>(leaderClasses + <usize>leaders * 4, c);
      leaders++;
      store<u32>(classWalk + <usize>c * 4, c);
    } else {
      store<u8>(classState + c, CLASS_FOLLOWER);
      store<u32>(classWalk + <usize>c * 4, leader);
      anyFollower = true;
    }
  }
}

/**
 * The class's chain from its first transform that may change a value with features `mask`
 * on, as one u64 (transform ids, first in the low byte, zero-padded: a class record's chain
 * bytes are zero past the chain's end), so two remainders compare as one number.
 */
function activeTail(cls: usize, mask: u32): u64 {
  const chain = load<u64>(cls);
  for (let k: u64 = 0; k < 8; k++) {
    const t = <u32>((chain >> (k * 8)) & 0xff);
    if (t == 0) return 0;
    const trigger = triggerMask(t);
    if (trigger == ALWAYS || (trigger & mask) != 0) return chain >> (k * 8);
  }
  return 0;
}

/**
 * A follower of the class at ownClasses[i] takes its leader's outcome: the raw walk when
 * the leader's input is the raw value, else the walk that serves the leader.
 */
function foldFollowers(i: u32): void {
  if (!anyFollower) return;
  const leader = load<u32>(ownClasses + <usize>i * 4);
  const state = load<u8>(classState + leader);
  if (state == CLASS_FOLLOWER) return;
  const walk = load<u32>(classWalk + <usize>leader * 4);
  for (let j = i + 1; j < ownClassCount; j++) {
    const c = load<u32>(ownClasses + <usize>j * 4);
    if (load<u8>(classState + c) != CLASS_FOLLOWER || load<u32>(classWalk + <usize>c * 4) != leader) continue;
    store<u8>(classState + c, state);
    store<u32>(classWalk + <usize>c * 4, walk);
  }
}

/** Distinct transformed inputs of the current field part, each stored once. */
const DEDUPE_BYTES: u32 = 32768;
const DEDUPE_MAX_VALUE: u32 = 4096;
const dedupeArena = memory.data(32768, 16);

/**
 * For every CLASS_OWN class: its input equal to the raw value → CLASS_RAW (returns true if
 * any); equal to an earlier class's input → served by that class's walk (classWalk).
 */
function foldEqualInputs(raw: usize, rawLen: u32): bool {
  let toRaw = false;
  let used: u32 = 0;
  for (let i: u32 = 0; i < ownClassCount; i++) {
    const c = load<u32>(ownClasses + <usize>i * 4);
    // Leaders only (markFollowers): a follower already folded takes no second look.
    if (load<u8>(classState + c) != CLASS_OWN || load<u32>(classWalk + <usize>c * 4) != c || skipQuietLeader(i, rawLen) ||
      skipDeletingLeader(i, raw, rawLen)) continue;
    cachedChain(classBase + <usize>c * CLASS_SIZE);
    const p = chainOut;
    const l = chainOutLen;
    store<u32>(classInput + <usize>c * 16, 0);
    if (l == rawLen && (p == raw || bytesEqual(p, raw, l))) {
      store<u8>(classState + c, CLASS_RAW);
      foldFollowers(i);
      toRaw = true;
      continue;
    }
    if (l > DEDUPE_MAX_VALUE) {
      foldFollowers(i);
      continue;
    }
    let leader: u32 = 0xffffffff;
    for (let j: u32 = 0; j < i; j++) {
      const c2 = load<u32>(ownClasses + <usize>j * 4);
      if (load<u8>(classState + c2) != CLASS_OWN || load<u32>(classWalk + <usize>c2 * 4) != c2) continue;
      const stored = load<u32>(classInput + <usize>c2 * 16);
      // The same stamp is the same bytes (cachedChain), found without comparing them.
      if (stored != 0 && (load<u32>(classInput + <usize>c2 * 16 + 8) == chainStamp ||
        load<u32>(classInput + <usize>c2 * 16 + 4) == l && bytesEqual(stored, p, l))) {
        leader = c2;
        break;
      }
    }
    if (leader != 0xffffffff) {
      store<u32>(classWalk + <usize>c * 4, leader);
    } else if (used + l <= DEDUPE_BYTES) {
      memory.copy(dedupeArena + used, p, l);
      store<u32>(classInput + <usize>c * 16, <u32>(dedupeArena + used));
      store<u32>(classInput + <usize>c * 16 + 4, l);
      store<u32>(classInput + <usize>c * 16 + 8, chainStamp);
      used += l;
    }
    foldFollowers(i);
  }
  return toRaw;
}

/**
 * Lists the classes this field part needs (partClassList, ascending); every other class is
 * CLASS_SKIP. When every group of the kind reads it whole (args, cookies, JSON: the usual
 * case) the list was derived at activation and a group's own mask says whether it reads the
 * part. Otherwise only the groups of the read plan for the kind are visited, marked in
 * groupWants (= partEpoch), and a group that reads the kind only by name (headers:
 * [user-agent]) asks its name filter, whose verdict is remembered per part.
 */
function planPart(part: u32): void {
  partMaskOffset = part == 0 ? G_VALUE_MASK : G_NAME_MASK;
  partBit = 1 << curKind;
  const classes = planClassesBase + <usize>(curKind * 2 + part) * planStride;
  if (load<u32>(classes) != PLAN_DYNAMIC) {
    // Every group of the slot reads this part: the class list was derived at activation.
    partMode = PART_STATIC;
    partClassCount = load<u32>(classes);
    partClassList = classes + 4;
    return;
  }
  // Most fields of such a kind (headers) carry a name no filter reads: then exactly the
  // groups reading the kind whole read them, whose classes were listed at activation. With
  // the slot's named plans (pack.ts deriveNamedPlans, name ids on) the field's name id says
  // which plan it takes, if any: an unlisted name (id below 32) takes none.
  const slotIndex = curKind * 2 + part;
  const plans = <usize>load<u32>(namedPlanSlots + <usize>slotIndex * 4);
  if (plans != 0) {
    const n: u32 = curNameId < 32 ? 0 : load<u32>(plans);
    for (let i: u32 = 0; i < n; i++) {
      const plan = <usize>load<u32>(plans + 4 + <usize>i * 4);
      if (load<u32>(plan) != curNameId) continue;
      partMode = PART_NAMED;
      partEpoch++;
      partClassCount = load<u32>(plan + 4);
      partClassList = plan + 12;
      const groups = partClassList + <usize>partClassCount * 4;
      const nGroups = load<u32>(plan + 8);
      for (let k: u32 = 0; k < nGroups; k++) store<u32>(groupWants + <usize>load<u32>(groups + <usize>k * 4) * 4, partEpoch);
      return;
    }
  }
  if (plans != 0 || !nameListed(planNamesBase + <usize>slotIndex * planStride)) {
    partMode = PART_WHOLE;
    const whole = planWholeBase + <usize>slotIndex * planStride;
    partClassCount = load<u32>(whole);
    partClassList = whole + 4;
    return;
  }
  partMode = PART_NAMED;
  partEpoch++;
  partClassCount = 0;
  partClassList = partClasses;
  filterMemoCount = 0;
  const slot = planBase + <usize>(curKind * 2 + part) * planStride;
  const n = load<u32>(slot);
  let last: u32 = 0xffffffff;
  for (let i: u32 = 0; i < n; i++) {
    const entry = load<u32>(slot + 4 + <usize>i * 4);
    const g = entry & ~PLAN_NAMED;
    if ((entry & PLAN_NAMED) != 0 && !filterReadsName(load<u32>(groupsBase + <usize>g * GROUP_SIZE + G_NAME_FILTER), part)) continue;
    store<u32>(groupWants + <usize>g * 4, partEpoch);
    const c = load<u32>(groupClass + <usize>g * 4);
    if (c != last) {
      store<u32>(partClasses + <usize>partClassCount * 4, c);
      partClassCount++;
      last = c;
    }
  }
}

/** Whether the current field's name is one of the slot's listed filter names (or the list overflowed). */
function nameListed(names: usize): bool {
  const n = load<u32>(names);
  if (n == PLAN_DYNAMIC) return true;
  for (let i: u32 = 0; i < n; i++) if (nameEquals(curName, curNameLen, packBase + load<u32>(names + 4 + <usize>i * 4))) return true;
  return false;
}

/** The group reads the current part's kind only through its name filter (derivePlan's PLAN_NAMED). */
// @ts-ignore: decorator
@inline function readsOnlyByName(group: usize): bool {
  const filter = load<u32>(group + G_NAME_FILTER);
  return filter != 0 && (load<u32>(packBase + filter + (curPart == 0 ? 0 : 4)) & partBit) == 0;
}

// Name-filter verdicts for the current field part, by filter offset (filters are interned
// at compile time, so groups reading the same names share one).
const FILTER_MEMO = 8;
const filterMemoOffset = new StaticArray<u32>(FILTER_MEMO);
const filterMemoResult = new StaticArray<bool>(FILTER_MEMO);
let filterMemoCount: i32 = 0;

function filterReadsName(filter: u32, part: u32): bool {
  for (let i = 0; i < filterMemoCount; i++) if (unchecked(filterMemoOffset[i]) == filter) return unchecked(filterMemoResult[i]);
  let reads = false;
  const n = load<u32>(packBase + filter + 8);
  for (let i: u32 = 0; i < n && !reads; i++) {
    const e = packBase + filter + 12 + <usize>i * SELECTOR_SIZE;
    if (<u32>load<u8>(e) == curKind && <u32>load<u8>(e + 1) == part && nameEquals(curName, curNameLen, e)) reads = true;
  }
  if (filterMemoCount < FILTER_MEMO) {
    unchecked((filterMemoOffset[filterMemoCount] = filter));
    unchecked((filterMemoResult[filterMemoCount] = reads));
    filterMemoCount++;
  }
  return reads;
}

/**
 * Each group of class `c` that looks at this field: its candidates, then its "always" rules.
 * Most classes have no always-run rule at this paranoia level or that may select this field
 * part (its kind, and its name by id: an `accept` header that every detector rule's exclusion
 * list names), and no candidate from this walk: nothing to do for any of their groups. That test is inlined
 * at every call site; the loop is a call only for the few classes with work.
 */
// @ts-ignore: decorator
@inline function evaluateClassGroups(c: u32): void {
  const cls = classBase + <usize>c * CLASS_SIZE;
  if (load<u32>(classCandidateEpoch + <usize>c * 4) == passEpoch || hasAlwaysWork(c)) evaluateGroups(cls);
}

/**
 * Bit curNameId of the current part in record `i`'s name bits (pack.ts ruleNameBits,
 * groupNameBits, classNameBits), from that part's word in record 0's (partRuleBits …).
 */
// @ts-ignore: decorator
@inline function nameBit(bits: usize, i: u32): bool {
  return ((load<u32>(bits + (<usize>i << nameRecordShift)) >> partNameShift) & 1) != 0;
}

/** targets() for the current field part: rule r's name bit, or its selector loop (a name regex, or ids off). */
// @ts-ignore: decorator
@inline function targetsCurrent(r: u32, rule: usize): bool {
  return load<u32>(ruleSelectorKeys + <usize>r * RULE_KEYS_SIZE + RK_SLOW) == 0
    ? nameBit(partRuleBits, r)
    : targets(rule, curKind, curPart, curName, curNameLen);
}

function evaluateGroups(cls: usize): void {
  const first = load<u32>(cls + 20);
  const count = load<u32>(cls + 24);
  for (let g = first; g < first + count && !done; g++) {
    const group = groupsBase + <usize>g * GROUP_SIZE;
    if (partMode == PART_NAMED ? load<u32>(groupWants + <usize>g * 4) != partEpoch
      : (load<u32>(group + partMaskOffset) & partBit) == 0 || (partMode == PART_WHOLE && readsOnlyByName(group))) continue;
    // Nothing to do (and no chain to compute) for a group with no always-run rule at this
    // paranoia level or that may select this field part (name bits) and no candidate from
    // this walk: its literal rules already fired from the walk itself.
    if (load<u32>(groupCandidateEpoch + <usize>g * 4) != passEpoch &&
      (<u32>load<u8>(groupAlwaysParanoia + g) > paranoia || !nameBit(partGroupBits, g))) continue;
    evaluateGroup(group, g);
  }
}

function startChainCache(ptr: usize, len: u32): void {
  unchecked((levelPtr[0] = ptr));
  unchecked((levelLen[0] = len));
  unchecked((levelMask[0] = MASK_UNKNOWN));
  unchecked((levelStamp[0] = 0));
  stampCount = 0;
  cacheDepth = 0;
}

/** How many leading transforms of `chain` (8 ids, zero-padded) the chain cache holds. */
function cachedPrefix(chain: usize): u32 {
  let i: u32 = 0;
  while (i < cacheDepth && i < 8 && load<u8>(chain + i) == unchecked(cacheIds[i]) && load<u8>(chain + i) != 0) i++;
  return i;
}

/**
 * The group's chain applied to the current value, reusing the cached prefix it shares
 * with the previous group, and skipping every transform whose trigger features (bytes,
 * byte pairs, edges) the value lacks (no call, no copy: the level aliases the one before).
 */
function cachedChain(group: usize): void {
  let i = cachedPrefix(group);
  while (i < 8) {
    const t = <u32>load<u8>(group + i);
    if (t == 0) break;
    const src = unchecked(levelPtr[i]);
    const len = unchecked(levelLen[i]);
    const trigger = triggerMask(t);
    let mask = unchecked(levelMask[i]);
    if (mask == MASK_UNKNOWN && trigger != ALWAYS) {
      mask = featureMask(src, len);
      unchecked((levelMask[i] = mask));
    }
    if (trigger != ALWAYS && (mask & trigger) == 0) {
      unchecked((levelPtr[i + 1] = src));
      unchecked((levelLen[i + 1] = len));
      unchecked((levelMask[i + 1] = mask));
      unchecked((levelStamp[i + 1] = unchecked(levelStamp[i])));
    } else {
      unchecked((levelLen[i + 1] = transformInto(t, src, len, i)));
      unchecked((levelPtr[i + 1] = scratchBuffer(i)));
      unchecked((levelMask[i + 1] = MASK_UNKNOWN));
      unchecked((levelStamp[i + 1] = ++stampCount));
    }
    unchecked((cacheIds[i] = <u8>t));
    i++;
  }
  cacheDepth = i;
  chainOut = unchecked(levelPtr[i]);
  chainOutLen = unchecked(levelLen[i]);
  chainStamp = unchecked(levelStamp[i]);
}

/**
 * The group's candidates, then its "always" rules, on the group's transformed value. The
 * chain is computed only once a rule needs it: an always-run rule that targets few fields
 * (`method`, header `transfer-encoding`) would otherwise cost its group's chain on every
 * field the group's other rules read (a lowercased User-Agent, thrown away).
 */
function evaluateGroup(group: usize, g: u32): void {
  // A raw class's chain leaves this value's bytes as they are (no transform's triggers are
  // in it, or its output was found equal to them): its groups read the raw value itself,
  // unless the group's chain ends in the lowercase a class leaves out (pack.ts
  // deriveClasses: the literal walk is case-insensitive) and the value has upper case.
  groupInputReady = load<u8>(classState + <usize>load<u32>(groupClass + <usize>g * 4)) == CLASS_RAW &&
    ((unchecked(levelMask[0]) & triggerMask(T_LOWERCASE)) == 0 || !endsInLowercase(group));
  if (groupInputReady) {
    groupInput = unchecked(levelPtr[0]);
    groupInputLen = unchecked(levelLen[0]);
  }
  for (let i: u32 = 0; i < candidates && !done; i++) {
    const r = load<u32>(candidateList + <usize>i * 4);
    const rule = rulesBase + <usize>r * RULE_SIZE;
    if (<u32>load<u16>(rule + R_GROUP) != g || !enabled(r)) continue;
    if (matchesGroupInput(group, rule)) fire(r);
  }
  const always = packBase + load<u32>(group + G_ALWAYS_OFF);
  const alwaysCount = load<u32>(group + G_ALWAYS_COUNT);
  for (let i: u32 = 0; i < alwaysCount && !done; i++) {
    const r = load<u32>(always + <usize>i * 4);
    if (!enabled(r)) continue;
    const rule = rulesBase + <usize>r * RULE_SIZE;
    if (!targetsCurrent(r, rule)) continue;
    let m = matchesGroupInput(group, rule);
    if ((<u32>load<u8>(rule + R_FLAGS) & RF_NEGATE) != 0) m = !m;
    if (m) fire(r);
  }
}

/** Whether the group's chain (up to 8 transform ids, zero-padded) ends in lowercase. */
// @ts-ignore: decorator
@inline function endsInLowercase(group: usize): bool {
  const chain = load<u64>(group);
  if (chain == 0) return false;
  const last = <u32>((63 - <u32>clz(chain)) & ~7);
  return <u32>((chain >> last) & 0xff) == <u32>T_LOWERCASE;
}

// The group's transformed value while evaluateGroup runs, computed on first use.
let groupInputReady = false;
let groupInput: usize = 0;
let groupInputLen: u32 = 0;

/** The rule's operator on the group's transformed value (its chain computed once per group visit). */
function matchesGroupInput(group: usize, rule: usize): bool {
  if (!groupInputReady) {
    cachedChain(group);
    // Copied out: a chain condition of a rule that fires runs applyChain, which moves chainOut.
    groupInput = chainOut;
    groupInputLen = chainOutLen;
    groupInputReady = true;
  }
  return runOperator(rule, groupInput, groupInputLen);
}

function onPrefilterHit(r: u32, hitFlags: u32, start: u32, end: u32): bool {
  if (done) return true;
  literalHits++;
  const rule = rulesBase + <usize>r * RULE_SIZE;
  // Only hits of the classes this walk serves count.
  const c = load<u32>(groupClass + <usize>load<u16>(rule + R_GROUP) * 4);
  if (walkFilter == WALK_RAW
    ? load<u8>(classState + c) != CLASS_RAW
    : load<u8>(classState + c) != CLASS_OWN || load<u32>(classWalk + <usize>c * 4) != walkFilter) return false;
  if (!enabled(r)) return false;
  if (!targetsCurrent(r, rule)) return false;
  if ((hitFlags & HIT_DIRECT) != 0) {
    fire(r);
    return done;
  }
  const state = ruleStateBase + <usize>r * 8;
  if (load<u32>(state) != passEpoch) {
    store<u32>(state, passEpoch);
    store<u32>(groupCandidateEpoch + <usize>load<u16>(rule + R_GROUP) * 4, passEpoch);
    if (load<u32>(classCandidateEpoch + <usize>c * 4) != passEpoch) {
      store<u32>(classCandidateEpoch + <usize>c * 4, passEpoch);
      store<u32>(candidateClasses + <usize>candidateClassCount * 4, c);
      candidateClassCount++;
    }
    store<u32>(candidateList + <usize>candidates * 4, r);
    candidates++;
  }
  return false;
}

/**
 * The disabled-rule bitset for part `part` of the field whose descriptor word is `word`, or 0
 * when no route applies. Set 0 holds the rules the matching routes switch off everywhere;
 * with INSPECT_FIELD_SCOPED (routes with targets) the descriptor names the part's own set,
 * which the host wrote as set 0 plus the rules the routes keep off that part.
 */
// @ts-ignore: decorator
@inline function disabledSetOf(word: u32, part: u32): usize {
  if ((flags & INSPECT_USE_DISABLED) == 0) return 0;
  const set = (flags & INSPECT_FIELD_SCOPED) == 0 ? 0 : (word >> (part == 0 ? DESC_VALUE_SET_SHIFT : DESC_NAME_SET_SHIFT)) & 0xff;
  return disabledBase + <usize>set * disabledStride;
}

/** Rule r's bit in the disabled-rule bitset at `set` (disabledSetOf; 0: none). */
// @ts-ignore: decorator
@inline function ruleDisabledIn(set: usize, r: u32): bool {
  return set != 0 && (<u32>load<u8>(set + (r >> 3)) & (1 << (r & 7))) != 0;
}

/** A rule runs at most once per request: skipped above the paranoia level, when disabled, or decided. */
@inline function enabled(r: u32): bool {
  const rule = rulesBase + <usize>r * RULE_SIZE;
  if (<u32>load<u8>(rule + R_PARANOIA) > paranoia) return false;
  if (ruleDisabledIn(partDisabledSet, r)) return false;
  return load<u32>(ruleStateBase + <usize>load<u16>(rule + R_LOGICAL) * 8 + 4) != requestEpoch;
}

function nameEquals(name: usize, nameLen: u32, sel: usize): bool {
  const len = load<u32>(sel + 8);
  if (len != nameLen) return false;
  const s = packBase + load<u32>(sel + 4);
  for (let i: u32 = 0; i < len; i++) if (foldAscii(<u32>load<u8>(name + i)) != <u32>load<u8>(s + i)) return false;
  return true;
}

/** Does this rule look at this field (kind, part, name)? Masks first, then named selectors. */
export function targets(rule: usize, kind: u32, part: u32, name: usize, nameLen: u32): bool {
  let selected = ((load<u32>(rule + (part == 0 ? R_VALUE_MASK : R_NAME_MASK)) >> kind) & 1) != 0;
  const count = load<u32>(rule + R_SEL_COUNT);
  if (count == 0) return selected;
  // No selector can match this field: none names its kind, or none with a name of its
  // length, first and last byte (a header exclusion list on an argument, or on a header
  // named otherwise).
  const keys = ruleSelectorKeys + <usize>((rule - rulesBase) / RULE_SIZE) * RULE_KEYS_SIZE;
  if (((load<u32>(keys + 16 + <usize>part * 4) >> kind) & 1) == 0 ||
    (load<u64>(keys + <usize>part * 8) & selectorKey(kind, nameLen, name)) == 0) return selected;
  const sels = packBase + load<u32>(rule + R_SEL_OFF);
  for (let i: u32 = 0; i < count; i++) {
    const sel = sels + <usize>i * SELECTOR_SIZE;
    if (<u32>load<u8>(sel) != kind || <u32>load<u8>(sel + 1) != part) continue;
    const isExclude = load<u8>(sel + 2) == 1;
    if (!isExclude && selected) continue;
    const matches = load<u8>(sel + 3) == 1
      ? dfaIsMatch(load<u32>(selectorTables + <usize>(<u32>(sel - selectorsBase) / SELECTOR_SIZE) * 4), name, nameLen)
      : nameEquals(name, nameLen, sel);
    if (!matches) continue;
    // An exclusion wins over every inclusion: decided, whatever the selectors left say.
    if (isExclude) return false;
    selected = true;
  }
  return selected;
}

// Scratch buffers by number, so a step can name its destination before the buffers may grow:
// 0–7 the chain cache's levels, then the ping-pong pairs of applyChain.
const BUFFER_B: u32 = 8;
const BUFFER_C: u32 = 9;
const BUFFER_D: u32 = 10;

/** Where scratch buffer `id` is now (ensureScratch may have replaced them all). */
function scratchBuffer(id: u32): usize {
  if (id < BUFFER_B) return levelBase + <usize>id * levelStride;
  return id == BUFFER_B ? scratchB : id == BUFFER_C ? scratchC : scratchD;
}

/**
 * One transform step into scratch buffer `dst`: the buffers first grow if the transform's
 * bound needs it (a refusal sets the result flag and the step writes the prefix that fits).
 * Every chain step, cached or not, goes through here. Returns the output length.
 */
function transformInto(t: u32, src: usize, len: u32, dst: u32): u32 {
  const n = len < scratchCap ? len : scratchCap;
  if (!ensureScratch(transformBound(t, n))) resultFlags |= RESULT_MEMORY_CUT;
  return runTransform(t, src, n, scratchBuffer(dst), scratchRoom);
}

/** Applies a group's transform chain, alternating between buffers `a` and `b`; the result is in chainOut/chainOutLen. */
function applyChain(group: usize, ptr: usize, len: u32, a: u32, b: u32): void {
  let src = ptr;
  let srcLen = len;
  let dst = a;
  for (let i: u32 = 0; i < 8; i++) {
    const t = <u32>load<u8>(group + i);
    if (t == 0) break;
    srcLen = transformInto(t, src, srcLen, dst);
    src = scratchBuffer(dst);
    dst = dst == a ? b : a;
  }
  chainOut = src;
  chainOutLen = srcLen;
}

/** The rule matched on the current field: check its chain, record it, apply its action. */
function fire(r: u32): void {
  // Counted before the chain conditions: a rule whose operator matched here but whose
  // conditions failed on the other fields may fire on this part in another request.
  operatorMatches++;
  const rule = rulesBase + <usize>r * RULE_SIZE;
  const ruleFlags = <u32>load<u8>(rule + R_FLAGS);
  const unconfirmed = (ruleFlags & RF_NEEDS_CONFIRM) != 0;
  // Decided for this request: this rule and every other part of its logical rule. A match
  // the host must confirm decides nothing yet: if the host says no, a later field may match.
  if (!unconfirmed) store<u32>(ruleStateBase + <usize>load<u16>(rule + R_LOGICAL) * 8 + 4, requestEpoch);
  if (load<u32>(rule + R_COND_COUNT) > 0 && !conditionsHold(rule)) return;
  totalMatches++;
  record(r, unconfirmed);
  // An unconfirmed match only counts once the host's RegExp agrees (src/engine/engine.ts confirm).
  if (unconfirmed) return;
  const action = <u32>load<u8>(rule + R_ACTION);
  if (action == ACTION_LOG) return;
  if (action == ACTION_ALLOW) {
    verdict = VERDICT_FORCED_ALLOW;
    decidingRule = r;
    done = true;
    return;
  }
  if (action == ACTION_BLOCK) {
    if (verdict == VERDICT_ALLOW) decidingRule = r;
    verdict = VERDICT_BLOCK;
  } else {
    score += load<u32>(rule + R_SCORE);
    if (blockThreshold > 0 && score >= blockThreshold) verdict = VERDICT_BLOCK;
  }
  if (verdict == VERDICT_BLOCK && (flags & INSPECT_EARLY_EXIT) != 0) {
    resultFlags |= 2;
    done = true;
  }
}

/**
 * Records rule r's match on the current field part. A full block keeps the definite matches:
 * an unconfirmed one (a candidate of a prefilter-mode rule, recorded on every field its
 * automaton passed) gives way to a definite one and is dropped, and RESULT_UNCONFIRMED_DROPPED
 * tells the host to confirm those rules over every field itself (src/engine/engine.ts).
 * Without this, a rule over-approximating on hundreds of fields (a multipart body, CRS
 * 922110-24) filled the block and pushed out the matches that decided the request.
 * RESULT_MATCHES_TRUNCATED: a definite match found the block full of definite ones.
 */
function record(r: u32, unconfirmed: bool): void {
  const maxRecords = (resultCap - 32) >> 4;
  let slot = recorded;
  if (recorded >= maxRecords) {
    if (unconfirmed) {
      resultFlags |= RESULT_UNCONFIRMED_DROPPED;
      return;
    }
    // The last unconfirmed record makes room; with none left, the match is not recorded.
    slot = maxRecords;
    for (let i = maxRecords; i > 0; i--) {
      if ((load<u32>(resultBase + 32 + <usize>(i - 1) * 16 + 8) & 2) != 0) {
        slot = i - 1;
        break;
      }
    }
    if (slot == maxRecords) {
      resultFlags |= RESULT_MATCHES_TRUNCATED;
      return;
    }
    resultFlags |= RESULT_UNCONFIRMED_DROPPED;
  } else recorded++;
  const rec = resultBase + 32 + <usize>slot * 16;
  store<u32>(rec, r);
  store<u32>(rec + 4, curField);
  store<u32>(rec + 8, curPart | (unconfirmed ? 2 : 0));
  store<u32>(rec + 12, 0);
}

/**
 * For the host's own confirmation pass after RESULT_UNCONFIRMED_DROPPED: whether rule r ran
 * in the last inspection (its paranoia level, not disabled by the route, its logical rule not
 * decided by another part), reads part `part` of field `field`, and its operator holds there
 * as the inspect loop would have judged it (evaluateGroup): on the value the rule's chain makes,
 * its Wasm over-approximation (an over-budget regex's required-byte set, a prefilter-mode DFA),
 * negation applied. 0 or 1. Its chain conditions, which do not depend on the field, are
 * ruleConditionsHold's.
 */
export function ruleMayConfirmOn(r: u32, field: u32, part: u32): u32 {
  if (r >= totalRules || field >= fieldCount || part > 1) return 0;
  const rule = rulesBase + <usize>r * RULE_SIZE;
  if (<u32>load<u8>(rule + R_PARANOIA) > paranoia) return 0;
  if (load<u32>(ruleStateBase + <usize>load<u16>(rule + R_LOGICAL) * 8 + 4) == requestEpoch) return 0;
  const d = descBase + <usize>field * DESC_SIZE;
  const word = load<u32>(d);
  if (ruleDisabledIn(disabledSetOf(word, part), r)) return 0;
  const kind = word & 0xff;
  const nameLen = load<u32>(d + 8);
  if (kind >= 32 || (part == 1 && nameLen == 0) || !targets(rule, kind, part, arenaBase + load<u32>(d + 4), nameLen)) return 0;
  const before = resultFlags;
  resultFlags &= ~RESULT_MEMORY_CUT;
  applyChain(groupsBase + <usize>load<u16>(rule + R_GROUP) * GROUP_SIZE, arenaBase + load<u32>(d + (part == 0 ? 12 : 4)), load<u32>(d + (part == 0 ? 16 : 8)), BUFFER_B, BUFFER_C);
  const cut = (resultFlags & RESULT_MEMORY_CUT) != 0;
  resultFlags |= before;
  // A chain cut short by memory proves nothing: the host confirms.
  if (cut) return 1;
  let m = runOperator(rule, chainOut, chainOutLen);
  if ((<u32>load<u8>(rule + R_FLAGS) & RF_NEGATE) != 0) m = !m;
  return <u32>m;
}

/** Whether every chain condition of rule r holds on the last inspected request (1 with none). */
export function ruleConditionsHold(r: u32): u32 {
  return <u32>(r < totalRules && conditionsHold(rulesBase + <usize>r * RULE_SIZE));
}

/** Whether every chain condition of the rule at `rule` holds (true with none). */
function conditionsHold(rule: usize): bool {
  const first = load<u32>(rule + R_COND_FIRST);
  const count = load<u32>(rule + R_COND_COUNT);
  // A route that keeps fields from this rule keeps them from its conditions too.
  const r = <u32>((rule - rulesBase) / RULE_SIZE);
  for (let c: u32 = 0; c < count; c++) if (!conditionHolds(first + c, r)) return false;
  return true;
}

/**
 * A chain condition of rule r holds if its operator matches on any field part it targets
 * that no route keeps from rule r (disabledSetOf).
 */
function conditionHolds(c: u32, r: u32): bool {
  const cond = rulesBase + <usize>c * RULE_SIZE;
  const group = groupsBase + <usize>load<u16>(cond + R_GROUP) * GROUP_SIZE;
  const negate = (<u32>load<u8>(cond + R_FLAGS) & RF_NEGATE) != 0;
  for (let f: u32 = 0; f < fieldCount; f++) {
    const d = descBase + <usize>f * DESC_SIZE;
    const kind = load<u32>(d) & 0xff;
    if (kind >= 32) continue;
    const name = arenaBase + load<u32>(d + 4);
    const nameLen = load<u32>(d + 8);
    for (let part: u32 = 0; part < 2; part++) {
      if (!targets(cond, kind, part, name, nameLen) || ruleDisabledIn(disabledSetOf(load<u32>(d), part), r)) continue;
      const ptr = part == 0 ? arenaBase + load<u32>(d + 12) : name;
      const len = part == 0 ? load<u32>(d + 16) : nameLen;
      applyChain(group, ptr, len, BUFFER_C, BUFFER_D);
      let m = runOperator(cond, chainOut, chainOutLen);
      if (negate) m = !m;
      if (m) return true;
    }
  }
  return false;
}

/** The value the rule saw for a field, transformed by its chain, left in scratch A. */
export function transformFieldForRule(field: u32, part: u32, r: u32): u32 {
  if (field >= fieldCount || r >= totalRules) return 0;
  const d = descBase + <usize>field * DESC_SIZE;
  const rule = rulesBase + <usize>r * RULE_SIZE;
  const group = groupsBase + <usize>load<u16>(rule + R_GROUP) * GROUP_SIZE;
  const ptr = arenaBase + load<u32>(d + (part == 0 ? 12 : 4));
  const len = load<u32>(d + (part == 0 ? 16 : 8));
  applyChain(group, ptr, len, BUFFER_B, BUFFER_C);
  if (!ensureScratch(chainOutLen)) resultFlags |= RESULT_MEMORY_CUT; // an empty chain hands back the field itself
  // After the decision: a cut here joins the flags the host reads once it has confirmed.
  store<u32>(resultBase + 12, load<u32>(resultBase + 12) | (resultFlags & RESULT_MEMORY_CUT));
  const n = chainOutLen < scratchRoom ? chainOutLen : scratchRoom;
  if (chainOut != scratchA) memory.copy(scratchA, chainOut, n);
  return n;
}

/** Literal walks the last inspect made over field values (test hook: work, not time). */
export function inspectWalkCount(): u32 {
  return walks;
}

/** Deleting walks of the last inspect (test hook): walks over raw values standing in for a removeWhitespace copy. */
export function inspectDeletingWalkCount(): u32 {
  return deletingWalks;
}

/** Literal hits the last inspect's walks reported to the engine, taken or refused (test hook). */
export function inspectHitCount(): u32 {
  return literalHits;
}

/** Field parts the last inspect skipped because the verdict cache knew them (test hook). */
export function inspectCacheHits(): u32 {
  return cacheHits;
}

/**
 * Test hook: walks the groups listed at `order` (u32 group indexes, repeats allowed) through
 * the chain cache on one value, as inspect does for a field part, and counts the groups whose
 * cached output differs from the chain applied from scratch. Always 0 unless the cache (shared
 * prefixes, skipped transforms) is wrong (test/chain-cache.test.ts).
 */
export function chainCacheMismatches(ptr: usize, len: u32, order: usize, count: u32): u32 {
  if (packBase == 0) return 0xffffffff;
  startChainCache(ptr, len);
  unchecked((levelMask[0] = featureMask(ptr, len)));
  let mismatches: u32 = 0;
  for (let i: u32 = 0; i < count; i++) {
    const g = load<u32>(order + <usize>i * 4);
    if (g >= groupCount) return 0xffffffff;
    const group = groupsBase + <usize>g * GROUP_SIZE;
    cachedChain(group);
    const cached = chainOut;
    const cachedLen = chainOutLen;
    applyChain(group, ptr, len, BUFFER_C, BUFFER_D);
    if (cachedLen != chainOutLen || memory.compare(cached, chainOut, cachedLen) != 0) mismatches++;
  }
  return mismatches;
}
