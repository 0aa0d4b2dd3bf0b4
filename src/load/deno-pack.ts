/**
 * Deno: the default pack from default.wpk next to the bundle when readable (see
 * deno-file.ts), else the inlined copy, which is only loaded in that case.
 */
import { readBesideBundle } from "./deno-file.js";

export async function loadDefaultPack(): Promise<Uint8Array> {
  const image = readBesideBundle(new URL("./default.wpk", import.meta.url));
  if (image) return image;
  // @ts-ignore -- built alongside this bundle by scripts/build.mjs
  const { defaultPack } = (await import("./default-pack-inline.js")) as { defaultPack: () => Uint8Array };
  return defaultPack();
}
