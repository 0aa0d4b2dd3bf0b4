import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { getDecision, protect } from "../../src/adapters/fetch.js";
import { adapterSuite, capturingLogger, createTestWafer, identifyFromBody, loginPolicy, SQLI } from "./support.js";

const app = async (request: Request): Promise<Response> => {
  const path = new URL(request.url).pathname;
  if (path === "/echo") return Response.json({ received: await request.json(), outcome: getDecision(request)?.outcome });
  if (path === "/login") return Response.json({ welcome: ((await request.json()) as { user: string }).user });
  return new Response(path === "/upload" ? "uploaded" : path === "/health" ? "healthy" : "ok");
};

// Real HTTP: @hono/node-server turns each Node request into a Web Request for the handler.
adapterSuite("fetch handler (protect) behind a Node HTTP server", async (options) => {
  const handler = protect(app, options);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: handler, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((done) => server.close(() => done())) };
});

describe("protect(handler): the Workers / Deno / Bun call shapes", () => {
  it("passes env and ctx through, hands sync work to ctx.waitUntil's owner, and keeps `this`", async () => {
    const seen: unknown[] = [];
    const handler = protect(async function (this: unknown, request: Request, env: { NAME: string }, ctx: { waitUntil(p: Promise<unknown>): void }) {
      seen.push(this, env.NAME, typeof ctx.waitUntil, getDecision(request)?.outcome);
      return new Response("hi");
    }, { wafer: createTestWafer(), log: false });
    const worker = { fetch: handler };
    const res = await worker.fetch(new Request("https://app.example/"), { NAME: "prod" }, { waitUntil: () => undefined });
    expect(await res.text()).toBe("hi");
    expect(seen).toEqual([worker, "prod", "function", "allowed"]);
  });

  it("adds headers to an immutable response (a proxied fetch Response) by copying it", async () => {
    const frozen = Response.redirect("https://app.example/elsewhere", 302); // Response.redirect headers are immutable
    const handler = protect(async () => frozen, { wafer: createTestWafer(), log: false, requestIdHeader: "x-req" });
    const res = await handler(new Request("https://app.example/", { headers: { "x-req": "abc.123" } }));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("https://app.example/elsewhere");
    expect(res.headers.get("x-req")).toBe("abc.123");
  });

  it("uses Deno's remoteAddr and Bun's requestIP for the client address", async () => {
    const log = capturingLogger();
    const handler = protect(async (_request: Request, _info?: object) => new Response("x"), { wafer: createTestWafer(), log: { logger: log } });
    await handler(new Request(`https://app.example${SQLI}`), { remoteAddr: { hostname: "203.0.113.7", port: 1, transport: "tcp" } });
    await handler(new Request(`https://app.example${SQLI}`), { requestIP: () => ({ address: "2001:db8::1", port: 2, family: "IPv6" }) });
    expect(log.events.map((e) => e.obj.ip)).toEqual(["203.0.113.7", "2001:db8::1"]);
  });

  it("rate-limits per IP from the platform address, with headers on allowed responses", async () => {
    const { tokenBucket } = await import("../../src/ratelimit/policy.js");
    const handler = protect(async (_request: Request, _info?: object) => new Response("ok"), {
      wafer: createTestWafer(), log: false,
      rateLimits: [tokenBucket({ id: "per-ip", capacity: 2, refillRate: 2, intervalMs: 1000, characteristics: ["ip"], onMissingIdentity: "deny" })],
      legacyRateLimitHeaders: true,
    });
    const info = { remoteAddr: { hostname: "198.51.100.4" } };
    const a = await handler(new Request("https://app.example/"), info);
    expect(a.headers.get("ratelimit")).toBe('"per-ip";r=1;t=1');
    expect(a.headers.get("x-ratelimit-limit")).toBe("2");
    expect((await handler(new Request("https://app.example/"), info)).status).toBe(200);
    const c = await handler(new Request("https://app.example/"), info);
    expect(c.status).toBe(429);
    expect(c.headers.get("retry-after")).toBe("1");
    // Another address has its own bucket; no address at all is denied (the policy's choice).
    expect((await handler(new Request("https://app.example/"), { remoteAddr: { hostname: "198.51.100.5" } })).status).toBe(200);
    expect((await handler(new Request("https://app.example/"))).status).toBe(429);
  });

  it("reads the login user from a form body too (identify gets json() and form())", async () => {
    const handler = protect(async () => new Response("welcome"), {
      wafer: createTestWafer(), log: false, rateLimits: [loginPolicy()],
      identify: (_req, info) => ({ userId: info.form().get("user") ?? identifyFromBody(_req, info).userId }),
    });
    const login = () => handler(new Request("https://app.example/login", {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "user=dave&password=x",
    }));
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await login()).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it("rate limits see the decoded path; relaxations do not stretch to other spellings", async () => {
    const handler = protect(async () => new Response("ok"), {
      wafer: createTestWafer, log: false, rateLimits: [loginPolicy()], identify: () => ({ userId: "erin" }),
      routes: [{ path: "/health", mode: "off" }],
    });
    const statuses = [];
    for (const path of ["/%6cogin", "/./login", "/x/../login", "/login"]) {
      statuses.push((await handler(new Request(`https://app.example${path}`, { method: "post", body: "{}" }))).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const attack = "?q=%3Cscript%3Ealert(1)%3C/script%3E";
    expect((await handler(new Request(`https://app.example/health${attack}`))).status).toBe(200);
    expect((await handler(new Request(`https://app.example/HEALTH${attack}`))).status).toBe(403);
    expect((await handler(new Request(`https://app.example/healthz${attack}`))).status).toBe(403);
  });

  it("an engine hosts one set of rate limits", async () => {
    const engine = await createTestWafer({ rateLimits: [loginPolicy()] });
    const handler = protect(async () => new Response("ok"), { wafer: engine, log: false, rateLimits: [loginPolicy()] });
    expect((await handler(new Request("https://app.example/"))).status).toBe(200); // fail open, reported
    await expect(handler.guard.wafer()).rejects.toThrow("whose engine already has rate limits");
    // Without its own policies, an adapter uses the engine's.
    const shared = protect(async () => new Response("ok"), { wafer: engine, log: false, identify: () => ({ userId: "frank" }) });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await shared(new Request("https://app.example/login", { method: "POST" }))).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(() => protect(app, { wafer: createTestWafer, rateLimits: [loginPolicy()], waferOptions: { rateLimits: [loginPolicy()] } })).toThrow(
      "rateLimits and waferOptions.rateLimits are both set",
    );
  });

  it("flags what the engine's monitor mode or a dry-run limit would refuse, samples allowed requests, and calls the OTel hook for each", async () => {
    const { fixedWindow } = await import("../../src/ratelimit/policy.js");
    const log = capturingLogger();
    const attrs: Record<string, unknown>[] = [];
    const handler = protect(async (request: Request) => Response.json(getDecision(request)?.outcome), {
      wafer: createTestWafer,
      waferOptions: { mode: "monitor" },
      rateLimits: [fixedWindow({ id: "watch", limit: 1, windowMs: 60_000, mode: "dryRun", characteristics: ["value:tenant"], onMissingIdentity: "skip" })],
      identify: () => ({ tenant: "acme" }),
      log: { logger: log, sampleAllowed: 1, onDecision: (a) => attrs.push(a) },
    });
    const outcomes = [];
    outcomes.push(await (await handler(new Request("https://app.example/"))).json());
    outcomes.push(await (await handler(new Request(`https://app.example${SQLI}`))).json());
    outcomes.push(await (await handler(new Request("https://app.example/"))).json());
    expect(outcomes).toEqual(["allowed", "flagged", "flagged"]);
    expect(log.events.map((e) => [e.level, e.obj.outcome, e.obj.blockedBy])).toEqual([
      ["info", "allowed", null], ["info", "flagged", "waf"], ["info", "flagged", "rateLimit"],
    ]);
    expect(log.events[2]!.obj.rateLimit).toMatchObject({ policy: "watch", limited: true, dryRun: true, allowed: true });
    expect(attrs.map((a) => a["wafer.outcome"])).toEqual(["allowed", "flagged", "flagged"]);
    expect(attrs[1]).toMatchObject({ "wafer.action": "monitor", "wafer.rule.families": expect.arrayContaining(["sqli"]) });
    const m = await handler.guard.metrics();
    expect(m).toMatchObject({ requests: 3, allowed: 1, flagged: 2, denied: 0, rateLimitedByPolicy: { watch: 2 } }); // the attack was over the dry-run limit too
  });

  it("an identity hook that throws does not let the request skip inspection", async () => {
    const log = capturingLogger();
    const handler = protect(async () => new Response("ok"), {
      wafer: createTestWafer, rateLimits: [loginPolicy()], log: { logger: log },
      identify: (_r, info) => ({ userId: (JSON.parse(info.text()) as { user: string }).user }),   // throws on a non-JSON body
    });
    const post = (path: string, body: string) => handler(new Request(`https://app.example${path}`, { method: "POST", body }));
    expect((await post("/echo?q=%3Cscript%3Ealert(1)%3C/script%3E", "not json")).status).toBe(403);
    expect((await post("/login", "not json")).status).toBe(429); // no identity: the policy says deny
    expect(log.events.filter((e) => e.level === "error").length).toBe(2);
  });

  it("answers 503 when inspection fails and onError is closed, passes when open", async () => {
    const broken = () => ({ inspectSync() { throw new Error("boom"); } }) as never;
    const log = capturingLogger();
    const closed = protect(async () => new Response("app"), { wafer: broken(), onError: "closed", log: { logger: log } });
    const res = await closed(new Request("https://app.example/"));
    expect(res.status).toBe(503);
    expect((await res.json()).title).toBe("Service Unavailable");
    expect(log.events.some((e) => e.level === "error")).toBe(true);
    const open = protect(async () => new Response("app"), { wafer: broken(), log: false });
    expect(await (await open(new Request("https://app.example/"))).text()).toBe("app");
    expect((await open.guard.metrics()).errors).toBe(1);
  });

  it("rejects bad configuration with the option named", () => {
    expect(() => protect(app, { wafer: createTestWafer(), mode: "dry" as never })).toThrow('wafer adapter: mode must be "block" or "monitor", got "dry"');
    expect(() => protect(app, { wafer: createTestWafer(), routes: [{ path: 42 as never }] })).toThrow("wafer adapter: routes[0].path must be a path pattern");
    expect(() => protect(app, { wafer: createTestWafer(), routes: [{ path: "/a", exclude: { rule: ["x"] } as never }] })).toThrow("routes[0].exclude.rule is not an exclusion");
    expect(() => protect(app, { wafer: createTestWafer(), routes: [{ path: "/a", exclude: { rules: ["x"] } }] })).toThrow(
      "routes[].exclude needs the adapter to create the engine: pass `wafer: createWafer`",
    );
    expect(() => protect(app, { wafer: createTestWafer(), requestIdHeader: "x req" })).toThrow("requestIdHeader must be a header name or false");
  });
});

describe("pathOfUrl", () => {
  it("agrees with URL#pathname on serialised request URLs", async () => {
    const { pathOfUrl } = await import("../../src/adapters/url-path.js");
    const fc = (await import("fast-check")).default;
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (raw) => {
        const url = new Request(raw).url; // what a handler sees: normalised by the URL parser
        expect(pathOfUrl(url)).toBe(new URL(url).pathname);
      }),
    );
  });
});
