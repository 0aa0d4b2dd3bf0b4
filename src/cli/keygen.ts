/** `wafer keygen -o KEY`: a new Ed25519 pack-signing key pair. */
import { existsSync, writeFileSync } from "node:fs";
import { generateSigningKey } from "../lifecycle/keys.js";
import { parseArgs, UsageError } from "./args.js";

export const KEYGEN_USAGE = "wafer keygen -o KEY.pem [--force]   (writes KEY.pem, private, and KEY.pem.pub; prints the public key)";

export async function keygen(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv.map((a) => (a === "-o" ? "--out" : a)), { values: ["out"], flags: ["force"] });
  if (positionals.length !== 0 || typeof options.out !== "string") throw new UsageError(`usage: ${KEYGEN_USAGE}`);
  const out = options.out;
  const pub = `${out}.pub`;
  for (const path of [out, pub])
    if (existsSync(path) && !options.force) throw new UsageError(`${path} exists; pass --force to overwrite it`);
  const { privateKeyPem, publicKey } = await generateSigningKey();
  writeFileSync(out, privateKeyPem, { mode: 0o600 });
  writeFileSync(pub, `${publicKey.text}\n`);
  process.stdout.write(`${publicKey.text}\n`);
  process.stderr.write(`key id ${publicKey.keyId}: private key → ${out} (keep it secret), public key → ${pub} (pin it in trustedKeys)\n`);
  return 0;
}
