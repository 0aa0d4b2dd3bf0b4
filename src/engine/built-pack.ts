/**
 * The default pack this bundle was built with skips structural validation at activation.
 *
 * Activation checks a pack's whole structure (every offset, record and automaton) so that the
 * hot path can read it without bounds checks. For the default pack that is the same work on
 * the same bytes at every cold start (~0.3–0.5 ms, plus a background TurboFan compile), and
 * the build has already done it: scripts/build.mjs activates build/default.wpk in
 * build/engine.wasm with full validation, refuses to ship an image that fails, and pins the
 * image's checksum into the runtime bundles (`__WAFER_BUILT_PACK_CHECKSUM__`).
 *
 * Why skipping is safe — it takes all of:
 *   - the bytes createWafer() loaded itself as the default pack (the package's own default.wpk,
 *     Data module or inlined copy), for that one activation: options.pack, loadPack,
 *     updatePack, rollback and `new Wafer(module, pack)` always validate in full, whatever the
 *     bytes (core.ts is the only caller of `asBuiltDefault`, which the package does not export);
 *   - the engine.wasm the bundle loaded itself, the one the build validated with (not one
 *     handed to init());
 *   - in Wasm, the image's checksum — computed over its bytes, as for every pack — equal to
 *     the pinned one (assembly/pack.ts packActivate); any other image, a rebuilt or corrupted
 *     default.wpk included, is validated in full.
 * The checksum guards against accidents, not forgery: a file crafted to collide needs write
 * access to the package, which could rewrite its code as well, and whatever such an image
 * does stays inside the Wasm sandbox.
 */

declare const __WAFER_BUILT_PACK_CHECKSUM__: number | undefined;

/** The pinned checksum; 0 when running from source (tests), where nothing is trusted. */
export const BUILT_PACK_CHECKSUM: number =
  typeof __WAFER_BUILT_PACK_CHECKSUM__ === "number" ? __WAFER_BUILT_PACK_CHECKSUM__ >>> 0 : 0;

let builtImage: Uint8Array | undefined;

/** Runs `create` (a Wafer constructor) with `image` known to be the built default pack. */
export function asBuiltDefault<T>(image: Uint8Array, create: () => T): T {
  builtImage = image;
  try {
    return create();
  } finally {
    builtImage = undefined;
  }
}

/** What packActivate is told about `image`: the pinned checksum for the built default pack, once; else 0 (validate all). */
export function builtChecksumFor(image: Uint8Array): number {
  const pinned = image === builtImage ? BUILT_PACK_CHECKSUM : 0;
  builtImage = undefined;
  return pinned;
}
