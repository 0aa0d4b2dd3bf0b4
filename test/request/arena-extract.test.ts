/**
 * Extraction straight into the arena (src/engine/arena-writer.ts through FieldSink) must write
 * what main's extraction wrote, byte for byte: percent-encoded query arguments and form fields
 * now reach the writer as source ranges (addUrlEncoded, decoded in place), where they used to
 * be decoded to strings first (`add(kind, name, percentDecode(value, true))`). The reference is
 * that path: the same writer behind a sink with only add / addLatin1 / addBytes, which makes
 * the extractor take it. Compared on generated requests, at roomy and tiny limits: arena bytes,
 * descriptors, the writer's truncations and the whole extract report (parse errors included).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DESC_SIZE, FieldKind } from "../../src/engine/abi.js";
import { ArenaWriter, type ArenaLimits } from "../../src/engine/arena-writer.js";
import { extractRequestSync } from "../../src/request/extract.js";
import type { FieldSink } from "../../src/request/field-sink.js";
import { resolveExtractOptions, type PlainRequest } from "../../src/request/types.js";
import { arenaEngine } from "../support/wasm.js";

const MAX_FIELDS = 300;

/** main's path: no addUrlEncoded, so every encoded value is decoded to a string and added. */
class StringsOnly implements FieldSink {
  constructor(private readonly writer: ArenaWriter) {}
  add(kind: number, name: string, value: string): boolean {
    return this.writer.add(kind, name, value);
  }
  addLatin1(kind: number, name: string, value: string): boolean {
    return this.writer.addLatin1(kind, name, value);
  }
  addBytes(kind: number, name: string, value: Uint8Array): boolean {
    return this.writer.addBytes(kind, name, value);
  }
}

function writerFor(limits: ArenaLimits): { memory: WebAssembly.Memory; arenaPtr: number; descPtr: number; writer: ArenaWriter } {
  const engine = arenaEngine(limits);
  return { memory: engine.memory, arenaPtr: engine.arenaPtr, descPtr: engine.descPtr, writer: new ArenaWriter(engine.host, limits) };
}

const options = resolveExtractOptions({});

function arenaState({ memory, arenaPtr, descPtr, writer }: ReturnType<typeof writerFor>) {
  const count = writer.count;
  const desc = Array.from(new Uint32Array(memory.buffer, descPtr, (count * DESC_SIZE) / 4));
  let end = 0;
  for (let i = 0; i < count; i++) end = Math.max(end, desc[i * 6 + 3]! + desc[i * 6 + 4]!, desc[i * 6 + 1]! + desc[i * 6 + 2]!);
  const arena = Buffer.from(memory.buffer, arenaPtr, end).toString("hex");
  return { count, desc, arena, truncations: writer.truncations, method: writer.method, path: writer.path, clientIp: writer.clientIp };
}

function sameExtraction(request: PlainRequest, limits: ArenaLimits): void {
  const a = writerFor(limits);
  const e = writerFor(limits);
  a.writer.reset();
  e.writer.reset();
  const reportA = extractRequestSync(request, a.writer, options);
  const reportE = extractRequestSync(request, new StringsOnly(e.writer), options);
  expect(reportA).toEqual(reportE);
  expect(arenaState(a)).toEqual(arenaState(e));
}

// ---- generated requests ----

const hex2 = (b: number, upper: boolean) => (upper ? b.toString(16).padStart(2, "0").toUpperCase() : b.toString(16).padStart(2, "0"));
const utf8 = new TextEncoder();
const char = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0x100, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constantFrom("\ud800", "\udbff", "\udc00", "\udfff", "😀") },
);
/** Pieces of form-urlencoded text: escapes of any byte, whole or cut UTF-8 sequences, invalid `%`, `+`, separators. */
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.integer({ min: 0, max: 255 }), fc.boolean()).map(([b, u]) => "%" + hex2(b, u)) },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.integer({ min: 0x80, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff), fc.integer({ min: 1, max: 4 })).map(([c, keep]) =>
      Array.from(utf8.encode(String.fromCodePoint(c)).slice(0, keep), (b) => "%" + hex2(b, false)).join(""),
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom("%ed%a0%80", "%c0%ae", "%e0%80%af", "%f4%90%80%80", "%e2%82", "%", "%z", "%4", "%%41", "+", "%2B", "%26", "%3D") },
  { weight: 6, arbitrary: char },
  { weight: 1, arbitrary: fc.constantFrom("=", "&", "&&", ";") },
  { weight: 1, arbitrary: fc.integer({ min: 25, max: 100 }).map((n) => "0123456789abcdef+".repeat(7).slice(0, n).replace(/[+]/g, (c) => (n % 3 === 0 ? c : "-"))) },
);
const formText = fc.oneof(
  { weight: 5, arbitrary: fc.array(piece, { maxLength: 40 }).map((a) => a.join("")) },
  { weight: 1, arbitrary: fc.tuple(fc.array(piece, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 200 })).map(([a, n]) => a.join("").repeat(n)) },
);
const pair = fc.tuple(formText, fc.option(formText, { nil: undefined })).map(([n, v]) => (v === undefined ? n : `${n}=${v}`));
const pairs = fc.array(pair, { maxLength: 12 }).map((a) => a.join("&"));
const headerValue = fc.array(char, { maxLength: 30 }).map((a) => a.join(""));

const request: fc.Arbitrary<PlainRequest> = fc
  .record({
    method: fc.constantFrom("GET", "POST"),
    path: fc.array(piece, { maxLength: 8 }).map((a) => "/" + a.join("").replace(/[?#]/g, "")),
    query: fc.option(pairs, { nil: undefined }),
    headers: fc.array(fc.tuple(fc.constantFrom("host", "x-a", "User-Agent", "cookie", "x-forwarded-for"), headerValue), { maxLength: 6 }),
    body: fc.option(pairs, { nil: undefined }),
  })
  .map(({ method, path, query, headers, body }) => ({
    method,
    url: query === undefined ? path : `${path}?${query}`,
    headers: body === undefined ? headers : [...headers, ["content-type", "application/x-www-form-urlencoded"] as [string, string]],
    body: body ?? null,
  }));

const limits: fc.Arbitrary<ArenaLimits> = fc.oneof(
  fc.constant({ maxFields: MAX_FIELDS, maxFieldBytes: 1 << 16, maxBodyBytes: 1 << 20, maxTotalBytes: 1 << 18 }),
  fc.record({
    maxFields: fc.integer({ min: 1, max: 40 }),
    maxFieldBytes: fc.integer({ min: 1, max: 200 }),
    maxBodyBytes: fc.integer({ min: 1, max: 400 }),
    maxTotalBytes: fc.integer({ min: 1, max: 3000 }),
  }),
);

describe("extraction into the arena", () => {
  it("writes what the decode-to-string path wrote (bytes, descriptors, truncations, report)", () => {
    fc.assert(fc.property(request, limits, (r, lim) => sameExtraction(r, lim)), { numRuns: 3000 });
  });

  it("handles a query and a form of encoded values, valid and not", () => {
    const big = { maxFields: MAX_FIELDS, maxFieldBytes: 1 << 16, maxBodyBytes: 1 << 20, maxTotalBytes: 1 << 18 };
    const r: PlainRequest = {
      method: "POST",
      url: "/a%2Fb?q=caf%C3%A9+%E2%82%AC&x=%zz%c0%ae&&y=%F0%9F%98%80&n%61me=%41",
      headers: [["content-type", "application/x-www-form-urlencoded"], ["cookie", "a=b; c=%41"]],
      body: "f=" + "%41b+".repeat(300) + "&g=%ed%a0%80&h",
    };
    sameExtraction(r, big);
    sameExtraction(r, { maxFields: 9, maxFieldBytes: 50, maxBodyBytes: 100, maxTotalBytes: 1000 });
    const a = writerFor(big);
    a.writer.reset();
    const report = extractRequestSync(r, a.writer, options);
    expect(report.parseErrors.map((p) => p.part)).toEqual(["query", "query", "form"]);
    const count = a.writer.count;
    const desc = new Uint32Array(a.memory.buffer, a.descPtr, (count * DESC_SIZE) / 4);
    const values: string[] = [];
    for (let i = 0; i < count; i++) {
      if (desc[i * 6] !== FieldKind.queryArg) continue;
      values.push(Buffer.from(a.memory.buffer, a.arenaPtr + desc[i * 6 + 3]!, desc[i * 6 + 4]!).toString("utf8"));
    }
    expect(values).toEqual(["café €", "%zz\uFFFD\uFFFD", "😀", "A"]);
  });
});
