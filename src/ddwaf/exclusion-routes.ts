/**
 * libddwaf conditional exclusions → engine routes (WaferOptions.routes).
 *
 * An exclusion filter with `conditions` applies per request. When its conditions are on the
 * URI (`server.request.uri.raw`) and the method (`server.request.method`), it is exactly an
 * engine route: every matching route applies and their exclusions add up, as libddwaf's
 * filters do. Its `rules_target` become the route's rule ids and its `inputs` the route's
 * targets; without inputs the rules do not run there.
 *
 *   uri.raw  match_regex REGEX  → path: RegExp (the route sees the decoded path without the
 *            query string; a pattern that reads the query is refused, the rest is noted)
 *   uri.raw  exact_match LIST   → path: /^(?:a|b)$/
 *   method   exact_match / phrase_match LIST, match_regex of plain alternatives → methods
 *
 * Anything else (the client IP, headers, `on_match: monitor`, key paths with no exact field
 * name) is reported with the reason.
 */
import type { RouteExclusion } from "../engine/options.js";
import type { TargetSource } from "../pack/schema.js";
import { allOfHostRegExps, toHostRegExpSource, wordAlternatives } from "../regex/host-regexp.js";
import { ADDRESS_TO_TARGETS, namesFor } from "./addresses.js";
import type { DdwafCondition, DdwafExclusion } from "./format.js";
import { escapeRegexLiteral } from "./import-operator.js";

/** A route from a conditional exclusion, or the reason there is none. */
export type ExclusionRouteResult = { route: RouteExclusion; notes: string[] } | { unsupported: string };

/** `ruleIds`: the imported rules the exclusion's rules_target selects (all of them when it has none). */
export function exclusionRoute(ex: DdwafExclusion, ruleIds: string[]): ExclusionRouteResult {
  const refuse = (why: string) => ({ unsupported: `conditional exclusion not imported: ${why}` });
  if (ex.on_match === "monitor") return refuse("on_match monitor (a per-route mode) has no route equivalent: use an adapter route's mode");
  const notes: string[] = [];
  const paths: RegExp[] = [];
  let methods: string[] | undefined;
  for (const c of ex.conditions ?? []) {
    const inputs = c.parameters?.inputs ?? [];
    const address = inputs.length === 1 && (inputs[0]!.key_path ?? []).length === 0 ? inputs[0]!.address : undefined;
    if (address === "server.request.method") {
      const list = methodsOf(c);
      if (typeof list === "string") return refuse(list);
      methods = methods ? methods.filter((m) => list.includes(m)) : list;
    } else if (address === "server.request.uri.raw") {
      const path = pathOf(c);
      if (typeof path === "string") return refuse(path);
      notes.push(`${c.operator} on server.request.uri.raw tested against the decoded path without the query string`);
      paths.push(path);
    } else {
      const on = inputs.map((i) => i.address + ((i.key_path ?? []).length > 0 ? ` [${i.key_path!.join(", ")}]` : "")).join(", ") || "no input";
      return refuse(`its condition on ${on} cannot be a route (routes match the path and the method)`);
    }
  }
  if (ruleIds.length === 0) return refuse("its rules_target selects no imported rule");
  const targets: TargetSource[] = [];
  for (const input of ex.inputs ?? []) {
    const mapping = ADDRESS_TO_TARGETS[input.address];
    if (!mapping) continue; // wafer never inspects that address: nothing to keep the rules from.
    const keyPath = (input.key_path ?? []).map(String);
    const fields = [...mapping.values, ...(mapping.keys ?? [])];
    if (keyPath.length === 0) {
      targets.push(...fields);
      continue;
    }
    // Routes take exact names: a body key path keeps the rules off that field, not the ones under it.
    const names = namesFor(mapping.keyStyle, keyPath)?.filter((n) => !n.startsWith("/"));
    if (!names || names.length === 0) return refuse(`${input.address} key_path [${keyPath.join(", ")}] has no exact field name`);
    if (mapping.keyStyle === "json") notes.push(`${input.address} [${keyPath.join(", ")}]: the field itself, not those nested under it`);
    for (const field of mapping.values) targets.push({ field, names });
  }
  if ((ex.inputs ?? []).length > 0 && targets.length === 0) return refuse("none of its inputs is a field wafer inspects");
  const path = paths.length === 0 ? "/" : allOfHostRegExps(paths);
  if (typeof path === "object" && "unsupported" in path) return refuse(`URI conditions: ${path.unsupported}`);
  return { route: { path, ...(methods ? { methods } : {}), rules: ruleIds, ...(targets.length > 0 ? { targets } : {}) }, notes };
}

function methodsOf(c: DdwafCondition): string[] | string {
  const list = c.parameters.list;
  if ((c.operator === "exact_match" || c.operator === "phrase_match") && Array.isArray(list) && list.every((m) => typeof m === "string"))
    return list.map((m) => (m as string).toUpperCase());
  const regex = c.parameters.regex;
  const words = c.operator === "match_regex" && typeof regex === "string" ? wordAlternatives(regex) : undefined;
  if (words) return words.map((m) => m.toUpperCase());
  return `${c.operator} on server.request.method has no route equivalent`;
}

function pathOf(c: DdwafCondition): RegExp | string {
  const caseSensitive = c.parameters.options?.case_sensitive === true;
  if (c.operator === "exact_match" && Array.isArray(c.parameters.list) && c.parameters.list.every((u) => typeof u === "string")) {
    const list = c.parameters.list as string[];
    if (list.some((u) => u.includes("?"))) return "exact_match on server.request.uri.raw lists a query string (routes see the path)";
    return new RegExp(`^(?:${list.map(escapeRegexLiteral).join("|")})$`);
  }
  const regex = c.parameters.regex;
  if (c.operator !== "match_regex" || typeof regex !== "string") return `${c.operator} on server.request.uri.raw has no route equivalent`;
  if (/\\\?|\[[^\]]*\?[^\]]*\]/.test(regex)) return `match_regex ${JSON.stringify(regex)} on server.request.uri.raw reads the query string (routes see the path)`;
  try {
    const host = toHostRegExpSource(regex);
    return new RegExp(host.source, caseSensitive ? host.flags : `${host.flags.replace("i", "")}i`);
  } catch (e) {
    return `match_regex ${JSON.stringify(regex)} does not parse (${(e as Error).message})`;
  }
}
