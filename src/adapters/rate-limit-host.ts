/**
 * Rate limits live in the engine (it hosts the table on its Wasm instance and decides them
 * in the same call as the signatures). An adapter's `rateLimits` option is handed to it:
 * - when the adapter creates the engine (`wafer: createWafer`), as `createWafer({ rateLimits })`;
 * - when it is given an engine, through `engine.createRateLimiter(options)` — once: an engine
 *   hosts one limiter, and every adapter that inspects through that engine shares it.
 */
import type { Wafer } from "../engine/engine.js";
import type { RateLimiterOptions } from "../ratelimit/limiter.js";
import type { Policy } from "../ratelimit/policy.js";
import { AdapterConfigError } from "./errors.js";

/** What `rateLimits` accepts: policies, or full limiter options (store, mode, capacity …). */
export type RateLimitsOption = readonly Policy[] | RateLimiterOptions;

export function limiterOptions(option: RateLimitsOption | undefined): RateLimiterOptions | undefined {
  if (option === undefined) return undefined;
  const options: RateLimiterOptions = Array.isArray(option) ? { policies: option as readonly Policy[] } : (option as RateLimiterOptions);
  if (options === null || typeof options !== "object" || !Array.isArray(options.policies)) {
    throw new AdapterConfigError("rateLimits", "must be a list of policies (tokenBucket, slidingWindow, fixedWindow) or RateLimiter options with `policies`");
  }
  return options.policies.length > 0 ? options : undefined;
}

/** Attaches the adapter's policies to an engine it was given. */
export function attachRateLimits(engine: Wafer, options: RateLimiterOptions | undefined): void {
  if (options === undefined) return;
  const host = engine as Partial<Pick<Wafer, "createRateLimiter" | "rateLimiter">>;
  if (typeof host.createRateLimiter !== "function") {
    throw new AdapterConfigError("rateLimits", "needs an engine that hosts rate limits (createWafer from this version of wafer)");
  }
  if (host.rateLimiter !== undefined) {
    throw new AdapterConfigError(
      "rateLimits",
      "were given to an adapter whose engine already has rate limits (createWafer({ rateLimits }) or another adapter): an engine hosts one set; declare them in one place",
    );
  }
  host.createRateLimiter(options);
}
