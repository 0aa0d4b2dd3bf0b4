/**
 * bytesEqual (assembly/bytes-equal.ts) against plain byte comparison: every length around
 * its 4-, 8- and 16-byte steps, every alignment, a difference at any position, and ranges
 * flush against the end of linear memory (a read past either range would trap).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { instantiateEngine } from "./support/wasm";

const engine = instantiateEngine();
const ex = engine.exports;
ex.configure(1 << 16, 64, 1 << 16, 64, 4096);
const arena = ex.arenaPtr() as number;

function stage(at: number, bytes: Uint8Array): void {
  engine.bytes().set(bytes, at);
}

describe("bytesEqual", () => {
  it("agrees with a byte-by-byte comparison at any length, alignment and difference", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 100 }),
        fc.integer({ min: 0, max: 31 }),
        fc.integer({ min: 0, max: 31 }),
        fc.option(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { nil: undefined }),
        (a, offA, offB, change) => {
          const b = a.slice();
          if (change !== undefined && b.length > 0) b[change[0] % b.length] ^= change[1];
          stage(arena + offA, a);
          stage(arena + 256 + offB, b);
          const expected = a.every((x, i) => x === b[i]) ? 1 : 0;
          expect(ex.bytesEqualAt(arena + offA, arena + 256 + offB, a.length)).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("finds a difference in the first and in the last byte of every length up to 48", () => {
    for (let n = 1; n <= 48; n++) {
      const a = Uint8Array.from({ length: n }, (_, i) => (i * 7 + 1) & 0xff);
      for (const pos of [0, n - 1]) {
        const b = a.slice();
        b[pos] ^= 0x20;
        stage(arena + 3, a);
        stage(arena + 512 + 5, b);
        expect(ex.bytesEqualAt(arena + 3, arena + 512 + 5, n), `n=${n} pos=${pos}`).toBe(0);
        stage(arena + 512 + 5, a);
        expect(ex.bytesEqualAt(arena + 3, arena + 512 + 5, n), `n=${n}`).toBe(1);
      }
    }
  });

  it("reads nothing past either range (both flush against the end of memory)", () => {
    const end = engine.memory.buffer.byteLength;
    for (let n = 0; n <= 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => i);
      stage(end - n, bytes);
      stage(end - 64 - n, bytes);
      expect(ex.bytesEqualAt(end - n, end - 64 - n, n), `n=${n}`).toBe(1);
    }
  });
});
