/**
 * What the engine decided about one request. Cheap to create: match details are read
 * from Wasm memory only when the request matched something, and messages are built from
 * the pack metadata only when `matches` or `reasons` is read.
 */
import type { RateLimitResult } from "../ratelimit/limiter.js";
import type { Truncation } from "./arena-writer.js";

export type DecisionAction = "allow" | "deny" | "monitor";

export interface MatchedField {
  /** Field kind, e.g. "queryArg", "header", "bodyJson". */
  kind: string;
  /** Field name (argument, header or cookie name; JSON path), when the kind has one. */
  name?: string;
  /** Whether the rule matched the field's value or its name. */
  part: "value" | "name";
}

export interface Match {
  rule: string;
  family: string;
  message: string;
  severity: string;
  tags: string[];
  paranoia: number;
  score: number;
  field: MatchedField;
  /** A short, redacted excerpt of the matched value, safe for logs. */
  snippet: string;
}

export interface ParseError {
  part: string;
  message: string;
}

export interface Decision {
  /** True when the request may proceed (always true in monitor mode). */
  readonly allowed: boolean;
  /** True when the request must be refused. */
  readonly denied: boolean;
  /** "deny", "allow", or "monitor" when monitor mode let through a request it would deny. */
  readonly action: DecisionAction;
  /** Anomaly score of the rules that fired. */
  readonly score: number;
  /** The anomaly threshold in force. */
  readonly threshold: number;
  readonly matches: readonly Match[];
  /** One human-readable line per match, plus limit and parse notes. */
  readonly reasons: readonly string[];
  /** Limits that cut what was inspected (fields, bytes, body, depth, parts). */
  readonly truncated: readonly Truncation[];
  /** Bodies that could not be parsed as declared (inspected as raw text instead). */
  readonly parseErrors: readonly ParseError[];
  /** Name and version of the pack that produced the decision. */
  readonly pack: { name: string; version: string };
  /** The rate-limit verdict when the engine has policies (remaining, reset, retry-after, policy). */
  readonly rateLimit?: RateLimitResult;
  /** What denied (or in monitor mode would have denied) the request. */
  readonly blockedBy: "waf" | "rateLimit" | null;
}

export interface RawMatch {
  rule: number;
  field: { kind: string; name?: string; part: "value" | "name" };
  snippet: string;
}

export class EngineDecision implements Decision {
  private cachedMatches: Match[] | undefined;
  readonly action: DecisionAction;
  readonly blockedBy: "waf" | "rateLimit" | null;

  constructor(
    private readonly wafAction: DecisionAction,
    readonly score: number,
    readonly threshold: number,
    private readonly raw: RawMatch[],
    private readonly describe: (rule: number) => Omit<Match, "field" | "snippet">,
    readonly truncated: readonly Truncation[],
    readonly parseErrors: readonly ParseError[],
    private readonly packInfo: () => { name: string; version: string },
    readonly rateLimit: RateLimitResult | undefined = undefined,
    private readonly denyAs: "deny" | "monitor" = "deny",
  ) {
    const limited = rateLimit !== undefined && !rateLimit.allowed;
    this.action = wafAction !== "allow" ? wafAction : limited ? denyAs : "allow";
    this.blockedBy = wafAction !== "allow" ? "waf" : limited ? "rateLimit" : null;
  }

  /** The same decision with a rate-limit verdict added (async store checks). */
  withRateLimit(limit: RateLimitResult): EngineDecision {
    return new EngineDecision(this.wafAction, this.score, this.threshold, this.raw, this.describe, this.truncated, this.parseErrors, this.packInfo, limit, this.denyAs);
  }

  get allowed(): boolean {
    return this.action !== "deny";
  }

  get denied(): boolean {
    return this.action === "deny";
  }

  get pack(): { name: string; version: string } {
    return this.packInfo();
  }

  get matches(): readonly Match[] {
    this.cachedMatches ??= this.raw.map((m) => ({ ...this.describe(m.rule), field: m.field, snippet: m.snippet }));
    return this.cachedMatches;
  }

  get reasons(): readonly string[] {
    const reasons = this.matches.map(
      (m) => `rule ${m.rule} (${m.family}, +${m.score}): ${m.message} in ${m.field.kind}${m.field.name !== undefined ? ` "${m.field.name}"` : ""}${m.field.part === "name" ? " (name)" : ""}`,
    );
    for (const t of this.truncated) reasons.push(`limit ${t.limit} cut ${t.detail}`);
    for (const p of this.parseErrors) reasons.push(`could not parse ${p.part}: ${p.message}`);
    if (this.rateLimit && !this.rateLimit.allowed)
      reasons.push(`rate limit ${this.rateLimit.policy ?? ""} exceeded: retry after ${Math.ceil((this.rateLimit.retryAfterMs ?? 0) / 1000)} s`);
    return reasons;
  }

  toJSON(): object {
    return {
      action: this.action,
      allowed: this.allowed,
      denied: this.denied,
      score: this.score,
      threshold: this.threshold,
      matches: this.matches,
      truncated: this.truncated,
      parseErrors: this.parseErrors,
      pack: this.pack,
      blockedBy: this.blockedBy,
      ...(this.rateLimit ? { rateLimit: this.rateLimit } : {}),
    };
  }
}
