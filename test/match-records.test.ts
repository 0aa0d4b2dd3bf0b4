// The result block holds 256 match records (src/engine/engine.ts MAX_RECORDED_MATCHES). A
// prefilter-mode rule (a backreference: the automaton over-approximates, the host's RegExp
// confirms) records a candidate on every field its automaton passes, so a request with many
// such fields used to fill the block and push out the definite matches that came later (CRS
// regression test 922110-24: a 15-part multipart body hid 941100 and four more rules, found
// by the naive model of test/engine-oracle.test.ts). Definite matches now take the place of
// candidates, and the host confirms the dropped candidates' rules over every field itself.
import { describe, expect, it } from "vitest";
import { engineWith } from "./support/engine.js";

/**
 * `(a+b)c\1`: the automaton over-approximates it as `a+bc`; of the values below only `abcab`
 * matches. (A capture of one fixed string would be written out and confirmed by the lazy DFA:
 * src/regex/backreference-expansion.ts.)
 */
const candidateRule = { id: "backref", message: "m", family: "f", targets: ["args"], operator: { rx: "(a+b)c\\1" } };
const definiteRule = { id: "evil", message: "m", family: "f", targets: ["args"], operator: { contains: "evil" } };
const query = (values: string[]) => `/?${values.map((v, i) => `a${i}=${v}`).join("&")}`;

describe("match records", () => {
  it("a definite match after 300 unconfirmed candidates is still reported, and scored", () => {
    const wafer = engineWith([candidateRule, definiteRule], { mode: "monitor", threshold: 100 });
    const values = [...Array.from({ length: 300 }, () => "abcxx"), "evil"];
    const decision = wafer.inspectSync({ method: "GET", url: query(values), headers: [], body: null });
    expect(decision.matches.map((m) => m.rule)).toEqual(["evil"]);
    expect(decision.matches[0]!.field).toEqual({ kind: "queryArg", name: "a300", part: "value" });
    expect(decision.score).toBe(5);
    expect(decision.truncated).toEqual([]);
  });

  it("a candidate rule whose only confirming field came after the block filled is confirmed by the host", () => {
    const wafer = engineWith([candidateRule, definiteRule], { mode: "block", threshold: 10 });
    // 300 candidates, one definite match (which evicts a candidate), then the field that confirms.
    const values = [...Array.from({ length: 300 }, () => "abcxx"), "evil", "abcab"];
    const decision = wafer.inspectSync({ method: "GET", url: query(values), headers: [], body: null });
    expect(decision.matches.map((m) => m.rule).sort()).toEqual(["backref", "evil"]);
    expect(decision.matches.find((m) => m.rule === "backref")!.field.name).toBe("a301");
    expect(decision.score).toBe(10);
    expect(decision.denied).toBe(true);
  });

  it("no field confirming: the candidate rule stays silent however many candidates were dropped", () => {
    const wafer = engineWith([candidateRule, definiteRule], { mode: "monitor" });
    const values = [...Array.from({ length: 400 }, () => "abcxx"), "evil"];
    const decision = wafer.inspectSync({ method: "GET", url: query(values), headers: [], body: null });
    expect(decision.matches.map((m) => m.rule)).toEqual(["evil"]);
  });

  it("more definite matches than records: the first 256 are listed, all are scored, and the cut is reported", () => {
    const rules = Array.from({ length: 300 }, (_, i) => ({ id: `r${i}`, message: "m", family: "f", targets: ["args"], operator: { contains: `w${i}x` }, score: 1 }));
    const wafer = engineWith(rules, { mode: "monitor", threshold: 1000 });
    const values = Array.from({ length: 300 }, (_, i) => `w${i}x`);
    const decision = wafer.inspectSync({ method: "GET", url: query(values), headers: [], body: null });
    expect(decision.matches).toHaveLength(256);
    expect(decision.score).toBe(300);
    expect(decision.truncated).toEqual([{ limit: "matches", detail: "300 rules matched; the decision lists the first 256 (the score counts them all)" }]);
  });
});
