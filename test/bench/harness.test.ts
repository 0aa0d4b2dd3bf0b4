/**
 * The benchmark plumbing (issue 9) behaves: interleaving runs every contender every round,
 * spreads are order statistics, libddwaf's payload carries the request's parts, the RegExp
 * baseline applies its rules, and `benchInspect` counts what the engine decides. No time
 * is asserted anywhere.
 */
import { describe, expect, it } from "vitest";
import { benchInspect, childrenCpuMs, spread } from "../../src/cli/bench.js";
import { Wafer } from "../../src/engine/engine.js";
import { compilePack } from "../../src/pack/compile.js";
import type { RuleSource } from "../../src/pack/schema.js";
import { measureInterleaved, quantile } from "../../bench/interleave.js";
import { ddwafPayload } from "../../bench/peers/ddwaf.js";
import { regexpLoopFor } from "../../bench/peers/regexp-loop.js";
import { engineModule } from "../support/wasm.js";

const RULES = [
  { id: "union-select", message: "union select", family: "sqli", severity: "critical", targets: ["args"], transforms: ["urlDecodeUni", "lowercase"], operator: { rx: "union\\s+select" } },
  { id: "script-tag", message: "script tag", family: "xss", severity: "critical", targets: ["args"], transforms: ["lowercase"], operator: { pm: ["<script", "javascript:"] } },
] as unknown as RuleSource[];

describe("measureInterleaved", () => {
  it("runs every contender in every round and reports one result per contender, in order", () => {
    const calls = { a: 0, b: 0 };
    const results = measureInterleaved(
      [
        { name: "a", fn: () => calls.a++ },
        { name: "b", fn: () => calls.b++ },
      ],
      { rounds: 3, batchMs: 1, warmupMs: 1, timedCallsPerRound: 2 },
    );
    expect(results.map((r) => r.name)).toEqual(["a", "b"]);
    for (const r of results) {
      expect(r.batches).toBe(3);
      expect(r.calls).toBeGreaterThanOrEqual(3);
      expect(r.medianNs).toBeGreaterThan(0);
      expect(r.cpuMeanNs).toBeGreaterThanOrEqual(0);
      expect(r.opsPerSec).toBeCloseTo(1e9 / r.meanNs);
    }
    // Warm-up + batches + individually timed calls all ran the function.
    expect(calls.a).toBeGreaterThanOrEqual(results[0]!.calls + 3 * 2);
  });

  it("quantile picks order statistics", () => {
    expect(quantile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(quantile([5, 1, 3, 2, 4], 0.99)).toBe(5);
    expect(Number.isNaN(quantile([], 0.5))).toBe(true);
  });
});

describe("spread", () => {
  it("reports median, quartiles and extremes of the runs", () => {
    expect(spread([40, 10, 30, 20])).toEqual({ runs: 4, medianMs: 30, p25Ms: 20, p75Ms: 40, minMs: 10, maxMs: 40 });
  });
  it("reads the children's CPU time on Linux (a non-negative number), else null", () => {
    const cpu = childrenCpuMs();
    if (process.platform === "linux") expect(cpu).toBeGreaterThanOrEqual(0);
    else expect(cpu).toBeNull();
  });
});

describe("ddwafPayload (the addresses libddwaf is fed)", () => {
  it("splits the URI, headers, cookies and a form body the way dd-trace hands them over", () => {
    const p = ddwafPayload({
      method: "POST",
      url: "/login?next=%2Fhome&tag=a&tag=b",
      headers: [["Host", "x.test"], ["Cookie", "sid=abc; theme=dark%20mode"], ["content-type", "application/x-www-form-urlencoded"]],
      body: "user=alice&pass=s%26cret",
    });
    expect(p["server.request.uri.raw"]).toBe("/login?next=%2Fhome&tag=a&tag=b");
    expect(p["server.request.method"]).toBe("POST");
    expect(p["server.request.query"]).toEqual({ next: "/home", tag: ["a", "b"] });
    expect(p["server.request.cookies"]).toEqual({ sid: "abc", theme: "dark mode" });
    expect(p["server.request.headers.no_cookies"]).toEqual({ host: "x.test", "content-type": "application/x-www-form-urlencoded" });
    expect(p["server.request.body"]).toEqual({ user: "alice", pass: "s&cret" });
  });
  it("parses JSON bodies and keeps other or malformed bodies as text", () => {
    const json = ddwafPayload({ method: "POST", url: "/", headers: [["content-type", "application/json"]], body: '{"a":[1,"x"]}' });
    expect(json["server.request.body"]).toEqual({ a: [1, "x"] });
    const bad = ddwafPayload({ method: "POST", url: "/", headers: [["content-type", "application/json"]], body: "{oops" });
    expect(bad["server.request.body"]).toBe("{oops");
    const none = ddwafPayload({ method: "GET", url: "/", headers: [], body: null });
    expect("server.request.body" in none).toBe(false);
  });
});

describe("the RegExp loop baseline", () => {
  it("turns rx and pm rules into tests over decoded, lower-cased values", () => {
    const loop = regexpLoopFor(RULES);
    expect(loop.tests).toBe(2);
    expect(loop.run({ method: "GET", url: "/?id=1%20UNION%20SELECT%202", headers: [] })).toBe(true);
    expect(loop.run({ method: "GET", url: "/?q=%3CScript%3E", headers: [] })).toBe(true);
    expect(loop.run({ method: "GET", url: "/?q=union%20station", headers: [] })).toBe(false);
  });
});

describe("benchInspect", () => {
  it("inspects every request of the corpus per pass and counts the blocked ones", () => {
    const { image } = compilePack({ name: "t", version: "1.0.0", rules: RULES });
    const wafer = new Wafer(engineModule(), image);
    const requests = [
      { method: "GET", url: "/?id=1%20union%20select%202", headers: [] },
      { method: "GET", url: "/?q=hello", headers: [] },
      { method: "GET", url: "/?q=%3Cscript%3Ealert(1)", headers: [] },
    ];
    let seen = 0;
    const counting = { inspectSync: (r: never) => (seen++, wafer.inspectSync(r)) };
    const r = benchInspect(counting, requests, 4);
    expect(r.requests).toBe(3);
    expect(r.passes).toBe(4);
    expect(r.blocked).toBe(2);
    expect(seen).toBe(3 * 5); // one warm-up pass + 4 timed passes
    expect(r.perRequestUs.min).toBeLessThanOrEqual(r.perRequestUs.median);
    expect(r.perRequestUs.median).toBeLessThanOrEqual(r.perRequestUs.max);
  });
});
