/**
 * The built default pack activates without structural validation (src/engine/built-pack.ts,
 * assembly/pack.ts packActivate). Checked here: that image passes full validation (skipping it
 * loses nothing) and derives exactly the engine state full validation does; a pinned checksum
 * the image does not have changes nothing; only createWafer's own default pack is pinned; and
 * a user's pack with the same header and the same checksum but other bytes is still validated
 * and refused, in the built bundles too.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { packChecksum } from "../src/pack/checksum.js";
import { HEADER_SIZE, SECTION_ENTRY_SIZE, Section } from "../src/pack/format.js";
import { defaultPackImage } from "./support/engine.js";
import { engineModule, instantiateEngine } from "./support/wasm.js";

const PACK_OK = 0;
const PACK_BAD_CHECKSUM = 6;
const PACK_BAD_SELECTOR = 10;

/** A fresh engine with `image` activated; the code packActivate returned and the memory after. */
function activate(image: Uint8Array, builtChecksum: number) {
  const { exports, bytes } = instantiateEngine();
  expect(exports.configure(1 << 16, 64, 1 << 16, 1 << 16, 4096)).toBe(0);
  bytes().set(image, exports.packReserve(image.length));
  const code = exports.packActivate(image.length, builtChecksum) as number;
  return { code, memory: bytes() };
}

const checksumOf = (image: Uint8Array) => new DataView(image.buffer, image.byteOffset).getUint32(20, true);

/** Byte offset of the first record of a section. */
function sectionOffset(image: Uint8Array, id: number): number {
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  for (let i = 0; i < view.getUint32(24, true); i++) {
    const e = HEADER_SIZE + i * SECTION_ENTRY_SIZE;
    if (view.getUint32(e, true) === id) return view.getUint32(e + 4, true);
  }
  throw new Error(`no section ${id}`);
}

/**
 * The default image with its first selector record made invalid (its "part" flag 2, where 0
 * and 1 are allowed), and two later words changed to keep the checksum: the checksum sums each
 * 32-bit lane over 16-byte blocks (a) and those sums again (b), so +d, −2d, +d in one lane of
 * three consecutive blocks leaves both unchanged. Same header, same checksum, other bytes.
 */
function collidingImage(): Uint8Array {
  const image = defaultPackImage();
  const at = sectionOffset(image, Section.selectors);
  const words = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const add = (offset: number, delta: number) => words.setUint32(offset, (words.getUint32(offset, true) + delta) >>> 0, true);
  expect(image[at + 1]).toBeLessThanOrEqual(1);
  const d = (2 - image[at + 1]!) << 8; // byte 1 of the little-endian word at `at` becomes 2
  add(at, d);
  add(at + 16, -2 * d);
  add(at + 32, d);
  expect(image[at + 1]).toBe(2);
  return image;
}

describe("the built default pack", () => {
  it("passes full validation", () => {
    expect(activate(defaultPackImage(), 0).code).toBe(PACK_OK);
  });

  it("activated with its checksum pinned, derives the same engine state as with full validation", () => {
    const image = defaultPackImage();
    const full = activate(image, 0);
    const pinned = activate(image, checksumOf(image));
    expect(pinned.code).toBe(PACK_OK);
    // Same allocations in the same order: the whole linear memory is the same, byte for byte.
    expect(pinned.memory.length).toBe(full.memory.length);
    expect(Buffer.compare(pinned.memory, full.memory)).toBe(0);
  });

  it("a pinned checksum the image does not have validates it in full", () => {
    const original = defaultPackImage();
    // The invalid selector of collidingImage, one more byte changed, and the checksum re-summed.
    const altered = collidingImage();
    altered[altered.length - 1]! ^= 0xff;
    new DataView(altered.buffer).setUint32(20, packChecksum(altered), true);
    expect(checksumOf(altered)).not.toBe(checksumOf(original));
    expect(activate(altered, checksumOf(original)).code).toBe(PACK_BAD_SELECTOR);
  });

  it("an image with the same header and checksum but other bytes is refused by full validation", () => {
    const image = collidingImage();
    expect(packChecksum(image)).toBe(checksumOf(defaultPackImage()));
    expect(activate(image, 0).code).toBe(PACK_BAD_SELECTOR);
    // And a corrupted copy (checksum no longer matching) is refused before any trust applies.
    const corrupt = defaultPackImage();
    corrupt[corrupt.length - 8] ^= 1;
    expect(activate(corrupt, checksumOf(corrupt)).code).toBe(PACK_BAD_CHECKSUM);
  });
});

describe("which pack is pinned (src/engine/built-pack.ts)", () => {
  /** built-pack.ts as a bundle built with `checksum` pinned sees it (esbuild's define; here a global). */
  async function builtPackModule(checksum: number) {
    vi.resetModules();
    (globalThis as Record<string, unknown>).__WAFER_BUILT_PACK_CHECKSUM__ = checksum;
    try {
      return await import("../src/engine/built-pack.js");
    } finally {
      delete (globalThis as Record<string, unknown>).__WAFER_BUILT_PACK_CHECKSUM__;
    }
  }

  it("from source, nothing", async () => {
    vi.resetModules();
    const { BUILT_PACK_CHECKSUM, asBuiltDefault, builtChecksumFor } = await import("../src/engine/built-pack.js");
    expect(BUILT_PACK_CHECKSUM).toBe(0);
    const image = defaultPackImage();
    expect(asBuiltDefault(image, () => builtChecksumFor(image))).toBe(0);
  });

  it("only the image createWafer hands over, for one activation", async () => {
    const { asBuiltDefault, builtChecksumFor } = await builtPackModule(0xcafe);
    const image = defaultPackImage();
    const copy = image.slice();
    expect(builtChecksumFor(image)).toBe(0);
    expect(asBuiltDefault(image, () => [builtChecksumFor(copy), builtChecksumFor(image)])).toEqual([0, 0]);
    expect(asBuiltDefault(image, () => [builtChecksumFor(image), builtChecksumFor(image)])).toEqual([0xcafe, 0]);
    expect(builtChecksumFor(image)).toBe(0);
    expect(() => asBuiltDefault(image, () => { throw new Error("constructor failed"); })).toThrow("constructor failed");
    expect(builtChecksumFor(image)).toBe(0);
  });

  it("createWafer: the default pack in the bundle's own engine; not options.pack, not after init()", async () => {
    const checksum = checksumOf(defaultPackImage());
    await builtPackModule(checksum);
    const { bindRuntime } = await import("../src/core.js");
    const { Wafer } = await import("../src/engine/engine.js");
    const seen: number[] = [];
    const module = engineModule();
    // Record what each activation is told, through the module's own exports.
    const Instance = WebAssembly.Instance;
    const spy = vi.spyOn(WebAssembly, "Instance").mockImplementation(function (m: WebAssembly.Module, imports?: WebAssembly.Imports) {
      const instance = new Instance(m, imports);
      const exports = { ...instance.exports } as Record<string, unknown>;
      const real = exports.packActivate as (len: number, pinned: number) => number;
      exports.packActivate = (len: number, pinned: number) => (seen.push(pinned), real(len, pinned));
      return { exports } as WebAssembly.Instance;
    } as unknown as typeof WebAssembly.Instance);
    try {
      const runtime = bindRuntime(async () => module, async () => defaultPackImage());
      const wafer = await runtime.createWafer();
      expect(wafer).toBeInstanceOf(Wafer);
      wafer.loadPack(defaultPackImage());
      await runtime.createWafer({ pack: defaultPackImage() });
      await runtime.init(module);
      await runtime.createWafer();
      expect(seen).toEqual([checksum, 0, 0, 0]);
    } finally {
      spy.mockRestore();
    }
  });
});

const dist = fileURLToPath(new URL("../dist", import.meta.url));
describe.runIf(existsSync(join(dist, "node.js")))("the built bundles", () => {
  it("pin the checksum of the default pack they ship", () => {
    const checksum = checksumOf(new Uint8Array(readFileSync(join(dist, "default.wpk"))));
    for (const entry of ["node", "deno", "workerd", "edge-light", "default"]) {
      expect(readFileSync(join(dist, `${entry}.js`), "utf8"), entry).toContain(String(checksum));
    }
  });

  it("refuse a user's pack with the default pack's header and checksum but other bytes", async () => {
    const { createWafer, Wafer, PackError } = await import(pathToFileURL(join(dist, "node.js")).href);
    const image = collidingImage();
    const wafer = await createWafer();
    expect(wafer.pack.rules).toBeGreaterThan(0);
    await expect(createWafer({ pack: image })).rejects.toThrow(PackError);
    expect(() => wafer.loadPack(image)).toThrow(PackError);
    expect(() => new Wafer(new WebAssembly.Module(readFileSync(join(dist, "engine.wasm"))), image)).toThrow(PackError);
  });
});
