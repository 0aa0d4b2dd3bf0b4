/**
 * Shared plumbing for the adapter tests: real engines (build/engine.wasm + the default pack),
 * a capturing logger, and one scenario suite every adapter runs against its real framework
 * listening on 127.0.0.1:0.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compilePackFrom } from "../../src/pack/source-loader.js";
import { Wafer } from "../../src/engine/engine.js";
import type { WaferOptions } from "../../src/engine/options.js";
import type { GuardOptions, GuardResult } from "../../src/adapters/guard.js";
import type { DecisionLogger } from "../../src/observe/logger.js";
import type { DecisionEvent } from "../../src/observe/event.js";
import { tokenBucket } from "../../src/ratelimit/policy.js";
import { defaultPackImage } from "../support/engine.js";
import { engineModule } from "../support/wasm.js";

let packImage: Uint8Array | undefined;

/**
 * The default pack: build/default.wpk, or — when that image no longer matches the freshly
 * built engine.wasm (the pack format changed and build.mjs has not run yet) — compiled
 * from signatures/core with the current compiler.
 */
export function defaultPack(): Uint8Array {
  if (packImage !== undefined) return packImage;
  const built = defaultPackImage();
  try {
    new Wafer(engineModule(), built);
    packImage = built;
  } catch {
    packImage = compilePackFrom(fileURLToPath(new URL("../../signatures/core", import.meta.url))).image;
  }
  return packImage;
}

/** Stands in for the runtime's createWafer: a real engine with the default pack. */
export const createTestWafer = async (options: WaferOptions = {}): Promise<Wafer> => new Wafer(engineModule(), defaultPack(), options);

export interface Captured extends DecisionLogger {
  events: { level: string; obj: DecisionEvent; msg: string | undefined }[];
}

export function capturingLogger(): Captured {
  const events: Captured["events"] = [];
  return {
    events,
    info: (obj, msg) => events.push({ level: "info", obj: obj as DecisionEvent, msg }),
    warn: (obj, msg) => events.push({ level: "warn", obj: obj as DecisionEvent, msg }),
    error: (obj, msg) => events.push({ level: "error", obj: obj as DecisionEvent, msg }),
  };
}

/**
 * The app every adapter test serves:
 * - GET  /            → 200 "ok"
 * - POST /echo        → 200 JSON { received: <the body as the framework parsed it>, outcome }
 * - POST /login       → 200 JSON { welcome: <user> }   (body: {"user": "..."})
 * - GET  /upload      → 200 "uploaded"
 * - GET  /health      → 200 "healthy"
 * `outcome` is what the handler reads back through the adapter's way of exposing the result.
 */
export interface StartedServer {
  url: string;
  close(): Promise<void>;
}

export type Starter = (options: GuardOptions<any>) => Promise<StartedServer>;

export const SQLI = "/items?q=1%27%20union%20select%20password%20from%20users--";
const XSS_BODY = JSON.stringify({ text: "<script>alert(document.cookie)</script>" });

export function loginPolicy() {
  return tokenBucket({
    id: "login", capacity: 3, refillRate: 1, intervalMs: 60_000, characteristics: ["userId"],
    match: { route: "/login", methods: ["POST"] }, onMissingIdentity: "deny",
  });
}

export const identifyFromBody = (_req: unknown, info: { json<T>(): T | undefined }) => ({ userId: info.json<{ user?: string }>()?.user });

const post = (url: string, body: string, type = "application/json") =>
  fetch(url, { method: "POST", headers: { "content-type": type }, body });

export function adapterSuite(name: string, start: Starter): void {
  describe(`${name}: real server on loopback`, () => {
    it("passes a benign GET through, with a request id header", async () => {
      const log = capturingLogger();
      const s = await start({ wafer: createTestWafer(), log: { logger: log } });
      try {
        const res = await fetch(`${s.url}/`);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe("ok");
        expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
        expect(log.events).toEqual([]); // allowed requests are not logged unless sampled
      } finally {
        await s.close();
      }
    });

    it("refuses SQL injection with 403 problem+json carrying the request id, and logs a redacted event", async () => {
      const log = capturingLogger();
      const s = await start({ wafer: createTestWafer(), log: { logger: log } });
      try {
        const res = await fetch(`${s.url}${SQLI}`, { headers: { "x-request-id": "req-123" } });
        expect(res.status).toBe(403);
        expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
        expect(res.headers.get("x-request-id")).toBe("req-123");
        const problem = await res.json();
        expect(problem).toMatchObject({ status: 403, title: "Forbidden", requestId: "req-123", instance: "urn:wafer:request:req-123" });
        expect(JSON.stringify(problem)).not.toMatch(/sqli|union/i); // no rule names for the attacker
        expect(log.events).toHaveLength(1);
        const { level, obj } = log.events[0]!;
        expect(level).toBe("warn");
        expect(obj).toMatchObject({ requestId: "req-123", outcome: "denied", blockedBy: "waf", status: 403, method: "GET", path: "/items" });
        expect(obj.waf.families).toContain("sqli");
        expect(obj.waf.matches[0]!.field).toMatchObject({ kind: "queryArg", name: "q" });
        expect(obj.timings.totalMs).toBeGreaterThanOrEqual(0);
      } finally {
        await s.close();
      }
    });

    it("inspects a JSON body and still hands it whole to the app", async () => {
      const s = await start({ log: false, wafer: createTestWafer() });
      try {
        const attack = await post(`${s.url}/echo`, XSS_BODY);
        expect(attack.status).toBe(403);
        const payload = { name: "Siobhan O'Brien", note: "select a plan", n: [1, 2, 3], long: "x".repeat(100_000) };
        const ok = await post(`${s.url}/echo`, JSON.stringify(payload));
        expect(ok.status).toBe(200);
        const echoed = await ok.json();
        expect(echoed.received).toEqual(payload);
        expect(echoed.outcome).toBe("allowed");
      } finally {
        await s.close();
      }
    });

    it("rate-limits login per user (token bucket) with 429 and RateLimit headers; other users unaffected", async () => {
      const log = capturingLogger();
      const s = await start({ wafer: createTestWafer(), rateLimits: [loginPolicy()], identify: identifyFromBody, log: { logger: log } });
      try {
        const statuses: number[] = [];
        let last: Response | undefined;
        for (let i = 0; i < 4; i++) {
          last = await post(`${s.url}/login`, JSON.stringify({ user: "alice", password: "hunter2" }));
          statuses.push(last.status);
          if (i < 3) {
            expect(await last.json()).toEqual({ welcome: "alice" });
            expect(last.headers.get("ratelimit")).toBe(`"login";r=${2 - i};t=${60 * (i + 1)}`);
          }
        }
        expect(statuses).toEqual([200, 200, 200, 429]);
        expect(last!.headers.get("content-type")).toMatch(/^application\/problem\+json/);
        expect(last!.headers.get("retry-after")).toBe("60");
        expect(last!.headers.get("ratelimit-policy")).toBe('"login";q=3;w=180');
        const problem = await last!.json();
        expect(problem).toMatchObject({ status: 429, policy: "login", retryAfter: 60 });
        expect(JSON.stringify(problem)).not.toContain("alice");
        expect((await post(`${s.url}/login`, JSON.stringify({ user: "bob" }))).status).toBe(200);
        // No identity in the body: the policy says deny.
        expect((await post(`${s.url}/login`, "{}")).status).toBe(429);
        // GET / is outside the policy.
        expect((await fetch(`${s.url}/`)).headers.get("ratelimit")).toBeNull();
        const limited = log.events.filter((e) => e.obj.blockedBy === "rateLimit");
        expect(limited[0]!.obj).toMatchObject({ outcome: "denied", status: 429, rateLimit: { policy: "login", limited: true, remaining: 0 } });
        expect(JSON.stringify(limited)).not.toContain("alice");
      } finally {
        await s.close();
      }
    });

    it("monitor mode lets an attack through, flags it, and the handler sees the decision", async () => {
      const log = capturingLogger();
      const s = await start({ wafer: createTestWafer(), mode: "monitor", rateLimits: [loginPolicy()], identify: identifyFromBody, log: { logger: log } });
      try {
        const res = await post(`${s.url}/echo`, XSS_BODY);
        expect(res.status).toBe(200);
        expect((await res.json()).outcome).toBe("flagged");
        expect(log.events[0]!.obj).toMatchObject({ outcome: "flagged", blockedBy: "waf", status: null });
        for (let i = 0; i < 5; i++) expect((await post(`${s.url}/login`, JSON.stringify({ user: "carol" }))).status).toBe(200);
        expect(log.events.filter((e) => e.obj.blockedBy === "rateLimit").length).toBe(2);
      } finally {
        await s.close();
      }
    });

    it("applies per-route policies: rule exclusions on one route, a field kept from the rules on another, inspection off on a third", async () => {
      const s = await start({
        log: false,
        wafer: createTestWafer,
        routes: [
          // First match applies: this policy, without exclusions, shadows /upload's below it.
          { path: "/upload/strict", name: "strict" },
          { path: "/upload", exclude: { families: ["sqli"] }, name: "upload" },
          { path: "/profile", exclude: { targets: [{ field: "args", names: ["bio"] }] }, name: "profile" },
          { path: "/health", mode: "off" },
        ],
      });
      try {
        const attack = "?q=1%27%20union%20select%20password%20from%20users--";
        expect((await fetch(`${s.url}/upload${attack}`)).status).toBe(200);
        expect((await fetch(`${s.url}/upload/strict${attack}`)).status).toBe(403);
        expect((await fetch(`${s.url}/echo${attack}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(403);
        expect((await fetch(`${s.url}/health${attack}`)).status).toBe(200);
        // An XSS on /upload is still refused: only the sqli family is excluded there.
        expect((await fetch(`${s.url}/upload?q=%3Cscript%3Ealert(1)%3C/script%3E`)).status).toBe(403);
        // On /profile no rule reads the `bio` argument: the request reaches the app (which
        // answers 404 where it has no such page); every other field is inspected.
        const xss = "%3Cscript%3Ealert(1)%3C/script%3E";
        expect([200, 404]).toContain((await fetch(`${s.url}/profile?bio=${xss}`)).status);
        expect((await fetch(`${s.url}/profile?name=${xss}`)).status).toBe(403);
      } finally {
        await s.close();
      }
    });
  });
}
