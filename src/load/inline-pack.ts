/**
 * Deno, Vercel Edge (edge-light) and unknown runtimes: the default pack inlined in the
 * bundle. Node/Bun read default.wpk from disk (node-pack.ts); workerd imports it as a Data
 * module (workerd-pack.ts).
 */
import { defaultPack } from "../default-pack.js";

export async function loadDefaultPack(): Promise<Uint8Array> {
  return defaultPack();
}
