/**
 * SecLang directives → a pack source (src/pack/schema.ts).
 *
 * ModSecurity runs a rule list top to bottom per request, with TX as shared state. A pack
 * is a set of independent rules, so the translation works in one pass that plays the
 * configuration forward:
 *   - rules that only read TX are decided at import (tx-state.ts, static-eval.ts): their
 *     setvars update the import-time TX and their skipAfter skips rules;
 *   - CRS paranoia gates (`TX:DETECTION_PARANOIA_LEVEL "@lt N" … skipAfter:END-…`) are not
 *     evaluated but open a section: every rule inside gets paranoia N (the engine gates at
 *     run time), rules above the configured level are left out;
 *   - detection rules become pack rules: variables → targets, operator → operator,
 *     t:… → transforms, chain links → chain conditions, anomaly `setvar`s → score;
 *   - the blocking evaluation (949110: anomaly score `@ge %{tx.inbound_anomaly_score_threshold}`)
 *     becomes the pack threshold.
 * Everything that cannot be expressed is reported per rule with the reason.
 */
import type { TransformName } from "../engine/abi.js";
import { MAX_CHAIN } from "../engine/abi.js";
import type { ConditionSource, PackSource, RuleSource, Severity, TargetName, TargetSource } from "../pack/schema.js";
import { foldCaptureEqualityIntoRegex, foldCaptureIntoRegex, foldCaptureTestIntoRegex, parseCaptureSetvar, type CaptureSetvar } from "./capture-rewrite.js";
import { isExclusionRule, resolveExclusions, translateExclusion, type ImportedRoute, type PendingExclusion } from "./exclusions.js";
import { mapOperator } from "./operators.js";
import { splitTopLevelAlternation } from "./regex-split.js";
import type { Action, Directive, RuleLink } from "./parser.js";
import { evaluateStatic, readsOnlyTx, txNames } from "./static-eval.js";
import { mapTransform } from "./transforms.js";
import { RUNTIME, TxState } from "./tx-state.js";
import { countTarget, mapVariables } from "./variables.js";

export interface TranslateOptions {
  /** Detection paranoia level: rules in sections above it are left out (default 1). */
  paranoia?: 1 | 2 | 3 | 4;
  /** Blocking paranoia level (CRS `tx.blocking_paranoia_level`; default = paranoia). */
  blockingParanoia?: 1 | 2 | 3 | 4;
  /** Inbound anomaly threshold; overrides `tx.inbound_anomaly_score_threshold`. */
  inboundThreshold?: number;
  /** crs-setup style TX variables (`{ arg_length: 400, allowed_methods: "GET POST" }`). */
  tx?: Record<string, string | number>;
  /**
   * multiMatch rules: "variants" (default) emits one copy per transform prefix so every
   * intermediate value is inspected; "final" inspects only the fully transformed value.
   */
  multiMatch?: "variants" | "final";
  /**
   * XML:/* and XML://@* (XML text and attribute nodes): "body" (default) inspects the raw
   * body in their place, tags included; "skip" leaves them out.
   */
  xml?: "body" | "skip";
  /**
   * Rule ids whose top-level regex is emitted as several rules (`ID#a0`, `ID#a1`, …), one
   * per group of alternatives: for patterns whose single DFA exceeds the compiler's state
   * budget (the compiler then skips only the pieces that still do).
   */
  splitRegex?: string[];
  /** Pack name and version (defaults "seclang", "1.0.0"). */
  name?: string;
  version?: string;
  description?: string;
}

export interface RuleIssue {
  id: string;
  reason: string;
  file: string;
  line: number;
}

export interface TranslateResult {
  pack: PackSource;
  /** Rules that could not be expressed, with the reason. */
  unsupported: RuleIssue[];
  /** Rules left out by the configuration (paranoia, TX conditions, removals, skips). */
  disabled: RuleIssue[];
  /** Rules that only configure TX, evaluated at import, and what they did. */
  configuration: RuleIssue[];
  /** Approximations in imported rules (the rule is in the pack, but not exactly). */
  notes: RuleIssue[];
  /** Directives that do not affect detection, left out. */
  ignored: { directive: string; file: string; line: number }[];
  /**
   * Runtime exclusions (`ctl:ruleRemove…` rules on the path and method) as engine routes:
   * pass `routes.map((r) => r.route)` as WaferOptions.routes with the imported pack.
   */
  routes: ImportedRoute[];
}

/** Configuration directives that change nothing a pack can express. */
const HARMLESS = new Set([
  "seccomponentsignature", "secruleengine", "secrequestbodyaccess", "secresponsebodyaccess",
  "secresponsebodymimetype", "secresponsebodylimit", "secresponsebodylimitaction", "secrequestbodylimit",
  "secrequestbodynofileslimit", "secrequestbodyinmemorylimit", "secrequestbodylimitaction",
  "secrequestbodyjsondepthlimit", "secargumentslimit", "secpcrematchlimit", "secpcrematchlimitrecursion",
  "secauditengine", "secauditlog", "secauditlog2", "secauditlogparts", "secauditlogrelevantstatus",
  "secauditlogtype", "secauditlogformat", "secauditlogstoragedir", "secauditlogdirmode", "secauditlogfilemode",
  "secdebuglog", "secdebugloglevel", "sectmpdir", "secdatadir", "secuploaddir", "secuploadkeepfiles",
  "secuploadfilemode", "secuploadfilelimit", "seccollectiontimeout", "secargumentseparator",
  "seccookieformat", "secunicodemapfile", "secstatusengine", "sectmpsaveuploadedfiles", "secserversignature",
  "sechttpblkey", "secgeolookupdb", "secgsblookupdb", "secconnengine", "secwebappid", "secsensorid",
  "secstreaminbodyinspection", "secstreamoutbodyinspection", "secruleperftime", "secxmlexternalentity",
  "secinterceptonerror", "seccontentinjection", "secdisablebackendcompression", "secchrootdir",
  "secconnreadstatelimit", "secconnwritestatelimit", "include", "includeoptional",
]);

const SEVERITY: Record<string, Severity> = {
  emergency: "critical", alert: "critical", critical: "critical", error: "error", warning: "warning",
  notice: "notice", info: "notice", debug: "notice",
  "0": "critical", "1": "critical", "2": "critical", "3": "error", "4": "warning", "5": "notice", "6": "notice", "7": "notice",
};

const PARANOIA_VARIABLES = new Set(["detection_paranoia_level", "executing_paranoia_level", "paranoia_level"]);

interface Gate {
  marker: string;
  level: number;
}

/** Translates directives (all files, in load order) into one pack source. */
export function translateSecLang(
  directives: Directive[],
  options: TranslateOptions,
  readData: (name: string, fromFile: string) => string,
): TranslateResult {
  const paranoia = options.paranoia ?? 1;
  const tx = new TxState({
    detection_paranoia_level: paranoia,
    blocking_paranoia_level: options.blockingParanoia ?? paranoia,
    ...(options.inboundThreshold !== undefined ? { inbound_anomaly_score_threshold: options.inboundThreshold } : {}),
    ...options.tx,
  });
  const out: TranslateResult = { pack: { name: options.name ?? "seclang", version: options.version ?? "1.0.0", rules: [] }, unsupported: [], disabled: [], configuration: [], notes: [], ignored: [], routes: [] };
  if (options.description) out.pack.description = options.description;
  const rules: (RuleSource & { from: RuleLink })[] = [];
  const exclusions: PendingExclusion[] = [];
  const gates: Gate[] = [];
  const defaultTransforms = new Map<number, TransformName[]>();
  let skipUntil: { marker: string; by: string } | null = null;
  let skipCount = 0;
  let skipBy = "";
  let threshold: number | undefined;

  for (const d of directives) {
    if (d.kind === "SecMarker") {
      for (let i = gates.length - 1; i >= 0; i--) if (gates[i]!.marker === d.marker) gates.splice(i, 1);
      if (skipUntil && skipUntil.marker === d.marker) skipUntil = null;
      continue;
    }
    if (d.kind === "other") {
      applyOther(d, rules, out);
      continue;
    }
    if (d.kind === "SecDefaultAction") {
      const phase = phaseOf(d.actions) ?? 2;
      const t = transformsOf(d.actions, []);
      if (typeof t !== "string") defaultTransforms.set(phase, t);
      continue;
    }
    const actions = d.kind === "SecRule" ? [d, ...d.chain].flatMap((l) => l.actions) : d.actions;
    const id = actionValue(d.actions, "id") ?? `${d.file}:${d.line}`;
    const issue = (reason: string): RuleIssue => ({ id, reason, file: d.file, line: d.line });
    if (skipUntil) {
      out.disabled.push(issue(`skipped: ${skipUntil.by} jumps to marker ${skipUntil.marker} under this configuration`));
      continue;
    }
    if (skipCount > 0) {
      skipCount--;
      out.disabled.push(issue(`skipped by ${skipBy} (skip action) under this configuration`));
      continue;
    }

    if (d.kind === "SecAction") {
      const effects = applyStaticActions(actions, tx);
      out.configuration.push(issue(effects || "no effect"));
      const skipAfter = actionValue(actions, "skipafter");
      if (skipAfter) skipUntil = { marker: skipAfter, by: id };
      const skip = Number(actionValue(actions, "skip") ?? 0);
      if (skip > 0) [skipCount, skipBy] = [skip, id];
      continue;
    }

    // A CRS paranoia gate opens a section instead of being decided.
    const gateLevel = paranoiaGate(d);
    if (gateLevel !== null) {
      gates.push({ marker: actionValue(d.actions, "skipafter")!, level: gateLevel });
      out.configuration.push(issue(`paranoia gate: rules up to marker ${actionValue(d.actions, "skipafter")} have paranoia level ${gateLevel}`));
      continue;
    }

    const links = [d as RuleLink, ...d.chain];
    // The blocking evaluation reads the per-request score; it becomes the pack threshold
    // (unless a further link, e.g. TX:EARLY_BLOCKING, is false under this configuration).
    const blocking = links.every(readsOnlyTx) ? blockingThreshold(d, tx) : null;
    if (blocking !== null) {
      const off = d.chain.find((l) => evaluateStatic(l, tx) === false);
      if (off) out.configuration.push(issue(`blocking evaluation that never fires: ${txNames(off)} does not hold`));
      else {
        if (blocking.inbound) threshold = blocking.value;
        out.configuration.push(issue(`${blocking.inbound ? "inbound" : "outbound"} blocking evaluation → ${blocking.inbound ? "pack threshold" : "not used (request-only engine)"} ${blocking.value}`));
      }
      continue;
    }
    // Configuration rules: every link reads only TX known at import.
    if (links.every(readsOnlyTx)) {
      const outcomes = links.map((l) => evaluateStatic(l, tx));
      if (outcomes.every((o) => o !== null)) {
        if (outcomes.every((o) => o === true)) {
          const effects = applyStaticActions(actions, tx);
          const skipAfter = actionValue(actions, "skipafter");
          if (skipAfter) skipUntil = { marker: skipAfter, by: id };
          const skip = Number(actionValue(actions, "skip") ?? 0);
          if (skip > 0) [skipCount, skipBy] = [skip, id];
          out.configuration.push(issue(`evaluated at import: condition holds; ${effects || "no effect"}${skipAfter ? `; skips to ${skipAfter}` : ""}`));
        } else out.configuration.push(issue(`evaluated at import: condition ${txNames(links[outcomes.indexOf(false)]!)} does not hold`));
        continue;
      }
      if (outcomes.includes(false)) {
        out.configuration.push(issue(`evaluated at import: condition ${txNames(links[outcomes.indexOf(false)]!)} does not hold, so the rule never fires`));
        continue;
      }
    }

    const level = gates.reduce((m, g) => Math.max(m, g.level), 1);
    // ctl:ruleRemove… rules on the path and method become routes (exclusions.ts).
    if (isExclusionRule(actions)) {
      if (level > paranoia) {
        out.disabled.push(issue(`paranoia level ${level} is above the configured detection paranoia level ${paranoia}`));
        continue;
      }
      const excluded = translateExclusion(links, id, { file: d.file, line: d.line });
      if ("unsupported" in excluded) out.unsupported.push(issue(excluded.unsupported));
      else {
        exclusions.push(excluded);
        for (const note of excluded.notes) out.notes.push(issue(note));
      }
      continue;
    }
    const result = translateRule(d, links, level, tx, defaultTransforms, (name) => readData(name, d.file), options.xml ?? "body");
    // Whatever the outcome, its setvars make those TX variables per-request from now on.
    for (const a of actions) if (a.name === "setvar" && a.value) tx.applySetvar(a.value, true);
    if ("unsupported" in result) out.unsupported.push(issue(result.unsupported));
    else if ("disabled" in result) out.disabled.push(issue(result.disabled));
    else if (level > paranoia) out.disabled.push(issue(`paranoia level ${level} is above the configured detection paranoia level ${paranoia}`));
    else {
      rules.push({ ...result.rule, from: d });
      for (const note of result.notes) out.notes.push(issue(note));
      if (result.multiMatch && (result.rule.transforms ?? []).length > 0) {
        if (options.multiMatch === "final") out.notes.push(issue("multiMatch: only the fully transformed value is inspected"));
        else {
          const variants = multiMatchVariants(result.rule);
          for (const v of variants) rules.push({ ...v, from: d });
          out.notes.push(issue(`multiMatch: emitted as ${variants.length + 1} rules, one per transform prefix (${variants.map((v) => v.id).join(", ")})`));
        }
      }
    }
  }
  out.pack.rules = rules.flatMap(({ from, ...rule }) => splitRule(rule, options, (note) => out.notes.push({ id: baseId(rule.id), reason: note, file: from.file, line: from.line })));
  const configured = tx.get("inbound_anomaly_score_threshold");
  const fallback = typeof configured === "string" && Number(configured) > 0 ? Number(configured) : 5;
  out.pack.threshold = options.inboundThreshold ?? threshold ?? fallback;
  out.routes = resolveExclusions(exclusions, out.pack.rules);
  return out;
}

/** `SecRule TX:DETECTION_PARANOIA_LEVEL "@lt N" "…,skipAfter:MARKER"` → N. */
function paranoiaGate(d: Extract<Directive, { kind: "SecRule" }>): number | null {
  if (d.chain.length > 0 || d.variables.length !== 1) return null;
  const v = d.variables[0]!;
  if (v.collection !== "TX" || v.count || v.exclude || !v.key || !PARANOIA_VARIABLES.has(v.key.toLowerCase())) return null;
  if (d.operator.name !== "lt" || d.operator.negate || !actionValue(d.actions, "skipafter")) return null;
  const n = Number(d.operator.argument.trim());
  return Number.isInteger(n) && n >= 1 && n <= 4 ? n : null;
}

/** 949110-style: `TX:…ANOMALY_SCORE "@ge %{tx.…threshold}"` with a disruptive action. */
function blockingThreshold(d: Extract<Directive, { kind: "SecRule" }>, tx: TxState): { value: number; inbound: boolean } | null {
  const v = d.variables[0]!;
  if (d.variables.length !== 1 || !v.key || !/anomaly_score/i.test(v.key) || v.count) return null;
  if (!["ge", "gt"].includes(d.operator.name) || d.operator.negate) return null;
  const disruptive = [d, ...d.chain].flatMap((l) => l.actions).some((a) => a.name === "deny" || a.name === "block" || a.name === "drop");
  if (!disruptive) return null;
  const arg = tx.expand(d.operator.argument);
  const n = arg === null ? NaN : Number(arg.trim());
  if (!Number.isInteger(n) || n < 0) return null;
  return { value: d.operator.name === "gt" ? n + 1 : Math.max(n, 1), inbound: !/outbound/i.test(v.key) };
}

function actionValue(actions: Action[], name: string): string | undefined {
  for (const a of actions) if (a.name === name) return a.value;
  return undefined;
}

function phaseOf(actions: Action[]): number | undefined {
  const p = actionValue(actions, "phase");
  if (p === undefined) return undefined;
  const named: Record<string, number> = { request: 2, response: 4, logging: 5 };
  return named[p.toLowerCase()] ?? Number(p);
}

/** Applies setvars of a configuration rule; returns a summary for the report. */
function applyStaticActions(actions: Action[], tx: TxState): string {
  const done: string[] = [];
  for (const a of actions) {
    if (a.name === "setvar" && a.value && tx.applySetvar(a.value, false)) {
      const name = a.value.replace(/^!/, "").split("=")[0]!.replace(/^tx\./i, "");
      const v = tx.get(name);
      done.push(`tx.${name}=${v === RUNTIME ? "(per request)" : v === undefined ? "(unset)" : JSON.stringify(v)}`);
    }
    if (a.name === "ctl") done.push(`ctl:${a.value} not applied`);
  }
  return done.join(", ");
}

/** The t:… list of one link, starting from the defaults; a string is a reason it cannot be expressed. */
function transformsOf(actions: Action[], defaults: TransformName[]): TransformName[] | string {
  let list = [...defaults];
  for (const a of actions) {
    if (a.name !== "t" || a.value === undefined) continue;
    const t = mapTransform(a.value);
    if (t === undefined) return `t:${a.value} has no engine transform`;
    if (t === "none") list = [];
    else list.push(t);
  }
  if (list.length > MAX_CHAIN) return `transform chain of ${list.length} is longer than the engine's ${MAX_CHAIN}`;
  return list;
}

type RuleOutcome = { rule: RuleSource; notes: string[]; multiMatch: boolean } | { unsupported: string } | { disabled: string };

function translateRule(
  d: Extract<Directive, { kind: "SecRule" }>,
  links: RuleLink[],
  paranoia: number,
  tx: TxState,
  defaults: Map<number, TransformName[]>,
  readData: (name: string) => string,
  xml: "body" | "skip",
): RuleOutcome {
  const id = actionValue(d.actions, "id");
  if (id === undefined) return { unsupported: "rule has no id" };
  const phase = phaseOf(d.actions) ?? 2;
  if (!(phase === 1 || phase === 2)) return { unsupported: `phase ${phase} ${phase === 5 ? "runs at logging time" : "inspects the response"}; this engine inspects requests` };
  const notes: string[] = [];
  const conditions: ConditionSource[] = [];
  // A later link may read what an earlier link sets (`setvar:tx.x=%{tx.0}` then `TX:x`).
  for (const link of links) for (const a of link.actions) if (a.name === "setvar" && a.value) tx.applySetvar(a.value, true);
  let previous: TargetSource[] | undefined;
  let previousTransforms: TransformName[] = [];
  // TX variables this rule fills from a regex capture, and the condition that captured.
  const captured = new Map<string, CaptureSetvar & { condition: number }>();
  for (const link of links) {
    if (readsOnlyTx(link)) {
      const outcome = evaluateStatic(link, tx);
      if (outcome === false) return { disabled: `condition ${txNames(link)} ${link.operator.negate ? "!" : ""}@${link.operator.name} does not hold under this configuration` };
      if (outcome === true) continue;
      const folded = foldCapture(link, captured, conditions, tx);
      if (folded) {
        conditions.push(folded.condition);
        notes.push(folded.note);
        continue;
      }
      const captures = link.variables.some((v) => v.key !== undefined && /^\d+$/.test(v.key));
      return {
        unsupported: captures
          ? `reads a regex capture (${txNames(link)}) of an earlier condition`
          : `reads ${txNames(link)}, set per request by other rules`,
      };
    }
    // MATCHED_VAR(S) hold the value as the previous link transformed it.
    const matched = previous !== undefined && link.variables.every((v) => v.exclude || v.collection === "MATCHED_VAR" || v.collection === "MATCHED_VARS");
    // Their own t:none resets only their own list: the value stays as it was transformed.
    const own = transformsOf(link.actions, matched ? [] : defaults.get(phase) ?? []);
    if (typeof own === "string") return { unsupported: own };
    const transforms = matched ? [...previousTransforms, ...own] : own;
    if (transforms.length > MAX_CHAIN) return { unsupported: `transform chain of ${transforms.length} is longer than the engine's ${MAX_CHAIN}` };
    if (link.variables.some((v) => v.collection === "TX" && !v.exclude))
      return { unsupported: `mixes TX (${txNames(link)}) with request variables` };
    if (link.variables.some((v) => v.count)) {
      const counted = countCondition(link);
      if (typeof counted === "string") return { unsupported: counted };
      conditions.push(counted);
      previous = counted.targets;
      previousTransforms = [];
      continue;
    }
    const op = mapOperator(link.operator, { tx, readData });
    if ("unsupported" in op) return { unsupported: op.unsupported };
    if ("never" in op) return { disabled: `@${link.operator.name} can never match` };
    if (op.note) notes.push(op.note);
    const splittable = !op.negate && !("streq" in op.operator || "beginsWith" in op.operator || "endsWith" in op.operator)
      && !("rx" in op.operator && /(^|[^\\])[\^$]/.test(op.operator.rx));
    const mapped = mapVariables(link.variables, { previous, requestLineSplittable: splittable, xml });
    notes.push(...mapped.notes);
    if (mapped.targets.length === 0) return { unsupported: mapped.dropped.join("; ") || "no variables" };
    for (const reason of mapped.dropped) notes.push(`not inspected: ${reason}`);
    conditions.push({
      targets: mapped.targets,
      ...(transforms.length > 0 ? { transforms } : {}),
      operator: op.operator,
      ...(op.negate ? { negate: true } : {}),
    });
    previous = mapped.targets;
    previousTransforms = transforms;
    if (link.actions.some((a) => a.name === "capture") || d.actions.some((a) => a.name === "capture")) {
      for (const a of link.actions) {
        const c = a.name === "setvar" && a.value ? parseCaptureSetvar(a.value) : null;
        if (c) captured.set(c.name, { ...c, condition: conditions.length - 1 });
      }
    }
  }
  if (conditions.length === 0) return { unsupported: "every condition was decided at import; nothing left to inspect" };

  const actions = links.flatMap((l) => l.actions);
  for (const a of actions) {
    if (a.name === "ctl") notes.push(`ctl:${a.value} is not applied (packs have no per-request rule changes)`);
    if (a.name === "skipafter" || a.name === "skip") notes.push(`${a.name}:${a.value ?? ""} at run time is not applied`);
  }
  let score = 0;
  for (const a of actions) {
    if (a.name !== "setvar" || !a.value) continue;
    const m = /^tx\.([a-z0-9_]*anomaly_score[a-z0-9_]*)=\+(.+)$/i.exec(a.value);
    if (!m || /outbound/i.test(m[1]!)) continue;
    const value = tx.expand(m[2]!);
    const n = value === null ? NaN : Number(value);
    if (Number.isInteger(n) && n > 0) score += n;
    else notes.push(`setvar ${a.value}: score is not a constant, ignored`);
  }
  const severityName = actionValue(d.actions, "severity");
  const severity = severityName !== undefined ? SEVERITY[severityName.toLowerCase()] : undefined;
  const disruptive = actions.find((a) => ["deny", "drop", "block", "pass", "allow", "redirect", "proxy"].includes(a.name))?.name;
  const action = disruptive === "allow" ? "allow" : score > 0 ? "score" : disruptive === "deny" || disruptive === "drop" ? "block" : "log";
  // A silent rule with no score or verdict only feeds other rules (TX) or changes the rule
  // set for this request (ctl): as a pack rule it would only add noise to the matches.
  if (action === "log" && actions.some((a) => a.name === "nolog")) {
    const ctl = actions.filter((a) => a.name === "ctl").map((a) => `ctl:${a.value}`);
    if (ctl.length > 0) return { unsupported: `only changes how this request is processed (${ctl.join(", ")}): nothing to report on its own` };
    if (actions.some((a) => a.name === "setvar")) return { unsupported: "only sets TX variables for other rules (nolog, no score): nothing to report on its own" };
  }
  const [main, ...chain] = conditions as [ConditionSource, ...ConditionSource[]];
  const tags = d.actions.filter((a) => a.name === "tag" && a.value).map((a) => a.value!);
  const tagged = tags.map((t) => /^paranoia-level\/([1-4])$/.exec(t)?.[1]).find((x) => x !== undefined);
  if (tagged !== undefined && Number(tagged) !== paranoia) notes.push(`tagged paranoia-level/${tagged} but its section gives paranoia level ${paranoia} (the section wins)`);
  const rule: RuleSource = {
    id,
    message: actionValue(d.actions, "msg") ?? "",
    family: familyOf(d.file),
    ...(tags.length > 0 ? { tags } : {}),
    ...(severity ? { severity } : {}),
    paranoia: paranoia as 1 | 2 | 3 | 4,
    phase: phase === 1 ? "headers" : "body",
    action,
    ...(action === "score" ? { score } : {}),
    ...main,
    ...(chain.length > 0 ? { chain } : {}),
  };
  return { rule, notes, multiMatch: actions.some((a) => a.name === "multimatch") };
}

/**
 * multiMatch runs the operator on the value before the first transform and after each
 * one. The pack has no such flag, so the rule is emitted once per transform prefix; the
 * copies are named `ID#tN` (N transforms applied), which reports and route exclusions read
 * as the same rule (the part before `#`). The cost: a value caught at several steps scores
 * once per copy.
 */
function multiMatchVariants(rule: RuleSource): RuleSource[] {
  const full = rule.transforms ?? [];
  const out: RuleSource[] = [];
  for (let n = 0; n < full.length; n++) {
    const prefix = full.slice(0, n);
    const { transforms: _t, ...rest } = rule;
    out.push({ ...rest, id: `${rule.id}#t${n}`, ...(prefix.length > 0 ? { transforms: prefix } : {}) });
  }
  return out;
}

/** `TX:x [!]@within LIST` where an earlier link captured x: fold the list into that link's regex. */
function foldCapture(
  link: RuleLink,
  captured: Map<string, CaptureSetvar & { condition: number }>,
  conditions: ConditionSource[],
  tx: TxState,
): { condition: ConditionSource; note: string } | null {
  const v = link.variables[0]!;
  if (link.variables.length !== 1 || v.count || v.exclude || !v.key) return null;
  // TX:1 read straight after the capturing condition.
  const last = conditions[conditions.length - 1];
  if (v.key === "1" && link.operator.name === "streq" && /^%\{tx\.2\}$/i.test(link.operator.argument.trim()) && last && "rx" in last.operator) {
    const rx = foldCaptureEqualityIntoRegex(last.operator.rx, link.operator.negate);
    if (rx === null) return null;
    conditions.pop();
    return {
      condition: { ...last, operator: { rx } },
      note: `TX:1 ${link.operator.negate ? "!" : ""}@streq %{TX.2} folded into the capturing regex as a backreference (every match is tried, not only the first)`,
    };
  }
  if (/^\d$/.test(v.key) && link.operator.name === "rx" && !link.operator.negate && last && "rx" in last.operator) {
    const rx = foldCaptureTestIntoRegex(last.operator.rx, Number(v.key), link.operator.argument);
    if (rx === null) return null;
    conditions.pop();
    return {
      condition: { ...last, operator: { rx } },
      note: `TX:${v.key} @rx ${link.operator.argument} folded into the capturing regex (case follows the capturing regex)`,
    };
  }
  if (link.operator.name !== "within") return null;
  const key = v.key.toLowerCase();
  const byRegex = key.length > 2 && key.startsWith("/") && key.endsWith("/") ? safeRegExp(v.key.slice(1, -1)) : null;
  const capture = byRegex ? [...captured].find(([name]) => byRegex.test(name))?.[1] : captured.get(key);
  const list = tx.expand(link.operator.argument);
  if (!capture || list === null) return null;
  const source = conditions[capture.condition]!;
  if (!("rx" in source.operator)) return null;
  const lowercase = link.actions.some((a) => a.name === "t" && a.value?.toLowerCase() === "lowercase");
  const rx = foldCaptureIntoRegex(source.operator.rx, capture, list, lowercase);
  if (rx === null) return null;
  return {
    condition: { targets: source.targets, ...(source.transforms ? { transforms: source.transforms } : {}), operator: { rx }, ...(link.operator.negate ? { negate: true } : {}) },
    note: `TX:${v.key} (captured by an earlier condition) tested by folding the ${link.operator.argument} list into that condition's regex${lowercase ? " (case-insensitive)" : ""}`,
  };
}

/** `&X "@gt 0"`, `&X "!@eq 0"`, `&X "@ge 1"`: X exists. Other counts cannot be expressed. */
function countCondition(link: RuleLink): ConditionSource | string {
  if (!link.variables.every((v) => v.count)) return "mixes & counts with values";
  const { name, negate } = link.operator;
  const n = Number(link.operator.argument.trim());
  const exists = (!negate && name === "gt" && n === 0) || (!negate && name === "ge" && n === 1) || (negate && name === "eq" && n === 0);
  const label = `${link.variables.map((v) => `&${v.collection}${v.key ? `:${v.key}` : ""}`).join("|")} ${negate ? "!" : ""}@${name} ${link.operator.argument}`;
  if (!exists) {
    return !negate && name === "eq" && n === 0
      ? `${label}: an absence test cannot be expressed (a condition holds on a field that exists)`
      : `${label}: counting entries cannot be expressed (only "exists")`;
  }
  const targets: TargetSource[] = [];
  for (const v of link.variables) {
    const t = countTarget(v);
    if (typeof t === "string") return t;
    targets.push(t);
  }
  return { targets, operator: { exists: true } };
}

/** `REQUEST-942-APPLICATION-ATTACK-SQLI.conf` → `application-attack-sqli`. */
function familyOf(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  const m = /^(?:REQUEST|RESPONSE)-\d+-(.+?)\.conf/i.exec(base);
  return m ? m[1]!.toLowerCase() : "seclang";
}

/** Rule removal and target updates (apply to the rules defined before them, as ModSecurity does). */
function applyOther(d: Extract<Directive, { kind: "other" }>, rules: (RuleSource & { from: RuleLink })[], out: TranslateResult): void {
  const name = d.name.toLowerCase();
  const at = { file: d.file, line: d.line };
  const remove = (pred: (r: RuleSource) => boolean, why: string) => {
    for (let i = rules.length - 1; i >= 0; i--) {
      if (!pred(rules[i]!)) continue;
      out.disabled.push({ id: rules[i]!.id, reason: `removed by ${d.name} ${why}`, ...at });
      rules.splice(i, 1);
    }
  };
  switch (name) {
    case "secruleremovebyid": {
      const ranges = d.args.flatMap((a) => a.split(/[\s,]+/)).filter((a) => a !== "").map((a) => {
        const [lo, hi] = a.split("-").map(Number);
        return [lo!, hi ?? lo!] as const;
      });
      remove((r) => ranges.some(([lo, hi]) => Number(baseId(r.id)) >= lo && Number(baseId(r.id)) <= hi), d.args.join(" "));
      return;
    }
    case "secruleremovebytag":
    case "secruleremovebymsg": {
      const re = safeRegExp(d.args.join(" "));
      remove((r) => (name === "secruleremovebytag" ? (r.tags ?? []).some((t) => re.test(t)) : re.test(r.message)), d.args.join(" "));
      return;
    }
    case "secruleupdatetargetbyid":
    case "secruleupdatetargetbytag":
    case "secruleupdatetargetbymsg": {
      const [selector, vars] = d.args;
      if (selector === undefined || vars === undefined || d.args.length > 2) {
        out.unsupported.push({ id: selector ?? "?", reason: `${d.name} with a replacement target is not supported`, ...at });
        return;
      }
      const re = name === "secruleupdatetargetbyid" ? null : safeRegExp(selector);
      const ids = name === "secruleupdatetargetbyid" ? selector.split(/[\s,]+/) : [];
      const hit = (r: RuleSource) => (re ? (name.endsWith("bytag") ? (r.tags ?? []).some((t) => re.test(t)) : re.test(r.message)) : ids.includes(baseId(r.id)));
      for (const r of rules) if (hit(r)) updateTargets(r, vars, d, out);
      return;
    }
    case "secruleupdateactionbyid":
      out.unsupported.push({ id: d.args[0] ?? "?", reason: "SecRuleUpdateActionById is not supported (edit the rule or the import options)", ...at });
      return;
    default:
      if (HARMLESS.has(name)) out.ignored.push({ directive: d.name, ...at });
      else out.unsupported.push({ id: `${d.file}:${d.line}`, reason: `directive ${d.name} is not supported`, ...at });
  }
}

/** Adds `!COLL:key` exclusions (and plain additions) from SecRuleUpdateTargetBy* to a rule's main condition. */
function updateTargets(rule: RuleSource, spec: string, d: { file: string; line: number; name: string }, out: TranslateResult): void {
  const parts = spec.split("|");
  for (const part of parts) {
    const m = /^(!?)([A-Za-z_]+)(?::(.+))?$/.exec(part);
    const collection = m?.[2]?.toUpperCase();
    const mapped = collection ? mapVariables([{ exclude: false, count: false, collection, ...(m![3] ? { key: m![3] } : {}) }], { requestLineSplittable: false }) : undefined;
    const target = mapped?.targets[0];
    if (!m || !target) {
      out.notes.push({ id: rule.id, reason: `${d.name} ${part}: not applied (no field kind)`, file: d.file, line: d.line });
      continue;
    }
    const field: TargetName = typeof target === "string" ? target : target.field;
    if (m[1] === "!") {
      if (!m[3]) continue;
      rule.targets = rule.targets.map((t) => {
        if ((typeof t === "string" ? t : t.field) !== field) return t;
        const obj = typeof t === "string" ? { field: t } : { ...t };
        obj.except = [...(obj.except ?? []), m[3]!];
        return obj;
      });
    } else rule.targets = [...rule.targets, target];
  }
}

/** Emits a rule listed in `splitRegex` as one rule per group of top-level alternatives. */
function splitRule(rule: RuleSource, options: TranslateOptions, note: (text: string) => void): RuleSource[] {
  if (!options.splitRegex?.includes(baseId(rule.id)) || !("rx" in rule.operator) || rule.negate) return [rule];
  const parts = splitTopLevelAlternation(rule.operator.rx, 8);
  if (!parts) {
    note("splitRegex: the pattern has no top-level alternation to split");
    return [rule];
  }
  note(`splitRegex: emitted as ${parts.length} rules ${rule.id}#a0…#a${parts.length - 1}, one per group of alternatives`);
  return parts.map((rx, i) => ({ ...rule, id: `${rule.id}#a${i}`, operator: { rx } }));
}

/** `934100#t2` (a multiMatch copy) → `934100`. */
function baseId(id: string): string {
  return id.split("#")[0]!;
}

function safeRegExp(source: string): RegExp {
  try {
    return new RegExp(source, "i");
  } catch {
    return new RegExp(source.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"), "i");
  }
}
