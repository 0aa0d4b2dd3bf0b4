// Deno.serve + wafer's fetch wrapper. Deno resolves "wafer" through package.json exports
// (the "deno" condition), from node_modules.
//
//   npm run build && cd examples/deno && deno run --allow-net --allow-env --allow-read --node-modules-dir=manual server.ts
import { createWafer } from "wafer";
import { getDecision, protect, tokenBucket } from "wafer/fetch";

async function app(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === "/login" && request.method === "POST") {
    const { username } = await request.json();
    return Response.json({ welcome: username });
  }
  if (url.pathname === "/search") return Response.json({ q: url.searchParams.get("q") ?? "", decision: getDecision(request)?.outcome });
  return new Response("hello from deno\n");
}

const handler = protect(app, {
  wafer: createWafer,
  rateLimits: [
    tokenBucket({
      id: "login-per-user", capacity: 5, refillRate: 1, intervalMs: 60_000,
      characteristics: ["userId"], match: { route: "/login", methods: ["POST"] }, onMissingIdentity: "deny",
    }),
  ],
  identify: (_request, body) => ({ userId: body.json<{ username?: string }>()?.username }),
});

// The client address comes from Deno's ServeHandlerInfo (protect reads info.remoteAddr).
Deno.serve({
  port: Number(Deno.env.get("PORT") ?? 8000),
  hostname: Deno.env.get("HOST") ?? "127.0.0.1",
  onListen: ({ hostname, port }) => console.log(`deno example listening on http://${hostname}:${port}`),
}, handler);
