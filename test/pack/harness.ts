/**
 * Test harness: compiles a pack source, loads it into a fresh engine.wasm instance and
 * inspects hand-made field lists, bypassing request extraction.
 */
import { ArenaWriter, type ArenaHost } from "../../src/engine/arena-writer.js";
import { compilePack, type CompileOptions } from "../../src/pack/compile.js";
import { instantiateEngine } from "../support/wasm.js";

export interface Field {
  kind: number;
  name?: string;
  value: string;
}

export interface RawOutcome {
  verdict: number;
  score: number;
  matches: { rule: string; field: number; part: number; unconfirmed: boolean }[];
  flags: number;
}

export function loadRawEngine(source: unknown, options: CompileOptions = {}) {
  const { image, meta } = compilePack(source, options);
  const { exports, memory } = instantiateEngine();
  expectZero(exports.configure(1 << 20, 256, 1 << 16, 4096, 32 + 16 * 64));
  const ptr = exports.packReserve(image.length);
  new Uint8Array(memory.buffer, ptr, image.length).set(image);
  const code = exports.packActivate(image.length);
  if (code !== 0) throw new Error(`packActivate failed with code ${code} (detail ${exports.packError()})`);
  const writer = new ArenaWriter(exports as unknown as ArenaHost, {
    maxFields: 256,
    maxFieldBytes: 1 << 16,
    maxBodyBytes: 1 << 16,
    maxTotalBytes: 1 << 20,
  });
  return {
    exports,
    memory,
    image,
    meta,
    inspect(fields: Field[], opts: { paranoia?: number; threshold?: number; flags?: number } = {}): RawOutcome {
      writer.reset();
      for (const f of fields) writer.add(f.kind, f.name ?? "", f.value);
      const verdict = exports.inspect(writer.count, opts.paranoia ?? 4, opts.threshold ?? 1000, opts.flags ?? 0);
      const result = new Uint32Array(memory.buffer, exports.resultPtr(), 8 + 64 * 4);
      const matches = [];
      for (let i = 0; i < result[2]!; i++) {
        matches.push({
          rule: meta.rules[result[8 + i * 4]!]!.id,
          field: result[9 + i * 4]!,
          part: result[10 + i * 4]! & 1,
          unconfirmed: (result[10 + i * 4]! & 2) !== 0,
        });
      }
      return { verdict, score: result[1]!, matches, flags: result[3]! };
    },
  };
}

function expectZero(code: number): void {
  if (code !== 0) throw new Error(`configure returned ${code}`);
}
