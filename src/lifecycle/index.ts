/**
 * The pack lifecycle API, runtime-neutral (Node, Deno, workerd, edge-light, Bun): keys,
 * signing, verification, diff and watchers. The Node file source is separate
 * (./file-source.ts) because it imports node:fs.
 */
export { generateSigningKey, importSigningKey, parsePublicKey, Keyring } from "./keys.js";
export type { PublicKeyText, SigningKey } from "./keys.js";
export { signPack } from "./sign.js";
export type { SignedPack } from "./sign.js";
export { verifyPack, isVerifiedPack } from "./verify.js";
export type { VerifiedPack } from "./verify.js";
export { isEnvelope, parseEnvelope, ENVELOPE_MAGIC, DETACHED_SIZE } from "./envelope.js";
export { PackRefusedError } from "./errors.js";
export type { PackRefusal } from "./errors.js";
export type { PackLoadOptions, PackUpdateOptions } from "./pack-gate.js";
export type { PackSourceInput } from "./read-source.js";
export { watchPack } from "./watch.js";
export type { WatchOptions, PackWatcher, PollOutcome, PackSource, PackFetchResult, Clock, UpdatableEngine } from "./watch.js";
export { httpPackSource, workersKvPackSource, denoKvPackSource, publishPackToDenoKv } from "./sources.js";
export type { WorkersKvLike, DenoKvLike } from "./sources.js";
export { diffPacks, formatDiff } from "./diff.js";
export type { PackDiff, RuleChange, FieldChange } from "./diff.js";
export { parseSemVer, compareSemVer } from "./semver.js";
