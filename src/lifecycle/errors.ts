/**
 * Why a pack was refused by the lifecycle checks (signature, trust, version, size, source).
 * A PackError, so existing handlers (CLI, loadPack callers) catch it; `reason` is for code.
 */
import { PackError } from "../pack/errors.js";

export type PackRefusal =
  | "unsigned" // trusted keys are configured and the pack carries no signature
  | "untrusted-key" // signed, but by a key that is not pinned
  | "bad-signature" // the signature does not match the bytes (tampered or corrupt)
  | "malformed-signature" // the envelope or detached signature cannot be parsed
  | "downgrade" // older than the active pack of the same name
  | "too-large" // the source exceeds the configured byte limit
  | "source"; // the source could not be read (network, HTTP status, stream error)

export class PackRefusedError extends PackError {
  /** Recognised by `instanceof` across bundled copies (see PackError). */
  static override readonly brand: string = "PackRefusedError";
  readonly reason: PackRefusal;
  constructor(reason: PackRefusal, message: string) {
    super([{ path: reason, message }], "pack");
    this.name = "PackRefusedError";
    this.reason = reason;
    this.message = `pack refused (${reason}): ${message}`;
  }
}
