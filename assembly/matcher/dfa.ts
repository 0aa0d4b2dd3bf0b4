// DFA walker: runs one table built by src/regex/dfa-format.ts over one input, in place.
//
// Table layout (see src/regex/dfa-format.ts): header at 0 (flags u16 @6, start @16,
// first accepting @24, EOI class @28), class map u8[256] @32, transitions @288 as u16 or
// u32 (flag bit 0). State ids are pre-multiplied into byte offsets of their rows, so one step
// is `s = load(trans + s + (classMap[byte] << entryShift))`. State 0 is dead; states ≥ first
// accepting are accepting and absorbing.
//
// Linear time: exactly one table step per input byte consumed, then at most one EOI step;
// it stops early on the first accepting or dead state. No allocation, no bounds checks
// (the pack loader validates tables before they reach here).

const FLAG_WIDE: u32 = 1;
const OFF_FLAGS: usize = 6;
const OFF_START: usize = 16;
const OFF_ACCEPT: usize = 24;
const OFF_EOI: usize = 28;
const OFF_CLASSES: usize = 32;
const OFF_TRANS: usize = 288;

/** Bytes consumed by the last `dfaIsMatch` call: the work counter tests use to prove linearity. */
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
  if (flags & FLAG_WIDE) {
    while (p < end) {
      s = load<u32>(trans + <usize>s + (<usize>load<u8>(classes + <usize>load<u8>(p)) << 2));
      p++;
      if (s - 1 >= stop) break;
    }
  } else {
    // Four steps per iteration while at least four bytes remain.
    const end4 = len >= 4 ? end - 3 : input;
    while (p < end4) {
      s = <u32>load<u16>(trans + <usize>s + (<usize>load<u8>(classes + <usize>load<u8>(p)) << 1));
      if (s - 1 >= stop) { p += 1; break; }
      s = <u32>load<u16>(trans + <usize>s + (<usize>load<u8>(classes + <usize>load<u8>(p + 1)) << 1));
      if (s - 1 >= stop) { p += 2; break; }
      s = <u32>load<u16>(trans + <usize>s + (<usize>load<u8>(classes + <usize>load<u8>(p + 2)) << 1));
      if (s - 1 >= stop) { p += 3; break; }
      s = <u32>load<u16>(trans + <usize>s + (<usize>load<u8>(classes + <usize>load<u8>(p + 3)) << 1));
      p += 4;
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
