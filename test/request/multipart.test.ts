import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArrayFieldSink } from "../../src/request/array-field-sink.js";
import {
  MULTIPART_MALFORMED,
  MULTIPART_OK,
  parseContentDisposition,
  parseMultipart,
} from "../../src/request/body/multipart.js";
import { newReport, resolveExtractOptions, type ExtractOptions } from "../../src/request/types.js";

const enc = new TextEncoder();

function parse(body: string | Uint8Array, contentType: string, options: ExtractOptions = {}) {
  const sink = new ArrayFieldSink();
  const report = newReport();
  const result = parseMultipart(typeof body === "string" ? enc.encode(body) : body, contentType, sink, resolveExtractOptions(options), report);
  return { result, report, sink, fields: sink.fields.map((f) => [f.kindName, f.name, f.value]) };
}

const CT = "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW";
const B = "------WebKitFormBoundary7MA4YWxkTrZu0gW";

function build(parts: Array<{ headers: string[]; content: string }>, eol = "\r\n", close = true): string {
  let s = "";
  for (const p of parts) s += `${B}${eol}${p.headers.join(eol)}${eol}${eol}${p.content}${eol}`;
  return close ? s + `${B}--${eol}` : s;
}

describe("multipart/form-data", () => {
  it("emits fields, filenames and part headers", () => {
    const body = build([
      { headers: ['Content-Disposition: form-data; name="title"'], content: "hello\r\nworld" },
      { headers: ['Content-Disposition: form-data; name="upload"; filename="shell.php"', "Content-Type: application/x-php"], content: "<?php system($_GET[c]); ?>" },
      { headers: ['content-disposition: form-data; name="empty"'], content: "" },
    ]);
    const { result, fields, report } = parse(body, CT);
    expect(result.outcome).toBe(MULTIPART_OK);
    expect(result.parts).toBe(3);
    expect(fields).toEqual([
      ["multipartHeader", "content-disposition", 'form-data; name="title"'],
      ["multipartField", "title", "hello\r\nworld"],
      ["multipartHeader", "content-disposition", 'form-data; name="upload"; filename="shell.php"'],
      ["multipartHeader", "content-type", "application/x-php"],
      ["multipartFilename", "upload", "shell.php"],
      ["multipartHeader", "content-disposition", 'form-data; name="empty"'],
      ["multipartField", "empty", ""],
    ]);
    expect(report.truncated).toEqual([]);
  });

  it("inspects file contents only up to maxMultipartFileBytes, as a sub-view", () => {
    const body = build([{ headers: ['Content-Disposition: form-data; name="f"; filename="a.bin"'], content: "0123456789" }]);
    expect(parse(body, CT).fields.map((f) => f[0])).not.toContain("multipartField");
    const { fields, report } = parse(body, CT, { maxMultipartFileBytes: 4 });
    expect(fields.at(-1)).toEqual(["multipartField", "f", "0123"]);
    expect(report.truncated.map((t) => t.limit)).toEqual(["multipartFileBytes"]);
  });

  it("tolerates a preamble, bare LF line ends, padding after boundaries and a quoted boundary", () => {
    const body = "preamble text\n" + build([{ headers: ['Content-Disposition: form-data; name="a"'], content: "1" }], "\n").replace(`${B}\n`, `${B}  \n`);
    const { result, fields } = parse(body, 'multipart/form-data; boundary="----WebKitFormBoundary7MA4YWxkTrZu0gW"');
    expect(result.outcome).toBe(MULTIPART_OK);
    expect(fields.at(-1)).toEqual(["multipartField", "a", "1"]);
  });

  it("prefers filename* (RFC 5987) and keeps odd filenames as sent", () => {
    expect(parseContentDisposition(`form-data; name="f"; filename="plain.txt"; filename*=UTF-8''%C3%A9t%C3%A9.php`)).toEqual({ name: "f", filename: "été.php" });
    expect(parseContentDisposition('form-data; name="f"; filename="..\\\\..\\\\x.php"')).toEqual({ name: "f", filename: "..\\..\\x.php" });
    expect(parseContentDisposition('form-data; name="f"; filename=""')).toEqual({ name: "f", filename: "" });
    expect(parseContentDisposition("form-data; filenamex=1; name=a")).toEqual({ name: "a", filename: null });
  });

  const broken: Array<[string, string, string, string, boolean]> = [
    ["no boundary parameter", "--x\r\n\r\nv\r\n--x--", "multipart/form-data", "no boundary parameter", false],
    ["boundary never appears", "just some text", CT, "boundary not found", false],
    ["no closing boundary", `${B}\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue`, CT, "no closing boundary", true],
    ["garbage after a boundary", `${B}garbage\r\n\r\nx\r\n${B}--`, CT, "garbage after a boundary", false],
    ["header block never ends", `${B}\r\nContent-Disposition: form-data; name="a"`, CT, "never ends", true],
  ];
  for (const [title, body, ct, message, atEnd] of broken) {
    it(`broken: ${title}`, () => {
      const { result } = parse(body, ct);
      expect(result.outcome).toBe(MULTIPART_MALFORMED);
      expect(result.message).toContain(message);
      expect(result.atEnd).toBe(atEnd);
    });
  }

  it("keeps the parts parsed before an unterminated one", () => {
    const { fields } = parse(`${B}\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue`, CT);
    expect(fields.at(-1)).toEqual(["multipartField", "a", "value"]);
  });

  it("stops at maxMultipartParts and reports it", () => {
    const parts = Array.from({ length: 5 }, (_, i) => ({ headers: [`Content-Disposition: form-data; name="p${i}"`], content: String(i) }));
    const { result, report, sink } = parse(build(parts), CT, { maxMultipartParts: 3 });
    expect(result.parts).toBe(3);
    expect(sink.pairs("multipartField")).toEqual([["p0", "0"], ["p1", "1"], ["p2", "2"]]);
    expect(report.truncated.map((t) => t.limit)).toEqual(["multipartParts"]);
  });

  it("invalid UTF-8 in many parts is replaced and reported once", () => {
    const bad = "\u00ff"; // as a JS string; encoded below byte by byte to make it invalid UTF-8
    const text = build([1, 2, 3].map((i) => ({ headers: [`Content-Disposition: form-data; name="p${i}"`], content: `x${bad}` })));
    const bytes = Uint8Array.from(text, (ch) => ch.charCodeAt(0) & 0xff);
    const { sink, report } = parse(bytes, CT);
    expect(sink.values("multipartField")).toEqual(["x\uFFFD", "x\uFFFD", "x\uFFFD"]);
    expect(report.parseErrors).toEqual([{ part: "charset", message: "invalid UTF-8 in a multipart field (replaced by U+FFFD)" }]);
  });

  it("rejects an oversized part header block", () => {
    const body = build([{ headers: ["X-Big: " + "a".repeat(200), 'Content-Disposition: form-data; name="a"'], content: "v" }]);
    const { result } = parse(body, CT, { maxMultipartHeaderBytes: 100 });
    expect(result.outcome).toBe(MULTIPART_MALFORMED);
    expect(result.message).toContain("longer than 100 bytes");
  });

  it("round-trips arbitrary fields", () => {
    const text = fc.string({ unit: "grapheme", maxLength: 40 }).filter((s) => !s.includes("WebKitFormBoundary"));
    const name = fc.stringMatching(/^[a-z0-9_]{1,10}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(name, text), { maxLength: 8 }), fc.constantFrom("\r\n", "\n"), (pairs, eol) => {
        const body = build(pairs.map(([n, v]) => ({ headers: [`Content-Disposition: form-data; name="${n}"`], content: v })), eol);
        const { result, sink } = parse(body, CT);
        expect(result.outcome).toBe(MULTIPART_OK);
        // With bare LF line ends a value's own trailing CR is indistinguishable from a CRLF delimiter.
        const expected = eol === "\n" ? pairs.map(([n, v]) => [n, v.endsWith("\r") ? v.slice(0, -1) : v]) : pairs;
        expect(sink.pairs("multipartField")).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on arbitrary bytes and respects the part limit", () => {
    const chunk = fc.oneof(
      fc.uint8Array({ maxLength: 20 }),
      fc.constantFrom("--b", "\r\n", "\n", "--b--", "Content-Disposition: form-data; name=x", ": ", "\r\n\r\n").map((s) => enc.encode(s)),
    );
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 30 }), fc.integer({ min: 0, max: 4 }), (chunks, maxParts) => {
        const body = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
        let at = 0;
        for (const c of chunks) {
          body.set(c, at);
          at += c.length;
        }
        const { result } = parse(body, "multipart/form-data; boundary=b", { maxMultipartParts: maxParts, maxMultipartFileBytes: 3 });
        expect(result.parts).toBeLessThanOrEqual(maxParts);
      }),
      { numRuns: 3000 },
    );
  });
});
