/**
 * Routes an in-memory body to its parser by content type, after cutting it at `maxBodyBytes`.
 *
 * Rules that hold for every kind:
 * - a body longer than the limit is inspected up to the limit (cut on a UTF-8 boundary for text
 *   kinds) and a `bodyBytes` truncation is reported; a parse error that is only the body ending
 *   early is then expected, so it is not reported;
 * - a body that fails to parse keeps the fields parsed before the failure, is also emitted
 *   whole as `bodyRaw` text, and the report says why;
 * - with `sniffJson`, a text, untyped, form or not-really-multipart body that starts like
 *   JSON is also parsed as JSON (apps call `req.json()` whatever the content type says) —
 *   silently, since it is only a guess; its raw form is emitted as well.
 */
import type { FieldSink } from "../field-sink.js";
import type { ExtractReport, ResolvedExtractOptions } from "../types.js";
import { decodeBodyText, decodeUtf8 } from "./charset.js";
import { parseFormFields } from "./form.js";
import { JSON_OK, JSON_STOPPED, looksLikeJson, parseJsonFields } from "./json.js";
import { bodyKindOf } from "./media-type.js";
import { MULTIPART_MALFORMED, MULTIPART_STOPPED, parseMultipart } from "./multipart.js";
import { emitRawBytes, emitRawText } from "./text.js";

const encoder = new TextEncoder();

/** Scratch for measuring long string bodies; grows to the largest body limit seen. */
let measureBuffer = new Uint8Array(0);
function measureView(max: number): Uint8Array {
  if (measureBuffer.length < max) measureBuffer = new Uint8Array(max);
  return measureBuffer.subarray(0, max);
}

/** Start of the UTF-8 sequence that contains byte `cut` (so that cutting there splits no character). */
function utf8Boundary(bytes: Uint8Array, cut: number): number {
  let k = cut;
  while (k > 0 && cut - k < 3 && (bytes[k] & 0xc0) === 0x80) k--;
  return (bytes[k] & 0xc0) === 0x80 ? cut : k;
}

function firstNonWsByte(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return c;
  }
  return -1;
}

/** Returns false when the sink refused a field. */
export function extractBody(
  body: string | Uint8Array,
  contentType: string,
  sink: FieldSink,
  opts: ResolvedExtractOptions,
  report: ExtractReport,
): boolean {
  if (body.length === 0) return true;
  const kind = bodyKindOf(contentType);
  report.bodyKind = kind;
  const max = opts.maxBodyBytes;
  const textKind = kind === "form" || kind === "json" || kind === "text" || kind === "xml";

  let text: string | null = null;
  let bytes: Uint8Array | null = null;
  let truncated = false;
  if (typeof body === "string") {
    if (body.length <= Math.floor(max / 3)) text = body;
    else {
      // Measure it by encoding into a reused buffer of `max` bytes (no 1 MB allocation per
      // request): it fits exactly when every character was written. Within the limit the
      // string is the text already; beyond it the encoded bytes are cut as for a byte body.
      const view = measureView(max);
      const { read, written } = encoder.encodeInto(body, view);
      if (read === body.length) {
        text = body;
        bytes = view.subarray(0, written); // valid during this call only (the buffer is reused)
      } else bytes = encoder.encode(body);
    }
  } else bytes = body;
  if (bytes !== null && bytes.length > max) {
    truncated = true;
    bytes = bytes.subarray(0, textKind ? utf8Boundary(bytes, max) : max);
    report.truncated.push({ limit: "bodyBytes", detail: `body longer than ${max} bytes: inspected up to the limit` });
  }
  const asText = (): string => (text ??= decodeBodyText(bytes!, contentType, report));

  switch (kind) {
    case "form": {
      if (!parseFormFields(asText(), sink, report)) return false;
      if (opts.sniffJson && looksLikeJson(asText())) {
        // JSON sent as a form: express.urlencoded sees one odd pair, `req.json()` sees JSON.
        if (parseJsonFields(asText(), sink, opts.maxJsonDepth, report).outcome === JSON_STOPPED) return false;
        return emitRawText(asText(), sink);
      }
      return opts.alwaysEmitRawBody ? emitRawText(asText(), sink) : true;
    }
    case "json": {
      const result = parseJsonFields(asText(), sink, opts.maxJsonDepth, report);
      if (result.outcome === JSON_STOPPED) return false;
      let emitRaw = opts.alwaysEmitRawBody;
      if (result.outcome !== JSON_OK && !(truncated && result.atEnd)) {
        report.parseErrors.push({ part: "json", message: result.message });
        emitRaw = true;
      }
      return emitRaw ? emitRawText(asText(), sink) : true;
    }
    case "multipart": {
      bytes ??= encoder.encode(text!);
      const result = parseMultipart(bytes, contentType, sink, opts, report);
      if (result.outcome === MULTIPART_STOPPED) return false;
      let emitRaw = opts.alwaysEmitRawBody;
      if (result.outcome === MULTIPART_MALFORMED && !(truncated && result.atEnd)) {
        report.parseErrors.push({ part: "multipart", message: result.message });
        emitRaw = true;
        // Not multipart at all but JSON: what `req.json()` would see whatever the content type says.
        if (opts.sniffJson && result.parts === 0 && looksLikeJson(asText())) {
          if (parseJsonFields(asText(), sink, opts.maxJsonDepth, report).outcome === JSON_STOPPED) return false;
        }
      }
      return emitRaw ? emitRawText(asText(), sink) : true;
    }
    case "text":
    case "xml": {
      const t = asText();
      if (opts.sniffJson && kind === "text" && looksLikeJson(t)) {
        if (parseJsonFields(t, sink, opts.maxJsonDepth, report).outcome === JSON_STOPPED) return false;
      }
      return emitRawText(t, sink);
    }
    default: {
      if (opts.sniffJson) {
        const first = text !== null ? (looksLikeJson(text) ? 123 : -1) : firstNonWsByte(bytes!);
        if (first === 123 || first === 91) {
          // A guess: decode without reporting charset problems of what may well be binary.
          text ??= decodeUtf8(bytes!, null, "body");
          if (parseJsonFields(text!, sink, opts.maxJsonDepth, report).outcome === JSON_STOPPED) return false;
        }
      }
      return text !== null && bytes === null ? emitRawText(text, sink) : emitRawBytes(bytes!, sink);
    }
  }
}
