import { describe, expect, it } from "vitest";
import { instantiateEngine } from "../support/wasm";
import { RateLimiter, type RateLimiterOptions } from "../../src/ratelimit/limiter";
import { fixedWindow, slidingWindow, tokenBucket, PolicyError, type Policy } from "../../src/ratelimit/policy";
import { rateLimitHeaders, tooManyRequests } from "../../src/ratelimit/headers";

function limiter(policies: Policy[], extra: Partial<RateLimiterOptions> = {}) {
  const { exports, memory } = instantiateEngine();
  return new RateLimiter(exports, memory, { policies, capacity: 4096, ...extra });
}

const login = fixedWindow({
  id: "login", limit: 3, windowMs: 60_000, characteristics: ["ip"], onMissingIdentity: "deny",
  match: { route: "/login", methods: ["POST"] },
});

describe("RateLimiter: matching and identities", () => {
  it("applies a policy only to its route and methods", () => {
    const rl = limiter([login]);
    const id = { ip: "203.0.113.1" };
    expect(rl.check({ method: "GET", path: "/login" }, id, 0).policy).toBeUndefined();
    expect(rl.check({ method: "POST", path: "/loginx" }, id, 0).policy).toBeUndefined();
    for (let i = 0; i < 3; i++) expect(rl.check({ method: "POST", path: "/login" }, id, 0).allowed).toBe(true);
    const denied = rl.check({ method: "post", path: "/login/" + "x" }, id, 1000);
    expect(denied).toMatchObject({ allowed: false, limited: true, policy: "login", remaining: 0, limit: 3 });
    expect(denied.retryAfterMs).toBe(59_000);
  });

  it("globs and RegExps select routes", () => {
    const p = slidingWindow({ id: "g", limit: 1, windowMs: 1000, characteristics: ["userId"], onMissingIdentity: "skip", match: { route: ["/users/*/reset", /^\/ai\//] } });
    const rl = limiter([p]);
    expect(rl.check({ method: "GET", path: "/users/42/reset" }, { userId: "u" }, 0).policy).toBe("g");
    expect(rl.check({ method: "GET", path: "/users/4/2/reset" }, { userId: "u" }, 0).policy).toBeUndefined();
    expect(rl.check({ method: "GET", path: "/ai/chat" }, { userId: "v" }, 0).policy).toBe("g");
  });

  it("keys IPv6 clients by /64 and ::ffff: clients by their IPv4", () => {
    const p = fixedWindow({ id: "ip", limit: 2, windowMs: 1000, characteristics: ["ip"], onMissingIdentity: "deny" });
    const rl = limiter([p]);
    const r = { method: "GET", path: "/" };
    expect(rl.check({ ...r, ip: "2001:db8:1:2::1" }, {}, 0).allowed).toBe(true);
    expect(rl.check({ ...r, ip: "2001:DB8:1:2:ffff::9" }, {}, 0).allowed).toBe(true);
    expect(rl.check({ ...r, ip: "2001:db8:1:2:0:0:0:77" }, {}, 0).allowed).toBe(false); // same /64
    expect(rl.check({ ...r, ip: "2001:db8:1:3::1" }, {}, 0).allowed).toBe(true);       // other /64
    expect(rl.check({ ...r, ip: "198.51.100.9" }, {}, 0).allowed).toBe(true);
    expect(rl.check({ ...r, ip: "::ffff:198.51.100.9" }, {}, 0).allowed).toBe(true);
    expect(rl.check({ ...r, ip: "::ffff:c633:6409" }, {}, 0).allowed).toBe(false);
    // identity.ip overrides request.ip
    expect(rl.check({ ...r, ip: "10.0.0.1" }, { ip: "198.51.100.9" }, 0).allowed).toBe(false);
  });

  it("lower-cases emails, reads headers and caller values", () => {
    const p = fixedWindow({ id: "e", limit: 1, windowMs: 1000, characteristics: ["email", "header:X-Tenant", "value:plan"], onMissingIdentity: "deny" });
    const rl = limiter([p]);
    const r = { method: "POST", path: "/signup", headers: new Headers({ "x-tenant": "acme" }) };
    expect(rl.check(r, { email: " Bob@Example.COM ", plan: "free" }, 0).allowed).toBe(true);
    expect(rl.check(r, { email: "bob@example.com", plan: "free" }, 0).allowed).toBe(false);
    expect(rl.check(r, { email: "bob@example.com", plan: "pro" }, 0).allowed).toBe(true);
    expect(rl.check({ ...r, headers: { "x-tenant": "other" } }, { email: "bob@example.com", plan: "free" }, 0).allowed).toBe(true);
  });

  it("missing identity: shared, skip and deny are each what they say", () => {
    const mk = (m: "shared" | "skip" | "deny") => fixedWindow({ id: m, limit: 1, windowMs: 1000, characteristics: ["userId"], onMissingIdentity: m });
    const r = { method: "GET", path: "/" };
    const shared = limiter([mk("shared")]);
    expect(shared.check(r, {}, 0).allowed).toBe(true);
    expect(shared.check(r, { userId: "" }, 0).allowed).toBe(false); // all anonymous share one bucket
    expect(shared.check(r, { userId: "a" }, 0).allowed).toBe(true);
    const skip = limiter([mk("skip")]);
    for (let i = 0; i < 5; i++) expect(skip.check(r, {}, 0)).toMatchObject({ allowed: true, policy: undefined });
    const deny = limiter([mk("deny")]);
    expect(deny.check(r, {}, 0)).toMatchObject({ allowed: false, reason: "missingIdentity", policy: "deny" });
  });
});

describe("RateLimiter: several policies", () => {
  const burst = tokenBucket({ id: "burst", capacity: 2, refillRate: 1, intervalMs: 1000, characteristics: ["userId"], onMissingIdentity: "deny" });
  const daily = fixedWindow({ id: "daily", limit: 5, windowMs: 86_400_000, characteristics: ["userId"], onMissingIdentity: "deny" });

  it("the strictest policy wins and a denied request consumes nothing", () => {
    const rl = limiter([daily, burst]);
    const r = { method: "POST", path: "/ai" };
    const u = { userId: "alice" };
    let t = 0;
    const first = rl.check(r, u, t);
    expect(first).toMatchObject({ allowed: true, policy: "burst", remaining: 1 });
    expect(first.results?.map((x) => x.policy)).toEqual(["daily", "burst"]);
    expect(rl.check(r, u, t).allowed).toBe(true);
    const denied = rl.check(r, u, t);
    expect(denied).toMatchObject({ allowed: false, policy: "burst" });
    expect(denied.retryAfterMs).toBeCloseTo(1000, 6);
    // 3 more over time: the daily quota (5) then decides.
    for (let i = 0; i < 3; i++) { t += 1000; expect(rl.check(r, u, t).allowed).toBe(true); }
    t += 5000;
    const quota = rl.check(r, u, t);
    expect(quota).toMatchObject({ allowed: false, policy: "daily", remaining: 0 });
  });

  it("dry-run policies count and report, never deny", () => {
    const monitor = fixedWindow({ id: "monitor", limit: 1, windowMs: 1000, characteristics: ["ip"], onMissingIdentity: "skip", mode: "dryRun" });
    const rl = limiter([monitor]);
    const r = { method: "GET", path: "/", ip: "192.0.2.1" };
    expect(rl.check(r, {}, 0)).toMatchObject({ allowed: true, limited: false, dryRun: true });
    expect(rl.check(r, {}, 0)).toMatchObject({ allowed: true, limited: true, dryRun: true, policy: "monitor" });
  });

  it("request.cost overrides the policy cost", () => {
    const tokens = fixedWindow({ id: "tokens", limit: 1000, windowMs: 60_000, characteristics: ["apiKey"], onMissingIdentity: "deny" });
    const rl = limiter([tokens]);
    const r = { method: "POST", path: "/v1/chat", cost: 600 };
    expect(rl.check(r, { apiKey: "k" }, 0)).toMatchObject({ allowed: true, remaining: 400 });
    expect(rl.check(r, { apiKey: "k" }, 0).allowed).toBe(false);
  });
});

describe("policy validation", () => {
  it("names the policy and the field at fault", () => {
    expect(() => fixedWindow({ id: "x", limit: 0, windowMs: 1, characteristics: [], onMissingIdentity: "skip" })).toThrow(/policy "x": limit must be/);
    expect(() => fixedWindow({ id: "x", limit: 1, windowMs: 1, characteristics: ["cookie:a" as never], onMissingIdentity: "skip" })).toThrow(PolicyError);
    expect(() => fixedWindow({ id: "x", limit: 1, windowMs: 1, characteristics: [], onMissingIdentity: undefined as never })).toThrow(/onMissingIdentity/);
    expect(() => tokenBucket({ id: "t", capacity: 1, refillRate: 1, intervalMs: 1, cost: 2, characteristics: [], onMissingIdentity: "skip" })).toThrow(/cost/);
    expect(() => limiter([login, login])).toThrow(/used by two policies/);
  });
});

describe("headers", () => {
  it("emits RateLimit and RateLimit-Policy per the IETF draft, legacy and Retry-After on denial", () => {
    const rl = limiter([login]);
    const r = { method: "POST", path: "/login" };
    const ok = rl.check(r, { ip: "192.0.2.5" }, 0);
    expect(rateLimitHeaders(ok)).toEqual({ RateLimit: '"login";r=2;t=60', "RateLimit-Policy": '"login";q=3;w=60' });
    rl.check(r, { ip: "192.0.2.5" }, 0);
    rl.check(r, { ip: "192.0.2.5" }, 0);
    const denied = rl.check(r, { ip: "192.0.2.5" }, 30_500);
    const h = rateLimitHeaders(denied, { legacy: true });
    expect(h).toMatchObject({ RateLimit: '"login";r=0;t=30', "Retry-After": "30", "X-RateLimit-Limit": "3", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "30" });
  });

  it("builds a 429 problem+json response", async () => {
    const rl = limiter([login]);
    const r = { method: "POST", path: "/login" };
    for (let i = 0; i < 3; i++) rl.check(r, { ip: "192.0.2.6" }, 0);
    const res = tooManyRequests(rl.check(r, { ip: "192.0.2.6" }, 0), { instance: "/login" });
    expect(res.status).toBe(429);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("retry-after")).toBe("60");
    const body = await res.json();
    expect(body).toMatchObject({ status: 429, title: "Too Many Requests", policy: "login", retryAfter: 60, instance: "/login" });
    expect(JSON.stringify(body)).not.toContain("192.0.2.6");
  });

  it("returns no headers when no policy applied", () => {
    const rl = limiter([login]);
    expect(rateLimitHeaders(rl.check({ method: "GET", path: "/" }, {}, 0))).toEqual({});
  });
});

describe("memory growth by other parts of the engine", () => {
  it("keeps working when linear memory grows after construction (views are refreshed)", () => {
    const { exports, memory } = instantiateEngine();
    const rl = new RateLimiter(exports, memory, { policies: [login], capacity: 1024 });
    const r = { method: "POST", path: "/login" };
    expect(rl.check(r, { ip: "192.0.2.77" }, 0).remaining).toBe(2);
    memory.grow(2); // detaches the old ArrayBuffer
    expect(rl.check(r, { ip: "192.0.2.77" }, 0).remaining).toBe(1);
    const p2 = fixedWindow({ id: "second", limit: 9, windowMs: 1000, characteristics: ["ip"], onMissingIdentity: "deny" });
    const rl2 = new RateLimiter(exports, memory, { policies: [login, p2], capacity: 1024 });
    memory.grow(1);
    expect(rl2.check(r, { ip: "192.0.2.78" }, 0)).toMatchObject({ allowed: true, policy: "login", remaining: 2 });
  });
});

describe("hostile identities", () => {
  it("huge values cost bounded work: keyed by their first 1,024 characters and their length", () => {
    const p = fixedWindow({ id: "h", limit: 1, windowMs: 1000, characteristics: ["userId"], onMissingIdentity: "deny" });
    const rl = limiter([p]);
    const r = { method: "GET", path: "/" };
    const huge = "a".repeat(5_000_000);
    expect(rl.check(r, { userId: huge }, 0).allowed).toBe(true);
    expect(rl.check(r, { userId: huge + "b" }, 0).allowed).toBe(true);  // another length
    expect(rl.check(r, { userId: huge.slice(0, -1) + "z" }, 0).allowed).toBe(false); // same prefix and length
    expect(rl.check(r, { userId: "\u0000\ud800\uffff" }, 0).allowed).toBe(true); // odd code units are just data
    expect(rl.check(r, { userId: "\u0000\ud800\uffff" }, 0).allowed).toBe(false);
    expect(rl.check({ ...r, ip: "not an ip at all" }, { userId: "x" }, 0).allowed).toBe(true);
  });
});

describe("request cost from the application", () => {
  it("a NaN or negative cost falls back to the policy cost instead of throwing", () => {
    const p = fixedWindow({ id: "c", limit: 2, windowMs: 1000, characteristics: ["userId"], onMissingIdentity: "deny", cost: 1 });
    const rl = limiter([p]);
    expect(rl.check({ method: "GET", path: "/", cost: NaN }, { userId: "u" }, 0).remaining).toBe(1);
    expect(rl.check({ method: "GET", path: "/", cost: -5 }, { userId: "u" }, 0).remaining).toBe(0);
    expect(rl.check({ method: "GET", path: "/", cost: Infinity }, { userId: "v" }, 0)).toMatchObject({ allowed: false, retryAfterMs: Infinity });
  });
});

describe("header values stay valid structured fields", () => {
  it("escapes quotes and backslashes and drops non-printable characters in policy names", () => {
    const p = fixedWindow({ id: 'we"ird\\pölicy\n', limit: 1, windowMs: 1500, characteristics: ["userId"], onMissingIdentity: "deny" });
    const rl = limiter([p]);
    const h = rateLimitHeaders(rl.check({ method: "GET", path: "/" }, { userId: "u" }, 0));
    expect(h.RateLimit).toBe('"we\\"ird\\\\plicy";r=0;t=2');
    expect(h["RateLimit-Policy"]).toBe('"we\\"ird\\\\plicy";q=1;w=2');
    for (const v of Object.values(h)) expect(v).toMatch(/^[\x20-\x7e]*$/);
  });
});
