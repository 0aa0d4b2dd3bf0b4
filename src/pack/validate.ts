/**
 * Checks a parsed pack source (from YAML or JSON) and returns it typed, or throws a
 * PackError that lists every problem with the rule id and the field path.
 */
import { Transform } from "../engine/abi.js";
import { PackError, type PackIssue } from "./errors.js";
import { TARGET_NAMES, type PackSource, type RuleSource } from "./schema.js";

const OPERATOR_KEYS = [
  "rx", "pm", "pmFile", "contains", "beginsWith", "endsWith", "streq", "within",
  "eq", "gt", "ge", "lt", "le", "ipMatch", "detectSQLi", "detectXSS",
  "validateUrlEncoding", "validateUtf8", "byteRange", "exists", "always",
] as const;
const STRING_OPS = new Set(["rx", "contains", "beginsWith", "endsWith", "streq", "within", "byteRange", "pmFile"]);
/** Operators with a `caseSensitive` option: literals default to false, `rx` to true. */
const CASE_OPS = new Set(["rx", "contains", "beginsWith", "endsWith", "streq", "within"]);
const NUMBER_OPS = new Set(["eq", "gt", "ge", "lt", "le"]);
const FLAG_OPS = new Set(["detectSQLi", "detectXSS", "validateUrlEncoding", "validateUtf8", "exists", "always"]);
const RULE_KEYS = new Set([
  "id", "message", "family", "tags", "severity", "paranoia", "phase", "action", "score",
  "targets", "transforms", "operator", "negate", "chain", "examples",
]);
const CONDITION_KEYS = new Set(["targets", "transforms", "operator", "negate"]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function validatePack(input: unknown): PackSource {
  const issues: PackIssue[] = [];
  if (!isObject(input)) throw new PackError([{ path: "(root)", message: "a pack must be an object with name, version and rules" }]);
  if (typeof input.name !== "string" || input.name === "") issues.push({ path: "name", message: "required, a non-empty string" });
  if (typeof input.version !== "string" || !/^\d+\.\d+\.\d+([-+][\w.-]+)?$/.test(input.version))
    issues.push({ path: "version", message: `must be a semantic version like "1.2.0", got ${JSON.stringify(input.version)}` });
  if (input.threshold !== undefined && !(typeof input.threshold === "number" && input.threshold > 0))
    issues.push({ path: "threshold", message: "must be a positive number" });
  if (!Array.isArray(input.rules)) {
    issues.push({ path: "rules", message: "required, an array of rules" });
    throw new PackError(issues);
  }
  const seen = new Map<string, number>();
  input.rules.forEach((rule, index) => {
    const path = `rules[${index}]`;
    if (!isObject(rule)) {
      issues.push({ path, message: "a rule must be an object" });
      return;
    }
    const id = typeof rule.id === "string" || typeof rule.id === "number" ? String(rule.id) : undefined;
    const at = (field: string, message: string) => issues.push({ rule: id, path: `${path}.${field}`, message });
    if (id === undefined || id === "") at("id", "required, a non-empty string");
    else if (seen.has(id)) at("id", `duplicate id (also rules[${seen.get(id)}])`);
    else seen.set(id, index);
    for (const key of Object.keys(rule)) if (!RULE_KEYS.has(key)) at(key, `unknown field (expected one of ${[...RULE_KEYS].join(", ")})`);
    if (typeof rule.message !== "string") at("message", "required, a string");
    if (typeof rule.family !== "string" || rule.family === "") at("family", "required, a non-empty string");
    if (rule.tags !== undefined && !(Array.isArray(rule.tags) && rule.tags.every((t) => typeof t === "string")))
      at("tags", "must be an array of strings");
    if (rule.severity !== undefined && !["critical", "error", "warning", "notice"].includes(rule.severity as string))
      at("severity", "must be one of critical, error, warning, notice");
    if (rule.paranoia !== undefined && ![1, 2, 3, 4].includes(rule.paranoia as number)) at("paranoia", "must be 1, 2, 3 or 4");
    if (rule.phase !== undefined && !["headers", "body"].includes(rule.phase as string)) at("phase", "must be headers or body");
    if (rule.action !== undefined && !["score", "block", "log", "allow"].includes(rule.action as string))
      at("action", "must be one of score, block, log, allow");
    if (rule.score !== undefined && !(typeof rule.score === "number" && rule.score >= 0 && Number.isInteger(rule.score)))
      at("score", "must be a non-negative integer");
    checkCondition(rule, path, id, issues, RULE_KEYS);
    if (rule.chain !== undefined) {
      if (!Array.isArray(rule.chain)) at("chain", "must be an array of conditions");
      else
        rule.chain.forEach((cond, ci) => {
          if (!isObject(cond)) issues.push({ rule: id, path: `${path}.chain[${ci}]`, message: "must be an object" });
          else {
            for (const key of Object.keys(cond))
              if (!CONDITION_KEYS.has(key)) issues.push({ rule: id, path: `${path}.chain[${ci}].${key}`, message: "unknown field" });
            checkCondition(cond, `${path}.chain[${ci}]`, id, issues, CONDITION_KEYS);
          }
        });
    }
    if (rule.examples !== undefined) {
      const ex = rule.examples;
      const ok = (v: unknown) => v === undefined || (Array.isArray(v) && v.every((s) => typeof s === "string"));
      if (!isObject(ex) || !ok(ex.match) || !ok(ex.noMatch)) at("examples", "must be { match?: string[], noMatch?: string[] }");
    }
  });
  if (issues.length > 0) throw new PackError(issues);
  const pack = input as unknown as PackSource;
  for (const rule of pack.rules as RuleSource[]) rule.id = String(rule.id);
  return pack;
}

function checkCondition(cond: Record<string, unknown>, path: string, rule: string | undefined, issues: PackIssue[], _keys: Set<string>): void {
  const at = (field: string, message: string) => issues.push({ rule, path: `${path}.${field}`, message });
  if (!Array.isArray(cond.targets) || cond.targets.length === 0) at("targets", "required, a non-empty array of targets");
  else
    cond.targets.forEach((t, i) => {
      const name = typeof t === "string" ? t : isObject(t) ? t.field : undefined;
      if (typeof name !== "string" || !(TARGET_NAMES as readonly string[]).includes(name))
        at(`targets[${i}]`, `unknown target ${JSON.stringify(name)} (expected one of ${TARGET_NAMES.join(", ")})`);
      if (isObject(t)) {
        for (const key of ["names", "except"] as const)
          if (t[key] !== undefined && !(Array.isArray(t[key]) && (t[key] as unknown[]).every((s) => typeof s === "string")))
            at(`targets[${i}].${key}`, "must be an array of strings");
      }
    });
  if (cond.transforms !== undefined) {
    if (!Array.isArray(cond.transforms)) at("transforms", "must be an array of transform names");
    else {
      if (cond.transforms.length > 8) at("transforms", "at most 8 transforms in a chain");
      cond.transforms.forEach((t, i) => {
        if (typeof t !== "string" || !(t in Transform) || t === "none")
          at(`transforms[${i}]`, `unknown transform ${JSON.stringify(t)} (expected one of ${Object.keys(Transform).filter((n) => n !== "none").join(", ")})`);
      });
    }
  }
  if (cond.negate !== undefined && typeof cond.negate !== "boolean") at("negate", "must be a boolean");
  const op = cond.operator;
  if (!isObject(op)) {
    at("operator", `required, an object with one of ${OPERATOR_KEYS.join(", ")}`);
    return;
  }
  const keys = Object.keys(op).filter((k) => k !== "caseSensitive");
  if (keys.length !== 1 || !(OPERATOR_KEYS as readonly string[]).includes(keys[0]!)) {
    at("operator", `must have exactly one of ${OPERATOR_KEYS.join(", ")}; got ${JSON.stringify(Object.keys(op))}`);
    return;
  }
  const key = keys[0]!;
  const value = op[key];
  if (STRING_OPS.has(key) && (typeof value !== "string" || (value === "" && key !== "streq"))) at(`operator.${key}`, "must be a non-empty string");
  if (NUMBER_OPS.has(key) && typeof value !== "number") at(`operator.${key}`, "must be a number");
  if (FLAG_OPS.has(key) && value !== true) at(`operator.${key}`, "must be true");
  if ((key === "pm" || key === "ipMatch") && !(Array.isArray(value) && value.length > 0 && value.every((s) => typeof s === "string" && s !== "")))
    at(`operator.${key}`, "must be a non-empty array of non-empty strings");
  if (op.caseSensitive !== undefined && !CASE_OPS.has(key))
    at("operator.caseSensitive", `only applies to ${[...CASE_OPS].join(", ")}`);
  else if (op.caseSensitive !== undefined && typeof op.caseSensitive !== "boolean") at("operator.caseSensitive", "must be a boolean");
}
