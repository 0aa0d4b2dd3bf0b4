/**
 * The signed pack envelope (.swpk) and the detached signature (.wpk.sig).
 *
 * Envelope, little-endian:
 *   0   u8[8]  magic "WAFRSIGN"
 *   8   u16    envelope version (1)
 *   10  u16    algorithm (1 = Ed25519)
 *   12  u32    image length N
 *   16  u8[8]  key id (first 8 bytes of SHA-256 of the signer's raw public key)
 *   24  u8[N]  the pack image (.wpk), unchanged
 *   24+N u8[64] Ed25519 signature
 *
 * Signed message (56 bytes): the 24-byte envelope header, then SHA-256(image). Every byte of
 * the envelope is therefore either checked exactly (magic, version, algorithm, length),
 * names the key (an altered id names a key nobody pinned), or is covered by the signature;
 * hashing first keeps verification of a 1 MB pack to one SHA-256 pass plus a 56-byte
 * Ed25519 verify.
 *
 * Detached signature: the same 24-byte header followed by the same 64-byte signature (88
 * bytes), for publishers who serve the .wpk and its signature side by side.
 */
import { PackRefusedError } from "./errors.js";
import { toHex } from "./encoding.js";

export const ENVELOPE_MAGIC = "WAFRSIGN";
export const ENVELOPE_VERSION = 1;
export const ALG_ED25519 = 1;
export const ENVELOPE_HEADER_SIZE = 24;
export const SIGNATURE_SIZE = 64;
export const DETACHED_SIZE = ENVELOPE_HEADER_SIZE + SIGNATURE_SIZE;

export interface SignatureParts {
  header: Uint8Array;
  keyId: string;
  image: Uint8Array;
  signature: Uint8Array;
}

const malformed = (message: string) => new PackRefusedError("malformed-signature", message);

export function isEnvelope(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  for (let i = 0; i < 8; i++) if (bytes[i] !== ENVELOPE_MAGIC.charCodeAt(i)) return false;
  return true;
}

export function envelopeHeader(imageLength: number, keyId: string): Uint8Array {
  const header = new Uint8Array(ENVELOPE_HEADER_SIZE);
  const view = new DataView(header.buffer);
  for (let i = 0; i < 8; i++) header[i] = ENVELOPE_MAGIC.charCodeAt(i);
  view.setUint16(8, ENVELOPE_VERSION, true);
  view.setUint16(10, ALG_ED25519, true);
  view.setUint32(12, imageLength, true);
  for (let i = 0; i < 8; i++) header[16 + i] = parseInt(keyId.slice(i * 2, i * 2 + 2), 16);
  return header;
}

export function signedMessage(header: Uint8Array, imageDigest: Uint8Array): Uint8Array<ArrayBuffer> {
  const message = new Uint8Array(ENVELOPE_HEADER_SIZE + imageDigest.length);
  message.set(header, 0);
  message.set(imageDigest, ENVELOPE_HEADER_SIZE);
  return message;
}

/** Checks the fixed header fields; returns the key id and the image length it declares. */
function readHeader(header: Uint8Array): { keyId: string; imageLength: number } {
  if (!isEnvelope(header)) throw malformed(`not a signed pack (bad magic; expected "${ENVELOPE_MAGIC}")`);
  const view = new DataView(header.buffer, header.byteOffset, ENVELOPE_HEADER_SIZE);
  const version = view.getUint16(8, true);
  if (version !== ENVELOPE_VERSION) throw malformed(`signature envelope version ${version}; this engine reads version ${ENVELOPE_VERSION}`);
  const alg = view.getUint16(10, true);
  if (alg !== ALG_ED25519) throw malformed(`signature algorithm ${alg} is not supported (1 = Ed25519)`);
  return { keyId: toHex(header.subarray(16, 24)), imageLength: view.getUint32(12, true) };
}

/** Splits an envelope into its parts (views, no copies). */
export function parseEnvelope(bytes: Uint8Array): SignatureParts {
  if (bytes.length < DETACHED_SIZE) throw malformed(`signed pack is ${bytes.length} bytes, shorter than its ${DETACHED_SIZE}-byte frame (truncated?)`);
  const header = bytes.subarray(0, ENVELOPE_HEADER_SIZE);
  const { keyId, imageLength } = readHeader(header);
  if (imageLength !== bytes.length - DETACHED_SIZE)
    throw malformed(`envelope says the image is ${imageLength} bytes but it holds ${bytes.length - DETACHED_SIZE} (truncated or padded?)`);
  return {
    header,
    keyId,
    image: bytes.subarray(ENVELOPE_HEADER_SIZE, ENVELOPE_HEADER_SIZE + imageLength),
    signature: bytes.subarray(ENVELOPE_HEADER_SIZE + imageLength),
  };
}

/** Pairs an image with its detached signature. */
export function parseDetached(image: Uint8Array, signature: Uint8Array): SignatureParts {
  if (signature.length !== DETACHED_SIZE) throw malformed(`a detached signature is ${DETACHED_SIZE} bytes, got ${signature.length}`);
  const header = signature.subarray(0, ENVELOPE_HEADER_SIZE);
  const { keyId, imageLength } = readHeader(header);
  if (imageLength !== image.length) throw malformed(`the signature is for a ${imageLength}-byte image, this one has ${image.length} bytes`);
  return { header, keyId, image, signature: signature.subarray(ENVELOPE_HEADER_SIZE) };
}

export function buildEnvelope(header: Uint8Array, image: Uint8Array, signature: Uint8Array): Uint8Array {
  const out = new Uint8Array(DETACHED_SIZE + image.length);
  out.set(header, 0);
  out.set(image, ENVELOPE_HEADER_SIZE);
  out.set(signature, ENVELOPE_HEADER_SIZE + image.length);
  return out;
}
