/**
 * SecLang runtime exclusions → engine routes (WaferOptions.routes).
 *
 * CRS is tuned with rules that change the rule set for one request: "on /wp-login.php, no
 * SQLi rule reads ARGS:pwd" is
 *
 *   SecRule REQUEST_FILENAME "@endsWith /wp-login.php" "id:1002,phase:2,pass,nolog,\
 *     ctl:ruleRemoveTargetByTag=attack-sqli;ARGS:pwd"
 *
 * A pack has no per-request rule changes, but the engine's routes are exactly these
 * exclusions when the rule's conditions are on the path and the method: every matching route
 * applies and their exclusions add up, as ModSecurity's do. So such a rule becomes routes:
 *   - conditions: REQUEST_FILENAME, REQUEST_BASENAME, REQUEST_URI (tested against the path:
 *     exact for @beginsWith, an approximation otherwise, noted) with @streq, @beginsWith,
 *     @endsWith, @contains, @rx, @pm, @within, @validateByteRange, negated or not → `path`
 *     (a prefix string, or one RegExp that ANDs them); REQUEST_METHOD → `methods`;
 *   - ctl:ruleRemoveById (ids, ranges), ruleRemoveByTag, ruleRemoveByMsg, ruleEngine=Off →
 *     one route switching those rules off; ctl:ruleRemoveTargetById/ByTag/ByMsg=…;VAR → a
 *     route per action keeping those rules off VAR (an exact name: route targets refuse
 *     regex names).
 * Ids, ranges and messages are resolved against the imported pack once every rule is read
 * (exclusions come before the rules they name). Anything else is reported with the reason.
 */
import type { RouteExclusion } from "../engine/options.js";
import type { RuleSource, TargetSource } from "../pack/schema.js";
import { allOfHostRegExps, toHostRegExpSource, wordAlternatives } from "../regex/host-regexp.js";
import { escapeRegex } from "./operators.js";
import type { Action, RuleLink, Variable } from "./parser.js";
import { mapVariables } from "./variables.js";

/** A route imported from an exclusion rule, with where it came from. */
export interface ImportedRoute {
  /** The SecLang rule's id. */
  id: string;
  file: string;
  line: number;
  route: RouteExclusion;
}

/** What one ctl action removes, before ids are resolved against the pack. */
type Removal =
  | { by: "id"; ranges: [number, number][]; ids: string[] }
  | { by: "tag"; tag: string }
  | { by: "msg"; msg: string }
  | { by: "all" };

/** An exclusion rule, translated but for its rule ids. */
export interface PendingExclusion {
  id: string;
  file: string;
  line: number;
  path: string | RegExp;
  methods?: string[];
  /** Whole-rule removals (one route), and removals from targets (a route each). */
  whole: Removal[];
  scoped: { removal: Removal; targets: TargetSource[] }[];
  notes: string[];
}

const REMOVE_ACTIONS = new Set([
  "ruleremovebyid", "ruleremovebytag", "ruleremovebymsg", "ruleremovetargetbyid", "ruleremovetargetbytag", "ruleremovetargetbymsg", "ruleengine",
]);

/** ctl actions that change logging or body handling, not which rules read what. */
const HARMLESS_CTL = new Set(["auditengine", "auditlogparts", "forcerequestbodyvariable", "debugloglevel"]);

/** Whether a rule's actions change the rule set for the request (a runtime exclusion). */
export function isExclusionRule(actions: Action[]): boolean {
  return actions.some((a) => a.name === "ctl" && REMOVE_ACTIONS.has(ctlName(a)));
}

function ctlName(a: Action): string {
  return (a.value ?? "").split("=")[0]!.trim().toLowerCase();
}

/** A path test: one condition's operator as a RegExp source over the path. */
interface PathTest {
  source: string;
  /** "u" for a host translation of @rx, "i" when case-insensitive. */
  flags: string;
  negate: boolean;
  /** @beginsWith, not negated, case-sensitive: a route's prefix string says it plainly. */
  prefix?: string;
}

const PATH_VARIABLES = new Set(["REQUEST_FILENAME", "REQUEST_BASENAME", "REQUEST_URI", "REQUEST_URI_RAW"]);
/** Transforms the engine's path has already had (decoded, dot segments resolved) or that only fold case. */
const PATH_TRANSFORMS = new Set(["none", "lowercase", "urldecode", "urldecodeuni", "normalizepath", "normalisepath", "normalizepathwin", "normalisepathwin"]);

/** Translates an exclusion rule (isExclusionRule) into a pending route, or says why it cannot be one. */
export function translateExclusion(links: RuleLink[], id: string, at: { file: string; line: number }): PendingExclusion | { unsupported: string } {
  const actions = links.flatMap((l) => l.actions);
  const ctl = actions.filter((a) => a.name === "ctl").map((a) => `ctl:${a.value}`).join(", ");
  const refuse = (why: string) => ({ unsupported: `runtime exclusion (${ctl}) not imported: ${why}` });
  const notes: string[] = [];
  const tests: PathTest[] = [];
  let methods: string[] | undefined;
  for (const link of links) {
    const vars = link.variables.filter((v) => !v.exclude);
    if (vars.length !== 1 || vars[0]!.count) return refuse(`its condition on ${vars.map(label).join("|") || "nothing"} cannot be a route (routes match one path or method test per condition)`);
    const v = vars[0]!;
    const transforms = link.actions.filter((a) => a.name === "t").map((a) => (a.value ?? "").toLowerCase());
    const unknown = transforms.find((t) => !PATH_TRANSFORMS.has(t));
    if (unknown) return refuse(`t:${unknown} on ${label(v)} has no route equivalent`);
    const ignoreCase = transforms.includes("lowercase");
    if (v.collection === "REQUEST_METHOD") {
      const list = methodList(link);
      if (typeof list === "string") return refuse(list);
      methods = methods ? methods.filter((m) => list.includes(m)) : list;
      continue;
    }
    if (!PATH_VARIABLES.has(v.collection)) return refuse(`its condition on ${label(v)} cannot be a route (routes match the path and the method)`);
    const test = pathTest(link, v.collection, ignoreCase);
    if (typeof test === "string") return refuse(test);
    if (v.collection.startsWith("REQUEST_URI") && link.operator.argument.includes("?"))
      return refuse(`${label(v)} @${link.operator.name} tests the query string (routes see the path)`);
    if (v.collection.startsWith("REQUEST_URI") && test.prefix === undefined)
      notes.push(`${label(v)} @${link.operator.name} tested against the path (without the query string)`);
    tests.push(test);
  }
  if (tests.length === 0 && !methods) return refuse("it has no condition on the path or the method");
  const path = routePath(tests);
  if (typeof path === "object" && "unsupported" in path) return refuse(path.unsupported);

  const whole: Removal[] = [];
  const scoped: PendingExclusion["scoped"] = [];
  for (const a of actions) {
    if (a.name !== "ctl") continue;
    const name = ctlName(a);
    const value = (a.value ?? "").slice((a.value ?? "").indexOf("=") + 1).trim();
    if (HARMLESS_CTL.has(name)) continue;
    if (!REMOVE_ACTIONS.has(name)) {
      notes.push(`ctl:${a.value} not applied (it does not choose rules or fields)`);
      continue;
    }
    if (name === "ruleengine") {
      if (value.toLowerCase() !== "off") return refuse(`ctl:ruleEngine=${value} (a per-route mode) has no route equivalent: use an adapter route's mode`);
      whole.push({ by: "all" });
      continue;
    }
    const [what, variable] = name.startsWith("ruleremovetarget") ? splitOnce(value, ";") : [value, undefined];
    const removal = removalOf(name, what);
    if (typeof removal === "string") return refuse(removal);
    if (variable === undefined) {
      whole.push(removal);
      continue;
    }
    const targets = ctlTargets(variable);
    if (typeof targets === "string") return refuse(`ctl:${a.value}: ${targets}`);
    scoped.push({ removal, targets });
  }
  return { id, ...at, path, ...(methods ? { methods } : {}), whole, scoped, notes };
}

/** The routes of pending exclusions, their ids, ranges and messages resolved against `rules`. */
export function resolveExclusions(pending: PendingExclusion[], rules: readonly RuleSource[]): ImportedRoute[] {
  const baseIds = [...new Set(rules.map((r) => r.id.split("#")[0]!))];
  const select = (r: Removal): Pick<RouteExclusion, "rules" | "tags"> => {
    switch (r.by) {
      case "all":
        return { rules: baseIds };
      case "tag":
        return { tags: [r.tag] };
      case "msg":
        return { rules: [...new Set(rules.filter((rule) => rule.message === r.msg).map((rule) => rule.id.split("#")[0]!))] };
      case "id": {
        const inRange = baseIds.filter((id) => r.ranges.some(([lo, hi]) => Number(id) >= lo && Number(id) <= hi));
        return { rules: [...new Set([...r.ids, ...inRange])] };
      }
    }
  };
  const out: ImportedRoute[] = [];
  for (const p of pending) {
    const base = { path: p.path, ...(p.methods ? { methods: p.methods } : {}) };
    const add = (route: RouteExclusion) => out.push({ id: p.id, file: p.file, line: p.line, route });
    if (p.whole.length > 0) {
      const parts = p.whole.map(select);
      const ids = parts.flatMap((s) => s.rules ?? []);
      const tags = parts.flatMap((s) => s.tags ?? []);
      // An empty list would mean "every rule" next to targets; here it means none: no route.
      if (ids.length + tags.length > 0) add({ ...base, ...(ids.length ? { rules: [...new Set(ids)] } : {}), ...(tags.length ? { tags: [...new Set(tags)] } : {}) });
    }
    for (const s of p.scoped) {
      const chosen = select(s.removal);
      if ((chosen.rules?.length ?? 0) + (chosen.tags?.length ?? 0) === 0) continue;
      add({ ...base, ...chosen, targets: s.targets });
    }
  }
  return out;
}

function label(v: Variable): string {
  return `${v.count ? "&" : ""}${v.collection}${v.key !== undefined ? `:${v.key}` : ""}`;
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const i = text.indexOf(sep);
  return i < 0 ? [text, undefined] : [text.slice(0, i).trim(), text.slice(i + 1).trim()];
}

function removalOf(name: string, what: string): Removal | string {
  if (name.endsWith("bytag")) return what ? { by: "tag", tag: what } : "an empty tag";
  if (name.endsWith("bymsg")) return what ? { by: "msg", msg: what } : "an empty message";
  const ranges: [number, number][] = [];
  const ids: string[] = [];
  for (const part of what.split(/[\s,]+/).filter(Boolean)) {
    const m = /^(\d+)-(\d+)$/.exec(part);
    if (m) ranges.push([Number(m[1]), Number(m[2])]);
    else ids.push(part);
  }
  return ranges.length + ids.length > 0 ? { by: "id", ranges, ids } : "no rule id";
}

/** `ARGS:pwd`, `REQUEST_HEADERS:User-Agent`, `REQUEST_FILENAME` … as route targets. */
function ctlTargets(spec: string): TargetSource[] | string {
  const m = /^([A-Za-z_]+)(?::(.+))?$/.exec(spec.trim());
  if (!m) return `cannot read the target ${JSON.stringify(spec)}`;
  const key = m[2]?.trim();
  if (key !== undefined && key.startsWith("/")) return `${spec}: a regex name (route targets take exact names)`;
  const mapped = mapVariables([{ exclude: false, count: false, collection: m[1]!.toUpperCase(), ...(key !== undefined ? { key } : {}) }], { requestLineSplittable: false });
  if (mapped.targets.length === 0) return mapped.dropped.join("; ") || `${spec}: no field kind`;
  return mapped.targets;
}

function methodList(link: RuleLink): string[] | string {
  const { name, argument, negate } = link.operator;
  if (negate) return "a negated REQUEST_METHOD test has no route equivalent (routes list the methods they apply to)";
  if (name === "streq") return [argument.trim().toUpperCase()];
  if (name === "pm" || name === "within") return argument.split(/[\s,|]+/).filter(Boolean).map((m) => m.toUpperCase());
  const words = name === "rx" ? wordAlternatives(argument) : undefined;
  if (words) return words.map((m) => m.toUpperCase());
  return `REQUEST_METHOD @${name} has no route equivalent`;
}

function pathTest(link: RuleLink, collection: string, ignoreCase: boolean): PathTest | string {
  const { name, argument, negate } = link.operator;
  const arg = argument;
  // REQUEST_BASENAME is the last segment: its tests are tests of what follows the last '/'.
  const basename = collection === "REQUEST_BASENAME";
  const seg = basename ? "(?:^|/)" : "^";
  const end = basename ? "(?:[^/]*$)" : "";
  const t = (source: string, prefix?: string): PathTest => ({ source, flags: ignoreCase ? "i" : "", negate, ...(prefix !== undefined && !negate && !ignoreCase && !basename ? { prefix } : {}) });
  switch (name) {
    case "streq":
      return t(`${seg}${escapeRegex(arg)}$`);
    case "beginswith":
      // A route string holding `*` is a glob (src/path-pattern): such an argument stays a RegExp.
      return t(`${seg}${escapeRegex(arg)}`, arg.includes("*") ? undefined : arg);
    case "endswith":
      return t(`${escapeRegex(arg)}$`);
    case "contains":
      return basename ? t(`${escapeRegex(arg)}${end}`) : t(escapeRegex(arg));
    case "pm":
    case "within": {
      const words = arg.split(/\s+/).filter(Boolean);
      if (words.length === 0) return `@${name} with no phrase`;
      // @within: the path is one of the words; @pm: it contains one (case-insensitive, as @pm).
      if (name === "within") return t(`${seg}(?:${words.map(escapeRegex).join("|")})$`);
      return { ...t(`(?:${words.map(escapeRegex).join("|")})${basename ? end : ""}`), flags: "i" };
    }
    case "rx": {
      if (basename) return "REQUEST_BASENAME @rx has no route equivalent (use REQUEST_FILENAME)";
      try {
        const host = toHostRegExpSource(arg);
        return { source: host.source, flags: ignoreCase && !host.flags.includes("i") ? `${host.flags}i` : host.flags, negate };
      } catch (e) {
        return `its regex ${JSON.stringify(arg)} does not parse (${(e as Error).message})`;
      }
    }
    case "validatebyterange": {
      const range = byteClass(arg);
      if (typeof range === "string") return range;
      const cls = range.cls;
      // validateByteRange matches when a byte is outside the ranges.
      return basename ? t(`[^${cls}]${end}`) : t(`[^${cls}]`);
    }
    default:
      return `@${name} on the path has no route equivalent`;
  }
}

/** `20,45-47,48-57` (decimal bytes) as the inside of a RegExp class; ASCII only (the path is a decoded string). */
function byteClass(arg: string): { cls: string } | string {
  let cls = "";
  for (const part of arg.split(",").map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return `@validateByteRange ${arg}: cannot read ${JSON.stringify(part)}`;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi > 127 || lo > hi) return `@validateByteRange ${arg}: ranges past 127 have no route equivalent (the route sees the decoded path)`;
    const hex = (n: number) => `\\x${n.toString(16).padStart(2, "0")}`;
    cls += lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`;
  }
  return cls === "" ? `@validateByteRange ${arg}: no range` : { cls };
}

/** The route path for tests that all must hold: a prefix string for one plain @beginsWith, else one RegExp; no test: every path. */
function routePath(tests: PathTest[]): string | RegExp | { unsupported: string } {
  if (tests.length === 0) return "/";
  if (tests.length === 1 && tests[0]!.prefix !== undefined) return tests[0]!.prefix;
  return allOfHostRegExps(tests);
}
