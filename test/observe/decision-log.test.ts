import { describe, expect, it } from "vitest";
import type { Decision, Match } from "../../src/engine/decision.js";
import { DecisionLog } from "../../src/observe/decision-log.js";
import { WaferMetrics, metricsFor } from "../../src/observe/counters.js";
import { rateLimitSummary, wafSummary, type DecisionEvent } from "../../src/observe/event.js";
import { otelAttributes, type OtelAttributes } from "../../src/observe/otel.js";
import type { RateLimitResult } from "../../src/ratelimit/limiter.js";
import { capturingLogger } from "../adapters/support.js";

function match(rule: string, family: string, name: string, snippet: string): Match {
  return { rule, family, message: `${rule} message`, severity: "critical", tags: [], paranoia: 1, score: 5, field: { kind: "queryArg", name, part: "value" }, snippet };
}

function decision(action: Decision["action"], matches: Match[], extra: Partial<Decision> = {}): Decision {
  return {
    action, allowed: action !== "deny", denied: action === "deny", score: matches.length * 5, threshold: 5, matches,
    reasons: [], truncated: [], parseErrors: [], pack: { name: "core", version: "1.2.3" }, blockedBy: action === "allow" ? null : "waf", ...extra,
  };
}

const limited: RateLimitResult = {
  allowed: false, limited: true, policy: "login", remaining: 0, limit: 3, windowMs: 180_000, resetMs: 60_000, retryAfterMs: 60_000, dryRun: false,
};

function event(outcome: DecisionEvent["outcome"], d: Decision | undefined, rl?: RateLimitResult): DecisionEvent {
  return {
    time: "2026-11-22T12:00:00.000Z", requestId: "r1", outcome, blockedBy: outcome === "denied" ? "waf" : null, status: outcome === "denied" ? 403 : null,
    method: "GET", path: "/search", route: "search", ip: "203.0.113.9", waf: wafSummary(d), rateLimit: rateLimitSummary(rl),
    timings: { inspectMs: 0.1, totalMs: 0.2 },
  };
}

describe("DecisionLog", () => {
  it("writes denied events at warn and flagged ones at info, as one JSON-ready object", () => {
    const logger = capturingLogger();
    const log = new DecisionLog({ logger });
    log.record(event("denied", decision("deny", [match("sqli-1", "sqli", "q", "1' or 1=1")])));
    log.record(event("flagged", decision("monitor", [match("xss-1", "xss", "q", "<script>")])));
    expect(logger.events.map((e) => [e.level, e.msg])).toEqual([
      ["warn", "wafer: denied GET /search (waf)"],
      ["info", "wafer: flagged GET /search"],
    ]);
    const written = JSON.parse(JSON.stringify(logger.events[0]!.obj));
    expect(written).toMatchObject({
      requestId: "r1", outcome: "denied", route: "search", ip: "203.0.113.9",
      waf: { action: "deny", rules: ["sqli-1"], families: ["sqli"], pack: "core@1.2.3", matches: [{ rule: "sqli-1", field: { kind: "queryArg", name: "q" }, snippet: "1' or 1=1" }] },
    });
  });

  it("samples allowed requests at the configured rate", () => {
    let n = 0;
    const rolls = [0.05, 0.5, 0.09, 0.95];
    const log = new DecisionLog({ logger: capturingLogger(), sampleAllowed: 0.1, random: () => rolls[n++ % rolls.length]! });
    expect([log.sampleAllowed(), log.sampleAllowed(), log.sampleAllowed(), log.sampleAllowed()]).toEqual([true, false, true, false]);
    expect(new DecisionLog({ logger: capturingLogger() }).sampleAllowed()).toBe(false);
    expect(() => new DecisionLog({ sampleAllowed: 2 })).toThrow("log.sampleAllowed must be a number from 0 to 1, got 2");
    expect(() => new DecisionLog({ logger: {} as never })).toThrow("pino-compatible");
  });

  it("applies extra redaction and can leave out the client address", () => {
    const logger = capturingLogger();
    const log = new DecisionLog({ logger, includeIp: false, redaction: { sensitiveNames: /^q$/ } });
    log.record(event("denied", decision("deny", [match("sqli-1", "sqli", "q", "1' or 1=1")])));
    expect(logger.events[0]!.obj.ip).toBeNull();
    expect(logger.events[0]!.obj.waf.matches[0]!.snippet).toBe("[redacted]");
  });

  it("calls the OTel hook for every event, and survives a throwing hook or logger", () => {
    const seen: OtelAttributes[] = [];
    const throwing = { info() { throw new Error("x"); }, warn() { throw new Error("x"); }, error() { throw new Error("x"); } };
    const log = new DecisionLog({ logger: throwing, onDecision: (a) => { seen.push(a); throw new Error("hook"); } });
    expect(() => log.record(event("denied", decision("deny", [match("sqli-1", "sqli", "q", "x")]), limited))).not.toThrow();
    expect(() => log.reportError(new Error("boom"), "r1")).not.toThrow();
    expect(seen[0]).toEqual({
      "http.request.method": "GET", "url.path": "/search", "http.route": "search", "client.address": "203.0.113.9",
      "http.response.status_code": 403, "wafer.request.id": "r1", "wafer.outcome": "denied", "wafer.blocked_by": "waf",
      "wafer.action": "deny", "wafer.score": 5, "wafer.threshold": 5, "wafer.duration_ms": 0.2, "wafer.rule.ids": ["sqli-1"],
      "wafer.rule.families": ["sqli"], "wafer.pack": "core@1.2.3", "wafer.ratelimit.policy": "login", "wafer.ratelimit.limited": true,
      "wafer.ratelimit.remaining": 0,
    });
  });

  it("event summaries are JSON-safe (no Infinity) and never carry the identity", () => {
    const noLimit = rateLimitSummary({ ...limited, allowed: true, limited: false, remaining: Infinity, limit: Infinity, policy: "p" });
    expect(JSON.parse(JSON.stringify(noLimit))).toMatchObject({ remaining: null, limit: null });
    expect(rateLimitSummary({ ...limited, policy: undefined })).toBeNull();
    expect(wafSummary(undefined).action).toBe("skipped");
    const attrs = otelAttributes(event("allowed", undefined));
    expect(attrs["wafer.action"]).toBe("skipped");
    expect(attrs["http.response.status_code"]).toBeUndefined();
  });
});

describe("event redaction", () => {
  it("masks credentials in paths and field names, keeps ids readable", async () => {
    const { redactPath } = await import("../../src/observe/event.js");
    expect(redactPath("/reset/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")).toBe("/reset/[redacted]");
    expect(redactPath("/users/jane@example.com/orders/123456789")).toBe("/users/***@example.com/orders/123456789");
    const summary = wafSummary(decision("deny", [match("r", "sqli", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", "x")]));
    expect(summary.matches[0]!.field.name).toBe("[redacted]");
  });
});

describe("WaferMetrics", () => {
  it("counts requests, denials by family and rule, rate limits by policy, truncations and the pack", () => {
    const m = new WaferMetrics();
    m.record("allowed", decision("allow", []), undefined, null);
    m.record("denied", decision("deny", [match("sqli-1", "sqli", "q", "x"), match("sqli-2", "sqli", "q", "x")]), undefined, "waf");
    m.record("denied", decision("deny", [match("xss-1", "xss", "q", "x")], { truncated: [{ limit: "bodyBytes", detail: "body" }] }), undefined, "waf");
    m.record("denied", decision("allow", []), limited, "rateLimit");
    m.record("flagged", decision("allow", []), { ...limited, allowed: true, dryRun: true, policy: "watch" }, null);
    m.record("flagged", decision("monitor", [match("xss-1", "xss", "q", "x")], { parseErrors: [{ part: "body", message: "bad json" }] }), undefined, null);
    let storeFailures = 2;
    m.addStoreStats(() => storeFailures);
    storeFailures = 3;
    expect(m.snapshot()).toEqual({
      requests: 6, allowed: 1, denied: 3, flagged: 2,
      deniedByFamily: { sqli: 1, xss: 1 }, deniedByRule: { "sqli-1": 1, "sqli-2": 1, "xss-1": 1 },
      rateLimited: 1, rateLimitedByPolicy: { login: 1, watch: 1 },
      truncations: { bodyBytes: 1 }, parseErrors: 1, storeErrors: 3, errors: 0,
      pack: { name: "core", version: "1.2.3" },
    });
  });

  it("metricsFor gives one set of counters per engine", () => {
    const a = {};
    const b = {};
    expect(metricsFor(a)).toBe(metricsFor(a));
    expect(metricsFor(a)).not.toBe(metricsFor(b));
  });
});
