/**
 * The Deno KV store in real Deno (npm `deno`, local KV on a temp file): parity with the
 * Wasm table, exact counting under contention, and a strict-mode limiter over it.
 */
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { sampleSequences, tableReplies } from "./table-replies";

const root = fileURLToPath(new URL("../../", import.meta.url));
const denoBin = join(root, "node_modules", ".bin", "deno");

if (!existsSync(denoBin)) console.warn("deno-kv tests skipped: node_modules/.bin/deno missing (npm package `deno`)");

describe.skipIf(!existsSync(denoBin))("Deno KV store (real Deno)", () => {
  it("decides like the Wasm table, counts exactly under contention, and backs a strict limiter", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wafer-denokv-"));
    try {
      const bundle = join(dir, "script.js");
      await build({
        entryPoints: [join(root, "test/ratelimit/fixtures/deno-kv-script.ts")],
        bundle: true, format: "esm", platform: "neutral", outfile: bundle, logLevel: "silent",
      });
      const sequences = sampleSequences(30, 30, 5);
      const inputPath = join(dir, "input.json");
      writeFileSync(inputPath, JSON.stringify({ kvPath: join(dir, "kv.sqlite"), wasmPath: join(root, "build/engine.wasm"), sequences }));
      const out = execFileSync(denoBin, ["run", "-A", "--unstable-kv", bundle, inputPath], { encoding: "utf8", timeout: 120_000 });
      const result = JSON.parse(out.trim().split("\n").pop()!);

      // Parity with the Wasm table.
      tableReplies(sequences).forEach((steps, i) => steps.forEach((expected, k) => expect(result.sequences[i][k], `sequence ${i} step ${k}`).toEqual(expected)));

      // 200 concurrent requests, limit 50: exactly 50 allowed, and the stored count agrees.
      expect(result.race.failed).toBe(0);
      expect(result.race.allowed).toBe(50);
      expect(result.race.stored.cur).toBe(50);
      expect(result.race.retries).toBeGreaterThan(0); // the contention was real

      expect(result.verdicts.map((v: { allowed: boolean }) => v.allowed)).toEqual([true, true, true, false, false]);
      expect(result.verdicts[2]).toEqual({ allowed: true, remaining: 0, reason: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
