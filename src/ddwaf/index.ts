/** libddwaf (Datadog) ruleset import and export. */
export { importDdwaf, type ImportDdwafOptions, type ImportDdwafResult } from "./import.js";
export { exportDdwaf, type ExportDdwafOptions, type ExportDdwafResult } from "./export.js";
export type { DdwafRuleset, DdwafRule, DdwafCondition, DdwafInput, Unsupported, ImportNote } from "./format.js";
