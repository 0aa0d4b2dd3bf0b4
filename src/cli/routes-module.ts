/**
 * Imported exclusions as an ES module of engine routes (WaferOptions.routes), for
 * `wafer import seclang|ddwaf --routes FILE.mjs`. A module, not JSON, so RegExp paths stay
 * RegExps: `import routes from "./routes.mjs"`, then `createWafer({ pack, routes })`.
 */
import { writeFileSync } from "node:fs";
import type { RouteExclusion } from "../engine/options.js";

export interface ModuleRoute {
  /** The source's id for the exclusion (a SecLang rule id, a libddwaf exclusion id). */
  id: string;
  /** Where it was read (`file:line`), if known. */
  from?: string;
  route: RouteExclusion;
}

function routesModule(command: string, what: string, routes: readonly ModuleRoute[]): string {
  const entry = ({ path, ...rest }: RouteExclusion) => {
    const fields = Object.entries(rest).map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
    const p = path instanceof RegExp ? String(path) : typeof path === "string" ? JSON.stringify(path) : undefined;
    if (p === undefined) throw new Error("routesModule: a route path function cannot be written to a module");
    return `{ path: ${p}${fields.map((f) => `, ${f}`).join("")} }`;
  };
  return [
    `// Engine routes (WaferOptions.routes) imported by \`${command}\` from ${what}.`,
    "// Every matching route applies, and their exclusions add up.",
    '//   import routes from "./this-file.mjs"; createWafer({ pack, routes })',
    "export default [",
    ...routes.map((r) => `  // ${r.id}${r.from ? ` (${r.from})` : ""}\n  ${entry(r.route)},`),
    "];",
    "",
  ].join("\n");
}

/**
 * Writes the routes to `file` (--routes) as a module; returns the line the command prints:
 * where they went, or how to get them. Nothing to say without routes.
 */
export function writeRoutesModule(file: string | undefined, command: string, what: string, routes: readonly ModuleRoute[]): string {
  if (routes.length === 0) return "";
  if (!file) return `${routes.length} routes from ${what} not written: pass --routes ROUTES.mjs\n`;
  writeFileSync(file, routesModule(command, what, routes));
  return `${routes.length} routes from ${what} → ${file}: createWafer({ pack, routes })\n`;
}
