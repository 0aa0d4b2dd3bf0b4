/**
 * Rate-limit policies: what is limited (route, methods), per whom (characteristics), how
 * (algorithm, limit, period, cost) and whether it blocks (enforce) or only reports (dryRun).
 *
 * Every algorithm is normalised to "limit units per period milliseconds", the shape the
 * Wasm table, the Lua scripts and the KV/DO stores share.
 */

import type { PathPattern } from "../path-pattern/index";

export type Algorithm = "tokenBucket" | "slidingWindow" | "fixedWindow";

/** Which identity values form the key. `header:<name>` reads a request header;
 * `value:<name>` reads `identity[name]`, any value the caller supplies. */
export type Characteristic = "ip" | "userId" | "apiKey" | "email" | `header:${string}` | `value:${string}`;

/** Route: a path prefix ("/api" matches "/api" and "/api/…", not "/apix"), a glob
 * ("/users/*\/login": `*` within a segment, `**` across segments; matched in linear time)
 * or a RegExp (src/path-pattern). */
export type RoutePattern = PathPattern;

export interface PolicyMatch {
  route?: RoutePattern | readonly RoutePattern[];
  /** Upper-case HTTP methods; absent means all. */
  methods?: readonly string[];
}

/** What to do when a characteristic is absent from the request: an explicit choice. */
export type MissingIdentity = "shared" | "skip" | "deny";

interface PolicyCommon {
  id: string;
  match?: PolicyMatch;
  characteristics: readonly Characteristic[];
  /** `dryRun` evaluates and counts as if enforced, but never denies. Default `enforce`. */
  mode?: "enforce" | "dryRun";
  /** Units one request consumes; default 1. A request may override it (`request.cost`). */
  cost?: number;
  onMissingIdentity: MissingIdentity;
}

export interface TokenBucketOptions extends PolicyCommon {
  /** Bucket size: the largest burst. */
  capacity: number;
  /** Tokens added every `intervalMs`. */
  refillRate: number;
  intervalMs: number;
}

export interface WindowOptions extends PolicyCommon {
  /** Units allowed per window. */
  limit: number;
  windowMs: number;
}

/** A validated policy in the normalised shape. */
export interface Policy {
  readonly id: string;
  readonly algorithm: Algorithm;
  /** Units per period (token bucket: capacity). */
  readonly limit: number;
  /** Period in ms (token bucket: time to refill the whole bucket). */
  readonly periodMs: number;
  readonly cost: number;
  readonly mode: "enforce" | "dryRun";
  readonly match: PolicyMatch | undefined;
  readonly characteristics: readonly Characteristic[];
  readonly onMissingIdentity: MissingIdentity;
}

const POLICY_ERROR = Symbol.for("wafer.PolicyError");

/**
 * A configuration error that names the policy and the field at fault.
 *
 * `instanceof` holds across copies of this class: "wafer" exports one, while the limiter
 * that throws it for a whole set of policies is a separate file the engine loads on
 * demand (dist/limiter.js, registry.ts). Instances carry a mark under a global symbol.
 */
export class PolicyError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return Function.prototype[Symbol.hasInstance].call(this, value) || (typeof value === "object" && value !== null && POLICY_ERROR in value);
  }

  constructor(readonly policyId: string, readonly field: string, reason: string) {
    super(`rate-limit policy "${policyId}": ${field} ${reason}`);
    this.name = "PolicyError";
    Object.defineProperty(this, POLICY_ERROR, { value: true });
  }
}

function positive(id: string, field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new PolicyError(id, field, `must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}

function common(o: PolicyCommon, algorithm: Algorithm, limit: number, periodMs: number): Policy {
  const id = o.id;
  if (typeof id !== "string" || id.length === 0) throw new PolicyError(String(id), "id", "must be a non-empty string");
  const cost = o.cost ?? 1;
  if (typeof cost !== "number" || !Number.isFinite(cost) || cost < 0) {
    throw new PolicyError(id, "cost", `must be a finite number ≥ 0, got ${String(cost)}`);
  }
  if (cost > limit) throw new PolicyError(id, "cost", `(${cost}) exceeds the limit (${limit}): every request would be denied`);
  const mode = o.mode ?? "enforce";
  if (mode !== "enforce" && mode !== "dryRun") throw new PolicyError(id, "mode", `must be "enforce" or "dryRun", got ${String(mode)}`);
  if (!Array.isArray(o.characteristics)) throw new PolicyError(id, "characteristics", "must be an array");
  for (const c of o.characteristics) {
    const ok = c === "ip" || c === "userId" || c === "apiKey" || c === "email" ||
      (typeof c === "string" && (c.startsWith("header:") || c.startsWith("value:")) && c.indexOf(":") < c.length - 1);
    if (!ok) throw new PolicyError(id, "characteristics", `has an unknown entry ${JSON.stringify(c)} (ip, userId, apiKey, email, header:<name>, value:<name>)`);
  }
  const missing = o.onMissingIdentity;
  if (missing !== "shared" && missing !== "skip" && missing !== "deny") {
    throw new PolicyError(id, "onMissingIdentity", `must be "shared", "skip" or "deny" (an explicit choice), got ${String(missing)}`);
  }
  const methods = o.match?.methods;
  if (methods !== undefined && (!Array.isArray(methods) || methods.some((m) => typeof m !== "string"))) {
    throw new PolicyError(id, "match.methods", "must be an array of method names");
  }
  return {
    id, algorithm, limit, periodMs, cost, mode,
    match: o.match,
    characteristics: [...o.characteristics],
    onMissingIdentity: missing,
  };
}

/** Token bucket (GCRA): bursts up to `capacity`, refilled at `refillRate` per `intervalMs`. */
export function tokenBucket(o: TokenBucketOptions): Policy {
  const capacity = positive(o.id, "capacity", o.capacity);
  const rate = positive(o.id, "refillRate", o.refillRate);
  const interval = positive(o.id, "intervalMs", o.intervalMs);
  return common(o, "tokenBucket", capacity, (interval * capacity) / rate);
}

/** Sliding window (weighted two-window counter): `limit` per rolling `windowMs`. */
export function slidingWindow(o: WindowOptions): Policy {
  return common(o, "slidingWindow", positive(o.id, "limit", o.limit), positive(o.id, "windowMs", o.windowMs));
}

/** Fixed window: `limit` per aligned window of `windowMs`. */
export function fixedWindow(o: WindowOptions): Policy {
  return common(o, "fixedWindow", positive(o.id, "limit", o.limit), positive(o.id, "windowMs", o.windowMs));
}

/** Algorithm ids of the Wasm table and the stores (assembly/ratelimit/algorithms.ts). */
export const ALGORITHM_ID: Readonly<Record<Algorithm, number>> = { tokenBucket: 1, slidingWindow: 2, fixedWindow: 3 };
