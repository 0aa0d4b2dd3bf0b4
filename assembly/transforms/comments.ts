// removeComments, replaceComments, removeCommentsChar.
//  - removeComments: deletes `/* ... */` (C, SQL, CSS, JS), `<!-- ... -->` (HTML) and the
//    line comments `-- ...` (SQL) and `# ...` (MySQL, shell). An unterminated block runs to
//    the end. Deliberate difference: ModSecurity deletes everything after `--` or `#` up to
//    the end of the whole value (and leaves a space); we stop at the next newline, which is
//    where SQL and shell stop too, so `1--\nUNION SELECT` keeps its second line visible.
//    `UN/**/ION` -> `UNION`.
//  - replaceComments (ModSecurity): each `/* ... */` (or unterminated `/* ...`) -> one space.
//  - removeCommentsChar (ModSecurity): deletes the markers `/*` `*/` `<!--` `-->` `--` `#`
//    themselves and keeps the text between them.
// Output length <= len for all three.
import { copyUntilAny, indexOfByte } from "./plain-run";

const SLASH: u8 = 0x2F;
const STAR: u8 = 0x2A;
const LT: u8 = 0x3C;
const DASH: u8 = 0x2D;
const HASH: u8 = 0x23;
const NL: u8 = 0x0A;

@inline function at(src: usize, i: u32, len: u32, c: u8): bool {
  return i < len && load<u8>(src + i) == c;
}

/** Position just after the `*` `/` closing a block comment whose body starts at i, or len. */
function endOfBlock(src: usize, i: u32, len: u32): u32 {
  while (true) {
    const s = indexOfByte(src, i, len, STAR);
    if (s + 1 >= len) return len;
    if (load<u8>(src + s + 1) == SLASH) return s + 2;
    i = s + 1;
  }
}

/** Position just after `-->` for an HTML comment whose body starts at i, or len. */
function endOfHtmlComment(src: usize, i: u32, len: u32): u32 {
  while (true) {
    const d = indexOfByte(src, i, len, DASH);
    if (d + 2 >= len) return len;
    if (load<u8>(src + d + 1) == DASH && load<u8>(src + d + 2) == 0x3E) return d + 3;
    i = d + 1;
  }
}

@inline function isHtmlOpen(src: usize, i: u32, len: u32): bool {
  return at(src, i + 1, len, 0x21) && at(src, i + 2, len, DASH) && at(src, i + 3, len, DASH);
}

export function removeComments(src: usize, len: u32, dst: usize, cap: u32): u32 {
  let i: u32 = 0;
  let o: u32 = 0;
  while (i < len && o < cap) {
    const run = copyUntilAny(src + i, len - i, dst + o, cap - o, SLASH, LT, DASH, HASH, HASH);
    i += run;
    o += run;
    if (i >= len || o >= cap) break;
    const c = load<u8>(src + i);
    if (c == SLASH && at(src, i + 1, len, STAR)) { i = endOfBlock(src, i + 2, len); continue; }
    if (c == LT && isHtmlOpen(src, i, len)) { i = endOfHtmlComment(src, i + 4, len); continue; }
    if ((c == DASH && at(src, i + 1, len, DASH)) || c == HASH) { i = indexOfByte(src, i, len, NL); continue; }
    store<u8>(dst + o, c);
    o++;
    i++;
  }
  return o;
}

export function replaceComments(src: usize, len: u32, dst: usize, cap: u32): u32 {
  let i: u32 = 0;
  let o: u32 = 0;
  while (i < len && o < cap) {
    const run = copyUntilAny(src + i, len - i, dst + o, cap - o, SLASH, SLASH, SLASH, SLASH, SLASH);
    i += run;
    o += run;
    if (i >= len || o >= cap) break;
    if (at(src, i + 1, len, STAR)) {
      i = endOfBlock(src, i + 2, len);
      store<u8>(dst + o, 0x20);
    } else {
      store<u8>(dst + o, SLASH);
      i++;
    }
    o++;
  }
  return o;
}

export function removeCommentsChar(src: usize, len: u32, dst: usize, cap: u32): u32 {
  let i: u32 = 0;
  let o: u32 = 0;
  while (i < len && o < cap) {
    const run = copyUntilAny(src + i, len - i, dst + o, cap - o, SLASH, STAR, LT, DASH, HASH);
    i += run;
    o += run;
    if (i >= len || o >= cap) break;
    const c = load<u8>(src + i);
    if (c == SLASH && at(src, i + 1, len, STAR)) { i += 2; continue; }
    if (c == STAR && at(src, i + 1, len, SLASH)) { i += 2; continue; }
    if (c == LT && isHtmlOpen(src, i, len)) { i += 4; continue; }
    if (c == DASH && at(src, i + 1, len, DASH)) {
      i += at(src, i + 2, len, 0x3E) ? 3 : 2;
      continue;
    }
    if (c == HASH) { i++; continue; }
    store<u8>(dst + o, c);
    o++;
    i++;
  }
  return o;
}
