/**
 * What ships to the edge has a budget (issue 9): engine.wasm at most 100 KB and the default
 * pack at most 300 KB, read strictly (10^3 bytes a KB) so that neither reading of "KB" is
 * over. Checked on the build `npm test` makes first (scripts/build.mjs). Bytes, not time: a
 * size is the same on every machine.
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const dist = join(import.meta.dirname, "..", "dist");

describe("size budget of what ships", () => {
  it.each([
    ["engine.wasm", 100_000],
    ["default.wpk", 300_000],
  ])("dist/%s is at most %i bytes", (file, budget) => {
    const path = join(dist, file);
    expect(existsSync(path), `${path} is missing: run \`npm test\`, which builds it first`).toBe(true);
    expect(statSync(path).size).toBeLessThanOrEqual(budget);
  });
});

describe("memory an engine holds", () => {
  it("is at most 8 MiB of Wasm memory once created with the default pack (the allocator doubles memory when it grows: one region too many doubles it)", async () => {
    const { readFileSync } = await import("node:fs");
    const { Wafer } = await import("../src/engine/engine.js");
    const { engineModule } = await import("./support/wasm.js");
    const wafer = new Wafer(engineModule(), readFileSync(join(dist, "default.wpk")));
    const bytes = (wafer as unknown as { exports: { memory: WebAssembly.Memory } }).exports.memory.buffer.byteLength;
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(8 * 1024 * 1024);
  });
});
