import type { PolicyMatch, RoutePattern } from "./policy";

/** A compiled `match`: route test and method test, both allocation-free per request. */
export type RequestMatcher = (method: string, path: string) => boolean;

/** One route pattern as a path test. */
function compileRoute(p: RoutePattern): (path: string) => boolean {
  if (p instanceof RegExp) {
    // A global/sticky RegExp keeps lastIndex between calls; strip those flags.
    const rx = p.global || p.sticky ? new RegExp(p.source, p.flags.replace(/[gy]/g, "")) : p;
    return (path) => rx.test(path);
  }
  if (p.includes("*")) {
    let src = "^";
    for (let i = 0; i < p.length; i++) {
      const ch = p[i];
      if (ch === "*" && p[i + 1] === "*") { src += ".*"; i++; }
      else if (ch === "*") src += "[^/]*";
      else src += ch.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    }
    const rx = new RegExp(src + "$");
    return (path) => rx.test(path);
  }
  // Segment-aware prefix: "/api" matches "/api" and "/api/x", not "/apix".
  const exact = p.endsWith("/") ? p.slice(0, -1) : p;
  const prefix = exact + "/";
  if (exact === "") return () => true;
  return (path) => path === exact || path.startsWith(prefix);
}

/**
 * Compiles `match` into one closure; the common shapes (no match, one route, no methods)
 * get a single-level closure because this runs for every policy on every request.
 */
export function compileMatch(match: PolicyMatch | undefined): RequestMatcher {
  const routes = match?.route === undefined ? [] : Array.isArray(match.route) ? match.route : [match.route as RoutePattern];
  const tests = routes.map(compileRoute);
  const methods = match?.methods?.map((m) => m.toUpperCase()) ?? [];
  const routeOk: (path: string) => boolean = tests.length === 0 ? () => true
    : tests.length === 1 ? tests[0]
    : (path) => { for (const t of tests) if (t(path)) return true; return false; };
  if (methods.length === 0) {
    if (tests.length === 0) return () => true;
    const only = routeOk;
    return (_method, path) => only(path);
  }
  return (method, path) => (methods.includes(method) || methods.includes(method.toUpperCase())) && routeOk(path);
}
