import express from "express";
import { createServer } from "node:http";
import { wafer } from "../../src/adapters/express.js";
import { listen } from "./listen.js";
import { adapterSuite } from "./support.js";

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
