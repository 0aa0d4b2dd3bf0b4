/**
 * The asynchronous half of the pack gate (pack-gate.ts): reading a pack source and checking
 * its signature. Only `updatePack` and `verifyPack` reach it, so the runtime entries do not
 * carry it: it is built as dist/pack-update.js and imported on first use (load.ts), which
 * keeps it out of every cold start. What it hands back crosses bundle copies safely: a
 * VerifiedPack is recognised through a realm-wide registry (verify.ts), refusals through
 * PackError's `instanceof`, and trusted keys travel as their text.
 */
import { sha256, toHex } from "./encoding.js";
import { isEnvelope, parseEnvelope } from "./envelope.js";
import type { AdmittedPack, PackUpdateOptions } from "./pack-gate.js";
import { readPackSource, type PackSourceInput } from "./read-source.js";
import { verifyPack, type VerifiedPack } from "./verify.js";

export { verifyPack };

/** Reads `source` (bounded) and, when keys are pinned, verifies it; else unwraps an envelope. */
export async function preparePack(
  source: PackSourceInput,
  options: PackUpdateOptions & { maxBytes?: number },
  trustedKeys: readonly string[] | undefined,
): Promise<AdmittedPack | VerifiedPack> {
  const bytes = await readPackSource(source, options);
  if (trustedKeys) return verifyPack(bytes, options.signature, trustedKeys);
  const image = isEnvelope(bytes) ? parseEnvelope(bytes).image : bytes;
  return { image, sha256: toHex(await sha256(image)) };
}
