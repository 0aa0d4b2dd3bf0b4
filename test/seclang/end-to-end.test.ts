import { describe, expect, it } from "vitest";
import { FieldKind as K } from "../../src/engine/abi.js";
import { importSecLang } from "../../src/seclang/index.js";
import { loadRawEngine, type Field } from "../pack/harness.js";

const RULES = String.raw`
SecAction "id:901001,phase:1,pass,nolog,setvar:tx.critical_anomaly_score=5,setvar:tx.warning_anomaly_score=3,setvar:tx.inbound_anomaly_score_threshold=5"

SecRule TX:DETECTION_PARANOIA_LEVEL "@lt 1" "id:942011,phase:1,pass,nolog,skipAfter:END-942"

SecRule REQUEST_COOKIES|REQUEST_COOKIES_NAMES|ARGS_NAMES|ARGS|!ARGS:comment|XML:/* "@rx (?i)\bunion\b.{1,20}\bselect\b" \
    "id:942100,\
    phase:2,\
    block,\
    t:none,t:urlDecodeUni,t:lowercase,\
    msg:'SQL Injection: union select',\
    severity:'CRITICAL',\
    setvar:'tx.inbound_anomaly_score_pl1=+%{tx.critical_anomaly_score}'"

SecRule REQUEST_HEADERS:User-Agent "@pm sqlmap nikto" \
    "id:913100,phase:1,block,t:none,t:lowercase,msg:'Scanner',severity:'CRITICAL',\
    setvar:'tx.inbound_anomaly_score_pl1=+%{tx.critical_anomaly_score}'"

SecRule REQUEST_METHOD "@streq GET" "id:920170,phase:1,block,msg:'GET with body',chain"
    SecRule REQUEST_HEADERS:Content-Length "!@rx ^0?$" \
        "t:none,setvar:'tx.inbound_anomaly_score_pl1=+%{tx.warning_anomaly_score}'"

SecRule TX:DETECTION_PARANOIA_LEVEL "@lt 2" "id:942013,phase:1,pass,nolog,skipAfter:END-942"

SecRule ARGS "@rx (?i)sleep\(" "id:942200,phase:2,block,t:none,msg:'sleep',severity:'CRITICAL',\
    setvar:'tx.inbound_anomaly_score_pl2=+%{tx.critical_anomaly_score}'"

SecMarker "END-942"

SecRule TX:BLOCKING_INBOUND_ANOMALY_SCORE "@ge %{tx.inbound_anomaly_score_threshold}" "id:949110,phase:2,deny,log"
`;

const imported = importSecLang([{ path: "REQUEST-942-TEST.conf", text: RULES }], { paranoia: 4 });
const engine = loadRawEngine(imported.pack, { onUnsupported: "skip" });

function fired(fields: Field[], paranoia = 4): string[] {
  return engine.inspect(fields, { paranoia }).matches.map((m) => m.rule.split("#")[0]!).sort();
}

describe("SecLang → pack → engine", () => {
  it("imports every rule", () => {
    expect(imported.unsupported).toEqual([]);
    expect(imported.pack.rules.map((r) => r.id)).toEqual(["942100", "913100", "920170", "942200"]);
    expect(imported.pack.threshold).toBe(5);
    expect(engine.meta.report.skipped).toEqual([]);
  });

  it("fires on URL-encoded, mixed-case SQL in an argument", () => {
    expect(fired([{ kind: K.queryArg, name: "q", value: "1%20UNION%20ALL%20SeLeCt%201" }])).toEqual(["942100"]);
  });

  it("honours the !ARGS:comment exclusion but still inspects the name", () => {
    expect(fired([{ kind: K.queryArg, name: "comment", value: "union select" }])).toEqual([]);
    expect(fired([{ kind: K.bodyForm, name: "union select", value: "x" }])).toEqual(["942100"]);
  });

  it("matches phrase lists on a named header only", () => {
    expect(fired([{ kind: K.header, name: "user-agent", value: "sqlmap/1.7" }])).toEqual(["913100"]);
    expect(fired([{ kind: K.header, name: "referer", value: "sqlmap/1.7" }])).toEqual([]);
  });

  it("needs every chain condition", () => {
    expect(fired([{ kind: K.method, value: "GET" }, { kind: K.header, name: "content-length", value: "12" }])).toEqual(["920170"]);
    expect(fired([{ kind: K.method, value: "GET" }, { kind: K.header, name: "content-length", value: "0" }])).toEqual([]);
    expect(fired([{ kind: K.method, value: "POST" }, { kind: K.header, name: "content-length", value: "12" }])).toEqual([]);
  });

  it("gates paranoia-2 rules by the engine's paranoia level", () => {
    const sleep = [{ kind: K.queryArg, name: "a", value: "SLEEP(5)" }];
    expect(fired(sleep, 2)).toEqual(["942200"]);
    expect(fired(sleep, 1)).toEqual([]);
  });

  it("adds CRS anomaly scores and blocks at the imported threshold", () => {
    const out = engine.inspect(
      [{ kind: K.method, value: "GET" }, { kind: K.header, name: "content-length", value: "5" }],
      { paranoia: 4, threshold: imported.pack.threshold },
    );
    expect(out.score).toBe(3);
    expect(out.verdict).toBe(0);
    const both = engine.inspect(
      [{ kind: K.header, name: "user-agent", value: "nikto" }, { kind: K.queryArg, name: "q", value: "union select" }],
      { paranoia: 4, threshold: imported.pack.threshold },
    );
    expect(both.score).toBe(10);
    expect(both.verdict).toBe(1);
  });
});

describe("CRS idioms in the engine", () => {
  const text = [
    'SecAction "id:900,pass,setvar:\'tx.restricted_extensions=.bak/ .conf/\'"',
    'SecRule REQUEST_BASENAME "@rx \\.([^.]+)$" "id:920440,phase:1,deny,capture,t:none,t:urlDecodeUni,setvar:\'tx.extension=.%{tx.1}/\',chain"',
    '  SecRule TX:EXTENSION "@within %{tx.restricted_extensions}" "t:none,t:lowercase"',
    'SecRule ARGS "@rx eval\\(" "id:934100,phase:2,deny,multiMatch,t:none,t:base64Decode"',
  ].join("\n");
  const r = importSecLang([{ path: "REQUEST-920-TEST.conf", text }], { paranoia: 4 });
  const e = loadRawEngine(r.pack, { onUnsupported: "skip" });
  const ids = (fields: Field[]) => [...new Set(e.inspect(fields).matches.map((m) => m.rule.split("#")[0]!))];

  it("blocks restricted extensions through the folded capture, any case, and only whole extensions", () => {
    expect(ids([{ kind: K.basename, value: "db.BAK" }])).toEqual(["920440"]);
    expect(ids([{ kind: K.basename, value: "db.bakery" }])).toEqual([]);
    expect(ids([{ kind: K.basename, value: "index.html" }])).toEqual([]);
  });

  it("catches a multiMatch value before and after decoding", () => {
    expect(ids([{ kind: K.queryArg, name: "a", value: "eval(1)" }])).toEqual(["934100"]);
    expect(ids([{ kind: K.queryArg, name: "a", value: Buffer.from("eval(1)").toString("base64") }])).toEqual(["934100"]);
  });
});
