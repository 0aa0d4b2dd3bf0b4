import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArrayFieldSink } from "../../src/request/array-field-sink.js";
import { parseFormFields } from "../../src/request/body/form.js";
import { bodyKindOf, mediaParam } from "../../src/request/body/media-type.js";
import { newReport } from "../../src/request/types.js";
import { extractSync } from "./helpers.js";

function post(contentType: string | undefined, body: string | Uint8Array) {
  return { method: "POST", url: "/api", headers: contentType === undefined ? {} : { "content-type": contentType }, body };
}

function bodyFields(sink: ArrayFieldSink) {
  const head = new Set(["method", "uriRaw", "path", "basename", "header", "clientIp"]);
  return sink.fields.filter((f) => !head.has(f.kindName)).map((f) => [f.kindName, f.name, f.value]);
}

describe("content types", () => {
  const table: Array<[string, string]> = [
    ["application/x-www-form-urlencoded; charset=UTF-8", "form"],
    ["Application/JSON", "json"],
    ["application/vnd.api+json", "json"],
    ["application/csp-report", "raw"],
    ["multipart/form-data; boundary=x", "multipart"],
    ["text/plain", "text"],
    ["text/xml", "xml"],
    ["application/soap+xml", "xml"],
    ["application/octet-stream", "raw"],
    ["", "raw"],
  ];
  for (const [ct, kind] of table) it(`${ct || "(none)"} → ${kind}`, () => expect(bodyKindOf(ct)).toBe(kind));
  it("parameters: quoted, escaped, spaced, absent", () => {
    expect(mediaParam('multipart/form-data; boundary="a\\"b"; charset = latin1', "boundary")).toBe('a"b');
    expect(mediaParam("text/plain; charset = latin1", "charset")).toBe("latin1");
    expect(mediaParam("text/plain; foo; charset=x", "charset")).toBe("x");
    expect(mediaParam("text/plain", "charset")).toBe("");
  });
});

describe("body extraction", () => {
  it("form bodies: pairs as bodyForm, + as space, repeated names kept", () => {
    const { sink, report } = extractSync(post("application/x-www-form-urlencoded", "user=admin&pass=x+y&pass=%27--&bad=%zz"));
    expect(bodyFields(sink)).toEqual([
      ["bodyForm", "user", "admin"],
      ["bodyForm", "pass", "x y"],
      ["bodyForm", "pass", "'--"],
      ["bodyForm", "bad", "%zz"],
    ]);
    expect(report.bodyKind).toBe("form");
    expect(report.parseErrors).toEqual([{ part: "form", message: "invalid percent-encoding (kept literally)" }]);
  });

  it("JSON bodies: keys and leaves; malformed ones also as raw text, with the error reported", () => {
    const ok = extractSync(post("application/json", '{"q":"<x>"}'));
    expect(bodyFields(ok.sink)).toEqual([["jsonKey", "q", "q"], ["bodyJson", "q", "<x>"]]);
    const bad = extractSync(post("application/json", '{"q":"<x>",}'));
    expect(bodyFields(bad.sink)).toEqual([["jsonKey", "q", "q"], ["bodyJson", "q", "<x>"], ["bodyRaw", "", '{"q":"<x>",}']]);
    expect(bad.report.parseErrors.map((e) => e.part)).toEqual(["json"]);
    expect(bad.report.bodyKind).toBe("json");
  });

  it("broken multipart is inspected as raw text and reported", () => {
    const { sink, report } = extractSync(post("multipart/form-data; boundary=zzz", "a=1' OR '1'='1"));
    expect(bodyFields(sink)).toEqual([["bodyRaw", "", "a=1' OR '1'='1"]]);
    expect(report.parseErrors).toEqual([{ part: "multipart", message: "boundary not found in body" }]);
  });

  it("text and XML as raw text; unknown types as raw bytes", () => {
    expect(bodyFields(extractSync(post("text/xml", "<a>&xxe;</a>")).sink)).toEqual([["bodyRaw", "", "<a>&xxe;</a>"]]);
    const bytes = new Uint8Array([0, 1, 2, 255]);
    const raw = extractSync(post("application/octet-stream", bytes)).sink.fields.at(-1)!;
    expect(raw.kindName).toBe("bodyRaw");
    expect(raw.bytes).toEqual(bytes);
  });

  it("sniffs JSON in bodies typed otherwise (apps call req.json() anyway), keeping the raw text", () => {
    const { sink, report } = extractSync(post("text/plain", '{"cmd":"; cat /etc/passwd"}'));
    expect(bodyFields(sink)).toEqual([
      ["jsonKey", "cmd", "cmd"],
      ["bodyJson", "cmd", "; cat /etc/passwd"],
      ["bodyRaw", "", '{"cmd":"; cat /etc/passwd"}'],
    ]);
    expect(report.parseErrors).toEqual([]);
    const untyped = extractSync(post(undefined, new TextEncoder().encode('[1, "x"]'))).sink;
    expect(bodyFields(untyped).map((f) => f[0])).toEqual(["bodyJson", "bodyJson", "bodyRaw"]);
    const off = extractSync(post("text/plain", '{"a":1}'), { sniffJson: false }).sink;
    expect(bodyFields(off)).toEqual([["bodyRaw", "", '{"a":1}']]);
  });

  it("sniffs JSON sent as a form or as a broken multipart body", () => {
    const form = extractSync(post("application/x-www-form-urlencoded", '{"q":"<svg onload=1>"}')).sink;
    expect(bodyFields(form)).toEqual([
      ["bodyForm", '{"q":"<svg onload', '1>"}'],
      ["jsonKey", "q", "q"],
      ["bodyJson", "q", "<svg onload=1>"],
      ["bodyRaw", "", '{"q":"<svg onload=1>"}'],
    ]);
    const mp = extractSync(post("multipart/form-data; boundary=x", '[{"cmd":"id"}]'));
    expect(bodyFields(mp.sink)).toEqual([
      ["jsonKey", "[0].cmd", "cmd"],
      ["bodyJson", "[0].cmd", "id"],
      ["bodyRaw", "", '[{"cmd":"id"}]'],
    ]);
    expect(mp.report.parseErrors.map((e) => e.part)).toEqual(["multipart"]);
  });

  it("a UTF-8 byte order mark does not hide a JSON body", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"a":"b"}')]);
    const fromBytes = extractSync(post("application/json", bytes));
    expect(bodyFields(fromBytes.sink)).toEqual([["jsonKey", "a", "a"], ["bodyJson", "a", "b"]]);
    expect(fromBytes.report.parseErrors).toEqual([]);
    const fromString = extractSync(post("application/json", '\uFEFF{"a":"b"}'));
    expect(bodyFields(fromString.sink)).toEqual([["jsonKey", "a", "a"], ["bodyJson", "a", "b"]]);
  });

  it("alwaysEmitRawBody adds the raw text to parsed bodies", () => {
    const { sink } = extractSync(post("application/json", '{"a":1}'), { alwaysEmitRawBody: true });
    expect(bodyFields(sink).at(-1)).toEqual(["bodyRaw", "", '{"a":1}']);
  });

  it("invalid UTF-8 is replaced and reported; other charsets are decoded", () => {
    const invalid = extractSync(post("text/plain", new Uint8Array([0x61, 0xc0, 0xaf, 0x62])));
    expect(bodyFields(invalid.sink)).toEqual([["bodyRaw", "", "a\uFFFD\uFFFDb"]]);
    expect(invalid.report.parseErrors.map((e) => e.part)).toEqual(["charset"]);
    const latin1 = extractSync(post("text/plain; charset=iso-8859-1", new Uint8Array([0x63, 0x61, 0x66, 0xe9])));
    expect(bodyFields(latin1.sink)).toEqual([["bodyRaw", "", "café"]]);
    const unknown = extractSync(post("text/plain; charset=x-klingon", new TextEncoder().encode("abc")));
    expect(unknown.report.parseErrors[0]).toMatchObject({ part: "charset" });
  });

  it("a body over maxBodyBytes is inspected up to the limit and reported, with no spurious parse error", () => {
    const json = JSON.stringify({ a: "x".repeat(50), b: "y".repeat(50) });
    const { sink, report } = extractSync(post("application/json", json), { maxBodyBytes: 60 });
    expect(report.truncated.map((t) => t.limit)).toEqual(["bodyBytes"]);
    expect(report.parseErrors).toEqual([]);
    expect(bodyFields(sink)).toEqual([["jsonKey", "a", "a"], ["bodyJson", "a", "x".repeat(50)]]);

    // Byte 8 is inside the second "é": the cut moves back to the character's start.
    const form = extractSync(post("application/x-www-form-urlencoded", "a=é&".repeat(20)), { maxBodyBytes: 8 });
    expect(form.report.truncated.map((t) => t.limit)).toEqual(["bodyBytes"]);
    expect(form.report.parseErrors).toEqual([]);
    expect(bodyFields(form.sink)).toEqual([["bodyForm", "a", "é"], ["bodyForm", "a", ""]]);

    const raw = extractSync(post("application/octet-stream", new Uint8Array(100)), { maxBodyBytes: 10 });
    expect(raw.sink.fields.at(-1)!.bytes!.length).toBe(10);
  });

  it("an empty body produces no body field", () => {
    const { sink, report } = extractSync(post("application/json", ""));
    expect(bodyFields(sink)).toEqual([]);
    expect(report.bodyKind).toBe("none");
  });

  it("context.body takes precedence over the request's own body", () => {
    const { sink } = extractSync(post("application/json", '{"a":1}'), undefined, { body: '{"b":2}' });
    expect(bodyFields(sink)).toEqual([["jsonKey", "b", "b"], ["bodyJson", "b", "2"]]);
  });
});

describe("a body a framework already parsed (context.parsedBody)", () => {
  const req = (contentType: string) => ({ method: "POST", url: "/api", headers: { "content-type": contentType } });

  it("JSON: keys and leaves with paths, like the tokenizer", () => {
    const { sink, report } = extractSync(req("application/json"), undefined, {
      parsedBody: { user: { roles: ["admin", 7] }, ok: true, none: null },
    });
    expect(bodyFields(sink)).toEqual([
      ["jsonKey", "user", "user"],
      ["jsonKey", "user.roles", "roles"],
      ["bodyJson", "user.roles[0]", "admin"],
      ["bodyJson", "user.roles[1]", "7"],
      ["jsonKey", "ok", "ok"],
      ["bodyJson", "ok", "true"],
      ["jsonKey", "none", "none"],
      ["bodyJson", "none", "null"],
    ]);
    expect(report.bodyKind).toBe("json");
  });

  it("a urlencoded form parsed with nesting (qs / express extended) as form fields by path", () => {
    const { sink } = extractSync(req("application/x-www-form-urlencoded"), undefined, { parsedBody: { a: { b: ["1' OR 1=1"] }, c: "x" } });
    expect(bodyFields(sink)).toEqual([
      ["bodyForm", "a.b[0]", "1' OR 1=1"],
      ["bodyForm", "c", "x"],
    ]);
  });

  it("a raw body, when there is one, wins over the parsed one", () => {
    const { sink } = extractSync({ ...req("application/json"), body: '{"raw":1}' }, undefined, { parsedBody: { parsed: 1 } });
    expect(sink.pairs("jsonKey")).toEqual([["raw", "raw"]]);
  });

  it("depth-bounded, so a cyclic object terminates", () => {
    const cyclic: Record<string, unknown> = { name: "x" };
    cyclic.self = cyclic;
    const { sink, report } = extractSync(req("application/json"), { maxJsonDepth: 3 }, { parsedBody: cyclic });
    expect(sink.pairs("bodyJson")).toEqual([["name", "x"], ["self.name", "x"], ["self.self.name", "x"]]);
    expect(report.truncated.map((t) => t.limit)).toEqual(["jsonDepth"]);
  });
});

describe("whole-body properties", () => {
  it("arbitrary bytes under every content type never throw and respect maxBodyBytes", () => {
    const contentType = fc.constantFrom(
      "application/json",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=b",
      "text/plain",
      "text/xml; charset=iso-8859-1",
      "application/octet-stream",
      "text/plain; charset=nonsense",
    );
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.array(fc.constantFrom("{", "}", "[", "]", '"a"', ":", ",", "1", "--b", "\r\n", "=", "&", "%", "%c3", "é", "\\u12"), { maxLength: 40 }).map((a) => a.join("")),
    );
    fc.assert(
      fc.property(contentType, body, fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 3 }), (ct, b, max, depth) => {
        const { sink, report } = extractSync(post(ct, b), { maxBodyBytes: max, maxJsonDepth: depth, maxMultipartParts: 2 });
        const bodyBytes = typeof b === "string" ? new TextEncoder().encode(b).length : b.length;
        expect(report.truncated.some((t) => t.limit === "bodyBytes")).toBe(bodyBytes > max);
        for (const f of sink.fields) {
          // Decoding never yields more UTF-16 units than bytes (an invalid byte becomes one U+FFFD).
          if (f.kindName === "bodyRaw") expect(f.bytes ? f.bytes.length : f.value.length).toBeLessThanOrEqual(max);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe("form parser properties", () => {
  it("never throws and every emitted name/value is no longer than the input", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 80 }), (s) => {
        const sink = new ArrayFieldSink();
        expect(parseFormFields(s, sink, newReport())).toBe(true);
        for (const f of sink.fields) expect(f.name.length + f.value.length).toBeLessThanOrEqual(s.length);
      }),
      { numRuns: 2000 },
    );
  });

  it("agrees with URLSearchParams on well-formed input", () => {
    const part = fc.oneof(fc.string({ unit: "grapheme-ascii", maxLength: 6 }), fc.constantFrom("%41", "%C3%A9", "+", "=", "&"));
    fc.assert(
      fc.property(fc.array(part, { maxLength: 12 }), (parts) => {
        const s = parts.join("");
        // URLSearchParams also strips a leading "?" (a URL-parsing convenience, not form syntax).
        if (/%(?![0-9a-fA-F]{2})/.test(s) || s.startsWith("?")) return;
        const sink = new ArrayFieldSink();
        parseFormFields(s, sink, newReport());
        expect(sink.pairs("bodyForm")).toEqual([...new URLSearchParams(s)]);
      }),
      { numRuns: 2000 },
    );
  });

  it("hostile shapes: many empty pairs before one '=', many '=' in one value", () => {
    const sink = new ArrayFieldSink();
    parseFormFields("&".repeat(200_000) + "a=%41", sink, newReport());
    expect(sink.pairs("bodyForm")).toEqual([["a", "A"]]);
    const sink2 = new ArrayFieldSink();
    parseFormFields("k=" + "=".repeat(100_000) + "&x+y=1%2", sink2, newReport());
    expect(sink2.pairs("bodyForm")).toEqual([["k", "=".repeat(100_000)], ["x y", "1%2"]]);
  });

  it("stops at the sink's field limit", () => {
    const sink = new ArrayFieldSink(3);
    expect(parseFormFields("a=1&b=2&c=3&d=4", sink, newReport())).toBe(false);
    expect(sink.fields).toHaveLength(3);
  });
});
