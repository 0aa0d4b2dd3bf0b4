/**
 * Cookie header parsing, per RFC 6265 §5.4 but tolerant of what browsers and attackers send:
 * - pairs split on `;`, spaces and tabs around names and values trimmed;
 * - a pair without `=` is a cookie with an empty name and that value (as Chrome and Firefox send
 *   nameless cookies) — many server parsers drop it, a WAF must not;
 * - empty names are kept (`=x`), empty pairs (`;;`) skipped;
 * - a value wrapped in double quotes is unwrapped (as the `cookie` npm package does);
 * - values are not percent-decoded: rules apply `urlDecode` themselves (like ModSecurity's
 *   REQUEST_COOKIES), and the raw header is inspected as a `header` field too.
 */
import type { FieldSink } from "./field-sink.js";

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

/** `latin1`: the header is a platform byte string (see FieldSink.addLatin1); values go through addLatin1. */
export function emitCookies(header: string, kind: number, sink: FieldSink, latin1 = false): boolean {
  const useLatin1 = latin1 && sink.addLatin1 !== undefined;
  const n = header.length;
  let i = 0;
  /** The first `=` at or after the last search (n: none), searched again (natively) only once passed. */
  let nextEq = -1;
  while (i < n) {
    let end = header.indexOf(";", i);
    if (end < 0) end = n;
    if (nextEq < i) {
      nextEq = header.indexOf("=", i);
      if (nextEq < 0) nextEq = n;
    }
    const eq = nextEq < end ? nextEq : -1;
    let nameStart = i;
    let nameEnd = eq < 0 ? i : eq;
    let valueStart = eq < 0 ? i : eq + 1;
    let valueEnd = end;
    while (nameStart < nameEnd && isSpace(header.charCodeAt(nameStart))) nameStart++;
    while (nameEnd > nameStart && isSpace(header.charCodeAt(nameEnd - 1))) nameEnd--;
    while (valueStart < valueEnd && isSpace(header.charCodeAt(valueStart))) valueStart++;
    while (valueEnd > valueStart && isSpace(header.charCodeAt(valueEnd - 1))) valueEnd--;
    if (eq >= 0 || valueEnd > valueStart) {
      if (
        valueEnd - valueStart >= 2 &&
        header.charCodeAt(valueStart) === 34 &&
        header.charCodeAt(valueEnd - 1) === 34
      ) {
        valueStart++;
        valueEnd--;
      }
      const name = nameEnd > nameStart ? header.slice(nameStart, nameEnd) : "";
      const value = header.slice(valueStart, valueEnd);
      if (!(useLatin1 ? sink.addLatin1!(kind, name, value) : sink.add(kind, name, value))) return false;
    }
    i = end + 1;
  }
  return true;
}
