// The literal prefilter walk: one table lookup per input byte over an Aho–Corasick DFA
// (built by src/pack/aho-corasick.ts; layout in src/pack/format.ts). States that carry an
// output are numbered last, so the inner loop only compares the state with one bound.

import { AC_HEADER_SIZE, HIT_ANCHOR_END, HIT_ANCHOR_START, HIT_CASE_SENSITIVE } from "../pack-layout";

/** Called for every literal hit that passes its anchor and case checks; return true to stop. */
export type HitHandler = (rule: u32, flags: u32, start: u32, end: u32) => bool;

/**
 * Walks `len` bytes at `input` through the automaton at `ac` (absolute address; `packBase`
 * resolves hit offsets). Returns true if the handler asked to stop.
 */
export function acWalk(ac: usize, packBase: usize, input: usize, len: u32, onHit: HitHandler): bool {
  if (len < load<u32>(ac + 24)) return false; // shorter than every literal
  const classes = load<u32>(ac + 4);
  const firstOut = load<u32>(ac + 8) * classes;
  const wide = (load<u32>(ac + 12) & 1) != 0;
  const states = load<u32>(ac);
  const cmap = ac + 32;
  const trans = ac + AC_HEADER_SIZE;
  const cells = <usize>states * classes;
  const outs = trans + ((cells * (wide ? 4 : 2) + 3) & ~3);
  const pats = outs + <usize>(states - load<u32>(ac + 8)) * 8;
  let s: u32 = 0;
  if (wide) {
    for (let i: u32 = 0; i < len; i++) {
      s = load<u32>(trans + ((<usize>s + load<u8>(cmap + load<u8>(input + i))) << 2));
      if (s >= firstOut && report(s / classes, load<u32>(ac + 8), outs, pats, packBase, input, i + 1, len, onHit)) return true;
    }
  } else {
    for (let i: u32 = 0; i < len; i++) {
      s = <u32>load<u16>(trans + ((<usize>s + load<u8>(cmap + load<u8>(input + i))) << 1));
      if (s >= firstOut && report(s / classes, load<u32>(ac + 8), outs, pats, packBase, input, i + 1, len, onHit)) return true;
    }
  }
  return false;
}

/** Reports the state's own pattern and every pattern on its dictionary-suffix chain. */
function report(state: u32, firstOutState: u32, outs: usize, pats: usize, packBase: usize, input: usize, end: u32, len: u32, onHit: HitHandler): bool {
  // Output records exist only for states >= firstOutState; dictionary links are state ids.
  let rec = outs + <usize>(state - firstOutState) * 8;
  while (true) {
    const own = load<u32>(rec);
    if (own != 0) {
      const pat = pats + <usize>(own - 1) * 12;
      const plen = load<u32>(pat);
      const start = end - plen;
      const hits = packBase + load<u32>(pat + 4);
      const count = load<u32>(pat + 8);
      for (let h: u32 = 0; h < count; h++) {
        const hit = hits + <usize>h * 12;
        const flags = load<u32>(hit + 4);
        if ((flags & HIT_ANCHOR_START) != 0 && start != 0) continue;
        if ((flags & HIT_ANCHOR_END) != 0 && end != len) continue;
        if ((flags & HIT_CASE_SENSITIVE) != 0 && memory.compare(input + start, packBase + load<u32>(hit + 8), plen) != 0) continue;
        if (onHit(load<u32>(hit), flags, start, end)) return true;
      }
    }
    const dict = load<u32>(rec + 4);
    if (dict == 0xffffffff) return false;
    rec = outs + <usize>(dict - firstOutState) * 8;
  }
  return false;
}
