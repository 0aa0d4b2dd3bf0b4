/**
 * `application/x-www-form-urlencoded` pairs, as in query strings and form bodies.
 *
 * Same splitting as WHATWG `URLSearchParams`: pairs separated by `&` (not `;`), empty pairs
 * skipped, the first `=` splits name from value, a pair without `=` is a name with an empty
 * value, `+` is a space, repeated names are kept as separate fields in order (parameter
 * pollution stays visible). No regex, no intermediate arrays.
 *
 * Cost: linear. Separators are found with native indexOf; the next `=`, `%` and `+` positions
 * are cached and only searched again once passed, so no character is scanned twice by them
 * (a body of 10^6 `&` with one `=` at the end stays linear). Only parts holding `%` or `+` go
 * through the decoder; a value holding `%` goes, as its source range, to a sink that decodes
 * as it writes (FieldSink.addUrlEncoded).
 */
import type { FieldSink } from "./field-sink.js";
import { percentDecode } from "./percent-decode.js";

const NONE = 0x7fffffff;

function nextIndex(s: string, ch: string, from: number): number {
  const i = s.indexOf(ch, from);
  return i < 0 ? NONE : i;
}

/** Emits each pair of s[start, end) as a field of `kind`. Returns false when the sink refused a field. */
export function emitUrlEncodedPairs(s: string, start: number, end: number, kind: number, sink: FieldSink): boolean {
  let nextEq = -1;
  let nextPercent = -1;
  let nextPlus = -1;
  let pairStart = start;
  const direct = sink.addUrlEncoded !== undefined && sink.flush !== undefined;
  /** A value went to addUrlEncoded: flush before returning, so its decode flags are raised. */
  let flush = false;
  while (pairStart < end) {
    let amp = s.indexOf("&", pairStart);
    if (amp < 0 || amp > end) amp = end;
    if (amp > pairStart) {
      if (nextEq < pairStart) nextEq = nextIndex(s, "=", pairStart);
      if (nextPercent < pairStart) nextPercent = nextIndex(s, "%", pairStart);
      if (nextPlus < pairStart) nextPlus = nextIndex(s, "+", pairStart);
      let accepted: boolean;
      if (nextEq >= amp) {
        const name = s.slice(pairStart, amp);
        accepted = sink.add(kind, nextPercent < amp || nextPlus < amp ? percentDecode(name, true) : name, "");
      } else {
        const eq = nextEq;
        const name = s.slice(pairStart, eq);
        const nameEncoded = nextPercent < eq || nextPlus < eq;
        if (nextPercent <= eq) nextPercent = nextIndex(s, "%", eq + 1);
        if (nextPlus <= eq) nextPlus = nextIndex(s, "+", eq + 1);
        const decodedName = nameEncoded ? percentDecode(name, true) : name;
        if (nextPercent < amp && direct) {
          // The sink decodes the value as it writes it: no decoded string is built.
          accepted = sink.addUrlEncoded!(kind, decodedName, s, eq + 1, amp);
          flush = true;
        } else {
          const value = s.slice(eq + 1, amp);
          accepted = sink.add(kind, decodedName, nextPercent < amp || nextPlus < amp ? percentDecode(value, true) : value);
        }
        nextEq = -1; // the next '=' must be searched after this pair's first one
      }
      if (!accepted) {
        if (flush) sink.flush!();
        return false;
      }
    }
    pairStart = amp + 1;
  }
  if (flush) sink.flush!();
  return true;
}
