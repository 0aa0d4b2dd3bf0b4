/**
 * Reading a request body without taking it away from the application, bounded by a byte limit.
 *
 * Both readers return at most `maxBytes + 1` bytes: one byte more than the limit is enough to
 * know the body was longer (extraction then reports a `bodyBytes` truncation), and memory stays
 * bounded by the limit, not by the body.
 *
 * - Web `Request` (Node's fetch, Deno, workerd, Bun, Vercel Edge): we read a `clone()`; the
 *   original stays unread, so `await req.text()` / `req.json()` work as before. Once we have
 *   enough bytes the clone's stream is cancelled (the application's branch is unaffected).
 *   A request whose body was already used cannot be read: `null`.
 * - Node `IncomingMessage`: the stream is read in paused mode (`'readable'` + `read(n)`), then
 *   every byte we took is pushed back with `req.unshift()` before anything else can read, so
 *   the application's `req.on('data')`, `req.pipe()`, body-parser, raw-body, Fastify… see the
 *   whole body from its first byte. Only the first `maxBytes + 1` bytes are buffered; the rest
 *   stays in the socket until the app reads it. We never read a message whose headers declare
 *   no body, and a stream that has already ended (consumed by a framework) gives `null`: pass
 *   the framework's raw body as `context.body` instead. (Attaching a `'readable'` listener to
 *   a message that has already ended with no data makes Node emit `'end'` at once, before the
 *   app listens: that is why `Content-Length: 0` messages are never touched.)
 */
import type { IncomingMessage } from "node:http";

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0].length === total ? chunks[0] : chunks[0].subarray(0, total);
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    const take = Math.min(chunk.length, total - at);
    out.set(take === chunk.length ? chunk : chunk.subarray(0, take), at);
    at += take;
    if (at === total) break;
  }
  return out;
}

/** Reads up to `maxBytes + 1` bytes of a Web Request's body from a clone. `null` when unreadable. */
export async function readFetchBody(req: Request, maxBytes: number): Promise<Uint8Array | null> {
  if (req.body === null) return new Uint8Array(0);
  if (req.bodyUsed) return null;
  let clone: Request;
  try {
    clone = req.clone();
  } catch {
    return null;
  }
  const reader = clone.body!.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const want = maxBytes + 1;
  try {
    while (total < want) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value.length === 0) continue;
      chunks.push(value);
      total += value.length;
    }
    // Not awaited: a tee branch's cancel settles only once the other branch (the app's) is done too.
    if (total >= want) reader.cancel().catch(() => undefined);
  } catch {
    // A stream error: inspect what arrived; the application will see the same error itself.
    reader.releaseLock();
  }
  return concat(chunks, Math.min(total, want));
}

/**
 * True when the message's headers say a body follows (RFC 9112 §6.3). Scans `rawHeaders`
 * rather than touching `req.headers`, which Node builds lazily (an object per request).
 */
export function nodeMessageHasBody(req: IncomingMessage): boolean {
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i];
    if (name.length === 17 && name.toLowerCase() === "transfer-encoding") return true;
    if (name.length === 14 && name.toLowerCase() === "content-length") {
      const value = raw[i + 1].trim();
      if (value !== "" && value !== "0") return true;
    }
  }
  return false;
}

/**
 * Reads up to `maxBytes + 1` bytes of a Node message and puts them back with `unshift`, so the
 * application still reads the whole body. `null` when the stream was already consumed.
 */
export function readNodeBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array | null> {
  if (!nodeMessageHasBody(req)) return Promise.resolve(new Uint8Array(0));
  if (req.readableEnded || req.destroyed) return Promise.resolve(null);
  const want = maxBytes + 1;
  return new Promise((resolve) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      req.off("readable", onReadable);
      req.off("error", finish);
      req.off("close", finish);
      const all = concat(chunks, total);
      // Give back exactly what we took, before any other reader runs (not into a dead stream).
      if (total > 0 && !req.readableEnded && !req.destroyed) {
        try {
          req.unshift(all);
        } catch {
          // The stream failed meanwhile; the app sees that failure itself.
        }
      }
      resolve(total > want ? all.subarray(0, want) : all);
    };
    const onReadable = (): void => {
      // read(n) with n = what is buffered never triggers 'end' (read() with no argument would).
      while (total < want && req.readableLength > 0) {
        const chunk = req.read(req.readableLength) as Uint8Array | string | null;
        if (chunk === null) break;
        const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
        chunks.push(bytes);
        total += bytes.length;
      }
      if (total >= want || (req.complete && req.readableLength === 0)) finish();
    };
    req.on("readable", onReadable);
    req.on("error", finish);
    req.on("close", finish);
  });
}
