/** Engine options, with the defaults every runtime starts from. */
import type { RateLimiterOptions } from "../ratelimit/limiter.js";
import type { Policy } from "../ratelimit/policy.js";
import type { TargetSource } from "../pack/schema.js";
import { validateRoutes } from "./routes.js";

export interface Limits {
  /** Fields inspected per request (args, headers, cookies, body fields…). */
  maxFields: number;
  /** Bytes kept of any one field name or value (the raw body has its own limit). */
  maxFieldBytes: number;
  /** Bytes of request body read and inspected. */
  maxBodyBytes: number;
  /** Bytes of all fields together (the size of the Wasm request arena). */
  maxTotalBytes: number;
  /** Nesting depth of JSON bodies. */
  maxJsonDepth: number;
  /** Parts of a multipart body. */
  maxMultipartParts: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxFields: 1024,
  maxFieldBytes: 64 * 1024,
  maxBodyBytes: 1024 * 1024,
  maxTotalBytes: 3 * 1024 * 1024,
  maxJsonDepth: 32,
  maxMultipartParts: 128,
};

/**
 * Rules to switch off on some routes (by id, tag or family), or fields they do not read there
 * (`targets`). Every route whose path and methods match applies: their exclusions add up, as
 * ModSecurity's ctl exclusions do (src/engine/routes.ts).
 */
export interface RouteExclusion {
  /**
   * Path prefix (e.g. "/api/upload", which covers "/api/uploads" too), a glob (a string with
   * `*`: "/users/*\/avatar", `*` within a segment, `**` across; matched in linear time), a
   * RegExp tested against the path (on the host's backtracking engine: keep it linear), or
   * a function of the path and the method (as the request gives it).
   */
  path: string | RegExp | ((path: string, method: string) => boolean);
  /** Methods it applies to (default: all). */
  methods?: string[];
  rules?: string[];
  tags?: string[];
  families?: string[];
  /**
   * Field parts the route's rules do not read, as pack targets (`"cookies"`,
   * `{ field: "args", names: ["password"] }`, `{ field: "headers", except: ["user-agent"] }`;
   * exact names, case-insensitive). With `rules`, `tags` or `families`, only those rules skip
   * them; alone, no rule reads them. Without `targets`, the route's rules do not run at all.
   */
  targets?: TargetSource[];
}

export interface WaferOptions {
  /** A compiled pack image (.wpk); defaults to the embedded default pack. */
  pack?: Uint8Array | ArrayBuffer;
  /** Rules above this paranoia level do not run (1–4, default 1). */
  paranoia?: 1 | 2 | 3 | 4;
  /** Anomaly score at which a request is denied (default: the pack's, usually 5). */
  threshold?: number;
  /** "block" denies; "monitor" decides the same but always allows (dry run). */
  mode?: "block" | "monitor";
  limits?: Partial<Limits>;
  routes?: RouteExclusion[];
  /** Number of trusted proxies in front of the app (for x-forwarded-for). Default 0. */
  trustedProxies?: number;
  /** A header set by infrastructure you trust that carries the client IP (e.g. "cf-connecting-ip"). */
  ipHeader?: string;
  /** Rate-limit policies (tokenBucket, slidingWindow, fixedWindow) or full limiter options. */
  rateLimits?: readonly Policy[] | RateLimiterOptions;
  /**
   * Pinned pack-signing public keys (`wafer-ed25519:<key id>:<key>`, from `wafer keygen`).
   * When set, loadPack/updatePack accept only packs signed by one of them and keep the
   * current pack otherwise. The initial `pack` option is trusted as part of the deployment.
   */
  trustedKeys?: readonly string[];
  /** Largest pack updatePack reads from a URL or stream (default 16 MiB). */
  maxPackBytes?: number;
  /**
   * Remember field parts that fired no rule, so a part seen again costs a hash and a byte
   * compare instead of its inspection (default true). Only parameter names, the method and
   * protocol and the values of standard browser headers (User-Agent, Accept…) are kept, never
   * query, body, JSON or cookie values (a hit is faster than a miss: no client may time whether
   * another sent a value). Exact: decisions are the same with it off. 262 KB of Wasm memory;
   * forgotten when the pack changes. See README "Verdict cache".
   */
  verdictCache?: boolean;
}

export interface InspectContext {
  /** Client address as the platform reports it (Node socket, Deno remoteAddr, Bun requestIP). */
  ip?: string;
  /** The body when the app or framework already read it (Express raw body, Fastify). */
  body?: string | Uint8Array | null;
  /** HTTP version, when the platform tells it. */
  protocol?: string;
  /** Identity values for rate-limit characteristics: userId, apiKey, email, any value:<name>. */
  identity?: Readonly<Record<string, string | undefined>>;
  /** Time in ms for rate limits (Workers freeze Date.now during a request; pass your clock). */
  now?: number;
  /** Cost of this request for every matching rate-limit policy (e.g. AI tokens). */
  cost?: number;
  /** Where background work goes (Workers/Vercel `ctx.waitUntil`): sync-mode store reconciliation. */
  waitUntil?: (work: Promise<unknown>) => void;
}

export interface ResolvedOptions {
  paranoia: number;
  threshold: number | undefined;
  mode: "block" | "monitor";
  limits: Limits;
  routes: RouteExclusion[];
  trustedProxies: number;
  ipHeader: string | undefined;
  verdictCache: boolean;
}

/**
 * The limiter options `rateLimits` asks for (a bare policy list becomes `{ policies }`), or
 * undefined when there are none: what the engine hosts, and what createWafer loads the
 * limiter's code for.
 */
export function rateLimiterOptions(options: WaferOptions): RateLimiterOptions | undefined {
  if (!options.rateLimits) return undefined;
  const rl = Array.isArray(options.rateLimits) ? { policies: options.rateLimits } : (options.rateLimits as RateLimiterOptions);
  return Array.isArray(rl.policies) && rl.policies.length === 0 ? undefined : rl;
}

export function resolveOptions(options: WaferOptions): ResolvedOptions {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value <= 0) throw new TypeError(`wafer: limits.${key} must be a positive integer, got ${String(value)}`);
  }
  if (options.paranoia !== undefined && ![1, 2, 3, 4].includes(options.paranoia))
    throw new TypeError(`wafer: paranoia must be 1, 2, 3 or 4, got ${String(options.paranoia)}`);
  if (options.threshold !== undefined && !(Number.isInteger(options.threshold) && options.threshold > 0))
    throw new TypeError(`wafer: threshold must be a positive integer, got ${String(options.threshold)}`);
  if (options.mode !== undefined && options.mode !== "block" && options.mode !== "monitor")
    throw new TypeError(`wafer: mode must be "block" or "monitor", got ${String(options.mode)}`);
  return {
    paranoia: options.paranoia ?? 1,
    threshold: options.threshold,
    mode: options.mode ?? "block",
    limits,
    routes: validateRoutes(options.routes),
    trustedProxies: options.trustedProxies ?? 0,
    ipHeader: options.ipHeader,
    verdictCache: options.verdictCache ?? true,
  };
}
