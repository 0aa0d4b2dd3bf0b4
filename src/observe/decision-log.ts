/**
 * Decision logging: which events are written (every denied and flagged request, a sample of
 * allowed ones), at which level, after which redaction, and the per-request hook.
 */
import type { DecisionEvent } from "./event.js";
import { consoleLogger, type DecisionLogger } from "./logger.js";
import { otelAttributes, type DecisionHook } from "./otel.js";
import { createRedactor, type RedactionOptions, type Redactor } from "./redact.js";

export interface DecisionLogOptions {
  /** pino-compatible logger; default: JSON lines on console. `false` logs nothing. */
  logger?: DecisionLogger | false;
  /** Fraction of allowed requests logged (0–1). Default 0: only denied and flagged ones. */
  sampleAllowed?: number;
  /**
   * Extra redaction applied to snippets before they are logged. The engine's default
   * redaction (sensitive names, tokens, card numbers, digit runs, emails) always runs
   * first; this can only withhold more (more names, more patterns, shorter excerpts).
   */
  redaction?: RedactionOptions;
  /** Log the client address (default true). */
  includeIp?: boolean;
  /** Called once per request with OTel-style attributes (see otel.ts). Never sampled. */
  onDecision?: DecisionHook;
  /** Source of randomness for sampling (tests). */
  random?: () => number;
}

export class DecisionLog {
  private readonly logger: DecisionLogger | undefined;
  private readonly sample: number;
  private readonly redactor: Redactor | undefined;
  private readonly includeIp: boolean;
  private readonly hook: DecisionHook | undefined;
  private readonly random: () => number;

  constructor(options: DecisionLogOptions = {}) {
    const sample = options.sampleAllowed ?? 0;
    if (typeof sample !== "number" || !(sample >= 0 && sample <= 1)) {
      throw new TypeError(`wafer: log.sampleAllowed must be a number from 0 to 1, got ${String(sample)}`);
    }
    const logger = options.logger === undefined ? consoleLogger : options.logger;
    if (logger !== false && (typeof logger?.warn !== "function" || typeof logger.info !== "function")) {
      throw new TypeError("wafer: log.logger must have info(obj, msg) and warn(obj, msg) methods (pino-compatible), or be false");
    }
    this.logger = logger === false ? undefined : logger;
    this.sample = sample;
    this.redactor = options.redaction ? createRedactor(options.redaction) : undefined;
    this.includeIp = options.includeIp !== false;
    this.hook = options.onDecision;
    this.random = options.random ?? Math.random;
  }

  /** Draws whether this allowed request is logged (denied and flagged ones always are). */
  sampleAllowed(): boolean {
    return this.logger !== undefined && this.sample > 0 && this.random() < this.sample;
  }

  /** True when a per-request hook wants every event. */
  get hasHook(): boolean {
    return this.hook !== undefined;
  }

  /** Logs a failure of the guard itself (never the request's data). */
  reportError(error: unknown, requestId: string): void {
    try {
      const message = error instanceof Error ? error.message : String(error);
      this.logger?.error({ requestId, error: message }, "wafer: inspection failed");
    } catch {
      // A failing logger must never fail the request.
    }
  }

  /** Writes the event (when `logged`; allowed ones only when sampled) and calls the hook. */
  record(event: DecisionEvent, logged = true): void {
    const out = this.finish(event);
    if (this.hook !== undefined) {
      try {
        this.hook(otelAttributes(out), out);
      } catch {
        // A failing telemetry hook must never fail the request.
      }
    }
    if (this.logger === undefined) return;
    if (!logged) return;
    try {
      if (out.outcome === "denied") this.logger.warn(out, `wafer: denied ${out.method} ${out.path} (${out.blockedBy})`);
      else if (out.outcome === "flagged") this.logger.info(out, `wafer: flagged ${out.method} ${out.path}`);
      else this.logger.info(out, `wafer: allowed ${out.method} ${out.path}`);
    } catch {
      // Same for a failing logger.
    }
  }

  private finish(event: DecisionEvent): DecisionEvent {
    let out = event;
    if (!this.includeIp) out = { ...out, ip: null };
    const redactor = this.redactor;
    if (redactor !== undefined && out.waf.matches.length > 0) {
      out = {
        ...out,
        waf: { ...out.waf, matches: out.waf.matches.map((m) => ({ ...m, snippet: redactor(m.field.name, m.snippet) })) },
      };
    }
    return out;
  }
}
