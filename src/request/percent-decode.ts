/**
 * Percent-decoding that never throws (unlike `decodeURIComponent` on hostile input).
 *
 * Decisions, chosen to mirror what lenient application decoders (Node's `querystring`,
 * WHATWG `URLSearchParams`) hand to the application:
 * - `%XY` with two hex digits becomes the byte 0xXY; a `%` not followed by two hex digits is kept
 *   literally (`%zz` stays `%zz`, `100%` stays `100%`).
 * - Decoded byte runs are read as UTF-8; an invalid sequence (overlong, surrogate, truncated)
 *   becomes U+FFFD per maximal subpart, exactly like `TextDecoder` with `fatal: false`.
 *   The raw form (`uriRaw`, `queryString`) keeps the original bytes for rules that need them.
 * - With `plusAsSpace`, `+` becomes a space (query strings and form bodies only, never paths).
 *
 * Cost: native indexOf scans when nothing needs decoding (returns the input string itself);
 * escapes of ASCII bytes only: one indexOf pass, one character per escape; otherwise
 * linear in JavaScript, allocating only the output string.
 */

/** A `%` was not followed by two hex digits (kept literally). */
export const DECODE_INVALID_ESCAPE = 1;
/** Decoded bytes were not valid UTF-8 (replaced by U+FFFD). */
export const DECODE_INVALID_UTF8 = 2;

let decodeFlags = 0;

/**
 * Raises DECODE_* flags found elsewhere: the arena writer's batch is decoded in place by
 * the engine (assembly/form-decode.ts), which reports them after the call.
 */
export function raiseDecodeFlags(flags: number): void {
  decodeFlags |= flags;
}

/** Returns the DECODE_* flags raised since the last call and clears them (sync use only). */
export function takeDecodeFlags(): number {
  const flags = decodeFlags;
  decodeFlags = 0;
  return flags;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

export function percentDecode(s: string, plusAsSpace: boolean): string {
  const n = s.length;
  const percent = s.indexOf("%");
  const plus = plusAsSpace ? s.indexOf("+") : -1;
  if (percent < 0 && plus < 0) return s;
  // Only '+' to replace: one native pass.
  if (percent < 0) return s.replaceAll("+", " ");
  const i = plus >= 0 && plus < percent ? plus : percent;
  // Every escape well formed and below %80 (the usual `%20`, `%2F`, `%3D`): each is one
  // character, nothing can be invalid UTF-8.
  const ascii = decodeAsciiEscapes(plus >= 0 ? s.replaceAll("+", " ") : s, percent);
  if (ascii !== null) return ascii;
  return n >= LONG_INPUT ? decodeLong(s, i, plusAsSpace) : decodeFrom(s, i, plusAsSpace);
}

/**
 * `%XY` with X in 0–7 → one character per escape, literal runs as slices (≈ 3× faster than a
 * byte buffer and a TextDecoder call); null as soon as an escape is anything else.
 */
function decodeAsciiEscapes(s: string, first: number): string | null {
  const n = s.length;
  let out = "";
  let last = 0;
  for (let p = first; p >= 0; p = s.indexOf("%", last)) {
    if (p + 2 >= n) return null;
    const hi = s.charCodeAt(p + 1) - 48;
    const lo = hexValue(s.charCodeAt(p + 2));
    if (hi < 0 || hi > 7 || lo < 0) return null;
    out += s.slice(last, p) + String.fromCharCode((hi << 4) | lo);
    last = p + 3;
  }
  return out + s.slice(last);
}

/**
 * From this length on, decoding goes through one byte buffer and one TextDecoder call (fixed
 * cost ~0.1 µs, then GB/s) instead of building the string piece by piece.
 */
const LONG_INPUT = 96;

const utf8Lenient = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
const utf8Strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
let longBytes = new Uint8Array(1024);

/** Same result as decodeFrom: literal characters as their UTF-8, escapes as bytes, one WHATWG decode. */
function decodeLong(s: string, start: number, plusAsSpace: boolean): string {
  const n = s.length;
  if (longBytes.length < n * 3) longBytes = new Uint8Array(n * 3);
  const out = longBytes;
  let w = 0;
  let sawEscape = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 && i >= start) {
      const hi = i + 2 < n ? hexValue(s.charCodeAt(i + 1)) : -1;
      const lo = hi < 0 ? -1 : hexValue(s.charCodeAt(i + 2));
      if (lo >= 0) {
        out[w++] = (hi << 4) | lo;
        i += 2;
        sawEscape = true;
        continue;
      }
      decodeFlags |= DECODE_INVALID_ESCAPE;
      out[w++] = 37;
    } else if (c < 0x80) {
      out[w++] = c === 43 && plusAsSpace ? 32 : c;
    } else if (c < 0x800) {
      out[w++] = 0xc0 | (c >> 6);
      out[w++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      const cp = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
      out[w++] = 0xf0 | (cp >> 18);
      out[w++] = 0x80 | ((cp >> 12) & 0x3f);
      out[w++] = 0x80 | ((cp >> 6) & 0x3f);
      out[w++] = 0x80 | (cp & 0x3f);
    } else {
      // BMP character, or a lone surrogate (encoded as U+FFFD, as TextEncoder does).
      const u = c >= 0xd800 && c <= 0xdfff ? 0xfffd : c;
      out[w++] = 0xe0 | (u >> 12);
      out[w++] = 0x80 | ((u >> 6) & 0x3f);
      out[w++] = 0x80 | (u & 0x3f);
    }
  }
  const bytes = out.subarray(0, w);
  const text = utf8Lenient.decode(bytes);
  if (sawEscape && text.indexOf("\uFFFD") >= 0) {
    try {
      utf8Strict.decode(bytes);
    } catch {
      decodeFlags |= DECODE_INVALID_UTF8;
    }
  }
  return text;
}

/** Scratch for one run of consecutive escapes; grown on demand, bounded by the input length / 3. */
let runBytes = new Uint8Array(64);

function decodeFrom(s: string, start: number, plusAsSpace: boolean): string {
  const n = s.length;
  let out = s.slice(0, start);
  let literalStart = start;
  let i = start;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 43 && plusAsSpace) {
      out += s.slice(literalStart, i) + " ";
      i++;
      literalStart = i;
      continue;
    }
    if (c !== 37) {
      i++;
      continue;
    }
    // A run of %XY escapes decodes as one UTF-8 byte sequence.
    let len = 0;
    let j = i;
    while (j + 2 < n && s.charCodeAt(j) === 37) {
      const hi = hexValue(s.charCodeAt(j + 1));
      const lo = hi < 0 ? -1 : hexValue(s.charCodeAt(j + 2));
      if (lo < 0) break;
      if (len === runBytes.length) {
        const grown = new Uint8Array(len * 2);
        grown.set(runBytes);
        runBytes = grown;
      }
      runBytes[len++] = (hi << 4) | lo;
      j += 3;
    }
    if (len === 0) {
      // Lone or malformed `%`: keep it literally.
      decodeFlags |= DECODE_INVALID_ESCAPE;
      i++;
      continue;
    }
    out += s.slice(literalStart, i) + utf8BytesToString(runBytes, len);
    i = j;
    literalStart = i;
  }
  return literalStart < n ? out + s.slice(literalStart) : out;
}

/**
 * A WHATWG UTF-8 lead byte (≥ 0x80): the continuation bytes it needs (0: none can follow it,
 * a replacement) in the low bits, and the bounds of its first continuation byte, packed as
 * needed | lower << 8 | upper << 16 (later continuation bytes: 0x80–0xbf).
 */
function utf8Lead(b: number): number {
  if (b >= 0xc2 && b <= 0xdf) return 1 | 0x80 << 8 | 0xbf << 16;
  if (b >= 0xe0 && b <= 0xef) return 2 | (b === 0xe0 ? 0xa0 : 0x80) << 8 | (b === 0xed ? 0x9f : 0xbf) << 16;
  if (b >= 0xf0 && b <= 0xf4) return 3 | (b === 0xf0 ? 0x90 : 0x80) << 8 | (b === 0xf4 ? 0x8f : 0xbf) << 16;
  return 0;
}

/** WHATWG UTF-8 decode (replacement per maximal subpart) of bytes[0, len). */
function utf8BytesToString(bytes: Uint8Array, len: number): string {
  let out = "";
  let codePoint = 0;
  let needed = 0;
  let seen = 0;
  let lower = 0x80;
  let upper = 0xbf;
  for (let k = 0; k < len; k++) {
    const b = bytes[k];
    if (needed === 0) {
      if (b <= 0x7f) {
        out += String.fromCharCode(b);
        continue;
      }
      const lead = utf8Lead(b);
      needed = lead & 3;
      if (needed === 0) {
        out += "\uFFFD";
        decodeFlags |= DECODE_INVALID_UTF8;
        continue;
      }
      lower = (lead >> 8) & 0xff;
      upper = lead >> 16;
      codePoint = b & (0x7f >> (needed + 1));
      continue;
    }
    if (b < lower || b > upper) {
      // The sequence so far is a maximal subpart: one replacement, then reprocess this byte.
      codePoint = needed = seen = 0;
      lower = 0x80;
      upper = 0xbf;
      out += "\uFFFD";
      decodeFlags |= DECODE_INVALID_UTF8;
      k--;
      continue;
    }
    lower = 0x80;
    upper = 0xbf;
    codePoint = (codePoint << 6) | (b & 0x3f);
    if (++seen === needed) {
      out += String.fromCodePoint(codePoint);
      codePoint = needed = seen = 0;
    }
  }
  if (needed !== 0) {
    out += "\uFFFD";
    decodeFlags |= DECODE_INVALID_UTF8;
  }
  return out;
}
