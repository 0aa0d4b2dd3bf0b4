// Express + wafer: every route inspected with the default signature pack, and POST /login
// limited per user (token bucket: bursts of 5, then 1 attempt per minute).
//
//   npm run build && node examples/express/server.mjs        (PORT=3000 by default)
import express from "express";
import { createWafer } from "wafer";
import { wafer, tokenBucket } from "wafer/express";

const app = express();

app.use(wafer({
  wafer: createWafer,                      // the adapter creates the engine (default pack, block mode)
  rateLimits: [
    tokenBucket({
      id: "login-per-user", capacity: 5, refillRate: 1, intervalMs: 60_000,
      characteristics: ["userId"], match: { route: "/login", methods: ["POST"] }, onMissingIdentity: "deny",
    }),
  ],
  // The login form names the user; an auth middleware mounted earlier could supply req.user instead.
  identify: (req, body) => ({ userId: body.json()?.username ?? body.form().get("username") ?? undefined }),
}));
app.use(express.json());                   // after wafer: it reads the body ahead and gives it back

app.get("/", (_req, res) => res.send("hello from express\n"));
app.get("/search", (req, res) => res.json({ q: req.query.q ?? "", decision: res.locals.wafer.outcome }));
app.post("/login", (req, res) => res.json({ welcome: req.body.username }));

const server = app.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? "127.0.0.1", () => {
  const { address, port } = server.address();
  console.log(`express example listening on http://${address}:${port}`);
});
