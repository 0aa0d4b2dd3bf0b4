// Verdict cache: field parts known to fire no rule, so a value seen before costs a hash and
// one byte compare instead of chains, walks and detectors.
//
// Real traffic repeats most of its header values (a few browsers' User-Agent, Accept,
// Accept-Language, Accept-Encoding; one Host), and each such value costs the same work
// every time. Whether a rule's operator matches a field part depends only on the pack, the
// paranoia level, the field's kind, the part (value or name), the name and the bytes; whether
// it then fires can depend on other fields (chain conditions), and a rule decided earlier in
// the request is skipped. So a part is stored only when no rule's operator matched in the
// request so far, this part included, and no route exclusion disabled any rule (and no
// transformed value was cut short); a hit then means exactly "no rule's operator matches this
// part", whatever the rest of a later request holds or disables. Entries are compared
// byte for byte, never trusted on a hash, so no input can be crafted to borrow another's
// verdict; a colliding or flooding client only evicts entries (a speed effect, bounded).
// Only parameter names and the values of standard browser headers are cached (see
// verdictCacheEligible): a hit is faster than a miss, so a cached query, body or cookie
// value would let a client time whether someone else sent it.
//
// Cost: a miss hashes the key (two lanes of 8 bytes) and reads one 16-byte row of tags;
// a key is copied into a slot only the second time it misses (a doorkeeper remembers first
// sightings), so a stream of values never seen twice pays no copies. Memory: about 262 KB,
// fixed. Keys longer than KEY_BYTES are not cached (long values rarely repeat).

import { FIELD_BODY_FORM, FIELD_COOKIE, FIELD_HEADER, FIELD_METHOD, FIELD_PROTOCOL, FIELD_QUERY_ARG } from "./abi";
import { bytesEqual } from "./bytes-equal";

const SLOT_SIZE: u32 = 256;
const HEADER: u32 = 8;
/** Name + value bytes a slot holds. */
export const KEY_BYTES: u32 = SLOT_SIZE - HEADER;
/** Four-way set associative: SETS sets of WAYS slots (FIFO within a set). */
const WAYS: u32 = 4;
const SETS: u32 = 256;
const SLOTS: u32 = SETS * WAYS;
/** Doorkeeper bits: a key is stored the second time it misses. Cleared after DOOR_BITS / 4 first sightings. */
const DOOR_BITS: u32 = 8192;

// Layout from `base` (reserved by configure, regions.ts). A probe touches one 16-byte row
// of tags; slots are read only on a tag match, so a miss pulls no slot into the cache:
//   tags:  u32 per slot, the key's hash (0: empty)
//   next:  u8 per set, the way to replace next
//   door:  DOOR_BITS bits, set by a key hash's first miss
//   slots: SLOT_SIZE bytes each: u16 name length · u16 value length · u8 kind · u8 part ·
//          u8 paranoia · u8 0 · name bytes · value bytes
const TAGS: usize = 0;
const NEXT: usize = TAGS + SLOTS * 4;
const DOORS: usize = NEXT + SETS;
const DATA: usize = (DOORS + DOOR_BITS / 8 + 63) & ~63;
/** Bytes configure reserves for the cache. */
export const VERDICT_CACHE_BYTES: u32 = <u32>DATA + SLOTS * SLOT_SIZE;

/**
 * Header names whose values the cache may remember: what browsers and standard clients send
 * alike, carrying no credential, session or URL (so no Cookie, Authorization, Referer or
 * custom header). As [length][lower-case bytes] ..., 0.
 * te dnt via host accept origin pragma purpose sec-gpc priority sec-ch-ua connection keep-alive user-agent sec-purpose content-type cache-control accept-charset sec-fetch-dest sec-fetch-mode sec-fetch-site sec-fetch-user accept-encoding accept-language sec-ch-ua-mobile x-requested-with sec-ch-ua-platform upgrade-insecure-requests
 */
const SHARED_HEADERS = memory.data<u8>([
  2, 116, 101, 3, 100, 110, 116, 3, 118, 105, 97, 4, 104, 111, 115, 116, 6, 97, 99, 99, 101, 112, 116, 6,
  111, 114, 105, 103, 105, 110, 6, 112, 114, 97, 103, 109, 97, 7, 112, 117, 114, 112, 111, 115, 101, 7, 115, 101,
  99, 45, 103, 112, 99, 8, 112, 114, 105, 111, 114, 105, 116, 121, 9, 115, 101, 99, 45, 99, 104, 45, 117, 97,
  10, 99, 111, 110, 110, 101, 99, 116, 105, 111, 110, 10, 107, 101, 101, 112, 45, 97, 108, 105, 118, 101, 10, 117,
  115, 101, 114, 45, 97, 103, 101, 110, 116, 11, 115, 101, 99, 45, 112, 117, 114, 112, 111, 115, 101, 12, 99, 111,
  110, 116, 101, 110, 116, 45, 116, 121, 112, 101, 13, 99, 97, 99, 104, 101, 45, 99, 111, 110, 116, 114, 111, 108,
  14, 97, 99, 99, 101, 112, 116, 45, 99, 104, 97, 114, 115, 101, 116, 14, 115, 101, 99, 45, 102, 101, 116, 99,
  104, 45, 100, 101, 115, 116, 14, 115, 101, 99, 45, 102, 101, 116, 99, 104, 45, 109, 111, 100, 101, 14, 115, 101,
  99, 45, 102, 101, 116, 99, 104, 45, 115, 105, 116, 101, 14, 115, 101, 99, 45, 102, 101, 116, 99, 104, 45, 117,
  115, 101, 114, 15, 97, 99, 99, 101, 112, 116, 45, 101, 110, 99, 111, 100, 105, 110, 103, 15, 97, 99, 99, 101,
  112, 116, 45, 108, 97, 110, 103, 117, 97, 103, 101, 16, 115, 101, 99, 45, 99, 104, 45, 117, 97, 45, 109, 111,
  98, 105, 108, 101, 16, 120, 45, 114, 101, 113, 117, 101, 115, 116, 101, 100, 45, 119, 105, 116, 104, 18, 115, 101,
  99, 45, 99, 104, 45, 117, 97, 45, 112, 108, 97, 116, 102, 111, 114, 109, 25, 117, 112, 103, 114, 97, 100, 101,
  45, 105, 110, 115, 101, 99, 117, 114, 101, 45, 114, 101, 113, 117, 101, 115, 116, 115, 0,
]);
/** Bit n set: some name above is n bytes long. */
const SHARED_HEADER_LENGTHS: u32 = 0x205ffdc;

let base: usize = 0;
/** The last probed key's hash (verdictCacheStore reuses it). */
let lastHash: u32 = 0;
/** First sightings since the doorkeeper was last cleared. */
let doorSightings: u32 = 0;

/** ANDed into every key hash: a test hook narrows it so keys collide and only bytes tell them apart. */
let hashMask: u32 = 0xffffffff;

/** Test hook: every key hashes to the same tag (true) or not (false). Clears the cache. */
export function verdictCacheCollide(on: bool): void {
  hashMask = on ? 0 : 0xffffffff;
  verdictCacheClear();
}

/** Takes the cache's zeroed memory (configure). */
export function verdictCacheInit(memory: usize): void {
  base = memory;
}

/** Forgets every entry (a pack was activated or rolled back): every tag and the doorkeeper. */
export function verdictCacheClear(): void {
  if (base != 0) memory.fill(base, 0, DATA);
  doorSightings = 0;
}

// @ts-ignore: decorator
@inline function mix(h: u64, word: u64): u64 {
  h = (h ^ word) * 0x9e3779b97f4a7c15;
  return h ^ (h >> 29);
}

/**
 * Hash of `len` bytes at `ptr`, folded into `h`: two independent lanes of 8 bytes, so the
 * multiplies of a long value overlap. Reads whole u64 words: the arena has spare bytes after it.
 */
function hashBytes(h: u64, ptr: usize, len: u32): u64 {
  let h2 = h ^ 0x6a09e667f3bcc908;
  let i: u32 = 0;
  for (; i + 16 <= len; i += 16) {
    h = mix(h, load<u64>(ptr + i));
    h2 = mix(h2, load<u64>(ptr + i + 8));
  }
  if (i + 8 <= len) {
    h = mix(h, load<u64>(ptr + i));
    i += 8;
  }
  const rest = len - i;
  if (rest > 0) h2 = mix(h2, load<u64>(ptr + i) & ((<u64>1 << (<u64>rest * 8)) - 1));
  return mix(h ^ (h2 * 0xff51afd7ed558ccd), <u64>len);
}

function keyHash(kind: u32, part: u32, paranoia: u32, name: usize, nameLen: u32, value: usize, valueLen: u32): u32 {
  let h = mix(0x243f6a8885a308d3, <u64>(kind | (part << 8) | (paranoia << 16)));
  h = hashBytes(h, name, nameLen);
  h = hashBytes(h, value, valueLen);
  const hash = <u32>(h ^ (h >> 32)) & hashMask;
  return hash != 0 ? hash : 1; // 0 marks an empty slot
}

function slotMatches(slot: usize, kind: u32, part: u32, paranoia: u32, name: usize, nameLen: u32, value: usize, valueLen: u32): bool {
  return <u32>load<u16>(slot) == nameLen && <u32>load<u16>(slot + 2) == valueLen &&
    <u32>load<u8>(slot + 4) == kind && <u32>load<u8>(slot + 5) == part && <u32>load<u8>(slot + 6) == paranoia &&
    bytesEqual(slot + HEADER, name, nameLen) && bytesEqual(slot + HEADER + nameLen, value, valueLen);
}

/** Whether `name` (lower case, as the arena holds header names) is one of SHARED_HEADERS. */
function sharedHeader(name: usize, nameLen: u32): bool {
  if (nameLen >= 32 || ((SHARED_HEADER_LENGTHS >> nameLen) & 1) == 0) return false;
  let at = SHARED_HEADERS;
  for (let len = <u32>load<u8>(at); len != 0; len = <u32>load<u8>(at)) {
    if (len > nameLen) return false; // sorted by length
    if (len == nameLen && bytesEqual(at + 1, name, nameLen)) return true;
    at += 1 + len;
  }
  return false;
}

/**
 * Whether the cache may hold this field part: the names of headers, query args, cookies and
 * form fields, the method and protocol, and the values of SHARED_HEADERS. Never the values of
 * query and body fields, cookies, paths, URIs or other headers, nor JSON paths and keys (a
 * JSON object may be keyed by data): a part's being cached shows in response time, and that
 * must not tell a client whether someone else sent a value (a session, an address, a
 * password) lately. Parameter names and browser headers tell nothing of the kind.
 */
export function verdictCacheEligible(kind: u32, part: u32, name: usize, nameLen: u32): bool {
  if (part == 1) return kind == FIELD_HEADER || kind == FIELD_QUERY_ARG || kind == FIELD_COOKIE || kind == FIELD_BODY_FORM;
  if (kind == FIELD_METHOD || kind == FIELD_PROTOCOL) return true;
  return kind == FIELD_HEADER && sharedHeader(name, nameLen);
}

/** Whether the key fits a slot (else neither find nor store it). */
// @ts-ignore: decorator
@inline export function verdictCacheFits(nameLen: u32, valueLen: u32): bool {
  return nameLen + valueLen <= KEY_BYTES;
}

/** True if this field part is known to fire no rule. The key must fit (verdictCacheFits). */
export function verdictCacheFind(kind: u32, part: u32, paranoia: u32, name: usize, nameLen: u32, value: usize, valueLen: u32): bool {
  const hash = keyHash(kind, part, paranoia, name, nameLen, value, valueLen);
  lastHash = hash;
  const first = (hash & (SETS - 1)) * WAYS;
  for (let slot = first; slot < first + WAYS; slot++) {
    if (load<u32>(base + TAGS + <usize>slot * 4) == hash &&
      slotMatches(base + DATA + <usize>slot * SLOT_SIZE, kind, part, paranoia, name, nameLen, value, valueLen)) return true;
  }
  return false;
}

/**
 * Records that the key verdictCacheFind just missed fires no rule, if it missed before (the
 * doorkeeper's bit is set): a value seen once, as most of a unique or hostile stream, costs
 * one bit and no copy. A doorkeeper collision only admits a key early.
 */
export function verdictCacheStore(kind: u32, part: u32, paranoia: u32, name: usize, nameLen: u32, value: usize, valueLen: u32): void {
  const hash = lastHash;
  const bit = (hash >> 8) & (DOOR_BITS - 1);
  const door = base + DOORS + <usize>(bit >> 3);
  const mask: u32 = 1 << (bit & 7);
  if ((<u32>load<u8>(door) & mask) == 0) {
    if (++doorSightings > DOOR_BITS / 4) {
      memory.fill(base + DOORS, 0, DOOR_BITS / 8);
      doorSightings = 1;
    }
    store<u8>(door, <u8>(<u32>load<u8>(door) | mask));
    return;
  }
  const set = hash & (SETS - 1);
  const way = <u32>load<u8>(base + NEXT + set);
  store<u8>(base + NEXT + set, <u8>((way + 1) & (WAYS - 1)));
  const slotIndex = set * WAYS + way;
  store<u32>(base + TAGS + <usize>slotIndex * 4, hash);
  const slot = base + DATA + <usize>slotIndex * SLOT_SIZE;
  store<u16>(slot, <u16>nameLen);
  store<u16>(slot + 2, <u16>valueLen);
  store<u8>(slot + 4, <u8>kind);
  store<u8>(slot + 5, <u8>part);
  store<u8>(slot + 6, <u8>paranoia);
  store<u8>(slot + 7, 0);
  memory.copy(slot + HEADER, name, nameLen);
  memory.copy(slot + HEADER + nameLen, value, valueLen);
}
