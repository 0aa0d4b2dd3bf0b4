/**
 * Deno: the default pack from default.wpk next to the bundle when readable (see
 * deno-file.ts), else the inlined copy, which is only loaded in that case.
 */
import { readBesideBundle } from "./deno-file.js";
import { inlinedDefaultPack } from "./inlined-copies.js";

export async function loadDefaultPack(): Promise<Uint8Array> {
  return readBesideBundle(new URL("./default.wpk", import.meta.url)) ?? inlinedDefaultPack();
}
