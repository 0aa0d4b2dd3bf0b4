/**
 * Node (and Bun): the default pack is read from default.wpk next to the bundle, so importing
 * the package does not parse a megabyte of base64; the inlined copy loads only as a fallback.
 */
export async function loadDefaultPack(): Promise<Uint8Array> {
  try {
    const { readFile } = await import("node:fs/promises");
    return new Uint8Array(await readFile(new URL("./default.wpk", import.meta.url)));
  } catch {
    // @ts-ignore -- built alongside this bundle by scripts/build.mjs
    const { defaultPack } = (await import("./default-pack-inline.js")) as { defaultPack: () => Uint8Array };
    return defaultPack();
  }
}
