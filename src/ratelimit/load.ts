/**
 * Loads the rate limiter on demand (see registry.ts). In the built package the dynamic
 * import below stays an import of the `wafer/ratelimit` file (scripts/build.mjs rewrites it
 * to ./ratelimit.js, or ../ratelimit.js from an adapter), so the code is fetched and parsed
 * only by applications that configure rate limits, and `wafer/ratelimit`'s RateLimiter is
 * the very class the engine hosts. Bundlers (wrangler, Vercel) follow it like any import.
 */
import { registerRateLimiter, registeredRateLimiter } from "./registry";

export async function loadRateLimiter(): Promise<void> {
  if (registeredRateLimiter()) return;
  const { RateLimiter } = await import("./index");
  // Registered here as well as by the class itself: a bundler that inlines this import may
  // treat the module as side-effect free and keep only what is used.
  registerRateLimiter(RateLimiter);
}
