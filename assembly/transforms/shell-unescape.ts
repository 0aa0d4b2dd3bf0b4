// shellUnescape: what a POSIX/bash shell makes of a word before running it, so command
// injection rules see `cat /etc/passwd` in `c\at /e''tc/pa"ss"wd` or `cat${IFS}/etc/passwd`.
// Not in ModSecurity (its cmdLine is cruder and lowercases); our own, bash semantics:
//  - quote removal: `'...'` is literal; `"..."` keeps `\` except before `$ \` " newline`;
//    unterminated quotes run to the end; `$'...'` decodes C escapes (`\n \t \xHH \OOO \e \\ \'`
//    ...); `$"..."` is treated like `"..."`;
//  - outside quotes `\c` -> `c`, and `\` + newline disappears (line continuation);
//  - `$IFS` / `${IFS}` -> one space; `$@`, `$*` and `$1`..`$9` (empty in an injected
//    command) are removed, as are `${@}` `${*}` `${1}`..`${9}`.
// Output length <= len.
import { put, finish } from "./emit";
import { copyUntilAny } from "./plain-run";
import { simpleEscape, octalEscape, hexByteEscape } from "./js-decode";

const BSL: u32 = 0x5C;
const SQ: u32 = 0x27;
const DQ: u32 = 0x22;
const DOLLAR: u32 = 0x24;

/** Bytes of a `$` parameter at src+i that expands to nothing (0) or a space; 0 if none. */
let expansionIsSpace = false;
function emptyExpansion(src: usize, i: u32, len: u32): u32 {
  if (i + 1 >= len) return 0;
  const c = <u32>load<u8>(src + i + 1);
  expansionIsSpace = false;
  if (c == 0x40 || c == 0x2A || c - 0x31 < 9) return 2;
  if (c == 0x49 && i + 3 < len && load<u8>(src + i + 2) == 0x46 && load<u8>(src + i + 3) == 0x53) {
    // $IFS, unless it continues as a longer name ($IFSX)
    if (i + 4 < len) {
      const n = <u32>load<u8>(src + i + 4);
      if (n == 0x5F || n - 0x30 < 10 || (n | 0x20) - 0x61 < 26) return 0;
    }
    expansionIsSpace = true;
    return 4;
  }
  if (c == 0x7B && i + 3 < len) {
    const d = <u32>load<u8>(src + i + 2);
    if ((d == 0x40 || d == 0x2A || d - 0x31 < 9) && load<u8>(src + i + 3) == 0x7D) return 4;
    if (d == 0x49 && i + 5 < len && load<u8>(src + i + 3) == 0x46 && load<u8>(src + i + 4) == 0x53 &&
        load<u8>(src + i + 5) == 0x7D) {
      expansionIsSpace = true;
      return 6;
    }
  }
  return 0;
}

export function shellUnescape(src: usize, len: u32, dst: usize, cap: u32): u32 {
  let i: u32 = 0;
  let o: u32 = 0;
  let state: u32 = 0; // 0 plain, 1 '...', 2 "...", 3 $'...'
  while (i < len && o < cap) {
    // Plain runs (no quote, backslash or `$`) are copied 16 bytes at a time.
    if (state != 3) {
      const run = copyUntilAny(src + i, len - i, dst + o, cap - o, <u8>BSL, <u8>SQ, <u8>DQ, <u8>DOLLAR, <u8>DOLLAR);
      i += run;
      o += run;
      if (i >= len || o >= cap) break;
    }
    const c = <u32>load<u8>(src + i);
    if (state == 1) {
      if (c == SQ) state = 0; else o = put(dst, o, cap, c);
      i++;
      continue;
    }
    if (state == 3) {
      if (c == SQ) { state = 0; i++; continue; }
      if (c == BSL && i + 1 < len) {
        const e = <u32>load<u8>(src + i + 1);
        const s = simpleEscape(e);
        if (s >= 0) { o = put(dst, o, cap, <u32>s); i += 2; continue; }
        if (e == 0x65 || e == 0x45) { o = put(dst, o, cap, 0x1B); i += 2; continue; }
        if (e == BSL || e == SQ || e == DQ || e == 0x3F) { o = put(dst, o, cap, e); i += 2; continue; }
        if (e == 0x78) {
          const b = hexByteEscape(src, i, len);
          if (b >= 0) { o = put(dst, o, cap, <u32>b); i += 4; continue; }
        } else {
          const oct = octalEscape(src, i + 1, len);
          if (oct >= 0) { o = put(dst, o, cap, <u32>(oct & 0xFF)); i += 1 + <u32>(oct >> 16); continue; }
        }
      }
      o = put(dst, o, cap, c);
      i++;
      continue;
    }
    if (c == BSL) {
      if (i + 1 >= len) { o = put(dst, o, cap, c); i++; continue; }
      const e = <u32>load<u8>(src + i + 1);
      i += 2;
      if (e == 0x0A) continue;
      if (state == 2 && e != DOLLAR && e != BSL && e != DQ && e != 0x60) o = put(dst, o, cap, BSL);
      o = put(dst, o, cap, e);
      continue;
    }
    if (c == DQ) { state = state == 2 ? 0 : 2; i++; continue; }
    if (state == 0 && c == SQ) { state = 1; i++; continue; }
    if (c == DOLLAR) {
      if (state == 0 && i + 1 < len) {
        const q = <u32>load<u8>(src + i + 1);
        if (q == SQ) { state = 3; i += 2; continue; }
        if (q == DQ) { state = 2; i += 2; continue; }
      }
      const n = emptyExpansion(src, i, len);
      if (n > 0) {
        if (expansionIsSpace) o = put(dst, o, cap, 0x20);
        i += n;
        continue;
      }
    }
    o = put(dst, o, cap, c);
    i++;
  }
  return finish(o, cap);
}
