import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArrayFieldSink } from "../../src/request/array-field-sink.js";
import { addressFromForwardedFor, cleanAddress } from "../../src/request/client-ip.js";
import { emitCookies } from "../../src/request/cookies.js";
import { extractRequestSync } from "../../src/request/extract.js";
import { normalizeRequestPath, removeDotSegments } from "../../src/request/path-normalize.js";
import { percentDecode } from "../../src/request/percent-decode.js";
import { requestTargetOf } from "../../src/request/request-target.js";
import { extractSync } from "./helpers.js";

describe("request target (raw URI) per platform", () => {
  const table: Array<[string, string]> = [
    ["/a?b=c", "/a?b=c"],
    ["/a/../b?x=%zz#not-a-fragment-on-the-wire", "/a/../b?x=%zz#not-a-fragment-on-the-wire"],
    ["http://h.example/a/b?c=d#frag", "/a/b?c=d"],
    ["https://h.example", "/"],
    ["https://h.example?x=1", "/?x=1"],
    ["https://user:pw@h.example:8443/p", "/p"],
    ["*", "*"],
    ["a?u=http://evil/", "a?u=http://evil/"],
  ];
  for (const [url, target] of table) {
    it(`${url} → ${target}`, () => expect(requestTargetOf(url)).toBe(target));
  }

  it("a Web Request's URL is already normalised by the platform; we keep what it gives", () => {
    const req = new Request("http://x.test/a/../b/ c?q=<x>#f");
    expect(requestTargetOf(req.url)).toBe("/b/%20c?q=%3Cx%3E");
  });
});

describe("path normalisation", () => {
  const table: Array<[string, string]> = [
    ["/a/b/c", "/a/b/c"],
    ["/a/./b/../c", "/a/c"],
    ["/a/..", "/"],
    ["/../../etc/passwd", "/etc/passwd"],
    ["/static/..%2f..%2fetc/passwd", "/etc/passwd"],
    ["/a/%2e%2e/b", "/b"],
    ["/a/.", "/a/"],
    ["/a//b/", "/a//b/"],
    ["/a\\..\\b", "/a\\..\\b"],
    ["/caf%C3%A9", "/café"],
    ["/bad%zz/%ff", "/bad%zz/\uFFFD"],
    ["/a+b", "/a+b"],
    ["/.hidden/x", "/.hidden/x"],
  ];
  for (const [raw, expected] of table) {
    it(`${raw} → ${expected}`, () => expect(normalizeRequestPath(raw)).toBe(expected));
  }

  it("never throws and never leaves a . or .. segment", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", ".", "..", "", "%2e", "%2f", "b%zz"), { maxLength: 12 }), (segs) => {
        const out = normalizeRequestPath("/" + segs.join("/"));
        const parts = out.split("/");
        expect(parts.includes(".") || parts.includes("..")).toBe(false);
        expect(out.startsWith("/")).toBe(true);
      }),
    );
    expect(removeDotSegments("a/../../b")).toBe("b");
  });

  it("returns a path without `%` and without a `.` segment start as it is, and only such a path unchanged by the decoder", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("/", ".", "a", "%", "%2e", "+", "b.c"), { maxLength: 12 }), (parts) => {
        const raw = parts.join("");
        const plain = !raw.includes("%") && !raw.startsWith(".") && !raw.includes("/.");
        if (plain) expect(normalizeRequestPath(raw)).toBe(raw);
        else expect(normalizeRequestPath(raw)).toBe(removeDotSegments(percentDecode(raw, false)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("cookies", () => {
  const table: Array<[string, Array<[string, string]>]> = [
    ["a=1", [["a", "1"]]],
    ["a=1; b=2;c=3", [["a", "1"], ["b", "2"], ["c", "3"]]],
    ['sid="quoted value"; x=""', [["sid", "quoted value"], ["x", ""]]],
    ["nameless; =empty-name; ;; k = v ", [["", "nameless"], ["", "empty-name"], ["k", "v"]]],
    ["a=b=c", [["a", "b=c"]]],
    ["a=%27%20OR%201=1", [["a", "%27%20OR%201=1"]]],
    ["a=1, b=2", [["a", "1, b=2"]]],
    ["", []],
    ["\t a=1\t", [["a", "1"]]],
  ];
  for (const [header, expected] of table) {
    it(JSON.stringify(header), () => {
      const sink = new ArrayFieldSink();
      expect(emitCookies(header, 8, sink)).toBe(true);
      expect(sink.pairs("cookie")).toEqual(expected);
    });
  }
  it("never throws on arbitrary headers", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const sink = new ArrayFieldSink();
        emitCookies(s, 8, sink);
        for (const f of sink.fields) expect(f.value.length).toBeLessThanOrEqual(s.length);
      }),
    );
  });

  it("splits as a per-pair reference does (the `=` search is shared across pairs)", () => {
    const trim = (x: string) => x.replace(/^[ \t]+|[ \t]+$/g, "");
    const reference = (header: string): Array<[string, string]> => {
      const out: Array<[string, string]> = [];
      for (const pair of header.split(";")) {
        const eq = pair.indexOf("=");
        const name = eq < 0 ? "" : trim(pair.slice(0, eq));
        let value = trim(eq < 0 ? pair : pair.slice(eq + 1));
        if (eq < 0 && value === "") continue;
        if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
        out.push([name, value]);
      }
      return out;
    };
    const piece = fc.oneof(fc.constantFrom(";", "=", " ", "\t", '"', "a", "bc", "; ", "=="), fc.string({ maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const header = pieces.join("");
        const sink = new ArrayFieldSink();
        emitCookies(header, 8, sink);
        expect(sink.pairs("cookie")).toEqual(reference(header));
      }),
      { numRuns: 3000 },
    );
  });
});

describe("client IP", () => {
  it("strips ports and brackets", () => {
    expect(cleanAddress(" 1.2.3.4:8080 ")).toBe("1.2.3.4");
    expect(cleanAddress("[2001:db8::1]:443")).toBe("2001:db8::1");
    expect(cleanAddress("2001:db8::1")).toBe("2001:db8::1");
    expect(cleanAddress("::ffff:10.0.0.1")).toBe("::ffff:10.0.0.1");
  });
  it("picks the N-th address from the right of x-forwarded-for", () => {
    expect(addressFromForwardedFor("6.6.6.6, 1.1.1.1, 10.0.0.2", 1)).toBe("10.0.0.2");
    expect(addressFromForwardedFor("6.6.6.6, 1.1.1.1, 10.0.0.2", 2)).toBe("1.1.1.1");
    expect(addressFromForwardedFor("6.6.6.6, 1.1.1.1", 5)).toBe("6.6.6.6");
    expect(addressFromForwardedFor(",1.1.1.1", 2)).toBe("");
  });

  const base = { method: "GET", url: "/" };
  const table: Array<[string, object, object, object | undefined, string | undefined]> = [
    ["untrusted forwarding headers are ignored", { "x-forwarded-for": "6.6.6.6", "cf-connecting-ip": "7.7.7.7" }, {}, { remoteAddress: "10.0.0.9" }, "10.0.0.9"],
    ["trusted proxies use x-forwarded-for", { "x-forwarded-for": "6.6.6.6, 1.2.3.4" }, { trustedProxies: 1 }, { remoteAddress: "10.0.0.9" }, "1.2.3.4"],
    ["duplicate x-forwarded-for headers are joined in order", { "x-forwarded-for": ["6.6.6.6", "1.2.3.4"] }, { trustedProxies: 2 }, {}, "6.6.6.6"],
    ["a configured ip header wins", { "cf-connecting-ip": "7.7.7.7", "x-forwarded-for": "1.1.1.1" }, { ipHeader: "CF-Connecting-IP", trustedProxies: 1 }, {}, "7.7.7.7"],
    ["context.ip alias", {}, {}, { ip: "::1" }, "::1"],
    ["no address at all: no field", {}, {}, undefined, undefined],
  ];
  for (const [title, headers, options, context, expected] of table) {
    it(title, () => {
      const { sink } = extractSync({ ...base, headers: headers as Record<string, string> }, options, context);
      expect(sink.values("clientIp")).toEqual(expected === undefined ? [] : [expected]);
    });
  }
  it("a plain request's ip is the peer address", () => {
    const { sink } = extractSync({ ...base, headers: {}, ip: "192.0.2.1" });
    expect(sink.values("clientIp")).toEqual(["192.0.2.1"]);
  });
});

describe("head extraction from a plain object", () => {
  it("emits fields in order with decoded query args and a normalised path", () => {
    const { sink, report } = extractSync(
      {
        method: "GET",
        url: "/shop/../admin/login.php?user=a+b&id=1%27%20OR%201%3D1&id=2&flag&&x=%zz",
        headers: { Host: "h.test", "User-Agent": "ua", Cookie: "sid=abc; theme=dark", "X-Dup": ["1", "2"] },
        protocol: "HTTP/1.1",
      },
      undefined,
      { remoteAddress: "203.0.113.5" },
    );
    expect(sink.fields.map((f) => [f.kindName, f.name, f.value])).toEqual([
      ["method", "", "GET"],
      ["uriRaw", "", "/shop/../admin/login.php?user=a+b&id=1%27%20OR%201%3D1&id=2&flag&&x=%zz"],
      ["path", "", "/admin/login.php"],
      ["basename", "", "login.php"],
      ["queryString", "", "user=a+b&id=1%27%20OR%201%3D1&id=2&flag&&x=%zz"],
      ["queryArg", "user", "a b"],
      ["queryArg", "id", "1' OR 1=1"],
      ["queryArg", "id", "2"],
      ["queryArg", "flag", ""],
      ["queryArg", "x", "%zz"],
      ["protocol", "", "HTTP/1.1"],
      ["header", "host", "h.test"],
      ["header", "user-agent", "ua"],
      ["header", "cookie", "sid=abc; theme=dark"],
      ["cookie", "sid", "abc"],
      ["cookie", "theme", "dark"],
      ["header", "x-dup", "1"],
      ["header", "x-dup", "2"],
      ["clientIp", "", "203.0.113.5"],
    ]);
    expect(report.method).toBe("GET");
    expect(report.path).toBe("/admin/login.php");
    expect(report.parseErrors).toEqual([{ part: "query", message: "invalid percent-encoding (kept literally)" }]);
    expect(report.bodyKind).toBe("none");
  });

  it("accepts headers as pairs and as a Headers object", () => {
    const pairs = extractSync({ method: "GET", url: "/", headers: [["X-A", "1"], ["x-a", "2"]] }).sink;
    expect(pairs.pairs("header")).toEqual([["x-a", "1"], ["x-a", "2"]]);
    const headers = new Headers([["X-A", "1"], ["x-a", "2"], ["Cookie", "a=1"]]);
    const viaHeaders = extractSync({ method: "GET", url: "/", headers }).sink;
    // Headers joins duplicates itself: that is what every fetch-based platform hands us.
    expect(viaHeaders.pairs("header")).toEqual([["cookie", "a=1"], ["x-a", "1, 2"]]);
    expect(viaHeaders.pairs("cookie")).toEqual([["a", "1"]]);
  });

  it("reports invalid percent-encoding and invalid UTF-8 in the path", () => {
    const { sink, report } = extractSync({ method: "GET", url: "/a%zz/%c0%af", headers: {} });
    expect(sink.values("path")).toEqual(["/a%zz/\uFFFD\uFFFD"]);
    expect(sink.values("uriRaw")).toEqual(["/a%zz/%c0%af"]);
    expect(report.parseErrors.map((e) => e.part)).toEqual(["uri", "uri"]);
  });

  it("omits basename for a directory path and queryString when there is no '?'", () => {
    const { sink } = extractSync({ method: "GET", url: "/dir/", headers: {} });
    expect(sink.fields.map((f) => f.kindName)).toEqual(["method", "uriRaw", "path"]);
  });

  it("stops producing fields when the sink refuses and reports it", () => {
    const sink = new ArrayFieldSink(5);
    const report = extractRequestSync({ method: "GET", url: "/a?x=1&y=2&z=3", headers: { a: "1" } }, sink);
    expect(sink.fields.map((f) => f.kindName)).toEqual(["method", "uriRaw", "path", "basename", "queryString"]);
    expect(report.truncated.map((t) => t.limit)).toEqual(["fields"]);
  });

  it("never throws on arbitrary URLs and headers", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 80 }),
        fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ unit: "binary", maxLength: 30 }), { maxKeys: 5 }),
        (url, headers) => {
          const { sink, report } = extractSync({ method: "GET", url, headers }, { trustedProxies: 1 });
          expect(sink.fields[0].kindName).toBe("method");
          expect(report.truncated).toEqual([]);
        },
      ),
    );
  });
});
