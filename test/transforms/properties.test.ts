/**
 * Property tests for every transform (fast-check): no trap on any bytes, output within the
 * documented bound, `cap` respected to the byte (canary after dst+cap), truncation yields a
 * prefix, idempotence where it holds, and JS reference models for the simple ones.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Transform, type TransformName } from "../../src/engine/abi";
import { createTransformer, latin1 } from "./harness";
import { instantiateEngine } from "../support/wasm";

const t = createTransformer();
const names = Object.keys(Transform) as TransformName[];

// Fragments that steer random input into every decoder's escape paths.
const fragments = [
  "%", "%u", "%U", "+", "&", "&#", "&#x", ";", "lt", "amp", "nbsp", "\\", "\\u", "\\x", "\\u{", "{", "}",
  "0x", "0", "1", "7", "9", "a", "F", "g", "z", "D8", "dc", "ff1c", "/", "//", ".", "..", "/*", "*/", "<!--",
  "-->", "--", "#", " ", "\t", "\n", "\r", "\v", "'", "\"", "^", ",", "$", "$'", "IFS", "${IFS}", "=", "A",
  "\u00a0", "é", "€", "😀", "＜", "\u200b", "\u2044", "𝐀",
];
const byteFragments = [0x00, 0x80, 0xa0, 0xaf, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
const enc = new TextEncoder();

const hostileBytes = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...fragments).map((s) => enc.encode(s)),
        fc.constantFrom(...byteFragments).map((b) => Uint8Array.of(b)),
      ),
      { maxLength: 80 },
    )
    .map((parts) => {
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) { out.set(p, o); o += p.length; }
      return out;
    }),
);

/** Transforms whose output under a cap is not simply a prefix of the uncapped output. */
const notPrefixUnderCap = new Set<TransformName>(["normalizePath", "normalizePathWin"]);

describe("every transform on hostile input", () => {
  it("(the end-of-memory check is real: a read past the end of memory traps)", () => {
    const engine = instantiateEngine();
    engine.exports.configure(1 << 16, 16, 1 << 16, 16, 4096);
    const end = engine.memory.buffer.byteLength;
    expect(() => engine.exports.transform(Transform.lowercase, end - 3, 40, engine.exports.scratchPtr(), 64)).toThrow(WebAssembly.RuntimeError);
  });

  for (const name of names) {
    it(`${name}: no trap, output within the documented bound`, () => {
      fc.assert(
        fc.property(hostileBytes, (input) => {
          const out = t.run(name, input);
          expect(out.length).toBeLessThanOrEqual(t.bound(name, input.length));
        }),
        { numRuns: 300 },
      );
    });

    it(`${name}: never reads past the end of its input (input flush with the end of memory)`, () => {
      fc.assert(
        fc.property(hostileBytes, (input) => {
          expect(latin1(t.runAtMemoryEnd(name, input))).toBe(latin1(t.run(name, input)));
        }),
        { numRuns: 200 },
      );
    });

    it(`${name}: respects cap exactly (canary intact) and truncates to a prefix`, () => {
      fc.assert(
        fc.property(hostileBytes, fc.nat(), (input, capSeed) => {
          const full = t.run(name, input);
          const cap = capSeed % (full.length + 4);
          const { out, canaryIntact } = t.runGuarded(name, input, cap);
          expect(canaryIntact).toBe(true);
          expect(out.length).toBeLessThanOrEqual(cap);
          if (!notPrefixUnderCap.has(name)) {
            expect(out.length).toBe(Math.min(cap, full.length));
            expect(latin1(out)).toBe(latin1(full.subarray(0, out.length)));
          }
        }),
        { numRuns: 200 },
      );
    });
  }
});

describe("idempotence", () => {
  const idempotent: TransformName[] = [
    "lowercase", "uppercase", "removeNulls", "replaceNulls", "compressWhitespace",
    "trim", "trimLeft", "trimRight", "normalizePath", "normalizePathWin",
  ];
  for (const name of idempotent) {
    it(`${name}(${name}(x)) == ${name}(x)`, () => {
      fc.assert(
        fc.property(hostileBytes, (input) => {
          const once = t.run(name, input);
          expect(latin1(t.run(name, once))).toBe(latin1(once));
        }),
        { numRuns: 300 },
      );
    });
  }
  // On invalid UTF-8 these two can join bytes into a new sequence (C2 \r A0 -> C2 A0, an NBSP),
  // so idempotence holds for valid UTF-8 only.
  for (const name of ["unicodeNormalize", "removeWhitespace"] as const) {
    it(`${name} is idempotent on valid UTF-8`, () => {
      fc.assert(
        fc.property(fc.string({ unit: "grapheme", maxLength: 60 }), fc.array(fc.constantFrom(...fragments)), (s, extra) => {
          const once = t.run(name, s + extra.join(""));
          expect(latin1(t.run(name, once))).toBe(latin1(once));
        }),
        { numRuns: 300 },
      );
    });
  }
});

// ---- JS reference models ----
const isHex = (c: number) => (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
const hexVal = (c: number) => (c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10);

function refUrlDecode(b: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0x2b) out.push(0x20);
    else if (b[i] === 0x25 && i + 2 < b.length && isHex(b[i + 1]) && isHex(b[i + 2])) {
      out.push(hexVal(b[i + 1]) * 16 + hexVal(b[i + 2]));
      i += 2;
    } else out.push(b[i]);
  }
  return Uint8Array.from(out);
}

/** urlDecode plus `%uHHHH` (assembly/transforms/url-decode.ts): full-width ASCII folded, surrogate pairs joined, UTF-8 out. */
function refUrlDecodeUni(b: Uint8Array): Uint8Array {
  const uni = (i: number) => (i + 6 <= b.length && (b[i + 1]! | 0x20) === 0x75 && [2, 3, 4, 5].every((k) => isHex(b[i + k]!))
    ? [2, 3, 4, 5].reduce((v, k) => v * 16 + hexVal(b[i + k]!), 0) : -1);
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    const cp = b[i] === 0x25 ? uni(i) : -1;
    if (cp >= 0) {
      let code = cp;
      i += 5;
      if (cp >= 0xff01 && cp <= 0xff5e) code = cp - 0xfee0;
      else if (cp >= 0xd800 && cp <= 0xdbff) {
        const lo = uni(i + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) { code = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00); i += 6; }
      }
      out.push(...new TextEncoder().encode(code >= 0xd800 && code <= 0xdfff ? "\ufffd" : String.fromCodePoint(code)));
    } else if (b[i] === 0x2b) out.push(0x20);
    else if (b[i] === 0x25 && i + 2 < b.length && isHex(b[i + 1]) && isHex(b[i + 2])) {
      out.push(hexVal(b[i + 1]) * 16 + hexVal(b[i + 2]));
      i += 2;
    } else out.push(b[i]);
  }
  return Uint8Array.from(out);
}

function refHexDecode(b: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    if (isHex(b[i]) && i + 1 < b.length && isHex(b[i + 1])) { out.push(hexVal(b[i]) * 16 + hexVal(b[i + 1])); i++; }
    else out.push(b[i]);
  }
  return Uint8Array.from(out);
}

const asciiSpace = (c: number) => c === 0x20 || (c >= 9 && c <= 13);

function refRemoveWhitespace(b: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    if (asciiSpace(b[i])) continue;
    if (b[i] === 0xc2 && b[i + 1] === 0xa0) { i++; continue; }
    out.push(b[i]);
  }
  return Uint8Array.from(out);
}

function refCompressWhitespace(b: Uint8Array): Uint8Array {
  const out: number[] = [];
  let inSpace = false;
  for (let i = 0; i < b.length; i++) {
    let w = asciiSpace(b[i]) ? 1 : b[i] === 0xc2 && b[i + 1] === 0xa0 ? 2 : 0;
    if (w) { if (!inSpace) out.push(0x20); inSpace = true; i += w - 1; }
    else { out.push(b[i]); inSpace = false; }
  }
  return Uint8Array.from(out);
}

function refUtf8ToUnicode(s: string): string {
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) { out += ch; continue; }
    for (let k = 0; k < ch.length; k++) out += "%u" + ch.charCodeAt(k).toString(16).padStart(4, "0");
  }
  return out;
}

/** ModSecurity's cmdLine, transcribed from its C++ loop. */
function refCmdLine(b: Uint8Array): Uint8Array {
  const out: number[] = [];
  let space = false;
  for (const c of b) {
    if (c === 0x5c || c === 0x22 || c === 0x27 || c === 0x5e) continue;
    if (c === 0x20 || c === 0x2c || c === 0x3b || c === 0x09 || c === 0x0d || c === 0x0a) {
      if (!space) { out.push(0x20); space = true; }
    } else if (c === 0x2f || c === 0x28) {
      if (space) out.pop();
      space = false;
      out.push(c);
    } else {
      out.push(c >= 0x41 && c <= 0x5a ? c | 0x20 : c);
      space = false;
    }
  }
  return Uint8Array.from(out);
}

/** Comment removal transcribed from the specs in comments.ts (on Latin-1 strings). */
function refRemoveComments(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; ) {
    const skipTo = (j: number, add: number) => (j < 0 ? s.length : j + add);
    if (s.startsWith("/*", i)) i = skipTo(s.indexOf("*/", i + 2), 2);
    else if (s.startsWith("<!--", i)) i = skipTo(s.indexOf("-->", i + 4), 3);
    else if (s.startsWith("--", i) || s[i] === "#") i = skipTo(s.indexOf("\n", i), 0);
    else out += s[i++];
  }
  return out;
}

function refReplaceComments(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; ) {
    if (s.startsWith("/*", i)) {
      const j = s.indexOf("*/", i + 2);
      i = j < 0 ? s.length : j + 2;
      out += " ";
    } else out += s[i++];
  }
  return out;
}

function refRemoveCommentsChar(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; ) {
    if (s.startsWith("/*", i) || s.startsWith("*/", i)) i += 2;
    else if (s.startsWith("<!--", i)) i += 4;
    else if (s.startsWith("-->", i)) i += 3;
    else if (s.startsWith("--", i)) i += 2;
    else if (s[i] === "#") i += 1;
    else out += s[i++];
  }
  return out;
}

/** Segment-stack model of normalizePath (see path.ts): `..` above the root is kept. */
function refNormalizePath(input: string, win: boolean): string {
  const s = win ? input.replace(/\\/g, "/") : input;
  const stack: string[] = [];
  let kept = 0;
  let endsWithName = false;
  for (const seg of s.split("/")) {
    if (seg === "") continue;
    if (seg === ".") { endsWithName = false; continue; }
    if (seg === "..") {
      if (stack.length > kept) { stack.pop(); endsWithName = false; }
      else { stack.push(".."); kept++; endsWithName = true; }
      continue;
    }
    stack.push(seg);
    endsWithName = true;
  }
  let out = (s.startsWith("/") ? "/" : "") + stack.map((x) => x + "/").join("");
  if (endsWithName && !s.endsWith("/") && out.length > 0) out = out.slice(0, -1);
  return out;
}

const mapBytes = (b: Uint8Array, f: (c: number) => number) => Uint8Array.from(b, f);
const same = (a: Uint8Array, b: Uint8Array) => expect(latin1(a)).toBe(latin1(b));

// Long inputs cross the 16-byte SIMD chunks many times; short ones exercise the tails.
const anyBytes = fc.oneof(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ minLength: 100, maxLength: 2000 }), hostileBytes);
// Mostly plain text with sparse specials: the shape SIMD fast paths are built for.
const sparse = (specials: string[]) =>
  fc.array(fc.oneof({ weight: 20, arbitrary: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCXYZ0129 ".split("")) },
    { weight: 1, arbitrary: fc.constantFrom(...specials) }), { maxLength: 400 }).map((a) => enc.encode(a.join("")));

describe("reference models", () => {
  it("lowercase / uppercase: ASCII letters only", () => {
    fc.assert(fc.property(anyBytes, (b) => {
      same(t.run("lowercase", b), mapBytes(b, (c) => (c >= 0x41 && c <= 0x5a ? c | 0x20 : c)));
      same(t.run("uppercase", b), mapBytes(b, (c) => (c >= 0x61 && c <= 0x7a ? c & ~0x20 : c)));
    }), { numRuns: 300 });
  });

  it("removeNulls / replaceNulls", () => {
    const withNulls = fc.oneof(anyBytes, sparse(["\u0000", "\u0000\u0000"]));
    fc.assert(fc.property(withNulls, (b) => {
      same(t.run("removeNulls", b), b.filter((c) => c !== 0));
      same(t.run("replaceNulls", b), mapBytes(b, (c) => (c === 0 ? 0x20 : c)));
    }), { numRuns: 300 });
  });

  it("urlDecode matches a reference decoder", () => {
    fc.assert(fc.property(fc.oneof(anyBytes, sparse(["%", "%41", "%2f", "%zz", "+", "%4"])), (b) => {
      same(t.run("urlDecode", b), refUrlDecode(b));
    }), { numRuns: 400 });
  });

  it("urlDecodeUni matches a reference decoder", () => {
    fc.assert(fc.property(fc.oneof(anyBytes, hostileBytes, sparse(["%", "%41", "%2f", "%zz", "+", "%4", "%20", "%u0041", "%U00e9", "%uff1c", "%ud83d", "%ude00", "%ud83d%ude00", "%u12"])), (b) => {
      same(t.run("urlDecodeUni", b), refUrlDecodeUni(b));
    }), { numRuns: 400 });
  });

  it("urlDecode inverts encodeURIComponent", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 80 }), (s) => {
      expect(new TextDecoder().decode(t.run("urlDecode", encodeURIComponent(s)))).toBe(s);
    }), { numRuns: 300 });
  });

  it("base64Decode / base64DecodeExt match Buffer on valid base64 (padded or not)", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), (b, pad) => {
      let s = Buffer.from(b).toString("base64");
      if (!pad) s = s.replace(/=+$/, "");
      same(t.run("base64Decode", s), b);
      same(t.run("base64DecodeExt", s.replace(/(.{7})/g, "$1\n")), b);
      same(t.run("base64DecodeExt", Buffer.from(b).toString("base64url")), b);
    }), { numRuns: 300 });
  });

  it("hexDecode matches a reference model, and inverts hexEncode", () => {
    fc.assert(fc.property(fc.oneof(anyBytes, sparse(["0", "f", "A", "9", "g"])), (b) => {
      same(t.run("hexDecode", b), refHexDecode(b));
      same(t.run("hexEncode", b), enc.encode(Buffer.from(b).toString("hex")));
      same(t.run("hexDecode", t.run("hexEncode", b)), b);
      same(t.run("hexDecode", t.run("uppercase", t.run("hexEncode", b))), b);
      const mixed = Buffer.from(b).toString("hex").replace(/[a-f]/g, (c, k: number) => (k % 3 ? c.toUpperCase() : c));
      same(t.run("hexDecode", mixed), b);
    }), { numRuns: 300 });
  });

  it("removeWhitespace / compressWhitespace match reference models", () => {
    const ws = fc.oneof(anyBytes, sparse([" ", "  ", "\t", "\n\r", "\u00a0", "\v", "\f"]));
    fc.assert(fc.property(ws, (b) => {
      same(t.run("removeWhitespace", b), refRemoveWhitespace(b));
      same(t.run("compressWhitespace", b), refCompressWhitespace(b));
    }), { numRuns: 400 });
  });

  it("cmdLine matches ModSecurity's loop (long inputs cross the SIMD chunks)", () => {
    const dense = fc.array(fc.constantFrom(" ", ",", ";", "\t", "/", "(", "a", "B", "^", "'", "\\"), { maxLength: 300 }).map((a) => enc.encode(a.join("")));
    const cmd = fc.oneof(anyBytes, dense, sparse([" ", "  ", " /", "/", " (", ",", ";", "\t", "\n", "^", "\"", "'", "\\", " , /"]));
    fc.assert(fc.property(cmd, (b) => {
      same(t.run("cmdLine", b), refCmdLine(b));
    }), { numRuns: 1500 });
  });

  it("removeComments / replaceComments / removeCommentsChar match reference models", () => {
    const text = fc.oneof(anyBytes, sparse(["/*", "*/", "/", "*", "<!--", "-->", "<", "-", "--", "#", "\n", "/**/"]));
    fc.assert(fc.property(text, (b) => {
      const s = latin1(b);
      expect(latin1(t.run("removeComments", b))).toBe(refRemoveComments(s));
      expect(latin1(t.run("replaceComments", b))).toBe(refReplaceComments(s));
      expect(latin1(t.run("removeCommentsChar", b))).toBe(refRemoveCommentsChar(s));
    }), { numRuns: 800 });
  });

  it("normalizePath / normalizePathWin match a segment-stack model", () => {
    const path = fc.oneof(
      anyBytes,
      fc.array(fc.constantFrom("/", "//", ".", "..", "a", "bc", "\\", "..\\", "./", "../", "x".repeat(20)), { maxLength: 60 })
        .map((a) => enc.encode(a.join(""))),
    );
    fc.assert(fc.property(path, (b) => {
      const s = latin1(b);
      expect(latin1(t.run("normalizePath", b))).toBe(refNormalizePath(s, false));
      expect(latin1(t.run("normalizePathWin", b))).toBe(refNormalizePath(s, true));
    }), { numRuns: 800 });
  });

  it("trim family matches String.prototype.trim on ASCII whitespace", () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(" ", "\t", "\n", "\v", "\f", "\r", "a", "b c", "é")), (parts) => {
      const s = parts.join("");
      const ws = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;
      expect(new TextDecoder().decode(t.run("trim", s))).toBe(s.replace(ws, ""));
      expect(new TextDecoder().decode(t.run("trimLeft", s))).toBe(s.replace(/^[ \t\n\v\f\r]+/, ""));
      expect(new TextDecoder().decode(t.run("trimRight", s))).toBe(s.replace(/[ \t\n\v\f\r]+$/, ""));
    }), { numRuns: 300 });
  });

  it("length is the decimal byte length", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 5000 }), (b) => {
      expect(new TextDecoder().decode(t.run("length", b))).toBe(String(b.length));
    }), { numRuns: 100 });
  });

  it("utf8ToUnicode on valid UTF-8 writes each UTF-16 unit as %uhhhh", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 80 }), (s) => {
      expect(new TextDecoder().decode(t.run("utf8ToUnicode", s))).toBe(refUtf8ToUnicode(s));
    }), { numRuns: 300 });
  });

  it("utf8ToUnicode then urlDecodeUni restores valid UTF-8 (fullwidth folded)", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 80 }), (s) => {
      // '%' and '+' are urlDecodeUni's own syntax: keep them out of the round trip.
      const plain = s.replace(/[%+]/g, "");
      const expectedPlain = plain.replace(/[\uff01-\uff5e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
      expect(new TextDecoder().decode(t.chain(["utf8ToUnicode", "urlDecodeUni"], plain))).toBe(expectedPlain);
    }), { numRuns: 300 });
  });

  it("htmlEntityDecode decodes any numeric reference to its character", () => {
    const scalar = fc.integer({ min: 1, max: 0x10ffff }).filter((c) => (c < 0xd800 || c > 0xdfff) && (c < 0x80 || c > 0x9f));
    fc.assert(fc.property(scalar, fc.boolean(), fc.boolean(), (cp, hex, semi) => {
      const ref = (hex ? "&#x" + cp.toString(16) : "&#" + cp) + (semi ? ";" : "");
      expect(new TextDecoder().decode(t.run("htmlEntityDecode", ref + "z"))).toBe(String.fromCodePoint(cp) + "z");
    }), { numRuns: 300 });
  });

  it("jsDecode inverts JSON.stringify's \\u escaping", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 60 }), (s) => {
      const escaped = Array.from(s, (ch) =>
        Array.from({ length: ch.length }, (_, k) => "\\u" + ch.charCodeAt(k).toString(16).padStart(4, "0")).join(""),
      ).join("");
      const expected = s.replace(/[\uff01-\uff5e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
      expect(new TextDecoder().decode(t.run("jsDecode", escaped))).toBe(expected);
    }), { numRuns: 300 });
  });
});
