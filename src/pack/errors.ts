/** One problem found in a pack, located precisely enough to fix without guessing. */
export interface PackIssue {
  /** Rule id when the problem is inside a rule. */
  rule?: string;
  /** Path to the offending field, e.g. `rules[3].operator.rx`. */
  path: string;
  message: string;
}

const BRANDS = Symbol.for("wafer.PackError.brands");

/**
 * A pack source or image that cannot be used; `issues` lists every problem found.
 *
 * `instanceof` holds across copies of this class: the package's files are bundled
 * separately ("wafer", `wafer/lifecycle`, and the pack-update code the engine loads on
 * demand each carry one), so an error thrown by one copy must still be a PackError (or
 * PackRefusedError) to code that imported the class from another. Each instance carries
 * the names of the classes it was built by (`brand`), under a global symbol.
 */
export class PackError extends Error {
  /** The name `instanceof` checks against; a subclass that other copies must recognise sets its own. */
  static readonly brand: string = "PackError";

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const brands = typeof value === "object" && value !== null ? (value as { [BRANDS]?: unknown })[BRANDS] : undefined;
    return Array.isArray(brands) && brands.includes(this.brand);
  }

  readonly issues: PackIssue[];
  constructor(issues: PackIssue[], what = "pack") {
    const lines = issues.slice(0, 20).map((i) => `  - ${i.rule ? `rule ${i.rule}: ` : ""}${i.path}: ${i.message}`);
    if (issues.length > 20) lines.push(`  … and ${issues.length - 20} more`);
    super(`invalid ${what} (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${lines.join("\n")}`);
    this.name = "PackError";
    this.issues = issues;
    // Every class from this one down to the one constructed, as named by their `brand`.
    const brands: string[] = [];
    for (let c = new.target as unknown as { brand?: string } | null; c && c.brand; c = Object.getPrototypeOf(c)) {
      if (!brands.includes(c.brand)) brands.push(c.brand);
    }
    Object.defineProperty(this, BRANDS, { value: brands });
  }
}
