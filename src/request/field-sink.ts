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
}
