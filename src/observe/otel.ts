/**
 * An OpenTelemetry-friendly view of a decision: a flat attribute map whose names follow the
 * OTel semantic conventions where one exists (HTTP and client attributes), and a `wafer.*`
 * namespace for the rest. The library depends on no OTel package: pass a callback that
 * sets the attributes on your active span, or records a metric.
 *
 *   onDecision: (attrs) => trace.getActiveSpan()?.setAttributes(attrs)
 */
import type { DecisionEvent } from "./event.js";

export type OtelAttributeValue = string | number | boolean | string[];
export type OtelAttributes = Record<string, OtelAttributeValue>;

/** The hook: called once per guarded request (every request, not sampled). */
export type DecisionHook = (attributes: OtelAttributes, event: DecisionEvent) => void;

export function otelAttributes(event: DecisionEvent): OtelAttributes {
  const a: OtelAttributes = {
    "http.request.method": event.method,
    "url.path": event.path,
    "wafer.request.id": event.requestId,
    "wafer.outcome": event.outcome,
    "wafer.action": event.waf.action,
    "wafer.score": event.waf.score,
    "wafer.threshold": event.waf.threshold,
    "wafer.duration_ms": event.timings.totalMs,
  };
  if (event.route !== null) a["http.route"] = event.route;
  if (event.ip !== null) a["client.address"] = event.ip;
  if (event.status !== null) a["http.response.status_code"] = event.status;
  if (event.blockedBy !== null) a["wafer.blocked_by"] = event.blockedBy;
  if (event.waf.rules.length > 0) {
    a["wafer.rule.ids"] = event.waf.rules;
    a["wafer.rule.families"] = event.waf.families;
  }
  if (event.waf.pack !== null) a["wafer.pack"] = event.waf.pack;
  if (event.waf.truncated.length > 0) a["wafer.truncated"] = event.waf.truncated;
  const rl = event.rateLimit;
  if (rl !== null && rl.policy !== undefined) {
    a["wafer.ratelimit.policy"] = rl.policy;
    a["wafer.ratelimit.limited"] = rl.limited;
    if (rl.remaining !== null) a["wafer.ratelimit.remaining"] = rl.remaining;
    if (rl.dryRun) a["wafer.ratelimit.dry_run"] = true;
  }
  return a;
}
