/**
 * Bun: the default pack from default.wpk next to the bundle (bun-file.ts), so importing the
 * package does not parse a megabyte of base64; the inlined copy loads only as a fallback.
 */
import { readBesideBundle } from "./bun-file.js";
import { inlinedDefaultPack } from "./inlined-copies.js";

export async function loadDefaultPack(): Promise<Uint8Array> {
  return (await readBesideBundle(new URL("./default.wpk", import.meta.url))) ?? inlinedDefaultPack();
}
