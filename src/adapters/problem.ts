/**
 * Refusals as RFC 9457 `application/problem+json`, in a runtime-neutral shape
 * ({ status, headers, body }) that each adapter writes its own way (a Web Response, a Node
 * ServerResponse, a Fastify reply). Bodies carry the request id so a user can quote it to
 * support; they never name the rules that fired (that would help an attacker tune a
 * payload) nor echo the identity that was rate limited.
 */
import { rateLimitHeaders } from "../ratelimit/headers.js";
import type { RateLimitResult } from "../ratelimit/limiter.js";

export interface Refusal {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function seconds(ms: number): number {
  return ms > 0 && Number.isFinite(ms) ? Math.ceil(ms / 1000 - 1e-9) : 0;
}

export function forbidden(requestId: string, requestIdHeader: string | false): Refusal {
  const body = {
    type: "about:blank",
    title: "Forbidden",
    status: 403,
    detail: "The request was refused by the application firewall.",
    instance: `urn:wafer:request:${requestId}`,
    requestId,
  };
  const headers: Record<string, string> = { "content-type": "application/problem+json", "cache-control": "no-store" };
  if (requestIdHeader !== false) headers[requestIdHeader] = requestId;
  return { status: 403, headers, body: JSON.stringify(body) };
}

export function tooManyRequests(result: RateLimitResult, requestId: string, requestIdHeader: string | false, legacyHeaders: boolean): Refusal {
  const retry = Math.max(1, seconds(result.retryAfterMs));
  const detail =
    result.reason === "storeUnavailable"
      ? "The rate-limit service is unavailable; retry shortly."
      : result.reason === "missingIdentity"
        ? "This endpoint requires an identity the request did not carry."
        : `Rate limit "${result.policy}" exceeded; retry in ${retry} s.`;
  const body = {
    type: "about:blank",
    title: "Too Many Requests",
    status: 429,
    detail,
    policy: result.policy,
    retryAfter: retry,
    instance: `urn:wafer:request:${requestId}`,
    requestId,
  };
  const headers: Record<string, string> = {
    "content-type": "application/problem+json",
    "cache-control": "no-store",
    ...rateLimitHeaders(result, { legacy: legacyHeaders }),
    "Retry-After": String(retry),
  };
  if (requestIdHeader !== false) headers[requestIdHeader] = requestId;
  return { status: 429, headers, body: JSON.stringify(body) };
}

export function toResponse(refusal: Refusal): Response {
  return new Response(refusal.body, { status: refusal.status, headers: refusal.headers });
}
