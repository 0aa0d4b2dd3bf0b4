/**
 * The TX collection as far as it is known at import time. CRS configures itself through TX
 * (crs-setup `setvar`s, the 901 defaults, paranoia levels); those values are constants for
 * a given configuration, so the importer evaluates them here and expands `%{tx.x}` macros
 * into operator arguments. A variable that a detection rule changes per request becomes
 * `RUNTIME`: anything that reads it cannot be decided at import.
 */

export const RUNTIME: unique symbol = Symbol("runtime");
export type TxValue = string | typeof RUNTIME;

export class TxState {
  private readonly values = new Map<string, TxValue>();

  constructor(initial: Record<string, string | number> = {}) {
    for (const [k, v] of Object.entries(initial)) this.values.set(k.toLowerCase(), String(v));
  }

  get(name: string): TxValue | undefined {
    return this.values.get(name.toLowerCase());
  }

  has(name: string): boolean {
    return this.values.has(name.toLowerCase());
  }

  set(name: string, value: TxValue): void {
    this.values.set(name.toLowerCase(), value);
  }

  delete(name: string): void {
    this.values.delete(name.toLowerCase());
  }

  /** Names (lower-cased) matching a regex key, for `TX:/re/`. */
  matching(re: RegExp): string[] {
    return [...this.values.keys()].filter((k) => re.test(k));
  }

  /**
   * Expands `%{tx.name}` macros. Returns null when a macro names a per-request value
   * (`%{tx.0}`, `%{request_headers.host}`, a TX variable set at runtime).
   */
  expand(text: string): string | null {
    let unresolved = false;
    const out = text.replace(/%\{([^}]+)\}/g, (_m, ref: string) => {
      const dot = ref.indexOf(".");
      const collection = (dot < 0 ? ref : ref.slice(0, dot)).toLowerCase();
      const key = dot < 0 ? "" : ref.slice(dot + 1);
      if (collection !== "tx") {
        unresolved = true;
        return "";
      }
      const v = this.get(key);
      if (v === undefined || v === RUNTIME) {
        unresolved = true;
        return "";
      }
      return v;
    });
    return unresolved ? null : out;
  }

  /**
   * Applies one `setvar` value: `tx.a=1`, `tx.a=+%{tx.b}`, `tx.a=-1`, `!tx.a`, `tx.a`.
   * Returns false when it is not about TX (ip./session. collections are not modelled).
   */
  applySetvar(spec: string, runtime: boolean): boolean {
    const remove = spec.startsWith("!");
    const body = remove ? spec.slice(1) : spec;
    const eq = body.indexOf("=");
    const target = (eq < 0 ? body : body.slice(0, eq)).trim();
    const m = /^tx\.(.+)$/i.exec(target);
    if (!m) return false;
    const name = m[1]!;
    if (remove) {
      this.delete(name);
      return true;
    }
    if (runtime) {
      this.set(name, RUNTIME);
      return true;
    }
    const raw = eq < 0 ? "1" : body.slice(eq + 1);
    const op = raw.startsWith("+") ? "+" : raw.startsWith("-") ? "-" : "";
    const expanded = this.expand(op ? raw.slice(1) : raw);
    if (expanded === null) {
      this.set(name, RUNTIME);
      return true;
    }
    if (op) {
      const before = this.get(name);
      if (before === RUNTIME) return true;
      const base = Number(before ?? 0);
      const delta = Number(expanded);
      this.set(name, Number.isFinite(base) && Number.isFinite(delta) ? String(op === "+" ? base + delta : base - delta) : RUNTIME);
    } else this.set(name, expanded);
    return true;
  }
}
