// Hono on Node (@hono/node-server) + wafer. The same middleware runs unchanged on Workers,
// Deno and Bun; only the server line differs.
//
//   npm run build && node examples/hono-node/server.mjs      (PORT=3000 by default)
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { createWafer } from "wafer";
import { wafer, tokenBucket } from "wafer/hono";

const app = new Hono();

app.use(wafer({
  wafer: createWafer,
  rateLimits: [
    tokenBucket({
      id: "login-per-user", capacity: 5, refillRate: 1, intervalMs: 60_000,
      characteristics: ["userId"], match: { route: "/login", methods: ["POST"] }, onMissingIdentity: "deny",
    }),
  ],
  identify: (_c, body) => ({ userId: body.json()?.username ?? body.form().get("username") ?? undefined }),
}));

app.get("/", (c) => c.text("hello from hono\n"));
app.get("/search", (c) => c.json({ q: c.req.query("q") ?? "", decision: c.get("wafer").outcome }));
app.post("/login", async (c) => c.json({ welcome: (await c.req.json()).username }));

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000), hostname: process.env.HOST ?? "127.0.0.1" }, (info) => {
  console.log(`hono example listening on http://${info.address}:${info.port}`);
});
process.on("SIGTERM", () => server.close());
