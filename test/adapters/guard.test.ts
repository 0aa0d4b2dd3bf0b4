import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Guard } from "../../src/adapters/guard.js";
import { requestIdFrom } from "../../src/adapters/request-id.js";
import { compileRoutes, findRoute } from "../../src/adapters/route-policy.js";
import { capturingLogger, createTestWafer, loginPolicy } from "./support.js";

describe("Guard on hostile input", () => {
  it("never rejects, and a refusal always matches the outcome (any method, path, query, headers, body)", async () => {
    const log = capturingLogger();
    const guard = new Guard<unknown>({ wafer: createTestWafer, rateLimits: [loginPolicy()], identify: (_r, info) => ({ userId: info.text().slice(0, 8) }), log: { logger: log } });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "POST", "PUT", "get", "X"),
        fc.string({ maxLength: 64 }),
        fc.array(fc.tuple(fc.string({ maxLength: 16 }), fc.string({ maxLength: 64 })), { maxLength: 6 }),
        fc.option(fc.string({ maxLength: 256 })),
        async (method, path, headers, body) => {
          const url = path.startsWith("/") ? path : `/${path}`;
          const result = await guard.check({
            input: { method, url, headers: Object.fromEntries(headers), body: body ?? null },
            req: null, method, path: url.split("?")[0]!, ip: "198.51.100.1", headers: Object.fromEntries(headers),
          });
          expect(["allowed", "denied", "flagged"]).toContain(result.outcome);
          expect(result.refusal !== undefined).toBe(result.outcome === "denied");
          if (result.refusal) {
            expect([403, 429]).toContain(result.refusal.status);
            expect(JSON.parse(result.refusal.body).requestId).toBe(result.requestId);
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(log.events.filter((e) => e.level === "error")).toEqual([]);
  });

  it("request ids from the client are reused only when they cannot forge a log line or header", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (incoming) => {
        const id = requestIdFrom(incoming);
        expect(id).toMatch(/^[A-Za-z0-9._:@/+=-]{1,128}$/);
        if (id !== incoming) expect(id).toMatch(/^[0-9a-f-]{36}$/);
      }),
    );
    expect(requestIdFrom("abc-123")).toBe("abc-123");
    expect(requestIdFrom("a\r\nSet-Cookie: x")).not.toContain("\n");
  });
});

describe("route policies", () => {
  it("match like rate-limit routes: segment-aware prefixes, globs, RegExps; first match wins", () => {
    const routes = compileRoutes([
      { path: "/api/upload", methods: ["post"], name: "upload" },
      { path: "/users/*/reset", name: "reset" },
      { path: "/static/**", name: "static" },
      { path: /^\/v\d+\/chat$/, name: "chat" },
      { path: "/api", name: "api" },
    ]);
    const name = (method: string, path: string) => findRoute(routes, method, path)?.name;
    expect(name("POST", "/api/upload")).toBe("upload");
    expect(name("POST", "/api/upload/x")).toBe("upload");
    expect(name("GET", "/api/upload")).toBe("api");
    expect(name("GET", "/api/uploadz")).toBe("api");
    expect(name("GET", "/apix")).toBeUndefined();
    expect(name("GET", "/users/42/reset")).toBe("reset");
    expect(name("GET", "/users/42/x/reset")).toBeUndefined();
    expect(name("GET", "/static/a/b.css")).toBe("static");
    expect(name("GET", "/v2/chat")).toBe("chat");
    const listed = compileRoutes([{ path: ["/a", "/b/*", /^\/C$/i], name: "listed" }]);
    expect(["/a/x", "/b/c", "/c", "/B/c", "/A"].map((p) => findRoute(listed, "GET", p)?.name)).toEqual(["listed", "listed", "listed", undefined, undefined]);
  });
});
