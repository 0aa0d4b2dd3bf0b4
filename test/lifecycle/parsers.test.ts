/** Property tests for the byte-level parsers: the envelope framing and bounded stream reading. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ENVELOPE_MAGIC } from "../../src/lifecycle/envelope.js";
import { PackRefusedError } from "../../src/lifecycle/errors.js";
import { readStream } from "../../src/lifecycle/read-source.js";
import { verifyPack } from "../../src/lifecycle/verify.js";
import { newKey } from "./fixtures.js";

const magic = new TextEncoder().encode(ENVELOPE_MAGIC);

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({ pull: (c) => (i < chunks.length ? c.enqueue(chunks[i++]!) : c.close()) });
}

describe("envelope parsing", () => {
  it("arbitrary bytes, with or without the magic, are refused with a PackRefusedError and nothing else", async () => {
    const key = await newKey();
    const keys = [key.publicKey.text];
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.uint8Array({ maxLength: 300 }), fc.option(fc.uint8Array({ maxLength: 100 })), async (withMagic, tail, detached) => {
        const bytes = withMagic ? new Uint8Array([...magic, ...tail]) : tail;
        const e = await verifyPack(bytes, detached ?? undefined, keys).then(() => undefined, (err: unknown) => err);
        expect(e).toBeInstanceOf(PackRefusedError);
      }),
      { numRuns: 300 },
    );
  });
});

describe("bounded stream reading", () => {
  it("reassembles any chunking exactly, and refuses exactly when the total passes the limit", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }), fc.integer({ min: 1, max: 2000 }), fc.option(fc.nat(3000)), async (chunks, max, hint) => {
        const total = chunks.reduce((n, c) => n + c.length, 0);
        const result = await readStream(streamOf(chunks), max, hint ?? undefined).then((b) => b, (e: unknown) => e);
        if (total > max) {
          expect((result as PackRefusedError).reason).toBe("too-large");
        } else {
          const expected = new Uint8Array(total);
          let at = 0;
          for (const c of chunks) {
            expected.set(c, at);
            at += c.length;
          }
          expect(result).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });
});
