/**
 * libddwaf ruleset (JSON, format 2.x) → wafer pack source.
 *
 * Stages: read the file's sections (rules, custom_rules, rules_compat, rules_override,
 * rules_data, actions) → per rule, per condition: inputs → targets (addresses.ts),
 * transformers → transform chain (transformers.ts), operator (import-operator.ts) → rule
 * (first condition is the rule's own, the others its `chain`: libddwaf requires all
 * conditions, as wafer's chain does) → exclusions narrow targets or remove rules.
 *
 * Nothing is dropped silently: a rule that cannot be expressed is listed in `unsupported`
 * with the reason; a rule imported with a difference (an input wafer never sees, an
 * approximation) is listed in `notes`. Rule ids are kept as they are (`crs-942-100`).
 *
 * One difference is by design and not per rule: libddwaf reports at most one rule per
 * `tags.type` and request (its rule collections stop at the first match of a type); wafer
 * evaluates and reports every rule. Compare the two engines per type, or give rules distinct types.
 */
import { isNameRegex } from "../pack/targets.js";
import type { TransformName } from "../engine/abi.js";
import { PackError } from "../pack/errors.js";
import type { Action, ConditionSource, PackSource, RuleSource, TargetName, TargetSource } from "../pack/schema.js";
import type { RouteExclusion } from "../engine/options.js";
import { ADDRESS_TO_TARGETS, namesFor, unmappedAddressReason } from "./addresses.js";
import { exclusionRoute } from "./exclusion-routes.js";
import type { DdwafCondition, DdwafExclusion, DdwafInput, DdwafRule, DdwafRulesTarget, DdwafRuleset, ImportNote, Unsupported } from "./format.js";
import { escapeRegexLiteral, importOperator } from "./import-operator.js";
import { DDWAF_TO_WAFER_TRANSFORM, UNSUPPORTED_DDWAF_TRANSFORM, URI_PART_TRANSFORMERS } from "./transformers.js";

export interface ImportDdwafOptions {
  /** Pack name (default "ddwaf-import"). */
  name?: string;
  /** Pack version (default: metadata.rules_version when it is a semantic version, else 0.0.0). */
  version?: string;
  /** Import rules marked `enabled: false` too (default: list them as unsupported). */
  includeDisabled?: boolean;
  /** The libddwaf version whose min_version/max_version window decides which rules apply (default 1.30.1). */
  ddwafVersion?: string;
  /**
   * What a rule without a blocking `on_match` does in wafer. libddwaf only reports it:
   * "log" reports only; "score" adds to the anomaly score; "confidence" (default) scores the
   * rules Datadog marks `confidence: "1"` (the ones it recommends blocking on) and logs the rest.
   */
  nonBlocking?: "log" | "score" | "confidence";
}

export interface ImportDdwafResult {
  pack: PackSource;
  /** Rules (and sections, exclusions) not imported, with the reason. */
  unsupported: Unsupported[];
  /** Imported rules that differ from libddwaf in a documented way. */
  notes: ImportNote[];
  /**
   * Conditional exclusions on the URI and method, as engine routes (exclusion-routes.ts):
   * pass `routes.map((r) => r.route)` as WaferOptions.routes with the imported pack.
   */
  routes: { id: string; route: RouteExclusion }[];
}

const BLOCKING_ACTION_TYPES = new Set(["block_request", "redirect_request"]);
const MAX_CHAIN = 8;

/** One libddwaf condition becomes one wafer condition, plus a length check when min_length needs one. */
type ConditionResult = { conditions: ConditionSource[]; notes: string[] } | { unsupported: string };

export function importDdwaf(input: unknown, options: ImportDdwafOptions = {}): ImportDdwafResult {
  const ruleset = readRuleset(input);
  const unsupported: Unsupported[] = [];
  const notes: ImportNote[] = [];
  const data = new Map<string, string[]>();
  for (const d of ruleset.rules_data ?? []) data.set(d.id, (d.data ?? []).map((e) => e.value));
  const blocking = new Set(["block"]);
  for (const a of ruleset.actions ?? []) if (BLOCKING_ACTION_TYPES.has(a.type)) blocking.add(a.id);
  const ddwafVersion = options.ddwafVersion ?? "1.30.1";

  const sources: DdwafRule[] = [...(ruleset.rules ?? []), ...(ruleset.custom_rules ?? []), ...(ruleset.rules_compat ?? [])].map((r) => ({ ...r }));
  for (const override of ruleset.rules_override ?? []) {
    for (const rule of sources) {
      if (!(override.rules_target ?? []).some((t) => targetsRule(t, rule))) continue;
      if (override.enabled !== undefined) rule.enabled = override.enabled;
      if (override.on_match !== undefined) rule.on_match = override.on_match;
    }
  }

  const rules: RuleSource[] = [];
  const seen = new Set<string>();
  for (const rule of sources) {
    const id = String(rule.id);
    const skip = (reason: string) => unsupported.push({ id, reason });
    if (seen.has(id)) {
      skip("duplicate rule id (an earlier rule with this id was imported)");
      continue;
    }
    seen.add(id);
    if (rule.enabled === false && !options.includeDisabled) {
      skip("disabled in the ruleset (enabled: false)");
      continue;
    }
    if (rule.min_version && compareVersions(ddwafVersion, rule.min_version) < 0) {
      skip(`needs libddwaf >= ${rule.min_version} (importing as libddwaf ${ddwafVersion})`);
      continue;
    }
    if (rule.max_version && compareVersions(ddwafVersion, rule.max_version) > 0) {
      skip(`only for libddwaf <= ${rule.max_version} (importing as libddwaf ${ddwafVersion})`);
      continue;
    }
    if (rule.output?.event === false) {
      skip("collects attributes only (output.event: false), raises no event");
      continue;
    }
    if (!Array.isArray(rule.conditions) || rule.conditions.length === 0) {
      skip("no conditions");
      continue;
    }
    const converted = rule.conditions.map((c) => importCondition(c, rule.transformers ?? [], data));
    const failed = converted.find((c): c is { unsupported: string } => "unsupported" in c);
    if (failed) {
      skip(failed.unsupported);
      continue;
    }
    const results = converted as { conditions: ConditionSource[]; notes: string[] }[];
    const ruleNotes = results.flatMap((c) => c.notes);
    const all = results.flatMap((c) => c.conditions);
    // A negated condition runs on every field; a plain one can use the literal prefilter.
    const ordered = [...all.filter((c) => !c.negate), ...all.filter((c) => c.negate)];
    const [main, ...chain] = ordered;
    const onMatch = rule.on_match ?? [];
    for (const a of onMatch) if (!blocking.has(a)) ruleNotes.push(`on_match "${a}" has no wafer action and was ignored`);
    const tags = rule.tags ?? {};
    const action: Action = onMatch.some((a) => blocking.has(a)) ? "block" : nonBlockingAction(options.nonBlocking ?? "confidence", tags);
    const out: RuleSource = {
      id,
      message: rule.name ?? id,
      family: tags.type ?? "ddwaf",
      tags: Object.entries(tags).filter(([k]) => k !== "type").map(([k, v]) => `${k}:${v}`),
      severity: "critical",
      action,
      targets: main!.targets,
      ...(main!.transforms ? { transforms: main!.transforms } : {}),
      operator: main!.operator,
      ...(main!.negate ? { negate: true } : {}),
      ...(chain.length > 0 ? { chain } : {}),
    };
    rules.push(out);
    for (const note of ruleNotes) notes.push({ id, note });
  }

  const routes: ImportDdwafResult["routes"] = [];
  const kept = applyExclusions(rules, sources, ruleset.exclusions ?? [], unsupported, notes, routes);
  if ((ruleset.processors ?? []).length > 0)
    unsupported.push({ id: "processors", reason: `${ruleset.processors!.length} processors (fingerprints, schema extraction) produce attributes, not detections` });
  if ((ruleset.scanners ?? []).length > 0)
    unsupported.push({ id: "scanners", reason: `${ruleset.scanners!.length} scanners tag sensitive data for schema extraction, not detections` });

  const rulesVersion = ruleset.metadata?.rules_version;
  const pack: PackSource = {
    name: options.name ?? "ddwaf-import",
    version: options.version ?? (rulesVersion && /^\d+\.\d+\.\d+$/.test(rulesVersion) ? rulesVersion : "0.0.0"),
    description: `Imported from a libddwaf ruleset${rulesVersion ? ` (rules_version ${rulesVersion})` : ""}`,
    rules: kept,
  };
  return { pack, unsupported, notes, routes };
}

function readRuleset(input: unknown): DdwafRuleset {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObject(input)) throw new PackError([{ path: "(root)", message: "a libddwaf ruleset is a JSON object with `rules`" }], "libddwaf ruleset");
  const issues = [];
  for (const section of ["rules", "custom_rules", "rules_compat", "exclusions", "rules_override", "rules_data", "actions"])
    if (input[section] !== undefined && !Array.isArray(input[section])) issues.push({ path: section, message: "must be an array" });
  if (input.rules === undefined && input.custom_rules === undefined) issues.push({ path: "rules", message: "required, an array of rules" });
  for (const section of ["rules", "custom_rules", "rules_compat"] as const) {
    const list = input[section];
    if (!Array.isArray(list)) continue;
    list.forEach((r, i) => {
      if (!isObject(r) || (typeof r.id !== "string" && typeof r.id !== "number")) issues.push({ path: `${section}[${i}]`, message: "a rule needs an id" });
    });
  }
  if (issues.length > 0) throw new PackError(issues, "libddwaf ruleset");
  return input as DdwafRuleset;
}

function nonBlockingAction(mode: "log" | "score" | "confidence", tags: Record<string, string>): Action {
  if (mode === "confidence") return tags.confidence === "1" ? "score" : "log";
  return mode;
}

function targetsRule(target: DdwafRulesTarget, rule: DdwafRule): boolean {
  if (target.rule_id !== undefined) return String(rule.id) === target.rule_id;
  if (target.tags) return Object.entries(target.tags).every(([k, v]) => rule.tags?.[k] === v);
  return false;
}

/** Dotted versions compared numerically, part by part. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

interface InputPlan {
  chain: TransformName[];
  targets: TargetSource[];
}

/** One input → its wafer targets and transform chain, or why it cannot be expressed. */
export function importInput(input: DdwafInput, ruleTransformers: string[]): InputPlan | { dropped: string } | { unsupported: string } {
  const ddwafChain = input.transformers ?? ruleTransformers;
  let keysOnly = false;
  let uriPart: TargetName | undefined;
  const chain: TransformName[] = [];
  for (const [i, t] of ddwafChain.entries()) {
    if (t === "keys_only") {
      if (i !== 0 && chain.length > 0) return { unsupported: "keys_only after other transformers" };
      keysOnly = true;
    } else if (t === "values_only") continue;
    else if (URI_PART_TRANSFORMERS[t]) {
      if (chain.length > 0 || input.address !== "server.request.uri.raw") return { unsupported: `${t} is only expressible first, on server.request.uri.raw` };
      uriPart = URI_PART_TRANSFORMERS[t];
    } else if (DDWAF_TO_WAFER_TRANSFORM[t]) chain.push(DDWAF_TO_WAFER_TRANSFORM[t]!);
    else return { unsupported: UNSUPPORTED_DDWAF_TRANSFORM[t] ?? `transformer ${t} is unknown to wafer` };
  }
  if (chain.length > MAX_CHAIN) return { unsupported: `more than ${MAX_CHAIN} transformers` };
  const mapping = ADDRESS_TO_TARGETS[input.address];
  if (!mapping) return { dropped: unmappedAddressReason(input.address) };
  const keyPath = (input.key_path ?? []).map(String);
  let fields: TargetName[];
  if (uriPart) fields = [uriPart];
  else if (keysOnly) {
    if (!mapping.keys) return { dropped: `keys_only on ${input.address}: it has no keys` };
    fields = mapping.keys;
  } else fields = mapping.values;
  if (keyPath.length === 0) return { chain, targets: fields };
  if (keysOnly) return { dropped: `${input.address} keys under key_path [${keyPath.join(", ")}]: wafer names are whole paths` };
  const names = namesFor(mapping.keyStyle, keyPath);
  if (!names) return { dropped: `${input.address} key_path [${keyPath.join(", ")}]: no wafer field name for it` };
  return { chain, targets: fields.map((field) => ({ field, names })) };
}

function importCondition(cond: DdwafCondition, ruleTransformers: string[], data: Map<string, string[]>): ConditionResult {
  const inputs = cond.parameters?.inputs;
  if (!Array.isArray(inputs) || inputs.length === 0) {
    const op = importOperator(cond, { transforms: [], data });
    return { unsupported: "unsupported" in op ? op.unsupported : `${cond.operator}: no inputs` };
  }
  const notes: string[] = [];
  const plans: InputPlan[] = [];
  const dropped: string[] = [];
  for (const input of inputs) {
    const plan = importInput(input, ruleTransformers);
    if ("unsupported" in plan) return { unsupported: `${input.address}: ${plan.unsupported}` };
    if ("dropped" in plan) dropped.push(plan.dropped);
    else plans.push(plan);
  }
  if (plans.length === 0) return { unsupported: dropped[0]! };
  for (const d of new Set(dropped)) notes.push(`input not inspected: ${d}`);
  const chainKey = (p: InputPlan) => p.chain.join(",");
  if (new Set(plans.map(chainKey)).size > 1) return { unsupported: "inputs with different transformer chains in one condition" };
  const transforms = plans[0]!.chain;
  const targets = mergeTargets(plans.flatMap((p) => p.targets));
  const op = importOperator(cond, { transforms, data });
  if ("unsupported" in op) return { unsupported: op.unsupported };
  notes.push(...op.notes);
  if (op.negate && !isSingleField(targets))
    return { unsupported: `${cond.operator} over a collection: libddwaf fires when no value matches, wafer when any value does not` };
  const condition: ConditionSource = { targets, ...(transforms.length > 0 ? { transforms } : {}), operator: op.operator, ...(op.negate ? { negate: true } : {}) };
  if (op.minLength !== undefined) {
    if (transforms.length >= MAX_CHAIN) return { unsupported: `min_length with ${MAX_CHAIN} transformers leaves no room for the length check` };
    if (!isSingleField(targets)) notes.push(`min_length ${op.minLength}: checked as "some targeted value is at least ${op.minLength} long", not per value`);
    const lengthCheck: ConditionSource = { targets, transforms: [...transforms, "length"], operator: { ge: op.minLength } };
    return { conditions: [condition, lengthCheck], notes };
  }
  return { conditions: [condition], notes };
}

/** Targets that select one field (a named entry, or a collection that has one value per request). */
function isSingleField(targets: TargetSource[]): boolean {
  if (targets.length !== 1) return false;
  const t = targets[0]!;
  if (typeof t === "string") return ["method", "uri", "path", "basename", "query_string", "client_ip", "protocol"].includes(t);
  return (t.names ?? []).filter((n) => !isNameRegex(n)).length === 1 && (t.names ?? []).length === 1;
}

function mergeTargets(targets: TargetSource[]): TargetSource[] {
  const whole = new Set<TargetName>();
  const named = new Map<TargetName, Set<string>>();
  for (const t of targets) {
    if (typeof t === "string") whole.add(t);
    else for (const n of t.names ?? []) (named.get(t.field) ?? named.set(t.field, new Set()).get(t.field)!).add(n);
  }
  const out: TargetSource[] = [...whole];
  for (const [field, names] of named) if (!whole.has(field)) out.push({ field, names: [...names] });
  return out;
}

/**
 * Exclusions: unconditional ones remove rules or narrow their targets; conditional ones on the
 * URI and method become routes; the rest are listed.
 */
function applyExclusions(
  rules: RuleSource[],
  sources: DdwafRule[],
  exclusions: DdwafExclusion[],
  unsupported: Unsupported[],
  notes: ImportNote[],
  routes: ImportDdwafResult["routes"],
): RuleSource[] {
  const byId = new Map(sources.map((r) => [String(r.id), r]));
  const removed = new Map<string, string>();
  for (const ex of exclusions) {
    const label = `exclusion:${ex.id}`;
    const targeted = rules.filter((r) => {
      const src = byId.get(r.id);
      return src !== undefined && ((ex.rules_target ?? []).length === 0 || (ex.rules_target ?? []).some((t) => targetsRule(t, src)));
    });
    if ((ex.conditions ?? []).length > 0) {
      const result = exclusionRoute(ex, targeted.map((r) => r.id));
      if ("unsupported" in result) unsupported.push({ id: label, reason: result.unsupported });
      else {
        routes.push({ id: String(ex.id), route: result.route });
        for (const note of result.notes) notes.push({ id: label, note });
      }
      continue;
    }
    if (ex.on_match === "monitor") {
      for (const r of targeted) r.action = "log";
      continue;
    }
    if ((ex.inputs ?? []).length === 0) {
      for (const r of targeted) removed.set(r.id, `removed by exclusion ${ex.id}`);
      continue;
    }
    for (const input of ex.inputs!) {
      const mapping = ADDRESS_TO_TARGETS[input.address];
      if (!mapping) continue; // wafer never inspects that address, nothing to exclude.
      const keyPath = (input.key_path ?? []).map(String);
      const names = keyPath.length > 0 ? namesFor(mapping.keyStyle, keyPath) : null;
      if (keyPath.length > 0 && !names) {
        unsupported.push({ id: label, reason: `cannot exclude ${input.address} key_path [${keyPath.join(", ")}]` });
        continue;
      }
      const fields = new Set<TargetName>([...mapping.values, ...(mapping.keys ?? [])]);
      for (const r of targeted) {
        for (const c of [r, ...(r.chain ?? [])]) {
          c.targets = c.targets.flatMap((t): TargetSource[] => {
            const field = typeof t === "string" ? t : t.field;
            if (!fields.has(field)) return [t];
            if (!names) return [];
            if (typeof t === "string") return [{ field, except: names }];
            return [{ ...t, except: [...(t.except ?? []), ...names] }];
          });
        }
        if ([r, ...(r.chain ?? [])].some((c) => c.targets.length === 0)) removed.set(r.id, `exclusion ${ex.id} removes every input of a condition`);
        else notes.push({ id: r.id, note: `exclusion ${ex.id} applied to ${input.address}${keyPath.length > 0 ? ` [${keyPath.join(", ")}]` : ""}` });
      }
    }
  }
  for (const [id, reason] of removed) unsupported.push({ id, reason });
  // A route names only rules that stay in the pack.
  for (let i = routes.length - 1; i >= 0; i--) {
    const kept = routes[i]!.route.rules!.filter((id) => !removed.has(id));
    if (kept.length > 0) routes[i]!.route.rules = kept;
    else routes.splice(i, 1);
  }
  return rules.filter((r) => !removed.has(r.id));
}
