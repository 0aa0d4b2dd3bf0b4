/**
 * Counters for everything the guard decides, shared by every adapter that protects with the
 * same engine (`metricsFor(wafer)`). Plain integers, no timers, no allocation per request
 * beyond a map entry the first time a rule, family or policy is seen (bounded by the pack's
 * rule count and the configured policies).
 */
import type { Decision } from "../engine/decision.js";
import type { RateLimitResult } from "../ratelimit/limiter.js";

export interface MetricsSnapshot {
  requests: number;
  allowed: number;
  denied: number;
  /** Requests monitor mode or a dry-run policy would have refused. */
  flagged: number;
  deniedByFamily: Record<string, number>;
  deniedByRule: Record<string, number>;
  rateLimited: number;
  rateLimitedByPolicy: Record<string, number>;
  /** Requests a limit cut (by limit name: bodyBytes, maxFields, jsonDepth …). */
  truncations: Record<string, number>;
  parseErrors: number;
  /** Rate-limit store failures (timeouts, errors) and dropped reconciliations. */
  storeErrors: number;
  /** Inspections that threw (the adapter's fail-open/fail-closed choice applied). */
  errors: number;
  pack: { name: string; version: string } | null;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export class WaferMetrics {
  requests = 0;
  allowed = 0;
  denied = 0;
  flagged = 0;
  rateLimited = 0;
  parseErrors = 0;
  errors = 0;
  private readonly byFamily = new Map<string, number>();
  private readonly byRule = new Map<string, number>();
  private readonly byPolicy = new Map<string, number>();
  private readonly byTruncation = new Map<string, number>();
  private pack: { name: string; version: string } | null = null;
  /** Readers of store failure counts (each rate limiter registers its stats). */
  private readonly storeStats = new Set<() => number>();

  /** Records one request's outcome. `denied`/`flagged` say what the guard did with it. */
  record(outcome: "allowed" | "denied" | "flagged", decision: Decision | undefined, rateLimit: RateLimitResult | undefined, blockedBy: "waf" | "rateLimit" | null): void {
    this.requests++;
    if (outcome === "allowed") this.allowed++;
    else if (outcome === "denied") this.denied++;
    else this.flagged++;
    if (decision !== undefined) {
      this.pack = decision.pack;
      if (blockedBy === "waf" && decision.matches.length > 0) {
        const families = new Set<string>();
        for (const m of decision.matches) {
          bump(this.byRule, m.rule);
          families.add(m.family);
        }
        for (const f of families) bump(this.byFamily, f);
      }
      if (decision.truncated.length > 0) for (const limit of new Set(decision.truncated.map((t) => t.limit))) bump(this.byTruncation, limit);
      if (decision.parseErrors.length > 0) this.parseErrors++;
    }
    if (rateLimit !== undefined && rateLimit.policy !== undefined && rateLimit.limited) {
      if (blockedBy === "rateLimit") this.rateLimited++;
      const limitedPolicies = rateLimit.results?.filter((r) => r.limited).map((r) => r.policy) ?? [rateLimit.policy];
      for (const p of limitedPolicies) bump(this.byPolicy, p);
    }
  }

  /** Registers a source of store-failure counts (a RateLimiter's stats). */
  addStoreStats(read: () => number): void {
    this.storeStats.add(read);
  }

  snapshot(): MetricsSnapshot {
    let storeErrors = 0;
    for (const read of this.storeStats) storeErrors += read();
    return {
      requests: this.requests,
      allowed: this.allowed,
      denied: this.denied,
      flagged: this.flagged,
      deniedByFamily: Object.fromEntries(this.byFamily),
      deniedByRule: Object.fromEntries(this.byRule),
      rateLimited: this.rateLimited,
      rateLimitedByPolicy: Object.fromEntries(this.byPolicy),
      truncations: Object.fromEntries(this.byTruncation),
      parseErrors: this.parseErrors,
      storeErrors,
      errors: this.errors,
      pack: this.pack,
    };
  }
}

/**
 * One registry per JavaScript realm, not per bundle: each package export (wafer/express,
 * wafer/observe, the engine entry) is bundled separately, so a module-level map would be
 * duplicated and the counters split. A global symbol makes every copy share it.
 */
const REGISTRY = Symbol.for("wafer.metrics.registry");
const registry: WeakMap<object, WaferMetrics> = ((globalThis as Record<symbol, unknown>)[REGISTRY] as WeakMap<object, WaferMetrics> | undefined) ??
  ((globalThis as Record<symbol, unknown>)[REGISTRY] = new WeakMap<object, WaferMetrics>()) as WeakMap<object, WaferMetrics>;

/**
 * The counters of one engine, created on first use. Every adapter guarding with the same
 * Wafer instance records into the same counters, so `metricsFor(wafer).snapshot()` is the
 * engine-wide view.
 */
export function metricsFor(engine: object): WaferMetrics {
  let m = registry.get(engine);
  if (m === undefined) {
    m = new WaferMetrics();
    registry.set(engine, m);
  }
  return m;
}
