/**
 * Hono middleware, for every runtime Hono runs on (Node via @hono/node-server, Workers,
 * Deno, Bun, Vercel Edge). It inspects `c.req.raw` (the body is read from a clone, so
 * `c.req.json()` works afterwards), refuses with 403 / 429 problem+json, and otherwise
 * puts the result in `c.get("wafer")` and adds the request id / RateLimit headers to the
 * response.
 *
 *   app.use(wafer({ wafer: createWafer }));
 *   app.post("/login", wafer({ wafer: engine, rateLimits: [...], identify: ... }), handler);
 */
import type { Context, MiddlewareHandler } from "hono";
import { Guard, getDecision, rememberResult, type GuardOptions, type GuardResult } from "./guard.js";
import { toResponse } from "./problem.js";

export { getDecision };
// Policy constructors, so one import protects a route: `import { wafer, tokenBucket } from "wafer/<adapter>"`.
export { tokenBucket, slidingWindow, fixedWindow } from "../ratelimit/policy.js";
export type { RoutePolicy } from "./route-policy.js";
export { AdapterConfigError } from "./errors.js";
export type { GuardResult };

/** Variables the middleware sets: `c.get("wafer")`. */
export type WaferVariables = { wafer: GuardResult };

export interface HonoWaferOptions extends GuardOptions<Context> {
  /**
   * The client address. Default: the Node socket's peer address under @hono/node-server
   * (`c.env.incoming`), Deno's / Bun's connection info when Hono passes it, and on Workers
   * the `cf-connecting-ip` header.
   */
  ip?: (c: Context) => string | undefined;
}

const onWorkers = typeof navigator !== "undefined" && (navigator as { userAgent?: string }).userAgent === "Cloudflare-Workers";

function defaultIp(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } }; remoteAddr?: { hostname?: string } } | undefined;
  const node = env?.incoming?.socket?.remoteAddress;
  if (typeof node === "string") return node;
  const deno = env?.remoteAddr?.hostname;
  if (typeof deno === "string") return deno;
  if (onWorkers) return c.req.header("cf-connecting-ip");
  return undefined;
}

function waitUntilOf(c: Context): ((work: Promise<unknown>) => void) | undefined {
  try {
    const ctx = c.executionCtx;
    return (work) => ctx.waitUntil(work);
  } catch {
    return undefined; // Hono throws when the runtime has no execution context (Node, Deno)
  }
}

export type HonoWaferMiddleware = MiddlewareHandler<{ Variables: WaferVariables }> & { readonly guard: Guard<Context> };

export function wafer(options: HonoWaferOptions): HonoWaferMiddleware {
  const guard = new Guard<Context>(options);
  const ipOf = options.ip ?? defaultIp;
  const middleware: MiddlewareHandler<{ Variables: WaferVariables }> = async (c, next) => {
    const request = c.req.raw;
    const ip = ipOf(c);
    const waitUntil = waitUntilOf(c);
    const result = await guard.check({
      input: request, req: c, method: request.method, path: c.req.path, ip, headers: request.headers,
      ...(ip ? { context: { ip } } : {}),
      ...(waitUntil ? { waitUntil } : {}),
    });
    rememberResult(request, result);
    c.set("wafer", result);
    if (result.refusal !== undefined) return toResponse(result.refusal);
    await next();
    for (const name in result.headers) {
      try {
        c.res.headers.set(name, result.headers[name]!);
      } catch {
        // immutable headers (a proxied fetch response): leave them be
      }
    }
  };
  Object.defineProperty(middleware, "guard", { value: guard });
  return middleware as HonoWaferMiddleware;
}

export { wafer as waferHono };
