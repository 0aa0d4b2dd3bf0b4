import express from "express";
import { createServer } from "node:http";
import { wafer } from "../../src/adapters/express.js";
import { listen } from "./listen.js";
import { describe, expect, it } from "vitest";
import { adapterSuite, createTestWafer } from "./support.js";

adapterSuite("Express", async (options) => {
  const app = express();
  app.use(wafer(options));         // before the body parser: it reads the body ahead and puts it back
  app.use(express.json({ limit: "1mb" }));
  app.get("/", (_req, res) => { res.send("ok"); });
  app.get("/upload", (_req, res) => { res.send("uploaded"); });
  app.get("/health", (_req, res) => { res.send("healthy"); });
  app.post("/echo", (req, res) => { res.json({ received: req.body, outcome: (res.locals.wafer as { outcome: string }).outcome }); });
  app.post("/login", (req, res) => { res.json({ welcome: req.body.user }); });
  return listen(createServer(app));
});

describe("Express: mounted after the body parser", () => {
  it("still inspects the parsed body (re-serialised) and the route still gets it", async () => {
    const app = express();
    app.use(express.json());
    app.use(wafer({ wafer: createTestWafer(), log: false }));
    app.post("/echo", (req, res) => { res.json({ received: req.body }); });
    const s = await listen(createServer(app));
    try {
      const attack = await fetch(`${s.url}/echo`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "<script>alert(document.cookie)</script>" }) });
      expect(attack.status).toBe(403);
      const ok = await fetch(`${s.url}/echo`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "hello" }) });
      expect(await ok.json()).toEqual({ received: { text: "hello" } });
    } finally {
      await s.close();
    }
  });
});
