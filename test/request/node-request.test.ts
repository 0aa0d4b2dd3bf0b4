import http, { type IncomingMessage } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArrayFieldSink, type CollectedField } from "../../src/request/array-field-sink.js";
import { extractRequest } from "../../src/request/extract.js";
import type { ExtractOptions, ExtractReport } from "../../src/request/types.js";

/** What the test server saw: the extracted fields, the report, and the body as the app read it afterwards. */
interface Seen {
  fields: Array<[string, string, string]>;
  /** Hex bytes of the fields written as bytes (byte-string header and cookie values). */
  latin1: Array<[string, string, string]>;
  report: ExtractReport;
  appBody: string;
}

type Mode = "stream" | "app-reads-first" | "app-consumed" | "framework-parsed";

let server: http.Server;
let base: string;
let options: ExtractOptions = {};
let mode: Mode = "stream";

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    if (req.url === "/abort") return; // handled by its own test
    const sink = new ArrayFieldSink();
    let report: ExtractReport;
    let appBody: string;
    if (mode === "stream") {
      report = await extractRequest(req, sink, options);
      appBody = await readAll(req); // the app reads the body after inspection
    } else if (mode === "app-reads-first") {
      appBody = await readAll(req); // e.g. a framework's body parser ran first
      report = await extractRequest(req, sink, options, { body: appBody });
    } else if (mode === "framework-parsed") {
      appBody = await readAll(req); // e.g. express.json() ran first and left only req.body
      report = await extractRequest(req, sink, options, { parsedBody: JSON.parse(appBody) });
    } else {
      appBody = await readAll(req);
      report = await extractRequest(req, sink, options);
    }
    const seen: Seen = {
      fields: sink.fields.map((f: CollectedField) => [f.kindName, f.name, f.value]),
      latin1: sink.fields.filter((f) => f.latin1).map((f) => [f.kindName, f.name, Buffer.from(f.bytes!).toString("hex")]),
      report,
      appBody,
    };
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(seen));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function send(path: string, init: RequestInit = {}, opts: ExtractOptions = {}, m: Mode = "stream"): Promise<Seen> {
  options = opts;
  mode = m;
  const res = await fetch(base + path, init);
  return (await res.json()) as Seen;
}

/** http.request sends the path exactly as given (fetch would normalise it first). */
function rawRequest(path: string, headers: http.OutgoingHttpHeaders): Promise<Seen> {
  options = {};
  mode = "stream";
  return new Promise<Seen>((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const req = http.request({ host: hostname, port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString()) as Seen));
    });
    req.on("error", reject);
    req.end();
  });
}

function kinds(seen: Seen, kind: string) {
  return seen.fields.filter((f) => f[0] === kind).map((f) => [f[1], f[2]]);
}

describe("Node IncomingMessage input (real http server)", () => {
  it("a GET: raw target as sent, protocol, socket address, headers", async () => {
    const seen = await rawRequest("/a/../b/%2e%2e/c?x=1&x=2", { "x-test": "v", cookie: "k=v" });
    expect(kinds(seen, "uriRaw")).toEqual([["", "/a/../b/%2e%2e/c?x=1&x=2"]]);
    expect(kinds(seen, "path")).toEqual([["", "/c"]]);
    expect(kinds(seen, "queryArg")).toEqual([["x", "1"], ["x", "2"]]);
    expect(kinds(seen, "protocol")).toEqual([["", "HTTP/1.1"]]);
    expect(kinds(seen, "clientIp")).toEqual([["", "127.0.0.1"]]);
    expect(kinds(seen, "header")).toContainEqual(["x-test", "v"]);
    expect(kinds(seen, "cookie")).toEqual([["k", "v"]]);
    expect(seen.report.bodyKind).toBe("none");
  });

  it("an absolute-form target (as sent to a proxy) stays whole in uriRaw; the path is its path", async () => {
    const seen = await rawRequest("http://internal.test/admin/../etc?x=1", {});
    expect(kinds(seen, "uriRaw")).toEqual([["", "http://internal.test/admin/../etc?x=1"]]);
    expect(kinds(seen, "path")).toEqual([["", "/etc"]]);
    expect(kinds(seen, "queryArg")).toEqual([["x", "1"]]);
  });

  it("header and cookie values are byte strings: the sink gets the bytes the client sent", async () => {
    const seen = await new Promise<Seen>((resolve, reject) => {
      options = {};
      mode = "stream";
      const { port } = new URL(base);
      const socket = connect(Number(port), "127.0.0.1", () => {
        socket.write(
          Buffer.concat([
            Buffer.from("GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Name: caf"),
            Buffer.from([0xc3, 0xa9]),
            Buffer.from("\r\nCookie: k=\xc0\xae\xc0\xae", "latin1"),
            Buffer.from("\r\n\r\n"),
          ]),
        );
      });
      let response = "";
      socket.on("data", (d) => (response += d.toString("utf8")));
      socket.on("end", () => resolve(JSON.parse(response.slice(response.indexOf("{"), response.lastIndexOf("}") + 1)) as Seen));
      socket.on("error", reject);
    });
    expect(seen.latin1).toContainEqual(["header", "x-name", "636166c3a9"]); // UTF-8 "café", not "cafÃ©" re-encoded
    expect(seen.latin1).toContainEqual(["cookie", "k", "c0aec0ae"]); // an overlong "..", byte for byte
  });

  it("duplicate headers stay separate fields (rawHeaders)", async () => {
    const seen = await rawRequest("/dup", { "x-dup": ["one", "two"] });
    expect(kinds(seen, "header").filter((h) => h[0] === "x-dup")).toEqual([["x-dup", "one"], ["x-dup", "two"]]);
  });

  it("a JSON body is inspected and the app still reads all of it", async () => {
    const body = JSON.stringify({ q: "1 UNION SELECT password FROM users" });
    const seen = await send("/api", { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(kinds(seen, "bodyJson")).toEqual([["q", "1 UNION SELECT password FROM users"]]);
    expect(seen.appBody).toBe(body);
  });

  it("a body over the limit: inspected up to the limit, reported, and the app gets every byte", async () => {
    const body = "a=" + "x".repeat(3 * 1024 * 1024);
    const seen = await send("/big", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body }, { maxBodyBytes: 1024 });
    expect(kinds(seen, "bodyForm")).toEqual([["a", "x".repeat(1022)]]);
    expect(seen.report.truncated.map((t) => t.limit)).toEqual(["bodyBytes"]);
    expect(seen.appBody.length).toBe(body.length);
    expect(seen.appBody).toBe(body);
  });

  it("a chunked (streamed) body", async () => {
    const parts = ["user=ad", "min&pass=", "%27%20or%201%3D1"];
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = parts.shift();
        if (next === undefined) controller.close();
        else {
          await new Promise((r) => setTimeout(r, 5));
          controller.enqueue(new TextEncoder().encode(next));
        }
      },
    });
    const seen = await send("/chunked", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(kinds(seen, "bodyForm")).toEqual([["user", "admin"], ["pass", "' or 1=1"]]);
    expect(seen.appBody).toBe("user=admin&pass=%27%20or%201%3D1");
  });

  it("an empty body, sized or chunked: the app still gets its 'end'", async () => {
    const sized = await send("/empty", { method: "POST", headers: { "content-type": "application/json" }, body: "" });
    expect(sized.appBody).toBe("");
    expect(sized.report.bodyKind).toBe("none");
    const chunked = await send("/empty-chunked", {
      method: "POST",
      body: new ReadableStream({ start: (c) => c.close() }),
      duplex: "half",
    } as RequestInit);
    expect(chunked.appBody).toBe("");
    expect(chunked.report.truncated).toEqual([]);
  });

  it("a client that aborts mid-body: extraction still finishes with what arrived", async () => {
    const aborted = new Promise<{ report: ExtractReport; form: string[] }>((resolve) => {
      const onRequest = (req: IncomingMessage) => {
        if (req.url !== "/abort") return;
        server.off("request", onRequest);
        const sink = new ArrayFieldSink();
        void extractRequest(req, sink, {}).then((report) => resolve({ report, form: sink.values("bodyForm") }));
      };
      server.on("request", onRequest);
    });
    const { port } = new URL(base);
    const socket = connect(Number(port), "127.0.0.1", () => {
      socket.write("POST /abort HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\na=partial");
      setTimeout(() => socket.destroy(), 100);
    });
    socket.on("error", () => undefined);
    const { report, form } = await aborted;
    expect(form).toEqual(["partial"]);
    expect(report.bodyKind).toBe("form");
  });

  it("a body already read by the app is passed as context.body", async () => {
    const seen = await send("/ctx", { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":"b"}' }, {}, "app-reads-first");
    expect(kinds(seen, "bodyJson")).toEqual([["a", "b"]]);
    expect(seen.report.truncated).toEqual([]);
  });

  it("a body a framework parsed is inspected from context.parsedBody", async () => {
    const seen = await send("/parsed", { method: "POST", headers: { "content-type": "application/json" }, body: '{"q":["<script>"]}' }, {}, "framework-parsed");
    expect(kinds(seen, "bodyJson")).toEqual([["q[0]", "<script>"]]);
    expect(seen.report.truncated).toEqual([]);
  });

  it("a body consumed without being passed along is reported as unavailable", async () => {
    const seen = await send("/gone", { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":"b"}' }, {}, "app-consumed");
    expect(kinds(seen, "bodyJson")).toEqual([]);
    expect(seen.report.truncated.map((t) => t.limit)).toEqual(["bodyUnavailable"]);
  });

  it("a multipart upload with a file", async () => {
    const form = new FormData();
    form.append("name", "x");
    form.append("file", new Blob(["MZ\u0000binary"]), "evil.exe");
    const seen = await send("/upload", { method: "POST", body: form });
    expect(kinds(seen, "multipartField")).toEqual([["name", "x"]]);
    expect(kinds(seen, "multipartFilename")).toEqual([["file", "evil.exe"]]);
    expect(seen.appBody).toContain("MZ\u0000binary");
  });
});
