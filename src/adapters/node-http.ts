/**
 * A wrapper for a plain Node `http` request listener:
 *
 *   http.createServer(protectNode(app, { wafer: createWafer })).listen(3000);
 *
 * The body is read ahead (bounded) and pushed back onto the stream, so the app reads it
 * whole as usual. Refused requests get 403 / 429 problem+json and never reach `app`;
 * `getDecision(req)` returns what was decided for the others.
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

export interface NodeProtectOptions extends GuardOptions<IncomingMessage> {
  /** The client address; default the socket's peer address. */
  ip?: (req: IncomingMessage) => string | undefined;
}

export type NodeListener = (req: IncomingMessage, res: ServerResponse) => unknown;

export interface ProtectedListener extends NodeListener {
  readonly guard: Guard<IncomingMessage>;
}

export function protectNode(listener: NodeListener, options: NodeProtectOptions): ProtectedListener {
  const guard = new Guard<IncomingMessage>(options);
  const ipOf = options.ip ?? ((req: IncomingMessage) => req.socket?.remoteAddress);
  const wrapped = ((req: IncomingMessage, res: ServerResponse): void => {
    const ip = ipOf(req);
    guard
      .check({ input: req, req, method: req.method ?? "GET", path: pathOf(req.url), ip, headers: req.headers, ...(ip ? { context: { ip } } : {}) })
      .then((result) => {
        rememberResult(req, result);
        if (result.refusal !== undefined) return writeRefusal(res, result.refusal);
        setHeaders(res, result.headers);
        return listener(req, res);
      })
      .catch((error: unknown) => {
        // Only the app's own synchronous throw can land here; answer like Node would.
        if (!res.headersSent) {
          res.statusCode = 500;
          res.end();
        }
        queueMicrotask(() => {
          throw error;
        });
      });
  }) as ProtectedListener;
  Object.defineProperty(wrapped, "guard", { value: guard });
  return wrapped;
}
