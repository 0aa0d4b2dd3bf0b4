/**
 * The literal automaton's shift-or front end (built by src/pack/front-end.ts, scanned by
 * assembly/matcher/front-end.ts): the walk through it reports exactly the hits of the plain
 * walk and of a reference (every occurrence of every literal, case folded), wherever the
 * literals sit: on the scan's 8-byte words and 512-byte blocks, at odd and even starts, at
 * the very end. Under hostile input its confirmations stay bounded and the plain walk takes
 * over. Sets for which it does not pay get none; a malformed image never traps.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { packChecksum } from "../../src/pack/checksum.js";
import { loadRawEngine } from "./harness.js";
import { literalReference, pmPack, scanLiterals } from "./literal-scan.js";
import { instantiateEngine } from "../support/wasm.js";
import { compilePack } from "../../src/pack/compile.js";
import { buildFrontEnd } from "../../src/pack/front-end.js";
import { defaultPackImage } from "../support/engine.js";

// Mostly literals of 4 bytes and more (a set with many short ones gets no front end: they
// would pass too often), some short ones.
const literal = fc.oneof(
  { arbitrary: fc.stringMatching(/^[abcAB1\- ]{4,20}$/), weight: 12 },
  { arbitrary: fc.stringMatching(/^[abcAB1\- ]{1,3}$/), weight: 1 },
);

describe("literal front end: exact against a reference (property)", () => {
  it("reports every occurrence, with literals planted at word, block and input boundaries", () => {
    let withFrontEnd = 0;
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(literal, { minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 256, max: 3000 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: -3, max: 3 }), fc.constantFrom(8, 16, 512, 0)), { maxLength: 12 }),
        fc.integer({ min: 0, max: 0xffff }),
        (lists, length, plants, seed) => {
          const all = lists.flat();
          // Filler from a wider alphabet than the literals', so most positions are no start.
          const bytes = Array.from({ length }, (_, i) => "xyzqbaw-"[(i * 7 + seed * 13 + (i >> 3)) % 8]!);
          const put = (lit: string, at: number) => {
            at = Math.max(0, Math.min(length - lit.length, at));
            for (let i = 0; i < lit.length; i++) bytes[at + i] = (at + i) % 3 === 0 ? lit[i]!.toUpperCase() : lit[i]!;
          };
          for (const [which, where, shift, unit] of plants) {
            const lit = all[which % all.length]!;
            // unit 0: at the very end; else near a multiple of 8 (a word), 16 or 512 (a block).
            if (unit === 0) put(lit, length - lit.length);
            else put(lit, (where % Math.ceil(length / unit)) * unit + shift);
          }
          const input = bytes.join("");
          const e = loadRawEngine(pmPack(lists));
          withFrontEnd += e.exports.literalFrontEnd();
          const expected = literalReference(lists, input);
          expect(scanLiterals(e, input, false)).toEqual(expected);
          expect(scanLiterals(e, input, true)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
    expect(withFrontEnd).toBeGreaterThan(200);
  });

  it("is exact at every start parity and input length around the scan's words", () => {
    const lists = [["abc", "b1", "a-b-c-a-b-c-1234"], ["c"], ["ab-c1"]];
    const e = loadRawEngine(pmPack(lists));
    expect(e.exports.literalFrontEnd()).toBe(1);
    for (let length = 256; length < 300; length++) {
      for (const lit of lists.flat()) {
        for (const at of [0, 1, 7, 8, 9, 15, 16, 17, length - lit.length - 1, length - lit.length]) {
          const input = [...`${"x".repeat(at)}${lit}`.padEnd(length, "y")].slice(0, length).join("");
          expect(scanLiterals(e, input, false)).toEqual(literalReference(lists, input));
        }
      }
    }
  });

  it("takes long literals whose first 16 bytes are all it looks at, and single bytes", () => {
    const lists = [["0123456789abcdefXYZ", "0123456789abcdefQ"], ["~"]];
    const e = loadRawEngine(pmPack(lists));
    const input = `${"-".repeat(300)}0123456789ABCDEFxyz~0123456789abcdefq${"~".repeat(3)}0123456789abcdef`;
    expect(scanLiterals(e, input, false)).toEqual(literalReference(lists, input));
    expect(literalReference(lists, input).length).toBe(6);
  });
});

describe("literal front end: hostile input", () => {
  it("every position a candidate: confirmations stay bounded, the plain walk takes over, hits stay exact", () => {
    for (const [lists, input] of [
      [[["aaaaaaaaaaaaaaaaaaab"]], "a".repeat(20000)], // every start passes, none matches
      [[["a", "aa", "ba"]], "a".repeat(2600)], // every start matches
      [[Array.from({ length: 64 }, (_, i) => `${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + ((i * 7) % 26))}`)], "abcdefghijklmnopqrstuvwxyz".repeat(800)],
    ] as const) {
      const e = loadRawEngine(pmPack(lists.map((l) => [...l])));
      expect(scanLiterals(e, input, false)).toEqual(literalReference(lists.map((l) => [...l]), input));
      const confirms = e.exports.literalScanConfirms();
      // The scan handed the rest to the plain walk early, after at most one candidate (two
      // starts to confirm) per 64 bytes scanned plus the slack of 32.
      const handover = e.exports.literalScanHandover();
      expect(handover).toBeLessThan(1024);
      expect(confirms).toBeLessThanOrEqual(2 * (Math.floor(handover / 64) + 33));
    }
  });

  it("text where no literal starts: no confirmation, no hand-over", () => {
    const lists = [Array.from({ length: 1000 }, (_, i) => `${["sel", "uni", "scr", "alp", "ec"][i % 5]}${(i * 7919).toString(36)}`)];
    const e = loadRawEngine(pmPack(lists));
    const words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"];
    const input = Array.from({ length: 3000 }, (_, i) => words[(i * 7) % 10]).join(" ");
    expect(scanLiterals(e, input, false)).toEqual([]);
    expect(e.exports.literalScanHandover()).toBe(input.length);
    expect(e.exports.literalScanConfirms()).toBeLessThan(20); // the flush at the end at most
  });
});

describe("literal front end: built when it pays, installed at activation, validated", () => {
  it("sets of long literals get one; short literals that pass too often, or too many literals, none", () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    const phrases = Array.from({ length: 1000 }, (_, i) => enc(`${["sel", "uni", "scr", "alp", "ec"][i % 5]}${(i * 7919).toString(36)}`));
    expect(buildFrontEnd(phrases)).not.toBeNull();
    expect(buildFrontEnd([enc("union select"), enc("<script")])).not.toBeNull();
    expect(buildFrontEnd(["<", ">", "'", '"', ";", "(", ")", "union select"].map(enc))).toBeNull();
    expect(buildFrontEnd(Array.from({ length: 5000 }, (_, i) => enc(`literal-${i}`)))).toBeNull();
    // The default pack's 1,474 literals include 107 of at most three bytes: none.
    expect(new DataView(defaultPackImage().buffer).getUint32(52, true)).toBe(0);
  });

  it("a front-end offset past the image is refused", () => {
    const { image } = compilePack(pmPack([["alphabet", "broccoli"]]));
    const bad = image.slice();
    const v = new DataView(bad.buffer);
    expect(v.getUint32(52, true)).not.toBe(0);
    v.setUint32(52, bad.length - 8, true);
    v.setUint32(20, packChecksum(bad), true);
    const { exports, memory } = instantiateEngine();
    exports.configure(1 << 20, 256, 1 << 16, 4096, 32 + 16 * 64);
    const at = exports.packReserve(bad.length); // may grow memory: take the buffer after it
    new Uint8Array(memory.buffer, at, bad.length).set(bad);
    expect(exports.packActivate(bad.length)).toBe(11); // PACK_BAD_AUTOMATON
  });

  it("a prefix group whose depth disagrees with the trie: the pack loads without a front end", () => {
    // Longer than the prefix length (16 for small sets): the folded rest is in the image.
    const lists = [["alphabet-soup-for-lunch", "beta-carotene-in-carrots", "gamma-ray-burst-at-night"]];
    const { image } = compilePack(pmPack(lists));
    const view = new DataView(image.buffer, image.byteOffset);
    const ac = view.getUint32(48, true);
    const states = view.getUint32(ac, true);
    const firstOut = view.getUint32(ac + 8, true);
    const outs = ac + view.getUint32(ac + 20, true);
    const bad = image.slice();
    const v = new DataView(bad.buffer);
    let changed = 0;
    for (let s = 0; s < states - firstOut; s++) {
      const group = view.getUint32(outs + s * 8, true);
      if (group !== 0 && view.getUint32(group + 4, true) > 1) {
        v.setUint32(group + 4, view.getUint32(group + 4, true) - 1, true);
        changed++;
      }
    }
    expect(changed).toBeGreaterThan(0);
    v.setUint32(20, packChecksum(bad), true);
    const { exports, memory } = instantiateEngine();
    exports.configure(1 << 20, 256, 1 << 16, 4096, 32 + 16 * 64);
    const at = exports.packReserve(bad.length); // may grow memory: take the buffer after it
    new Uint8Array(memory.buffer, at, bad.length).set(bad);
    expect(exports.packActivate(bad.length)).toBe(0);
    expect(exports.literalFrontEnd()).toBe(0);
  });

  it("a checksummed image with automaton or front-end bytes changed is refused or scans long inputs without trapping (property)", () => {
    const { image } = compilePack(pmPack([["select", "union", "script", "alert("], ["onerror", "1=1--"]]));
    expect(new DataView(image.buffer).getUint32(52, true)).not.toBe(0);
    const ac = new DataView(image.buffer, image.byteOffset).getUint32(48, true);
    const input = new TextEncoder().encode("SELECT x UNION a script onerror=1=1 ".repeat(40));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 6 }), (edits) => {
        const bad = image.slice();
        for (const [at, b] of edits) bad[ac + (at % (image.length - ac))] = b;
        new DataView(bad.buffer).setUint32(20, packChecksum(bad), true);
        const { exports, memory } = instantiateEngine();
        exports.configure(1 << 20, 256, 1 << 16, 4096, 32 + 16 * 64);
        const at = exports.packReserve(bad.length); // may grow memory: take the buffer after it
        new Uint8Array(memory.buffer, at, bad.length).set(bad);
        if (exports.packActivate(bad.length) !== 0) return;
        const ptr = exports.arenaPtr();
        new Uint8Array(memory.buffer).set(input, ptr);
        exports.literalScan(ptr, input.length, exports.scratchPtr(), Math.floor(exports.scratchSize() / 12), 0);
      }),
      { numRuns: 300 },
    );
  });
});
