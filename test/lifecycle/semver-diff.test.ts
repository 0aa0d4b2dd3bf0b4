import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffPacks } from "../../src/lifecycle/diff.js";
import { compareSemVer, parseSemVer } from "../../src/lifecycle/semver.js";
import { readPackMeta } from "../../src/pack/reader.js";
import { packA, packB } from "./fixtures.js";

const cmp = (a: string, b: string) => compareSemVer(parseSemVer(a)!, parseSemVer(b)!);

describe("semantic version precedence", () => {
  it("orders the semver.org example chain", () => {
    const chain = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0", "10.0.0"];
    for (let i = 0; i + 1 < chain.length; i++) {
      expect(cmp(chain[i]!, chain[i + 1]!), `${chain[i]} < ${chain[i + 1]}`).toBe(-1);
      expect(cmp(chain[i + 1]!, chain[i]!)).toBe(1);
    }
    expect(cmp("1.2.3+build.1", "1.2.3+build.2")).toBe(0);
    expect(parseSemVer("1.2")).toBeUndefined();
  });
  it("is antisymmetric and agrees with numeric order on release versions", () => {
    const v = fc.tuple(fc.nat(1000), fc.nat(1000), fc.nat(1000));
    fc.assert(
      fc.property(v, v, ([a1, a2, a3], [b1, b2, b3]) => {
        const c = cmp(`${a1}.${a2}.${a3}`, `${b1}.${b2}.${b3}`);
        expect(c).toBe(-cmp(`${b1}.${b2}.${b3}`, `${a1}.${a2}.${a3}`) || 0);
        expect(c).toBe(Math.sign(a1 - b1 || a2 - b2 || a3 - b3));
      }),
    );
  });
});

describe("diffPacks", () => {
  it("an unchanged pack has no changes; renamed packs still compare rule by rule", () => {
    const d = diffPacks(readPackMeta(packA("1.0.0")), readPackMeta(packA("1.0.1", "renamed")));
    expect([d.added, d.removed, d.changed, d.unchanged, d.to]).toEqual([[], [], [], 2, { name: "renamed", version: "1.0.1", builtAt: "2026-11-01T00:00:00.000Z" }]);
    const ab = diffPacks(readPackMeta(packA()), readPackMeta(packB()));
    expect([ab.added.map((r) => r.id), ab.removed.map((r) => r.id)]).toEqual([["only-in-b"], ["only-in-a"]]);
  });
  it("says so when a pack predates rule content summaries", () => {
    const old = readPackMeta(packA());
    for (const r of old.rules) delete r.content;
    const d = diffPacks(old, readPackMeta(packA()));
    expect(d.note).toMatch(/no per-rule content summaries/);
    expect(d.changed).toEqual([]);
  });
});
