/** Builds a Wafer engine from the real build/engine.wasm with a pack compiled from a source object. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Wafer } from "../../src/engine/engine.js";
import type { WaferOptions } from "../../src/engine/options.js";
import { compilePack } from "../../src/pack/compile.js";
import { engineModule } from "./wasm.js";

export function packImage(rules: object[], meta: { name?: string; version?: string; threshold?: number } = {}): Uint8Array {
  return compilePack({ name: meta.name ?? "test", version: meta.version ?? "1.0.0", threshold: meta.threshold, rules }).image;
}

export function engineWith(rules: object[], options: WaferOptions = {}): Wafer {
  return new Wafer(engineModule(), packImage(rules), options);
}

export function defaultPackImage(): Uint8Array {
  return new Uint8Array(readFileSync(fileURLToPath(new URL("../../build/default.wpk", import.meta.url))));
}
