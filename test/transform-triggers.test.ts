/**
 * The engine skips a transform when a value's feature mask misses the transform's trigger
 * mask (assembly/transform-triggers.ts). That is only sound if the transform is the
 * identity on every such value: checked here for every transform on random inputs, on
 * inputs rich in the bytes of its pair and edge features (random, and every string up to
 * a small length over a focused alphabet), and on hand-picked edge cases. The SIMD feature
 * mask itself is checked against a byte-by-byte reimplementation of its definition.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Transform } from "../src/engine/abi.js";
import { instantiateEngine } from "./support/wasm.js";

const wasm = instantiateEngine();
wasm.exports.configure(1 << 16, 64, 1 << 16, 64, 4096);
const src = wasm.exports.arenaPtr() as number;
const dst = wasm.exports.scratchPtr() as number;
const ALWAYS = 0xffffffff;
const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0)); // latin1: "\xC2\xA0" is NBSP

function features(bytes: Uint8Array, at = src): number {
  wasm.bytes().set(bytes, at);
  return wasm.exports.valueFeatures(at, bytes.length) >>> 0;
}

function transformed(id: number, bytes: Uint8Array): Uint8Array {
  wasm.bytes().set(bytes, src);
  const n = wasm.exports.transform(id, src, bytes.length, dst, 1 << 16);
  return wasm.bytes().slice(dst, dst + n);
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
const show = (b: Uint8Array) => JSON.stringify(String.fromCharCode(...b));

/** The value is skipped for the transform, so the transform must leave it as it is. */
function skippedButChanged(id: number, trigger: number, bytes: Uint8Array): boolean {
  return (features(bytes) & trigger) === 0 && !sameBytes(transformed(id, bytes), bytes);
}

const triggered = Object.entries(Transform)
  .filter(([, id]) => id !== 0)
  .map(([name, id]) => ({ name, id, trigger: wasm.exports.transformTriggers(id) >>> 0 }))
  .filter((t) => t.trigger !== ALWAYS);

// Transforms with pair or edge features, and alphabets made of the bytes those involve.
const FOCUS: Record<string, string> = {
  removeComments: "/*-#<!>\na",
  replaceComments: "/*-#<!>\na",
  removeCommentsChar: "/*-#<!>\na",
  normalizePath: "/.a\\",
  normalizePathWin: "/.a\\",
  removeWhitespace: " \t\xC2\xA0a",
  compressWhitespace: " \t\xC2\xA0a",
  trim: " \t\na\x0b",
  trimLeft: " \t\na\x0b",
  trimRight: " \t\na\x0b",
  cmdLine: " /(a,A\"",
};

describe("transform trigger masks", () => {
  for (const { name, id, trigger } of triggered) {
    // Bytes whose own classes miss the trigger (taken between two digits: no edge facts).
    const allowed = Array.from({ length: 256 }, (_, b) => b).filter((b) => (features(Uint8Array.of(0x30, b, 0x30)) & trigger) === 0);
    it(`${name}: identity on values whose features miss its triggers`, () => {
      expect(allowed.length).toBeGreaterThan(0);
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...allowed), { maxLength: 64 }), (arr) => {
          const input = Uint8Array.from(arr);
          if ((features(input) & trigger) !== 0) return;
          expect(Array.from(transformed(id, input))).toEqual(arr);
        }),
        { numRuns: 400 },
      );
    });
  }

  for (const { name, id, trigger } of triggered.filter((t) => t.name in FOCUS)) {
    const alphabet = enc(FOCUS[name]!);
    it(`${name}: identity on every string up to length ${alphabet.length > 6 ? 5 : 7} over ${JSON.stringify(FOCUS[name])} whose features miss its triggers`, () => {
      const maxLen = alphabet.length > 6 ? 5 : 7;
      const bad: string[] = [];
      let skipped = 0;
      for (let len = 0; len <= maxLen; len++) {
        const digits = new Array<number>(len).fill(0);
        const input = new Uint8Array(len);
        for (;;) {
          for (let i = 0; i < len; i++) input[i] = alphabet[digits[i]!]!;
          if ((features(input) & trigger) === 0) {
            skipped++;
            if (!sameBytes(transformed(id, input), input) && bad.length < 5) bad.push(show(input));
          }
          let k = len - 1;
          while (k >= 0 && digits[k] === alphabet.length - 1) digits[k--] = 0;
          if (k < 0) break;
          digits[k]!++;
        }
      }
      expect(bad).toEqual([]);
      // The pair and edge features let a real share of these through (not only "aaaa").
      expect(skipped).toBeGreaterThan(100);
    });

    it(`${name}: identity on long strings rich in ${JSON.stringify(FOCUS[name])} whose features miss its triggers`, () => {
      // Mostly letters, so that many draws miss the trigger; lengths around the 16-byte
      // blocks of the SIMD transforms and of the feature mask.
      const byte = fc.oneof(
        { arbitrary: fc.constantFrom(0x61, 0x62, 0x30), weight: 3 },
        { arbitrary: fc.constantFrom(...alphabet), weight: 2 },
      );
      const len = fc.oneof(fc.integer({ min: 0, max: 80 }), fc.constantFrom(15, 16, 17, 31, 32, 33, 47, 48, 49));
      fc.assert(
        fc.property(len.chain((n) => fc.array(byte, { minLength: n, maxLength: n })), (arr) => {
          const input = Uint8Array.from(arr);
          if ((features(input) & trigger) !== 0) return;
          expect(show(transformed(id, input))).toBe(show(input));
        }),
        { numRuns: 3000 },
      );
    });
  }

  it("edge cases: every transform a value's features let it skip leaves the value as it is", () => {
    const cases = [
      "", ".", "..", "...", "/", "//", "./", "/.", "a/", "/a", "/a/", "a/b", "a/..", "../a", "a/./b", "a/../b",
      ".a", "a.", "a.b", "..a", "a..", "a/.b", "a./b", "a.../b", "/..", "../", "\\", "a\\b", "\\.", ".\\",
      "\0", " ", "\t", "a ", " a", "a b", "a  b", "a /b", "a (b", "a\tb", "a\x0bb", "\xC2\xA0", "\xC2", "\xA0", "a\xC2",
      "\xC2a\xA0", "-", "--", "-a-", "->", "-->", "<!--", "<!-", "<!", "<", "/*", "*/", "* /", "/ *", "*", "#",
      "a,b", "a;b", "A", "^", "'", "\"", "`", "$", "%", "+", "&",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
      "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
      // 15, 16 and 17 bytes with the interesting pair across the block boundary.
      "aaaaaaaaaaaaaa/*", "aaaaaaaaaaaaaaa/*", "aaaaaaaaaaaaaaaa/*", "aaaaaaaaaaaaaaa-", "aaaaaaaaaaaaaaa-a",
      "aaaaaaaaaaaaaaa\xC2\xA0", "aaaaaaaaaaaaaaaa ", "aaaaaaaaaaaaaaaa/.",
    ];
    const bad: string[] = [];
    for (const c of cases) {
      for (const { name, id, trigger } of triggered) if (skippedButChanged(id, trigger, enc(c))) bad.push(`${name} ${show(enc(c))}`);
    }
    expect(bad).toEqual([]);
  });

  it("pair features find the sequence across a 16-byte block boundary", () => {
    for (let pos = 0; pos < 40; pos++) {
      const s = enc(`${"a".repeat(pos)}/*${"b".repeat(40 - pos)}`);
      expect(features(s) & (wasm.exports.transformTriggers(Transform.replaceComments) >>> 0)).not.toBe(0);
    }
  });

  it("ordinary header values skip the path, comment and whitespace transforms", () => {
    const skips = (t: keyof typeof Transform, v: string) => (features(enc(v)) & (wasm.exports.transformTriggers(Transform[t]) >>> 0)) === 0;
    const ua = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
    for (const t of ["normalizePath", "normalizePathWin", "replaceComments", "removeComments", "compressWhitespace", "trim"] as const) {
      expect(skips(t, ua), t).toBe(true);
    }
    expect(skips("replaceComments", "text/html,application/xml")).toBe(true);
    expect(skips("removeComments", "2026-11-22")).toBe(true);
    expect(skips("cmdLine", "hello world")).toBe(true);
    // ...and still run where they change the value.
    expect(skips("replaceComments", "*/*")).toBe(false);
    expect(skips("normalizePath", "/a/../b")).toBe(false);
    expect(skips("normalizePath", ".")).toBe(false);
    expect(skips("compressWhitespace", "a  b")).toBe(false);
    expect(skips("trimRight", "a ")).toBe(false);
    expect(skips("cmdLine", "cat /etc")).toBe(false);
  });

  it("feature masks see every byte of the value", () => {
    expect(features(enc("abc"))).not.toBe(features(enc("abc%")));
    expect(features(new Uint8Array(0))).toBe(0);
  });
});

/**
 * The feature mask by its definition, one byte and one pair at a time (the bit layout of
 * assembly/transform-triggers.ts).
 */
function referenceMask(b: Uint8Array): number {
  const ws = (c: number) => c === 0x20 || (c >= 9 && c <= 13);
  let m = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    const bit = (cond: boolean, k: number) => { if (cond) m |= 1 << k; };
    bit(c === 0x25, 0); bit(c === 0x2b, 1); bit(c === 0x26, 2); bit(c === 0x5c, 3);
    bit(c === 0, 4); bit(c >= 0x80, 5); bit(c === 0x23, 6); bit(c === 0x24, 7);
    bit(c >= 0x41 && c <= 0x4f, 8); bit(c >= 0x50 && c <= 0x5a, 9);
    bit(c >= 0x61 && c <= 0x6f, 10); bit(c >= 0x70 && c <= 0x7a, 11);
    bit(c === 0x20, 12); bit(c >= 9 && c <= 13, 13); bit(c === 0x22 || c === 0x27, 14); bit(c === 0x60, 15);
    bit(c === 0x5e, 16); bit(c === 0x2c, 17); bit(c === 0x3b, 18);
    if (i > 0) {
      const p = b[i - 1]!;
      bit(p === 0x2f && c === 0x2a, 24); bit(p === 0x2a && c === 0x2f, 25); bit(p === 0x2d && c === 0x2d, 26);
      bit((p === 0x2f || p === 0x2e) && c === 0x2f, 27); bit(p === 0x2f && c === 0x2e, 28);
      bit(p === 0x20 && c === 0x20, 29); bit(p === 0x20 && (c === 0x20 || c === 0x2f || c === 0x28), 30);
      bit(p === 0xc2 && c === 0xa0, 31);
    }
  }
  if (b.length > 0) {
    if (ws(b[0]!)) m |= 1 << 19;
    if (ws(b[b.length - 1]!)) m |= 1 << 20;
    if (b.length === 1 && b[0] === 0x2e) m |= 1 << 21;
  }
  return m >>> 0;
}

describe("featureMask (SIMD) agrees with its byte-by-byte definition", () => {
  const special = [0, 0x09, 0x0a, 0x0d, 0x20, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f,
    0x3b, 0x41, 0x4f, 0x50, 0x5a, 0x5c, 0x5e, 0x60, 0x61, 0x6f, 0x70, 0x7a, 0x7f, 0x80, 0xa0, 0xc2, 0xff];
  const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...special), fc.constantFrom(0x30, 0x31));
  const len = fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(1, 2, 15, 16, 17, 31, 32, 33, 47, 48, 49));
  const value = len.chain((n) => fc.array(byte, { minLength: n, maxLength: n }));

  it("on random values, with random bytes after them and at every alignment", () => {
    fc.assert(
      fc.property(value, fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 32, maxLength: 32 }), fc.integer({ min: 0, max: 15 }), (arr, after, shift) => {
        const input = Uint8Array.from(arr);
        const at = src + shift;
        wasm.bytes().set(after, at + input.length);
        expect(features(input, at).toString(16)).toBe(referenceMask(input).toString(16));
      }),
      { numRuns: 3000 },
    );
  });

  it("on values that end at the end of linear memory (the last block is read byte by byte)", () => {
    fc.assert(
      fc.property(value, (arr) => {
        const input = Uint8Array.from(arr);
        const at = wasm.bytes().length - input.length;
        expect(features(input, at).toString(16)).toBe(referenceMask(input).toString(16));
      }),
      { numRuns: 1000 },
    );
  });

  it("sees a pair split by the scalar tail near the end of memory", () => {
    for (let n = 2; n <= 40; n++) {
      for (let pos = 0; pos + 1 < n; pos++) {
        const input = new Uint8Array(n).fill(0x61);
        input[pos] = 0x2d;
        input[pos + 1] = 0x2d;
        const at = wasm.bytes().length - n;
        expect(features(input, at)).toBe(referenceMask(input));
      }
    }
  });
});
