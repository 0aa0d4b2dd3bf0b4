import { deflateRawSync, deflateSync, gzipSync, brotliCompressSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ArrayFieldSink } from "../../src/request/array-field-sink.js";
import { bodyEncodingOf } from "../../src/request/body/content-encoding.js";
import { extractRequestMaybeSync, needsBodyRead } from "../../src/request/extract.js";
import { extractAsync, extractSync } from "./helpers.js";

const json = '{"q":"1 UNION SELECT password FROM users"}';
const u8 = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.length);

function compressed(encoding: string, body: Uint8Array, contentType = "application/json") {
  return { method: "POST", url: "/api", headers: { "content-type": contentType, "content-encoding": encoding }, body };
}

describe("compressed request bodies", () => {
  it("recognises encodings", () => {
    expect(bodyEncodingOf("")).toBe("identity");
    expect(bodyEncodingOf(" GZip ")).toBe("gzip");
    expect(bodyEncodingOf("x-gzip")).toBe("gzip");
    expect(bodyEncodingOf("deflate")).toBe("deflate");
    expect(bodyEncodingOf("br")).toBe("unsupported");
    expect(bodyEncodingOf("gzip, gzip")).toBe("unsupported");
  });

  for (const [name, encoding, bytes] of [
    ["gzip", "gzip", u8(gzipSync(json))],
    ["zlib deflate", "deflate", u8(deflateSync(json))],
    ["raw deflate (as some clients send)", "deflate", u8(deflateRawSync(json))],
  ] as const) {
    it(`${name} is decompressed before parsing (body-parser inflates by default)`, async () => {
      const input = compressed(encoding, bytes);
      expect(needsBodyRead(input)).toBe(true);
      expect(extractRequestMaybeSync(input, new ArrayFieldSink())).toBeInstanceOf(Promise);
      const { sink, report } = await extractAsync(input);
      expect(sink.pairs("bodyJson")).toEqual([["q", "1 UNION SELECT password FROM users"]]);
      expect(report.parseErrors).toEqual([]);
    });
  }

  it("synchronous extraction cannot decompress: raw bytes, and the report says why", () => {
    const { sink, report } = extractSync(compressed("gzip", u8(gzipSync(json))));
    expect(sink.pairs("bodyJson")).toEqual([]);
    expect(sink.fields.at(-1)!.kindName).toBe("bodyRaw");
    expect(report.parseErrors.map((e) => e.part)).toEqual(["encoding"]);
    expect(report.bodyKind).toBe("raw");
  });

  it("brotli is not decodable everywhere: raw bytes, reported", async () => {
    const { sink, report } = await extractAsync(compressed("br", u8(brotliCompressSync(json))));
    expect(sink.fields.at(-1)!.kindName).toBe("bodyRaw");
    expect(report.parseErrors[0].message).toContain('content-encoding "br"');
  });

  it("a corrupt body: what decompressed is inspected and the error reported", async () => {
    const good = u8(gzipSync("a=" + "b".repeat(5000)));
    const corrupt = good.slice(0, good.length - 12);
    const { sink, report } = await extractAsync(compressed("gzip", corrupt, "application/x-www-form-urlencoded"));
    expect(report.parseErrors.map((e) => e.part)).toEqual(["encoding"]);
    const value = sink.pairs("bodyForm")[0]?.[1] ?? "";
    expect(value.length).toBeGreaterThan(0);
    expect(/^b*$/.test(value)).toBe(true);
  });

  it("a body declared gzip but not compressed is inspected as sent", async () => {
    const { sink, report } = await extractAsync(compressed("gzip", new TextEncoder().encode(json)));
    expect(sink.pairs("bodyJson")).toEqual([["q", "1 UNION SELECT password FROM users"]]);
    expect(report.parseErrors[0]).toMatchObject({ part: "encoding" });
    expect(report.parseErrors[0].message).toContain("inspected as sent");
  });

  it("a decompression bomb costs at most the limit", async () => {
    const bomb = u8(gzipSync(new Uint8Array(20 * 1024 * 1024)));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const { sink, report } = await extractAsync(compressed("gzip", bomb, "application/octet-stream"), { maxBodyBytes: 4096 });
    expect(report.truncated.map((t) => t.limit)).toEqual(["bodyBytes"]);
    expect(sink.fields.at(-1)!.bytes!.length).toBe(4096);
  });

  it("a compressed body longer than the limit: its start is decompressed and the cut reported", async () => {
    let seed = 1;
    const noise = new Uint8Array(20_000).map(() => (seed = (seed * 1103515245 + 12345) >>> 0) & 0x3f | 0x40);
    const big = u8(gzipSync(noise));
    const { sink, report } = await extractAsync(compressed("gzip", big, "text/plain"), { maxBodyBytes: 1000 });
    expect(report.truncated.map((t) => t.limit)).toEqual(["bodyBytes"]);
    expect(report.parseErrors).toEqual([]);
    const text = sink.values("bodyRaw")[0];
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(1000);
    expect(new TextDecoder().decode(noise).startsWith(text)).toBe(true);
  });

  it("a Web Request with a gzip body: decoded for us, untouched for the app", async () => {
    const bytes = new Uint8Array(gzipSync(json));
    const req = new Request("https://api.test/x", {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: bytes,
    });
    const { sink } = await extractAsync(req);
    expect(sink.pairs("bodyJson")).toEqual([["q", "1 UNION SELECT password FROM users"]]);
    expect(new Uint8Array(await req.arrayBuffer())).toEqual(bytes);
  });
});
