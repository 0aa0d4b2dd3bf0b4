/**
 * The decision event: one JSON object per denied or flagged request (and a sample of the
 * allowed ones), the same shape for every adapter and runtime. Values that came from the
 * request are redacted before they get here (snippets), and the identity used for rate
 * limits is never included.
 */
import type { Decision } from "../engine/decision.js";
import type { RateLimitResult } from "../ratelimit/limiter.js";
import { createRedactor, redactSnippet } from "./redact.js";

/** Paths keep their shape (ids stay readable) but lose credentials and emails: reset tokens, API keys in URLs. */
const redactPathText = createRedactor({ digits: false, maxLength: 512 });

export function redactPath(path: string): string {
  return redactPathText(undefined, path);
}

/** allowed: nothing fired. denied: refused. flagged: would have been refused (monitor / dry run) or matched below the threshold. */
export type EventOutcome = "allowed" | "denied" | "flagged";

export interface EventMatch {
  rule: string;
  family: string;
  severity: string;
  field: { kind: string; name?: string; part: "value" | "name" };
  snippet: string;
}

export interface EventRateLimit {
  policy: string | undefined;
  allowed: boolean;
  limited: boolean;
  remaining: number | null;
  limit: number | null;
  resetMs: number;
  retryAfterMs: number;
  dryRun: boolean;
  reason?: string;
  /** Every policy evaluated, when more than one applied. */
  policies?: { policy: string; limited: boolean; remaining: number | null; dryRun: boolean }[];
}

export interface DecisionEvent {
  /** ISO-8601 time the request was seen. */
  time: string;
  requestId: string;
  outcome: EventOutcome;
  /** Who refused (or would have): the signatures, a rate limit, or nobody. */
  blockedBy: "waf" | "rateLimit" | null;
  /** HTTP status the adapter answered with when it refused the request. */
  status: number | null;
  method: string;
  path: string;
  /** The adapter route policy that applied (its `name`, else its path pattern). */
  route: string | null;
  ip: string | null;
  waf: {
    action: "allow" | "deny" | "monitor" | "skipped";
    score: number;
    threshold: number;
    rules: string[];
    families: string[];
    matches: EventMatch[];
    truncated: string[];
    parseErrors: number;
    pack: string | null;
  };
  rateLimit: EventRateLimit | null;
  /** Milliseconds spent: body read + identity + inspection (signatures and rate limits), and the whole guard. */
  timings: { inspectMs: number; totalMs: number };
}

/** JSON has no Infinity: "no limit" becomes null. */
function finite(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

export function rateLimitSummary(result: RateLimitResult | undefined): EventRateLimit | null {
  if (result === undefined || result.policy === undefined) return null;
  return {
    policy: result.policy,
    allowed: result.allowed,
    limited: result.limited,
    remaining: finite(result.remaining),
    limit: finite(result.limit),
    resetMs: result.resetMs,
    retryAfterMs: result.retryAfterMs,
    dryRun: result.dryRun,
    ...(result.reason !== undefined ? { reason: result.reason } : {}),
    ...(result.results !== undefined
      ? { policies: result.results.map((r) => ({ policy: r.policy, limited: r.limited, remaining: finite(r.remaining), dryRun: r.dryRun })) }
      : {}),
  };
}

export function wafSummary(decision: Decision | undefined): DecisionEvent["waf"] {
  if (decision === undefined) {
    return { action: "skipped", score: 0, threshold: 0, rules: [], families: [], matches: [], truncated: [], parseErrors: 0, pack: null };
  }
  // Field names are request data too (a JSON key or query name can carry a token): masked by value.
  const matches = decision.matches.map((m) => ({
    rule: m.rule,
    family: m.family,
    severity: m.severity,
    field: m.field.name !== undefined ? { ...m.field, name: redactSnippet(undefined, m.field.name) } : m.field,
    snippet: m.snippet,
  }));
  return {
    // The signatures' own verdict: a request only a rate limit refused was allowed by them.
    action: decision.blockedBy === "rateLimit" ? "allow" : decision.action,
    score: decision.score,
    threshold: decision.threshold,
    rules: [...new Set(matches.map((m) => m.rule))],
    families: [...new Set(matches.map((m) => m.family))],
    matches,
    truncated: decision.truncated.map((t) => t.limit),
    parseErrors: decision.parseErrors.length,
    pack: `${decision.pack.name}@${decision.pack.version}`,
  };
}
