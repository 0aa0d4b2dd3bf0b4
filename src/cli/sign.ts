/** `wafer sign PACK.wpk --key KEY.pem`: writes a signed envelope (or a detached signature). */
import { readFileSync, writeFileSync } from "node:fs";
import { toHex, sha256 } from "../lifecycle/encoding.js";
import { importSigningKey } from "../lifecycle/keys.js";
import { signPack } from "../lifecycle/sign.js";
import { readPackMeta } from "../pack/reader.js";
import { parseArgs, UsageError } from "./args.js";

export const SIGN_USAGE = "wafer sign PACK.wpk --key KEY.pem [-o OUT.swpk] [--detached]   (--detached writes PACK.wpk.sig)";

export async function sign(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv.map((a) => (a === "-o" ? "--out" : a)), { values: ["key", "out"], flags: ["detached"] });
  if (positionals.length !== 1 || typeof options.key !== "string") throw new UsageError(`usage: ${SIGN_USAGE}`);
  const path = positionals[0]!;
  const image = new Uint8Array(readFileSync(path));
  const key = await importSigningKey(readFileSync(options.key, "utf8")).catch((e: Error) => {
    throw new UsageError(`--key ${options.key}: ${e.message}`);
  });
  const signed = await signPack(image, key);
  const out = typeof options.out === "string" ? options.out : options.detached ? `${path}.sig` : `${path.replace(/\.wpk$/, "")}.swpk`;
  writeFileSync(out, options.detached ? signed.detached : signed.envelope);
  const meta = readPackMeta(image);
  process.stderr.write(
    `signed ${meta.name} ${meta.version} (${image.length} bytes, sha256 ${toHex(await sha256(image))}) with key ${key.keyId} → ${out}\n`,
  );
  return 0;
}
