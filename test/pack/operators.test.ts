import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FieldKind as K } from "../../src/engine/abi.js";
import { loadRawEngine } from "./harness.js";

const rule = (id: string, operator: object, extra: object = {}) => ({
  id, message: id, family: "test", targets: ["args"], operator, ...extra,
});
const pack = (...rules: object[]) => ({ name: "t", version: "1.0.0", rules });
const arg = (value: string, name = "q") => ({ kind: K.queryArg, name, value });
const fired = (e: ReturnType<typeof loadRawEngine>, fields: Parameters<ReturnType<typeof loadRawEngine>["inspect"]>[0]) =>
  e.inspect(fields).matches.map((m) => m.rule);

describe("literal operators (through the group prefilter)", () => {
  const engine = loadRawEngine(pack(
    rule("pm", { pm: ["select", "union all"] }),
    rule("contains", { contains: "DROP" }),
    rule("contains-cs", { contains: "Drop", caseSensitive: true }),
    rule("begins", { beginsWith: "admin" }),
    rule("ends", { endsWith: ".php" }),
    rule("streq", { streq: "root" }),
  ));
  it.each([
    ["please SELECT it", ["pm"]],
    ["x UNION ALL y", ["pm"]],
    ["drop table", ["contains"]],
    ["Drop table", ["contains", "contains-cs"]],
    ["administrator", ["begins"]],
    ["the admin", []],
    ["index.php", ["ends"]],
    ["index.php5", []],
    ["root", ["streq"]],
    ["ROOT", ["streq"]],
    ["rooted", []],
    ["nothing here", []],
  ])("%j fires %j", (value, expected) => {
    expect(fired(engine, [arg(value)]).sort()).toEqual([...expected].sort());
  });
});

describe("rule-local literal automata (negated rules and chain conditions get their own table)", () => {
  const engine = loadRawEngine(pack(
    rule("not-allowed-method", { pm: ["get", "post", "head"] }, { negate: true, targets: ["method"] }),
    rule("chained", { contains: "union" }, { chain: [{ targets: ["args"], operator: { pm: ["select", "insert"] } }] }),
  ));
  const method = (value: string) => ({ kind: K.method, value });
  it.each([
    [[method("GET")], []],
    [[method("PATCH")], ["not-allowed-method"]],
    [[method("GET"), arg("union all select 1")], ["chained"]],
    [[method("GET"), arg("union"), arg("x", "insert")], []],
    [[method("GET"), arg("union"), arg("INSERT it", "p")], ["chained"]],
    [[method("GET"), arg("union only")], []],
    // Long values take the four-walk path over the rule-local table too.
    [[method("GET"), arg(`${"z".repeat(3000)}union${"z".repeat(700)}select${"z".repeat(900)}`)], ["chained"]],
  ] as const)("%j fires %j", (fields, expected) => {
    expect(fired(engine, [...fields])).toEqual(expected);
  });
});

describe("long values (the literal walk splits inputs of 64 bytes and more into four interleaved walks)", () => {
  it("reports exactly the literals a one-walk reference finds, across the quarter boundaries (property)", () => {
    const literal = fc.stringMatching(/^[abc]{3,9}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(literal, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 40, max: 5000 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: -10, max: 10 }), fc.nat()), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 0xffff }),
        (literals, length, plants, seed) => {
          // Filler that rarely forms a literal on its own, with literals planted at and
          // around the quarter boundaries, where a walk that started late would miss them.
          const bytes = Array.from({ length }, (_, i) => "xyzab"[(i * 7 + seed) % 5]!);
          const quarter = length >> 2;
          for (const [which, shift, q] of plants) {
            const lit = literals[which % literals.length]!;
            // Ends within a few bytes of a boundary (|shift| ≤ 3), or anywhere near it.
            const end = quarter * (1 + (q % 3)) + (Math.abs(shift) <= 3 ? shift : shift * 2);
            const at = Math.max(0, Math.min(length - lit.length, end - lit.length + 1));
            for (let i = 0; i < lit.length; i++) bytes[at + i] = i % 2 === 0 ? lit[i]!.toUpperCase() : lit[i]!;
          }
          const value = bytes.join("");
          const engine = loadRawEngine(pack(...literals.map((l, i) => rule(`r${i}`, { contains: l }))));
          const expected = literals.flatMap((l, i) => (value.toLowerCase().includes(l) ? [`r${i}`] : []));
          expect(fired(engine, [arg(value)]).sort()).toEqual(expected.sort());
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("values of 20 to 63 bytes (four walks whose hits are reported afterwards, in order)", () => {
  // Only a pack whose automaton has short prefixes (K ≤ 5, like the default pack's) takes
  // this path for such values: 3,000 long literals over d–w force K down, and every 3-byte
  // string over a, b, c is a literal (rule) of its own.
  const abc = [...Array(27).keys()].map((n) => ["a", "b", "c"][Math.floor(n / 9)]! + ["a", "b", "c"][Math.floor(n / 3) % 3]! + ["a", "b", "c"][n % 3]!);
  let seed = 7;
  const filler = Array.from({ length: 3000 }, () => Array.from({ length: 20 }, () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return "defghijklmnopqrstuvw"[(seed >>> 16) % 20]!;
  }).join(""));
  const engine = loadRawEngine(pack(...abc.map((l) => rule(l, { contains: l })), rule("filler", { pm: filler })));
  const view = new DataView(engine.image.buffer, engine.image.byteOffset);
  const prefixLength = view.getUint32(view.getUint32(48, true) + 28, true);
  it("uses short prefixes, so values from 20 bytes take the four walks", () => expect(prefixLength).toBeLessThanOrEqual(5));
  it("report the same literals in the same order as one walk (property)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[abcxyz]{16,63}$/), (value) => {
        // One walk reports each literal where it first ends, in input order; each fires once.
        const firsts = abc.map((l) => [value.indexOf(l), l] as const).filter(([i]) => i >= 0).sort((a, b) => a[0] - b[0]);
        expect([value, fired(engine, [arg(value)])]).toEqual([value, firsts.map(([, l]) => l)]);
      }),
      { numRuns: 3000 },
    );
  });
  it("hands a walk with more output states than it can note to one walk", () => {
    // 63 bytes: the last walk passes 18 output states, two more than it notes.
    expect(fired(engine, [arg(`${"x".repeat(39)}${"abc".repeat(8)}`)])).toEqual(["abc", "bca", "cab"]);
    expect(fired(engine, [arg(`${"x".repeat(30)}${"cba".repeat(11)}`)])).toEqual(["cba", "bac", "acb"]);
  });
});

describe("regex operator", () => {
  const engine = loadRawEngine(pack(
    rule("rx-literal", { rx: "union\\s+select" }),
    rule("rx-noliteral", { rx: "^\\d{3}-\\d{4}$" }),
    rule("rx-ci", { rx: "or\\s+1=1", caseSensitive: false }),
    rule("rx-lookahead", { rx: "foo(?=bar)" }),
  ));
  it("runs the DFA only where it matches", () => {
    expect(fired(engine, [arg("1 union   select 2")])).toEqual(["rx-literal"]);
    expect(fired(engine, [arg("union selec")])).toEqual([]);
    expect(fired(engine, [arg("555-1234")])).toEqual(["rx-noliteral"]);
    expect(fired(engine, [arg("x555-1234")])).toEqual([]);
    expect(fired(engine, [arg("' OR 1=1")])).toEqual(["rx-ci"]);
  });
  it("marks over-approximated patterns for host confirmation", () => {
    const m = engine.inspect([arg("foobar")]).matches;
    expect(m.map((x) => [x.rule, x.unconfirmed])).toEqual([["rx-lookahead", true]]);
    expect(engine.meta.rules.find((r) => r.id === "rx-lookahead")!.confirm).toBeDefined();
  });
});

describe("other operators", () => {
  const engine = loadRawEngine(pack(
    rule("gt", { gt: 100 }),
    rule("le", { le: -5 }),
    rule("within", { within: "GET POST HEAD" }, { targets: ["method"] }),
    rule("ip", { ipMatch: ["10.0.0.0/8", "2001:db8::/32", "192.168.1.7"] }, { targets: ["client_ip"] }),
    rule("utf8", { validateUtf8: true }, { targets: ["body"] }),
    rule("urlenc", { validateUrlEncoding: true }, { targets: ["query_string"] }),
    rule("bytes", { byteRange: "32-126" }, { targets: [{ field: "headers", names: ["x-range"] }] }),
    rule("exists", { exists: true }, { targets: [{ field: "headers", names: ["x-debug"] }] }),
  ));
  it("compares numbers like ModSecurity (leading integer, else 0)", () => {
    expect(fired(engine, [arg("101")])).toEqual(["gt"]);
    expect(fired(engine, [arg("100")])).toEqual([]);
    expect(fired(engine, [arg("-7")])).toEqual(["le"]);
    expect(fired(engine, [arg("abc")])).toEqual([]);
  });
  it("within: the value occurs in the argument", () => {
    expect(fired(engine, [{ kind: K.method, value: "POST" }])).toEqual(["within"]);
    expect(fired(engine, [{ kind: K.method, value: "PUT" }])).toEqual([]);
  });
  it("ipMatch: IPv4, IPv6 and mapped addresses against CIDR ranges", () => {
    for (const ip of ["10.1.2.3", "::ffff:10.9.9.9", "2001:db8:0:1::5", "[2001:db8::1]", "192.168.1.7"])
      expect(fired(engine, [{ kind: K.clientIp, value: ip }])).toEqual(["ip"]);
    for (const ip of ["11.0.0.1", "2001:db9::1", "192.168.1.8", "not an ip", "1.2.3.4.5", "::ffff:1.2.3"])
      expect(fired(engine, [{ kind: K.clientIp, value: ip }])).toEqual([]);
  });
  it("validators fire on invalid input", () => {
    const e = engine;
    expect(fired(e, [{ kind: K.bodyRaw, value: "ok é" }])).toEqual([]);
    const w = new TextEncoder();
    void w;
    expect(fired(e, [{ kind: K.queryString, value: "a=%41&b=%zz" }])).toEqual(["urlenc"]);
    expect(fired(e, [{ kind: K.queryString, value: "a=%41&b=%4" }])).toEqual(["urlenc"]);
    expect(fired(e, [{ kind: K.queryString, value: "a=%41" }])).toEqual([]);
    expect(fired(e, [{ kind: K.header, name: "x-range", value: "tab\there" }])).toEqual(["bytes"]);
    expect(fired(e, [{ kind: K.header, name: "x-range", value: "plain" }])).toEqual([]);
    expect(fired(e, [{ kind: K.header, name: "x-debug", value: "" }])).toEqual(["exists"]);
  });
});
