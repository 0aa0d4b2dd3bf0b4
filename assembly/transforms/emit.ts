// Bounded output: every transform writes through these, so none can pass `cap`.
// They return the new output position even when the byte was dropped; callers stop
// once the position reaches `cap` and report min(position, cap).

@inline export function put(dst: usize, o: u32, cap: u32, b: u32): u32 {
  if (o < cap) store<u8>(dst + o, <u8>b);
  return o + 1;
}

/** UTF-8 bytes of a code point (1–4). Invalid scalars (surrogates, > U+10FFFF) emit U+FFFD. */
export function putCodePoint(dst: usize, o: u32, cap: u32, cp: u32): u32 {
  if (cp < 0x80) return put(dst, o, cap, cp);
  if (cp < 0x800) {
    o = put(dst, o, cap, 0xC0 | (cp >> 6));
    return put(dst, o, cap, 0x80 | (cp & 0x3F));
  }
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
  if (cp < 0x10000) {
    o = put(dst, o, cap, 0xE0 | (cp >> 12));
    o = put(dst, o, cap, 0x80 | ((cp >> 6) & 0x3F));
    return put(dst, o, cap, 0x80 | (cp & 0x3F));
  }
  o = put(dst, o, cap, 0xF0 | (cp >> 18));
  o = put(dst, o, cap, 0x80 | ((cp >> 12) & 0x3F));
  o = put(dst, o, cap, 0x80 | ((cp >> 6) & 0x3F));
  return put(dst, o, cap, 0x80 | (cp & 0x3F));
}

/** Bytes putCodePoint would write for `cp`. */
export function codePointSize(cp: u32): u32 {
  if (cp < 0x80) return 1;
  if (cp < 0x800) return 2;
  if (cp < 0x10000 || cp > 0x10FFFF) return 3;
  return 4;
}

@inline export function finish(o: u32, cap: u32): u32 {
  return o < cap ? o : cap;
}

/** True after utf16Escape joined the high surrogate with the low one that followed. */
export let utf16UsedLow = false;

/**
 * A `%uXXXX` / `\uXXXX` code unit as a code point: a high surrogate joins the escaped low
 * surrogate after it (`lo`, or -1 when there is none; `utf16UsedLow` says it was used), and
 * full-width ASCII (U+FF01–FF5E) folds to ASCII, as IIS's decoder and browsers do.
 */
export function utf16Escape(cp: i32, lo: i32): u32 {
  utf16UsedLow = false;
  if (cp >= 0xFF01 && cp <= 0xFF5E) return <u32>(cp - 0xFEE0);
  if (cp >= 0xD800 && cp <= 0xDBFF && lo >= 0xDC00 && lo <= 0xDFFF) {
    utf16UsedLow = true;
    return <u32>(0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00));
  }
  return <u32>cp;
}
