/**
 * The engine's in-place form decoder (assembly/form-decode.ts), which the arena writer's batch
 * relies on: for any fields laid out as the writer lays them out (name, then value, back to
 * back), the FORM_ENCODED values come out as the UTF-8 of percentDecode(source, true) with the
 * same DECODE_* flags, every other field's bytes unchanged and moved down with them, and the
 * descriptors and the arena end corrected. The writer-level differential tests
 * (test/arena-writer.test.ts, test/request/arena-extract.test.ts) cover it through the writer.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DESC_SIZE } from "../../src/engine/abi.js";
import { percentDecode, takeDecodeFlags } from "../../src/request/percent-decode.js";
import { arenaEngine } from "../support/wasm.js";

const enc = new TextEncoder();
const FORM_ENCODED = 1;

/** Pieces of a value: raw characters, hostile and valid escapes, long literal runs (the vector path). */
const piece = fc.oneof(
  fc.string({ unit: "binary", maxLength: 4 }),
  fc.constantFrom("%", "+", "%2", "%zz", "%41", "%2B", "%c3", "%a9", "%ff", "%e2%82", "%f0%9f", "%80", "%ed%a0%80", "%c0%ae", "%f4%90%80%80", "%e0%80%80", "%f0%80%80%80", "\ud800", "\udc00", "%20", "%C3%A9"),
  fc.integer({ min: 0, max: 255 }).map((b) => "%" + b.toString(16).padStart(2, "0")),
  fc.integer({ min: 0x80, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff).map((c) => encodeURIComponent(String.fromCodePoint(c))),
  fc.tuple(fc.integer({ min: 1, max: 70 }), fc.boolean()).map(([n, plus]) => "abcdefghij".repeat(7).slice(0, n) + (plus ? "+x" : "")),
);
const field = fc.record({ name: fc.string({ maxLength: 6 }), source: fc.array(piece, { maxLength: 40 }).map((p) => p.join("")), encoded: fc.boolean() });

describe("formDecodeFields (assembly/form-decode.ts)", () => {
  it("decodes marked values in place as percentDecode(source, true) does, moving the rest down", () => {
    const engine = arenaEngine({ maxFields: 64, maxTotalBytes: 1 << 16 });
    const exports = engine.host;
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 12 }), fc.nat({ max: 3 }), (fields, first) => {
        const start = Math.min(first, fields.length - 1);
        const bytes = new Uint8Array(engine.memory.buffer);
        const desc = new Uint32Array(engine.memory.buffer, engine.descPtr, fields.length * (DESC_SIZE / 4));
        // Lay the fields out as the writer does: name then value, back to back, from offset 0.
        let at = 0;
        fields.forEach((f, i) => {
          const name = enc.encode(f.name);
          const value = enc.encode(f.source);
          bytes.set(name, engine.arenaPtr + at);
          bytes.set(value, engine.arenaPtr + at + name.length);
          desc.set([7, at, name.length, at + name.length, value.length, f.encoded && i >= start ? FORM_ENCODED : 0], i * 6);
          at += name.length + value.length;
        });
        // What the reference gives: fields before `start` as written, later marked ones decoded.
        takeDecodeFlags();
        const expected = fields.map((f, i) => [f.name, f.encoded && i >= start ? percentDecode(f.source, true) : f.source]);
        const expectedFlags = takeDecodeFlags();
        const end = exports.formDecodeFields(start, fields.length, at);
        expect(exports.formDecodeFlags()).toBe(expectedFlags);
        const after = new Uint8Array(engine.memory.buffer);
        const words = new Uint32Array(engine.memory.buffer, engine.descPtr, fields.length * (DESC_SIZE / 4));
        let next = 0;
        fields.forEach((_, i) => {
          const [nameOff, nameLen, valueOff, valueLen, mark] = [words[i * 6 + 1]!, words[i * 6 + 2]!, words[i * 6 + 3]!, words[i * 6 + 4]!, words[i * 6 + 5]!];
          expect(mark).toBe(0);
          expect(nameOff).toBe(next); // still back to back
          const name = Buffer.from(after.subarray(engine.arenaPtr + nameOff, engine.arenaPtr + nameOff + nameLen));
          const value = Buffer.from(after.subarray(engine.arenaPtr + valueOff, engine.arenaPtr + valueOff + valueLen));
          expect(name.toString("hex")).toBe(Buffer.from(enc.encode(expected[i]![0]!)).toString("hex"));
          expect(value.toString("hex")).toBe(Buffer.from(enc.encode(expected[i]![1]!)).toString("hex"));
          next = valueOff + valueLen;
        });
        expect(end).toBe(next);
      }),
      { numRuns: 3000 },
    );
  });

  it("decodes the usual escapes and reports malformed ones", () => {
    const engine = arenaEngine({ maxFields: 4, maxTotalBytes: 4096 });
    const source = enc.encode("caf%C3%A9+%E2%82%AC 100% %zz %ed%a0%80");
    new Uint8Array(engine.memory.buffer).set(source, engine.arenaPtr + 1);
    new Uint32Array(engine.memory.buffer, engine.descPtr, 6).set([6, 0, 1, 1, source.length, FORM_ENCODED]);
    const end = engine.host.formDecodeFields(0, 1, 1 + source.length);
    const len = new Uint32Array(engine.memory.buffer, engine.descPtr, 6)[4]!;
    expect(end).toBe(1 + len);
    expect(Buffer.from(new Uint8Array(engine.memory.buffer, engine.arenaPtr + 1, len)).toString("utf8")).toBe("café € 100% %zz \uFFFD\uFFFD\uFFFD");
    expect(engine.host.formDecodeFlags()).toBe(3); // DECODE_INVALID_ESCAPE | DECODE_INVALID_UTF8
  });
});
