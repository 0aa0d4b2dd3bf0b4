/**
 * Compressed request bodies (`Content-Encoding: gzip` / `deflate`). body-parser inflates them
 * by default, so inspecting the compressed bytes would let any payload through: we decompress
 * with the Web `DecompressionStream` (Node 18+, Deno, workerd, Bun, Vercel Edge) — which is
 * asynchronous, so this happens in the body-reading stage — and stop at `maxBytes + 1` output
 * bytes (a decompression bomb costs at most the limit). Brotli and stacked codings are not
 * decodable everywhere: such bodies are inspected as raw bytes and the report says so.
 */

export type BodyEncoding = "identity" | "gzip" | "deflate" | "unsupported";

export function bodyEncodingOf(headerValue: string): BodyEncoding {
  const v = headerValue.trim().toLowerCase();
  if (v === "" || v === "identity") return "identity";
  if (v === "gzip" || v === "x-gzip") return "gzip";
  if (v === "deflate") return "deflate";
  return "unsupported";
}

export interface Decompressed {
  /** At most maxBytes + 1 bytes of output (one more than the limit says "longer"). */
  bytes: Uint8Array;
  /** Why decompression stopped early (corrupt or cut input), or null. */
  error: string | null;
}

async function inflate(input: Uint8Array, format: "gzip" | "deflate" | "deflate-raw", maxBytes: number): Promise<Decompressed> {
  const stream = new DecompressionStream(format);
  const writer = stream.writable.getWriter();
  // Not awaited: writes resolve only as the output is read (backpressure).
  writer.write(input as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let error: string | null = null;
  try {
    while (total <= maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
    }
    if (total > maxBytes) reader.cancel().catch(() => undefined);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const size = Math.min(total, maxBytes + 1);
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    const take = Math.min(chunk.length, size - at);
    out.set(chunk.subarray(0, take), at);
    at += take;
    if (at === size) break;
  }
  return { bytes: out, error };
}

/** Decompresses a gzip or deflate body (zlib-wrapped, or raw deflate as some clients send). */
export async function decompressBody(input: Uint8Array, encoding: "gzip" | "deflate", maxBytes: number): Promise<Decompressed> {
  if (encoding === "gzip") return inflate(input, "gzip", maxBytes);
  const zlib = await inflate(input, "deflate", maxBytes);
  if (zlib.error === null || zlib.bytes.length > 0) return zlib;
  const raw = await inflate(input, "deflate-raw", maxBytes);
  return raw.error === null || raw.bytes.length > 0 ? raw : zlib;
}
