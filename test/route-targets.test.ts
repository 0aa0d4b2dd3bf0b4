// Per-route exclusions by target (engine option routes[].targets, src/engine/routes.ts): the
// route's rules do not read the field parts its targets select; other fields, other rules and
// other routes are inspected as everywhere else. test/engine-oracle.test.ts holds random
// exclusions to the naive model; these are the cases a user writes.
import { describe, expect, it } from "vitest";
import type { Decision } from "../src/engine/decision.js";
import type { RouteExclusion, WaferOptions } from "../src/engine/options.js";
import { engineWith as engine, packImage } from "./support/engine.js";

/** Monitor mode: every rule that matches is listed (block mode stops at the first deny). */
const engineWith = (rules: object[], options: WaferOptions = {}) => engine(rules, { mode: "monitor", ...options });

const rule = (id: string, extra: object = {}) => ({
  id, message: `${id} message`, family: "test", tags: ["t"], targets: ["args", "headers", "cookies", "args_names"], operator: { contains: "attack" }, ...extra,
});
const get = (url: string, headers: Record<string, string> = {}) => ({ method: "GET", url, headers, body: null });
const fired = (d: Decision) =>
  d.matches.map((m) => `${m.rule}@${m.field.name}:${m.field.part}`).sort();

describe("routes[].targets", () => {
  const rules = [rule("r1"), rule("r2", { tags: ["other"] }), rule("r3", { family: "fam3" })];

  it("alone, keeps every rule off the selected fields on the route, and only there", () => {
    const wafer = engineWith(rules, { routes: [{ path: "/login", targets: [{ field: "args", names: ["password"] }] }] });
    expect(fired(wafer.inspectSync(get("/login?password=attack")))).toEqual([]);
    // Another argument of the same request, and the same argument on another route, are inspected.
    expect(fired(wafer.inspectSync(get("/login?password=attack&user=attack")))).toEqual(["r1@user:value", "r2@user:value", "r3@user:value"]);
    expect(fired(wafer.inspectSync(get("/signup?password=attack")))).toEqual(["r1@password:value", "r2@password:value", "r3@password:value"]);
  });

  it("with rules, tags or families, keeps only those rules off the fields", () => {
    const wafer = engineWith(rules, {
      routes: [
        { path: "/a", rules: ["r1"], targets: ["args"] },
        { path: "/b", tags: ["other"], targets: ["args"] },
        { path: "/c", families: ["fam3"], targets: ["args"] },
      ],
    });
    expect(fired(wafer.inspectSync(get("/a?q=attack")))).toEqual(["r2@q:value", "r3@q:value"]);
    expect(fired(wafer.inspectSync(get("/b?q=attack")))).toEqual(["r1@q:value", "r3@q:value"]);
    expect(fired(wafer.inspectSync(get("/c?q=attack")))).toEqual(["r1@q:value", "r2@q:value"]);
    // The rules still read what the targets leave: a header on /a.
    expect(fired(wafer.inspectSync(get("/a", { "x-note": "attack" })))).toEqual(["r1@x-note:value", "r2@x-note:value", "r3@x-note:value"]);
  });

  it("takes globs as paths: * within a segment, ** across", () => {
    const wafer = engineWith(rules, { routes: [{ path: "/users/*/avatar", targets: ["args"] }, { path: "/files/**/raw", rules: ["r1"] }] });
    expect(fired(wafer.inspectSync(get("/users/42/avatar?q=attack")))).toEqual([]);
    expect(fired(wafer.inspectSync(get("/users/42/x/avatar?q=attack")))).toEqual(["r1@q:value", "r2@q:value", "r3@q:value"]);
    expect(fired(wafer.inspectSync(get("/files/a/b/raw?q=attack")))).toEqual(["r2@q:value", "r3@q:value"]);
    // A string without `*` stays a plain prefix.
    const prefix = engineWith(rules, { routes: [{ path: "/api/upload", targets: ["args"] }] });
    expect(fired(prefix.inspectSync(get("/api/uploads?q=attack")))).toEqual([]);
  });

  it("tells values from names: args leaves argument names to the rules, args_names their values", () => {
    const wafer = engineWith([rule("r1")], {
      routes: [
        { path: "/values", targets: ["args"] },
        { path: "/names", targets: ["args_names"] },
      ],
    });
    expect(fired(wafer.inspectSync(get("/values?attack=attack")))).toEqual(["r1@attack:name"]);
    expect(fired(wafer.inspectSync(get("/names?attack=attack")))).toEqual(["r1@attack:value"]);
  });

  it("takes except lists and case-insensitive names", () => {
    const wafer = engineWith([rule("r1")], { routes: [{ path: "/", targets: [{ field: "headers", except: ["User-Agent"] }, { field: "cookies", names: ["SESSION"] }] }] });
    // A rule fires once per request: one field at a time.
    expect(fired(wafer.inspectSync(get("/", { "user-agent": "attack" })))).toEqual(["r1@user-agent:value"]);
    expect(fired(wafer.inspectSync(get("/", { "x-note": "attack" })))).toEqual([]);
    expect(fired(wafer.inspectSync(get("/", { cookie: "session=attack" })))).toEqual([]);
    expect(fired(wafer.inspectSync(get("/", { cookie: "session=attack; theme=attack" })))).toEqual(["r1@theme:value"]);
  });

  it("keeps the rule's chain conditions off the fields too", () => {
    const chained = rule("c1", { targets: ["args"], operator: { contains: "attack" }, chain: [{ targets: ["headers"], operator: { contains: "yes" } }] });
    const wafer = engineWith([chained], { routes: [{ path: "/x", targets: [{ field: "headers", names: ["x-flag"] }] }] });
    expect(fired(wafer.inspectSync(get("/y?q=attack", { "x-flag": "yes" })))).toEqual(["c1@q:value"]);
    expect(fired(wafer.inspectSync(get("/x?q=attack", { "x-flag": "yes" })))).toEqual([]);
    expect(fired(wafer.inspectSync(get("/x?q=attack", { "x-other": "yes" })))).toEqual(["c1@q:value"]);
  });

  it("holds in block mode, with the verdict cache, and when routes alternate", () => {
    for (const options of [{ mode: "block", verdictCache: false }, { mode: "block", verdictCache: true }] as WaferOptions[]) {
      const wafer = engine([rule("r1")], { ...options, routes: [{ path: "/quiet", targets: ["headers"] }, { path: "/off", rules: ["r1"] }] });
      for (let round = 0; round < 3; round++) {
        expect(wafer.inspectSync(get("/quiet", { "user-agent": "attack" })).denied).toBe(false);
        expect(wafer.inspectSync(get("/loud", { "user-agent": "attack" })).denied).toBe(true);
        expect(wafer.inspectSync(get("/off?q=attack", { "user-agent": "attack" })).denied).toBe(false);
        expect(wafer.inspectSync(get("/quiet?q=attack", { "user-agent": "attack" })).denied).toBe(true);
      }
    }
  });

  it("holds for a rule the host confirms (prefilter mode) and after a pack swap", () => {
    // A backreference (to a capture of many strings, so not written out): the automaton
    // over-approximates and the host's RegExp confirms.
    const confirmed = rule("p1", { operator: { rx: "(a+t)tack\\1?" } });
    const wafer = engineWith([confirmed], { routes: [{ path: "/login", targets: [{ field: "args", names: ["password"] }] }] });
    expect(fired(wafer.inspectSync(get("/login?password=attack&user=attack")))).toEqual(["p1@user:value"]);
    expect(fired(wafer.inspectSync(get("/login?password=attack")))).toEqual([]);
    // Another pack, whose rule indexes differ: the route is derived again for it.
    wafer.loadPack(packImage([rule("z0", { operator: { contains: "zzz" } }), confirmed]));
    expect(fired(wafer.inspectSync(get("/login?password=attack&user=attack")))).toEqual(["p1@user:value"]);
    expect(fired(wafer.inspectSync(get("/login?password=attack")))).toEqual([]);
  });

  it("refuses malformed routes with the entry and key that are wrong", () => {
    const bad = (routes: unknown) => () => engineWith([rule("r1")], { routes } as WaferOptions);
    expect(bad([{ path: "/", targets: ["argz"] }])).toThrow(/routes\[0\]\.targets\[0\]: "argz" is not a target \(one of: method, uri, /);
    expect(bad([{ path: "/", targets: [{ field: "headerz" }] }])).toThrow(/routes\[0\]\.targets\[0\]\.field: "headerz" is not a target/);
    expect(bad([{ path: "/" }, { path: "/", targets: [{ field: "args", names: ["/pass.*/"] }] }])).toThrow(
      /routes\[1\]\.targets\[0\]\.names: \/pass\.\*\/ is a regular expression; route targets take exact names/,
    );
    expect(bad([{ path: "/", targets: [] }])).toThrow(/routes\[0\]\.targets must be a non-empty array/);
    expect(bad([{ path: "/", targets: [{ field: "args", except: "password" }] }])).toThrow(/routes\[0\]\.targets\[0\]\.except must be an array of non-empty names/);
    expect(bad([{ targets: ["args"] }])).toThrow(/routes\[0\]\.path must be a path prefix or glob \(string\), a RegExp or a function/);
    expect(bad([{ path: "/", rules: "r1" }])).toThrow(/routes\[0\]\.rules must be an array of strings/);
    expect(bad({ path: "/" })).toThrow(/routes must be an array/);
  });
});

describe("several routes on one request", () => {
  const rules = [rule("r1"), rule("r2", { tags: ["other"] }), rule("r3", { family: "fam3" })];

  it("all apply: their exclusions add up, whatever their order", () => {
    const routes: RouteExclusion[] = [
      { path: "/api", rules: ["r1"] },
      { path: "/api/login", targets: [{ field: "args", names: ["password"] }] },
    ];
    for (const order of [routes, [...routes].reverse()]) {
      const wafer = engineWith(rules, { routes: order });
      // /api/login: r1 off everywhere, and no rule reads password.
      expect(fired(wafer.inspectSync(get("/api/login?password=attack&user=attack")))).toEqual(["r2@user:value", "r3@user:value"]);
      // /api/items: only r1 off.
      expect(fired(wafer.inspectSync(get("/api/items?password=attack")))).toEqual(["r2@password:value", "r3@password:value"]);
      // Elsewhere: nothing off.
      expect(fired(wafer.inspectSync(get("/home?password=attack")))).toEqual(["r1@password:value", "r2@password:value", "r3@password:value"]);
    }
  });

  it("with targets on the same field, keep each route's rules off it; a field one route selects keeps only its rules off", () => {
    const wafer = engineWith(rules, {
      routes: [
        { path: "/", rules: ["r1"], targets: [{ field: "args", names: ["a", "b"] }] },
        { path: "/", tags: ["other"], targets: [{ field: "args", names: ["b", "c"] }] },
      ],
    });
    expect(fired(wafer.inspectSync(get("/?a=attack")))).toEqual(["r2@a:value", "r3@a:value"]);
    expect(fired(wafer.inspectSync(get("/?b=attack")))).toEqual(["r3@b:value"]);
    expect(fired(wafer.inspectSync(get("/?c=attack")))).toEqual(["r1@c:value", "r3@c:value"]);
    // One request holding all three: each part gets its own set.
    expect(fired(wafer.inspectSync(get("/?c=attack&b=attack&a=attack")))).toEqual(["r1@c:value", "r2@a:value", "r3@c:value"]);
  });

  it("past 31 routes too (their combinations are keyed by list, not by bitmask)", () => {
    const routes: RouteExclusion[] = Array.from({ length: 40 }, (_, i) => ({ path: `/r${i}/`, rules: ["r3"] }));
    routes[2] = { path: "/", rules: ["r1"] };
    routes[35] = { path: "/x", tags: ["other"] };
    const wafer = engineWith(rules, { routes });
    expect(fired(wafer.inspectSync(get("/x?q=attack")))).toEqual(["r3@q:value"]);
    expect(fired(wafer.inspectSync(get("/y?q=attack")))).toEqual(["r2@q:value", "r3@q:value"]);
    expect(fired(wafer.inspectSync(get("/r39/?q=attack")))).toEqual(["r2@q:value"]);
  });

  it("match by function of the path and method", () => {
    const wafer = engineWith(rules, { routes: [{ path: (path, method) => method === "POST" && path.endsWith(".php"), rules: ["r1", "r2"] }] });
    expect(fired(wafer.inspectSync({ method: "POST", url: "/x.php?q=attack", headers: {}, body: null }))).toEqual(["r3@q:value"]);
    expect(fired(wafer.inspectSync(get("/x.php?q=attack")))).toEqual(["r1@q:value", "r2@q:value", "r3@q:value"]);
  });

  it("say so in the decision when the per-field sets run out, and keep the routes' rules off everywhere they can", () => {
    // 9 routes with targets; argument n<j> is selected by the routes whose bit is set in j: 300
    // distinct combinations, more than the 255 sets a descriptor can name.
    const names = Array.from({ length: 300 }, (_, j) => `n${j + 1}`);
    const routes = Array.from({ length: 9 }, (_, i) => ({ path: "/", rules: ["r1"], targets: [{ field: "args" as const, names: names.filter((_, j) => ((j + 1) >> i) & 1) }] }));
    const wafer = engineWith([rule("r1"), rule("r2")], { routes });
    const decision = wafer.inspectSync(get(`/?${names.map((n) => `${n}=attack`).join("&")}`));
    expect(decision.truncated.map((t) => t.limit)).toContain("routes");
    // The first fields got their sets (r1 reads none of them); the later ones fall back to set 0,
    // where r1 is not off: it fires on one of those, never on a field that got its set.
    const r1 = decision.matches.find((m) => m.rule === "r1");
    expect(r1).toBeDefined();
    expect(Number(r1!.field.name!.slice(1))).toBeGreaterThan(255);
    expect(decision.matches.some((m) => m.rule === "r2")).toBe(true);
    const small = wafer.inspectSync(get("/?n1=attack&n2=attack"));
    expect(small.truncated).toEqual([]);
    expect(fired(small)).toEqual(["r2@n1:value"]);
  });
});
