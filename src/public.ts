/** Everything the package exports besides createWafer/init (shared by every runtime entry). */
export { Wafer } from "./engine/engine.js";
export type { PackInfo } from "./engine/engine.js";
export type { Decision, DecisionAction, Match, MatchedField, ParseError } from "./engine/decision.js";
export type { Truncation } from "./engine/arena-writer.js";
export type { WaferOptions, Limits, RouteExclusion, InspectContext } from "./engine/options.js";
export type { TargetName, TargetSource } from "./pack/schema.js";
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
// Reading and verifying packs, and watchers, are `wafer/lifecycle`; verifyPack is asynchronous,
// so here it loads that code on first call (src/lifecycle/load.ts) rather than at import.
export { verifyPack } from "./lifecycle/verify-on-demand.js";
export { PackRefusedError } from "./lifecycle/errors.js";
export type { VerifiedPack, PackLoadOptions, PackUpdateOptions, WatchOptions, PackWatcher } from "./lifecycle/index.js";
