/**
 * ArenaWriter batches fields into one encodeInto call (src/engine/arena-writer.ts). Batching
 * must be invisible: for any sequence of fields and any limits, the arena bytes, descriptors,
 * return values and truncation reports equal those of the straightforward per-field writer
 * below (the implementation before batching, kept verbatim as the reference).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DESC_SIZE, FIELD_FLAG_TRUNCATED, FieldKind } from "../src/engine/abi.js";
import { ArenaWriter, kindLabel, type ArenaLimits, type Truncation } from "../src/engine/arena-writer.js";
import { DECODE_INVALID_ESCAPE, DECODE_INVALID_UTF8, percentDecode, takeDecodeFlags } from "../src/request/percent-decode.js";
import { arenaEngine } from "./support/wasm.js";

// ---- reference: one write per name and value, limits checked per field ----
const encoder = new TextEncoder();

class ReferenceWriter {
  /** Number of fields written for the current request. */
  count = 0;
  /** The request's method and decoded path, seen as they pass (for per-route policies). */
  method = "";
  path = "";
  clientIp = "";
  truncations: Truncation[] = [];
  offset = 0;
  /** The current field's name, written by begin(). */
  private nameOff = 0;
  private nameLen = 0;
  private bytes!: Uint8Array;
  private desc!: Uint32Array;
  private readonly capacity: number;
  private full = false;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly arenaPtr: number,
    private readonly descPtr: number,
    private readonly limits: ArenaLimits,
  ) {
    this.capacity = limits.maxTotalBytes;
    this.refreshViews();
  }

  /** Starts a new request. Views are refreshed if Wasm memory grew since the last one. */
  reset(): void {
    this.count = 0;
    this.method = "";
    this.path = "";
    this.clientIp = "";
    this.offset = 0;
    this.full = false;
    if (this.truncations.length > 0) this.truncations = [];
    if (this.bytes.buffer !== this.memory.buffer) this.refreshViews();
  }

  /** The byte view of Wasm memory at the arena (offsets are relative to the arena). */
  arenaView(): Uint8Array {
    return this.bytes.subarray(this.arenaPtr, this.arenaPtr + this.capacity);
  }

  add(kind: number, name: string, value: string): boolean {
    if (!this.begin(kind, name)) return false;
    if (kind === FieldKind.method) this.method = value;
    else if (kind === FieldKind.path) this.path = value;
    else if (kind === FieldKind.clientIp) this.clientIp = value;
    const valueOff = this.offset;
    const room = Math.min(this.valueLimit(kind), this.capacity - this.offset);
    const valueLen = this.writeString(value, room);
    this.offset += valueLen;
    // encodeInto stops early only when out of room (at most 3 bytes short): measure only then.
    const cut = room - valueLen < 4 && utf8Length(value) > valueLen;
    return this.finish(kind, name, valueOff, valueLen, cut);
  }

  /**
   * A byte string (each character one byte), as Node and fetch hand over header values:
   * written byte for byte, so the rules see exactly what the client sent.
   */
  addLatin1(kind: number, name: string, value: string): boolean {
    if (!this.begin(kind, name)) return false;
    const valueOff = this.offset;
    const valueLen = Math.min(value.length, this.valueLimit(kind), this.capacity - this.offset);
    const bytes = this.bytes;
    const base = this.arenaPtr + valueOff;
    for (let i = 0; i < valueLen; i++) bytes[base + i] = value.charCodeAt(i) & 0xff;
    this.offset += valueLen;
    return this.finish(kind, name, valueOff, valueLen, valueLen < value.length);
  }

  addBytes(kind: number, name: string, value: Uint8Array): boolean {
    if (!this.begin(kind, name)) return false;
    const valueOff = this.offset;
    const valueLen = Math.min(value.length, this.valueLimit(kind), this.capacity - this.offset);
    this.bytes.set(valueLen === value.length ? value : value.subarray(0, valueLen), this.arenaPtr + valueOff);
    this.offset += valueLen;
    return this.finish(kind, name, valueOff, valueLen, valueLen < value.length);
  }

  /** Records a limit hit by the extractor (body size, JSON depth, multipart parts). */
  note(truncation: Truncation): void {
    this.truncations.push(truncation);
  }

  private valueLimit(kind: number): number {
    return kind === FieldKind.bodyRaw ? this.limits.maxBodyBytes : this.limits.maxFieldBytes;
  }

  /** Checks the field-count and total limits, then writes the name (kept in nameOff/nameLen). */
  private begin(kind: number, name: string): boolean {
    if (this.full) return false;
    if (this.count >= this.limits.maxFields) {
      this.full = true;
      this.truncations.push({ limit: "maxFields", detail: `fields after #${this.count} (${kindLabel(kind)} ${name})` });
      return false;
    }
    if (this.offset >= this.capacity) {
      this.full = true;
      this.truncations.push({ limit: "maxTotalBytes", detail: `fields after #${this.count} (${kindLabel(kind)} ${name})` });
      return false;
    }
    this.nameOff = this.offset;
    this.nameLen = this.writeString(name, Math.min(this.limits.maxFieldBytes, this.capacity - this.offset));
    this.offset += this.nameLen;
    return true;
  }

  private finish(kind: number, name: string, valueOff: number, valueLen: number, cut: boolean): boolean {
    let flags = 0;
    if (cut) {
      flags = FIELD_FLAG_TRUNCATED;
      const limit = this.offset >= this.capacity ? "maxTotalBytes" : kind === FieldKind.bodyRaw ? "maxBodyBytes" : "maxFieldBytes";
      this.truncations.push({ limit, detail: `${kindLabel(kind)}${name ? ` ${name}` : ""}` });
    }
    const d = (this.descPtr >> 2) + this.count * (DESC_SIZE >> 2);
    const desc = this.desc;
    desc[d] = kind | flags;
    desc[d + 1] = this.nameOff;
    desc[d + 2] = this.nameLen;
    desc[d + 3] = valueOff;
    desc[d + 4] = valueLen;
    desc[d + 5] = 0;
    this.count++;
    return true;
  }

  /** Writes up to `room` bytes of `s` as UTF-8 at the current offset; returns bytes written. */
  private writeString(s: string, room: number): number {
    const bytes = this.bytes;
    const base = this.arenaPtr + this.offset;
    const n = s.length;
    // Short strings: a charCodeAt loop beats encodeInto's fixed cost (~50 ns); from a few
    // dozen characters on, encodeInto's bulk copy wins.
    if (n <= room && n <= 32) {
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        bytes[base + i] = c;
      }
      if (i === n) return n;
      return i + encoder.encodeInto(s.slice(i), bytes.subarray(base + i, base + room)).written;
    }
    return encoder.encodeInto(s, bytes.subarray(base, base + room)).written;
  }

  private refreshViews(): void {
    this.bytes = new Uint8Array(this.memory.buffer);
    this.desc = new Uint32Array(this.memory.buffer);
  }
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}


// ---- the comparison ----

type Op =
  | { op: "add"; kind: number; name: string; value: string }
  | { op: "latin1"; kind: number; name: string; value: string }
  | { op: "bytes"; kind: number; name: string; value: Uint8Array }
  /** addUrlEncoded(kind, name, value, start, end); the reference adds percentDecode(value.slice(start, end), true). */
  | { op: "encoded"; kind: number; name: string; value: string; start: number; end: number };

const DESC_PTR = 16;
const ARENA_PTR = 4096;
const MAX_FIELDS = 160; // descriptors fit between DESC_PTR and ARENA_PTR

interface Side {
  memory: WebAssembly.Memory;
  /** Where this side's arena and descriptors are (the engine's for the writer, fixed for the reference). */
  arenaPtr: number;
  descPtr: number;
  writer: { add: (k: number, n: string, v: string) => boolean; addLatin1: (k: number, n: string, v: string) => boolean; addBytes: (k: number, n: string, v: Uint8Array) => boolean; reset(): void; count: number; truncations: Truncation[]; method: string; path: string; clientIp: string };
}

function apply(writer: Side["writer"] | ArenaWriter, o: Op, reference: boolean): boolean {
  switch (o.op) {
    case "add":
      return writer.add(o.kind, o.name, o.value);
    case "latin1":
      return writer.addLatin1(o.kind, o.name, o.value);
    case "bytes":
      return writer.addBytes(o.kind, o.name, o.value);
    case "encoded":
      return reference
        ? writer.add(o.kind, o.name, percentDecode(o.value.slice(o.start, o.end), true))
        : (writer as ArenaWriter).addUrlEncoded(o.kind, o.name, o.value, o.start, o.end);
  }
}

/** The writer on a fresh engine (it decodes form values there), the reference on a bare memory. */
function sides(limits: ArenaLimits): [Side & { writer: ArenaWriter }, Side & { writer: ReferenceWriter }] {
  const pages = Math.ceil((ARENA_PTR + limits.maxTotalBytes) / 65536) + 1;
  const engine = arenaEngine(limits);
  const m2 = new WebAssembly.Memory({ initial: pages, maximum: pages + 8 });
  return [
    { memory: engine.memory, arenaPtr: engine.arenaPtr, descPtr: engine.descPtr, writer: new ArenaWriter(engine.host, limits) },
    { memory: m2, arenaPtr: ARENA_PTR, descPtr: DESC_PTR, writer: new ReferenceWriter(m2, ARENA_PTR, DESC_PTR, limits) },
  ];
}

/** Runs one request on both writers and checks that everything observable agrees. */
function sameRequest(ops: Op[], actual: Side, expected: Side & { writer: ReferenceWriter }): void {
  actual.writer.reset();
  expected.writer.reset();
  // The reference raises the decode flags as it decodes; the writer by the time flush() returns.
  takeDecodeFlags();
  const e = ops.map((o) => apply(expected.writer, o, true));
  const expectedFlags = takeDecodeFlags();
  const a = ops.map((o) => apply(actual.writer, o, false));
  (actual.writer as ArenaWriter).flush();
  expect(takeDecodeFlags()).toBe(expectedFlags);
  expect(a).toEqual(e);
  const count = actual.writer.count;
  expect(count).toBe(expected.writer.count);
  expect(actual.writer.truncations).toEqual(expected.writer.truncations);
  expect([actual.writer.method, actual.writer.path, actual.writer.clientIp]).toEqual([expected.writer.method, expected.writer.path, expected.writer.clientIp]);
  const words = (count * DESC_SIZE) / 4;
  expect(Array.from(new Uint32Array(actual.memory.buffer, actual.descPtr, words))).toEqual(Array.from(new Uint32Array(expected.memory.buffer, expected.descPtr, words)));
  const used = expected.writer.offset;
  expect(Buffer.from(actual.memory.buffer, actual.arenaPtr, used).toString("hex")).toBe(Buffer.from(expected.memory.buffer, expected.arenaPtr, used).toString("hex"));
}

/** Characters that exercise every encoding path: ASCII, Latin-1, BMP, lone surrogates, astral pairs. */
const char = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0x100, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constantFrom("\ud800", "\udbff", "\udc00", "\udfff") },
  { weight: 1, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)) },
);
const text = fc.oneof(
  { weight: 2, arbitrary: fc.constant("") },
  { weight: 6, arbitrary: fc.array(fc.integer({ min: 0x20, max: 0x7e }), { maxLength: 40 }).map((a) => String.fromCharCode(...a)) },
  { weight: 4, arbitrary: fc.array(char, { maxLength: 40 }).map((a) => a.join("")) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 1500 }), fc.array(char, { maxLength: 3 })).map(([n, tail]) => "x".repeat(n) + tail.join("")) },
);
/** Form-urlencoded text: escapes of any byte (UTF-8 leads, continuations, overlongs, surrogates), invalid `%`, `+`, characters. */
const hex2 = (b: number, upper: boolean) => {
  const h = b.toString(16).padStart(2, "0");
  return upper ? h.toUpperCase() : h;
};
const escapeByte = fc.oneof(
  fc.integer({ min: 0, max: 255 }),
  fc.constantFrom(0x25, 0x2b, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff),
);
const encodedPiece = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(escapeByte, fc.boolean()).map(([b, u]) => "%" + hex2(b, u)) },
  // A character's UTF-8 escaped whole, or only its first bytes (a truncated sequence).
  {
    weight: 3,
    arbitrary: fc.tuple(fc.integer({ min: 0x80, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff), fc.integer({ min: 1, max: 4 }), fc.boolean()).map(([c, keep, u]) =>
      Array.from(encoder.encode(String.fromCodePoint(c)).slice(0, keep), (b) => "%" + hex2(b, u)).join(""),
    ),
  },
  // Encoded surrogates and overlongs.
  { weight: 1, arbitrary: fc.constantFrom("%ed%a0%80", "%ED%BF%BF", "%c0%ae", "%e0%80%af", "%f0%80%80%af", "%f4%90%80%80", "%c0", "%e2%82", "%f0%9f%98") },
  { weight: 2, arbitrary: fc.constantFrom("%", "%z", "%4", "%%", "%g1", "%1", "%%41", "%u0041", "+", "++", "%2B", "%25") },
  { weight: 5, arbitrary: char },
  // A long run without `%` (the engine's decoder copies such runs 16 bytes a step).
  { weight: 1, arbitrary: fc.integer({ min: 25, max: 100 }).map((n) => "0123456789abcdef+".repeat(7).slice(0, n).replace(/[+]/g, (c) => (n % 3 === 0 ? c : "-"))) },
);
const encoded = fc
  .tuple(
    fc.oneof(
      { weight: 5, arbitrary: fc.array(encodedPiece, { maxLength: 30 }).map((a) => a.join("")) },
      { weight: 1, arbitrary: fc.tuple(fc.array(encodedPiece, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 120 })).map(([a, n]) => a.join("").repeat(n)) },
    ),
    fc.nat(),
    fc.nat(),
  )
  .map(([value, x, y]) => {
    // A range of the string: its ends may fall inside an escape or a surrogate pair.
    const a = x % (value.length + 1);
    const b = y % (value.length + 1);
    return { value, start: Math.min(a, b), end: Math.max(a, b) };
  });
const kind = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 17 }) }, { weight: 1, arbitrary: fc.constant(FieldKind.bodyRaw) });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant("add" as const), kind, name: text, value: text }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("latin1" as const), kind, name: text, value: text }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("bytes" as const), kind, name: text, value: fc.uint8Array({ maxLength: 200 }) }) },
  { weight: 4, arbitrary: fc.tuple(kind, text, encoded).map(([k, name, e]): Op => ({ op: "encoded", kind: k, name, ...e })) },
);
const limits: fc.Arbitrary<ArenaLimits> = fc.record({
  maxFields: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constant(MAX_FIELDS)),
  maxFieldBytes: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constant(1 << 16)),
  maxBodyBytes: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constant(1 << 16)),
  maxTotalBytes: fc.oneof(fc.integer({ min: 0, max: 800 }), fc.constant(1 << 16)),
});

describe("ArenaWriter", () => {
  it("writes the same bytes, descriptors and truncations as the per-field reference", () => {
    fc.assert(
      fc.property(limits, fc.array(fc.array(op, { maxLength: 60 }), { minLength: 1, maxLength: 3 }), fc.boolean(), (lim, requests, grow) => {
        const [actual, expected] = sides(lim);
        for (const ops of requests) {
          sameRequest(ops, actual, expected);
          if (grow) {
            // Growing detaches the old buffer: the next reset() must pick up the new one.
            actual.memory.grow(1);
            expected.memory.grow(1);
          }
        }
      }),
      { numRuns: 1500 },
    );
  });

  it("writes a batch of many fields holding non-ASCII text like the reference (the passes that search ahead)", () => {
    const lim = { maxFields: MAX_FIELDS, maxFieldBytes: 1 << 16, maxBodyBytes: 1 << 16, maxTotalBytes: 1 << 16 };
    const word = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom("", "a", "name", "x-custom-header", "0123456789abcdef0123456789") },
      { weight: 1, arbitrary: fc.constantFrom("é", "Jos\u00c3\u00a9", "€", "😀", "\ud800", "a\udc00b", "n°1") },
    );
    const field = fc.record({ op: fc.constantFrom("add" as const, "latin1" as const), kind: fc.integer({ min: 6, max: 13 }), name: word, value: fc.array(word, { maxLength: 4 }).map((a) => a.join("")) });
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 80 }), (ops) => {
        const [actual, expected] = sides(lim);
        sameRequest(ops, actual, expected);
      }),
      { numRuns: 500 },
    );
  });

  it("decodes percent-encoded values in place like percentDecode, flags included", () => {
    const lim = { maxFields: MAX_FIELDS, maxFieldBytes: 1 << 16, maxBodyBytes: 1 << 16, maxTotalBytes: 1 << 16 };
    const [actual, expected] = sides(lim);
    const q = "a=caf%C3%A9+%E2%82%AC&b=%zz%c0%ae+x&c=%F0%9F%98%80%ed%a0%80&d=%e2%82";
    /** Each pair's value range in q. */
    const ranges = q.split("&").map((pair) => [q.indexOf(pair) + 2, q.indexOf(pair) + pair.length] as const);
    const ops: Op[] = ranges.map(([start, end], i) => ({ op: "encoded", kind: FieldKind.queryArg, name: "abcd"[i]!, value: q, start, end }));
    ops.splice(2, 0, { op: "latin1", kind: FieldKind.header, name: "h", value: "Jos\u00c3\u00a9" });
    sameRequest(ops, actual, expected);
    const words = new Uint32Array(actual.memory.buffer, actual.descPtr, 5 * 6);
    const value = (f: number) => Buffer.from(actual.memory.buffer, actual.arenaPtr + words[f * 6 + 3]!, words[f * 6 + 4]!).toString("utf8");
    expect([value(0), value(1), value(3), value(4)]).toEqual(["café €", "%zz\uFFFD\uFFFD x", "😀\uFFFD\uFFFD\uFFFD", "\uFFFD"]);
    actual.writer.reset();
    actual.writer.addUrlEncoded(FieldKind.queryArg, "b", q, ranges[1]![0], ranges[1]![1]);
    actual.writer.flush();
    expect(takeDecodeFlags()).toBe(DECODE_INVALID_ESCAPE | DECODE_INVALID_UTF8);
  });

  it("batches a plain ASCII request and encodes it when the count is read", () => {
    const lim = { maxFields: MAX_FIELDS, maxFieldBytes: 1 << 16, maxBodyBytes: 1 << 16, maxTotalBytes: 1 << 16 };
    const [actual, expected] = sides(lim);
    const ops: Op[] = [
      { op: "add", kind: FieldKind.method, name: "", value: "GET" },
      { op: "add", kind: FieldKind.path, name: "", value: "/products/shoes" },
      { op: "add", kind: FieldKind.queryArg, name: "color", value: "red" },
      { op: "latin1", kind: FieldKind.header, name: "user-agent", value: "Mozilla/5.0 (X11; Linux x86_64)" },
      { op: "latin1", kind: FieldKind.cookie, name: "session", value: "3f9a1c0e" },
    ];
    sameRequest(ops, actual, expected);
    expect(actual.writer.method).toBe("GET");
    expect(actual.writer.path).toBe("/products/shoes");
  });

  it("keeps a header byte string's bytes and a name's UTF-8 apart in one batch", () => {
    const lim = { maxFields: MAX_FIELDS, maxFieldBytes: 1 << 16, maxBodyBytes: 1 << 16, maxTotalBytes: 1 << 16 };
    const [actual, expected] = sides(lim);
    sameRequest(
      [
        { op: "add", kind: FieldKind.queryArg, name: "q", value: "José" },
        // "é" as fetch hands it over: the UTF-8 bytes C3 A9 as two characters.
        { op: "latin1", kind: FieldKind.header, name: "x-name", value: "Jos\u00c3\u00a9" },
        // A surrogate pair split between a name and its value stays two U+FFFD.
        { op: "add", kind: FieldKind.queryArg, name: "a\ud83d", value: "\ude00b" },
      ],
      actual,
      expected,
    );
    const arena = new Uint8Array(actual.memory.buffer, actual.arenaPtr, 64);
    const text = Buffer.from(arena).toString("latin1");
    expect(text).toContain("qJos\u00c3\u00a9x-nameJos\u00c3\u00a9a\u00ef\u00bf\u00bd\u00ef\u00bf\u00bdb");
  });

  it("reports a refused field and a cut value like the reference", () => {
    const lim = { maxFields: 3, maxFieldBytes: 8, maxBodyBytes: 8, maxTotalBytes: 1 << 16 };
    const [actual, expected] = sides(lim);
    sameRequest(
      [
        { op: "add", kind: FieldKind.queryArg, name: "a", value: "b" },
        { op: "add", kind: FieldKind.queryArg, name: "long", value: "0123456789abc" },
        { op: "latin1", kind: FieldKind.header, name: "h", value: "v" },
        { op: "add", kind: FieldKind.queryArg, name: "late", value: "x" },
      ],
      actual,
      expected,
    );
    expect(actual.writer.truncations.map((t) => t.limit)).toEqual(["maxFieldBytes", "maxFields"]);
    const desc = new Uint32Array(actual.memory.buffer, actual.descPtr, 18);
    expect(desc[6]! & FIELD_FLAG_TRUNCATED).toBe(FIELD_FLAG_TRUNCATED);
    expect(kindLabel(FieldKind.queryArg)).toBe("query arg");
  });

  it("reports a cut after lone high surrogates (each encodes as U+FFFD, 3 bytes, not half of a 4-byte pair)", () => {
    // "\ud800一\ud800一" is 12 bytes of UTF-8; 11 fit. Counting each lone surrogate and the
    // character after it as one 4-byte pair gave 8 ≤ 9 written bytes: a silent cut.
    const [actual] = sides({ maxFields: 4, maxFieldBytes: 11, maxBodyBytes: 11, maxTotalBytes: 1 << 16 });
    actual.writer.reset();
    actual.writer.add(FieldKind.queryArg, "q", "\ud800\u4e00\ud800\u4e00");
    expect(actual.writer.count).toBe(1);
    expect(actual.writer.truncations.map((t) => t.limit)).toEqual(["maxFieldBytes"]);
  });
});
