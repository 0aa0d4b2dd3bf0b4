/**
 * Vercel Edge (edge-light) and unknown runtimes: the default pack inlined as base64. In the
 * built package it is its own file (dist/default-pack-inline.js, scripts/build.mjs), imported
 * when the default pack is first needed: an inlined binary is decoded when its module is
 * evaluated, so in the entry bundle every import paid for decoding 280 KB (and parsing
 * 380 KB of base64) even when the application passes its own pack. Node/Bun read
 * default.wpk from disk (node-pack.ts); workerd imports it as a Data module (workerd-pack.ts).
 */
export async function loadDefaultPack(): Promise<Uint8Array> {
  const { defaultPack } = await import("../default-pack.js");
  return defaultPack();
}
