/**
 * Loads the rate limiter on demand (see registry.ts). In the built package the dynamic
 * import below stays an import of dist/limiter.js next to the bundle (scripts/build.mjs
 * rewrites it, ../limiter.js from an adapter): the RateLimiter class alone, without the
 * shared stores, so the code is fetched and parsed only by applications that configure
 * rate limits, and a bundler that inlines the import (wrangler, Vercel) adds no more than
 * the engine used to carry. dist/ratelimit.js (`wafer/ratelimit`) re-exports the class from
 * the same file, so it is the very class the engine hosts.
 */
import { registerRateLimiter } from "./registry";

export async function loadRateLimiter(): Promise<void> {
  if (loaded) return;
  const { RateLimiter } = await import("./limiter");
  // Registered here as well as by the class itself: a bundler that inlines this import may
  // treat the module as side-effect free and keep only what is used; and here it is known
  // to be this bundle's own (registry.ts).
  registerRateLimiter(RateLimiter, true);
  loaded = true;
}

let loaded = false;
