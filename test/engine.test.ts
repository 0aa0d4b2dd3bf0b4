import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { Wafer } from "../src/engine/engine.js";
import { PackError } from "../src/pack/errors.js";
import { compilePack } from "../src/pack/compile.js";
import { engineWith, packImage } from "./support/engine.js";
import { engineModule } from "./support/wasm.js";
import { loadRateLimiter } from "../src/ratelimit/load.js";
import { loadConfirmAutomata } from "../src/engine/confirm-registry.js";

const rule = (id: string, extra: object = {}) => ({
  id, message: `${id} message`, family: "test", tags: ["t"], targets: ["args"], operator: { contains: "attack" }, ...extra,
});
const get = (url: string, headers: Record<string, string> = {}) => ({ method: "GET", url, headers, body: null });

describe("decisions", () => {
  const wafer = engineWith([
    rule("r1"),
    rule("r2", { operator: { contains: "mild" }, severity: "notice" }),
    rule("r3", { operator: { contains: "paranoid" }, paranoia: 3 }),
    rule("r4", { operator: { contains: "blockme" }, action: "block", score: 0 }),
    rule("r5", { operator: { contains: "healthcheck" }, targets: ["path"], action: "allow" }),
  ]);
  it("allows a clean request with no matches", () => {
    const d = wafer.inspectSync(get("/search?q=shoes"));
    expect([d.allowed, d.denied, d.action, d.score, d.matches.length]).toEqual([true, false, "allow", 0, 0]);
  });
  it("denies at the anomaly threshold and explains why", () => {
    const d = wafer.inspectSync(get("/search?q=an%20attack"));
    expect(d.denied).toBe(true);
    expect(d.score).toBe(5);
    expect(d.matches).toEqual([
      expect.objectContaining({ rule: "r1", family: "test", message: "r1 message", field: { kind: "queryArg", name: "q", part: "value" }, snippet: "an attack" }),
    ]);
    expect(d.reasons[0]).toContain('rule r1 (test, +5): r1 message in queryArg "q"');
  });
  it("adds scores below the threshold without denying", () => {
    const d = wafer.inspectSync(get("/?a=mild"));
    expect([d.denied, d.score]).toEqual([false, 2]);
  });
  it("runs rules only up to the configured paranoia level", () => {
    expect(wafer.inspectSync(get("/?a=paranoid")).matches).toHaveLength(0);
    const strict = engineWith([rule("r3", { operator: { contains: "paranoid" }, paranoia: 3 })], { paranoia: 3 });
    expect(strict.inspectSync(get("/?a=paranoid")).denied).toBe(true);
  });
  it("a block action denies regardless of score; an allow action stops inspection", () => {
    expect(wafer.inspectSync(get("/?a=blockme")).denied).toBe(true);
    const d = wafer.inspectSync(get("/healthcheck?a=attack"));
    expect(d.allowed).toBe(true);
  });
  it("monitor mode decides the same but lets the request through", () => {
    const monitor = engineWith([rule("r1")], { mode: "monitor" });
    const d = monitor.inspectSync(get("/?q=attack"));
    expect([d.action, d.allowed, d.denied, d.matches.length]).toEqual(["monitor", true, false, 1]);
  });
  it("a configured threshold overrides the pack's", () => {
    const lenient = engineWith([rule("r1")], { threshold: 10 });
    expect(lenient.inspectSync(get("/?q=attack")).denied).toBe(false);
  });
  it("redacts sensitive fields in snippets", () => {
    const d = engineWith([rule("r1")]).inspectSync(get("/?password=attack123"));
    expect(d.matches[0]!.snippet).toBe("[redacted]");
  });
});

describe("per-route exclusions", () => {
  const wafer = engineWith([rule("r1"), rule("r2", { operator: { contains: "evil" }, tags: ["noisy"] })], {
    routes: [
      { path: "/upload", rules: ["r1"] },
      { path: /^\/api\/v\d+\/import/, tags: ["noisy"], methods: ["POST"] },
    ],
  });
  it("switches off rules by id on a path prefix", () => {
    expect(wafer.inspectSync(get("/upload?x=attack")).matches).toHaveLength(0);
    expect(wafer.inspectSync(get("/other?x=attack")).matches).toHaveLength(1);
  });
  it("switches off rules by tag on a path pattern and method", () => {
    const post = { method: "POST", url: "/api/v2/import?x=evil", headers: {}, body: null };
    expect(wafer.inspectSync(post).matches).toHaveLength(0);
    expect(wafer.inspectSync(get("/api/v2/import?x=evil")).matches).toHaveLength(1);
    // Alternating routes must not leak one route's exclusions into the next request.
    expect(wafer.inspectSync(get("/upload?x=evil")).matches).toHaveLength(1);
  });
});

describe("limits and malformed requests", () => {
  it("reports truncation by field count and field length", () => {
    const wafer = engineWith([rule("r1")], { limits: { maxFields: 8, maxFieldBytes: 16 } });
    const many = "/?" + Array.from({ length: 20 }, (_, i) => `a${i}=${i}`).join("&");
    const d = wafer.inspectSync(get(many));
    expect(d.truncated.some((t) => t.limit === "maxFields")).toBe(true);
    const long = wafer.inspectSync(get(`/?q=${"x".repeat(40)}attack`));
    expect(long.truncated.some((t) => t.limit === "maxFieldBytes" && t.detail.includes("q"))).toBe(true);
    expect(long.matches).toHaveLength(0); // the attack sits past the limit, and the decision says so
  });
  it("inspects bodies up to the body limit and says what it cut", async () => {
    const wafer = engineWith([rule("r1", { targets: ["body", "args"] })], { limits: { maxBodyBytes: 64 } });
    const req = new Request("http://x/submit", { method: "POST", headers: { "content-type": "text/plain" }, body: "attack".padEnd(200, ".") });
    const d = await wafer.inspect(req);
    expect(d.denied).toBe(true);
    expect(d.truncated.some((t) => t.limit === "bodyBytes")).toBe(true);
    expect(await req.text()).toHaveLength(200);
  });
  it("notes unparseable bodies and still inspects them as text", () => {
    const wafer = engineWith([rule("r1", { targets: ["body", "args"] })]);
    const d = wafer.inspectSync({ method: "POST", url: "/", headers: { "content-type": "application/json" }, body: '{"a": "attack", bad' });
    expect(d.parseErrors.length).toBeGreaterThan(0);
    expect(d.denied).toBe(true);
  });
  it("never throws on arbitrary requests (property)", () => {
    const wafer = engineWith([rule("r1"), rule("r6", { targets: ["headers", "cookies", "path", "uri", "body"], operator: { rx: "a+b" } })]);
    const header = fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ maxLength: 200 }));
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.array(header, { maxLength: 20 }), fc.option(fc.string({ maxLength: 500 })), fc.constantFrom("GET", "POST", "PUT", "X"), (url, headers, body, method) => {
        const d = wafer.inspectSync({ method, url: url || "/", headers, body });
        expect(typeof d.denied).toBe("boolean");
        expect(Array.isArray(d.matches)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe("packs", () => {
  const v1 = packImage([rule("r1")], { version: "1.0.0" });
  const v2 = packImage([rule("r1", { operator: { contains: "other" } })], { version: "2.0.0" });
  it("swaps packs between requests and rolls back", () => {
    const wafer = new Wafer(engineModule(), v1);
    expect(wafer.inspectSync(get("/?q=attack")).denied).toBe(true);
    expect(wafer.loadPack(v2).version).toBe("2.0.0");
    expect(wafer.inspectSync(get("/?q=attack")).denied).toBe(false);
    expect(wafer.inspectSync(get("/?q=other")).denied).toBe(true);
    expect(wafer.rollback().version).toBe("1.0.0");
    expect(wafer.inspectSync(get("/?q=attack")).denied).toBe(true);
  });
  it("refuses a corrupt image anywhere and keeps the current pack (property)", () => {
    const wafer = new Wafer(engineModule(), v1);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: v2.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const bad = v2.slice();
        bad[at]! ^= xor;
        expect(() => wafer.loadPack(bad)).toThrow(PackError);
        expect(wafer.pack.version).toBe("1.0.0");
        expect(wafer.inspectSync(get("/?q=attack")).denied).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
  it("refuses a literal automaton whose trie is not a tree, with a valid checksum, and keeps its pack", async () => {
    const { packChecksum } = await import("../src/pack/checksum.js");
    const wafer = new Wafer(engineModule(), v1);
    const image = packImage([rule("r1", { operator: { pm: ["alpha", "beta", "gamma"] } })]);
    const view = new DataView(image.buffer, image.byteOffset);
    const ac = view.getUint32(48, true);
    const states = view.getUint32(ac, true);
    const child = ac + 288 + (states + 1) * 2;
    for (const [edit, why] of [
      [(v: DataView) => v.setUint16(child + 2, v.getUint16(child, true), true), "a state reached twice"],
      [(v: DataView) => v.setUint16(child, 0, true), "an edge back to the root"],
      [(v: DataView) => v.setUint16(ac + 288, 1, true), "edges that do not start at the root"],
      // The walks warm up on K bytes before each quarter: no trie path may be longer than K.
      [(v: DataView) => v.setUint32(ac + 28, 2, true), "a trie deeper than its prefix length"],
    ] as const) {
      const bad = image.slice();
      const v = new DataView(bad.buffer);
      edit(v);
      v.setUint32(20, packChecksum(bad), true);
      expect(() => wafer.loadPack(bad), why).toThrow(/automaton/);
      expect(wafer.pack.version).toBe("1.0.0");
      expect(wafer.inspectSync(get("/?q=attack")).denied).toBe(true);
    }
  });
  it("refuses a regex table with a state id out of range, with a valid checksum, naming the rule", async () => {
    const { packChecksum } = await import("../src/pack/checksum.js");
    const wafer = new Wafer(engineModule(), v1);
    const image = packImage([rule("first"), rule("rx-rule", { operator: { rx: "ab+c" } })]);
    const view = new DataView(image.buffer, image.byteOffset);
    const rulesAt = [...Array(view.getUint32(24, true)).keys()].map((i) => 64 + i * 16).find((e) => view.getUint32(e, true) === 1)!;
    const rx = view.getUint32(view.getUint32(rulesAt + 4, true) + 48 + 24, true); // rule 1's argument
    expect(view.getUint16(rx + 4, true)).toBe(2); // the image carries the compact form
    const bad = image.slice();
    bad[rx + 288] = view.getUint32(rx + 8, true); // a transition to state `states`: one past the last
    new DataView(bad.buffer).setUint32(20, packChecksum(bad), true);
    expect(() => wafer.loadPack(bad)).toThrow(/regex DFA table is malformed \(rule index 1\)/);
    expect(wafer.pack.version).toBe("1.0.0");
    expect(wafer.inspectSync(get("/?q=attack")).denied).toBe(true);
  });
  it("long values: classes whose chains act the same on the value share one walk, and each still decides its own rules", () => {
    // Three chains that, on a body with no '%', '&' or NUL, all reduce to removeWhitespace.
    const wafer = new Wafer(engineModule(), packImage([
      // Regexes, so every class's rules run from its own evaluation, not from the walk's hits.
      rule("a", { targets: ["body"], transforms: ["urlDecodeUni", "removeWhitespace"], operator: { rx: "union\\s*select" } }),
      rule("b", { targets: ["body"], transforms: ["htmlEntityDecode", "removeWhitespace"], operator: { rx: "select\\s*password" } }),
      rule("c", { targets: ["body"], transforms: ["removeNulls", "removeWhitespace"], operator: { rx: "password\\s*from" } }),
      rule("d", { targets: ["body"], transforms: ["removeNulls", "removeWhitespace"], operator: { contains: "nomatch" } }),
    ]), { mode: "monitor" }); // every rule decides: no early exit at the first block
    const rules = (body: string) => wafer.inspectSync({ method: "POST", url: "/", headers: { "content-type": "text/plain" }, body }).matches.map((m) => m.rule).sort();
    const filler = "lorem ipsum ".repeat(600); // 7,200 bytes: past the copy-and-compare size
    expect(rules(`${filler} union select password from users`)).toEqual(["a", "b", "c"]);
    // Only the body is read, and every rule's chain changes it: one removeWhitespace output
    // walked for all four rules; with a '%', the decoding chain's own input besides.
    const walks = (wafer as unknown as { exports: { inspectWalkCount(): number } }).exports.inspectWalkCount;
    const bodyWalks = (body: string) => (rules(body), walks());
    expect(bodyWalks(`${filler} union select password from users`)).toBe(1);
    expect(bodyWalks(`${filler} union%20select password from users`)).toBe(2);
    // With a '%' the first chain decodes: its own input, the other three still share one.
    expect(rules(`${filler} union%20select password from users`)).toEqual(["a", "b", "c"]);
    expect(rules(`${filler} union select password%66rom`)).toEqual(["a", "b"]);
    expect(rules(`${filler} select password`)).toEqual(["b"]);
  });
  it("short values: classes whose chains act the same on the value follow one leader, into its own walk or the raw one", () => {
    const wafer = new Wafer(engineModule(), packImage([
      // On a value with '&' but no entity and no NUL, a and b both reduce to
      // htmlEntityDecode, removeWhitespace (b follows a); c's removeWhitespace gives the same
      // bytes (one walk for the three); d and e reduce to htmlEntityDecode, which changes
      // nothing here: both join the raw walk.
      rule("a", { transforms: ["htmlEntityDecode", "removeWhitespace"], operator: { rx: "union\\s*select" } }),
      rule("b", { transforms: ["removeNulls", "htmlEntityDecode", "removeWhitespace"], operator: { rx: "select\\s*password" } }),
      rule("c", { transforms: ["removeWhitespace"], operator: { contains: "passwordfrom" } }),
      rule("d", { transforms: ["htmlEntityDecode"], operator: { contains: "a&b c" } }),
      rule("e", { transforms: ["removeNulls", "htmlEntityDecode"], operator: { rx: "b\\s+c\\s+union" } }),
    ]), { mode: "monitor" });
    const walks = (wafer as unknown as { exports: { inspectWalkCount(): number } }).exports.inspectWalkCount;
    const inspect = (q: string) => {
      const rules = wafer.inspectSync(get(`/?q=${encodeURIComponent(q)}`)).matches.map((m) => m.rule).sort();
      return { rules, walks: walks() };
    };
    // One raw walk and one removeWhitespace walk.
    expect(inspect("a&b c union select password from")).toEqual({ rules: ["a", "b", "c", "d", "e"], walks: 2 });
    // An entity: every chain decodes, and each rule still sees its own chain's bytes.
    expect(inspect("a&amp;b c union&#32;select password from").rules).toEqual(["a", "b", "c", "d", "e"]);
    // A NUL: b and e now remove it first (their own walks); c still shares a's bytes, d the raw ones.
    expect(inspect("a&b\0 c union select")).toEqual({ rules: ["a", "e"], walks: 4 });
  });
  it("inspects a long string body as the text it is, whatever charset its content type names", () => {
    const wafer = new Wafer(engineModule(), packImage([rule("cafe", { targets: ["body"], operator: { contains: "café" } })]));
    // Longer than a third of the body limit: measured as UTF-8 bytes, then inspected as given.
    const body = `${"x".repeat(400_000)} café`;
    for (const contentType of ["text/plain", "text/plain; charset=iso-8859-1"]) {
      const d = wafer.inspectSync({ method: "POST", url: "/", headers: { "content-type": contentType }, body });
      expect(d.matches.map((m) => m.rule), contentType).toEqual(["cafe"]);
      expect(d.truncated).toEqual([]);
    }
  });
  it("host confirmation only accepts matches on code point boundaries", async () => {
    // Lookaround compiles to a superset the host confirms (a lazy DFA with lookaround tables,
    // src/regex/lookaround.ts); a naive one would "match" this pattern between the bytes of
    // "😀" (as V8 did between its UTF-16 halves), where nothing precedes it that is \\S or ^.
    await loadConfirmAutomata();
    const wafer = new Wafer(engineModule(), packImage([rule("nothing-before", { operator: { rx: "(?!(?<=\\S|^))" } })]), { mode: "monitor" });
    const rules = (q: string) => wafer.inspectSync(get(`/?q=${encodeURIComponent(q)}`)).matches.map((m) => m.rule);
    expect(rules("😀")).toEqual([]);
    expect(rules("a b")).toEqual(["nothing-before"]); // after the space: a real match
    expect(rules("ab")).toEqual([]);
  });
  it("runs detectSQLi on a word value that is a lone catalogue name, and skips other word values", () => {
    const wafer = new Wafer(engineModule(), packImage([rule("sqli", { operator: { detectSQLi: true } })]));
    const rules = (q: string) => wafer.inspectSync(get(`/?q=${q}`)).matches.map((m) => m.rule);
    expect(rules("xp_cmdshell")).toEqual(["sqli"]);
    expect(rules("xp_cmdshell_backup")).toEqual([]);
    expect(rules("running")).toEqual([]);
  });
  it("skips a prefilter-less regex only on values without a byte every match needs, and refuses a set outside the image", async () => {
    const { packChecksum } = await import("../src/pack/checksum.js");
    // `[#%$]\{…\}` has no literal of 3 bytes: it runs on every value, behind its byte set.
    const image = packImage([rule("first"), rule("template", { operator: { rx: "[#%$]\\{[^}]+\\}" } })]);
    const wafer = new Wafer(engineModule(), image);
    const rules = (q: string) => wafer.inspectSync(get(`/?q=${encodeURIComponent(q)}`)).matches.map((m) => m.rule);
    expect(rules("alpha bravo charlie delta echo")).toEqual([]);
    // The byte at every position of values longer than one sixteen-byte step, tail included.
    for (let at = 0; at <= 34; at++) expect(rules(`${"a".repeat(at)}\${x}${"b".repeat(34 - at)}`), `at ${at}`).toEqual(["template"]);
    const view = new DataView(image.buffer, image.byteOffset);
    const rulesAt = [...Array(view.getUint32(24, true)).keys()].map((i) => 64 + i * 16).find((e) => view.getUint32(e, true) === 1)!;
    const numeric = view.getUint32(rulesAt + 4, true) + 48 + 44; // rule 1's required-byte set
    expect(view.getUint32(numeric, true)).toBeGreaterThan(0);
    const bad = image.slice();
    new DataView(bad.buffer).setUint32(numeric, bad.length - 16, true); // 32 bytes would end past the image
    new DataView(bad.buffer).setUint32(20, packChecksum(bad), true);
    expect(() => wafer.loadPack(bad)).toThrow(/rule index 1/);
    expect(rules("${x}")).toEqual(["template"]);
  });
  it("a checksummed image with any bytes of its automata changed is refused with a PackError or loads and inspects without throwing (property)", async () => {
    const { packChecksum } = await import("../src/pack/checksum.js");
    const image = packImage([
      rule("pm", { operator: { pm: ["alpha", "beta", "gamma", "delta"] } }),
      rule("rx", { operator: { rx: "ab+c[0-9]{2}" } }),
      rule("named", { targets: [{ field: "args", names: ["/^user_[a-z]+$/"] }], operator: { rx: "x+y" } }),
      rule("negated", { operator: { pm: ["ok", "fine"] }, negate: true, targets: ["method"] }),
    ]);
    const view = new DataView(image.buffer, image.byteOffset);
    const blobEntry = [...Array(view.getUint32(24, true)).keys()].map((i) => 64 + i * 16).find((e) => view.getUint32(e, true) === 4)!;
    const blobStart = view.getUint32(blobEntry + 4, true);
    const blobEnd = blobStart + view.getUint32(blobEntry + 8, true);
    const requests = [get("/?q=alpha&user_x=xxy"), get("/?q=zzabbbc12"), { method: "PUT", url: "/", headers: {}, body: null }];
    const outcomes = { refused: 0, loaded: 0 };
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: blobStart, max: blobEnd - 1 }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), (edits) => {
        const wafer = new Wafer(engineModule(), v1);
        const bad = image.slice();
        for (const [at, xor] of edits) bad[at]! ^= xor;
        new DataView(bad.buffer).setUint32(20, packChecksum(bad), true);
        let loaded = true;
        try {
          wafer.loadPack(bad);
        } catch (e) {
          expect(e).toBeInstanceOf(PackError);
          loaded = false;
        }
        if (!loaded) expect(wafer.pack.version).toBe("1.0.0");
        outcomes[loaded ? "loaded" : "refused"]++;
        for (const r of requests) expect(typeof wafer.inspectSync(r).denied).toBe("boolean");
      }),
      { numRuns: 300 },
    );
    // Both paths ran: the checks refuse some edits, others (pattern bytes, names) stay valid.
    expect(outcomes.refused).toBeGreaterThan(0);
    expect(outcomes.loaded).toBeGreaterThan(0);
  });
  it("refuses truncated images with a clear error", () => {
    const wafer = new Wafer(engineModule(), v1);
    expect(() => wafer.loadPack(v2.subarray(0, 10))).toThrow(/shorter than the 64-byte header/);
    expect(() => wafer.loadPack(v2.subarray(0, v2.length - 4))).toThrow(/truncated/);
    expect(() => wafer.loadPack(new Uint8Array(100))).toThrow(/bad magic/);
  });
  it("names the rule and field of a bad pack source", () => {
    expect(() => packImage([rule("bad", { operator: { rx: "(unclosed" } })])).toThrow(/rule bad: .*operator.*unclosed/s);
    expect(() => packImage([rule("bad2", { targets: ["argz"] })])).toThrow(/rule bad2: rules\[0\]\.targets\[0\]: unknown target "argz"/);
    expect(() => packImage([rule("dup"), rule("dup")])).toThrow(/duplicate id/);
  });
});

describe("rate limits in the decision", () => {
  // The limiter loads on demand (src/ratelimit/registry.ts); createWafer does this itself.
  beforeAll(() => loadRateLimiter());
  it("need the limiter loaded for the synchronous constructor, and say how", async () => {
    const { tokenBucket } = await import("../src/ratelimit/policy.js");
    const policy = tokenBucket({ id: "a", capacity: 1, refillRate: 1, intervalMs: 1000, characteristics: ["ip"], onMissingIdentity: "shared" });
    // A fresh copy of the engine's modules, and no limiter registered in the realm: as in a
    // process that imported "wafer" and nothing else.
    const slot = Symbol.for("wafer.ratelimit.RateLimiter");
    const global = globalThis as Record<symbol, unknown>;
    const registered = global[slot];
    delete global[slot];
    vi.resetModules();
    try {
      const fresh = await import("../src/engine/engine.js");
      const image = packImage([rule("r1")]);
      expect(() => new fresh.Wafer(engineModule(), image, { rateLimits: [policy] })).toThrow(/loads on demand.*createWafer\(\{ rateLimits \}\).*import\("wafer\/ratelimit"\)/);
      expect(new fresh.Wafer(engineModule(), image).rateLimiter).toBeUndefined(); // no limits, nothing to load
      await (await import("../src/ratelimit/load.js")).loadRateLimiter();
      expect(new fresh.Wafer(engineModule(), image, { rateLimits: [policy] }).rateLimiter).toBeDefined();
    } finally {
      global[slot] = registered;
      vi.resetModules();
    }
  });
  it("denies with blockedBy rateLimit once a per-user bucket is empty, per identity", async () => {
    const { tokenBucket } = await import("../src/ratelimit/policy.js");
    const wafer = engineWith([rule("r1")], {
      rateLimits: [tokenBucket({ id: "login", capacity: 2, refillRate: 1, intervalMs: 60_000, match: { route: "/login" }, characteristics: ["userId"], onMissingIdentity: "skip" })],
    });
    const login = { method: "POST", url: "/login", headers: {}, body: null };
    const at = (now: number, userId: string) => wafer.inspectSync(login, { identity: { userId }, now });
    expect(at(1000, "ann").allowed).toBe(true);
    expect(at(1001, "ann").allowed).toBe(true);
    const third = at(1002, "ann");
    expect([third.denied, third.blockedBy, third.rateLimit?.policy]).toEqual([true, "rateLimit", "login"]);
    expect(third.rateLimit!.retryAfterMs).toBeGreaterThan(0);
    expect(third.reasons.some((r) => r.startsWith("rate limit login exceeded"))).toBe(true);
    expect(at(1003, "bob").allowed).toBe(true); // another identity, another bucket
    expect(wafer.inspectSync({ method: "GET", url: "/home", headers: {}, body: null }, { identity: { userId: "ann" }, now: 1004 }).allowed).toBe(true);
    // The async path decides the same.
    expect((await wafer.inspect(new Request("http://x/login", { method: "POST" }), { identity: { userId: "ann" }, now: 1005 })).blockedBy).toBe("rateLimit");
  });
  it("a WAF denial says so", () => {
    const d = engineWith([rule("r1")]).inspectSync(get("/?q=attack"));
    expect([d.blockedBy, d.rateLimit]).toEqual(["waf", undefined]);
  });
});

describe("rate-limit routing", () => {
  beforeAll(() => loadRateLimiter());
  it("counts /LOGIN, //login and /login/ as the route /login", async () => {
    const { tokenBucket } = await import("../src/ratelimit/policy.js");
    const wafer = engineWith([rule("r1")], {
      rateLimits: [tokenBucket({ id: "login", capacity: 2, refillRate: 1, intervalMs: 60_000, match: { route: "/login" }, characteristics: ["userId"], onMissingIdentity: "skip" })],
    });
    const at = (url: string, now: number) => wafer.inspectSync({ method: "POST", url, headers: {}, body: null }, { identity: { userId: "u" }, now });
    expect(at("/LOGIN", 1).allowed).toBe(true);
    expect(at("//login/", 2).allowed).toBe(true);
    expect(at("/Login", 3).blockedBy).toBe("rateLimit");
  });
  it("a request the signatures deny spends no budget", async () => {
    const { tokenBucket } = await import("../src/ratelimit/policy.js");
    const wafer = engineWith([rule("r1")], {
      rateLimits: [tokenBucket({ id: "all", capacity: 1, refillRate: 1, intervalMs: 60_000, characteristics: ["userId"], onMissingIdentity: "skip" })],
    });
    const ctx = { identity: { userId: "victim" }, now: 5 };
    expect(wafer.inspectSync(get("/?q=attack"), ctx).blockedBy).toBe("waf");
    expect(wafer.inspectSync(get("/?q=fine"), ctx).allowed).toBe(true);
  });
});

describe("regexes over the DFA budget and rule parts", () => {
  it("compiles an over-budget regex to its literals plus host confirmation, instead of dropping it", async () => {
    await loadConfirmAutomata(); // the lazy DFA's code loads on demand (test/confirm-automata.test.ts)
    // (a|b)*a(a|b){12} needs 2^13 DFA states; a budget of 500 forces the fallback.
    const image = compilePack(
      { name: "t", version: "1.0.0", rules: [rule("big", { operator: { rx: "zz(a|b)*a(a|b){12}" } })] },
      { stateBudget: 500 },
    );
    expect(image.report.overBudget).toBe(1);
    expect(image.report.confirmedByBacktracking).toBe(0);
    expect(image.report.skipped).toEqual([]);
    const wafer = new Wafer(engineModule(), image.image);
    expect(wafer.inspectSync(get("/?q=zzbaabababababab")).denied).toBe(true);
    expect(wafer.inspectSync(get("/?q=zzbbbbbbbbbbbbbbbb")).denied).toBe(false); // prefilter passes, the lazy DFA says no
  });
  it("skips an over-budget regex without a useful literal on values lacking a byte every match needs", async () => {
    await loadConfirmAutomata();
    // One byte, `<`, is no literal worth indexing; before its required-byte set came from the
    // NFA, every value the rule reads was a candidate for the host's lazy DFA.
    const image = compilePack(
      { name: "t", version: "1.0.0", rules: [rule("big", { operator: { rx: "<(a|b)*a(a|b){12}" } })] },
      { stateBudget: 500 },
    );
    expect(image.report.overBudget).toBe(1);
    expect(image.report.unfiltered).toBe(1);
    expect(image.report.requiredByteSets).toBe(1);
    const wafer = new Wafer(engineModule(), image.image);
    const confirm = vi.spyOn(Wafer.prototype as unknown as { confirm: () => boolean }, "confirm");
    try {
      expect(wafer.inspectSync(get("/?q=bbbbbbbbbbbbbbbbbbbb&p=hello")).denied).toBe(false);
      expect(confirm).not.toHaveBeenCalled();
      expect(wafer.inspectSync(get("/?q=%3Cbaabababababab")).denied).toBe(true);
      expect(wafer.inspectSync(get("/?q=%3Cbbbbbbbbbbbbbbbbbb")).denied).toBe(false); // a candidate; the lazy DFA says no
      expect(confirm).toHaveBeenCalledTimes(2);
    } finally {
      confirm.mockRestore();
    }
  });
  it("when full records dropped candidates, confirms only the parts that hold a required byte", async () => {
    await loadConfirmAutomata();
    const image = compilePack(
      { name: "t", version: "1.0.0", rules: [rule("big", { operator: { rx: "<(a|b)*a(a|b){12}" }, transforms: ["urlDecodeUni"] })] },
      { stateBudget: 500 },
    );
    const wafer = new Wafer(engineModule(), image.image, { mode: "monitor", limits: { maxFields: 1024 } });
    // 100 arguments without a `<`, then 300 candidates (a `<` once URL-decoded; the lazy DFA
    // says no): the 256 records fill, the last candidates are dropped, and the host tries the
    // rule on every part it reads. Those without a `<` cannot hold and are not confirmed.
    const query = [
      ...Array.from({ length: 100 }, (_, i) => `h${i}=hello`),
      ...Array.from({ length: 300 }, (_, i) => `b${i}=%253Cbbbbbbbbbbbbbbbbbb`),
    ].join("&");
    const confirm = vi.spyOn(Wafer.prototype as unknown as { confirm: (...args: unknown[]) => boolean }, "confirm");
    try {
      expect(wafer.inspectSync(get(`/?${query}`)).matches).toEqual([]);
      expect((wafer as unknown as { resultView(): Uint32Array }).resultView()[3]! & 8).toBe(8); // RESULT_UNCONFIRMED_DROPPED
      // 256 recorded candidates, then each of the 300 parts with a `<` once more; never the 100 others.
      expect(confirm).toHaveBeenCalledTimes(256 + 300);
    } finally {
      confirm.mockRestore();
    }
  });
  it("parts named base#part fire and score once, reported as base", () => {
    const wafer = engineWith([
      rule("942100#t1", { operator: { contains: "attack" } }),
      rule("942100#t2", { operator: { contains: "attack" }, transforms: ["urlDecodeUni"] }),
      rule("other", { operator: { contains: "zzz" }, severity: "notice" }),
    ], { threshold: 100 });
    const d = wafer.inspectSync(get("/?q=attack"));
    expect(d.score).toBe(5);
    expect(d.matches.map((m) => m.rule)).toEqual(["942100"]);
  });
});

describe("header bytes", () => {
  it("sees the bytes the client sent: a fetch header is a byte string, not text to re-encode", async () => {
    const wafer = engineWith([rule("e-acute", { targets: ["headers"], operator: { contains: "é" } })]);
    // A client sending UTF-8 "é" (C3 A9) arrives in Headers as the two characters "Ã©".
    const req = new Request("http://x/", { headers: { "x-name": "Ã©" } });
    expect((await wafer.inspect(req)).matches.map((m) => m.rule)).toEqual(["e-acute"]);
  });
});

describe("host confirmation", () => {
  it("never throws when a pack's confirmation regex cannot be built: the automaton's verdict stands", async () => {
    const { image } = compilePack({ name: "t", version: "1.0.0", rules: [rule("la", { operator: { rx: "foo(?=bar)" } })] });
    // Rewrite the metadata's confirmation source into something RegExp rejects (same length keeps offsets valid).
    // Search bytes, not decoded text: the binary header (its checksum covers `builtAt`) can hold
    // invalid UTF-8 that decodes to U+FFFD and would shift a string index off the byte offset.
    const at = Buffer.from(image.buffer, image.byteOffset, image.byteLength).indexOf('"source":"') + 10;
    expect(at).toBeGreaterThan(10);
    const bad = image.slice();
    bad.set(new TextEncoder().encode("(((((((("), at);
    const { packChecksum } = await import("../src/pack/checksum.js");
    new DataView(bad.buffer).setUint32(20, packChecksum(bad), true);
    const wafer = new Wafer(engineModule(), bad);
    expect(() => wafer.inspectSync(get("/?q=foobar"))).not.toThrow();
    expect(wafer.inspectSync(get("/?q=foobar")).denied).toBe(true);
  });
});
