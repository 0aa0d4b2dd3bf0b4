/**
 * Verifying a signed pack against pinned keys. The result is a VerifiedPack: a private copy
 * of the image (so later writes to the caller's buffer cannot change what was verified)
 * that `Wafer.loadPack` accepts when the engine pins keys.
 */
import { sha256, toHex } from "./encoding.js";
import { isEnvelope, parseDetached, parseEnvelope, signedMessage } from "./envelope.js";
import { PackRefusedError } from "./errors.js";
import { Keyring } from "./keys.js";

export interface VerifiedPack {
  /** The pack image (.wpk) that was verified. */
  readonly image: Uint8Array;
  /** Id of the key that signed it. */
  readonly keyId: string;
  /** The signer's raw public key (32 bytes). */
  readonly publicKey: Uint8Array;
  /** SHA-256 of the image, hex: the pack's content hash (`sha256sum pack.wpk`). */
  readonly sha256: string;
}

// Only verifyPack creates VerifiedPacks; the engine asks this set, so an object literal with
// the same shape is not taken for a verified pack. The set is realm-wide (a global symbol)
// because the engine and `wafer/lifecycle` may be separate bundles, each with its own copy
// of this module. (Code in the same realm is trusted anyway: it could replace crypto.subtle.)
const REGISTRY = Symbol.for("wafer.lifecycle.verifiedPacks");
const issued: WeakSet<object> = ((globalThis as Record<symbol, unknown>)[REGISTRY] as WeakSet<object> | undefined) ??
  ((globalThis as Record<symbol, unknown>)[REGISTRY] = new WeakSet<object>()) as WeakSet<object>;

export function isVerifiedPack(value: unknown): value is VerifiedPack {
  return typeof value === "object" && value !== null && issued.has(value);
}

/**
 * Verifies `envelope` (a .swpk), or `image` with its detached `signature`, against the
 * trusted keys. Throws PackRefusedError: "unsigned", "malformed-signature",
 * "untrusted-key" or "bad-signature".
 */
export async function verifyPack(
  packOrEnvelope: Uint8Array | ArrayBuffer,
  signature: Uint8Array | ArrayBuffer | undefined,
  trustedKeys: Keyring | readonly string[],
): Promise<VerifiedPack> {
  const bytes = packOrEnvelope instanceof Uint8Array ? packOrEnvelope : new Uint8Array(packOrEnvelope);
  // A Keyring by shape, not `instanceof`: "wafer" and `wafer/lifecycle` bundle separate copies of the class.
  const keyring = Array.isArray(trustedKeys) ? new Keyring(trustedKeys as readonly string[]) : (trustedKeys as Keyring);
  let parts;
  if (signature !== undefined) parts = parseDetached(bytes, signature instanceof Uint8Array ? signature : new Uint8Array(signature));
  else if (isEnvelope(bytes)) parts = parseEnvelope(bytes);
  else throw new PackRefusedError("unsigned", "this pack carries no signature and only signed packs are accepted (sign it with `wafer sign`, or pass its detached signature)");

  const header = parts.header.slice();
  const image = parts.image.slice();
  const signatureBytes = parts.signature.slice();
  const key = await keyring.cryptoKey(parts.keyId);
  if (!key) {
    const pinned = keyring.ids.join(", ") || "none";
    throw new PackRefusedError("untrusted-key", `signed by key ${parts.keyId}, which is not trusted (trusted: ${pinned})`);
  }
  const digest = await sha256(image);
  const ok = await crypto.subtle.verify({ name: "Ed25519" }, key, signatureBytes, signedMessage(header, digest));
  if (!ok) throw new PackRefusedError("bad-signature", `the signature by key ${parts.keyId} does not match the pack (altered or corrupt)`);
  const verified: VerifiedPack = Object.freeze({ image, keyId: parts.keyId, publicKey: keyring.raw(parts.keyId)!, sha256: toHex(digest) });
  issued.add(verified);
  return verified;
}
