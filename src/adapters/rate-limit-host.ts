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

/** Checks the policies at setup (synchronously, so a bad route throws where the adapter is created). */
export function validateRateLimits(option: RateLimitsOption | undefined): void {
  if (option === undefined || isLimiter(option)) return;
  const policies = Array.isArray(option) ? (option as readonly Policy[]) : (option as RateLimiterOptions).policies;
  if (!Array.isArray(policies)) {
    throw new AdapterConfigError("rateLimits", "must be a list of policies (tokenBucket, slidingWindow, fixedWindow), RateLimiter options with `policies`, or a RateLimiter");
  }
  for (const policy of policies) checkLowerCaseRoutes(policy);
}

export function resolveRateLimiter(engine: object, option: RateLimitsOption | undefined): RateLimiter | undefined {
  if (option === undefined) return undefined;
  if (isLimiter(option)) return option;
  const options: RateLimiterOptions = Array.isArray(option) ? { policies: option as readonly Policy[] } : (option as RateLimiterOptions);
  if (!Array.isArray(options.policies)) {
    throw new AdapterConfigError("rateLimits", "must be a list of policies (tokenBucket, slidingWindow, fixedWindow), RateLimiter options with `policies`, or a RateLimiter");
  }
  if (options.policies.length === 0) return undefined;
  for (const policy of options.policies) checkLowerCaseRoutes(policy);
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

/** Rate limits match a lower-cased canonical path (policy-path.ts): an upper-case route would never match. */
function checkLowerCaseRoutes(policy: Policy): void {
  const route = policy.match?.route;
  const routes = route === undefined ? [] : Array.isArray(route) ? route : [route];
  for (const r of routes) {
    if (typeof r === "string" && r !== r.toLowerCase()) {
      throw new AdapterConfigError(
        `rateLimits "${policy.id}" match.route`,
        `must be lower case (${JSON.stringify(r)}): adapters match rate limits on the lower-cased path, so /Login and /login count as one route`,
      );
    }
  }
}
