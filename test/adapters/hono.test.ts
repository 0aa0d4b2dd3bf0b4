import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { AdapterConfigError } from "../../src/adapters/errors.js";
import { wafer, type WaferVariables } from "../../src/adapters/hono.js";
import { adapterSuite } from "./support.js";

adapterSuite("Hono on @hono/node-server", async (options) => {
  const app = new Hono<{ Variables: WaferVariables }>();
  app.use(wafer(options));
  app.get("/", (c) => c.text("ok"));
  app.get("/upload", (c) => c.text("uploaded"));
  app.get("/health", (c) => c.text("healthy"));
  app.post("/echo", async (c) => c.json({ received: await c.req.json(), outcome: c.get("wafer").outcome }));
  app.post("/login", async (c) => c.json({ welcome: (await c.req.json<{ user: string }>()).user }));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
});

describe("Hono middleware configuration", () => {
  it("refuses a bad configuration where the middleware is created, naming the option", () => {
    expect(() => wafer({} as never)).toThrow(AdapterConfigError);
    expect(() => wafer({} as never)).toThrow(/wafer is required/);
    expect(() => wafer({ wafer: async () => ({}) as never, routes: [{ path: "/x", mode: "nope" as never }] })).toThrow(
      /routes\[0\]\.mode must be "block", "monitor" or "off", got "nope"/,
    );
  });
});
