/**
 * Express middleware. Mount it before body parsers: it reads the body ahead (bounded) and
 * pushes it back onto the stream, so `express.json()` / `express.urlencoded()` parse the
 * whole body afterwards.
 *
 *   app.use(wafer({ wafer: createWafer, rateLimits: [...], identify: (req) => ({ userId: req.user?.id }) }));
 *   app.use(express.json());
 *
 * Refused requests get 403 / 429 problem+json and stop here. For the others the result is
 * in `res.locals.wafer` (and `getDecision(req)`). Mounted on a route
 * (`app.post("/login", wafer(...), handler)`) it guards that route only.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Guard, getDecision, rememberResult, type GuardOptions, type GuardResult } from "./guard.js";
import { pathOf, setHeaders, writeRefusal } from "./node-response.js";

export { getDecision };
// Policy constructors, so one import protects a route: `import { wafer, tokenBucket } from "wafer/<adapter>"`.
export { tokenBucket, slidingWindow, fixedWindow } from "../ratelimit/policy.js";
export type { RoutePolicy } from "./route-policy.js";
export { AdapterConfigError } from "./errors.js";
export type { GuardResult };

/** The parts of Express's req/res the middleware uses (no dependency on express's types). */
export interface ExpressLikeRequest extends IncomingMessage {
  originalUrl?: string;
  ip?: string;
}
export interface ExpressLikeResponse extends ServerResponse {
  locals?: Record<string, unknown>;
}
export type ExpressMiddleware<Req extends ExpressLikeRequest = ExpressLikeRequest> = ((req: Req, res: ExpressLikeResponse, next: (error?: unknown) => void) => void) & {
  readonly guard: Guard<Req>;
};

export interface ExpressOptions<Req extends ExpressLikeRequest = ExpressLikeRequest> extends GuardOptions<Req> {
  /** The client address; default `req.ip` (which honours Express's "trust proxy" setting). */
  ip?: (req: Req) => string | undefined;
}

/**
 * Mounted after a body parser, the stream is already consumed: inspect what the parser
 * kept (a Buffer or string from express.raw/text as is; a parsed object re-serialised as
 * JSON, which the engine reads as JSON or, for a form, as raw text). Mounting before the
 * parsers is better: the exact bytes are inspected.
 */
function alreadyParsedBody(req: ExpressLikeRequest & { body?: unknown }): string | Uint8Array | undefined {
  if (!req.readableEnded || req.body === undefined || req.body === null) return undefined;
  const b = req.body;
  if (typeof b === "string" || b instanceof Uint8Array) return b;
  if (typeof b === "object" && Object.keys(b as object).length === 0) return undefined;
  try {
    return JSON.stringify(b);
  } catch {
    return undefined;
  }
}

export function wafer<Req extends ExpressLikeRequest = ExpressLikeRequest>(options: ExpressOptions<Req>): ExpressMiddleware<Req> {
  const guard = new Guard<Req>(options);
  const ipOf = options.ip ?? ((req: Req) => req.ip ?? req.socket?.remoteAddress);
  const middleware = ((req: Req, res: ExpressLikeResponse, next: (error?: unknown) => void): void => {
    const ip = ipOf(req);
    const body = alreadyParsedBody(req);
    guard
      .check({
        input: req, req, method: req.method ?? "GET", path: pathOf(req.originalUrl ?? req.url), ip, headers: req.headers,
        context: { ...(ip ? { ip } : {}), ...(body !== undefined ? { body } : {}) },
      })
      .then(
        (result) => {
          rememberResult(req, result);
          if (res.locals) res.locals.wafer = result;
          if (result.refusal !== undefined) return writeRefusal(res, result.refusal);
          setHeaders(res, result.headers);
          next();
        },
        next,
      );
  }) as ExpressMiddleware<Req>;
  Object.defineProperty(middleware, "guard", { value: guard });
  return middleware;
}

export { wafer as waferExpress };
