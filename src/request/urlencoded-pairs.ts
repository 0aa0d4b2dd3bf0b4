/**
 * `application/x-www-form-urlencoded` pairs, as in query strings and form bodies.
 *
 * Same splitting as WHATWG `URLSearchParams`: pairs separated by `&` (not `;`), empty pairs
 * skipped, the first `=` splits name from value, a pair without `=` is a name with an empty
 * value, `+` is a space, repeated names are kept as separate fields in order (parameter
 * pollution stays visible). One linear hand scan; no regex, no intermediate arrays.
 */
import type { FieldSink } from "./field-sink.js";
import { percentDecode } from "./percent-decode.js";

/** Emits each pair of s[start, end) as a field of `kind`. Returns false when the sink refused a field. */
export function emitUrlEncodedPairs(s: string, start: number, end: number, kind: number, sink: FieldSink): boolean {
  let pairStart = start;
  let eq = -1;
  // Whether the name / value part holds a '%' or '+': only those go through the decoder.
  let nameEncoded = false;
  let valueEncoded = false;
  for (let i = start; i <= end; i++) {
    const c = i === end ? 38 : s.charCodeAt(i);
    if (c === 37 /* % */ || c === 43 /* + */) {
      if (eq < 0) nameEncoded = true;
      else valueEncoded = true;
    } else if (c === 61 /* = */) {
      if (eq < 0) eq = i;
    } else if (c === 38 /* & */) {
      if (i > pairStart) {
        let accepted: boolean;
        if (eq < 0) {
          const name = s.slice(pairStart, i);
          accepted = sink.add(kind, nameEncoded ? percentDecode(name, true) : name, "");
        } else {
          const name = s.slice(pairStart, eq);
          const value = s.slice(eq + 1, i);
          accepted = sink.add(
            kind,
            nameEncoded ? percentDecode(name, true) : name,
            valueEncoded ? percentDecode(value, true) : value,
          );
        }
        if (!accepted) return false;
      }
      pairStart = i + 1;
      eq = -1;
      nameEncoded = valueEncoded = false;
    }
  }
  return true;
}
