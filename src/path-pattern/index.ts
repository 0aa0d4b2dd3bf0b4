/**
 * Route patterns, shared by adapter route policies (src/adapters/route-policy.ts) and
 * rate-limit policies (src/ratelimit/route-match.ts), so one pattern means one thing:
 *
 * - a string without `*`: a segment-aware prefix — "/api" covers "/api" and "/api/x", not
 *   "/apix"; a trailing "/" changes nothing; "/" covers every request (even a target
 *   such as `*` or `host:port` that is no path);
 * - a string with `*`: a glob over the whole path — `*` any run without `/`, `**` any run
 *   at all (glob.ts; linear time whatever the path);
 * - a RegExp: tested as given (a `g` or `y` flag is dropped, so a test keeps no state). It
 *   runs on the host's backtracking engine: prefer a glob, or keep the RegExp free of
 *   nested or adjacent unbounded repeats.
 */
import { compileGlob } from "./glob.js";

export type PathPattern = string | RegExp;

export type PathTest = (path: string) => boolean;

/** The test for one pattern. */
export function compilePathPattern(pattern: PathPattern): PathTest {
  if (pattern instanceof RegExp) {
    const rx = pattern.global || pattern.sticky ? new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, "")) : pattern;
    return (path) => rx.test(path);
  }
  if (pattern.includes("*")) return compileGlob(pattern);
  const exact = pattern.endsWith("/") ? pattern.slice(0, -1) : pattern;
  if (exact === "") return () => true;
  const prefix = `${exact}/`;
  return (path) => path === exact || path.startsWith(prefix);
}

/** The test for a list of patterns: any of them (none: no path). */
export function compilePathPatterns(patterns: readonly PathPattern[]): PathTest {
  const tests = patterns.map(compilePathPattern);
  if (tests.length === 1) return tests[0]!;
  return (path) => {
    for (const t of tests) if (t(path)) return true;
    return false;
  };
}
