/**
 * The path route policies are matched against: the engine's notion of it (percent-decoded,
 * dot segments removed, case kept), the one its own rule exclusions see. A relaxation (a
 * route with mode "off" or "monitor", an exclusion) must not reach further than the route
 * it names, so `/HEALTH` or `/healthz` do not inherit `/health`'s "off".
 */
import { normalizeRequestPath } from "../request/path-normalize.js";

export function routePath(rawPath: string): string {
  return normalizeRequestPath(rawPath);
}
