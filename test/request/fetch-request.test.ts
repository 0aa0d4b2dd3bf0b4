import { describe, expect, it } from "vitest";
import { ArrayFieldSink } from "../../src/request/array-field-sink.js";
import { bufferRequestBody, extractRequestMaybeSync, extractRequestSync, needsBodyRead } from "../../src/request/extract.js";
import { extractAsync } from "./helpers.js";

describe("Web Request input", () => {
  it("a GET is extracted synchronously: nothing to await", () => {
    const req = new Request("https://shop.test/search?q=shoes&page=2", {
      headers: { "user-agent": "Mozilla/5.0", accept: "*/*", cookie: "sid=1" },
    });
    expect(needsBodyRead(req)).toBe(false);
    const sink = new ArrayFieldSink();
    const report = extractRequestMaybeSync(req, sink, {}, { remoteAddress: "198.51.100.7" });
    expect(report).not.toBeInstanceOf(Promise);
    expect(sink.fields.map((f) => [f.kindName, f.name, f.value])).toEqual([
      ["method", "", "GET"],
      ["uriRaw", "", "/search?q=shoes&page=2"],
      ["path", "", "/search"],
      ["basename", "", "search"],
      ["queryString", "", "q=shoes&page=2"],
      ["queryArg", "q", "shoes"],
      ["queryArg", "page", "2"],
      ["header", "accept", "*/*"],
      ["header", "cookie", "sid=1"],
      ["cookie", "sid", "1"],
      ["header", "user-agent", "Mozilla/5.0"],
      ["clientIp", "", "198.51.100.7"],
    ]);
  });

  it("Headers values are byte strings: written to a capable sink as one byte per character", () => {
    const req = new Request("https://x.test/", { headers: { "x-name": "caf\u00e9" } });
    const sink = new ArrayFieldSink();
    extractRequestMaybeSync(req, sink);
    const field = sink.fields.find((f) => f.name === "x-name")!;
    expect(field.latin1).toBe(true);
    expect([...field.bytes!]).toEqual([0x63, 0x61, 0x66, 0xe9]); // what fetch sends on the wire
  });

  it("reads a JSON body from a clone: the application can still read it", async () => {
    const body = JSON.stringify({ user: { email: "a@b.test' OR 1=1--" } });
    const req = new Request("https://api.test/login", { method: "POST", headers: { "content-type": "application/json" }, body });
    const { sink, report } = await extractAsync(req);
    expect(sink.pairs("bodyJson")).toEqual([["user.email", "a@b.test' OR 1=1--"]]);
    expect(report.bodyKind).toBe("json");
    expect(req.bodyUsed).toBe(false);
    expect(await req.json()).toEqual(JSON.parse(body));
  });

  it("reads at most maxBodyBytes + 1 of a long streamed body and the app still gets all of it", async () => {
    const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled++ < 64) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const req = new Request("https://api.test/upload", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const { sink, report } = await extractAsync(req, { maxBodyBytes: 1000 });
    expect(sink.values("bodyRaw")).toEqual(["x".repeat(1000)]);
    expect(report.truncated.map((t) => t.limit)).toEqual(["bodyBytes"]);
    expect((await req.text()).length).toBe(64 * 16 * 1024);
  });

  it("a multipart upload via FormData", async () => {
    const form = new FormData();
    form.append("comment", "<script>alert(1)</script>");
    form.append("avatar", new Blob(["GIF89a<?php ?>"], { type: "image/gif" }), "avatar.gif.php");
    const req = new Request("https://site.test/profile", { method: "POST", body: form });
    const { sink, report } = await extractAsync(req);
    expect(report.bodyKind).toBe("multipart");
    expect(report.parseErrors).toEqual([]);
    expect(sink.pairs("multipartField")).toEqual([["comment", "<script>alert(1)</script>"]]);
    expect(sink.pairs("multipartFilename")).toEqual([["avatar", "avatar.gif.php"]]);
    expect(sink.pairs("multipartHeader")).toContainEqual(["content-type", "image/gif"]);
    expect((await req.formData()).get("comment")).toBe("<script>alert(1)</script>");
  });

  it("a body already used cannot be read: reported, never thrown", async () => {
    const req = new Request("https://api.test/", { method: "POST", body: "a=1", headers: { "content-type": "application/x-www-form-urlencoded" } });
    await req.text();
    const { sink, report } = await extractAsync(req);
    expect(sink.values("method")).toEqual(["POST"]);
    expect(report.truncated.map((t) => t.limit)).toEqual(["bodyUnavailable"]);
  });

  it("synchronous extraction of a streamed body says so; bufferRequestBody makes it synchronous", async () => {
    const make = () =>
      new Request("https://api.test/f", { method: "POST", body: "a=%27", headers: { "content-type": "application/x-www-form-urlencoded" } });
    const sink = new ArrayFieldSink();
    const report = extractRequestSync(make(), sink);
    expect(report.truncated.map((t) => t.limit)).toEqual(["bodyUnavailable"]);
    expect(sink.values("bodyForm")).toEqual([]);

    const req = make();
    const buffered = await bufferRequestBody(req);
    const sink2 = new ArrayFieldSink();
    const report2 = extractRequestSync(buffered, sink2);
    expect(report2.truncated).toEqual([]);
    expect(sink2.pairs("bodyForm")).toEqual([["a", "'"]]);
    expect(sink2.values("uriRaw")).toEqual(["/f"]);
    expect(await req.text()).toBe("a=%27");
  });
});
