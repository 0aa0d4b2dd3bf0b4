/** Signing a compiled pack (publisher side; see envelope.ts for what is signed). */
import { readPackHeader } from "../pack/reader.js";
import { sha256 } from "./encoding.js";
import { buildEnvelope, envelopeHeader, signedMessage } from "./envelope.js";
import type { SigningKey } from "./keys.js";

export interface SignedPack {
  /** image + signature in one file (.swpk). */
  envelope: Uint8Array;
  /** the 88-byte detached signature (.wpk.sig) for the same image. */
  detached: Uint8Array;
  keyId: string;
}

/** Signs a pack image. The image is checked first (magic, format, ABI, length): garbage is never signed. */
export async function signPack(image: Uint8Array, key: SigningKey): Promise<SignedPack> {
  readPackHeader(image);
  const header = envelopeHeader(image.length, key.keyId);
  const message = signedMessage(header, await sha256(image));
  const signature = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, key.privateKey, message));
  const detached = new Uint8Array(header.length + signature.length);
  detached.set(header, 0);
  detached.set(signature, header.length);
  return { envelope: buildEnvelope(header, image, signature), detached, keyId: key.keyId };
}
