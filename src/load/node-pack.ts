/**
 * Node (and Bun): the default pack is read from default.wpk next to the bundle, so importing
 * the package does not parse a megabyte of base64; the inlined copy loads only as a fallback.
 * A synchronous read: one 0.5 MB file costs less than fs/promises' thread-pool round trips.
 */
import { inlinedDefaultPack } from "./inlined-copies.js";
import { nodeFs } from "./node-fs.js";

export async function loadDefaultPack(): Promise<Uint8Array> {
  try {
    const buf = (await nodeFs()).readFileSync(new URL("./default.wpk", import.meta.url));
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch {
    return inlinedDefaultPack();
  }
}
