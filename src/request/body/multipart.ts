/**
 * `multipart/form-data` parsing over the (limit-bounded) body bytes.
 *
 * Emits, per part: each part header as `multipartHeader` (lower-cased name, value), the
 * filename of a file part as `multipartFilename` (name = the form field name), and the value
 * of an ordinary part as `multipartField` (UTF-8 text). File contents are emitted as bytes
 * only up to `maxMultipartFileBytes` (default 0): a file is never copied, only sub-viewed.
 *
 * Tolerance: delimiters preceded by CRLF or a bare LF, transport padding after a boundary,
 * `filename*=UTF-8''…` (RFC 5987) preferred over `filename`, no closing boundary (the last
 * part runs to the end). What cannot be parsed (no boundary parameter, no delimiter in the
 * body, an oversized or unterminated header block) is reported as malformed and the caller
 * inspects the body as raw text.
 *
 * Cost: delimiter search is Boyer–Moore–Horspool over the body (sublinear on typical data,
 * linear worst case); memory is the body buffer itself, already bounded by `maxBodyBytes`.
 */
import { FieldKind } from "../../engine/abi.js";
import type { FieldSink } from "../field-sink.js";
import { percentDecode } from "../percent-decode.js";
import type { ExtractReport, ResolvedExtractOptions } from "../types.js";
import { decodeUtf8 } from "./charset.js";
import { mediaParam } from "./media-type.js";

const K_FIELD = FieldKind.multipartField;
const K_FILENAME = FieldKind.multipartFilename;
const K_HEADER = FieldKind.multipartHeader;

export const MULTIPART_OK = 0;
export const MULTIPART_STOPPED = 1;
export const MULTIPART_MALFORMED = 2;

export interface MultipartResult {
  outcome: typeof MULTIPART_OK | typeof MULTIPART_STOPPED | typeof MULTIPART_MALFORMED;
  message: string;
  /** Malformed only because the body ended early (explained by a truncated body). */
  atEnd: boolean;
  /** Parts whose content was emitted (or at least their headers). */
  parts: number;
}

const utf8Encoder = new TextEncoder();
const skipTable = new Int32Array(256);

/** Horspool search for `pattern` in hay[from, end); the skip table must be built for it. */
function findPattern(hay: Uint8Array, pattern: Uint8Array, from: number, end: number): number {
  const m = pattern.length;
  const last = m - 1;
  const lastByte = pattern[last];
  let i = from;
  while (i + m <= end) {
    const c = hay[i + last];
    if (c === lastByte) {
      let j = last - 1;
      while (j >= 0 && hay[i + j] === pattern[j]) j--;
      if (j < 0) return i;
    }
    i += skipTable[c];
  }
  return -1;
}

function buildSkipTable(pattern: Uint8Array): void {
  const m = pattern.length;
  skipTable.fill(m);
  for (let i = 0; i < m - 1; i++) skipTable[pattern[i]] = m - 1 - i;
}

interface Disposition {
  name: string;
  filename: string | null;
}

/** Parses `form-data; name="a"; filename="b.txt"; filename*=UTF-8''b%C3%A9.txt`. */
export function parseContentDisposition(value: string): Disposition {
  const name = dispositionParam(value, "name");
  const extended = dispositionParam(value, "filename*");
  let filename = dispositionParam(value, "filename");
  if (extended !== null) {
    const quote = extended.indexOf("''");
    filename = percentDecode(quote >= 0 ? extended.slice(quote + 2) : extended, false);
  }
  return { name: name ?? "", filename };
}

function dispositionParam(value: string, key: string): string | null {
  // Reuse the content-type parameter scanner, but tell "absent" from "empty".
  const lower = value.toLowerCase();
  let at = 0;
  for (;;) {
    const hit = lower.indexOf(key, at);
    if (hit < 0) return null;
    // Must be a whole parameter name: preceded by ';' or space, followed by optional spaces and '='.
    const before = hit === 0 ? 59 : lower.charCodeAt(hit - 1);
    let after = hit + key.length;
    while (lower.charCodeAt(after) === 32) after++;
    if ((before === 59 || before === 32 || before === 9) && lower.charCodeAt(after) === 61) {
      return mediaParam(";" + value.slice(hit), key);
    }
    at = hit + 1;
  }
}

export function parseMultipart(
  body: Uint8Array,
  contentType: string,
  sink: FieldSink,
  opts: ResolvedExtractOptions,
  report: ExtractReport,
): MultipartResult {
  const result: MultipartResult = { outcome: MULTIPART_OK, message: "", atEnd: false, parts: 0 };
  const boundary = mediaParam(contentType, "boundary");
  if (boundary === "") return malformed(result, "no boundary parameter in content-type");
  // "\n--boundary": a delimiter is always at a line start (CRLF or, tolerated, bare LF).
  const boundaryBytes = utf8Encoder.encode(boundary);
  const delimiter = new Uint8Array(boundaryBytes.length + 3);
  delimiter[0] = 10;
  delimiter[1] = 45;
  delimiter[2] = 45;
  delimiter.set(boundaryBytes, 3);
  buildSkipTable(delimiter);

  const n = body.length;
  // First delimiter: at offset 0, or after a preamble.
  let d: number;
  if (startsWithAt(body, 0, delimiter, 1)) d = 0;
  else {
    const hit = findPattern(body, delimiter, 0, n);
    if (hit < 0) return malformed(result, "boundary not found in body", false);
    d = hit + 1;
  }

  for (;;) {
    // d points at "--boundary".
    let p = d + delimiter.length - 1;
    if (p + 1 < n && body[p] === 45 && body[p + 1] === 45) return result; // closing delimiter
    while (p < n && (body[p] === 32 || body[p] === 9)) p++;
    if (p >= n) return malformed(result, "body ends after a boundary", true);
    if (body[p] === 13) p++;
    if (p >= n) return malformed(result, "body ends after a boundary", true);
    if (body[p] !== 10) return malformed(result, "garbage after a boundary");
    p++;

    if (result.parts >= opts.maxMultipartParts) {
      report.truncated.push({
        limit: "multipartParts",
        detail: `more than ${opts.maxMultipartParts} multipart parts: later parts not inspected`,
      });
      return result;
    }
    result.parts++;

    // Header block: lines up to an empty line.
    const headerStart = p;
    const headerLimit = Math.min(n, headerStart + opts.maxMultipartHeaderBytes);
    let headerEnd = -1;
    let bodyStart = -1;
    for (let lineStart = p; lineStart < headerLimit; ) {
      if (body[lineStart] === 10) {
        headerEnd = lineStart;
        bodyStart = lineStart + 1;
        break;
      }
      if (body[lineStart] === 13 && lineStart + 1 < n && body[lineStart + 1] === 10) {
        headerEnd = lineStart;
        bodyStart = lineStart + 2;
        break;
      }
      const lf = body.indexOf(10, lineStart);
      if (lf < 0 || lf >= headerLimit) break;
      lineStart = lf + 1;
    }
    if (headerEnd < 0) {
      if (headerLimit === n) return malformed(result, "part header block never ends", true);
      return malformed(result, `part header block longer than ${opts.maxMultipartHeaderBytes} bytes`);
    }

    let fieldName = "";
    let filename: string | null = null;
    const headerText = decodeUtf8(body.subarray(headerStart, headerEnd), report, "multipart part headers");
    let lineStart = 0;
    while (lineStart < headerText.length) {
      let lf = headerText.indexOf("\n", lineStart);
      if (lf < 0) lf = headerText.length;
      let lineEnd = lf;
      if (lineEnd > lineStart && headerText.charCodeAt(lineEnd - 1) === 13) lineEnd--;
      const colon = headerText.indexOf(":", lineStart);
      if (colon > lineStart && colon < lineEnd) {
        const name = headerText.slice(lineStart, colon).trim().toLowerCase();
        const value = headerText.slice(colon + 1, lineEnd).trim();
        if (!sink.add(K_HEADER, name, value)) return stopped(result);
        if (name === "content-disposition") {
          const disposition = parseContentDisposition(value);
          fieldName = disposition.name;
          filename = disposition.filename;
        }
      }
      lineStart = lf + 1;
    }

    // Content runs to the next "\n--boundary"; the CR before it belongs to the delimiter. The
    // search starts at the blank line's own LF so that an empty part followed by a bare
    // "--boundary" (no line break of its own) is still found.
    const next = findPattern(body, delimiter, bodyStart - 1, n);
    let contentEnd = n;
    if (next >= 0) {
      contentEnd = Math.max(next, bodyStart);
      if (contentEnd > bodyStart && body[contentEnd - 1] === 13) contentEnd--;
    }
    const content = body.subarray(bodyStart, contentEnd);
    if (filename !== null) {
      if (!sink.add(K_FILENAME, fieldName, filename)) return stopped(result);
      const max = opts.maxMultipartFileBytes;
      if (max > 0) {
        if (content.length > max) {
          report.truncated.push({
            limit: "multipartFileBytes",
            detail: `file "${fieldName}" longer than ${max} bytes: inspected up to the limit`,
          });
        }
        if (!sink.addBytes(K_FIELD, fieldName, content.length > max ? content.subarray(0, max) : content)) {
          return stopped(result);
        }
      }
    } else if (!sink.add(K_FIELD, fieldName, decodeUtf8(content, report, "a multipart field"))) {
      return stopped(result);
    }
    if (next < 0) return malformed(result, "no closing boundary", true);
    d = next + 1;
  }
}

function startsWithAt(hay: Uint8Array, at: number, pattern: Uint8Array, patternFrom: number): boolean {
  const m = pattern.length - patternFrom;
  if (at + m > hay.length) return false;
  for (let k = 0; k < m; k++) if (hay[at + k] !== pattern[patternFrom + k]) return false;
  return true;
}

function malformed(result: MultipartResult, message: string, atEnd = false): MultipartResult {
  result.outcome = MULTIPART_MALFORMED;
  result.message = message;
  result.atEnd = atEnd;
  return result;
}

function stopped(result: MultipartResult): MultipartResult {
  result.outcome = MULTIPART_STOPPED;
  return result;
}
