/**
 * Response headers for rate-limit results.
 *
 * `RateLimit` and `RateLimit-Policy` follow draft-ietf-httpapi-ratelimit-headers-09/-10
 * (HTTP Structured Fields, List of Items, the item is the policy name as a String):
 *
 *   RateLimit-Policy: "burst";q=10;w=1, "daily";q=1000;w=86400
 *   RateLimit: "burst";r=0;t=1
 *
 * q = quota units, w = window (seconds), r = remaining units, t = seconds until the quota
 * resets. Seconds are rounded up (a client waiting the rounded-down value would be denied
 * again). `X-RateLimit-Limit/-Remaining/-Reset` (legacy, de-facto) and `Retry-After`
 * (RFC 9110, delta-seconds) are optional extras.
 */
import type { PolicyResult, RateLimitResult } from "./limiter";

export interface HeaderOptions {
  /** Also emit X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset. */
  legacy?: boolean;
  /** Emit RateLimit-Policy (default true). */
  policy?: boolean;
}

function seconds(ms: number): number {
  if (!(ms > 0)) return 0;
  if (ms === Infinity) return 0x7fffffff;
  return Math.ceil(ms / 1000 - 1e-9);
}

/** sf-string: printable ASCII, with `"` and `\` escaped; anything else dropped. */
function sfString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) continue;
    out += c === 0x22 || c === 0x5c ? "\\" + text[i] : text[i];
  }
  return out + '"';
}

function integer(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.floor(n)) : 999_999_999_999_999; // sf-integer limit
}

function policyResults(result: RateLimitResult): readonly PolicyResult[] {
  if (result.policy === undefined) return [];
  return result.results ?? [result as PolicyResult];
}

/** Header name → value pairs for a result; empty when no policy applied. */
export function rateLimitHeaders(result: RateLimitResult, options: HeaderOptions = {}): Record<string, string> {
  const headers: Record<string, string> = {};
  const all = policyResults(result);
  if (all.length === 0) return headers;
  // The RateLimit field carries the deciding policy (the strictest), as the draft advises
  // when several apply; RateLimit-Policy lists them all.
  headers["RateLimit"] = `${sfString(result.policy as string)};r=${integer(result.remaining)};t=${seconds(result.resetMs)}`;
  if (options.policy !== false) {
    headers["RateLimit-Policy"] = all.map((r) => `${sfString(r.policy)};q=${integer(r.limit)};w=${seconds(r.windowMs)}`).join(", ");
  }
  if (options.legacy) {
    headers["X-RateLimit-Limit"] = String(integer(result.limit));
    headers["X-RateLimit-Remaining"] = String(integer(result.remaining));
    headers["X-RateLimit-Reset"] = String(seconds(result.resetMs));
  }
  if (!result.allowed) headers["Retry-After"] = String(Math.max(1, seconds(result.retryAfterMs)));
  return headers;
}

/** Sets the headers on a Headers object (e.g. a Response's). */
export function applyRateLimitHeaders(target: Headers, result: RateLimitResult, options?: HeaderOptions): void {
  for (const [name, value] of Object.entries(rateLimitHeaders(result, options))) target.set(name, value);
}

/**
 * A 429 response with an RFC 9457 `application/problem+json` body. The body names the
 * policy and the wait; it never echoes the identity that was limited.
 */
export function tooManyRequests(result: RateLimitResult, options: HeaderOptions & { instance?: string; detail?: string } = {}): Response {
  const retry = Math.max(1, seconds(result.retryAfterMs));
  const body: Record<string, unknown> = {
    type: "about:blank",
    title: "Too Many Requests",
    status: 429,
    detail: options.detail ?? (result.reason === "storeUnavailable"
      ? "The rate-limit service is unavailable; retry shortly."
      : result.reason === "missingIdentity"
        ? "This endpoint requires an identity the request did not carry."
        : `Rate limit "${result.policy}" exceeded; retry in ${retry} s.`),
    policy: result.policy,
    retryAfter: retry,
  };
  if (options.instance !== undefined) body.instance = options.instance;
  const headers = new Headers({ "content-type": "application/problem+json", "cache-control": "no-store" });
  applyRateLimitHeaders(headers, result, options);
  headers.set("Retry-After", String(retry));
  return new Response(JSON.stringify(body), { status: 429, headers });
}
