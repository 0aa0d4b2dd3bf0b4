/**
 * The runtime-neutral core of the public API. Each runtime entry (src/entry/*.ts) binds it
 * to the way that runtime obtains a WebAssembly.Module.
 */
import { asBuiltDefault } from "./engine/built-pack.js";
import { Wafer } from "./engine/engine.js";
import { rateLimiterOptions, type WaferOptions } from "./engine/options.js";
import { loadRateLimiter } from "./ratelimit/load.js";
import { loadConfirmAutomata } from "./engine/confirm-registry.js";
import { Section } from "./pack/format.js";
import { hasSection, toBytes } from "./pack/reader.js";

export type ModuleSource = WebAssembly.Module | BufferSource | Response | PromiseLike<WebAssembly.Module | BufferSource | Response>;

export interface Runtime {
  /** createWafer(options): an engine with the default pack unless `options.pack` is given. */
  createWafer(options?: WaferOptions): Promise<Wafer>;
  /**
   * Escape hatch for bundlers this package does not know: hand it engine.wasm yourself,
   * as a WebAssembly.Module (required where compiling from bytes is forbidden), bytes,
   * or a fetch Response. Call before createWafer.
   */
  init(source: ModuleSource): Promise<void>;
}

async function toModule(source: ModuleSource): Promise<WebAssembly.Module> {
  const value = await source;
  if (value instanceof WebAssembly.Module) return value;
  if (typeof Response !== "undefined" && value instanceof Response) {
    return WebAssembly.compile(await value.arrayBuffer());
  }
  return WebAssembly.compile(value as BufferSource);
}

export function bindRuntime(
  loadModule: () => Promise<WebAssembly.Module>,
  loadDefaultPack: () => Promise<Uint8Array>,
): Runtime {
  let module: Promise<WebAssembly.Module> | undefined;
  let pack: Promise<Uint8Array> | undefined;
  /** False once init() supplied the engine: the default pack was validated with the bundle's own. */
  let ownModule = true;
  return {
    async init(source) {
      module = toModule(source);
      ownModule = false;
      await module;
    },
    async createWafer(options = {}) {
      module ??= loadModule();
      // The limiter is not in this bundle (src/ratelimit/registry.ts): load it alongside.
      const limiter = rateLimiterOptions(options) ? loadRateLimiter() : undefined;
      if (options.pack) {
        // A pack with regexes over the DFA budget needs the lazy DFA's code (confirm-registry.ts).
        const confirm = hasSection(toBytes(options.pack), Section.confirm) ? loadConfirmAutomata() : undefined;
        const [m] = await Promise.all([module, limiter, confirm]);
        return new Wafer(m, options.pack, options);
      }
      pack ??= loadDefaultPack();
      const [m, p] = await Promise.all([module, pack, limiter]);
      // The package's own default pack in its own engine: activation may skip what the build validated.
      return ownModule ? asBuiltDefault(p, () => new Wafer(m, p, options)) : new Wafer(m, p, options);
    },
  };
}
