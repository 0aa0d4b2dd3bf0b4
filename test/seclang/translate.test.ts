import { describe, expect, it } from "vitest";
import { importSecLang, type ImportOptions } from "../../src/seclang/index.js";
import type { RuleSource } from "../../src/pack/schema.js";

/** Imports one in-memory rule file. */
function load(text: string, options: ImportOptions = {}) {
  return importSecLang([{ path: "REQUEST-942-APPLICATION-ATTACK-SQLI.conf", text }], { paranoia: 4, ...options });
}

function only(text: string, options: ImportOptions = {}): RuleSource {
  const r = load(text, options);
  expect(r.unsupported).toEqual([]);
  expect(r.pack.rules).toHaveLength(1);
  return r.pack.rules[0]!;
}

const CRIT = "setvar:'tx.inbound_anomaly_score_pl1=+%{tx.critical_anomaly_score}'";
const SETUP = 'SecAction "id:900,pass,setvar:tx.critical_anomaly_score=5,setvar:tx.warning_anomaly_score=3"\n';

describe("variables", () => {
  it("maps collections, keys, exclusions and regex keys", () => {
    const r = only(
      SETUP +
        `SecRule REQUEST_COOKIES|!REQUEST_COOKIES:/__utm/|REQUEST_COOKIES_NAMES|REQUEST_HEADERS:User-Agent|REQUEST_HEADERS:Referer|ARGS_NAMES|ARGS|!ARGS:token "@rx x" "id:1,phase:2,block,${CRIT}"`,
    );
    expect(r.targets).toEqual([
      { field: "cookies", except: ["/__utm/"] },
      "cookie_names",
      { field: "headers", names: ["User-Agent", "Referer"] },
      "args_names",
      "json_keys",
      { field: "args", except: ["token"] },
    ]);
  });

  it("maps the single-valued request variables", () => {
    const r = only(
      'SecRule REQUEST_FILENAME|REQUEST_BASENAME|REQUEST_URI|REQUEST_URI_RAW|REQUEST_METHOD|REQUEST_PROTOCOL|QUERY_STRING|REQUEST_BODY|FILES|FILES_NAMES|MULTIPART_PART_HEADERS|ARGS_GET|ARGS_POST_NAMES|REQUEST_HEADERS_NAMES "@rx x" "id:2"',
    );
    expect(r.targets).toEqual([
      "path", "basename", "uri", "method", "protocol", "query_string", "body", "files", "files_names",
      "multipart_headers", "args_get", "args_post_names", "json_keys", "header_names",
    ]);
  });

  it("approximates XML:/* by the body, and says so", () => {
    const r = load('SecRule ARGS|XML:/*|XML://@* "@rx x" "id:3"');
    expect(r.pack.rules[0]!.targets).toEqual(["args", "body"]);
    expect(r.notes.map((n) => n.reason)).toEqual(["XML:/* approximated by the raw request body (no XML node extraction)"]);
  });

  it("splits REQUEST_LINE into its parts only for unanchored, non-negated operators", () => {
    const ok = load('SecRule REQUEST_LINE|ARGS "@rx \\$\\{" "id:4"');
    expect(ok.pack.rules[0]!.targets).toEqual(["method", "uri", "protocol", "args"]);
    const anchored = load('SecRule REQUEST_LINE "!@rx ^GET /" "id:5"');
    expect(anchored.pack.rules).toEqual([]);
    expect(anchored.unsupported[0]).toMatchObject({ id: "5", line: 1, reason: expect.stringMatching(/^REQUEST_LINE: no request-line field kind/) });
  });

  it("keeps a rule when one variable is unsupported, noting what is not inspected", () => {
    const r = load('SecRule ARGS|REQBODY_ERROR "@rx x" "id:6"');
    expect(r.pack.rules[0]!.targets).toEqual(["args"]);
    expect(r.notes[0]!.reason).toMatch(/^not inspected: REQBODY_ERROR/);
  });

  it("turns &X > 0 into exists and reports absence tests and other counts", () => {
    const r = load(
      [
        'SecRule &REQUEST_HEADERS:Transfer-Encoding "!@eq 0" "id:7,deny"',
        'SecRule &REQUEST_HEADERS:Host "@eq 0" "id:8,deny"',
        'SecRule &REQUEST_HEADERS:Content-Type "@gt 1" "id:9,deny"',
      ].join("\n"),
    );
    expect(r.pack.rules.map((x) => [x.id, x.targets, x.operator, x.action])).toEqual([
      ["7", [{ field: "headers", names: ["Transfer-Encoding"] }], { exists: true }, "block"],
    ]);
    expect(r.unsupported.map((u) => [u.id, u.reason.split(":").slice(-1)[0]!.trim()])).toEqual([
      ["8", "an absence test cannot be expressed (a condition holds on a field that exists)"],
      ["9", 'counting entries cannot be expressed (only "exists")'],
    ]);
  });

  it("approximates MATCHED_VARS in a chain by the previous condition's targets", () => {
    const r = load('SecRule ARGS|!ARGS:x "@rx a" "id:10,chain"\n  SecRule MATCHED_VARS "!@rx ^b$"');
    expect(r.pack.rules[0]!.chain).toEqual([{ targets: [{ field: "args", except: ["x"] }], operator: { rx: "^b$" }, negate: true }]);
  });
});

describe("operators", () => {
  const op = (operator: string, options: ImportOptions = {}) => {
    const r = load(`SecAction "id:1,pass,setvar:tx.limit=400,setvar:tx.methods=GET HEAD"\nSecRule ARGS "${operator}" "id:20"`, options);
    return r.pack.rules[0] ?? r.unsupported[0] ?? r.disabled[0];
  };

  it("maps each operator family", () => {
    expect(op("@rx (?i)union\\s+select")).toMatchObject({ operator: { rx: "(?i)union\\s+select" } });
    expect(op("(?i)bare")).toMatchObject({ operator: { rx: "(?i)bare" } });
    expect(op("@pm select union  insert")).toMatchObject({ operator: { pm: ["select", "union", "insert"] } });
    expect(op("@contains ab")).toMatchObject({ operator: { contains: "ab", caseSensitive: true } });
    expect(op("@beginsWith ab")).toMatchObject({ operator: { beginsWith: "ab", caseSensitive: true } });
    expect(op("@endsWith ab")).toMatchObject({ operator: { endsWith: "ab", caseSensitive: true } });
    expect(op("@streq ab")).toMatchObject({ operator: { streq: "ab", caseSensitive: true } });
    expect(op("!@within %{tx.methods}")).toMatchObject({ operator: { within: "GET HEAD", caseSensitive: true }, negate: true });
    expect(op("@gt %{tx.limit}")).toMatchObject({ operator: { gt: 400 } });
    expect(op("@ipMatch 10.0.0.0/8,::1")).toMatchObject({ operator: { ipMatch: ["10.0.0.0/8", "::1"] } });
    expect(op("@detectSQLi")).toMatchObject({ operator: { detectSQLi: true } });
    expect(op("@detectXSS")).toMatchObject({ operator: { detectXSS: true } });
    expect(op("@validateUrlEncoding")).toMatchObject({ operator: { validateUrlEncoding: true } });
    expect(op("@validateUtf8Encoding")).toMatchObject({ operator: { validateUtf8: true } });
    expect(op("!@validateByteRange 32-36, 38-126")).toMatchObject({ operator: { byteRange: "32-36,38-126" }, negate: true });
    expect(op("@unconditionalMatch")).toMatchObject({ operator: { always: true } });
  });

  it("reads @pmFromFile data next to the rules and inlines it", () => {
    const r = op("@pmFromFile words.data", { dataFiles: { "words.data": "# comment\nselect\n\n union \n" } });
    expect(r).toMatchObject({ operator: { pm: ["select", "union"] } });
  });

  it("reports what it cannot express, with the reason", () => {
    expect(op("@rbl sbl.example")).toMatchObject({ id: "20", reason: "@rbl needs a DNS lookup per request" });
    expect(op("@streq %{request_headers.host}")).toMatchObject({ reason: '@streq argument "%{request_headers.host}" uses a per-request macro' });
    expect(op("@pmFromFile missing.data", { dataFiles: {} })).toMatchObject({ reason: expect.stringMatching(/^@pmfromfile missing\.data: /) });
    expect(op("@gt abc")).toMatchObject({ reason: '@gt "abc": not an integer' });
    expect(op("@noMatch")).toMatchObject({ reason: "@nomatch can never match" });
  });
});

describe("transforms", () => {
  it("maps names case-insensitively, resets on t:none and inherits SecDefaultAction", () => {
    const r = load(
      [
        'SecDefaultAction "phase:2,log,pass,t:lowercase"',
        'SecRule ARGS "@rx a" "id:30,phase:2,t:urlDecodeUni,t:utf8toUnicode,t:normalisePath,t:base64decode"',
        'SecRule ARGS "@rx a" "id:31,phase:2,t:lowercase,t:none,t:cmdLine,t:htmlEntityDecode,t:length"',
      ].join("\n"),
    );
    expect(r.pack.rules.map((x) => x.transforms)).toEqual([
      ["lowercase", "urlDecodeUni", "utf8ToUnicode", "normalizePath", "base64Decode"],
      ["cmdLine", "htmlEntityDecode", "length"],
    ]);
  });

  it("reports transforms the engine lacks", () => {
    const r = load('SecRule ARGS "@rx a" "id:32,t:none,t:sha1,t:hexEncode"');
    expect(r.unsupported).toMatchObject([{ id: "32", reason: "t:sha1 has no engine transform" }]);
  });
});

describe("actions and scoring", () => {
  it("carries id, message, tags, severity, phase and the anomaly score", () => {
    const r = only(
      SETUP +
        `SecRule ARGS "@rx a" "id:942100,phase:1,block,msg:'SQL Injection Attack',tag:'attack-sqli',tag:'paranoia-level/1',severity:'WARNING',setvar:'tx.inbound_anomaly_score_pl1=+%{tx.warning_anomaly_score}',setvar:'tx.sql_injection_score=+%{tx.warning_anomaly_score}'"`,
    );
    expect(r).toMatchObject({
      id: "942100", message: "SQL Injection Attack", family: "application-attack-sqli", tags: ["attack-sqli", "paranoia-level/1"],
      severity: "warning", phase: "headers", action: "score", score: 3, paranoia: 1,
    });
  });

  it("maps deny without a score to block, pass to log and allow to allow", () => {
    const r = load('SecRule ARGS "@rx a" "id:40,deny"\nSecRule ARGS "@rx b" "id:41,pass"\nSecRule REMOTE_ADDR "@ipMatch 10.0.0.1" "id:42,allow"');
    expect(r.pack.rules.map((x) => [x.id, x.action])).toEqual([["40", "block"], ["41", "log"], ["42", "allow"]]);
  });

  it("collects the score from the last link of a chain and keeps chain conditions", () => {
    const r = only(
      SETUP +
        `SecRule REQUEST_METHOD "@rx ^(?:GET|HEAD)$" "id:920170,phase:1,block,chain"\n  SecRule REQUEST_HEADERS:Content-Length "!@rx ^0?$" "t:none,${CRIT}"`,
    );
    expect(r).toMatchObject({
      targets: ["method"], operator: { rx: "^(?:GET|HEAD)$" }, score: 5,
      chain: [{ targets: [{ field: "headers", names: ["Content-Length"] }], operator: { rx: "^0?$" }, negate: true }],
    });
  });

  it("turns the inbound blocking evaluation into the pack threshold (options win)", () => {
    const text =
      'SecAction "id:901,pass,setvar:tx.inbound_anomaly_score_threshold=7"\n' +
      'SecRule TX:BLOCKING_INBOUND_ANOMALY_SCORE "@ge %{tx.inbound_anomaly_score_threshold}" "id:949110,phase:2,deny,log"';
    expect(load(text).pack.threshold).toBe(7);
    expect(load(text, { inboundThreshold: 10 }).pack.threshold).toBe(10);
    expect(load("").pack.threshold).toBe(5);
    const crs =
      'SecRule TX:BLOCKING_INBOUND_ANOMALY_SCORE "@ge %{tx.inbound_anomaly_score_threshold}" "id:949111,phase:1,deny,chain"\n' +
      '  SecRule TX:EARLY_BLOCKING "@eq 1"\n' +
      'SecRule TX:BLOCKING_INBOUND_ANOMALY_SCORE "@ge %{tx.inbound_anomaly_score_threshold}" "id:949110,phase:2,deny"';
    const r = load(crs, { tx: { inbound_anomaly_score_threshold: 12, early_blocking: 0 } });
    expect(r.pack.threshold).toBe(12);
    expect(r.configuration.map((c) => c.reason)).toEqual([
      "blocking evaluation that never fires: TX:EARLY_BLOCKING does not hold",
      "inbound blocking evaluation → pack threshold 12",
    ]);
  });
});

describe("configuration and paranoia", () => {
  const gated = [
    'SecRule TX:DETECTION_PARANOIA_LEVEL "@lt 1" "id:942011,phase:1,pass,nolog,skipAfter:END-942"',
    'SecRule ARGS "@rx one" "id:942100"',
    'SecRule TX:DETECTION_PARANOIA_LEVEL "@lt 2" "id:942013,phase:1,pass,nolog,skipAfter:END-942"',
    'SecRule ARGS "@rx two" "id:942200"',
    'SecRule TX:DETECTION_PARANOIA_LEVEL "@lt 3" "id:942015,phase:1,pass,nolog,skipAfter:END-942"',
    'SecRule ARGS "@rx three" "id:942300"',
    'SecRule TX:DETECTION_PARANOIA_LEVEL "@lt 4" "id:942017,phase:1,pass,nolog,skipAfter:END-942"',
    'SecRule ARGS "@rx four" "id:942400"',
    'SecMarker "END-942"',
    'SecRule ARGS "@rx after" "id:943100"',
  ].join("\n");

  it("derives each rule's paranoia level from its skipAfter section", () => {
    const r = load(gated, { paranoia: 4 });
    expect(r.pack.rules.map((x) => [x.id, x.paranoia])).toEqual([["942100", 1], ["942200", 2], ["942300", 3], ["942400", 4], ["943100", 1]]);
  });

  it("leaves out rules above the configured paranoia, listing them", () => {
    const r = load(gated, { paranoia: 2 });
    expect(r.pack.rules.map((x) => x.id)).toEqual(["942100", "942200", "943100"]);
    expect(r.disabled.map((d) => [d.id, d.reason])).toEqual([
      ["942300", "paranoia level 3 is above the configured detection paranoia level 2"],
      ["942400", "paranoia level 4 is above the configured detection paranoia level 2"],
    ]);
  });

  it("evaluates TX-only rules at import: defaults, options, skipAfter", () => {
    const text = [
      'SecRule &TX:arg_length "@eq 0" "id:901100,pass,setvar:tx.arg_length=0"',
      'SecRule &TX:skip_it "@eq 1" "id:901101,pass,skipAfter:END-SKIP"',
      'SecRule ARGS "@rx skipped" "id:920001"',
      "SecMarker END-SKIP",
      'SecRule &TX:ARG_LENGTH "@eq 1" "id:920380,phase:2,deny,chain"',
      '  SecRule ARGS "@gt %{tx.arg_length}" "t:none,t:length"',
    ].join("\n");
    const withDefaults = load(text);
    expect(withDefaults.pack.rules.map((x) => [x.id, x.operator])).toEqual([["920001", { rx: "skipped" }], ["920380", { gt: 0 }]]);
    const configured = load(text, { tx: { arg_length: 400, skip_it: 1 } });
    expect(configured.pack.rules.map((x) => [x.id, x.operator, x.transforms, x.chain])).toEqual([["920380", { gt: 400 }, ["length"], undefined]]);
    expect(configured.disabled).toMatchObject([{ id: "920001", reason: "skipped: 901101 jumps to marker END-SKIP under this configuration" }]);
    expect(configured.configuration.map((c) => c.id)).toEqual(["901100", "901101"]);
  });

  it("reports rules that read TX set per request or regex captures", () => {
    const r = load(
      [
        `SecRule ARGS "@rx (a)" "id:50,capture,pass,setvar:'tx.seen=%{tx.1}'"`,
        'SecRule TX:seen "@rx a" "id:51,deny"',
        'SecRule ARGS "@rx (a)(b)" "id:52,capture,chain"',
        '  SecRule TX:1 "@contains %{tx.2}"',
      ].join("\n"),
    );
    expect(r.unsupported.map((u) => [u.id, u.reason])).toEqual([
      ["51", "reads TX:seen, set per request by other rules"],
      ["52", "reads a regex capture (TX:1) of an earlier condition"],
    ]);
  });

  it("removes rules and updates targets, lists harmless directives as ignored", () => {
    const r = load(
      [
        "SecRuleEngine On",
        'SecRule ARGS "@rx a" "id:60,tag:\'attack-x\'"',
        'SecRule ARGS "@rx b" "id:61"',
        'SecRule ARGS "@rx c" "id:62"',
        'SecRule ARGS "@rx d" "id:63"',
        "SecRuleRemoveById 61 70-80",
        "SecRuleRemoveByTag attack-x",
        'SecRuleUpdateTargetById 62 "!ARGS:password"',
        "SecFrobnicate On",
      ].join("\n"),
    );
    expect(r.pack.rules.map((x) => [x.id, x.targets])).toEqual([["62", [{ field: "args", except: ["password"] }]], ["63", ["args"]]]);
    expect(r.disabled.map((d) => d.id).sort()).toEqual(["60", "61"]);
    expect(r.ignored).toEqual([{ directive: "SecRuleEngine", file: "REQUEST-942-APPLICATION-ATTACK-SQLI.conf", line: 1 }]);
    expect(r.unsupported).toMatchObject([{ reason: "directive SecFrobnicate is not supported", line: 9 }]);
  });

  it("reports silent rules that only set TX or apply ctl at run time", () => {
    const r = load(
      [
        `SecRule ARGS_NAMES "." "id:921170,phase:2,pass,nolog,setvar:'tx.paramcounter_%{MATCHED_VAR_NAME}=+1'"`,
        `SecRule REQUEST_FILENAME "@beginsWith /admin" "id:1000,phase:1,pass,nolog,ctl:requestBodyProcessor=JSON"`,
      ].join("\n"),
    );
    expect(r.pack.rules).toEqual([]);
    expect(r.unsupported.map((u) => [u.id, u.reason])).toEqual([
      ["921170", "only sets TX variables for other rules (nolog, no score): nothing to report on its own"],
      ["1000", "only changes how this request is processed (ctl:requestBodyProcessor=JSON): nothing to report on its own"],
    ]);
  });

  it("reports response-phase rules and never drops a rule silently", () => {
    const text = 'SecRule ARGS "@rx a" "id:70,phase:4"\nSecRule ARGS "@rx b" "id:71"\nSecRule ARGS "@noMatch" "id:72"';
    const r = load(text);
    const seen = [...r.pack.rules.map((x) => x.id), ...r.unsupported.map((u) => u.id), ...r.disabled.map((d) => d.id)].sort();
    expect(seen).toEqual(["70", "71", "72"]);
    expect(r.unsupported[0]!.reason).toBe("phase 4 inspects the response; this engine inspects requests");
  });
});

describe("CRS idioms", () => {
  it("emits multiMatch rules once per transform prefix, named ID#tN", () => {
    const r = load('SecRule ARGS "@rx eval\\(" "id:934100,multiMatch,t:none,t:urlDecodeUni,t:base64Decode"');
    expect(r.pack.rules.map((x) => [x.id, x.transforms])).toEqual([
      ["934100", ["urlDecodeUni", "base64Decode"]],
      ["934100#t0", undefined],
      ["934100#t1", ["urlDecodeUni"]],
    ]);
    expect(load('SecRule ARGS "@rx a" "id:1,multiMatch,t:lowercase"', { multiMatch: "final" }).pack.rules).toHaveLength(1);
  });

  it("removes every multiMatch copy with SecRuleRemoveById", () => {
    const r = load('SecRule ARGS "@rx a" "id:934100,multiMatch,t:lowercase"\nSecRuleRemoveById 934100');
    expect(r.pack.rules).toEqual([]);
  });

  it("lets MATCHED_VARS see the value as the previous condition transformed it", () => {
    const r = load('SecRule ARGS "@rx x" "id:944120,t:none,t:lowercase,chain"\n  SecRule MATCHED_VARS "@rx processbuilder"');
    expect(r.pack.rules[0]!.chain).toEqual([{ targets: ["args"], transforms: ["lowercase"], operator: { rx: "processbuilder" } }]);
  });

  it("folds a captured value tested with @within back into the capturing regex", () => {
    const text = [
      'SecAction "id:900,pass,setvar:\'tx.restricted_extensions=.bak/ .conf/ .sql/\',setvar:\'tx.allowed=|text/xml| |application/json|\'"',
      'SecRule REQUEST_BASENAME "@rx \\.([^.]+)$" "id:920440,capture,t:none,t:urlDecodeUni,setvar:\'tx.extension=.%{tx.1}/\',chain"',
      '  SecRule TX:EXTENSION "@within %{tx.restricted_extensions}" "t:none,t:lowercase"',
      'SecRule REQUEST_HEADERS:Content-Type "@rx ^[^;\\s]+" "id:920420,capture,t:none,setvar:\'tx.content_type=|%{tx.0}|\',chain"',
      '  SecRule TX:content_type "!@within %{tx.allowed}" "t:lowercase"',
    ].join("\n");
    const r = load(text);
    expect(r.unsupported).toEqual([]);
    expect(r.pack.rules.map((x) => x.chain)).toEqual([
      [{ targets: ["basename"], transforms: ["urlDecodeUni"], operator: { rx: "(?i)\\.(?:bak|conf|sql)(?:[.]|$)$" } }],
      [{ targets: [{ field: "headers", names: ["Content-Type"] }], operator: { rx: "(?i)^(?:text\\/xml|application\\/json)(?:[;\\s]|$)" }, negate: true }],
    ]);
  });

  it("folds a whole-value capture stored under a per-request TX name (920450)", () => {
    const r = load(
      [
        `SecAction "id:900,pass,setvar:'tx.restricted_headers_basic=/proxy/ /lock-token/'"`,
        `SecRule REQUEST_HEADERS_NAMES "@rx ^.*$" "id:920450,capture,t:none,t:lowercase,setvar:'tx.header_name_920450_%{tx.0}=/%{tx.0}/',chain"`,
        '  SecRule TX:/^header_name_920450_/ "@within %{tx.restricted_headers_basic}"',
      ].join("\n"),
    );
    expect(r.pack.rules[0]!.chain).toEqual([{ targets: ["header_names"], transforms: ["lowercase"], operator: { rx: "^(?:proxy|lock\\-token)$" } }]);
  });

  it("folds a TX:1 regex test into the capturing regex when the group is a word run", () => {
    const r = load(String.raw`SecRule ARGS "@rx (?i)^[^']*'\s*([0-9A-Z_a-z]+)\b" "id:942521,capture,chain"` + "\n" + String.raw`  SecRule TX:1 "@rx ^(?:and|or)$"`);
    expect(r.unsupported).toEqual([]);
    expect(r.pack.rules[0]).toMatchObject({ operator: { rx: "(?i)^[^']*'\\s*(?:and|or)\\b" } });
    expect(r.pack.rules[0]!.chain).toBeUndefined();
  });

  it("folds TX:1 [!]@streq %{TX.2} into a backreference", () => {
    const eq = load(String.raw`SecRule ARGS "@rx \b(\w+)\s*=\s*(\w+)\b" "id:942130,capture,chain"` + "\n" + String.raw`  SecRule TX:1 "@streq %{TX.2}"`);
    expect(eq.pack.rules[0]).toMatchObject({ operator: { rx: String.raw`\b(\w+)\s*=\s*(\1)\b` } });
    const ne = load(String.raw`SecRule ARGS "@rx \b(\w+)\s*!=\s*(\w+)\b" "id:942131,capture,chain"` + "\n" + String.raw`  SecRule TX:1 "!@streq %{TX.2}"`);
    expect(ne.pack.rules[0]).toMatchObject({ operator: { rx: String.raw`\b(\w+)\s*!=\s*((?!\1\b)\w+)\b` } });
  });

  it("leaves XML:/* out with xml: \"skip\", saying so", () => {
    const r = load('SecRule ARGS|XML:/* "@rx x" "id:3"', { xml: "skip" });
    expect(r.pack.rules[0]!.targets).toEqual(["args"]);
    expect(r.notes.map((n) => n.reason)).toEqual(['not inspected: XML: no XML node fields (import option xml: "skip")']);
  });
});
