/**
 * `verifyPack` as the runtime entries export it: the same function, whose code (with the
 * envelope parser, WebCrypto and the key ring) is loaded on the first call (load.ts)
 * instead of being parsed by every cold start.
 */
import { loadPackUpdate } from "./load.js";
import type { verifyPack as verify } from "./verify.js";

export async function verifyPack(...args: Parameters<typeof verify>): ReturnType<typeof verify> {
  return (await loadPackUpdate()).verifyPack(...args);
}
