/**
 * The paths policies are matched against. A relaxation (a route with mode "off" or
 * "monitor", a rule exclusion) must not reach further than the route it names, and a
 * restriction (a rate limit on /login) must not be dodged by spelling the path another way.
 *
 * - Route policies use the engine's notion of the path (percent-decoded, dot segments
 *   removed, case kept), the same one the engine's own exclusions see.
 * - Rate limits use a canonical form on top of it: repeated slashes collapsed, a trailing
 *   slash dropped, and lower-cased, so `/LOGIN`, `//login/` and `/%6cogin` all count
 *   against a policy on `/login` whatever the framework's routing options. Policy routes
 *   are therefore written in lower case (checked when the policies are given).
 */
import { normalizeRequestPath } from "../request/path-normalize.js";

export function routePath(rawPath: string): string {
  return normalizeRequestPath(rawPath);
}

export function rateLimitPath(normalized: string): string {
  let p = normalized;
  if (p.includes("//")) p = p.replace(/\/{2,}/g, "/");
  if (p.length > 1 && p.endsWith("/")) p = p.slice(0, -1);
  return p.toLowerCase();
}
