/** One problem found in a pack, located precisely enough to fix without guessing. */
export interface PackIssue {
  /** Rule id when the problem is inside a rule. */
  rule?: string;
  /** Path to the offending field, e.g. `rules[3].operator.rx`. */
  path: string;
  message: string;
}

/** A pack source or image that cannot be used; `issues` lists every problem found. */
export class PackError extends Error {
  readonly issues: PackIssue[];
  constructor(issues: PackIssue[], what = "pack") {
    const lines = issues.slice(0, 20).map((i) => `  - ${i.rule ? `rule ${i.rule}: ` : ""}${i.path}: ${i.message}`);
    if (issues.length > 20) lines.push(`  … and ${issues.length - 20} more`);
    super(`invalid ${what} (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${lines.join("\n")}`);
    this.name = "PackError";
    this.issues = issues;
  }
}
