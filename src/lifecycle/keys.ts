/**
 * Ed25519 signing keys, through WebCrypto (`crypto.subtle`: Node ≥ 20, Deno, workerd).
 *
 * Formats, chosen to be pasted into config and to interoperate with OpenSSL:
 *   private key: PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), as `openssl genpkey -algorithm ed25519` writes;
 *   public key:  one line, `wafer-ed25519:<key id>:<base64url of the raw 32-byte key>`;
 *   key id:      the first 8 bytes of SHA-256(raw public key), hex (16 characters).
 * The key id is redundant with the key: it is checked when the key is imported, so a
 * mistyped key fails loudly instead of silently never matching.
 */
import { fromBase64, sha256, toBase64, toBase64Url, toHex } from "./encoding.js";

export const PUBLIC_KEY_PREFIX = "wafer-ed25519:";
const ED25519 = { name: "Ed25519" } as const;
const PEM_HEADER = "-----BEGIN PRIVATE KEY-----";
const PEM_FOOTER = "-----END PRIVATE KEY-----";

export interface PublicKeyText {
  keyId: string;
  raw: Uint8Array;
  /** The canonical one-line form. */
  text: string;
}

export interface SigningKey {
  keyId: string;
  privateKey: CryptoKey;
  publicKey: PublicKeyText;
}

/** Parses `wafer-ed25519:<id>:<key>` synchronously (shape only; the id is checked on import). */
export function parsePublicKey(text: string): PublicKeyText {
  const trimmed = text.trim();
  const m = /^wafer-ed25519:([0-9a-f]{16}):([A-Za-z0-9_-]{43}=?)$/.exec(trimmed);
  const raw = m ? fromBase64(m[2]!) : undefined;
  if (!m || !raw || raw.length !== 32)
    throw new TypeError(`wafer: not a wafer public key: ${JSON.stringify(trimmed.slice(0, 80))} (expected "wafer-ed25519:<16 hex key id>:<base64url 32-byte key>", as printed by \`wafer keygen\`)`);
  return { keyId: m[1]!, raw, text: `${PUBLIC_KEY_PREFIX}${m[1]}:${toBase64Url(raw)}` };
}

export async function keyIdOf(raw: Uint8Array): Promise<string> {
  return toHex((await sha256(raw)).subarray(0, 8));
}

export async function publicKeyText(raw: Uint8Array): Promise<PublicKeyText> {
  const keyId = await keyIdOf(raw);
  return { keyId, raw, text: `${PUBLIC_KEY_PREFIX}${keyId}:${toBase64Url(raw)}` };
}

/** A new key pair: the private key as PKCS#8 PEM, the public key as one line. */
export async function generateSigningKey(): Promise<{ privateKeyPem: string; publicKey: PublicKeyText }> {
  const pair = (await crypto.subtle.generateKey(ED25519, true, ["sign", "verify"])) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  return { privateKeyPem: toPem(pkcs8), publicKey: await publicKeyText(raw) };
}

/** Imports a PKCS#8 PEM Ed25519 private key and derives its public key and key id. */
export async function importSigningKey(pem: string): Promise<SigningKey> {
  const body = pem.replace(PEM_HEADER, "").replace(PEM_FOOTER, "");
  const der = pem.includes(PEM_HEADER) ? fromBase64(body) : undefined;
  if (!der) throw new TypeError("wafer: the private key must be a PKCS#8 PEM Ed25519 key (\"-----BEGIN PRIVATE KEY-----\"), as `wafer keygen` writes");
  let privateKey: CryptoKey;
  try {
    privateKey = await crypto.subtle.importKey("pkcs8", der as Uint8Array<ArrayBuffer>, ED25519, true, ["sign"]);
  } catch (e) {
    throw new TypeError(`wafer: the private key is not an Ed25519 PKCS#8 key (${(e as Error).message})`);
  }
  // The JWK form of a private key carries its public half (x), so no extra file is needed.
  const jwk = await crypto.subtle.exportKey("jwk", privateKey);
  const raw = jwk.x ? fromBase64(jwk.x) : undefined;
  if (!raw || raw.length !== 32) throw new TypeError("wafer: could not derive the public key from the private key");
  const publicKey = await publicKeyText(raw);
  return { keyId: publicKey.keyId, privateKey, publicKey };
}

/**
 * The pinned public keys an engine or `verifyPack` trusts. Parsed synchronously (so engine
 * options fail fast); imported into WebCrypto, and their ids checked, on first use.
 */
export class Keyring {
  private readonly keys = new Map<string, PublicKeyText>();
  private imported: Promise<Map<string, CryptoKey>> | undefined;

  constructor(keys: readonly string[]) {
    for (const text of keys) {
      const key = parsePublicKey(text);
      this.keys.set(key.keyId, key);
    }
  }

  get size(): number {
    return this.keys.size;
  }

  get ids(): string[] {
    return [...this.keys.keys()];
  }

  /** The raw key pinned under this id, if any. */
  raw(keyId: string): Uint8Array | undefined {
    return this.keys.get(keyId)?.raw;
  }

  /** The WebCrypto key for an id, or undefined when that id is not pinned. */
  async cryptoKey(keyId: string): Promise<CryptoKey | undefined> {
    this.imported ??= this.importAll();
    return (await this.imported).get(keyId);
  }

  private async importAll(): Promise<Map<string, CryptoKey>> {
    const out = new Map<string, CryptoKey>();
    for (const [id, key] of this.keys) {
      if ((await keyIdOf(key.raw)) !== id)
        throw new TypeError(`wafer: trusted key ${id}: the key id does not match the key (mistyped or edited?)`);
      out.set(id, await crypto.subtle.importKey("raw", key.raw as Uint8Array<ArrayBuffer>, ED25519, false, ["verify"]));
    }
    return out;
  }
}

function toPem(der: Uint8Array): string {
  const b64 = toBase64(der).replace(/.{1,64}/g, "$&\n");
  return `${PEM_HEADER}\n${b64}${PEM_FOOTER}\n`;
}
