// DFA walker: runs one table built by src/regex/dfa-format.ts over one input, in place.
//
// Table layout (see src/regex/dfa-format.ts): header at 0 (flags u16 @6, start @16,
// first accepting @24, EOI class @28), class map u8[256] @32, transitions @288 as u16 or
// u32 (flag bit 0). State ids are pre-multiplied into byte offsets of their rows, so one step
// is `s = load(trans + s + (classMap[byte] << entryShift))`. State 0 is dead; states ≥ first
// accepting are accepting and absorbing.
//
// Linear time: exactly one table step per input byte consumed, then at most one EOI step;
// it stops early on the first accepting or dead state (checked once per 8 bytes: both are
// absorbing, so the check can wait; this saves ~10% over a check per byte). No allocation, no bounds checks
// (the pack loader validates tables before they reach here).

const FLAG_WIDE: u32 = 1;
const OFF_FLAGS: usize = 6;
const OFF_START: usize = 16;
const OFF_ACCEPT: usize = 24;
const OFF_EOI: usize = 28;
const OFF_CLASSES: usize = 32;
const OFF_TRANS: usize = 288;

/** Bytes read by the last `dfaIsMatch` call (up to the end of the 8-byte block where it stopped, ≤ len): the work counter tests use to prove linearity. */
let consumed: u32 = 0;

export function dfaLastConsumed(): u32 {
  return consumed;
}

/** True when the table's pattern matches anywhere in input[0..len). */
export function dfaIsMatch(table: usize, input: usize, len: u32): bool {
  const flags = <u32>load<u16>(table + OFF_FLAGS);
  const accept = load<u32>(table + OFF_ACCEPT);
  const classes = table + OFF_CLASSES;
  const trans = table + OFF_TRANS;
  let s = load<u32>(table + OFF_START);
  if (s >= accept) {
    consumed = 0;
    return true;
  }
  // One unsigned comparison catches both exits: s == 0 wraps to 0xFFFFFFFF.
  const stop = accept - 1;
  let p = input;
  const end = input + <usize>len;
  const end8 = len >= 8 ? end - 7 : input;
  if (flags & FLAG_WIDE) {
    while (p < end8) {
      s = load<u32>(trans + <usize>s + (<usize>load<u8>(classes + <usize>load<u8>(p)) << 2));
      s = load<u32>(trans + <usize>s + (<usize>load<u8>(classes + <usize>load<u8>(p + 1)) << 2));
      s = load<u32>(trans + <usize>s + (<usize>load<u8>(classes + <usize>load<u8>(p + 2)) << 2));
      s = load<u32>(trans + <usize>s + (<usize>load<u8>(classes + <usize>load<u8>(p + 3)) << 2));
      s = load<u32>(trans + <usize>s + (<usize>load<u8>(classes + <usize>load<u8>(p + 4)) << 2));
      s = load<u32>(trans + <usize>s + (<usize>load<u8>(classes + <usize>load<u8>(p + 5)) << 2));
      s = load<u32>(trans + <usize>s + (<usize>load<u8>(classes + <usize>load<u8>(p + 6)) << 2));
      s = load<u32>(trans + <usize>s + (<usize>load<u8>(classes + <usize>load<u8>(p + 7)) << 2));
      p += 8;
      if (s - 1 >= stop) break;
    }
    if (s - 1 < stop) {
      while (p < end) {
        s = load<u32>(trans + <usize>s + (<usize>load<u8>(classes + <usize>load<u8>(p)) << 2));
        p++;
        if (s - 1 >= stop) break;
      }
    }
  } else {
    // Blocks of eight steps with one exit check: DEAD and the accepting states are absorbing,
    // so a state that reached either during the block is still there at its end. `consumed`
    // then counts the whole block (still ≤ len).
    while (p < end8) {
      s = <u32>load<u16>(trans + <usize>s + (<usize>load<u8>(classes + <usize>load<u8>(p)) << 1));
      s = <u32>load<u16>(trans + <usize>s + (<usize>load<u8>(classes + <usize>load<u8>(p + 1)) << 1));
      s = <u32>load<u16>(trans + <usize>s + (<usize>load<u8>(classes + <usize>load<u8>(p + 2)) << 1));
      s = <u32>load<u16>(trans + <usize>s + (<usize>load<u8>(classes + <usize>load<u8>(p + 3)) << 1));
      s = <u32>load<u16>(trans + <usize>s + (<usize>load<u8>(classes + <usize>load<u8>(p + 4)) << 1));
      s = <u32>load<u16>(trans + <usize>s + (<usize>load<u8>(classes + <usize>load<u8>(p + 5)) << 1));
      s = <u32>load<u16>(trans + <usize>s + (<usize>load<u8>(classes + <usize>load<u8>(p + 6)) << 1));
      s = <u32>load<u16>(trans + <usize>s + (<usize>load<u8>(classes + <usize>load<u8>(p + 7)) << 1));
      p += 8;
      if (s - 1 >= stop) break;
    }
    if (s - 1 < stop) {
      while (p < end) {
        s = <u32>load<u16>(trans + <usize>s + (<usize>load<u8>(classes + <usize>load<u8>(p)) << 1));
        p++;
        if (s - 1 >= stop) break;
      }
    }
  }
  consumed = <u32>(p - input);
  if (s >= accept) return true;
  if (s == 0) return false;
  const eoi = load<u32>(table + OFF_EOI);
  if (flags & FLAG_WIDE) s = load<u32>(trans + <usize>s + (<usize>eoi << 2));
  else s = <u32>load<u16>(trans + <usize>s + (<usize>eoi << 1));
  return s >= accept;
}
