import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DETACHED_SIZE, ENVELOPE_HEADER_SIZE } from "../../src/lifecycle/envelope.js";
import { toHex } from "../../src/lifecycle/encoding.js";
import { PackRefusedError } from "../../src/lifecycle/errors.js";
import { generateSigningKey, importSigningKey, Keyring, parsePublicKey } from "../../src/lifecycle/keys.js";
import { signPack } from "../../src/lifecycle/sign.js";
import { isVerifiedPack, verifyPack } from "../../src/lifecycle/verify.js";
import { newKey, packA } from "./fixtures.js";

const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(PackRefusedError);
  return (e as PackRefusedError).reason;
};

describe("keys", () => {
  it("keygen yields a PKCS#8 PEM private key whose public half and key id round-trip", async () => {
    const { privateKeyPem, publicKey } = await generateSigningKey();
    expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/);
    expect(publicKey.text).toMatch(/^wafer-ed25519:[0-9a-f]{16}:[A-Za-z0-9_-]{43}$/);
    const key = await importSigningKey(privateKeyPem);
    expect(key.publicKey.text).toBe(publicKey.text);
    expect(parsePublicKey(` ${publicKey.text}\n`).keyId).toBe(publicKey.keyId);
  });
  it("rejects malformed public keys and a key id that does not match its key", async () => {
    expect(() => parsePublicKey("ssh-ed25519 AAAA")).toThrow(/not a wafer public key/);
    const { publicKey } = await generateSigningKey();
    const forged = publicKey.text.replace(/:[0-9a-f]{16}:/, ":0123456789abcdef:");
    await expect(new Keyring([forged]).cryptoKey("0123456789abcdef")).rejects.toThrow(/key id does not match/);
  });
  it("rejects a private key that is not PKCS#8 PEM", async () => {
    await expect(importSigningKey("hello")).rejects.toThrow(/PKCS#8 PEM/);
  });
});

describe("signing and verification", () => {
  it("verifies an envelope and a detached signature, yielding the image and its SHA-256", async () => {
    const key = await newKey();
    const image = packA();
    const { envelope, detached, keyId } = await signPack(image, key);
    expect(envelope.length).toBe(image.length + DETACHED_SIZE);
    expect(detached.length).toBe(DETACHED_SIZE);
    const expectedHash = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", image as Uint8Array<ArrayBuffer>)));
    for (const v of [await verifyPack(envelope, undefined, [key.publicKey.text]), await verifyPack(image, detached, [key.publicKey.text])]) {
      expect(isVerifiedPack(v)).toBe(true);
      expect(v.image).toEqual(image);
      expect(v.keyId).toBe(keyId);
      expect(v.sha256).toBe(expectedHash);
    }
    expect(isVerifiedPack({ ...(await verifyPack(envelope, undefined, [key.publicKey.text])) })).toBe(false);
  });
  it("refuses unsigned packs, unknown keys and signatures by another key", async () => {
    const [a, b] = [await newKey(), await newKey()];
    const image = packA();
    const byB = (await signPack(image, b)).envelope;
    expect(await refusal(verifyPack(image, undefined, [a.publicKey.text]))).toBe("unsigned");
    expect(await refusal(verifyPack(byB, undefined, [a.publicKey.text]))).toBe("untrusted-key");
    // B's signature relabelled with A's key id: the key is known, the signature is wrong.
    const relabelled = byB.slice();
    relabelled.set(byB.subarray(0, 16), 0);
    for (let i = 0; i < 8; i++) relabelled[16 + i] = parseInt(a.keyId.slice(i * 2, i * 2 + 2), 16);
    expect(await refusal(verifyPack(relabelled, undefined, [a.publicKey.text]))).toBe("bad-signature");
    // A detached signature of another pack: of the same length it does not verify, of another length it does not even fit.
    expect(await refusal(verifyPack(image, (await signPack(packA("1.0.1"), a)).detached, [a.publicKey.text]))).toBe("bad-signature");
    expect(await refusal(verifyPack(image, (await signPack(packA("1.0.0", "a-much-longer-pack-name-for-another-length"), a)).detached, [a.publicKey.text]))).toBe("malformed-signature");
  });
  it("refuses a signed envelope with any one byte flipped, wherever it is", async () => {
    const key = await newKey();
    const envelope = (await signPack(packA(), key)).envelope;
    const keys = new Keyring([key.publicKey.text]);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: envelope.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, mask) => {
        const tampered = envelope.slice();
        tampered[at]! ^= mask;
        const reason = await refusal(verifyPack(tampered, undefined, keys));
        expect(["bad-signature", "untrusted-key", "malformed-signature", "unsigned"]).toContain(reason);
      }),
      { numRuns: 300 },
    );
    // The header bytes in particular, each one.
    for (let at = 0; at < ENVELOPE_HEADER_SIZE; at++) {
      const tampered = envelope.slice();
      tampered[at]! ^= 1;
      await refusal(verifyPack(tampered, undefined, keys));
    }
    // Truncated or padded.
    await refusal(verifyPack(envelope.subarray(0, envelope.length - 1), undefined, keys));
    const padded = new Uint8Array(envelope.length + 1);
    padded.set(envelope);
    await refusal(verifyPack(padded, undefined, keys));
  });
  it("never signs something that is not a pack image", async () => {
    const key = await newKey();
    await expect(signPack(new Uint8Array(100), key)).rejects.toThrow(/not a wafer pack image/);
  });
});
