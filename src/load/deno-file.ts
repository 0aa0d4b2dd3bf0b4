/**
 * Deno: reads a file shipped next to the bundle (engine.wasm, default.wpk) when this process
 * may read it without asking, so an import does not carry (and Deno does not load, hash and
 * decode) half a megabyte of base64. Returns undefined — the caller falls back to the copy
 * inlined in a separate module — when read access is not granted (never prompts), the file
 * is missing (a bundler or `deno compile` dropped it), or this is not Deno.
 */
interface DenoFileApi {
  permissions: { querySync?(descriptor: { name: "read"; path: URL }): { state: string } };
  readFileSync(path: URL): Uint8Array;
}

export function readBesideBundle(url: URL): Uint8Array | undefined {
  const deno = (globalThis as { Deno?: DenoFileApi }).Deno;
  if (!deno) return undefined;
  try {
    if (deno.permissions.querySync?.({ name: "read", path: url }).state !== "granted") return undefined;
    return deno.readFileSync(url);
  } catch {
    return undefined;
  }
}
