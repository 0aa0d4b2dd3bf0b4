/**
 * The verdict cache (assembly/verdict-cache.ts) remembers field parts that fired no rule and
 * skips them when they come again: field names, the method and protocol, and the values of
 * standard browser headers only. It must never change a decision: checked here against an
 * engine with the cache off, on generated request streams that repeat values, on the cases
 * where a part fires nothing only because of the request around it (a rule decided earlier
 * in the request, a route exclusion), and across pack swaps.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Wafer } from "../src/engine/engine.js";
import type { Decision } from "../src/engine/decision.js";
import type { PlainRequest } from "../src/request/types.js";
import { defaultPackImage, engineWith, packImage } from "./support/engine.js";
import { engineModule } from "./support/wasm.js";

const hits = (w: Wafer) => (w as unknown as { exports: { inspectCacheHits(): number } }).exports.inspectCacheHits();
const walks = (w: Wafer) => (w as unknown as { exports: { inspectWalkCount(): number } }).exports.inspectWalkCount();
const summary = (d: Decision) => ({
  action: d.action, score: d.score,
  matches: d.matches.map((m) => [m.rule, m.field.kind, m.field.name, m.field.part, m.snippet]),
  truncated: d.truncated,
});

const get = (url: string, headers: [string, string][] = []): PlainRequest => ({ method: "GET", url, headers, body: null });

describe("verdict cache", () => {
  it("skips the names and browser-header values of a repeated request from its third sighting, and only with the cache on", () => {
    const request = get("/", [["user-agent", "Mozilla/5.0 (X11; Linux x86_64)"], ["accept", "text/html"]]);
    const on = new Wafer(engineModule(), defaultPackImage());
    const off = new Wafer(engineModule(), defaultPackImage(), { verdictCache: false });
    // First sighting: the doorkeeper notes each part; second: each part is stored; third: hits.
    const firstWalks: number[] = [];
    for (let i = 0; i < 2; i++) {
      on.inspectSync(request);
      expect(hits(on)).toBe(0);
      firstWalks.push(walks(on));
    }
    expect(on.inspectSync(request).action).toBe("allow");
    // method, the two header names and the two header values.
    expect(hits(on)).toBe(5);
    expect(walks(on)).toBeLessThan(firstWalks[0]!);
    for (let i = 0; i < 3; i++) off.inspectSync(request);
    expect(hits(off)).toBe(0);
    expect(walks(off)).toBe(firstWalks[0]);
  });

  it("never remembers the values of query args, cookies, paths, JSON or headers outside the shared list", () => {
    const w = new Wafer(engineModule(), defaultPackImage());
    const request = get("/account/settings?email=alice%40example.com", [["cookie", "session=9f8e7d6c"], ["authorization", "Bearer abc"], ["referer", "https://x.example/reset?token=1"], ["x-api-key", "k1"]]);
    for (let i = 0; i < 3; i++) w.inspectSync(request);
    const third = hits(w);
    // The method and names only (4 headers, 1 arg, 1 cookie): no value of these fields.
    expect(third).toBe(7);
    // Nor JSON paths or keys: a JSON object may be keyed by data.
    const json = { method: "POST", url: "/", headers: [["content-type", "application/json"]] as [string, string][], body: JSON.stringify({ "alice@example.com": { plan: "pro" } }) };
    for (let i = 0; i < 3; i++) w.inspectSync(json);
    // The method, the header name and the content-type value.
    expect(hits(w)).toBe(3);
  });

  it("does not remember values too long for a slot", () => {
    const w = new Wafer(engineModule(), defaultPackImage());
    const request = get("/", [["user-agent", "a".repeat(300)]]);
    for (let i = 0; i < 3; i++) w.inspectSync(request);
    const whole = hits(w);
    for (let i = 0; i < 3; i++) w.inspectSync(get("/", [["user-agent", "a"]]));
    // The long value is inspected each time; the short one is remembered.
    expect(hits(w)).toBe(whole + 1);
  });

  it("a part that fired nothing only because its rule was decided earlier in the request is not remembered", () => {
    // Monitor mode: no early exit, so `user-agent` is inspected after the rule fired on `accept`.
    const w = engineWith([{ id: "t1", message: "m", family: "test", severity: "critical", targets: ["headers"], operator: { contains: "evil" }, action: "block" }], { mode: "monitor" });
    // Both headers hold the needle: the rule fires on `accept` and is then skipped on
    // `user-agent` (twice: the second miss would store the part).
    for (let i = 0; i < 2; i++) expect(w.inspectSync(get("/", [["accept", "evil"], ["user-agent", "evil"]])).matches.map((m) => m.field.name)).toEqual(["accept"]);
    // `user-agent: evil` alone must fire: it was never a part that fires nothing.
    expect(w.inspectSync(get("/", [["user-agent", "evil"]])).matches.map((m) => m.field.name)).toEqual(["user-agent"]);
  });

  it("a part whose rule matched but whose chain condition failed on the other fields is not remembered", () => {
    // The operator reads the User-Agent; the condition reads the args. With `q=fine` the rule
    // does not fire, yet the same User-Agent must still fire it beside `q=attack`.
    const w = engineWith([{
      id: "t1", message: "m", family: "test", severity: "critical", targets: [{ field: "headers", names: ["user-agent"] }],
      operator: { contains: "evilbot" }, chain: [{ targets: ["args"], operator: { contains: "attack" } }], action: "block",
    }]);
    const request = (q: string) => get(`/?q=${q}`, [["user-agent", "evilbot/1.0"]]);
    for (let i = 0; i < 3; i++) expect(w.inspectSync(request("fine")).action).toBe("allow");
    const d = w.inspectSync(request("attack"));
    expect(d.action).toBe("deny");
    expect(d.matches.map((m) => m.field.name)).toEqual(["user-agent"]);
  });

  it("a part that fired nothing because a route excluded the rule is not remembered", () => {
    const rules = [{ id: "t1", message: "m", family: "test", severity: "critical", targets: ["headers"], operator: { contains: "evil" }, action: "block" }];
    const w = new Wafer(engineModule(), packImage(rules), { routes: [{ path: "/upload", rules: ["t1"] }] });
    const ua = (v: string): [string, string][] => [["user-agent", v]];
    // Twice: the second miss would store the part.
    for (let i = 0; i < 2; i++) expect(w.inspectSync(get("/upload", ua("evil"))).action).toBe("allow");
    expect(w.inspectSync(get("/search", ua("evil"))).action).toBe("deny");
    // A remembered part stays valid on an excluded route (fewer rules cannot fire more).
    for (let i = 0; i < 2; i++) expect(w.inspectSync(get("/search", ua("fine"))).action).toBe("allow");
    expect(w.inspectSync(get("/upload", ua("fine"))).action).toBe("allow");
    expect(hits(w)).toBeGreaterThan(1);
  });

  it("forgets everything when the pack changes, and again on rollback", () => {
    const rule = (needle: string) => [{ id: "t1", message: "m", family: "test", severity: "critical", targets: ["headers"], operator: { contains: needle }, action: "block" }];
    const ua = (v: string) => get("/", [["user-agent", v]]);
    const w = new Wafer(engineModule(), packImage(rule("zebra"), { version: "1.0.0" }));
    for (let i = 0; i < 3; i++) expect(w.inspectSync(ua("hello")).action).toBe("allow");
    expect(hits(w)).toBeGreaterThan(1);
    w.loadPack(packImage(rule("hello"), { version: "1.1.0" }));
    expect(w.inspectSync(ua("hello")).action).toBe("deny");
    for (let i = 0; i < 3; i++) expect(w.inspectSync(ua("zebra")).action).toBe("allow");
    expect(hits(w)).toBeGreaterThan(1);
    w.rollback();
    expect(w.inspectSync(ua("zebra")).action).toBe("deny");
  });

  it("decides exactly as with the cache off on request streams that repeat values (property)", () => {
    const on = new Wafer(engineModule(), defaultPackImage(), { mode: "monitor", paranoia: 2 });
    const off = new Wafer(engineModule(), defaultPackImage(), { mode: "monitor", paranoia: 2, verdictCache: false });
    const blockOn = new Wafer(engineModule(), defaultPackImage());
    const blockOff = new Wafer(engineModule(), defaultPackImage(), { verdictCache: false });
    // Few distinct values, so a stream repeats them in every field and position; attacks among them.
    const value = fc.constantFrom(
      "hello", "running", "2", "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/126.0", "text/html,*/*;q=0.8",
      "' or 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "${jndi:ldap://x/a}", "; cat /etc/passwd",
      "admin", "1 union select password from users", "javascript:alert(1)", "", "%27%20or%201%3d1",
    );
    const name = fc.constantFrom("q", "id", "x-forwarded-for", "user-agent", "accept", "host", "referer", "x-a", "session");
    const request = fc.record({
      path: fc.constantFrom("/", "/search", "/admin/../etc", "/upload"),
      args: fc.array(fc.tuple(name, value), { maxLength: 3 }),
      headers: fc.array(fc.tuple(name, value), { maxLength: 3 }),
      cookie: fc.option(fc.tuple(name, value), { nil: undefined }),
    }).map(({ path, args, headers, cookie }): PlainRequest => ({
      method: "GET",
      url: path + (args.length ? "?" + args.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&") : ""),
      headers: [...headers, ...(cookie ? [["cookie", `${cookie[0]}=${cookie[1].replace(/[;\s]/g, "")}`] as [string, string]] : [])],
      body: null,
    }));
    fc.assert(fc.property(fc.array(request, { minLength: 1, maxLength: 12 }), (stream) => {
      for (const r of stream) {
        expect(summary(on.inspectSync(r))).toEqual(summary(off.inspectSync(r)));
        expect(summary(blockOn.inspectSync(r))).toEqual(summary(blockOff.inspectSync(r)));
      }
    }), { numRuns: 300 });
  });

  it("tells keys apart by their bytes when every key hashes alike (property)", () => {
    // Every key lands on one tag of one set: a hit is only ever decided by the byte compare.
    const on = new Wafer(engineModule(), defaultPackImage(), { mode: "monitor" });
    (on as unknown as { exports: { verdictCacheCollide(on: boolean): void } }).exports.verdictCacheCollide(true);
    const off = new Wafer(engineModule(), defaultPackImage(), { mode: "monitor", verdictCache: false });
    const value = fc.constantFrom("hello", "' or 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "fine", "x");
    const request = fc.tuple(fc.constantFrom("q", "id", "x"), value, fc.constantFrom("user-agent", "accept", "x-a"), value).map(([k, v, h, hv]): PlainRequest =>
      get(`/?${k}=${encodeURIComponent(v)}`, [[h, hv]]));
    let hitsSeen = 0;
    fc.assert(fc.property(fc.array(request, { minLength: 1, maxLength: 12 }), (stream) => {
      for (const r of stream) {
        expect(summary(on.inspectSync(r))).toEqual(summary(off.inspectSync(r)));
        hitsSeen += hits(on);
      }
    }), { numRuns: 200 });
    expect(hitsSeen).toBeGreaterThan(0);
  });

  it("decides exactly as with the cache off with generated rules, chain conditions and negations (property)", () => {
    const target = fc.constantFrom<string | object>("headers", "args", "args_names", { field: "headers", names: ["user-agent"] }, { field: "headers", except: ["accept"] });
    const needle = fc.constantFrom("zz", "qa", "z");
    const rule = fc.record({
      targets: fc.array(target, { minLength: 1, maxLength: 2 }),
      needle, negate: fc.boolean(),
      transforms: fc.constantFrom<string[]>([], ["lowercase"], ["removeWhitespace"]),
      chain: fc.option(fc.record({ targets: fc.array(target, { minLength: 1, maxLength: 2 }), needle, negate: fc.boolean() }), { nil: undefined }),
      action: fc.constantFrom("block", "score"),
    });
    const value = fc.constantFrom("zz", "qa", "ZZ top", "fine", "a z", "", "q a");
    const request = fc.record({
      args: fc.array(fc.tuple(fc.constantFrom("a", "zz"), value), { maxLength: 2 }),
      headers: fc.uniqueArray(fc.tuple(fc.constantFrom("user-agent", "accept", "host", "x-a"), value), { selector: (h) => h[0], maxLength: 3 }),
      path: fc.constantFrom("/", "/skip"),
    });
    fc.assert(fc.property(fc.array(rule, { minLength: 1, maxLength: 4 }), fc.array(request, { minLength: 3, maxLength: 10 }), fc.constantFrom<"block" | "monitor">("block", "monitor"), (rules, requests, mode) => {
      const source = rules.map((r, i) => ({
        id: `r${i}`, message: "m", family: "f", targets: r.targets, transforms: r.transforms,
        operator: { contains: r.needle }, negate: r.negate, action: r.action,
        ...(r.chain ? { chain: [{ targets: r.chain.targets, operator: { contains: r.chain.needle }, negate: r.chain.negate }] } : {}),
      }));
      const routes = [{ path: "/skip", rules: ["r0"] }];
      const on = engineWith(source, { mode, routes });
      const off = engineWith(source, { mode, routes, verdictCache: false });
      for (const req of requests) {
        const r = get(`${req.path}?${req.args.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&")}`, req.headers);
        expect(summary(on.inspectSync(r))).toEqual(summary(off.inspectSync(r)));
      }
    }), { numRuns: 300 });
  });
});
