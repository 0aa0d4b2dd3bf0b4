/**
 * The fallback of the loaders that read engine.wasm and default.wpk from next to the bundle
 * (Node, Bun, Deno) when those files are missing or unreadable: the copies inlined as base64
 * in their own files beside it (dist/engine-inline.js, dist/default-pack-inline.js; built by
 * scripts/build.mjs). Imported only then, so an import that has the files decodes nothing.
 */
export async function inlinedEngineBytes(): Promise<Uint8Array<ArrayBuffer>> {
  // @ts-ignore -- built alongside the bundle by scripts/build.mjs
  return ((await import("./engine-inline.js")) as { wasmBytes: Uint8Array<ArrayBuffer> }).wasmBytes;
}

export async function inlinedDefaultPack(): Promise<Uint8Array> {
  // @ts-ignore -- built alongside the bundle by scripts/build.mjs
  const { defaultPack } = (await import("./default-pack-inline.js")) as { defaultPack: () => Uint8Array };
  return defaultPack();
}
