/**
 * Request → fields, the entry points.
 *
 * All fields are produced in one synchronous burst (head, then body), so an engine can encode
 * them into its shared arena without another request interleaving. When the body must first be
 * read from a stream, `extractRequest` awaits that read *before* producing any field; when it
 * need not (GET/HEAD, a body already in memory), `extractRequestMaybeSync` returns the report
 * directly and the whole inspection stays synchronous — the engine's fast path.
 */
import type { IncomingMessage } from "node:http";
import { extractBody } from "./body/extract-body.js";
import { extractHead, INPUT_FETCH, INPUT_NODE, inputKindOf, type InputKind } from "./extract-head.js";
import type { FieldSink } from "./field-sink.js";
import { nodeMessageHasBody, readFetchBody, readNodeBody } from "./read-body.js";
import {
  type BufferedRequest,
  newReport,
  type RequestInput,
  resolveExtractOptions,
  type ExtractContext,
  type ExtractInput,
  type ExtractOptions,
  type ExtractReport,
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

/** True when extracting `input` needs an asynchronous body read first. */
export function needsBodyRead(input: RequestInput, context?: ExtractContext): boolean {
  if (context?.body !== undefined || isBuffered(input)) return false;
  const kind = inputKindOf(input);
  if (kind === INPUT_FETCH) return (input as Request).body !== null;
  if (kind === INPUT_NODE) return nodeMessageHasBody(input as IncomingMessage);
  return false;
}

function readBody(input: ExtractInput, kind: InputKind, opts: ResolvedExtractOptions): Promise<Uint8Array | null> {
  return kind === INPUT_FETCH
    ? readFetchBody(input as Request, opts.maxBodyBytes)
    : readNodeBody(input as IncomingMessage, opts.maxBodyBytes);
}

/**
 * Extracts every field of a request whose body (if any) is in memory: a plain object's `body`,
 * or `context.body`. A Web Request or Node message with an unread body stream gets its head
 * extracted and a `bodyUnavailable` truncation (use `extractRequest` for those).
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
    return extractResolved(original, inputKindOf(original), sink, opts, context, input.bufferedBody);
  }
  return extractResolved(input, inputKindOf(input), sink, opts, context, undefined);
}

/**
 * Reads the body stream ahead when there is one (bounded, not consuming it for the app), so
 * that extractRequestSync can then run without awaiting. Returns `input` itself when there is
 * nothing to read.
 */
export function bufferRequestBody(
  input: RequestInput,
  options?: ExtractOptions | ResolvedExtractOptions,
  context?: ExtractContext,
): Promise<RequestInput> {
  if (!needsBodyRead(input, context)) return Promise.resolve(input);
  const original = input as ExtractInput;
  return readBody(original, inputKindOf(original), resolved(options)).then(
    (bufferedBody): BufferedRequest => ({ bufferedFrom: original, bufferedBody }),
  );
}

/** `bodyRead`: undefined = not read (use context/plain body), null = could not be read. */
function extractResolved(
  input: ExtractInput,
  kind: InputKind,
  sink: FieldSink,
  opts: ResolvedExtractOptions,
  context: ExtractContext | undefined,
  bodyRead: Uint8Array | null | undefined,
): ExtractReport {
  const report = newReport();
  const facts = extractHead(input, kind, sink, opts, context, report);
  if (facts.stopped) return fieldsRefused(report);
  const contentType = facts.contentType;

  let body: string | Uint8Array | null | undefined = context?.body;
  if (body === undefined) {
    if (bodyRead !== undefined) body = bodyRead;
    else if (kind === INPUT_FETCH || kind === INPUT_NODE) {
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
      return report;
    } else body = (input as PlainRequest).body;
  }
  if (body === null) {
    if (bodyRead === null) {
      report.truncated.push({
        limit: "bodyUnavailable",
        detail: "body already consumed before inspection: pass it as context.body",
      });
    }
    return report;
  }
  if (body === undefined) return report;
  if (!extractBody(body, contentType, sink, opts, report)) return fieldsRefused(report);
  return report;
}

function fieldsRefused(report: ExtractReport): ExtractReport {
  report.truncated.push({ limit: "fields", detail: "field limit reached: later fields not inspected" });
  return report;
}

/**
 * Extracts every field, reading the body stream first when there is one (bounded by
 * `maxBodyBytes`, without consuming it for the application: see read-body.ts).
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
  const kind = inputKindOf(original);
  return readBody(original, kind, opts).then((bytes) => extractResolved(original, kind, sink, opts, context, bytes));
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
