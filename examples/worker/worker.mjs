// A Cloudflare Worker protected by wafer. The "workerd" build of the package imports
// engine.wasm as a WebAssembly.Module (Workers forbid compiling Wasm from bytes) and the
// default pack, default-pack.bin, as a Data module (an ArrayBuffer).
import { createWafer } from "wafer";
import { getDecision, protect, tokenBucket } from "wafer/fetch";

async function app(request) {
  const url = new URL(request.url);
  if (url.pathname === "/login" && request.method === "POST") {
    const { username } = await request.json();
    return Response.json({ welcome: username });
  }
  if (url.pathname === "/search") return Response.json({ q: url.searchParams.get("q") ?? "", decision: getDecision(request)?.outcome });
  return new Response("hello from a worker\n");
}

export default {
  // The engine is created on the first request, not at startup; ctx.waitUntil is found in the
  // handler's arguments; the client address is Cloudflare's cf-connecting-ip.
  fetch: protect(app, {
    wafer: createWafer,
    rateLimits: [
      tokenBucket({
        id: "login-per-user", capacity: 5, refillRate: 1, intervalMs: 60_000,
        characteristics: ["userId"], match: { route: "/login", methods: ["POST"] }, onMissingIdentity: "deny",
      }),
    ],
    identify: (_request, body) => ({ userId: body.json()?.username }),
  }),
};
