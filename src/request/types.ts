/**
 * Input shapes accepted by request extraction, its options (with safe defaults) and its report.
 */
import type { IncomingMessage } from "node:http";

/** Header shapes a plain request object may carry. */
export type PlainHeaders = Record<string, string | string[] | undefined> | Array<[string, string]> | Headers;

/**
 * A request that is already in memory (the CLI's JSONL lines, tests, custom servers).
 * `url` is either a full URL (`https://h/a?b=c`) or the raw request target (`/a?b=c`); it is
 * never normalised, so what the client sent is what the rules see as `uriRaw`.
 */
export interface PlainRequest {
  method: string;
  url: string;
  headers: PlainHeaders;
  body?: string | Uint8Array | null;
  /** The peer address as the platform saw it (used when no trusted forwarding header applies). */
  ip?: string;
  /** The HTTP version as `HTTP/1.1`, `HTTP/2`, when known. */
  protocol?: string;
}

/** Everything extraction understands: a Web `Request`, a Node `IncomingMessage`, or a plain object. */
export type ExtractInput = Request | IncomingMessage | PlainRequest;

/**
 * A request whose body stream has been read ahead (by `bufferRequestBody`): the original for
 * its head, and the first `maxBodyBytes + 1` body bytes (`null`: the body could not be read).
 */
export interface BufferedRequest {
  readonly bufferedFrom: ExtractInput;
  readonly bufferedBody: Uint8Array | null;
  /** Set when `bufferedBody` is the decompressed form of a gzip/deflate body. */
  readonly bodyDecoding?: BodyDecoding;
}

/** What the body-reading stage did about a Content-Encoding. */
export interface BodyDecoding {
  from: "gzip" | "deflate";
  /** Decompression stopped early (corrupt input), or null. */
  error: string | null;
  /** The compressed input itself was longer than maxBodyBytes (only its start was decompressed). */
  inputTruncated: boolean;
  /** Nothing decompressed: the body was not compressed after all and is inspected as sent. */
  asSent: boolean;
}

/** What the engine's inspect functions accept. */
export type RequestInput = ExtractInput | BufferedRequest;

/** What the caller knows about the request that the request object itself does not carry. */
export interface ExtractContext {
  /**
   * The platform's peer address: Deno's `info.remoteAddr.hostname`, Bun's `server.requestIP(req)`,
   * on workerd the `cf-connecting-ip` header (set by Cloudflare's edge, so trustworthy there and only there).
   * For a Node `IncomingMessage`, `req.socket.remoteAddress` is used when this is absent.
   */
  remoteAddress?: string;
  /** Alias of `remoteAddress` (the engine's InspectContext name). */
  ip?: string;
  /**
   * The body when the application (or a framework) has already read it, e.g. Express's raw body
   * or Fastify's. Takes precedence over reading the request's own stream.
   */
  body?: string | Uint8Array | null;
  /** The HTTP version (`HTTP/1.1`, `HTTP/2`), when the platform tells it. */
  protocol?: string;
  /**
   * A body a framework has already parsed (Express `req.body`, Fastify `request.body`), used
   * when the raw body is not available: it is what the app will act on, so its keys and
   * leaves are inspected (as JSON fields, or form fields for a urlencoded content type).
   */
  parsedBody?: unknown;
}

/** Limits and trust settings. Every limit cuts inspection at the limit and reports it; nothing throws. */
export interface ExtractOptions {
  /**
   * Body bytes read and inspected (default 1 MiB). Big enough for nearly every JSON/form API body
   * in full; bounds both memory and the worst-case inspection cost (about a millisecond of scanning).
   * A longer body is inspected up to the limit and reported as truncated.
   */
  maxBodyBytes?: number;
  /** JSON nesting depth followed (default 32). Deeper subtrees are emitted as one raw-text value at their path. */
  maxJsonDepth?: number;
  /** Multipart parts parsed (default 100); later parts are not inspected and the truncation is reported. */
  maxMultipartParts?: number;
  /** Header block bytes per multipart part (default 8 KiB); a larger block makes the multipart body malformed. */
  maxMultipartHeaderBytes?: number;
  /**
   * Bytes of each uploaded file's content emitted as a `multipartField` (default 0: file contents
   * are not inspected, only their names, filenames and part headers, like ModSecurity's ARGS).
   */
  maxMultipartFileBytes?: number;
  /**
   * Number of reverse proxies in front of the application that append to `x-forwarded-for`
   * (default 0: the header is not trusted at all). With N, the client is the N-th address from the right.
   */
  trustedProxies?: number;
  /**
   * A header that carries the client address and is set by infrastructure you trust
   * (`cf-connecting-ip` behind Cloudflare, `x-real-ip` behind your own nginx, `fly-client-ip`…).
   * Default none: a client can send any of these headers itself.
   */
  ipHeader?: string;
  /**
   * Also emit the raw body (`bodyRaw`) when it parsed as form, JSON or multipart (default false:
   * raw text is emitted only for text/XML/other bodies and for bodies that failed to parse).
   */
  alwaysEmitRawBody?: boolean;
  /**
   * Parse a body whose content type is not JSON (text/plain, none, octet-stream…) as JSON too when it
   * looks like JSON (default true): fetch handlers commonly call `req.json()` whatever the content type says.
   */
  sniffJson?: boolean;
}

/** ExtractOptions with every default filled in; build once with resolveExtractOptions and reuse. */
export interface ResolvedExtractOptions extends Required<Omit<ExtractOptions, "ipHeader">> {
  /** Lower-cased header name, or "" for none. */
  ipHeader: string;
  readonly resolved: true;
}

export const DEFAULT_MAX_BODY_BYTES = 1 << 20;
export const DEFAULT_MAX_JSON_DEPTH = 32;
export const DEFAULT_MAX_MULTIPART_PARTS = 100;
export const DEFAULT_MAX_MULTIPART_HEADER_BYTES = 8 << 10;

function nonNegativeInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value >= 0) || Math.floor(value) !== value) {
    throw new RangeError(`ExtractOptions.${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

/** Fills defaults and validates (throws RangeError on a bad configuration — at setup, never per request). */
export function resolveExtractOptions(options: ExtractOptions | ResolvedExtractOptions = {}): ResolvedExtractOptions {
  if ((options as ResolvedExtractOptions).resolved === true) return options as ResolvedExtractOptions;
  return {
    maxBodyBytes: nonNegativeInt(options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, "maxBodyBytes"),
    maxJsonDepth: nonNegativeInt(options.maxJsonDepth, DEFAULT_MAX_JSON_DEPTH, "maxJsonDepth"),
    maxMultipartParts: nonNegativeInt(options.maxMultipartParts, DEFAULT_MAX_MULTIPART_PARTS, "maxMultipartParts"),
    maxMultipartHeaderBytes: nonNegativeInt(
      options.maxMultipartHeaderBytes,
      DEFAULT_MAX_MULTIPART_HEADER_BYTES,
      "maxMultipartHeaderBytes",
    ),
    maxMultipartFileBytes: nonNegativeInt(options.maxMultipartFileBytes, 0, "maxMultipartFileBytes"),
    trustedProxies: nonNegativeInt(options.trustedProxies, 0, "trustedProxies"),
    ipHeader: options.ipHeader ? options.ipHeader.toLowerCase() : "",
    alwaysEmitRawBody: options.alwaysEmitRawBody ?? false,
    sniffJson: options.sniffJson ?? true,
    resolved: true,
  };
}

export type TruncationLimit =
  | "bodyBytes"
  | "jsonDepth"
  | "multipartParts"
  | "multipartFileBytes"
  /** The sink refused more fields (field count / total bytes limits in the engine). */
  | "fields"
  /** The body could not be read: already consumed by the app, or a sync extraction of a streamed body. */
  | "bodyUnavailable";

export interface Truncation {
  limit: TruncationLimit;
  detail: string;
}

export interface ParseError {
  part: "json" | "multipart" | "form" | "charset" | "uri" | "query" | "cookie" | "encoding";
  message: string;
}

export type BodyKind = "none" | "form" | "json" | "multipart" | "text" | "xml" | "raw";

export interface ExtractReport {
  /** The request's method and normalised path, for route-scoped policies. */
  method: string;
  path: string;
  truncated: Truncation[];
  parseErrors: ParseError[];
  bodyKind: BodyKind;
}

export function newReport(): ExtractReport {
  return { method: "", path: "", truncated: [], parseErrors: [], bodyKind: "none" };
}
