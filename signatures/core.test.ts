/**
 * Every rule of the default pack carries its own examples: values that must fire it and
 * values that must not. Each example is placed in the first field the rule targets and
 * inspected through the real compiled pack in Wasm, at paranoia 4 so every rule runs.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadPackSource } from "../src/pack/source-loader.js";
import type { RuleSource, TargetSource } from "../src/pack/schema.js";
import { TARGET_FIELDS } from "../src/pack/targets.js";
import { loadRawEngine, type Field } from "../test/pack/harness.js";

const dir = fileURLToPath(new URL("./core", import.meta.url));
const { source, readDataFile } = loadPackSource(dir);
const rules = source.rules as RuleSource[];
const engine = loadRawEngine(source, { readDataFile });

/** The first concrete field a rule looks at, holding `value`. */
export function placeExample(target: TargetSource, value: string): Field {
  const field = typeof target === "string" ? target : target.field;
  const { kinds, part } = TARGET_FIELDS[field];
  const name = typeof target === "string" ? undefined : target.names?.find((n) => !n.startsWith("/"));
  const kind = kinds[0]!;
  if (part === 1) return { kind, name: value, value: "x" };
  return { kind, name: name ?? "example", value };
}

describe("default pack", () => {
  it("has rules, each with at least one positive and one negative example", () => {
    expect(rules.length).toBeGreaterThan(0);
    const missing = rules.filter((r) => !(r.examples?.match?.length && r.examples?.noMatch?.length)).map((r) => r.id);
    expect(missing).toEqual([]);
  });
  describe.each(rules.map((r) => [r.id, r] as const))("rule %s", (id, rule) => {
    const target = rule.targets[0]!;
    it.each(rule.examples?.match ?? [])("fires on %j", (value) => {
      const fired = engine.inspect([placeExample(target, value)]).matches.map((m) => m.rule);
      expect(fired).toContain(id);
    });
    it.each(rule.examples?.noMatch ?? [])("stays silent on %j", (value) => {
      const fired = engine.inspect([placeExample(target, value)]).matches.map((m) => m.rule);
      expect(fired).not.toContain(id);
    });
  });
});
