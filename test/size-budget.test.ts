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
