// Case-insensitive word lookup in the generated open-addressing tables (sql-words.ts,
// html-words.ts). One FNV-1a pass over the word, then probes until a match or an empty
// bucket; tables are at most one third full, so chains are short (the generator prints
// the longest). No strings, no allocation.

/** ASCII upper case to lower case; other bytes unchanged. */
// @ts-ignore: decorator
@inline export function lowerByte(c: u32): u32 {
  return c - 65 < 26 ? c | 0x20 : c;
}

function sameLower(entryBytes: usize, word: usize, len: u32): bool {
  for (let i: u32 = 0; i < len; i++) {
    if (<u32>load<u8>(entryBytes + i) != lowerByte(load<u8>(word + i))) return false;
  }
  return true;
}

/**
 * Looks up [word, word+len). Returns the entry packed as `type | sub << 8 | func << 16`,
 * or 0 when the word is absent (present words always have a nonzero type or sub).
 */
export function lookupWord(word: usize, len: u32, buckets: usize, blob: usize, bits: u32, maxLen: u32): u32 {
  if (len == 0 || len > maxLen) return 0;
  let h: u32 = 0x811c9dc5;
  for (let i: u32 = 0; i < len; i++) {
    h = (h ^ lowerByte(load<u8>(word + i))) * 0x01000193;
  }
  const mask: u32 = (1 << bits) - 1;
  let slot = h >>> (32 - bits);
  while (true) {
    const off = <usize>load<u16>(buckets + (<usize>slot << 1));
    if (off == 0) return 0;
    const entry = blob + off - 1;
    if (<u32>load<u8>(entry) == len && sameLower(entry + 4, word, len)) {
      return load<u32>(entry) >>> 8;
    }
    slot = (slot + 1) & mask;
  }
  return 0;
}
