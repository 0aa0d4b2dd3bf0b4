// A structural UTF-8 decoder for the transforms that must see through evasions: it accepts
// overlong forms (C0 AF is '/' to it) because some decoders on the way to the application do,
// and reports the code point and the sequence width. Rejected: stray continuation bytes,
// F8..FF, missing continuation bytes, and values above U+10FFFF.

/** Width of the sequence decoded by the last successful decodeLenient call. */
export let lenientWidth: u32 = 0;

/** Code point of the sequence at src+i, or -1 if it is not structurally valid. */
export function decodeLenient(src: usize, i: u32, len: u32): i32 {
  const c = <u32>load<u8>(src + i);
  let need: u32;
  let cp: u32;
  if (c < 0x80) { lenientWidth = 1; return <i32>c; }
  if (c < 0xC0) return -1;
  if (c < 0xE0) { need = 1; cp = c & 0x1F; }
  else if (c < 0xF0) { need = 2; cp = c & 0x0F; }
  else if (c < 0xF8) { need = 3; cp = c & 0x07; }
  else return -1;
  if (i + need >= len) return -1;
  for (let k: u32 = 1; k <= need; k++) {
    const t = <u32>load<u8>(src + i + k);
    if ((t & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (t & 0x3F);
  }
  if (cp > 0x10FFFF) return -1;
  lenientWidth = need + 1;
  return <i32>cp;
}

/** Shortest UTF-8 width of a code point. */
@inline export function canonicalWidth(cp: u32): u32 {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}
