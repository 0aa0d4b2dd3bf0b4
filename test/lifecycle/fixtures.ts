/** Packs and keys shared by the lifecycle tests. */
import { Wafer } from "../../src/engine/engine.js";
import type { WaferOptions } from "../../src/engine/options.js";
import { generateSigningKey, importSigningKey, type SigningKey } from "../../src/lifecycle/keys.js";
import { signPack } from "../../src/lifecycle/sign.js";
import { compilePack } from "../../src/pack/compile.js";
import { engineModule } from "../support/wasm.js";

const rule = (id: string, extra: object = {}) => ({
  id, message: `${id} message`, family: "test", targets: ["args"], operator: { contains: "attack" }, ...extra,
});

/**
 * Two packs whose decisions reveal which one judged a request: "probe" is blocked by a rule
 * only pack A has, and scored 3 (allowed) by a rule only pack B has.
 */
export function packA(version = "1.0.0", name = "swap"): Uint8Array {
  return compilePack({
    name, version,
    rules: [rule("common"), rule("only-in-a", { operator: { contains: "probe" }, action: "block" })],
  }, { builtAt: "2026-11-01T00:00:00.000Z" }).image;
}

export function packB(version = "2.0.0", name = "swap"): Uint8Array {
  return compilePack({
    name, version,
    rules: [rule("common"), rule("only-in-b", { operator: { contains: "probe" }, severity: "warning" })],
  }, { builtAt: "2026-11-02T00:00:00.000Z" }).image;
}

export async function newKey(): Promise<SigningKey> {
  const { privateKeyPem } = await generateSigningKey();
  return importSigningKey(privateKeyPem);
}

export async function signed(image: Uint8Array, key: SigningKey): Promise<Uint8Array> {
  return (await signPack(image, key)).envelope;
}

export function engine(initial: Uint8Array, options: WaferOptions = {}): Wafer {
  return new Wafer(engineModule(), initial, options);
}

/** The Wasm memory of an engine (private; tests read its size). */
export function engineMemory(wafer: Wafer): WebAssembly.Memory {
  return (wafer as unknown as { exports: { memory: WebAssembly.Memory } }).exports.memory;
}

/** The bytes as a stream of `size`-byte chunks (a pack arriving over the network). */
export function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}
