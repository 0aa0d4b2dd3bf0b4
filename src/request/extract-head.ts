/**
 * Synchronous extraction of everything but the body: method, raw URI, path, basename, query
 * string and arguments, protocol, headers, cookies, client IP — in that order.
 *
 * Hot path (an ordinary GET must cost a few hundred nanoseconds): no `new URL()`, no regex, no
 * per-field objects or closures; strings are hand-scanned with charCodeAt and fields go straight
 * to the sink. State that the body stage needs (content type, length) is kept in one
 * module-level object that is reset per call — safe because extraction never awaits in between.
 *
 * Headers, per platform:
 * - Node `IncomingMessage`: `rawHeaders`, so duplicates stay separate fields, in wire order;
 * - Web `Headers` (Request, or a plain object's headers): the platform has already lower-cased
 *   names and joined duplicates with ", " (cookies with "; "); `set-cookie` stays separate;
 * - a record: one field per value (arrays give one field per element); an array of pairs: as given.
 * Names are lower-cased; values are not trimmed further than the platform did.
 */
import type { IncomingMessage } from "node:http";
import { FieldKind } from "../engine/abi.js";
import { addressFromForwardedFor, addressFromTrustedHeader, cleanAddress } from "./client-ip.js";
import { emitCookies } from "./cookies.js";
import type { FieldSink } from "./field-sink.js";
import { basenameOf, normalizeRequestPath } from "./path-normalize.js";
import { noteDecodeFlags } from "./decode-notes.js";
import { takeDecodeFlags } from "./percent-decode.js";
import { requestTargetOf } from "./request-target.js";
import type { ExtractContext, ExtractReport, PlainHeaders, PlainRequest, ResolvedExtractOptions } from "./types.js";
import { emitUrlEncodedPairs } from "./urlencoded-pairs.js";

const K_METHOD = FieldKind.method;
const K_URI_RAW = FieldKind.uriRaw;
const K_PATH = FieldKind.path;
const K_BASENAME = FieldKind.basename;
const K_QUERY_STRING = FieldKind.queryString;
const K_QUERY_ARG = FieldKind.queryArg;
const K_PROTOCOL = FieldKind.protocol;
const K_HEADER = FieldKind.header;
const K_COOKIE = FieldKind.cookie;
const K_CLIENT_IP = FieldKind.clientIp;

export const INPUT_PLAIN = 0;
export const INPUT_FETCH = 1;
export const INPUT_NODE = 2;
export type InputKind = typeof INPUT_PLAIN | typeof INPUT_FETCH | typeof INPUT_NODE;

/** Duck-typed so that Requests and messages from other realms or polyfills are recognised too. */
export function inputKindOf(input: unknown): InputKind {
  const o = input as Record<string, unknown>;
  if (Array.isArray(o.rawHeaders) && typeof o.httpVersion === "string") return INPUT_NODE;
  if (typeof o.clone === "function" && typeof o.arrayBuffer === "function" && typeof o.url === "string") {
    return INPUT_FETCH;
  }
  return INPUT_PLAIN;
}

/** What the body stage needs from the head. One shared instance: valid until the next extraction. */
export interface HeadFacts {
  /** The first content-type header ("" when absent), as Node's parser keeps the first too. */
  contentType: string;
  contentLength: string;
  /** The content-encoding header ("" when absent). */
  contentEncoding: string;
  transferEncoding: boolean;
  /** The sink refused a field: produce nothing more. */
  stopped: boolean;
}

const facts: HeadFacts = { contentType: "", contentLength: "", contentEncoding: "", transferEncoding: false, stopped: false };

// Per-extraction header scan state (module-level so the Headers.forEach callback needs no closure).
let headerSink: FieldSink;
/** Header values are platform byte strings and the sink can write them as bytes. */
let headerLatin1 = false;
let trustedIpHeader = "";
let forwardedFor = "";
let trustedIpValue = "";

function resetHeaderState(sink: FieldSink, opts: ResolvedExtractOptions, byteStrings: boolean): void {
  headerLatin1 = byteStrings && sink.addLatin1 !== undefined;
  facts.contentType = "";
  facts.contentLength = "";
  facts.contentEncoding = "";
  facts.transferEncoding = false;
  facts.stopped = false;
  headerSink = sink;
  trustedIpHeader = opts.ipHeader;
  forwardedFor = "";
  trustedIpValue = "";
}

/** One header with an already lower-cased name. Returns false once the sink refuses. */
function onHeader(name: string, value: string): boolean {
  if (facts.stopped) return false;
  if (!(headerLatin1 ? headerSink.addLatin1!(K_HEADER, name, value) : headerSink.add(K_HEADER, name, value))) {
    return stop();
  }
  switch (name.length) {
    case 6:
      if (name === "cookie" && !emitCookies(value, K_COOKIE, headerSink, headerLatin1)) return stop();
      break;
    case 12:
      if (name === "content-type" && facts.contentType === "") facts.contentType = value;
      break;
    case 14:
      if (name === "content-length") facts.contentLength = value;
      break;
    case 15:
      if (name === "x-forwarded-for") forwardedFor = forwardedFor === "" ? value : forwardedFor + "," + value;
      break;
    case 16:
      if (name === "content-encoding") facts.contentEncoding = value;
      break;
    case 17:
      if (name === "transfer-encoding") facts.transferEncoding = true;
      break;
  }
  if (trustedIpHeader !== "" && trustedIpValue === "" && name === trustedIpHeader) trustedIpValue = value;
  return true;
}

function stop(): false {
  facts.stopped = true;
  return false;
}

function stopped(): HeadFacts {
  facts.stopped = true;
  return facts;
}

function onHeadersForEach(value: string, name: string): void {
  onHeader(name, value);
}

function scanNodeRawHeaders(raw: string[]): void {
  for (let i = 0; i + 1 < raw.length; i += 2) if (!onHeader(raw[i].toLowerCase(), raw[i + 1])) return;
}

/**
 * A plain request's method, URL, header name or value as a string. `String(v)` is a builtin
 * call even when `v` is one already (3–4% of an ordinary GET's JS side), so strings skip it.
 */
function textOf(v: unknown): string {
  return typeof v === "string" ? v : String(v);
}

function scanPlainHeaders(headers: PlainHeaders | undefined | null): void {
  if (headers == null) return;
  if (typeof (headers as Headers).forEach === "function" && typeof (headers as Headers).get === "function") {
    headerLatin1 = headerSink.addLatin1 !== undefined; // a Headers object holds byte strings
    (headers as Headers).forEach(onHeadersForEach);
    return;
  }
  if (Array.isArray(headers)) {
    // An index loop: for…of measured a few percent of an ordinary GET's extraction more.
    for (let i = 0; i < headers.length; i++) {
      const pair = headers[i]!;
      if (!onHeader(textOf(pair[0]).toLowerCase(), textOf(pair[1]))) return;
    }
    return;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  for (const key in record) {
    const value = record[key];
    if (value === undefined) continue;
    const name = key.toLowerCase();
    if (typeof value === "string") {
      if (!onHeader(name, value)) return;
    } else if (Array.isArray(value)) {
      for (const v of value) if (!onHeader(name, textOf(v))) return;
    } else if (!onHeader(name, String(value))) return;
  }
}

function httpVersionProtocol(version: string): string {
  return version === "1.1" ? "HTTP/1.1" : version === "2.0" ? "HTTP/2.0" : "HTTP/" + version;
}

/**
 * Emits the head fields of `input`. Returns the facts the body stage needs (a shared object,
 * valid until the next call); `facts.stopped` says the sink refused a field.
 */
export function extractHead(
  input: unknown,
  kind: InputKind,
  sink: FieldSink,
  opts: ResolvedExtractOptions,
  context: ExtractContext | undefined,
  report: ExtractReport,
): HeadFacts {
  // Node's rawHeaders and fetch's Headers hold byte strings; a plain object's values are text.
  resetHeaderState(sink, opts, kind !== INPUT_PLAIN);
  let method: string;
  /** The request target as given (uriRaw); `target` below is its origin-form (path and query). */
  let rawUri: string;
  let target: string;
  let protocol: string | undefined;
  let peer: string | undefined;
  if (kind === INPUT_NODE) {
    const req = input as IncomingMessage;
    method = req.method ?? "GET";
    // Node gives the target exactly as received: absolute-form (via a proxy) stays in uriRaw.
    rawUri = req.url ?? "/";
    target = requestTargetOf(rawUri);
    protocol = context?.protocol ?? httpVersionProtocol(req.httpVersion);
    peer = context?.remoteAddress ?? context?.ip ?? req.socket?.remoteAddress;
  } else if (kind === INPUT_FETCH) {
    const req = input as Request;
    method = req.method;
    rawUri = target = requestTargetOf(req.url);
    protocol = context?.protocol;
    peer = context?.remoteAddress ?? context?.ip;
  } else {
    const req = input as PlainRequest;
    method = req.method == null ? "GET" : textOf(req.method);
    rawUri = target = req.url == null ? "/" : requestTargetOf(textOf(req.url));
    protocol = context?.protocol ?? req.protocol;
    peer = context?.remoteAddress ?? context?.ip ?? req.ip;
  }

  report.method = method;
  if (!sink.add(K_METHOD, "", method) || !sink.add(K_URI_RAW, "", rawUri)) return stopped();

  const q = target.indexOf("?");
  takeDecodeFlags();
  const path = normalizeRequestPath(q < 0 ? target : target.slice(0, q));
  noteDecodeFlags(report, "uri");
  report.path = path;
  if (!sink.add(K_PATH, "", path)) return stopped();
  const basename = basenameOf(path);
  if (basename !== "" && !sink.add(K_BASENAME, "", basename)) return stopped();
  if (q >= 0) {
    if (!sink.add(K_QUERY_STRING, "", target.slice(q + 1))) return stopped();
    const accepted = emitUrlEncodedPairs(target, q + 1, target.length, K_QUERY_ARG, sink);
    noteDecodeFlags(report, "query");
    if (!accepted) return stopped();
  }
  if (protocol !== undefined && protocol !== "" && !sink.add(K_PROTOCOL, "", protocol)) return stopped();

  if (kind === INPUT_NODE) scanNodeRawHeaders((input as IncomingMessage).rawHeaders);
  else if (kind === INPUT_FETCH) (input as Request).headers.forEach(onHeadersForEach);
  else scanPlainHeaders((input as PlainRequest).headers);
  if (facts.stopped) return facts;

  let clientIp = "";
  if (trustedIpValue !== "") clientIp = addressFromTrustedHeader(trustedIpValue);
  if (clientIp === "" && forwardedFor !== "" && opts.trustedProxies > 0) {
    clientIp = addressFromForwardedFor(forwardedFor, opts.trustedProxies);
  }
  if (clientIp === "" && peer) clientIp = cleanAddress(peer);
  if (clientIp !== "" && !sink.add(K_CLIENT_IP, "", clientIp)) stop();
  return facts;
}
