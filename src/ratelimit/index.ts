/** Rate limits: policies, the Wasm-backed limiter, headers, and shared stores. */
export { tokenBucket, slidingWindow, fixedWindow, PolicyError, ALGORITHM_ID } from "./policy";
export type { Policy, Algorithm, Characteristic, RoutePattern, PolicyMatch, MissingIdentity, TokenBucketOptions, WindowOptions } from "./policy";
export { RateLimiter } from "./limiter";
export type { RateLimiterOptions, RateLimitRequest, RateLimitResult, PolicyResult, IdentityValues, RateLimiterStats } from "./limiter";
export { rateLimitHeaders, applyRateLimitHeaders, tooManyRequests } from "./headers";
export type { HeaderOptions } from "./headers";
export { ipKey } from "./ip-key";
export { applyAlgorithm } from "./algorithms";
export type { LimitState, AlgorithmInput, AlgorithmOutput } from "./algorithms";
export { callStore, StoreTimeoutError } from "./stores/store";
export type { RateLimitStore, StoreRequest, StoreReply, StoreFailure } from "./stores/store";
export { RedisStore, redisStore, fromNodeRedis, fromIoredis } from "./stores/redis";
export type { RedisScriptClient, RedisStoreOptions } from "./stores/redis";
export { DenoKvStore, denoKvStore, StoreContentionError } from "./stores/deno-kv";
export type { DenoKvLike, DenoKvStoreOptions } from "./stores/deno-kv";
export { DurableObjectStore, durableObjectStore, RateLimitDurableObject } from "./stores/durable-object";
export type { DurableObjectStoreOptions, DurableObjectNamespaceLike } from "./stores/durable-object";
