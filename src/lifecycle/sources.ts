/**
 * Where a watcher gets packs from (runtime-neutral; the Node file source is in
 * file-source.ts). Each answers "anything newer than the tag I last saw?".
 */
import { sha256, toHex } from "./encoding.js";
import { PackRefusedError } from "./errors.js";
import { DEFAULT_MAX_PACK_BYTES, readPackSource, type ReadSourceOptions } from "./read-source.js";
import type { PackFetchResult, PackSource } from "./watch.js";

export type HttpSourceOptions = Omit<ReadSourceOptions, "signal">;

/** An HTTP(S) URL, polled with `If-None-Match`: a 304 costs no download. */
export function httpPackSource(url: string | URL, options: HttpSourceOptions = {}): PackSource {
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  return {
    description: String(url),
    async fetch(lastTag, signal): Promise<PackFetchResult> {
      const headers = new Headers(options.headers);
      if (lastTag !== undefined) headers.set("if-none-match", lastTag);
      const response = await doFetch(url, { headers, signal, redirect: "follow" });
      if (response.status === 304) {
        await response.body?.cancel().catch(() => {});
        return { status: "unchanged" };
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        throw new PackRefusedError("source", `HTTP ${response.status}`);
      }
      const bytes = await readPackSource(response, { maxBytes: options.maxBytes });
      return { status: "updated", bytes, tag: response.headers.get("etag") ?? undefined };
    },
  };
}

/** The slice of a Workers KV namespace binding this needs. */
export interface WorkersKvLike {
  get(key: string, type: "arrayBuffer"): Promise<ArrayBuffer | null>;
  get(key: string, type: "text"): Promise<string | null>;
}

/**
 * A pack stored in Workers KV under `key` (values up to 25 MiB). With `versionKey`, each
 * poll reads only that small value and downloads the pack when it changes — publish the
 * pack first, then the version. Without it, the pack is read each poll and deduplicated by
 * content hash.
 */
export function workersKvPackSource(kv: WorkersKvLike, key: string, options: { versionKey?: string } = {}): PackSource {
  return {
    description: `Workers KV key ${key}`,
    async fetch(lastTag): Promise<PackFetchResult> {
      let version: string | undefined;
      if (options.versionKey !== undefined) {
        version = (await kv.get(options.versionKey, "text")) ?? undefined;
        if (version !== undefined && version === lastTag) return { status: "unchanged" };
      }
      const value = await kv.get(key, "arrayBuffer");
      if (value === null) throw new PackRefusedError("source", `no value under ${key}`);
      return { status: "updated", bytes: new Uint8Array(value), ...(version !== undefined ? { tag: version } : {}) };
    },
  };
}

/** The slice of a Deno.Kv this needs. */
export interface DenoKvLike {
  get(key: readonly unknown[]): Promise<{ value: unknown; versionstamp: string | null }>;
  set(key: readonly unknown[], value: unknown): Promise<unknown>;
  delete(key: readonly unknown[]): Promise<void>;
}

/** Deno KV values are limited to 64 KiB, so packs are stored in chunks under a manifest. */
export const DENO_KV_CHUNK_BYTES = 60 * 1024;

interface DenoKvManifest {
  sha256: string;
  bytes: number;
  chunks: number;
}

/**
 * A pack stored in Deno KV by `publishPackToDenoKv`: a manifest under `key` whose
 * versionstamp is the change tag, and chunks under `[...key, sha256, i]`.
 */
export function denoKvPackSource(kv: DenoKvLike, key: readonly unknown[], options: { maxBytes?: number } = {}): PackSource {
  const max = options.maxBytes ?? DEFAULT_MAX_PACK_BYTES;
  return {
    description: `Deno KV key ${JSON.stringify(key)}`,
    async fetch(lastTag): Promise<PackFetchResult> {
      const entry = await kv.get(key);
      if (entry.versionstamp === null) throw new PackRefusedError("source", "no pack manifest under this key");
      if (entry.versionstamp === lastTag) return { status: "unchanged" };
      if (entry.value instanceof Uint8Array) return { status: "updated", bytes: entry.value, tag: entry.versionstamp };
      const manifest = entry.value as Partial<DenoKvManifest> | null;
      if (!manifest || typeof manifest.sha256 !== "string" || !Number.isInteger(manifest.bytes) || !Number.isInteger(manifest.chunks))
        throw new PackRefusedError("source", "the value is neither a pack nor a pack manifest");
      if (manifest.bytes! > max) throw new PackRefusedError("too-large", `the pack is larger than the ${max}-byte limit (maxBytes)`);
      const bytes = new Uint8Array(manifest.bytes!);
      let at = 0;
      for (let i = 0; i < manifest.chunks!; i++) {
        const chunk = (await kv.get([...key, manifest.sha256, i])).value;
        if (!(chunk instanceof Uint8Array) || at + chunk.length > bytes.length)
          throw new PackRefusedError("source", `chunk ${i} of ${manifest.sha256} is missing or oversized (replaced while reading?)`);
        bytes.set(chunk, at);
        at += chunk.length;
      }
      if (at !== bytes.length || toHex(await sha256(bytes)) !== manifest.sha256)
        throw new PackRefusedError("source", "the chunks do not add up to the manifest's pack (replaced while reading?)");
      return { status: "updated", bytes, tag: entry.versionstamp };
    },
  };
}

/** Publishes a (signed) pack to Deno KV for denoKvPackSource: chunks first, then the manifest. */
export async function publishPackToDenoKv(kv: DenoKvLike, key: readonly unknown[], bytes: Uint8Array): Promise<void> {
  const hash = toHex(await sha256(bytes));
  const chunks = Math.ceil(bytes.length / DENO_KV_CHUNK_BYTES);
  for (let i = 0; i < chunks; i++) await kv.set([...key, hash, i], bytes.slice(i * DENO_KV_CHUNK_BYTES, (i + 1) * DENO_KV_CHUNK_BYTES));
  const previous = (await kv.get(key)).value as Partial<DenoKvManifest> | null;
  await kv.set(key, { sha256: hash, bytes: bytes.length, chunks } satisfies DenoKvManifest);
  // Old chunks go once the new manifest is in place; a reader caught in between retries later.
  if (previous && typeof previous.sha256 === "string" && previous.sha256 !== hash && Number.isInteger(previous.chunks))
    for (let i = 0; i < previous.chunks!; i++) await kv.delete([...key, previous.sha256, i]);
}
