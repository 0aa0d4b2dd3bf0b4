/** Public surface of request extraction. */
export type { FieldSink } from "./field-sink.js";
export { ArrayFieldSink, type CollectedField } from "./array-field-sink.js";
export {
  bufferRequestBody,
  extractRequest,
  extractRequestMaybeSync,
  extractRequestSync,
  needsBodyRead,
} from "./extract.js";
export { readFetchBody, readNodeBody } from "./read-body.js";
export { percentDecode } from "./percent-decode.js";
export * from "./types.js";
