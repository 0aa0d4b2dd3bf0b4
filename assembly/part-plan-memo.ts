// Part plan memo: the class plan of a field part, remembered.
//
// For each class a field part needs, the inspect loop (inspect.ts inspectPart) decides whether
// it walks the raw value (RAW), needs its own transformed input (OWN) or takes the input of an
// earlier class whose chain does the same thing to this value (FOLLOWER, with that leader:
// markFollowers). The answer depends only on the part's class list and on the features of its
// raw value (transform-triggers.ts featureMask), and the same question comes again and again:
// the fifty custom headers of one request share one list and, mostly, one feature set; so do
// the User-Agents of successive requests. Working it out reads every class's chain bytes
// (about 8 ns a class: 170 ns on a User-Agent, whose part needs 21 classes); recalling it is a
// probe, one copy of every class's state (SKIP for the classes the list leaves out, so the
// part needs no reset of its own) and the leaders of the few classes that are not RAW.
//
// Keys are (list address, class count, feature mask). Only lists at addresses fixed until the
// next activation may be keys (the per-part scratch list is not), and a pack becoming active
// (pack.ts use) starts a new generation, so an address never names two lists. Direct-mapped:
// a key evicts whichever entry shares its index (128 entries, for the ~20 distinct parts of
// an ordinary request). Lists of more than MAX_CLASSES classes, and packs of more than
// IMAGE_BYTES classes, are not remembered. Memory: 52 KB, allocated at the first activation
// and touched only where used.

/** Classes a remembered list may hold. */
const MAX_CLASSES: u32 = 64;
/** Class states an entry holds: every class of the pack (classCap bytes), up to this many. */
const IMAGE_BYTES: u32 = 128;
const ENTRIES_LOG2: u32 = 7;
// Entry: u32 list address, u32 class count, u32 feature mask, u32 flags, u32 generation, u32
// pair count; then (from IMAGE) the state byte of every class of the pack, SKIP for those the
// list leaves out, as one copy; then (from PAIRS) per class of the list whose state is not RAW,
// in list order, a u16 class and a u16 leader (a RAW class's leader is never read).
const IMAGE: u32 = 32;
const PAIRS: u32 = IMAGE + IMAGE_BYTES;
const ENTRY_SIZE: u32 = PAIRS + MAX_CLASSES * 4;
let table: usize = 0;
/** Entries of other generations are empty. Starts at 1: a fresh entry (all zero) is empty. */
let generation: u32 = 1;

/** Flags a plan carries besides its states: the loop's anyRaw, anyOwn and anyFollower. */
export const PLAN_ANY_RAW: u32 = 1;
export const PLAN_ANY_OWN: u32 = 2;
export const PLAN_ANY_FOLLOWER: u32 = 4;
/** partPlanRecall's result bit when the plan was found (the flags are in the low bits). */
export const PLAN_FOUND: u32 = 0x100;
/** partPlanRecall's result holds the count of classes it wrote to `own` from this bit up. */
export const PLAN_OWN_SHIFT: u32 = 16;

// @ts-ignore: decorator
@inline function entryOf(list: usize, mask: u32): usize {
  const h = ((<u32>list >> 2) ^ mask) * 0x9e3779b1;
  return table + <usize>(h >> (32 - ENTRIES_LOG2)) * ENTRY_SIZE;
}

/**
 * The remembered plan of `n` classes at `list` for a value with features `mask`: writes the
 * states of all `stateBytes` classes (a multiple of 16: the class state buffer's capacity) to
 * `states`, and each listed class c whose state is not RAW, in list order, to own (u32) and
 * its leader to leaders[c] (u32); returns PLAN_FOUND | flags | (those classes' count <<
 * PLAN_OWN_SHIFT), or 0 when not remembered (nothing written). A copy and a few pairs: the
 * ordinary request's parts, most of them all RAW, write no leader at all.
 */
export function partPlanRecall(list: usize, n: u32, mask: u32, states: usize, stateBytes: u32, leaders: usize, own: usize): u32 {
  if (table == 0) return 0;
  const e = entryOf(list, mask);
  if (<usize>load<u32>(e) != list || load<u32>(e + 4) != n || load<u32>(e + 8) != mask || load<u32>(e + 16) != generation) return 0;
  for (let i: u32 = 0; i < stateBytes; i += 16) v128.store(states + i, v128.load(e + IMAGE + i));
  const pairs = load<u32>(e + 20);
  for (let i: u32 = 0; i < pairs; i++) {
    const pair = load<u32>(e + PAIRS + <usize>i * 4);
    store<u32>(leaders + <usize>(pair & 0xffff) * 4, pair >> 16);
    store<u32>(own + <usize>i * 4, pair & 0xffff);
  }
  return PLAN_FOUND | load<u32>(e + 12) | (pairs << PLAN_OWN_SHIFT);
}

/**
 * Remembers the plan just worked out for `n` classes at `list` (a list at a fixed address)
 * and features `mask`: the states of all `stateBytes` classes, and the `ownCount` listed
 * classes at `own` that are not RAW (in list order) with their leaders.
 */
export function partPlanRemember(list: usize, n: u32, mask: u32, flags: u32, states: usize, stateBytes: u32, leaders: usize, own: usize, ownCount: u32): void {
  if (n > MAX_CLASSES || stateBytes > IMAGE_BYTES || table == 0) return;
  const e = entryOf(list, mask);
  store<u32>(e, <u32>list);
  store<u32>(e + 4, n);
  store<u32>(e + 8, mask);
  store<u32>(e + 12, flags);
  store<u32>(e + 16, generation);
  for (let i: u32 = 0; i < stateBytes; i += 16) v128.store(e + IMAGE + i, v128.load(states + i));
  for (let i: u32 = 0; i < ownCount; i++) {
    const c = load<u32>(own + <usize>i * 4);
    store<u32>(e + PAIRS + <usize>i * 4, c | (load<u32>(leaders + <usize>c * 4) << 16));
  }
  store<u32>(e + 20, ownCount);
}

/** Forgets every plan (the lists were the previous pack's): a new generation. */
export function partPlanMemoClear(): void {
  if (table == 0) {
    const bytes = <usize>ENTRY_SIZE << ENTRIES_LOG2;
    table = heap.alloc(bytes);
    memory.fill(table, 0, bytes);
  }
  generation++;
}
