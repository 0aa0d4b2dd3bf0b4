/**
 * Bun: a file next to the bundle, read with `Bun.file`, Bun's own reader. Bun implements
 * `node:fs`, but the first `process.getBuiltinModule("fs")` (or `import("node:fs")`) there
 * loads its Node compatibility layer: ~3 ms of a cold start, against ~0.7 ms for reading
 * engine.wasm with `Bun.file(url).bytes()` (Bun 1.4, this project's machine).
 * Undefined when the file is not there (a bundler dropped it) or this is not Bun.
 */
interface BunFile {
  bytes?(): Promise<Uint8Array>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export async function readBesideBundle(url: URL): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const bun = (globalThis as { Bun?: { file(path: URL): BunFile } }).Bun;
  if (!bun) return undefined;
  try {
    const file = bun.file(url);
    // bytes() since Bun 1.1.30; arrayBuffer() before.
    return (file.bytes ? await file.bytes() : new Uint8Array(await file.arrayBuffer())) as Uint8Array<ArrayBuffer>;
  } catch {
    return undefined; // missing or unreadable: the caller takes the inlined copy
  }
}
