/**
 * The parts of libddwaf's ruleset format (version 2.x) that the importer and exporter read
 * and write. Field names follow libddwaf's JSON exactly; everything is optional because a
 * ruleset file comes from outside and is checked as it is read.
 */

export interface DdwafInput {
  address: string;
  key_path?: (string | number)[];
  /** Input-level transformers replace the rule's for this input. */
  transformers?: string[];
}

export interface DdwafCondition {
  operator: string;
  parameters: {
    inputs?: DdwafInput[];
    regex?: string;
    list?: unknown[];
    data?: string;
    value?: unknown;
    type?: string;
    options?: { case_sensitive?: boolean; min_length?: number; enforce_word_boundary?: boolean };
    [key: string]: unknown;
  };
}

export interface DdwafRule {
  id: string;
  name?: string;
  enabled?: boolean;
  min_version?: string;
  max_version?: string;
  tags?: Record<string, string>;
  conditions: DdwafCondition[];
  transformers?: string[];
  on_match?: string[];
  output?: { event?: boolean };
}

export interface DdwafRulesTarget {
  rule_id?: string;
  tags?: Record<string, string>;
}

export interface DdwafExclusion {
  id: string;
  rules_target?: DdwafRulesTarget[];
  inputs?: DdwafInput[];
  conditions?: DdwafCondition[];
  on_match?: string;
}

export interface DdwafRuleset {
  version?: string;
  metadata?: { rules_version?: string };
  rules?: DdwafRule[];
  custom_rules?: DdwafRule[];
  rules_compat?: DdwafRule[];
  exclusions?: DdwafExclusion[];
  rules_override?: { rules_target?: DdwafRulesTarget[]; enabled?: boolean; on_match?: string[] }[];
  rules_data?: { id: string; type?: string; data: { value: string; expiration?: number }[] }[];
  actions?: { id: string; type: string; parameters?: Record<string, unknown> }[];
  processors?: { id: string }[];
  scanners?: { id: string }[];
}

/** A rule, exclusion or section the importer or exporter could not carry over, and why. */
export interface Unsupported {
  id: string;
  reason: string;
}

/** A rule that was carried over with a documented difference (an input dropped, an approximation). */
export interface ImportNote {
  id: string;
  note: string;
}
