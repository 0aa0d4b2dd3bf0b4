/**
 * Request extraction: a Web `Request`, a Node `IncomingMessage` or a plain object → a flat
 * list of fields handed to a FieldSink, plus an ExtractReport (truncations, parse errors, body kind).
 *
 * Fields, in order (name "" unless said otherwise):
 *   method · uriRaw (target as given; a Request's is already WHATWG-normalised) · path
 *   (percent-decoded, dot segments removed) · basename (when not empty) · queryString (when
 *   there is a "?") · queryArg name=value (decoded, `+` as space, repeats kept) · protocol
 *   (when known) · header name=value (lower-cased names; duplicates separate where the
 *   platform keeps them) with cookie name=value right after each cookie header · clientIp ·
 *   then the body: bodyForm name=value | jsonKey path=key and bodyJson path=leaf |
 *   multipartHeader name=value, multipartFilename field=filename, multipartField field=value |
 *   bodyRaw (text for text/XML/unparsable bodies, bytes otherwise).
 *
 * Entry points: extractRequestMaybeSync (sync when no body must be read), extractRequest
 * (always a Promise), extractRequestSync (in-memory bodies only), bufferRequestBody +
 * extractRequestSync (read ahead, then one synchronous burst). Nothing here throws on hostile
 * input; only invalid options throw, at resolveExtractOptions.
 */
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
export { normalizeRequestPath } from "./path-normalize.js";
export * from "./types.js";
