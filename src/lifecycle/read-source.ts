/**
 * Reads a pack from wherever it comes from — bytes, a URL, a fetch Response, a stream —
 * into one buffer, never more than `maxBytes` (a hostile or broken server cannot make the
 * engine buffer without bound).
 */
import { PackRefusedError } from "./errors.js";

export type PackSourceInput = Uint8Array | ArrayBuffer | URL | string | Response | ReadableStream<Uint8Array>;

export interface ReadSourceOptions {
  /** Largest pack accepted, in bytes (default 16 MiB). */
  maxBytes?: number;
  /** fetch used for URLs (default: the global one). */
  fetch?: typeof fetch;
  /** Extra request headers for URLs. */
  headers?: HeadersInit;
  signal?: AbortSignal;
}

export const DEFAULT_MAX_PACK_BYTES = 16 * 1024 * 1024;

const tooLarge = (max: number) => new PackRefusedError("too-large", `the pack is larger than the ${max}-byte limit (maxBytes)`);

export async function readPackSource(source: PackSourceInput, options: ReadSourceOptions = {}): Promise<Uint8Array> {
  const max = options.maxBytes ?? DEFAULT_MAX_PACK_BYTES;
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
    const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
    if (bytes.length > max) throw tooLarge(max);
    return bytes;
  }
  if (typeof source === "string" || source instanceof URL) {
    const doFetch = options.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(source, { headers: options.headers, signal: options.signal });
    } catch (e) {
      throw new PackRefusedError("source", `could not fetch ${String(source)}: ${(e as Error).message}`);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new PackRefusedError("source", `${String(source)} answered HTTP ${response.status}`);
    }
    return readResponse(response, max);
  }
  if (typeof Response !== "undefined" && source instanceof Response) return readResponse(source, max);
  if (typeof (source as ReadableStream).getReader === "function") return readStream(source as ReadableStream<Uint8Array>, max);
  throw new TypeError("wafer: a pack source must be bytes, a URL, a Response or a ReadableStream");
}

function readResponse(response: Response, max: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > max) {
    void response.body?.cancel().catch(() => {});
    return Promise.reject(tooLarge(max));
  }
  if (!response.body) return Promise.resolve(new Uint8Array(0));
  return readStream(response.body, max, Number.isFinite(declared) ? declared : undefined);
}

/** Reads a stream into one buffer; cancels it as soon as it passes `max`. */
export async function readStream(stream: ReadableStream<Uint8Array>, max: number, sizeHint?: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  let buffer = new Uint8Array(Math.min(sizeHint ?? 64 * 1024, max));
  let length = 0;
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (e) {
        throw new PackRefusedError("source", `reading the pack failed: ${(e as Error).message}`);
      }
      if (chunk.done) break;
      const value = chunk.value;
      if (!(value instanceof Uint8Array)) throw new PackRefusedError("source", "the pack stream yielded something other than bytes");
      if (length + value.length > max) {
        await reader.cancel().catch(() => {});
        throw tooLarge(max);
      }
      if (length + value.length > buffer.length) {
        const grown = new Uint8Array(Math.min(max, Math.max(buffer.length * 2, length + value.length)));
        grown.set(buffer.subarray(0, length));
        buffer = grown;
      }
      buffer.set(value, length);
      length += value.length;
    }
  } finally {
    reader.releaseLock();
  }
  return buffer.length === length ? buffer : buffer.subarray(0, length);
}
