/**
 * Request → fields, the entry points.
 *
 * All fields are produced in one synchronous burst (head, then body), so an engine can encode
 * them into its shared arena without another request interleaving. When the body must first be
 * read from a stream (or decompressed, which is asynchronous on the Web platform),
 * `extractRequest` does that *before* producing any field; when it need not (GET/HEAD, a body
 * already in memory), `extractRequestMaybeSync` returns the report directly and the whole
 * inspection stays synchronous — the engine's fast path.
 */
import type { IncomingMessage } from "node:http";
import { bodyEncodingOf, decompressBody } from "./body/content-encoding.js";
import { extractBody } from "./body/extract-body.js";
import { bodyKindOf } from "./body/media-type.js";
import { emitParsedBody } from "./body/parsed-body.js";
import { extractHead, INPUT_FETCH, INPUT_NODE, INPUT_PLAIN, inputKindOf, type InputKind } from "./extract-head.js";
import type { FieldSink } from "./field-sink.js";
import { nodeMessageHasBody, readFetchBody, readNodeBody } from "./read-body.js";
import {
  type BodyDecoding,
  type BufferedRequest,
  newReport,
  type RequestInput,
  resolveExtractOptions,
  type ExtractContext,
  type ExtractInput,
  type ExtractOptions,
  type ExtractReport,
  type PlainHeaders,
  type PlainRequest,
  type ResolvedExtractOptions,
} from "./types.js";

function isBuffered(input: RequestInput): input is BufferedRequest {
  return (input as BufferedRequest).bufferedFrom !== undefined;
}

function resolved(options: ExtractOptions | ResolvedExtractOptions | undefined): ResolvedExtractOptions {
  return options !== undefined && (options as ResolvedExtractOptions).resolved === true
    ? (options as ResolvedExtractOptions)
    : resolveExtractOptions(options);
}

/** One header's value ("" when absent), read without running the full head scan. */
function headerOf(input: ExtractInput, kind: InputKind, lowerName: string): string {
  if (kind === INPUT_FETCH) return (input as Request).headers.get(lowerName) ?? "";
  if (kind === INPUT_NODE) {
    const raw = (input as IncomingMessage).rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if (raw[i].length === lowerName.length && raw[i].toLowerCase() === lowerName) return raw[i + 1];
    }
    return "";
  }
  const headers: PlainHeaders | undefined = (input as PlainRequest).headers;
  if (headers == null) return "";
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(lowerName) ?? "";
  if (Array.isArray(headers)) {
    for (const [name, value] of headers) if (String(name).toLowerCase() === lowerName) return String(value);
    return "";
  }
  for (const key in headers) {
    if (key.toLowerCase() !== lowerName) continue;
    const value = (headers as Record<string, string | string[] | undefined>)[key];
    return value === undefined ? "" : Array.isArray(value) ? value.join(", ") : String(value);
  }
  return "";
}

/** The in-memory body, if the caller gave one (undefined: none given, the stream must be read). */
function inMemoryBody(input: ExtractInput, kind: InputKind, context: ExtractContext | undefined) {
  if (context?.body !== undefined) return context.body;
  return kind === INPUT_PLAIN ? ((input as PlainRequest).body ?? null) : undefined;
}

/** True when extracting `input` needs an asynchronous step first (reading or decompressing the body). */
export function needsBodyRead(input: RequestInput, context?: ExtractContext): boolean {
  if (isBuffered(input)) return false;
  const kind = inputKindOf(input);
  const body = inMemoryBody(input, kind, context);
  if (body !== undefined) {
    // Only a compressed in-memory byte body needs the (asynchronous) decompressor.
    if (body === null || typeof body === "string" || body.length === 0) return false;
    const encoding = bodyEncodingOf(headerOf(input, kind, "content-encoding"));
    return encoding === "gzip" || encoding === "deflate";
  }
  if (kind === INPUT_FETCH) return (input as Request).body !== null;
  if (kind === INPUT_NODE) return nodeMessageHasBody(input as IncomingMessage);
  return false;
}

/** Reads (or takes) the body bytes, then decompresses them when the content encoding says so. */
async function readBody(
  input: ExtractInput,
  kind: InputKind,
  opts: ResolvedExtractOptions,
  context: ExtractContext | undefined,
): Promise<BufferedRequest> {
  const given = inMemoryBody(input, kind, context);
  let bytes: Uint8Array | null;
  if (given !== undefined) bytes = given === null ? null : typeof given === "string" ? new TextEncoder().encode(given) : given;
  else if (kind === INPUT_FETCH) bytes = await readFetchBody(input as Request, opts.maxBodyBytes);
  else bytes = await readNodeBody(input as IncomingMessage, opts.maxBodyBytes);
  if (bytes === null || bytes.length === 0) return { bufferedFrom: input, bufferedBody: bytes };
  const encoding = bodyEncodingOf(headerOf(input, kind, "content-encoding"));
  if (encoding !== "gzip" && encoding !== "deflate") return { bufferedFrom: input, bufferedBody: bytes };
  const inputTruncated = bytes.length > opts.maxBodyBytes;
  const decompressed = await decompressBody(
    inputTruncated ? bytes.subarray(0, opts.maxBodyBytes) : bytes,
    encoding,
    opts.maxBodyBytes,
  );
  // Nothing decompressed at all: the body is not compressed (a platform may have decoded it
  // already, or the header lies). Inspect it as sent rather than inspect nothing.
  const asSent = decompressed.error !== null && decompressed.bytes.length === 0;
  return {
    bufferedFrom: input,
    bufferedBody: asSent ? bytes : decompressed.bytes,
    bodyDecoding: { from: encoding, error: decompressed.error, inputTruncated, asSent },
  };
}

/**
 * Extracts every field of a request whose body (if any) is in memory: a plain object's `body`,
 * or `context.body`. A Web Request or Node message with an unread body stream gets its head
 * extracted and a `bodyUnavailable` truncation (use `extractRequest` for those); a compressed
 * body is inspected as raw bytes with an `encoding` parse error (decompressing is asynchronous).
 */
export function extractRequestSync(
  input: RequestInput,
  sink: FieldSink,
  options?: ExtractOptions | ResolvedExtractOptions,
  context?: ExtractContext,
): ExtractReport {
  const opts = resolved(options);
  if (isBuffered(input)) {
    const original = input.bufferedFrom;
    return extractResolved(original, inputKindOf(original), sink, opts, context, input.bufferedBody, input.bodyDecoding);
  }
  return extractResolved(input, inputKindOf(input), sink, opts, context, undefined, undefined);
}

/**
 * Reads the body stream ahead when there is one (bounded, not consuming it for the app) and
 * decompresses it if needed, so that extractRequestSync can then run without awaiting.
 * Returns `input` itself when there is nothing to do.
 */
export function bufferRequestBody(
  input: RequestInput,
  options?: ExtractOptions | ResolvedExtractOptions,
  context?: ExtractContext,
): Promise<RequestInput> {
  if (!needsBodyRead(input, context)) return Promise.resolve(input);
  const original = input as ExtractInput;
  return readBody(original, inputKindOf(original), resolved(options), context);
}

/** `bodyRead`: undefined = not read (use context/plain body), null = could not be read. */
function extractResolved(
  input: ExtractInput,
  kind: InputKind,
  sink: FieldSink,
  opts: ResolvedExtractOptions,
  context: ExtractContext | undefined,
  bodyRead: Uint8Array | null | undefined,
  decoding: BodyDecoding | undefined,
): ExtractReport {
  const report = newReport();
  const facts = extractHead(input, kind, sink, opts, context, report);
  if (facts.stopped) return fieldsRefused(report);
  let contentType = facts.contentType;
  const contentEncoding = facts.contentEncoding;

  let body: string | Uint8Array | null | undefined = bodyRead !== undefined ? bodyRead : context?.body;
  if (body === undefined && kind === INPUT_PLAIN) body = (input as PlainRequest).body;
  // No raw body to hand but a framework's parsed one: inspect what the app will act on.
  if ((body === undefined || body === null) && context?.parsedBody !== undefined) {
    return extractParsedBody(context.parsedBody, contentType, sink, opts, report);
  }
  if (body === undefined) {
    if (kind === INPUT_FETCH || kind === INPUT_NODE) {
      const hasStream =
        kind === INPUT_FETCH
          ? (input as Request).body !== null
          : facts.transferEncoding || (facts.contentLength !== "" && facts.contentLength.trim() !== "0");
      if (hasStream) {
        report.truncated.push({
          limit: "bodyUnavailable",
          detail: "body stream not read by synchronous extraction (use extractRequest)",
        });
      }
    }
    return report;
  }
  if (body === null) {
    if (bodyRead === null) {
      report.truncated.push({
        limit: "bodyUnavailable",
        detail: "body already consumed before inspection: pass it as context.body (or context.parsedBody)",
      });
    }
    return report;
  }
  if (body === undefined || body.length === 0) return report;

  if (decoding !== undefined) {
    if (decoding.asSent) {
      report.parseErrors.push({
        part: "encoding",
        message: `declared ${decoding.from} but not compressed (${decoding.error}): inspected as sent`,
      });
    } else if (decoding.inputTruncated && body.length <= opts.maxBodyBytes) {
      report.truncated.push({
        limit: "bodyBytes",
        detail: `${decoding.from} body longer than ${opts.maxBodyBytes} compressed bytes: inspected what its start decompresses to`,
      });
    } else if (decoding.error !== null && !decoding.inputTruncated) {
      report.parseErrors.push({ part: "encoding", message: `corrupt ${decoding.from} body (${decoding.error}): inspected what decompressed` });
    }
  } else if (contentEncoding !== "" && typeof body !== "string") {
    const encoding = bodyEncodingOf(contentEncoding);
    if (encoding !== "identity") {
      report.parseErrors.push({
        part: "encoding",
        message:
          encoding === "unsupported"
            ? `content-encoding "${contentEncoding.slice(0, 40)}" cannot be decoded here: inspected as raw bytes`
            : `${encoding} body not decompressed by synchronous extraction (use extractRequest): inspected as raw bytes`,
      });
      contentType = "application/octet-stream";
    }
  }
  if (!extractBody(body, contentType, sink, opts, report)) return fieldsRefused(report);
  return report;
}

function extractParsedBody(
  parsed: unknown,
  contentType: string,
  sink: FieldSink,
  opts: ResolvedExtractOptions,
  report: ExtractReport,
): ExtractReport {
  const asForm = bodyKindOf(contentType) === "form";
  report.bodyKind = asForm ? "form" : "json";
  if (!emitParsedBody(parsed, asForm, sink, opts.maxJsonDepth, report)) return fieldsRefused(report);
  return report;
}

function fieldsRefused(report: ExtractReport): ExtractReport {
  report.truncated.push({ limit: "fields", detail: "field limit reached: later fields not inspected" });
  return report;
}

/**
 * Extracts every field, reading (and decompressing) the body first when needed — bounded by
 * `maxBodyBytes`, without consuming it for the application (see read-body.ts).
 * Returns the report synchronously when nothing needs to be awaited.
 */
export function extractRequestMaybeSync(
  input: RequestInput,
  sink: FieldSink,
  options?: ExtractOptions | ResolvedExtractOptions,
  context?: ExtractContext,
): ExtractReport | Promise<ExtractReport> {
  const opts = resolved(options);
  if (!needsBodyRead(input, context)) return extractRequestSync(input, sink, opts, context);
  const original = input as ExtractInput;
  return readBody(original, inputKindOf(original), opts, context).then((buffered) =>
    extractRequestSync(buffered, sink, opts, context),
  );
}

/** Promise-returning form of extractRequestMaybeSync. */
export function extractRequest(
  input: RequestInput,
  sink: FieldSink,
  options?: ExtractOptions | ResolvedExtractOptions,
  context?: ExtractContext,
): Promise<ExtractReport> {
  try {
    return Promise.resolve(extractRequestMaybeSync(input, sink, options, context));
  } catch (error) {
    return Promise.reject(error);
  }
}
