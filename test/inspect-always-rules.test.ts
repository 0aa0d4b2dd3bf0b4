/**
 * Always-run rules (no literal to prefilter on) and literal rules decide exactly on the
 * fields they target, whatever else their transform group reads. The inspect loop skips a
 * group's always-run rules on field kinds none of them targets, computes a group's chain only
 * once a rule needs it, and skips a rule's selector loop where no selector can match (no
 * name of the field's kind and length, no name regex)
 * (assembly/inspect.ts): checked here against a model of the rules on generated packs and
 * requests (negated `contains` runs on every targeted field; plain `contains` fires from the
 * literal prefilter; a regex with a literal is a candidate of the walk, evaluated with its
 * class).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { engineWith } from "./support/engine.js";
import { readsBy, expectModelFires, ruleSource, type Target } from "./support/rule-model.js";

const chains = [[], ["lowercase"], ["trim"], ["trim", "lowercase"], ["removeWhitespace"], ["removeWhitespace", "lowercase"]];

const target: fc.Arbitrary<Target> = fc.oneof(
  fc.constantFrom("method", "args", "args_names", "headers"),
  fc.record({ field: fc.constant("headers"), names: fc.uniqueArray(fc.constantFrom("a", "b", "x-c"), { minLength: 1, maxLength: 2 }) }),
  fc.record({ field: fc.constant("headers"), except: fc.uniqueArray(fc.constantFrom("a", "b", "x-c"), { minLength: 1, maxLength: 2 }) }),
  // A name regex: any name may match it, whatever its length.
  fc.record({ field: fc.constant("headers"), names: fc.constant<string[]>(["/^x-/"]) }),
  fc.record({ field: fc.constant("headers"), except: fc.constant<string[]>(["/^x-/"]) }),
);
const reads = readsBy((pattern, name) => pattern.startsWith("/") ? new RegExp(pattern.slice(1, -1)).test(name) : pattern === name);

describe("always-run and literal rules", () => {
  it("fire exactly on the fields they target, whatever their group reads (property)", () => {
    const rule = fc.record({
      targets: fc.array(target, { minLength: 1, maxLength: 3 }),
      chain: fc.constantFrom(...chains),
      // Negated: runs on every targeted field, fires where the transformed value lacks the
      // needle. Not negated: a literal the prefilter finds, fires where it holds the needle.
      needle: fc.constantFrom("zz", "z z", "q", "zzz", "qaz"),
      negate: fc.boolean(),
      // A regex: with a literal of 3 bytes a candidate of the walk, else run on every field.
      regex: fc.boolean(),
      // A case-sensitive regex sees upper case unless the chain lowercases it: a group whose
      // class leaves its trailing lowercase out must still read the lowercased value.
      caseSensitive: fc.boolean(),
      paranoia: fc.constantFrom(1, 2),
    });
    const value = fc.stringMatching(/^[ azZq]{0,8}$/);
    const request = fc.record({
      method: fc.constantFrom("GET", "zz", "Q"),
      args: fc.array(fc.tuple(fc.constantFrom("a", "zz", "Q q"), value), { maxLength: 3 }),
      headers: fc.uniqueArray(fc.tuple(fc.constantFrom("a", "b", "x-c", "d", "x-d", "x-cc"), value), { selector: (h) => h[0], maxLength: 4 }),
    });
    fc.assert(fc.property(fc.array(rule, { minLength: 1, maxLength: 6 }), fc.array(request, { minLength: 1, maxLength: 4 }), (rules, requests) => {
      const wafer = engineWith(ruleSource(rules), { mode: "monitor" });
      for (const req of requests) expectModelFires(wafer, rules, req, reads);
    }), { numRuns: 300 });
  });
  it("read a header by name when a kind's filters name more headers than the engine lists (every name is then looked up)", () => {
    // 80 names, past the list the engine keeps per kind for headers named by no filter.
    const rules = Array.from({ length: 80 }, (_, i) => ({
      id: `n${i}`, message: "m", family: "f", targets: [{ field: "headers", names: [`x-h${i}`] }], transforms: [i % 2 === 0 ? "lowercase" : "trim"], operator: { contains: "zz" },
    }));
    const wafer = engineWith([...rules, { id: "all", message: "m", family: "f", targets: ["headers"], transforms: ["lowercase"], operator: { contains: "qq" } }], { mode: "monitor" });
    const fired = (headers: [string, string][]) => wafer.inspectSync({ method: "GET", url: "/", headers, body: null }).matches.map((m) => m.rule).sort();
    expect(fired([["x-h79", "zz qq"], ["x-h3", "ZZ"], ["other", "zz"]])).toEqual(["all", "n3", "n79"]);
    expect(fired([["other", "zz qq"]])).toEqual(["all"]);
  });
  it("read headers named by a group's filter whatever their case, next to names that share a length, first or last byte (property)", () => {
    // A group that reads headers only by name is planned per field (planPart); a header named
    // by no filter of the kind skips the name compares through a key of (length, first and
    // last byte, case folded): names here collide on each of those.
    const names = ["ab", "Ab", "aB", "cb", "ad", "abc", "abd", "xbc", "a", "A", "ba"];
    const lower = (n: string) => n.toLowerCase();
    fc.assert(fc.property(
      fc.uniqueArray(fc.constantFrom(...names.map(lower)), { minLength: 1, maxLength: 3 }),
      fc.constantFrom<string[]>([], ["lowercase"], ["trim"]),
      fc.uniqueArray(fc.tuple(fc.constantFrom(...names), fc.constantFrom("zz", "no")), { selector: (h) => lower(h[0]), minLength: 1, maxLength: 4 }),
      (listed, transforms, headers) => {
        const wafer = engineWith([{
          id: "r", message: "m", family: "f", operator: { contains: "zz" }, transforms,
          targets: [{ field: "headers", names: listed }],
        }], { mode: "monitor", verdictCache: false });
        const fired = wafer.inspectSync({ method: "GET", url: "/", headers, body: null }).matches.map((m) => m.field.name).sort();
        const expected = headers.filter(([n, v]) => v === "zz" && listed.includes(lower(n))).map(([n]) => lower(n));
        expect(fired).toEqual(expected.slice(0, 1));
      },
    ), { numRuns: 300 });
  });
  it("select and exclude args by name whatever its case, for names that share a length, first or last byte (property)", () => {
    // targets() skips a rule's selector loop when no selector can name the field (its kind,
    // length, first and last byte, case folded): names here collide on each of those.
    const names = ["ab", "Ab", "aB", "cb", "ad", "abc", "abd", "xbc", "a", "A", "ba"];
    const lower = (n: string) => n.toLowerCase();
    fc.assert(fc.property(
      fc.uniqueArray(fc.constantFrom(...names.map(lower)), { minLength: 1, maxLength: 3 }),
      fc.boolean(),
      fc.array(fc.tuple(fc.constantFrom(...names), fc.constantFrom("zz", "no")), { minLength: 1, maxLength: 4 }),
      (listed, exclude, args) => {
        const wafer = engineWith([{
          id: "r", message: "m", family: "f", operator: { contains: "zz" },
          targets: [exclude ? { field: "args", except: listed } : { field: "args", names: listed }],
        }], { mode: "monitor", verdictCache: false });
        const url = `/?${args.map(([n, v]) => `${n}=${v}`).join("&")}`;
        const fired = wafer.inspectSync({ method: "GET", url, headers: [], body: null }).matches.map((m) => m.field.name).sort();
        const expected = args.filter(([n, v]) => v === "zz" && listed.includes(lower(n)) !== exclude).map(([n]) => n);
        // A rule fires once per request: on the first arg it reads.
        expect(fired).toEqual(expected.slice(0, 1));
      },
    ), { numRuns: 300 });
  });
});
