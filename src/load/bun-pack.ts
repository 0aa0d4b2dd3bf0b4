/**
 * Bun: the default pack from default.wpk next to the bundle (bun-file.ts), so importing the
 * package does not parse a megabyte of base64; the inlined copy loads only as a fallback.
 */
import { readBesideBundle } from "./bun-file.js";

export async function loadDefaultPack(): Promise<Uint8Array> {
  const bytes = await readBesideBundle(new URL("./default.wpk", import.meta.url));
  if (bytes) return bytes;
  // @ts-ignore -- built alongside this bundle by scripts/build.mjs
  const { defaultPack } = (await import("./default-pack-inline.js")) as { defaultPack: () => Uint8Array };
  return defaultPack();
}
