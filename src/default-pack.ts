/**
 * The default signature pack (signatures/core), compiled at build time to build/default.wpk
 * and inlined as base64, so `createWafer()` works with no files to ship. Built as its own
 * file, dist/default-pack-inline.js, which the Deno, edge-light and default entries (and the
 * Node entry, as a fallback) import only when they need the default pack; workerd imports
 * dist/default-pack.bin as a Data module instead.
 */
// @ts-ignore -- esbuild's binary loader turns the file into a Uint8Array
import image from "../build/default.wpk";

export function defaultPack(): Uint8Array {
  return image as Uint8Array;
}
