// Runs inside real Deno and real workerd (bundled with ./runtime-entry.ts as "./lifecycle.js"):
// keygen, sign, verify, tamper, updatePack, rollback, all through the runtime's own WebCrypto.
import { Wafer, generateSigningKey, importSigningKey, signPack, verifyPack, PackRefusedError } from "./lifecycle.js";

export async function lifecycleScenario(module, image) {
  const out = {};
  const { privateKeyPem, publicKey } = await generateSigningKey();
  const key = await importSigningKey(privateKeyPem);
  out.keyIdMatches = key.keyId === publicKey.keyId;
  const { envelope } = await signPack(image, key);
  const verified = await verifyPack(envelope, undefined, [publicKey.text]);
  out.sha256 = verified.sha256;
  const tampered = envelope.slice();
  tampered[envelope.length >> 1] ^= 1;
  out.tampered = await verifyPack(tampered, undefined, [publicKey.text]).then(() => "accepted", (e) => (e instanceof PackRefusedError ? e.reason : String(e)));
  const wafer = new Wafer(module, image, { trustedKeys: [publicKey.text] });
  out.unsigned = await wafer.updatePack(image).then(() => "accepted", (e) => e.reason);
  const info = await wafer.updatePack(new Response(envelope), { allowDowngrade: true });
  out.updated = { version: info.version, keyId: info.keyId === key.keyId, sha256: info.sha256 === verified.sha256 };
  out.rolledBack = wafer.rollback().name;
  const d = wafer.inspectSync({ method: "GET", url: "/items?id=1%27%20union%20select%20password%20from%20users--", headers: {} });
  out.denied = d.denied;
  return out;
}
