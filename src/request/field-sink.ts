/**
 * The one channel through which extraction hands fields to the engine.
 *
 * Extraction never builds an intermediate list of field objects: each field goes straight to
 * the sink, which (in the engine) encodes it into the Wasm arena. That keeps the hot path free
 * of per-field allocations beyond the strings themselves.
 */

/** Receives the request's fields in order. The engine's implementation writes them into Wasm memory
 *  and enforces field count, field length and total-bytes limits itself (reporting truncation). */
export interface FieldSink {
  /** Returns false once no more fields can be accepted (the caller stops producing fields). */
  add(kind: number, name: string, value: string): boolean;
  addBytes(kind: number, name: string, value: Uint8Array): boolean;
  /**
   * Optional. `value` is a byte string — each character one byte (U+0000–U+00FF) — which is
   * how Node (`rawHeaders`) and fetch (`Headers`) hand over header values: a UTF-8 "é" sent
   * by the client arrives as the two characters "Ã©". Writing each character as one byte
   * restores the bytes the client sent (so an overlong C0 AE stays C0 AE); UTF-8-encoding
   * the string instead would double-encode them. Used for header and cookie values from
   * those platforms; sinks without it get `add`.
   */
  addLatin1?(kind: number, name: string, value: string): boolean;
  /**
   * Optional, with `flush`. A form-urlencoded value given as its source, s[start, end) (`%XY`
   * escapes, `+` as a space), for the sink to decode as it writes it: the result must be that
   * of `add(kind, name, percentDecode(s.slice(start, end), true))`, and its DECODE_* flags
   * (percent-decode.ts) raised by the time `flush` returns — the caller flushes before it
   * reads them. Saves building the decoded string. Used for query arguments and form fields
   * whose value holds a `%`; sinks without it get `add`.
   */
  addUrlEncoded?(kind: number, name: string, s: string, start: number, end: number): boolean;
  /** Completes the fields added so far (see addUrlEncoded). */
  flush?(): void;
}
