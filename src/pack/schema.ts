/**
 * The source form of a signature pack (YAML or JSON), as users write it.
 * signatures/pack.schema.json publishes the same shape for editors; src/pack/validate.ts
 * checks it with errors that name the rule and the field.
 */
import type { TransformName } from "../engine/abi.js";

export interface PackSource {
  name: string;
  version: string;
  description?: string;
  /** Default anomaly threshold suggested by the pack (the engine option wins). */
  threshold?: number;
  rules: RuleSource[];
}

export type Severity = "critical" | "error" | "warning" | "notice";
export type Action = "score" | "block" | "log" | "allow";
export type Phase = "headers" | "body";

/**
 * Where a rule looks. A string is a whole collection ("args", "headers", …); an object
 * narrows it to named entries (`names`) or removes some (`except`). Names compare
 * case-insensitively; a name written `/.../` is a regular expression.
 */
export type TargetSource = TargetName | { field: TargetName; names?: string[]; except?: string[] };

export const TARGET_NAMES = [
  "method", "uri", "path", "query_string", "protocol", "basename", "client_ip",
  "args", "args_get", "args_post", "args_names", "args_get_names", "args_post_names",
  "headers", "header_names", "cookies", "cookie_names",
  "json_keys", "files", "files_names", "multipart_headers", "body",
] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/**
 * Exactly one operator key per rule (plus optional `negate` on the rule). `caseSensitive`
 * defaults to true for `rx` (use `(?i)` or false to fold case) and to false for the literal
 * operators; `pm` always ignores case.
 */
export type OperatorSource =
  | { rx: string; caseSensitive?: boolean }
  | { pm: string[] }
  | { pmFile: string }
  | { contains: string; caseSensitive?: boolean }
  | { beginsWith: string; caseSensitive?: boolean }
  | { endsWith: string; caseSensitive?: boolean }
  | { streq: string; caseSensitive?: boolean }
  | { within: string; caseSensitive?: boolean }
  | { eq: number } | { gt: number } | { ge: number } | { lt: number } | { le: number }
  | { ipMatch: string[] }
  | { detectSQLi: true }
  | { detectXSS: true }
  | { validateUrlEncoding: true }
  | { validateUtf8: true }
  | { byteRange: string }
  | { exists: true }
  | { always: true };

export interface ConditionSource {
  targets: TargetSource[];
  transforms?: TransformName[];
  operator: OperatorSource;
  negate?: boolean;
}

export interface RuleSource extends ConditionSource {
  id: string;
  message: string;
  family: string;
  tags?: string[];
  severity?: Severity;
  paranoia?: 1 | 2 | 3 | 4;
  phase?: Phase;
  action?: Action;
  /** Anomaly score added when the rule fires; defaults from severity (5/4/3/2). */
  score?: number;
  /** Further conditions that must all hold for the rule to fire. */
  chain?: ConditionSource[];
  /** Examples that the rule's own test checks: values that must / must not fire. */
  examples?: { match?: string[]; noMatch?: string[] };
}

export const SEVERITY_SCORE: Record<Severity, number> = { critical: 5, error: 4, warning: 3, notice: 2 };
