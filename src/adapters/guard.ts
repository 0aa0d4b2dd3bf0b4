/**
 * The runtime-neutral core every adapter shares: for one request, read the body ahead
 * (bounded, without consuming it for the app), inspect it with the engine, check the rate
 * limits with the caller's identity, decide what to do (pass, refuse, flag), count it, log
 * it, and hand the adapter a refusal to write or headers to add.
 *
 * The engine decides signatures and rate limits in one call (it hosts the limiter): the
 * guard supplies what only the app knows — the identity (from the `identify` hook, which
 * may read the body) and the clock — and turns the decision into a response.
 */
import type { Decision } from "../engine/decision.js";
import type { Wafer } from "../engine/engine.js";
import { DEFAULT_LIMITS, type InspectContext, type WaferOptions } from "../engine/options.js";
import { rateLimitHeaders } from "../ratelimit/headers.js";
import type { IdentityValues, RateLimitResult } from "../ratelimit/limiter.js";
import { bufferRequestBody } from "../request/extract.js";
import type { RequestInput } from "../request/types.js";
import { metricsFor, type MetricsSnapshot } from "../observe/counters.js";
import { DecisionLog, type DecisionLogOptions } from "../observe/decision-log.js";
import { rateLimitSummary, redactPath, wafSummary, type DecisionEvent, type EventOutcome } from "../observe/event.js";
import { AdapterConfigError } from "./errors.js";
import { forbidden, tooManyRequests, type Refusal } from "./problem.js";
import { attachRateLimits, limiterOptions, type RateLimitsOption } from "./rate-limit-host.js";
import { loadRateLimiter } from "../ratelimit/load.js";
import { routePath } from "./policy-path.js";
import { requestIdFrom } from "./request-id.js";
import { compileRoutes, engineExclusions, findRoute, type CompiledRoute, type RoutePolicy } from "./route-policy.js";

/** What the identity hook receives besides the framework's own request object. */
export interface IdentifyInfo {
  /** The body bytes read ahead for inspection (bounded by the engine's body limit), or null. */
  readonly body: Uint8Array | null;
  /** The body as UTF-8 text ("" when none). */
  text(): string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json<T = unknown>(): T | undefined;
  /** The body parsed as a URL-encoded form. */
  form(): URLSearchParams;
}

/** Identity values for rate-limit characteristics (userId, apiKey, email, value:<name> …). */
export type Identify<Req> = (req: Req, info: IdentifyInfo) => IdentityValues | undefined | Promise<IdentityValues | undefined>;

export type EngineOption = Wafer | Promise<Wafer> | ((options: WaferOptions) => Promise<Wafer>);

export interface GuardOptions<Req> {
  /**
   * The engine: a Wafer from `createWafer()`, a promise of one, or `createWafer` itself
   * (then the adapter creates the engine with `waferOptions` plus the routes' `exclude`s).
   */
  wafer: EngineOption;
  /** Options for the engine when `wafer` is the createWafer function. */
  waferOptions?: WaferOptions;
  /** `monitor`: decide, count and log, but never refuse (signatures or rate limits). Default `block`. */
  mode?: "block" | "monitor";
  /** Per-route policies (first match applies): mode, rule exclusions, a name for logs. */
  routes?: readonly RoutePolicy[];
  /** Rate-limit policies (each has its own `match`) or limiter options, hosted by the engine. */
  rateLimits?: RateLimitsOption;
  /** Supplies identity values (user id, API key, email …) from the app's context. */
  identify?: Identify<Req>;
  /** Decision logs: logger, sampling, redaction, OTel hook. `false`: no logging. */
  log?: DecisionLogOptions | false;
  /** Header read for an incoming request id and set on refusals and passed responses. Default "x-request-id"; false: always generate, never set. */
  requestIdHeader?: string | false;
  /** Add RateLimit / RateLimit-Policy headers to responses that pass (default true). */
  rateLimitHeaders?: boolean;
  /** Also emit X-RateLimit-* headers (default false). */
  legacyRateLimitHeaders?: boolean;
  /** When inspection itself fails (a bug, not an attack): `open` lets the request through (default), `closed` answers 503. */
  onError?: "open" | "closed";
  /** Clock for rate limits, in ms (default Date.now). */
  now?: () => number;
}

/** The neutral request description each adapter builds. */
export interface GuardRequest<Req> {
  /** What the engine inspects: a Web Request or a Node IncomingMessage. */
  input: RequestInput;
  /** The framework's request object, handed to `identify`. */
  req: Req;
  method: string;
  path: string;
  ip: string | undefined;
  headers: { get(name: string): string | null } | Record<string, string | readonly string[] | undefined>;
  context?: InspectContext;
  /** Where background rate-limit reconciliation goes (Workers: ctx.waitUntil). */
  waitUntil?: (work: Promise<unknown>) => void;
  /** A framework's per-route setting (Fastify route config), overriding the route policy's mode. */
  mode?: "block" | "monitor" | "off";
}

/** What the guard decided for one request; what `getDecision(request)` returns. */
export interface GuardResult {
  requestId: string;
  outcome: EventOutcome;
  blockedBy: "waf" | "rateLimit" | null;
  /** The signature decision; undefined on routes with mode "off" or when inspection failed. */
  decision: Decision | undefined;
  /** The rate-limit result; undefined when no policy applied. */
  rateLimit: RateLimitResult | undefined;
  /** The route policy that applied, by name. */
  route: string | undefined;
  /** Set when the request is refused: write it and do not call the app. */
  refusal: Refusal | undefined;
  /** Headers to add to the app's response when the request passes (request id, RateLimit). */
  headers: Record<string, string>;
}

const decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);

function identifyInfo(body: Uint8Array | null): IdentifyInfo {
  let text: string | undefined;
  const asText = (): string => (text ??= body === null ? "" : decoder.decode(body));
  return {
    body,
    text: asText,
    json<T>(): T | undefined {
      try {
        return JSON.parse(asText()) as T;
      } catch {
        return undefined;
      }
    },
    form: () => new URLSearchParams(asText()),
  };
}

function headerOf(headers: GuardRequest<unknown>["headers"], name: string): string | null {
  if (typeof (headers as { get?: unknown }).get === "function") return (headers as { get(n: string): string | null }).get(name);
  const v = (headers as Record<string, string | readonly string[] | undefined>)[name];
  return v === undefined ? null : typeof v === "string" ? v : v.join(", ");
}

function elapsed(since: number): number {
  return Math.round((performance.now() - since) * 1000) / 1000;
}

export class Guard<Req> {
  private readonly source: EngineOption;
  private readonly waferOptions: WaferOptions;
  private readonly rateLimits: ReturnType<typeof limiterOptions>;
  private engine: Promise<Wafer> | undefined;
  private readonly routes: CompiledRoute[];
  private readonly mode: "block" | "monitor";
  private readonly log: DecisionLog | undefined;
  private readonly identify: Identify<Req> | undefined;
  private readonly requestIdHeader: string | false;
  private readonly addRateLimitHeaders: boolean;
  private readonly legacyHeaders: boolean;
  private readonly onError: "open" | "closed";
  private readonly now: () => number;
  private readonly maxBodyBytes: number;

  constructor(options: GuardOptions<Req>) {
    if (options === null || typeof options !== "object") throw new AdapterConfigError("options", "must be an object with at least `wafer`");
    const mode = options.mode ?? "block";
    if (mode !== "block" && mode !== "monitor") throw new AdapterConfigError("mode", `must be "block" or "monitor", got ${JSON.stringify(mode)}`);
    const onError = options.onError ?? "open";
    if (onError !== "open" && onError !== "closed") throw new AdapterConfigError("onError", `must be "open" or "closed", got ${JSON.stringify(onError)}`);
    if (options.identify !== undefined && typeof options.identify !== "function") throw new AdapterConfigError("identify", "must be a function (req, info) => identity");
    const header = options.requestIdHeader ?? "x-request-id";
    if (header !== false && (typeof header !== "string" || !/^[A-Za-z0-9-]+$/.test(header))) {
      throw new AdapterConfigError("requestIdHeader", `must be a header name or false, got ${JSON.stringify(header)}`);
    }
    this.mode = mode;
    this.onError = onError;
    this.routes = compileRoutes(options.routes);
    this.identify = options.identify;
    this.requestIdHeader = header === false ? false : header.toLowerCase();
    this.addRateLimitHeaders = options.rateLimitHeaders !== false;
    this.legacyHeaders = options.legacyRateLimitHeaders === true;
    this.now = options.now ?? Date.now;
    this.log = options.log === false ? undefined : new DecisionLog(options.log ?? {});
    this.maxBodyBytes = options.waferOptions?.limits?.maxBodyBytes ?? DEFAULT_LIMITS.maxBodyBytes;
    const w = options.wafer;
    if (w === undefined || w === null) throw new AdapterConfigError("wafer", "is required: an engine from createWafer(), a promise of one, or createWafer itself");
    const exclusions = engineExclusions(this.routes);
    if (typeof w !== "function" && exclusions.length > 0) {
      throw new AdapterConfigError(
        "routes[].exclude",
        "needs the adapter to create the engine: pass `wafer: createWafer` (and `waferOptions`), or put the exclusion in createWafer({ routes })",
      );
    }
    this.source = w;
    this.rateLimits = limiterOptions(options.rateLimits);
    const base = options.waferOptions ?? {};
    if (this.rateLimits !== undefined && base.rateLimits !== undefined) {
      throw new AdapterConfigError("rateLimits", "and waferOptions.rateLimits are both set: declare the policies in one place");
    }
    this.waferOptions = {
      ...base,
      ...(exclusions.length > 0 ? { routes: [...(base.routes ?? []), ...exclusions] } : {}),
      ...(this.rateLimits !== undefined ? { rateLimits: this.rateLimits } : {}),
    };
  }

  /**
   * The engine, created (when `wafer` is createWafer) on first use rather than at import
   * time, so a Worker's global scope does no work, and with its rate limiter attached.
   */
  wafer(): Promise<Wafer> {
    if (this.engine === undefined) {
      const w = this.source;
      // The limiter loads on demand (src/ratelimit/registry.ts); an engine given to the adapter,
      // or one a custom createWafer builds with `new Wafer`, finds it loaded.
      const limits = this.rateLimits !== undefined;
      this.engine = typeof w === "function"
        ? limits ? loadRateLimiter().then(() => w(this.waferOptions)) : w(this.waferOptions)
        : Promise.resolve(w).then(async (engine) => {
            if (limits) await loadRateLimiter();
            attachRateLimits(engine, this.rateLimits);
            return engine;
          });
      this.engine
        .then((engine) => {
          const limiter = engine.rateLimiter;
          if (limiter !== undefined) metricsFor(engine).addStoreStats(() => limiter.stats.storeFailures + limiter.stats.syncFailed + limiter.stats.syncDropped);
        })
        .catch(() => undefined); // surfaced by check() (onError) or by the caller of wafer()
    }
    return this.engine;
  }

  /** Counters of the engine (shared by every adapter on it). */
  async metrics(): Promise<MetricsSnapshot> {
    return metricsFor(await this.wafer()).snapshot();
  }

  /** Decides one request. Never throws for a request: failures follow `onError`. */
  async check(request: GuardRequest<Req>): Promise<GuardResult> {
    const started = performance.now();
    const startedAt = Date.now();
    const requestId = requestIdFrom(this.requestIdHeader === false ? null : headerOf(request.headers, this.requestIdHeader));
    const path = routePath(request.path);
    const route = this.routes.length > 0 ? findRoute(this.routes, request.method, path) : undefined;
    const routeMode = request.mode ?? route?.mode ?? "block";
    const monitor = this.mode === "monitor" || routeMode === "monitor";
    let engine: Wafer;
    try {
      engine = await this.wafer();
    } catch (error) {
      return this.failed(requestId, route, error);
    }
    const metrics = metricsFor(engine);
    let decision: Decision | undefined;
    let rateLimit: RateLimitResult | undefined;
    let inspectMs = 0;
    try {
      const buffered = await bufferRequestBody(request.input, { maxBodyBytes: this.maxBodyBytes }, request.context);
      const limiter = engine.rateLimiter;
      // The identity only matters to rate limits; the hook may read the body (login forms).
      const identity = limiter !== undefined ? await this.identityOf(request, buffered, requestId) : undefined;
      const now = this.now();
      if (routeMode !== "off") {
        // waitUntil: where sync-mode store reconciliation should go (Workers' ctx.waitUntil);
        // forwarded for the engine to hand to its limiter.
        const context: InspectContext & { waitUntil?: (work: Promise<unknown>) => void } = {
          ...request.context,
          now,
          ...(identity !== undefined ? { identity } : {}),
          ...(request.waitUntil !== undefined ? { waitUntil: request.waitUntil } : {}),
        };
        decision = await engine.inspect(buffered, context);
        rateLimit = decision.rateLimit;
      } else if (limiter !== undefined) {
        // Signatures off on this route; its rate limits still apply.
        const rl = { method: request.method.toUpperCase(), path, ...(request.ip ? { ip: request.ip } : {}) };
        const hooks = request.waitUntil !== undefined ? { waitUntil: request.waitUntil } : undefined;
        rateLimit = limiter.mode === "strict" ? await limiter.checkAsync(rl, identity ?? {}, now, hooks) : limiter.check(rl, identity ?? {}, now, hooks);
      }
      inspectMs = elapsed(started);
    } catch (error) {
      metrics.errors++;
      if (this.onError === "closed") return this.failed(requestId, route, error);
      this.log?.reportError(error, requestId);
    }

    // Who refuses: the engine says (signatures or a rate limit); monitor mode only flags.
    let blockedBy: "waf" | "rateLimit" | null = null;
    let flagged = false;
    const refusedBy = decision !== undefined
      ? (decision.action === "allow" ? null : (decision.blockedBy ?? "waf"))
      : rateLimit !== undefined && !rateLimit.allowed ? "rateLimit" : null;
    if (refusedBy !== null) {
      if (monitor || decision?.action === "monitor") flagged = true;
      else blockedBy = refusedBy;
    } else if ((decision !== undefined && decision.matches.length > 0) || rateLimit?.limited === true) flagged = true;

    const outcome: EventOutcome = blockedBy !== null ? "denied" : flagged ? "flagged" : "allowed";
    let refusal: Refusal | undefined;
    if (blockedBy === "waf") refusal = forbidden(requestId, this.requestIdHeader);
    else if (blockedBy === "rateLimit") refusal = tooManyRequests(rateLimit!, requestId, this.requestIdHeader, this.legacyHeaders);
    const headers: Record<string, string> = {};
    if (refusal === undefined) {
      if (this.requestIdHeader !== false) headers[this.requestIdHeader] = requestId;
      if (this.addRateLimitHeaders && rateLimit !== undefined) Object.assign(headers, rateLimitHeaders(rateLimit, { legacy: this.legacyHeaders }));
    }
    metrics.record(outcome, decision, rateLimit, blockedBy);
    const log = this.log;
    if (log !== undefined) {
      const sampled = outcome !== "allowed" || log.sampleAllowed();
      if (sampled || log.hasHook) {
        const event: DecisionEvent = {
          time: new Date(startedAt).toISOString(),
          requestId,
          outcome,
          blockedBy: blockedBy ?? (flagged ? refusedBy ?? (rateLimit?.limited ? "rateLimit" : null) : null),
          status: refusal?.status ?? null,
          method: request.method,
          path: redactPath(request.path),
          route: route?.name ?? null,
          ip: request.ip ?? null,
          waf: wafSummary(decision),
          rateLimit: rateLimitSummary(rateLimit),
          timings: { inspectMs, totalMs: elapsed(started) },
        };
        log.record(event, sampled);
      }
    }
    return { requestId, outcome, blockedBy, decision, rateLimit, route: route?.name, refusal, headers };
  }

  /**
   * Runs the identity hook. A hook that throws (say, on a malformed body) must not let the
   * request skip inspection: the error is logged and the request goes on without an
   * identity, which each policy's onMissingIdentity then decides.
   */
  private async identityOf(request: GuardRequest<Req>, buffered: RequestInput, requestId: string): Promise<IdentityValues | undefined> {
    if (this.identify === undefined) return undefined;
    try {
      return (await this.identify(request.req, identifyInfo(bodyOf(buffered, request.context)))) ?? undefined;
    } catch (error) {
      this.log?.reportError(error, requestId);
      return undefined;
    }
  }

  private failed(requestId: string, route: CompiledRoute | undefined, error: unknown): GuardResult {
    this.log?.reportError(error, requestId);
    const closed = this.onError === "closed";
    const headers: Record<string, string> = { "content-type": "application/problem+json", "cache-control": "no-store" };
    if (this.requestIdHeader !== false) headers[this.requestIdHeader] = requestId;
    const refusal: Refusal | undefined = closed
      ? {
          status: 503,
          headers,
          body: JSON.stringify({ type: "about:blank", title: "Service Unavailable", status: 503, detail: "The request could not be inspected.", instance: `urn:wafer:request:${requestId}`, requestId }),
        }
      : undefined;
    return {
      requestId, outcome: closed ? "denied" : "allowed", blockedBy: null, decision: undefined, rateLimit: undefined,
      route: route?.name, refusal, headers: refusal ? {} : { ...(this.requestIdHeader !== false ? { [this.requestIdHeader]: requestId } : {}) },
    };
  }
}

function bodyOf(buffered: RequestInput, context: InspectContext | undefined): Uint8Array | null {
  if (context?.body !== undefined && context.body !== null) {
    return typeof context.body === "string" ? new TextEncoder().encode(context.body) : context.body;
  }
  const b = buffered as { bufferedBody?: Uint8Array | null; body?: unknown };
  if ("bufferedBody" in b) return b.bufferedBody ?? null;
  if (typeof b.body === "string") return new TextEncoder().encode(b.body);
  if (b.body instanceof Uint8Array) return b.body;
  return EMPTY;
}

/** Shared across bundle copies of the adapters (see the registry in observe/counters.ts). */
const RESULTS = Symbol.for("wafer.adapter.results");
const results: WeakMap<object, GuardResult> = ((globalThis as Record<symbol, unknown>)[RESULTS] as WeakMap<object, GuardResult> | undefined) ??
  ((globalThis as Record<symbol, unknown>)[RESULTS] = new WeakMap<object, GuardResult>()) as WeakMap<object, GuardResult>;

/** Remembers the result for `getDecision(request)`. */
export function rememberResult(request: object, result: GuardResult): void {
  results.set(request, result);
}

/**
 * What the guard decided about a request the app is handling: the signature decision, the
 * rate-limit result, the request id. Keyed by the request object the adapter saw (the Web
 * Request, the Node IncomingMessage, Express's req, Fastify's request.raw).
 */
export function getDecision(request: object): GuardResult | undefined {
  return results.get(request);
}
