// SecLang runtime exclusions (ctl:ruleRemove… rules on the path and method) → engine routes
// (src/seclang/exclusions.ts): what the import makes of CRS's documented exclusion idioms
// (REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf.example), and that an engine given those routes
// inspects as ModSecurity would with the exclusions applied.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Wafer } from "../../src/engine/engine.js";
import type { RouteExclusion } from "../../src/engine/options.js";
import { compilePack } from "../../src/pack/compile.js";
import { importSecLang } from "../../src/seclang/index.js";
import { engineModule } from "../support/wasm.js";

const CRIT = "setvar:'tx.inbound_anomaly_score_pl1=+5'";
const DETECTION = String.raw`
SecRule ARGS "@rx (?i)union\s+select" "id:942100,phase:2,block,t:none,msg:'SQLi union',tag:'attack-sqli',tag:'OWASP_CRS',${CRIT}"
SecRule ARGS "@rx (?i)sleep\(" "id:942160,phase:2,block,t:none,msg:'SQLi sleep',tag:'attack-sqli',tag:'OWASP_CRS',${CRIT}"
SecRule ARGS|REQUEST_FILENAME "@rx (?i)<script" "id:941110,phase:2,block,t:none,msg:'XSS script tag',tag:'attack-xss',tag:'xss-perf-disable',tag:'OWASP_CRS',${CRIT}"
`;

/** Imports exclusion rules (before the detection rules, as REQUEST-900 comes before CRS). */
function load(exclusions: string) {
  return importSecLang([{ path: "REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf", text: exclusions }, { path: "REQUEST-94X.conf", text: DETECTION }], { paranoia: 4 });
}
const routesOf = (exclusions: string) => {
  const r = load(exclusions);
  expect(r.unsupported).toEqual([]);
  return r.routes.map((x) => x.route);
};

describe("ctl:ruleRemove… rules become routes", () => {
  it("ruleRemoveTargetById on REQUEST_URI @beginsWith: a prefix route keeping the rule off the argument", () => {
    const routes = routesOf(`SecRule REQUEST_URI "@beginsWith /index.php" "id:1001,phase:1,pass,nolog,ctl:ruleRemoveTargetById=942100;ARGS:password"`);
    expect(routes).toEqual([{ path: "/index.php", rules: ["942100"], targets: [{ field: "args", names: ["password"] }] }]);
  });

  it("@beginsWith with a literal * stays a RegExp route (a route string with * would be a glob)", () => {
    const routes = routesOf(`SecRule REQUEST_FILENAME "@beginsWith /a*b" "id:1003,phase:1,pass,nolog,ctl:ruleRemoveById=942100"`);
    expect(routes).toEqual([{ path: /^\/a\*b/, rules: ["942100"] }]);
  });

  it("ruleRemoveTargetByTag on REQUEST_FILENAME @endsWith: a RegExp route by tag", () => {
    const routes = routesOf(`SecRule REQUEST_FILENAME "@endsWith /wp-login.php" "id:1002,phase:2,pass,nolog,ctl:ruleRemoveTargetByTag=attack-sqli;ARGS:pwd"`);
    expect(routes).toEqual([{ path: /\/wp-login\.php$/, tags: ["attack-sqli"], targets: [{ field: "args", names: ["pwd"] }] }]);
  });

  it("ruleRemoveById with a range, resolved against the imported rules; ids, tags and messages in one route", () => {
    const routes = routesOf(
      `SecRule REQUEST_FILENAME "@beginsWith /admin" "id:1004,phase:2,pass,nolog,ctl:ruleRemoveById=941000-941999,ctl:ruleRemoveById=999,ctl:ruleRemoveByTag=attack-sqli,ctl:ruleRemoveByMsg=SQLi sleep"`,
    );
    expect(routes).toEqual([{ path: "/admin", rules: ["941110", "999", "942160"], tags: ["attack-sqli"] }]);
  });

  it("a chain on the method and the path, and ruleEngine=Off (every rule off)", () => {
    const routes = routesOf(
      `SecRule REQUEST_METHOD "@pm GET HEAD" "id:1005,phase:1,pass,nolog,chain"
         SecRule REQUEST_FILENAME "@streq /health" "t:none,t:lowercase,ctl:ruleEngine=Off"`,
    );
    expect(routes).toEqual([{ path: /^\/health$/i, methods: ["GET", "HEAD"], rules: ["942100", "942160", "941110"] }]);
  });

  it("@rx (translated for the host RegExp) alone, and ANDed with a negated @beginsWith", () => {
    const [alone] = routesOf(`SecRule REQUEST_FILENAME "@rx ^/wp-json/wp/v[0-9]+/" "id:1006,phase:1,pass,nolog,ctl:ruleRemoveById=942100"`);
    expect(["/wp-json/wp/v2/posts", "/wp-json/wp/vx/", "/a/wp-json/wp/v2/"].map((p) => (alone!.path as RegExp).test(p))).toEqual([true, false, false]);
    const [both] = routesOf(
      `SecRule REQUEST_FILENAME "@rx \.php$" "id:1007,phase:1,pass,nolog,chain"
         SecRule REQUEST_FILENAME "!@beginsWith /admin/" "ctl:ruleRemoveById=942100"`,
    );
    expect(["/index.php", "/admin/index.php", "/index.phpx"].map((p) => (both!.path as RegExp).test(p))).toEqual([true, false, false]);
  });

  it("CRS 941010: a path holding only plain bytes keeps xss-perf-disable rules off REQUEST_FILENAME", () => {
    const imported = load(
      `SecRule REQUEST_FILENAME "!@validateByteRange 20,45-47,48-57,65-90,95,97-122" "id:941010,phase:1,pass,t:none,nolog,ctl:ruleRemoveTargetByTag=xss-perf-disable;REQUEST_FILENAME"`,
    );
    const [route] = imported.routes.map((r) => r.route);
    expect(route).toMatchObject({ tags: ["xss-perf-disable"], targets: ["path"] });
    const test = (path: string) => (route!.path as RegExp).test(path);
    expect(test("/plain/path-1_x")).toBe(true);
    expect(test("/a<script")).toBe(false);
  });

  it("refuses what a route cannot say, with the reason", () => {
    const r = load(
      [
        `SecRule REMOTE_ADDR "@ipMatch 10.0.0.0/8" "id:2001,phase:1,pass,nolog,ctl:ruleRemoveById=942100"`,
        `SecRule REQUEST_FILENAME "@beginsWith /api" "id:2002,phase:1,pass,nolog,ctl:ruleRemoveTargetById=942100;ARGS:/^json\\./"`,
        `SecRule REQUEST_FILENAME "@beginsWith /api" "id:2003,phase:1,pass,nolog,ctl:ruleEngine=DetectionOnly"`,
        `SecRule REQUEST_FILENAME "@beginsWith /api" "id:2004,phase:1,pass,nolog,t:base64Decode,ctl:ruleRemoveById=942100"`,
        `SecRule REQUEST_URI "@streq /a?b=1" "id:2005,phase:1,pass,nolog,ctl:ruleRemoveById=942100"`,
      ].join("\n"),
    );
    expect(r.routes).toEqual([]);
    expect(r.unsupported.map((u) => [u.id, u.reason])).toEqual([
      ["2001", "runtime exclusion (ctl:ruleRemoveById=942100) not imported: its condition on REMOTE_ADDR cannot be a route (routes match the path and the method)"],
      ["2002", "runtime exclusion (ctl:ruleRemoveTargetById=942100;ARGS:/^json\\./) not imported: ctl:ruleRemoveTargetById=942100;ARGS:/^json\\./: ARGS:/^json\\./: a regex name (route targets take exact names)"],
      ["2003", "runtime exclusion (ctl:ruleEngine=DetectionOnly) not imported: ctl:ruleEngine=DetectionOnly (a per-route mode) has no route equivalent: use an adapter route's mode"],
      ["2004", "runtime exclusion (ctl:ruleRemoveById=942100) not imported: t:base64decode on REQUEST_FILENAME has no route equivalent"],
      ["2005", "runtime exclusion (ctl:ruleRemoveById=942100) not imported: REQUEST_URI @streq tests the query string (routes see the path)"],
    ]);
  });
});

describe("an engine given the imported routes", () => {
  const imported = load(
    [
      `SecRule REQUEST_URI "@beginsWith /index.php" "id:1001,phase:1,pass,nolog,ctl:ruleRemoveTargetById=942100;ARGS:password"`,
      `SecRule REQUEST_FILENAME "@endsWith /wp-login.php" "id:1002,phase:2,pass,nolog,ctl:ruleRemoveTargetByTag=attack-sqli;ARGS:pwd"`,
      `SecRule REQUEST_FILENAME "@beginsWith /index.php/admin" "id:1003,phase:2,pass,nolog,ctl:ruleRemoveById=941110"`,
    ].join("\n"),
  );
  const { image } = compilePack(imported.pack);
  const wafer = new Wafer(engineModule(), image, { mode: "monitor", routes: imported.routes.map((r) => r.route) });
  const fired = (url: string) => wafer.inspectSync({ method: "GET", url, headers: {}, body: null }).matches.map((m) => `${m.rule}@${m.field.name ?? m.field.kind}`).sort();
  const sqli = "1%20union%20select%201";

  it("applies each exclusion where its condition holds, and only there", () => {
    expect(fired(`/index.php?password=${sqli}`)).toEqual([]);
    expect(fired(`/index.php?user=${sqli}`)).toEqual(["942100@user"]);
    expect(fired(`/other?password=${sqli}`)).toEqual(["942100@password"]);
    // By tag: every attack-sqli rule leaves pwd alone on /wp-login.php.
    expect(fired(`/blog/wp-login.php?pwd=${sqli}%20sleep(5)`)).toEqual([]);
    expect(fired(`/blog/wp-login.php?log=sleep(5)`)).toEqual(["942160@log"]);
  });

  it("adds up exclusions whose conditions hold together, as ModSecurity does", () => {
    // 1001 and 1003 both hold: password is off for 942100, and 941110 is off entirely.
    expect(fired(`/index.php/admin?password=${sqli}&q=%3Cscript%3E`)).toEqual([]);
    expect(fired(`/index.php?password=${sqli}&q=%3Cscript%3E`)).toEqual(["941110@q"]);
  });
});

describe("path conditions as route paths (property)", () => {
  /** ModSecurity's reading of one operator on the path (REQUEST_FILENAME), case-sensitive. */
  const modsec = (op: string, arg: string, path: string): boolean => {
    switch (op) {
      case "streq":
        return path === arg;
      case "beginsWith":
        return path.startsWith(arg);
      case "endsWith":
        return path.endsWith(arg);
      case "contains":
        return path.includes(arg);
      case "within":
        return arg.split(/\s+/).filter(Boolean).includes(path);
      default:
        throw new Error(op);
    }
  };
  const routeMatches = (path: RouteExclusion["path"], p: string) =>
    typeof path === "string" ? p.startsWith(path) : typeof path === "function" ? path(p, "GET") : path.test(p);
  // Paths and arguments from a small alphabet, with RegExp metacharacters, so they collide often.
  const text = fc.string({ unit: fc.constantFrom("/", "a", "b", ".", "*", "?", "(", "[", "\\", "$", "^", "-", " "), maxLength: 8 });
  const condition = fc.record({ op: fc.constantFrom("streq", "beginsWith", "endsWith", "contains", "within"), arg: text, negate: fc.boolean() });

  it("hold exactly where every condition of the rule holds on the path", () => {
    const seen = { holds: 0, fails: 0 };
    fc.assert(
      fc.property(fc.array(condition, { minLength: 1, maxLength: 3 }), fc.array(text, { minLength: 1, maxLength: 6 }), (conditions, paths) => {
        // A non-empty argument; spaces only in @within's list; no trailing backslash (it would escape the quote).
        fc.pre(conditions.every((c) => c.arg.trim() !== "" && !c.arg.trim().endsWith("\\") && (c.op === "within" || !/\s/.test(c.arg.trim()))));
        const links = conditions.map((c, i) => `SecRule REQUEST_FILENAME "${c.negate ? "!" : ""}@${c.op} ${c.arg.trim()}" "${i === 0 ? "id:1,phase:1,pass,nolog," : ""}${i < conditions.length - 1 ? "chain" : "ctl:ruleRemoveById=942100"}"`);
        const imported = load(links.join("\n"));
        expect(imported.unsupported).toEqual([]);
        const [route] = imported.routes.map((r) => r.route);
        for (const p of paths) {
          const expected = conditions.every((c) => modsec(c.op, c.arg.trim(), p) !== c.negate);
          seen[expected ? "holds" : "fails"]++;
          expect(routeMatches(route!.path, p), `${links.join(" / ")} on ${JSON.stringify(p)}`).toBe(expected);
        }
      }),
      { numRuns: 400 },
    );
    // Not vacuous: both outcomes came up often.
    expect(seen.holds).toBeGreaterThan(100);
    expect(seen.fails).toBeGreaterThan(100);
  });
});
