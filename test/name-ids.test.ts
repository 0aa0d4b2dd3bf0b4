/**
 * Field-name ids (assembly/pack.ts nameIdOf, derived at activation): the inspect loop looks a
 * field's name up once among the pack's plain selector and filter names, then answers each
 * rule's targets(), and whether a group or class has always-run work on the field part, with
 * one bit. Checked here against a model of the rules, on names that collide on the lookup's
 * hash inputs (length, first, middle and last byte, any case), with the hash forced to collide
 * for every name (only bytes tell names apart), and with the ids off (a cap on listed names:
 * every rule takes its selector loop, groups their kind masks).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Wafer } from "../src/engine/engine.js";
import { engineWith, packImage } from "./support/engine.js";
import { readsBy, expectModelFires, ruleSource, type Target } from "./support/rule-model.js";

type Hooks = { packNameIdsHook(collide: boolean, cap: number, planBytes: number): void; packNameIdCount(): number };
const hooks = (w: Wafer) => (w as unknown as { exports: Hooks }).exports;

// Lower-case names as selectors list them; fields carry them in any case. "abcde", "axcde"
// and "abcxe" share length, first, middle and last byte (the hash's inputs) in pairs.
const listedNames = ["ab", "cb", "ad", "abc", "abd", "a", "ba", "x-c", "abcde", "axcde", "abcxe"];
const fieldNames = [...listedNames, "Ab", "aB", "X-C", "x-C", "ABCDE", "aXcde", "abzde", "xbc", "zz", "x-d"];

const chains = [[], ["lowercase"], ["trim"], ["removeWhitespace"]];

const someNames = fc.uniqueArray(fc.constantFrom(...listedNames), { minLength: 1, maxLength: 3 });
const target: fc.Arbitrary<Target> = fc.oneof(
  fc.constantFrom("method", "args", "args_names", "headers"),
  // Headers by name only: groups whose name filter decides (named plans).
  { arbitrary: fc.record({ field: fc.constant("headers"), names: someNames }), weight: 3 },
  fc.record({ field: fc.constantFrom("headers", "args", "args_names"), names: someNames }),
  fc.record({ field: fc.constantFrom("headers", "args", "args_names"), except: someNames }),
  // A name regex: the rule keeps its selector loop.
  fc.record({ field: fc.constant("headers"), names: fc.constant<string[]>(["/^x-/"]) }),
  fc.record({ field: fc.constant("headers"), except: fc.constant<string[]>(["/^x-/"]) }),
);
// Header names reach the engine in lower case (only headers get a name regex here).
const named = (pattern: string, name: string) => pattern.startsWith("/") ? new RegExp(pattern.slice(1, -1)).test(name.toLowerCase()) : pattern === name.toLowerCase();

const reads = readsBy(named);

/**
 * Hook settings (collide, name cap, named plans' bytes): none; every name hashing alike; ids
 * off (no listed name); ids off past two listed names; no named plans (filters asked per field).
 */
const full = 1 << 30;
const modes: [boolean, number, number][] = [[false, 1024, full], [true, 1024, full], [false, 0, full], [false, 2, full], [false, 1024, 0]];

describe("field-name ids", () => {
  it("rules fire exactly on the fields they target, by name and kind, with the lookup colliding or off (property)", () => {
    const rule = fc.record({
      targets: fc.array(target, { minLength: 1, maxLength: 3 }),
      chain: fc.constantFrom(...chains),
      needle: fc.constantFrom("zz", "q", "zzz"),
      negate: fc.boolean(),
      regex: fc.boolean(),
      paranoia: fc.constantFrom(1, 2),
    });
    const value = fc.stringMatching(/^[ azZq]{0,6}$/);
    const request = fc.record({
      method: fc.constantFrom("GET", "zz"),
      args: fc.array(fc.tuple(fc.constantFrom(...fieldNames), value), { maxLength: 3 }),
      headers: fc.uniqueArray(fc.tuple(fc.constantFrom(...fieldNames), value), { selector: (h) => h[0].toLowerCase(), maxLength: 4 }),
    });
    fc.assert(fc.property(fc.array(rule, { minLength: 1, maxLength: 5 }), fc.array(request, { minLength: 1, maxLength: 3 }), fc.constantFrom(...modes), (rules, requests, [collide, cap, planBytes]) => {
      const source = ruleSource(rules);
      const wafer = engineWith(source, { mode: "monitor", verdictCache: false });
      hooks(wafer).packNameIdsHook(collide, cap, planBytes);
      wafer.loadPack(packImage(source, { version: "2.0.0" }));
      hooks(wafer).packNameIdsHook(false, 1024, full);
      for (const req of requests) expectModelFires(wafer, rules, req, reads);
    }), { numRuns: 400 });
  });
  it("read a header by the groups that name it, whichever of the kind's named plans comes first", () => {
    // Groups that read headers by name only (one chain each): a field carrying one of their
    // names takes that name's plan (pack.ts deriveNamedPlans), with or without plans.
    const names = ["ab", "cb", "x-c", "abcde", "axcde"];
    const source = names.map((n, i) => ({
      id: `n${i}`, message: "m", family: "f", targets: [{ field: "headers", names: [n] }], transforms: chains[i % chains.length], operator: { contains: "zz" }, negate: i % 2 === 1,
    }));
    for (const planBytes of [full, 0]) {
      const wafer = engineWith(source, { mode: "monitor", verdictCache: false });
      hooks(wafer).packNameIdsHook(false, 1024, planBytes);
      wafer.loadPack(packImage(source, { version: "2.0.0" }));
      hooks(wafer).packNameIdsHook(false, 1024, full);
      for (const [i, n] of names.entries()) {
        for (const header of [n, n.toUpperCase()]) {
          const fired = wafer.inspectSync({ method: "GET", url: "/", headers: [[header, i % 2 === 1 ? "q" : "zz"], ["other", "zz"]], body: null }).matches.map((m) => m.rule);
          expect([header, fired]).toEqual([header, [`n${i}`]]);
        }
      }
    }
  });
  it("lists each distinct (kind, name) once, and none past the cap", () => {
    const source = [
      { id: "a", message: "m", family: "f", targets: [{ field: "headers", except: ["accept", "host"] }], operator: { contains: "zz" } },
      { id: "b", message: "m", family: "f", targets: [{ field: "headers", names: ["accept"] }, { field: "args", names: ["accept"] }], operator: { contains: "qq" } },
    ];
    const wafer = engineWith(source, { mode: "monitor", verdictCache: false });
    // headers accept and host, and accept for each kind `args` stands for.
    expect(hooks(wafer).packNameIdCount()).toBeGreaterThanOrEqual(32 + 3);
    hooks(wafer).packNameIdsHook(false, 2, full);
    wafer.loadPack(packImage(source, { version: "2.0.0" }));
    hooks(wafer).packNameIdsHook(false, 1024, full);
    expect(hooks(wafer).packNameIdCount()).toBe(32);
    const fired = (headers: [string, string][]) => wafer.inspectSync({ method: "GET", url: "/", headers, body: null }).matches.map((m) => m.rule).sort();
    expect(fired([["Accept", "zz qq"], ["x", "zz"]])).toEqual(["a", "b"]);
    expect(fired([["HOST", "zz"]])).toEqual([]);
  });
});
