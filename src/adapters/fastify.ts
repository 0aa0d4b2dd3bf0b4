/**
 * Fastify plugin. It inspects in an `onRequest` hook, before Fastify parses the body: the
 * body is read ahead (bounded) from the raw IncomingMessage and pushed back, so Fastify's
 * content-type parsers then read it whole and route handlers get `request.body` as usual.
 *
 *   await app.register(waferFastify, { wafer: createWafer, rateLimits: [...] });
 *
 * The plugin is not encapsulated (like fastify-plugin): its hook guards every route of
 * the instance it is registered on. Per route, `config: { wafer: { mode: "off" | "monitor" } }`
 * overrides the mode. Refused requests get 403 / 429 problem+json; the others carry the
 * result in `request.wafer`.
 */
import type { IncomingMessage } from "node:http";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Guard, getDecision, rememberResult, type GuardOptions, type GuardResult } from "./guard.js";
import { pathOf } from "./node-response.js";

export { getDecision };
// Policy constructors, so one import protects a route: `import { wafer, tokenBucket } from "wafer/<adapter>"`.
export { tokenBucket, slidingWindow, fixedWindow } from "../ratelimit/policy.js";
export type { RoutePolicy } from "./route-policy.js";
export { AdapterConfigError } from "./errors.js";
export type { GuardResult };

declare module "fastify" {
  interface FastifyRequest {
    /** What wafer decided for this request (set by the wafer plugin). */
    wafer: GuardResult | null;
  }
  interface FastifyInstance {
    /** The plugin's guard: `await app.waferGuard.metrics()`, `await app.waferGuard.wafer()`. */
    waferGuard: Guard<FastifyRequest>;
  }
}

export interface FastifyWaferOptions extends GuardOptions<FastifyRequest> {
  /** The client address; default `request.ip` (honours Fastify's trustProxy). */
  ip?: (request: FastifyRequest) => string | undefined;
}

interface RouteWaferConfig {
  wafer?: { mode?: "block" | "monitor" | "off" };
}

async function waferPlugin(app: FastifyInstance, options: FastifyWaferOptions): Promise<void> {
  const guard = new Guard<FastifyRequest>(options);
  const ipOf = options.ip ?? ((request: FastifyRequest) => request.ip);
  app.decorateRequest("wafer", null);
  app.decorate("waferGuard", guard);
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    const raw: IncomingMessage = request.raw;
    const ip = ipOf(request);
    const config = (request.routeOptions?.config ?? {}) as RouteWaferConfig;
    const mode = config.wafer?.mode;
    const result = await guard.check({
      input: raw, req: request, method: request.method, path: pathOf(raw.url), ip, headers: raw.headers,
      ...(ip ? { context: { ip } } : {}),
      ...(mode !== undefined ? { mode } : {}),
    });
    request.wafer = result;
    rememberResult(raw, result);
    if (result.refusal !== undefined) {
      return reply.code(result.refusal.status).headers(result.refusal.headers).send(result.refusal.body);
    }
    reply.headers(result.headers);
  });
}

// Not encapsulated: the hook applies to the routes of the instance the plugin is registered on.
(waferPlugin as unknown as Record<symbol, unknown>)[Symbol.for("skip-override")] = true;
(waferPlugin as unknown as Record<symbol, unknown>)[Symbol.for("fastify.display-name")] = "wafer";

export const waferFastify = waferPlugin;
export default waferPlugin;
