// Fastify + wafer: the plugin inspects in onRequest (before Fastify parses the body, which
// it then still gets whole); POST /login limited per user with a token bucket.
//
//   npm run build && node examples/fastify/server.mjs        (PORT=3000 by default)
import Fastify from "fastify";
import { createWafer } from "wafer";
import { waferFastify, tokenBucket } from "wafer/fastify";

const app = Fastify();

await app.register(waferFastify, {
  wafer: createWafer,
  rateLimits: [
    tokenBucket({
      id: "login-per-user", capacity: 5, refillRate: 1, intervalMs: 60_000,
      characteristics: ["userId"], match: { route: "/login", methods: ["POST"] }, onMissingIdentity: "deny",
    }),
  ],
  identify: (_request, body) => ({ userId: body.json()?.username ?? body.form().get("username") ?? undefined }),
});

app.get("/", async () => "hello from fastify\n");
app.get("/search", async (request) => ({ q: request.query.q ?? "", decision: request.wafer.outcome }));
app.get("/health", { config: { wafer: { mode: "off" } } }, async () => "ok\n");   // not inspected
app.post("/login", async (request) => ({ welcome: request.body.username }));

await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? "127.0.0.1" });
const { address, port } = app.server.address();
console.log(`fastify example listening on http://${address}:${port}`);
