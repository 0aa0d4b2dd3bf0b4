/** Every runtime but Node/Bun: the default pack inlined in the bundle. */
import { defaultPack } from "../default-pack.js";

export async function loadDefaultPack(): Promise<Uint8Array> {
  return defaultPack();
}
