// Rate-limit table: a fixed-capacity, set-associative hash table in linear memory.
//
// Layout. The table is an array of 256-byte buckets, 64-byte aligned. A bucket holds
// WAYS = 8 slots of 32 bytes, each a key followed by its state:
//
//   slot +0   u64  key   (0 = empty)
//   slot +8   f64  t     GCRA: theoretical arrival time (TAT). Windows: window start.
//   slot +16  f64  cur   windows: cost counted in the current window
//   slot +24  f32  prev  sliding window: cost counted in the previous window
//   slot +28  u32  used  logical clock of the last access (for eviction)
//
// Key next to state: a hit in one of the first two ways (the usual case while buckets
// are not full) touches one cache line, where a keys-first layout touches the key line
// plus one or two state lines (measured 5-10% slower with 10k active keys on a loaded
// 2-core VM). A miss in a full bucket reads all 4 lines: the flood case, not the common one.
// That is 32 bytes per tracked identity, with no load-factor slack: buckets are filled
// to all 8 ways before anything is evicted.
//
// Keys are 64-bit hashes computed by the host (policy + identity); 0 marks an empty way,
// so a key of 0 is stored as 1. The bucket index comes from the key multiplied by a
// 64-bit odd constant (Fibonacci hashing), so a weak host hash still spreads.
//
// Eviction: approximate LRU with bounded probing. A key can only live in its bucket;
// when all 8 ways are taken, the way with the oldest `used` stamp is replaced. `used` is
// a u32 logical clock bumped once per call (not time: the host's time may jump), and ages
// are compared modulo 2^32, so wrap-around is harmless. Lookups touch at most 8 keys.
// Nothing is ever deleted, so occupied ways always precede empty ones in a bucket and a
// scan stops at the first empty way.
//
// A fresh (all-zero) state means "never seen": TAT 0 is in the past, and window start 0
// with zero counts is equivalent to an empty window. Eviction is therefore the only way
// the table forgets, and it forgets the least recently used key of one bucket.

export const WAYS: u32 = 8;
export const BUCKET_BYTES: usize = 256;
export const SLOT_BYTES: usize = 32;
/** The state starts after the key; ST_* offsets are relative to the state address. */
const STATE_OFFSET: usize = 8;

export const ST_T: usize = 0;
export const ST_CUR: usize = 8;
export const ST_PREV: usize = 16;
export const ST_USED: usize = 20;

let tableBase: usize = 0;
let bucketMask: u32 = 0;
let bucketCount: u32 = 0;
let reserved: usize = 0;
/** Logical clock, bumped once per check call. */
export let clock: u32 = 1;

export function tableConfigured(): bool {
  return tableBase != 0;
}

export function tableCapacity(): u32 {
  return bucketCount * WAYS;
}

export function tableBytes(): usize {
  return <usize>bucketCount * BUCKET_BYTES;
}

export function reservedBytes(): usize {
  return reserved;
}

/**
 * Reserves the table once: capacity is rounded up to a power-of-two number of buckets.
 * Returns the bytes reserved (table plus alignment slack). A second call reserves nothing
 * and returns the same figure, so several hosts can share one instance safely.
 */
export function configureTable(capacity: u32): usize {
  if (tableBase != 0) return reserved;
  let buckets: u32 = (max<u32>(capacity, WAYS) + WAYS - 1) / WAYS;
  // Round up to a power of two; cap at 2^24 buckets (128 Mi identities, 4 GiB is the memory limit anyway).
  if (buckets > (1 << 24)) buckets = 1 << 24;
  let pow: u32 = 1;
  while (pow < buckets) pow <<= 1;
  bucketCount = pow;
  bucketMask = pow - 1;
  const bytes = <usize>pow * BUCKET_BYTES;
  reserved = bytes + 64;
  const raw = heap.alloc(reserved);
  tableBase = (raw + 63) & ~(<usize>63);
  memory.fill(tableBase, 0, bytes);
  return reserved;
}

/** Forgets every key (tests, policy reloads). */
export function clearTable(): void {
  if (tableBase != 0) memory.fill(tableBase, 0, <usize>bucketCount * BUCKET_BYTES);
  clock = 1;
}

/** Bumps the logical clock; called once per host call. */
@inline export function nextClock(): void {
  clock += 1;
}

@inline function bucketOf(key: u64): usize {
  const h = key * 0x9E3779B97F4A7C15;
  return tableBase + (<usize>(<u32>(h >> 32) & bucketMask) << 8);
}

@inline export function normaliseKey(lo: u32, hi: u32): u64 {
  const k = (<u64>hi << 32) | <u64>lo;
  return k == 0 ? 1 : k;
}

/**
 * Returns the state address for `key`, inserting a fresh (zero) state when absent and
 * evicting the least recently used way of a full bucket. Never fails.
 */
export function findOrInsert(key: u64): usize {
  const base = bucketOf(key);
  let victim: usize = base;
  let oldest: u32 = 0;
  const end = base + BUCKET_BYTES;
  for (let slot = base; slot < end; slot += SLOT_BYTES) {
    const k = load<u64>(slot);
    if (k == key) return slot + STATE_OFFSET;
    if (k == 0) {
      victim = slot;
      break;
    }
    const age = clock - load<u32>(slot + STATE_OFFSET + ST_USED);
    if (age > oldest) {
      oldest = age;
      victim = slot;
    }
  }
  store<u64>(victim, key);
  const st = victim + STATE_OFFSET;
  store<f64>(st + ST_T, 0);
  store<f64>(st + ST_CUR, 0);
  store<u64>(st + ST_PREV, 0); // prev (f32) and used (u32) together
  store<u32>(st + ST_USED, clock);
  return st;
}

/** Returns the state address for `key`, or 0 when the table does not hold it. */
export function find(key: u64): usize {
  const base = bucketOf(key);
  const end = base + BUCKET_BYTES;
  for (let slot = base; slot < end; slot += SLOT_BYTES) {
    const k = load<u64>(slot);
    if (k == key) return slot + STATE_OFFSET;
    if (k == 0) return 0;
  }
  return 0;
}

/** Number of occupied ways (tests and stats; walks the whole table). */
export function countOccupied(): u32 {
  let n: u32 = 0;
  const end = tableBase + <usize>bucketCount * BUCKET_BYTES;
  for (let slot = tableBase; slot < end; slot += SLOT_BYTES) {
    if (load<u64>(slot) != 0) n++;
  }
  return n;
}
