/** Everything the package exports besides createWafer/init (shared by every runtime entry). */
export { Wafer } from "./engine/engine.js";
export type { PackInfo } from "./engine/engine.js";
export type { Decision, DecisionAction, Match, MatchedField, ParseError } from "./engine/decision.js";
export type { Truncation } from "./engine/arena-writer.js";
export type { WaferOptions, Limits, RouteExclusion, InspectContext } from "./engine/options.js";
export { DEFAULT_LIMITS } from "./engine/options.js";
export { PackError } from "./pack/errors.js";
export type { PackIssue } from "./pack/errors.js";
export type { RequestInput } from "./request/types.js";
export { tokenBucket, slidingWindow, fixedWindow, PolicyError } from "./ratelimit/policy.js";
export type { Policy } from "./ratelimit/policy.js";
// The RateLimiter class itself is `wafer/ratelimit`: the engine loads it on demand
// (src/ratelimit/registry.ts), so importing the package does not parse it.
export type { RateLimiter, RateLimiterOptions, RateLimitResult } from "./ratelimit/limiter.js";
export { rateLimitHeaders, applyRateLimitHeaders, tooManyRequests } from "./ratelimit/headers.js";
export { verifyPack, PackRefusedError, watchPack } from "./lifecycle/index.js";
export type { VerifiedPack, PackLoadOptions, PackUpdateOptions, WatchOptions, PackWatcher } from "./lifecycle/index.js";
