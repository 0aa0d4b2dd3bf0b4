/**
 * `protect(handler, options)`: a fetch-handler wrapper for Cloudflare Workers, Deno.serve,
 * Bun.serve and Vercel Edge (anything shaped `(request, ...rest) => Response`).
 *
 *   export default { fetch: protect(app, { wafer: createWafer }) };          // Workers
 *   Deno.serve(protect(app, { wafer: createWafer }));                         // Deno
 *
 * The handler keeps its signature and gets the original Request, body unread (the guard
 * reads a clone). What was decided is available inside the handler as
 * `getDecision(request)`; refused requests never reach it (403 / 429 problem+json).
 */
import { Guard, getDecision, rememberResult, type GuardOptions, type GuardResult } from "./guard.js";
import { toResponse } from "./problem.js";
import { pathOfUrl } from "./url-path.js";

export { getDecision };
// Policy constructors, so one import protects a route: `import { wafer, tokenBucket } from "wafer/<adapter>"`.
export { tokenBucket, slidingWindow, fixedWindow } from "../ratelimit/policy.js";
export type { RoutePolicy } from "./route-policy.js";
export { AdapterConfigError } from "./errors.js";
export type { GuardResult };

export interface FetchProtectOptions<Rest extends unknown[]> extends GuardOptions<Request> {
  /**
   * The client address. Default: Deno's `info.remoteAddr.hostname`, Bun's
   * `server.requestIP(request)`, and on Cloudflare Workers the `cf-connecting-ip` header
   * (set by Cloudflare's edge). Elsewhere (Vercel Edge) supply it: the forwarding headers
   * are only trustworthy where your platform sets them.
   */
  ip?: (request: Request, ...rest: Rest) => string | undefined;
}

export type FetchHandler<Rest extends unknown[]> = (request: Request, ...rest: Rest) => Response | Promise<Response>;

export interface ProtectedHandler<Rest extends unknown[]> extends FetchHandler<Rest> {
  readonly guard: Guard<Request>;
}

const onWorkers = typeof navigator !== "undefined" && (navigator as { userAgent?: string }).userAgent === "Cloudflare-Workers";

function defaultIp(request: Request, rest: unknown[]): string | undefined {
  const first = rest[0] as { remoteAddr?: { hostname?: string }; requestIP?: (r: Request) => { address?: string } | null } | undefined;
  if (first !== null && typeof first === "object") {
    const deno = first.remoteAddr?.hostname;
    if (typeof deno === "string") return deno;
    if (typeof first.requestIP === "function") {
      try {
        const bun = first.requestIP(request)?.address;
        if (typeof bun === "string") return bun;
      } catch {
        // not Bun's server after all
      }
    }
  }
  if (onWorkers) return request.headers.get("cf-connecting-ip") ?? undefined;
  return undefined;
}

function findWaitUntil(rest: unknown[]): ((work: Promise<unknown>) => void) | undefined {
  for (const arg of rest) {
    const w = (arg as { waitUntil?: unknown } | null)?.waitUntil;
    if (typeof w === "function") return (work) => (w as (p: Promise<unknown>) => void).call(arg, work);
  }
  return undefined;
}

/** Adds headers to a response, copying it first when its headers are immutable (a fetch() response). */
function withHeaders(response: Response, headers: Record<string, string>): Response {
  const names = Object.keys(headers);
  if (names.length === 0) return response;
  try {
    for (const name of names) response.headers.set(name, headers[name]!);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    for (const name of names) copy.headers.set(name, headers[name]!);
    return copy;
  }
}

export function protect<Rest extends unknown[]>(handler: FetchHandler<Rest>, options: FetchProtectOptions<Rest>): ProtectedHandler<Rest> {
  const guard = new Guard<Request>(options);
  const ipOf = options.ip;
  const wrapped = async function protectedFetch(this: unknown, request: Request, ...rest: Rest): Promise<Response> {
    const ip = ipOf ? ipOf(request, ...rest) : defaultIp(request, rest);
    const waitUntil = findWaitUntil(rest);
    const result = await guard.check({
      input: request,
      req: request,
      method: request.method,
      path: pathOfUrl(request.url),
      ip,
      headers: request.headers,
      ...(ip !== undefined ? { context: { ip } } : {}),
      ...(waitUntil ? { waitUntil } : {}),
    });
    rememberResult(request, result);
    if (result.refusal !== undefined) return toResponse(result.refusal);
    const response = await handler.call(this, request, ...rest);
    return withHeaders(response, result.headers);
  } as ProtectedHandler<Rest>;
  Object.defineProperty(wrapped, "guard", { value: guard });
  return wrapped;
}
