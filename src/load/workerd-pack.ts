/**
 * Cloudflare Workers (workerd): the default pack is shipped next to the bundle as
 * default-pack.bin and imported as a Data module, so an isolate start does not parse and
 * decode half a megabyte of base64. wrangler's default module rules (and the Cloudflare Vite
 * plugin's) treat `**\/*.bin` as Data, which workerd hands over as an ArrayBuffer; a plain
 * `workerd serve` config lists it as `(name = "default-pack.bin", data = embed "…")`.
 * The engine copies the image into Wasm memory, so a view over the shared buffer is enough.
 */
// @ts-ignore -- resolved by the Workers bundler to an ArrayBuffer (a Data module)
import image from "./default-pack.bin";

export async function loadDefaultPack(): Promise<Uint8Array> {
  return new Uint8Array(image as ArrayBuffer);
}
