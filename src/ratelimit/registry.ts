/**
 * Where an engine finds the rate limiter's code. The runtime entries ("wafer") do not
 * bundle it: every cold start parses each byte of the bundle it imports (V8 pre-parses
 * even the functions it never runs), and most engines have no rate limits. The limiter is
 * dist/limiter.js (re-exported by `wafer/ratelimit`), loaded when limits are asked for
 * (`createWafer({ rateLimits })`, an adapter's `rateLimits`), and it registers its class
 * here when it is evaluated.
 *
 * The slot is realm-wide (a global symbol), not a module variable: the engine's bundle,
 * `wafer/ratelimit` and each adapter are separate files, so `import("wafer/ratelimit")` in
 * the application must be visible to the engine's synchronous `createRateLimiter`. The
 * first class registered stays (a second copy of the same code changes nothing). A class
 * this bundle loaded itself (load.ts) comes first, so an engine pairs with its own
 * version's limiter even if another copy of the package registered one before.
 */
import type { RateLimiter } from "./limiter";

const SLOT = Symbol.for("wafer.ratelimit.RateLimiter");

type Slot = { [SLOT]?: typeof RateLimiter };

let own: typeof RateLimiter | undefined;

export function registerRateLimiter(limiter: typeof RateLimiter, loadedByThisBundle = false): void {
  if (loadedByThisBundle) own ??= limiter;
  (globalThis as Slot)[SLOT] ??= limiter;
}

/** The RateLimiter class to use, or undefined while no copy of the limiter has been loaded. */
export function registeredRateLimiter(): typeof RateLimiter | undefined {
  return own ?? (globalThis as Slot)[SLOT];
}
