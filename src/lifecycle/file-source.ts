/**
 * A pack file on disk (Node, Bun, Deno's node:fs), polled by modification time and size:
 * portable where `fs.watch` is not (network filesystems, containers, editors that replace
 * files). Publish by writing a temporary file and renaming it over the pack, so a poll
 * never reads half a file (and if it does, the signature or checksum refuses it).
 */
import { readFile, stat } from "node:fs/promises";
import { PackRefusedError } from "./errors.js";
import { DEFAULT_MAX_PACK_BYTES } from "./read-source.js";
import type { PackFetchResult, PackSource } from "./watch.js";

export function filePackSource(path: string, options: { maxBytes?: number } = {}): PackSource {
  const max = options.maxBytes ?? DEFAULT_MAX_PACK_BYTES;
  return {
    description: path,
    async fetch(lastTag): Promise<PackFetchResult> {
      const info = await stat(path);
      const tag = `${info.mtimeMs}:${info.size}:${info.ino}`;
      if (tag === lastTag) return { status: "unchanged" };
      if (info.size > max) throw new PackRefusedError("too-large", `the pack is larger than the ${max}-byte limit (maxBytes)`);
      return { status: "updated", bytes: new Uint8Array(await readFile(path)), tag };
    },
  };
}
