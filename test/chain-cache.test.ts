/**
 * The inspect loop computes transform chains through a per-value cache: levels shared with
 * the previous chain are reused and transforms without trigger features are skipped
 * (assembly/inspect.ts, cachedChain). Whatever
 * the chains and the order they are asked in, each output must equal the chain applied from
 * scratch: checked here through the chainCacheMismatches hook on generated packs and values.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TransformName } from "../src/engine/abi.js";
import { loadRawEngine } from "./pack/harness.js";

const transforms: TransformName[] = [
  "lowercase", "urlDecode", "urlDecodeUni", "htmlEntityDecode", "jsDecode", "cssDecode", "removeNulls",
  "replaceNulls", "removeWhitespace", "compressWhitespace", "removeComments", "replaceComments",
  "removeCommentsChar", "normalizePath", "normalizePathWin", "cmdLine", "trim", "trimLeft", "shellUnescape",
  "base64Decode", "hexDecode", "utf8ToUnicode", "uppercase", "escapeSeqDecode",
];
// Values rich in the bytes that make those transforms act (and skip).
const value = fc.array(
  fc.constantFrom("a", "B", " ", "  ", "\t", "%20", "%2541", "%u0041", "+", "&amp;", "&#x3c;", "\\x41", "\\", "/*", "*/",
    "--", "#", "<!--", "./", "/.", "//", "..", "\0", "'", "\"", "^", "$", ";", ",", "é", "\u00a0", "QUJD", "41"),
  { maxLength: 40 },
).map((parts) => parts.join(""));

describe("chain cache", () => {
  it("every cached chain output equals the chain applied from scratch, in any order (property)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.array(fc.constantFrom(...transforms), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12, selector: (c) => c.join(",") }),
        fc.array(value, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
        (chains, values, picks) => {
          const engine = loadRawEngine({
            name: "t", version: "1.0.0",
            rules: chains.map((chain, i) => ({ id: `r${i}`, message: "m", family: "f", targets: ["args"], transforms: chain, operator: { contains: "zzz" } })),
          });
          const groups = engine.image ? new DataView(engine.image.buffer, engine.image.byteOffset).getUint32(32, true) : 0;
          expect(groups).toBeGreaterThan(0);
          const { exports, memory } = engine;
          const arena = exports.arenaPtr() as number;
          for (const text of values) {
            const bytes = new TextEncoder().encode(text);
            new Uint8Array(memory.buffer).set(bytes, arena);
            // As inspect asks (groups in order), then in an arbitrary order with repeats.
            const orders = [[...Array(groups).keys()], picks.map((p) => p % groups)];
            for (const order of orders) {
              const at = arena + 4096;
              new Uint32Array(memory.buffer, at, order.length).set(order);
              expect([text, order, exports.chainCacheMismatches(arena, bytes.length, at, order.length)]).toEqual([text, order, 0]);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
