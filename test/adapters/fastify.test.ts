import Fastify from "fastify";
import { waferFastify } from "../../src/adapters/fastify.js";
import { describe, expect, it } from "vitest";
import { adapterSuite, createTestWafer } from "./support.js";

const ATTACK_QUERY = "?q=%3Cscript%3Ealert(1)%3C/script%3E";

adapterSuite("Fastify", async (options) => {
  const app = Fastify({ bodyLimit: 1 << 20 });
  await app.register(waferFastify, options);
  app.get("/", async () => "ok");
  app.get("/upload", async () => "uploaded");
  app.get("/health", async () => "healthy");
  app.post("/echo", async (request) => ({ received: request.body, outcome: request.wafer?.outcome }));
  app.post("/login", async (request) => ({ welcome: (request.body as { user: string }).user }));
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
});

describe("Fastify: per-route config", () => {
  it("config.wafer.mode 'off' skips inspection on that route only; 'monitor' flags", async () => {
    const app = Fastify();
    await app.register(waferFastify, { wafer: createTestWafer(), log: false });
    app.get("/hook", { config: { wafer: { mode: "off" } } }, async (request) => ({ outcome: request.wafer?.outcome, decision: request.wafer?.decision === undefined ? "none" : "some" }));
    app.get("/watch", { config: { wafer: { mode: "monitor" } } }, async (request) => ({ outcome: request.wafer?.outcome }));
    app.get("/other", async () => "other");
    await app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = app.server.address() as { port: number };
    const base = `http://127.0.0.1:${port}`;
    try {
      expect(await (await fetch(`${base}/hook${ATTACK_QUERY}`)).json()).toEqual({ outcome: "allowed", decision: "none" });
      expect(await (await fetch(`${base}/watch${ATTACK_QUERY}`)).json()).toEqual({ outcome: "flagged" });
      expect((await fetch(`${base}/other${ATTACK_QUERY}`)).status).toBe(403);
      expect(await app.waferGuard.metrics()).toMatchObject({ requests: 3, denied: 1, flagged: 1, allowed: 1 });
    } finally {
      await app.close();
    }
  });
});
