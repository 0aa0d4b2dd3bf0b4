/**
 * Per-route policies of an adapter: which routes are inspected, in which mode, and which
 * rules are switched off there. Patterns are rate-limit `match.route`'s (src/path-pattern):
 * a segment-aware prefix ("/api" matches "/api" and "/api/x", not "/apix"), a glob
 * ("/users/*\/reset": `*` within a segment, `**` across; linear time), or a RegExp. The
 * first route that matches applies.
 */
import type { RouteExclusion } from "../engine/options.js";
import type { TargetSource } from "../pack/schema.js";
import { compilePathPatterns, type PathPattern } from "../path-pattern/index.js";
import { AdapterConfigError } from "./errors.js";

export type RoutePattern = PathPattern;

export interface RoutePolicy {
  /** Path pattern(s) the policy applies to. */
  path: RoutePattern | readonly RoutePattern[];
  /** Upper-case methods (default: all). */
  methods?: readonly string[];
  /** Name used in logs and metrics (`http.route`); default: the pattern. */
  name?: string;
  /**
   * `block`: deny what the signatures deny (default). `monitor`: decide and log, never
   * refuse (signatures and rate limits). `off`: no signature inspection (rate limits still apply).
   */
  mode?: "block" | "monitor" | "off";
  /**
   * Rules switched off on this route, by id, tag or family, or kept off some fields
   * (`targets`, as in WaferOptions.routes); applied inside the engine.
   */
  exclude?: { rules?: readonly string[]; tags?: readonly string[]; families?: readonly string[]; targets?: readonly TargetSource[] };
}

export interface CompiledRoute {
  readonly policy: RoutePolicy;
  readonly name: string;
  readonly mode: "block" | "monitor" | "off";
  matches(method: string, path: string): boolean;
}

export function compileRoutes(routes: readonly RoutePolicy[] | undefined): CompiledRoute[] {
  if (routes === undefined) return [];
  if (!Array.isArray(routes)) throw new AdapterConfigError("routes", "must be an array of route policies");
  return routes.map((policy, i) => {
    const at = `routes[${i}]`;
    const paths: readonly unknown[] = Array.isArray(policy?.path) ? policy.path : [policy?.path];
    if (paths.length === 0 || paths.some((p) => typeof p !== "string" && !(p instanceof RegExp))) {
      throw new AdapterConfigError(`${at}.path`, `must be a path pattern (string or RegExp) or a list of them, got ${JSON.stringify(policy?.path)}`);
    }
    const mode = policy.mode ?? "block";
    if (mode !== "block" && mode !== "monitor" && mode !== "off") {
      throw new AdapterConfigError(`${at}.mode`, `must be "block", "monitor" or "off", got ${JSON.stringify(mode)}`);
    }
    if (policy.methods !== undefined && (!Array.isArray(policy.methods) || policy.methods.some((m: unknown) => typeof m !== "string"))) {
      throw new AdapterConfigError(`${at}.methods`, "must be an array of method names");
    }
    for (const key of Object.keys(policy.exclude ?? {})) {
      if (key !== "rules" && key !== "tags" && key !== "families" && key !== "targets") {
        throw new AdapterConfigError(`${at}.exclude.${key}`, "is not an exclusion (expected rules, tags, families or targets)");
      }
    }
    const onPath = compilePathPatterns(paths as PathPattern[]);
    const methods = policy.methods?.map((m: string) => m.toUpperCase());
    const name = policy.name ?? paths.map(String).join(",");
    return {
      policy,
      name,
      mode,
      matches: (method: string, path: string) => (methods === undefined || methods.includes(method.toUpperCase())) && onPath(path),
    };
  });
}

export function findRoute(routes: readonly CompiledRoute[], method: string, path: string): CompiledRoute | undefined {
  for (const r of routes) if (r.matches(method, path)) return r;
  return undefined;
}

/**
 * The engine-level exclusions (WaferOptions.routes) the adapter routes declare. The engine
 * applies every route that matches; an adapter applies the first policy that matches, so each
 * policy's exclusions hold where that policy is the first match (a policy without exclusions
 * before it shadows them, as it shadows its mode).
 */
export function engineExclusions(routes: readonly CompiledRoute[]): RouteExclusion[] {
  // One lookup per request for all of them: the engine asks each route in turn.
  let lastMethod = "";
  let lastPath: string | undefined;
  let lastFirst: CompiledRoute | undefined;
  const firstMatch = (path: string, method: string) => {
    if (path !== lastPath || method !== lastMethod) {
      lastFirst = findRoute(routes, method, path);
      lastPath = path;
      lastMethod = method;
    }
    return lastFirst;
  };
  const out: RouteExclusion[] = [];
  for (const r of routes) {
    const ex = r.policy.exclude;
    if (ex === undefined) continue;
    out.push({
      path: (path, method) => firstMatch(path, method) === r,
      ...(ex.rules ? { rules: [...ex.rules] } : {}),
      ...(ex.tags ? { tags: [...ex.tags] } : {}),
      ...(ex.families ? { families: [...ex.families] } : {}),
      ...(ex.targets ? { targets: [...ex.targets] } : {}),
    });
  }
  return out;
}
