import { compilePathPatterns } from "../path-pattern/index";
import type { PolicyMatch, RoutePattern } from "./policy";

/** A compiled `match`: route test and method test, both allocation-free per request. */
export type RequestMatcher = (method: string, path: string) => boolean;

/**
 * Compiles `match` into one closure; the common shapes (no match, no methods) get a
 * single-level closure because this runs for every policy on every request. Route patterns:
 * src/path-pattern (segment-aware prefixes, linear-time globs, RegExps).
 */
export function compileMatch(match: PolicyMatch | undefined): RequestMatcher {
  const routes = match?.route === undefined ? [] : Array.isArray(match.route) ? match.route : [match.route as RoutePattern];
  const methods = match?.methods?.map((m) => m.toUpperCase()) ?? [];
  const routeOk = routes.length === 0 ? () => true : compilePathPatterns(routes);
  if (methods.length === 0) {
    if (routes.length === 0) return () => true;
    return (_method, path) => routeOk(path);
  }
  return (method, path) => (methods.includes(method) || methods.includes(method.toUpperCase())) && routeOk(path);
}
