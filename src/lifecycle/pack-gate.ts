/**
 * What stands between a pack source and the engine's pack slots: reading it (bounded),
 * checking its signature against the pinned keys, refusing downgrades, and running updates
 * one at a time. The engine (src/engine/engine.ts) owns the slots; this owns the policy.
 */
import type { PackMeta } from "../pack/compile.js";
import { PackError } from "../pack/errors.js";
import { readPackMeta, type PackHeader } from "../pack/reader.js";
import { isEnvelope, parseEnvelope } from "./envelope.js";
import { PackRefusedError } from "./errors.js";
import { Keyring } from "./keys.js";
import { loadPackUpdate } from "./load.js";
import type { PackSourceInput, ReadSourceOptions } from "./read-source.js";
import { compareSemVer, parseSemVer } from "./semver.js";
import { isVerifiedPack, type VerifiedPack } from "./verify.js";

export interface PackLoadOptions {
  /** Accept a pack older (lower semver) than the active pack of the same name. */
  allowDowngrade?: boolean;
}

export interface PackUpdateOptions extends PackLoadOptions, ReadSourceOptions {
  /** Detached signature (.wpk.sig) when the source is a bare image rather than an envelope. */
  signature?: Uint8Array | ArrayBuffer;
}

/** A pack cleared for loading: its image and, when known, how it was verified. */
export interface AdmittedPack {
  image: Uint8Array;
  sha256?: string;
  keyId?: string;
}

export class PackGate {
  private readonly keyring: Keyring | undefined;
  /** The keys as given, for prepare.ts (a separate bundle, with its own Keyring class). */
  private readonly trustedKeys: readonly string[] | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(trustedKeys: readonly string[] | undefined, private readonly maxPackBytes: number | undefined) {
    if (trustedKeys !== undefined && !Array.isArray(trustedKeys)) throw new TypeError("wafer: trustedKeys must be an array of public keys");
    this.keyring = trustedKeys && trustedKeys.length > 0 ? new Keyring(trustedKeys) : undefined;
    this.trustedKeys = this.keyring ? [...trustedKeys!] : undefined;
    if (maxPackBytes !== undefined && !(Number.isInteger(maxPackBytes) && maxPackBytes > 0))
      throw new TypeError(`wafer: maxPackBytes must be a positive integer, got ${String(maxPackBytes)}`);
  }

  get requiresSignature(): boolean {
    return this.keyring !== undefined;
  }

  /** Synchronous admission for loadPack: signed packs must already be verified. */
  admit(input: Uint8Array | ArrayBuffer | VerifiedPack): AdmittedPack {
    if (isVerifiedPack(input)) {
      if (this.keyring) {
        const pinned = this.keyring.raw(input.keyId);
        if (!pinned || !sameBytes(pinned, input.publicKey))
          throw new PackRefusedError("untrusted-key", `verified with key ${input.keyId}, which this engine does not trust (trusted: ${this.keyring.ids.join(", ")})`);
      }
      return { image: input.image, sha256: input.sha256, keyId: input.keyId };
    }
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input as ArrayBuffer);
    if (this.keyring) {
      throw new PackRefusedError(
        "unsigned",
        isEnvelope(bytes)
          ? "this engine pins signing keys; a signed pack must be verified before a synchronous load: use `await wafer.updatePack(envelope)`, or `wafer.loadPack(await verifyPack(envelope, undefined, keys))`"
          : "this engine pins signing keys (trustedKeys) and this pack is not signed (sign it with `wafer sign`)",
      );
    }
    // No keys pinned: an envelope is unwrapped, its signature not checked (the image checksum still is).
    return { image: isEnvelope(bytes) ? parseEnvelope(bytes).image : bytes };
  }

  /**
   * Reads and (when keys are pinned) verifies a source, for updatePack. The code that does
   * it (prepare.ts) is loaded on first use: only engines that update their pack need it.
   */
  async prepare(source: PackSourceInput, options: PackUpdateOptions): Promise<AdmittedPack | VerifiedPack> {
    const { preparePack } = await loadPackUpdate();
    return preparePack(source, { ...options, maxBytes: options.maxBytes ?? this.maxPackBytes }, this.trustedKeys);
  }

  /** The image's metadata, or undefined when it is not JSON with a string name and version. */
  readMeta(image: Uint8Array, header: PackHeader): PackMeta | undefined {
    try {
      const meta = readPackMeta(image, header);
      return typeof meta?.name === "string" && typeof meta.version === "string" ? meta : undefined;
    } catch {
      return undefined;
    }
  }

  /** Refuses a lower version of the active pack (same name) unless allowed. */
  checkVersion(next: Pick<PackMeta, "name" | "version">, current: Pick<PackMeta, "name" | "version">, options: PackLoadOptions): void {
    if (options.allowDowngrade || next.name !== current.name) return;
    const a = parseSemVer(next.version);
    const b = parseSemVer(current.version);
    if (!a || !b) {
      if (next.version === current.version) return;
      throw new PackError([{ path: "version", message: `cannot order versions ${JSON.stringify(next.version)} and ${JSON.stringify(current.version)} (not semantic versions); pass { allowDowngrade: true } to load anyway` }], "pack");
    }
    if (compareSemVer(a, b) < 0)
      throw new PackRefusedError("downgrade", `${next.name} ${next.version} is older than the active ${current.name} ${current.version}; pass { allowDowngrade: true } to load it anyway (or use rollback())`);
  }

  /** Runs updates one after another, in call order, whatever each one's outcome. */
  serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
