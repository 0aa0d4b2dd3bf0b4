/** The libddwaf ↔ wafer mapping tables: addresses, transformers, operators, rule shape. */
import { describe, expect, it } from "vitest";
import { exportDdwaf } from "../../src/ddwaf/export.js";
import { importDdwaf, importInput } from "../../src/ddwaf/import.js";
import { endsLowercased, importOperator, type OperatorContext } from "../../src/ddwaf/import-operator.js";
import { regexMinMatchLength } from "../../src/ddwaf/regex-length.js";
import { re2Incompatibility } from "../../src/ddwaf/re2-compat.js";
import type { DdwafCondition, DdwafRule } from "../../src/ddwaf/format.js";
import { validatePack } from "../../src/pack/validate.js";

const rule = (over: Partial<DdwafRule> & { conditions: DdwafCondition[] }): DdwafRule => ({
  id: "r1",
  name: "rule one",
  tags: { type: "sql_injection", category: "attack_attempt", confidence: "1" },
  transformers: [],
  ...over,
});
const rx = (address: string, regex: string, extra: Partial<DdwafCondition["parameters"]> = {}): DdwafCondition => ({
  operator: "match_regex",
  parameters: { inputs: [{ address }], regex, ...extra },
});
const one = (r: DdwafRule) => importDdwaf({ version: "2.2", rules: [r] });

describe("addresses → targets", () => {
  it.each([
    ["server.request.query", [], ["args_get"]],
    ["server.request.query", ["keys_only"], ["args_get_names"]],
    ["server.request.body", [], ["args_post"]],
    ["server.request.body", ["keys_only"], ["args_post_names", "json_keys"]],
    ["server.request.body.filenames", [], ["files"]],
    ["server.request.headers.no_cookies", [], ["headers"]],
    ["server.request.headers.no_cookies", ["keys_only"], ["header_names"]],
    ["server.request.cookies", [], ["cookies"]],
    ["server.request.cookies", ["keys_only"], ["cookie_names"]],
    ["server.request.uri.raw", [], ["uri"]],
    ["server.request.uri.raw", ["url_path"], ["path"]],
    ["server.request.uri.raw", ["url_querystring"], ["query_string"]],
    ["server.request.method", [], ["method"]],
    ["http.client_ip", [], ["client_ip"]],
  ])("%s with %j → %j", (address, transformers, targets) => {
    const plan = importInput({ address }, transformers);
    expect(plan).toEqual({ chain: [], targets });
  });

  it.each([
    ["server.request.path_params", "route parameters"],
    ["graphql.server.all_resolvers", "GraphQL"],
    ["grpc.server.request.message", "gRPC"],
    ["server.response.status", "response data"],
    ["server.io.fs.file", "RASP resource"],
    ["usr.id", "identity"],
  ])("%s is not inspected (%s)", (address, why) => {
    const plan = importInput({ address }, []);
    expect("dropped" in plan && plan.dropped).toContain(why);
  });

  it("key_path selects names: a header, a query argument, a JSON path and the leaves under it", () => {
    expect(importInput({ address: "server.request.headers.no_cookies", key_path: ["user-agent"] }, [])).toEqual({
      chain: [],
      targets: [{ field: "headers", names: ["user-agent"] }],
    });
    expect(importInput({ address: "server.request.query", key_path: ["a", "b"] }, [])).toEqual({
      chain: [],
      targets: [{ field: "args_get", names: ["a[b]"] }],
    });
    expect(importInput({ address: "server.request.body", key_path: ["user", "name"] }, [])).toEqual({
      chain: [],
      targets: [{ field: "args_post", names: ["user.name", "user[name]", "/^user\\.name[.[]/"] }],
    });
  });

  it("an input whose every address is invisible makes the rule unsupported; a partly visible one imports with a note", () => {
    const gone = one(rule({ conditions: [rx("server.response.status", "^404$")] }));
    expect(gone.pack.rules).toHaveLength(0);
    expect(gone.unsupported).toEqual([{ id: "r1", reason: expect.stringContaining("server.response.status") }]);
    const partial = one(rule({ conditions: [{ operator: "is_sqli", parameters: { inputs: [{ address: "server.request.query" }, { address: "graphql.server.resolver" }] } }] }));
    expect(partial.pack.rules[0]!.targets).toEqual(["args_get"]);
    expect(partial.notes).toEqual([{ id: "r1", note: expect.stringContaining("GraphQL") }]);
  });
});

describe("transformers", () => {
  it.each([
    [["lowercase"], ["lowercase"]],
    [["removeNulls", "remove_nulls"], ["removeNulls", "removeNulls"]],
    [["urlDecodeUni", "url_decode_iis", "urlDecode", "url_decode"], ["urlDecodeUni", "urlDecodeUni", "urlDecode", "urlDecode"]],
    [["htmlEntityDecode", "jsDecode", "cssDecode", "base64Decode"], ["htmlEntityDecode", "jsDecode", "cssDecode", "base64Decode"]],
    [["normalizePath", "normalize_path_win", "compressWhiteSpace"], ["normalizePath", "normalizePathWin", "compressWhitespace"]],
    [["cmdLine", "shell_unescape", "removeComments", "unicode_normalize"], ["cmdLine", "cmdLine", "removeComments", "unicodeNormalize"]],
    [["values_only", "lowercase"], ["lowercase"]],
  ])("%j → %j", (ddwaf, wafer) => {
    expect(importInput({ address: "server.request.query" }, ddwaf)).toEqual({ chain: wafer, targets: ["args_get"] });
  });

  it("input-level transformers replace the rule's", () => {
    expect(importInput({ address: "server.request.query", transformers: ["lowercase"] }, ["removeNulls"])).toEqual({ chain: ["lowercase"], targets: ["args_get"] });
  });

  it("unknown or inexpressible transformers are named", () => {
    expect(importInput({ address: "server.request.query" }, ["base64_encode"])).toEqual({ unsupported: expect.stringContaining("base64_encode") });
    expect(importInput({ address: "server.request.query" }, ["rot13"])).toEqual({ unsupported: expect.stringContaining("rot13") });
  });
});

describe("operators", () => {
  const ctx: OperatorContext = { transforms: [], data: new Map<string, string[]>() };
  const op = (operator: string, parameters: DdwafCondition["parameters"], c = ctx) => importOperator({ operator, parameters }, c);

  it("match_regex folds case unless case_sensitive (libddwaf's default is case-insensitive)", () => {
    expect(op("match_regex", { regex: "union" })).toMatchObject({ operator: { rx: "union", caseSensitive: false } });
    expect(op("match_regex", { regex: "Union", options: { case_sensitive: true } })).toMatchObject({ operator: { rx: "Union", caseSensitive: true } });
  });

  it("min_length is dropped when the regex implies it, kept as a length check otherwise", () => {
    expect(regexMinMatchLength("abc|de")).toBe(2);
    expect(regexMinMatchLength("a*b{3}")).toBe(3);
    expect(op("match_regex", { regex: "select.+from", options: { min_length: 5 } })).toMatchObject({ minLength: undefined });
    expect(op("match_regex", { regex: "a[bc]", options: { min_length: 5 } })).toMatchObject({ minLength: 5 });
    expect(op("match_regex", { regex: ".*", options: { min_length: 1 } })).toMatchObject({ operator: { rx: "[\\s\\S]{1}" } });
  });

  it("phrase_match is pm only when case cannot matter; otherwise a case-sensitive alternation", () => {
    expect(endsLowercased(["urlDecode", "lowercase", "removeNulls"])).toBe(true);
    expect(endsLowercased(["lowercase", "urlDecode"])).toBe(false);
    expect(op("phrase_match", { list: ["Nikto", "sqlmap"] }, { ...ctx, transforms: ["lowercase"] })).toMatchObject({
      operator: { pm: ["sqlmap"] },
      notes: [expect.stringContaining("upper-case")],
    });
    expect(op("phrase_match", { list: ["../", "%00"] })).toMatchObject({ operator: { pm: ["../", "%00"] } });
    expect(op("phrase_match", { list: ["Foo", "a.b"] })).toMatchObject({ operator: { rx: "Foo|a\\.b", caseSensitive: true } });
    expect(op("phrase_match", { list: ["/etc/", "admin"], options: { enforce_word_boundary: true } })).toMatchObject({
      operator: { rx: "\\/etc\\/|\\badmin\\b", caseSensitive: true },
    });
  });

  it("exact_match, ip_match, equals, detectors, exists, comparisons", () => {
    expect(op("exact_match", { list: ["x"] })).toMatchObject({ operator: { streq: "x", caseSensitive: true } });
    expect(op("exact_match", { list: ["a", "b.c"] })).toMatchObject({ operator: { rx: "^(?:a|b\\.c)$", caseSensitive: true } });
    expect(op("ip_match", { list: ["10.0.0.0/8"] })).toMatchObject({ operator: { ipMatch: ["10.0.0.0/8"] } });
    expect(op("ip_match", { data: "blocked_ips" }, { ...ctx, data: new Map([["blocked_ips", ["1.2.3.4"]]]) })).toMatchObject({ operator: { ipMatch: ["1.2.3.4"] } });
    expect(op("ip_match", { data: "blocked_ips" })).toEqual({ unsupported: expect.stringContaining("rules_data") });
    expect(op("equals", { value: "GET", type: "string" })).toMatchObject({ operator: { streq: "GET", caseSensitive: true } });
    expect(op("equals", { value: 3, type: "unsigned" })).toMatchObject({ operator: { eq: 3 } });
    expect(op("equals", { value: true, type: "boolean" })).toEqual({ unsupported: expect.stringContaining("boolean") });
    expect(op("is_sqli", {})).toMatchObject({ operator: { detectSQLi: true } });
    expect(op("is_xss", {})).toMatchObject({ operator: { detectXSS: true } });
    expect(op("exists", {})).toMatchObject({ operator: { exists: true } });
    expect(op("!exists", {})).toEqual({ unsupported: expect.stringContaining("absence") });
    expect(op("greater_than", { value: 10 })).toMatchObject({ operator: { gt: 10 } });
    expect(op("!match_regex", { regex: "x" })).toMatchObject({ negate: true });
  });

  it.each(["lfi_detector@v2", "ssrf_detector", "shi_detector", "cmdi_detector", "sqli_detector@v2"])("%s is a RASP detector", (name) => {
    expect(op(name, {})).toEqual({ unsupported: expect.stringContaining("RASP") });
  });

  it("hidden_ascii_match and other unknown operators are named", () => {
    expect(op("hidden_ascii_match", {})).toEqual({ unsupported: "hidden_ascii_match: operator has no wafer equivalent" });
  });
});

describe("rules", () => {
  it("keeps the id, name, type as family, other tags, and chains the later conditions", () => {
    const { pack } = one(rule({ id: "crs-942-100", conditions: [rx("server.request.query", "a"), rx("server.request.headers.no_cookies", "b")] }));
    const r = pack.rules[0]!;
    expect(r).toMatchObject({ id: "crs-942-100", message: "rule one", family: "sql_injection", action: "score", targets: ["args_get"] });
    expect(r.tags).toEqual(["category:attack_attempt", "confidence:1"]);
    expect(r.chain).toEqual([{ targets: ["headers"], operator: { rx: "b", caseSensitive: false } }]);
    expect(() => validatePack(pack)).not.toThrow();
  });

  it("on_match block → block; custom blocking actions; non-blocking rules by confidence or option", () => {
    expect(one(rule({ on_match: ["block"], conditions: [rx("server.request.query", "a")] })).pack.rules[0]!.action).toBe("block");
    const custom = importDdwaf({ rules: [rule({ on_match: ["deny"], conditions: [rx("server.request.query", "a")] })], actions: [{ id: "deny", type: "block_request" }] });
    expect(custom.pack.rules[0]!.action).toBe("block");
    expect(one(rule({ tags: { type: "t", confidence: "0" }, conditions: [rx("server.request.query", "a")] })).pack.rules[0]!.action).toBe("log");
    expect(importDdwaf({ rules: [rule({ conditions: [rx("server.request.query", "a")] })] }, { nonBlocking: "log" }).pack.rules[0]!.action).toBe("log");
    const trace = one(rule({ on_match: ["stack_trace"], conditions: [rx("server.request.query", "a")] }));
    expect(trace.notes).toEqual([{ id: "r1", note: expect.stringContaining("stack_trace") }]);
  });

  it("disabled rules, version windows and attribute-only rules are listed, not dropped", () => {
    const r = importDdwaf({
      rules: [
        rule({ id: "off", enabled: false, conditions: [rx("server.request.query", "a")] }),
        rule({ id: "old", max_version: "1.20.0", conditions: [rx("server.request.query", "a")] }),
        rule({ id: "new", min_version: "9.0.0", conditions: [rx("server.request.query", "a")] }),
        rule({ id: "attr", output: { event: false }, conditions: [rx("server.request.query", "a")] }),
      ],
    });
    expect(r.pack.rules).toHaveLength(0);
    expect(r.unsupported.map((u) => u.id)).toEqual(["off", "old", "new", "attr"]);
    expect(importDdwaf({ rules: [rule({ enabled: false, conditions: [rx("server.request.query", "a")] })] }, { includeDisabled: true }).pack.rules).toHaveLength(1);
  });

  it("negation needs a single field (libddwaf: no value matches; wafer: some value does not)", () => {
    const ok = one(rule({ conditions: [rx("server.request.query", "a"), { operator: "!match_regex", parameters: { inputs: [{ address: "server.request.headers.no_cookies", key_path: ["x-a"] }], regex: "b" } }] }));
    expect(ok.pack.rules[0]!.chain![0]).toMatchObject({ negate: true, targets: [{ field: "headers", names: ["x-a"] }] });
    const no = one(rule({ conditions: [{ operator: "!match_regex", parameters: { inputs: [{ address: "server.request.query" }], regex: "b" } }] }));
    expect(no.unsupported[0]!.reason).toContain("collection");
  });

  it("exclusions: unconditional ones remove a rule or an input; conditional ones on the URI and method become routes", () => {
    const r = importDdwaf({
      rules: [rule({ id: "a", conditions: [rx("server.request.query", "x")] }), rule({ id: "b", conditions: [rx("server.request.query", "x")] })],
      exclusions: [
        { id: "e1", rules_target: [{ rule_id: "a" }] },
        { id: "e2", rules_target: [{ rule_id: "b" }], inputs: [{ address: "server.request.query", key_path: ["token"] }] },
        { id: "e3", rules_target: [{ rule_id: "b" }], conditions: [rx("server.request.uri.raw", "^/health")] },
        {
          id: "e4",
          conditions: [rx("server.request.uri.raw", "^/api/"), { operator: "exact_match", parameters: { inputs: [{ address: "server.request.method" }], list: ["post"] } }],
          inputs: [{ address: "server.request.body", key_path: ["profile", "bio"] }],
        },
        { id: "e5", rules_target: [{ rule_id: "b" }], conditions: [{ operator: "ip_match", parameters: { inputs: [{ address: "http.client_ip" }], list: ["10.0.0.0/8"] } }] },
        { id: "e6", rules_target: [{ rule_id: "b" }], conditions: [rx("server.request.uri.raw", "^/search\\?q=")] },
      ],
    });
    expect(r.pack.rules.map((x) => x.id)).toEqual(["b"]);
    expect(r.pack.rules[0]!.targets).toEqual([{ field: "args_get", except: ["token"] }]);
    // The URI regexes, translated for the host RegExp, run against the path (the removed rule a is left out).
    expect(r.routes.map(({ id, route }) => ({ id, ...route, path: undefined }))).toEqual([
      { id: "e3", path: undefined, rules: ["b"] },
      { id: "e4", path: undefined, methods: ["POST"], rules: ["b"], targets: [{ field: "args_post", names: ["profile.bio", "profile[bio]"] }] },
    ]);
    const [health, api] = r.routes.map((x) => x.route.path as RegExp);
    expect(["/health", "/HEALTH/x", "/x/health"].map((p) => health!.test(p))).toEqual([true, true, false]);
    expect(["/api/users", "/API/", "/apiary"].map((p) => api!.test(p))).toEqual([true, true, false]);
    expect(r.unsupported).toEqual(
      expect.arrayContaining([
        { id: "exclusion:e5", reason: "conditional exclusion not imported: its condition on http.client_ip cannot be a route (routes match the path and the method)" },
        { id: "exclusion:e6", reason: expect.stringContaining("reads the query string") },
        { id: "a", reason: "removed by exclusion e1" },
      ]),
    );
  });

  it("rules_override disables rules or changes their on_match", () => {
    const r = importDdwaf({
      rules: [rule({ id: "a", conditions: [rx("server.request.query", "x")] }), rule({ id: "b", conditions: [rx("server.request.query", "x")] })],
      rules_override: [{ rules_target: [{ rule_id: "a" }], enabled: false }, { rules_target: [{ tags: { type: "sql_injection" } }], on_match: ["block"] }],
    });
    expect(r.pack.rules.map((x) => [x.id, x.action])).toEqual([["b", "block"]]);
  });

  it("rejects a file that is not a ruleset, naming the problem", () => {
    expect(() => importDdwaf([])).toThrow(/JSON object/);
    expect(() => importDdwaf({ rules: {} })).toThrow(/rules: must be an array/);
    expect(() => importDdwaf({ rules: [{ name: "x" }] })).toThrow(/needs an id/);
  });
});

describe("export", () => {
  const base = { id: "w1", message: "m", family: "xss" };
  it("maps targets, transforms and operators, and folds case for pm exactly", () => {
    const { json, unsupported } = exportDdwaf({
      name: "p",
      version: "1.2.3",
      rules: [
        { ...base, targets: ["args", "header_names", { field: "headers", names: ["User-Agent"] }], transforms: ["urlDecodeUni", "cmdLine"], operator: { pm: ["EVIL"] }, action: "block" },
        { ...base, id: "w2", targets: ["path"], operator: { rx: "\\.php$", caseSensitive: false }, chain: [{ targets: ["method"], operator: { streq: "POST", caseSensitive: true } }] },
      ],
    });
    expect(unsupported).toEqual([]);
    expect(json.version).toBe("2.2");
    expect(json.metadata).toEqual({ rules_version: "1.2.3" });
    const [r1, r2] = json.rules!;
    expect(r1!.on_match).toEqual(["block"]);
    expect(r1!.conditions[0]).toEqual({
      operator: "phrase_match",
      parameters: {
        list: ["evil"],
        inputs: [
          { address: "server.request.query", transformers: ["url_decode_iis", "shell_unescape", "lowercase"] },
          { address: "server.request.body", transformers: ["url_decode_iis", "shell_unescape", "lowercase"] },
          { address: "server.request.headers.no_cookies", transformers: ["keys_only", "url_decode_iis", "shell_unescape", "lowercase"] },
          { address: "server.request.headers.no_cookies", key_path: ["user-agent"], transformers: ["url_decode_iis", "shell_unescape", "lowercase"] },
        ],
      },
    });
    expect(r2!.conditions).toEqual([
      { operator: "match_regex", parameters: { inputs: [{ address: "server.request.uri.raw", transformers: ["url_path"] }], regex: "\\.php$", options: { case_sensitive: false } } },
      { operator: "exact_match", parameters: { inputs: [{ address: "server.request.method", transformers: [] }], list: ["POST"] } },
    ]);
  });

  it("lists what libddwaf cannot express, with the reason", () => {
    const { json, unsupported } = exportDdwaf({
      name: "p",
      version: "1.0.0",
      rules: [
        { ...base, id: "t", targets: ["args"], transforms: ["removeWhitespace"], operator: { contains: "x" } },
        { ...base, id: "b", targets: ["body"], operator: { contains: "x" } },
        { ...base, id: "l", targets: ["args"], operator: { rx: "a(?=b)" } },
        { ...base, id: "w", targets: ["args"], operator: { within: "abc" } },
        { ...base, id: "n", targets: ["args"], operator: { contains: "x" }, negate: true },
        { ...base, id: "p", targets: ["args"], operator: { contains: "x" }, paranoia: 3 },
      ],
    }, { paranoia: 2 });
    expect(json.rules).toEqual([]);
    expect(unsupported.map((u) => u.id)).toEqual(["t", "b", "l", "w", "n", "p"]);
    expect(unsupported[0]!.reason).toContain("removeWhitespace");
    expect(unsupported[2]!.reason).toContain("lookaround");
  });

  it("reads regexes with wafer's parser for RE2 compatibility: escapes are not syntax", () => {
    expect(re2Incompatibility("://[^\\s]*(\\?+$|%00)")).toBeNull();
    expect(re2Incompatibility("(a)\\1")).toBe("a backreference");
    expect(re2Incompatibility("(?>ab)c")).toBe("an atomic group");
    expect(re2Incompatibility("a++")).toBe("a possessive repeat");
    expect(re2Incompatibility("x(?<!y)")).toBe("lookaround");
  });

  it("approximate: nearest transformers and dropped targets, each noted", () => {
    const pack = {
      name: "p",
      version: "1.0.0",
      rules: [{ ...base, targets: ["args", "body"] as const, transforms: ["replaceComments", "trim", "lowercase"] as const, operator: { contains: "x" } }],
    };
    expect(exportDdwaf(pack as never).unsupported).toHaveLength(1);
    const { json, notes } = exportDdwaf(pack as never, { approximate: true });
    expect(json.rules![0]!.conditions[0]!.parameters.inputs!.map((i) => [i.address, i.transformers])).toEqual([
      ["server.request.query", ["remove_comments", "lowercase"]],
      ["server.request.body", ["remove_comments", "lowercase"]],
    ]);
    expect(notes.map((n) => n.note)).toEqual([
      "transform replaceComments approximated by remove_comments",
      "transform trim dropped",
      "targets without a libddwaf address dropped: body",
    ]);
  });
});
