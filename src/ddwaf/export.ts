/**
 * wafer pack source → libddwaf ruleset (format 2.2), for the rules libddwaf can express with
 * the same meaning. Used to run identical rules in both engines (bench/, test/ddwaf/).
 *
 * Per condition: targets → inputs (addresses.ts; name targets add `keys_only`, URI pieces add
 * `url_path`/`url_basename`/`url_querystring`, all as input-level transformers since they
 * differ per input), transforms → transformers, operator → operator. Literal operators that
 * fold case in wafer get a trailing `lowercase` and a lower-cased argument, which is exact.
 * A rule's `except` names become an exclusion for that rule and input.
 */
import { isNameRegex } from "../pack/targets.js";
import type { TransformName } from "../engine/abi.js";
import type { ConditionSource, PackSource, RuleSource, TargetSource } from "../pack/schema.js";
import { TARGET_TO_ADDRESS } from "./addresses.js";
import type { DdwafCondition, DdwafExclusion, DdwafInput, DdwafRule, DdwafRuleset, ImportNote, Unsupported } from "./format.js";
import { escapeRegexLiteral } from "./import-operator.js";
import { re2Incompatibility } from "./re2-compat.js";
import { WAFER_TO_DDWAF_TRANSFORM } from "./transformers.js";

export interface ExportDdwafOptions {
  /** Highest paranoia level exported (default 4: every rule). Rules above it are listed as unsupported. */
  paranoia?: 1 | 2 | 3 | 4;
  /**
   * Export rules whose transforms or targets libddwaf lacks with the nearest equivalent
   * (APPROXIMATE_TRANSFORM; a `body` target is dropped when the rule has others), each change
   * listed in `notes`. Detection then differs; cost comparisons (bench/) stay meaningful.
   */
  approximate?: boolean;
}

export interface ExportDdwafResult {
  json: DdwafRuleset;
  unsupported: Unsupported[];
  /** Approximations made with `approximate`, per rule. */
  notes: ImportNote[];
}

/** Nearest libddwaf transformer for wafer transforms it lacks (`null`: dropped), used only with `approximate`. */
export const APPROXIMATE_TRANSFORM: Partial<Record<TransformName, string | null>> = {
  replaceComments: "remove_comments",
  removeCommentsChar: "remove_comments",
  removeWhitespace: "compress_whitespace",
  shellUnescape: "shell_unescape",
  trim: null,
  trimLeft: null,
  trimRight: null,
};

class Inexpressible extends Error {}
const fail = (reason: string): never => {
  throw new Inexpressible(reason);
};

export function exportDdwaf(pack: PackSource, options: ExportDdwafOptions = {}): ExportDdwafResult {
  const rules: DdwafRule[] = [];
  const exclusions: DdwafExclusion[] = [];
  const unsupported: Unsupported[] = [];
  const notes: ImportNote[] = [];
  const maxParanoia = options.paranoia ?? 4;
  for (const rule of pack.rules) {
    const id = String(rule.id);
    if ((rule.paranoia ?? 1) > maxParanoia) {
      unsupported.push({ id, reason: `paranoia ${rule.paranoia} above the exported level ${maxParanoia}` });
      continue;
    }
    try {
      const ruleNotes: string[] = [];
      const { rule: out, exclusions: ex } = exportRule(rule, options.approximate ? ruleNotes : null);
      for (const note of new Set(ruleNotes)) notes.push({ id, note });
      rules.push(out);
      exclusions.push(...ex);
    } catch (e) {
      if (!(e instanceof Inexpressible)) throw e;
      unsupported.push({ id, reason: e.message });
    }
  }
  const json: DdwafRuleset = { version: "2.2", metadata: { rules_version: pack.version }, rules };
  if (exclusions.length > 0) json.exclusions = exclusions;
  return { json, unsupported, notes };
}

/** `approx` collects approximation notes; null when approximations are not allowed. */
function exportRule(rule: RuleSource, approx: string[] | null): { rule: DdwafRule; exclusions: DdwafExclusion[] } {
  if (rule.action === "allow") fail("action allow: libddwaf rules only report or block");
  const exclusions: DdwafExclusion[] = [];
  const sources: ConditionSource[] = [rule, ...(rule.chain ?? [])];
  const minLengths = new Map<number, number>();
  const kept = sources.filter((c, i) => {
    const owner = lengthCheckOwner(c, sources);
    if (owner < 0 || owner === i) return true;
    minLengths.set(owner, (c.operator as { ge: number }).ge);
    return false;
  });
  const conditions = kept.map((c) => {
    const i = sources.indexOf(c);
    const out = exportCondition(c, String(rule.id), i, exclusions, approx);
    const min = minLengths.get(i);
    if (min !== undefined) out.parameters.options = { ...out.parameters.options, min_length: min };
    return out;
  });
  const tags: Record<string, string> = { type: rule.family, category: "attack_attempt" };
  for (const t of rule.tags ?? []) {
    const at = t.indexOf(":");
    if (at > 0 && !(t.slice(0, at) in tags)) tags[t.slice(0, at)] = t.slice(at + 1);
  }
  if (rule.severity) tags.severity = rule.severity;
  if (rule.paranoia) tags.paranoia_level = String(rule.paranoia);
  const out: DdwafRule = { id: String(rule.id), name: rule.message, tags, conditions, transformers: [] };
  if (rule.action === "block") out.on_match = ["block"];
  return { rule: out, exclusions };
}

function exportCondition(c: ConditionSource, ruleId: string, index: number, exclusions: DdwafExclusion[], approx: string[] | null): DdwafCondition {
  const chain: string[] = [];
  for (const t of c.transforms ?? []) {
    const exact = WAFER_TO_DDWAF_TRANSFORM[t];
    if (exact) chain.push(exact);
    else if (approx && APPROXIMATE_TRANSFORM[t] !== undefined) {
      const near = APPROXIMATE_TRANSFORM[t];
      if (near) chain.push(near);
      approx.push(near ? `transform ${t} approximated by ${near}` : `transform ${t} dropped`);
    } else fail(`transform ${t} has no libddwaf transformer`);
  }
  let targets = c.targets;
  if (approx && targets.some((t) => !TARGET_TO_ADDRESS[typeof t === "string" ? t : t.field])) {
    const kept = targets.filter((t) => TARGET_TO_ADDRESS[typeof t === "string" ? t : t.field]);
    if (kept.length > 0) {
      approx.push(`targets without a libddwaf address dropped: ${targets.filter((t) => !kept.includes(t)).map((t) => (typeof t === "string" ? t : t.field)).join(", ")}`);
      targets = kept;
    }
  }
  const { operator, parameters, foldCase } = exportOperator(c);
  const tail = foldCase ? [...chain, "lowercase"] : chain;
  const inputs: DdwafInput[] = [];
  const excluded: DdwafInput[] = [];
  for (const target of targets) {
    for (const input of targetInputs(target, tail)) inputs.push(input);
    if (typeof target !== "string" && (target.except ?? []).length > 0) {
      for (const name of target.except!) {
        if (isNameRegex(name)) fail(`except ${name}: libddwaf excludes exact key paths only`);
        for (const { address, lead } of TARGET_TO_ADDRESS[target.field] ?? []) if (!lead) excluded.push({ address, key_path: keyPathOf(address, name, []) as string[] });
      }
    }
  }
  if (c.negate) {
    const single = inputs.length === 1 && (inputs[0]!.key_path !== undefined || ["server.request.method", "server.request.uri.raw", "http.client_ip"].includes(inputs[0]!.address));
    if (!single) fail("negation over several values: libddwaf fires when none matches, wafer when any does not");
  }
  if (excluded.length > 0) exclusions.push({ id: `${ruleId}-except-${index}`, rules_target: [{ rule_id: ruleId }], inputs: excluded });
  return { operator: `${c.negate ? "!" : ""}${operator}`, parameters: { inputs, ...parameters } };
}

/**
 * The importer writes libddwaf's `min_length` as a chain condition "length >= N" over the same
 * targets and chain as a regex condition; this finds that regex condition so the exporter can
 * fold the check back into `options.min_length`. -1 when `c` is not such a check.
 */
function lengthCheckOwner(c: ConditionSource, all: ConditionSource[]): number {
  const t = c.transforms ?? [];
  if (t[t.length - 1] !== "length" || typeof (c.operator as { ge?: unknown }).ge !== "number") return -1;
  const chain = JSON.stringify(t.slice(0, -1));
  const targets = JSON.stringify(c.targets);
  return all.findIndex((o) => o !== c && "rx" in o.operator && !o.negate && JSON.stringify(o.transforms ?? []) === chain && JSON.stringify(o.targets) === targets);
}

/** Inputs for one target. Transformers go on each input: keys_only and the URI pieces differ per input. */
function targetInputs(target: TargetSource, chain: string[]): DdwafInput[] {
  const field = typeof target === "string" ? target : target.field;
  const mapped = TARGET_TO_ADDRESS[field] ?? fail(`target ${field}: libddwaf has no address for it`);
  const names = typeof target === "string" ? [] : (target.names ?? []);
  const out: DdwafInput[] = [];
  for (const { address, lead } of mapped) {
    const transformers = lead ? [lead, ...chain] : chain;
    if (names.length === 0) {
      out.push({ address, transformers });
      continue;
    }
    if (lead) fail(`target ${field} with names: libddwaf selects keys by path, not key names by name`);
    const seen = new Set<string>();
    for (const name of names) {
      const keyPath = keyPathOf(address, name, names);
      if (keyPath === "covered") continue;
      if (!keyPath) fail(`target ${field} name ${name}: libddwaf selects exact key paths only`);
      if (seen.has(JSON.stringify(keyPath))) continue;
      seen.add(JSON.stringify(keyPath));
      out.push({ address, key_path: keyPath!, transformers });
    }
  }
  return out;
}

/**
 * A wafer field name as a libddwaf key_path. Header and cookie names are single keys (headers
 * lower-cased, as libddwaf's map has them); query and body names are paths (`a.b`, `a[b]`,
 * `a[0]`, `a["x y"]`) split into keys. A `/^a\.b[.[]/` regex that only adds the leaves under
 * a path another name already selects is "covered": libddwaf's key_path includes them.
 */
function keyPathOf(address: string, name: string, all: string[]): string[] | "covered" | null {
  if (isNameRegex(name)) {
    const m = /^\/\^(.+)\[\.\[\]\/$/.exec(name);
    const prefix = m ? m[1]!.replace(/\\(.)/g, "$1") : undefined;
    return prefix !== undefined && all.includes(prefix) ? "covered" : null;
  }
  if (address.startsWith("server.request.headers")) return [name.toLowerCase()];
  if (address !== "server.request.query" && address !== "server.request.body") return [name];
  const keys: string[] = [];
  const token = /\["((?:[^"\\]|\\.)*)"\]|\[([^\]]*)\]|\.?([^.[\]]+)/gy;
  let consumed = 0;
  for (let m = token.exec(name); m !== null; m = token.exec(name)) {
    keys.push(m[1] !== undefined ? (JSON.parse(`"${m[1]}"`) as string) : (m[2] ?? m[3])!);
    consumed = token.lastIndex;
  }
  // A name that is not a path (`a..b`, `a[`) is one key, as wafer would see it.
  return consumed === name.length && keys.length > 0 ? keys : [name];
}

function exportOperator(c: ConditionSource): { operator: string; parameters: DdwafCondition["parameters"]; foldCase: boolean } {
  const op = c.operator as Record<string, unknown>;
  const caseSensitive = op.caseSensitive as boolean | undefined;
  const literal = (rx: string, cs: boolean) => ({ operator: "match_regex", parameters: { regex: rx, options: { case_sensitive: cs } }, foldCase: false });
  if (typeof op.rx === "string") {
    const lacking = re2Incompatibility(op.rx);
    if (lacking) fail(`rx uses ${lacking}, which libddwaf's regex engine (RE2) lacks`);
    return literal(op.rx, caseSensitive ?? true);
  }
  if (Array.isArray(op.pm)) {
    // wafer's pm folds case; libddwaf's phrase_match does not: lower-case both sides.
    return { operator: "phrase_match", parameters: { list: (op.pm as string[]).map((s) => s.toLowerCase()) }, foldCase: true };
  }
  if (typeof op.contains === "string") return literal(escapeRegexLiteral(op.contains), caseSensitive ?? false);
  if (typeof op.beginsWith === "string") return literal(`^${escapeRegexLiteral(op.beginsWith)}`, caseSensitive ?? false);
  if (typeof op.endsWith === "string") return literal(`${escapeRegexLiteral(op.endsWith)}$`, caseSensitive ?? false);
  if (typeof op.streq === "string") {
    if (caseSensitive === true) return { operator: "exact_match", parameters: { list: [op.streq] }, foldCase: false };
    return literal(`^${escapeRegexLiteral(op.streq)}$`, false);
  }
  if (Array.isArray(op.ipMatch)) return { operator: "ip_match", parameters: { list: op.ipMatch as string[] }, foldCase: false };
  if (op.detectSQLi === true) return { operator: "is_sqli", parameters: {}, foldCase: false };
  if (op.detectXSS === true) return { operator: "is_xss", parameters: {}, foldCase: false };
  if (op.exists === true) return { operator: "exists", parameters: {}, foldCase: false };
  if (typeof op.eq === "number") return { operator: "equals", parameters: { value: op.eq, type: Number.isInteger(op.eq) ? "signed" : "float" }, foldCase: false };
  if (typeof op.gt === "number") return { operator: "greater_than", parameters: { value: op.gt }, foldCase: false };
  if (typeof op.lt === "number") return { operator: "lower_than", parameters: { value: op.lt }, foldCase: false };
  return fail(`operator ${Object.keys(op).filter((k) => k !== "caseSensitive").join(", ")}: no libddwaf equivalent`);
}
