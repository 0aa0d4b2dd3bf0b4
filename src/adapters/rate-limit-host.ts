/**
 * Obtaining a RateLimiter for an engine. The limiter's table lives in Wasm memory: the
 * engine's own instance can host it (both the request arena and the table are carved out
 * of the same never-freeing heap, and rlConfigure is independent of configure).
 *
 * - An engine that offers `createRateLimiter(options)` is asked for one (the intended API).
 * - Otherwise the engine's instance is used directly (interim, until the engine exposes
 *   that method). One instance holds one table, so one limiter per engine: a second
 *   adapter on the same engine must be handed the first one's limiter (`guard.rateLimiter`).
 */
import { RateLimiter, type RateLimiterOptions } from "../ratelimit/limiter.js";
import type { Policy } from "../ratelimit/policy.js";
import { AdapterConfigError } from "./errors.js";

/** What `rateLimits` accepts: policies, full limiter options, or a limiter built elsewhere. */
export type RateLimitsOption = readonly Policy[] | RateLimiterOptions | RateLimiter;

interface EngineHost {
  createRateLimiter?: (options: RateLimiterOptions) => RateLimiter;
  exports?: Record<string, unknown> & { memory?: WebAssembly.Memory };
}

const hosted = new WeakMap<object, RateLimiter>();

function isLimiter(value: unknown): value is RateLimiter {
  return typeof (value as RateLimiter).check === "function" && typeof (value as RateLimiter).checkAsync === "function";
}

export function resolveRateLimiter(engine: object, option: RateLimitsOption | undefined): RateLimiter | undefined {
  if (option === undefined) return undefined;
  if (isLimiter(option)) return option;
  const options: RateLimiterOptions = Array.isArray(option) ? { policies: option as readonly Policy[] } : (option as RateLimiterOptions);
  if (!Array.isArray(options.policies)) {
    throw new AdapterConfigError("rateLimits", "must be a list of policies (tokenBucket, slidingWindow, fixedWindow), RateLimiter options with `policies`, or a RateLimiter");
  }
  if (options.policies.length === 0) return undefined;
  const host = engine as EngineHost;
  if (typeof host.createRateLimiter === "function") return host.createRateLimiter(options);
  if (hosted.has(engine)) {
    throw new AdapterConfigError(
      "rateLimits",
      "policies were given to a second adapter on an engine that already hosts a rate limiter; pass the first adapter's `rateLimiter` instead",
    );
  }
  const exports = host.exports;
  if (exports === undefined || !(exports.memory instanceof WebAssembly.Memory)) {
    throw new AdapterConfigError("rateLimits", "needs a wafer engine instance (from createWafer) to host the rate-limit table");
  }
  const limiter = new RateLimiter(exports, exports.memory, options);
  hosted.set(engine, limiter);
  return limiter;
}
