/** `wafer verify PACK.swpk --key PUB`: checks a signature against pinned public keys. */
import { existsSync, readFileSync } from "node:fs";
import { verifyPack } from "../lifecycle/verify.js";
import { readPackHeader, readPackMeta } from "../pack/reader.js";
import { parseArgs, UsageError } from "./args.js";

export const VERIFY_USAGE = "wafer verify PACK.swpk|PACK.wpk [--sig PACK.wpk.sig] --key PUB   (PUB: a .pub file, one key per line, or the key itself)";

export async function verify(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, { values: ["key", "sig"], flags: [] });
  if (positionals.length !== 1 || typeof options.key !== "string") throw new UsageError(`usage: ${VERIFY_USAGE}`);
  const keys = (options.key.startsWith("wafer-ed25519:") || !existsSync(options.key) ? options.key : readFileSync(options.key, "utf8"))
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  const bytes = new Uint8Array(readFileSync(positionals[0]!));
  const signature = typeof options.sig === "string" ? new Uint8Array(readFileSync(options.sig)) : undefined;
  let verified;
  try {
    verified = await verifyPack(bytes, signature, keys);
  } catch (e) {
    if (e instanceof TypeError) throw new UsageError(e.message);
    throw e;
  }
  const header = readPackHeader(verified.image);
  const meta = readPackMeta(verified.image, header);
  const info = {
    valid: true,
    keyId: verified.keyId,
    sha256: verified.sha256,
    name: meta.name,
    version: meta.version,
    builtAt: meta.builtAt,
    abi: header.abi,
    rules: header.ruleCount,
    bytes: verified.image.length,
  };
  process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
  return 0;
}
