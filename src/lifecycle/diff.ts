/**
 * What changed between two packs, rule by rule, from their metadata alone: added, removed
 * and changed rules, and for a change which aspects (operator, pattern, targets,
 * transforms, action, paranoia, score, severity, message, family, tags, chain conditions).
 */
import type { PackMeta, RuleMeta } from "../pack/compile.js";

export interface RuleSummary {
  id: string;
  family: string;
  message: string;
}

export interface FieldChange {
  /** "operator", "pattern", "targets", "transforms", "action", "paranoia", "score", … or "chain[1].pattern". */
  field: string;
  from: string;
  to: string;
}

export interface RuleChange extends RuleSummary {
  changes: FieldChange[];
}

export interface PackDiff {
  from: { name: string; version: string; builtAt: string };
  to: { name: string; version: string; builtAt: string };
  added: RuleSummary[];
  removed: RuleSummary[];
  changed: RuleChange[];
  unchanged: number;
  /** Set when a pack predates per-rule content summaries: operator/pattern changes are then invisible. */
  note?: string;
}

interface RuleEntry {
  rule: RuleMeta;
  chain: RuleMeta[];
}

function index(meta: PackMeta): Map<string, RuleEntry> {
  const out = new Map<string, RuleEntry>();
  for (const rule of meta.rules) {
    const hash = rule.id.indexOf("#chain");
    if (hash < 0) out.set(rule.id, { rule, chain: out.get(rule.id)?.chain ?? [] });
  }
  for (const rule of meta.rules) {
    const hash = rule.id.indexOf("#chain");
    if (hash >= 0) out.get(rule.id.slice(0, hash))?.chain.push(rule);
  }
  return out;
}

const summary = (r: RuleMeta): RuleSummary => ({ id: r.id, family: r.family, message: r.message });

function compareCondition(a: RuleMeta, b: RuleMeta, prefix: string, out: FieldChange[]): boolean {
  const push = (field: string, from: unknown, to: unknown) => {
    const f = typeof from === "string" ? from : JSON.stringify(from);
    const t = typeof to === "string" ? to : JSON.stringify(to);
    if (f !== t) out.push({ field: prefix + field, from: f, to: t });
  };
  if (!a.content || !b.content) return false;
  push("operator", a.content.op, b.content.op);
  if (a.content.op === b.content.op && a.content.arg !== b.content.arg) {
    // Same excerpt but another hash: the difference lies past the excerpt or in a data file.
    const same = a.content.argText === b.content.argText;
    out.push({ field: `${prefix}pattern`, from: same ? `${a.content.argText} [${a.content.arg}]` : a.content.argText, to: same ? `${b.content.argText} [${b.content.arg}]` : b.content.argText });
  }
  push("targets", a.content.targets, b.content.targets);
  push("transforms", a.content.transforms.join(", "), b.content.transforms.join(", "));
  return true;
}

export function diffPacks(oldMeta: PackMeta, newMeta: PackMeta): PackDiff {
  const before = index(oldMeta);
  const after = index(newMeta);
  const result: PackDiff = {
    from: { name: oldMeta.name, version: oldMeta.version, builtAt: oldMeta.builtAt },
    to: { name: newMeta.name, version: newMeta.version, builtAt: newMeta.builtAt },
    added: [],
    removed: [],
    changed: [],
    unchanged: 0,
  };
  let blind = false;
  for (const [id, old] of before) if (!after.has(id)) result.removed.push(summary(old.rule));
  for (const [id, next] of after) {
    const old = before.get(id);
    if (!old) {
      result.added.push(summary(next.rule));
      continue;
    }
    const changes: FieldChange[] = [];
    const a = old.rule;
    const b = next.rule;
    const scalar = (field: string, from: unknown, to: unknown) => {
      if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ field, from: String(from), to: String(to) });
    };
    if (!compareCondition(a, b, "", changes)) blind = true;
    scalar("action", a.action, b.action);
    scalar("paranoia", a.paranoia, b.paranoia);
    scalar("score", a.score, b.score);
    scalar("severity", a.severity, b.severity);
    scalar("message", a.message, b.message);
    scalar("family", a.family, b.family);
    if (a.tags.join(",") !== b.tags.join(",")) changes.push({ field: "tags", from: a.tags.join(", "), to: b.tags.join(", ") });
    scalar("chain conditions", old.chain.length, next.chain.length);
    for (let i = 0; i < Math.min(old.chain.length, next.chain.length); i++)
      if (!compareCondition(old.chain[i]!, next.chain[i]!, `chain[${i + 1}].`, changes)) blind = true;
    if (changes.length > 0) result.changed.push({ ...summary(b), changes });
    else result.unchanged++;
  }
  if (blind) result.note = "one of the packs has no per-rule content summaries (compiled by an older wafer): operator, pattern, target and transform changes are not visible";
  return result;
}

/** The diff as lines for a terminal. */
export function formatDiff(diff: PackDiff): string {
  const lines = [`${diff.from.name} ${diff.from.version} → ${diff.to.name} ${diff.to.version}: ` +
    `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed, ${diff.unchanged} unchanged`];
  for (const r of diff.added) lines.push(`+ ${r.id} (${r.family}): ${r.message}`);
  for (const r of diff.removed) lines.push(`- ${r.id} (${r.family}): ${r.message}`);
  for (const r of diff.changed) {
    lines.push(`~ ${r.id} (${r.family}):`);
    for (const c of r.changes) lines.push(`    ${c.field}: ${c.from} → ${c.to}`);
  }
  if (diff.note) lines.push(`note: ${diff.note}`);
  return `${lines.join("\n")}\n`;
}
