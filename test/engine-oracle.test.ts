// The whole inspect loop against a naive model (test/support/pack-oracle.ts): a pack's rules
// (the default pack's, and Datadog's recommended ruleset as importDdwaf converts it), each on
// every field part it targets with its whole transform chain, judged by the host. The engine reaches the same rules through its fast paths — one literal walk per
// distinct transformed input, classes folded into the raw walk or onto another class,
// deleting walks, walk gates, skipped transforms, the word-only detector skip, plan memos,
// name ids, the verdict cache — and must fire exactly the rules the model says fire.
//
// Requests: a sample of the benign corpus, then generated ones: a benign request with attack
// payloads (every default-pack rule's own `examples.match`) put into random fields, cased,
// spaced, split, percent-encoded and padded past the engine's length thresholds at random.
// ORACLE_RUNS and ORACLE_SEED run a longer or another campaign (.ci/run runs a longer one).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { importDdwaf } from "../src/ddwaf/import.js";
import { Wafer } from "../src/engine/engine.js";
import { loadConfirmAutomata } from "../src/engine/confirm-registry.js";
import type { RouteExclusion } from "../src/engine/options.js";
import { compilePack } from "../src/pack/compile.js";
import type { RuleSource, TargetSource } from "../src/pack/schema.js";
import { compilePackFrom, loadPackSource } from "../src/pack/source-loader.js";
import type { PlainRequest } from "../src/request/types.js";
import { oracleDifferences, packOracle, type ModelExclusion, type PackOracle } from "./support/pack-oracle.js";
import { engineModule } from "./support/wasm.js";

// Imported rule sets have regexes over the DFA budget: their lazy DFA's code loads on demand.
await loadConfirmAutomata();

const root = fileURLToPath(new URL("..", import.meta.url));
const core = loadPackSource(`${root}signatures/core`);
/** The default pack's rules: their examples are the attack payloads of every pack's campaign. */
const coreRules = core.source.rules as RuleSource[];

interface PackUnderTest {
  name: string;
  rules: RuleSource[];
  image: Uint8Array;
  readDataFile?: (name: string) => string;
  /** Rules the compiler took (the rest are not in the image). */
  compiledIds?: Set<string>;
  /** Share of its rules the campaign must see fire: the test is not vacuous. */
  reach: number;
  /** Generated requests (ORACLE_RUNS overrides). */
  runs: number;
}

const ddwafRecommended = (): PackUnderTest => {
  const path = createRequire(import.meta.url).resolve("dd-trace/packages/dd-trace/src/appsec/recommended.json");
  const { pack } = importDdwaf(JSON.parse(readFileSync(path, "utf8")));
  const { image, report } = compilePack(pack, { onUnsupported: "skip" });
  const skipped = new Set(report.skipped.map((s) => s.rule));
  return { name: "Datadog's recommended ruleset, imported", rules: pack.rules as RuleSource[], image, compiledIds: new Set(pack.rules.map((r) => r.id).filter((id) => !skipped.has(id))),
    // The payloads are the default pack's examples: many Datadog rules read what they never
    // reach (scanner headers, the method, specific parameters), so a lower floor.
    reach: 0.08, runs: 250 };
};

const packs: PackUnderTest[] = [
  { name: "the default pack", rules: coreRules, image: compilePackFrom(`${root}signatures/core`).image, readDataFile: core.readDataFile, reach: 0.8, runs: 400 },
  ddwafRecommended(),
];

interface CorpusRecord { method: string; uri: string; headers: [string, string][]; body: string | null }
const corpus: PlainRequest[] = readFileSync(`${root}test/corpora/benign-requests.jsonl`, "utf8").trim().split("\n")
  .map((line) => JSON.parse(line) as CorpusRecord)
  .map((r) => ({ method: r.method, url: r.uri, headers: r.headers, body: r.body }));


describe.each(packs)("the inspect loop fires exactly the rules the naive model fires: $name", ({ rules, image, readDataFile, compiledIds, reach, runs }) => {
  const oracles = new Map<number, PackOracle>();
  const oracleAt = (paranoia: number) => {
    let o = oracles.get(paranoia);
    if (!o) oracles.set(paranoia, (o = packOracle(rules, { paranoia, readDataFile, compiledIds })));
    return o;
  };

  /** Every rule the engine fired, and the rule verdicts the model could not give, over the campaign: its reach. */
  const firedAnywhere = new Set<string>();
  let unsureVerdicts = 0;
  let judgements = 0;

  /**
   * How the engine's rules differ from the model's (unsure rules aside), or undefined for a
   * request the engine cut at a limit: the model reads every byte, so that one proves nothing.
   */
  function compare(wafer: Wafer, paranoia: number, request: PlainRequest): string[] | undefined {
    const decision = wafer.inspectSync(request);
    if (decision.truncated.length > 0) return undefined;
    const fired = new Set(decision.matches.map((m) => m.rule));
    const verdict = oracleAt(paranoia).expect(request);
    for (const id of fired) firedAnywhere.add(id);
    judgements++;
    unsureVerdicts += verdict.unsure.size;
    return oracleDifferences(fired, verdict);
  }

  function engines(paranoia: 1 | 2 | 3 | 4): Wafer[] {
    return [false, true].map((verdictCache) => new Wafer(engineModule(), image, { mode: "monitor", paranoia, verdictCache }));
  }

  it("on the benign corpus (every 6th request), at paranoia 4 and 1, twice over (memos and caches warm)", () => {
    for (const paranoia of [4, 1] as const) {
      const wafers = engines(paranoia);
      const differences: string[] = [];
      for (let pass = 0; pass < 2; pass++) {
        for (let i = 0; i < corpus.length; i += 6) {
          for (const wafer of wafers) {
            const problems = compare(wafer, paranoia, corpus[i]!);
            expect(problems, `request ${i} was cut at a limit`).toBeDefined();
            if (problems!.length > 0) differences.push(`paranoia ${paranoia}, request ${i}: ${problems!.join(", ")}`);
          }
        }
      }
      expect(differences.slice(0, 20)).toEqual([]);
    }
  });

  const campaign = Number(process.env.ORACLE_RUNS ?? runs);
  // Generated requests: a benign corpus request with attack payloads placed into it.
  const spacing = fc.constantFrom("", " ", "  ", "\t", "\n", "+", "%20", "\u00a0", "/**/");
  const padding = fc.constantFrom(0, 40, 70, 600, 5000);
  const filler = fc.constantFrom("lorem ipsum ", "a", "x=1&", " ", "%41", "AbC+", "..", "\u00e9t\u00e9 ");
  /** Placements that put text where a target reads it (one per target name the pack uses). */
  const placementsFor: Record<string, string[]> = {
    args: ["query value", "form", "json"], args_get: ["query value"], args_post: ["form", "json"], query_string: ["query value"],
    uri: ["query value", "path"], path: ["path"], basename: ["path"], args_names: ["query name"], args_get_names: ["query name"],
    args_post_names: ["query name"], json_keys: ["json key"], cookies: ["cookie"], cookie_names: ["cookie name"], files: ["file name"],
    headers: ["header", "user-agent", "referer"], header_names: ["header name"], body: ["text body"], method: ["method"],
  };
  const everywhere = [...new Set(Object.values(placementsFor).flat())];
  /** A rule's own example, shaped, and where to put it: mostly a field the rule reads, sometimes anywhere. */
  const payload = fc.record({
    rule: fc.constantFrom(...coreRules.filter((r) => (r.examples?.match ?? []).length > 0)),
    pick: fc.nat(),
    anywhere: fc.constantFrom(false, false, true),
    spot: fc.nat(),
    /** Where spacing goes inside the payload too ("sys tem(": what removeWhitespace and compressWhitespace undo). */
    splits: fc.oneof({ weight: 2, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(fc.nat(), { minLength: 1, maxLength: 2 }) }),
    casing: fc.constantFrom("as is", "upper", "mixed"),
    encoding: fc.constantFrom("none", "percent", "double percent"),
    space: spacing,
    before: padding,
    after: padding,
    fill: filler,
  }).map(({ rule, pick, anywhere, spot, splits, casing, encoding, space, before, after, fill }) => {
    const examples = rule.examples!.match!;
    let p = examples[pick % examples.length]!;
    p = casing === "upper" ? p.toUpperCase() : casing === "mixed" ? [...p].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join("") : p;
    p = p.split(" ").join(space);
    for (const at of splits) p = p.slice(0, at % (p.length + 1)) + space + p.slice(at % (p.length + 1));
    if (encoding === "percent") p = encodeURIComponent(p);
    else if (encoding === "double percent") p = encodeURIComponent(encodeURIComponent(p));
    const pad = (n: number) => fill.repeat(Math.ceil(n / fill.length)).slice(0, n);
    const own = rule.targets.flatMap((t) => {
      const name = typeof t === "string" ? t : t.field;
      const named = typeof t === "string" ? undefined : t.names?.[0];
      return named && name === "headers" ? [`header:${named}`] : (placementsFor[name] ?? []);
    });
    const choices = anywhere || own.length === 0 ? everywhere : own;
    return [choices[spot % choices.length]!, pad(before) + p + pad(after)] as const;
  });
  const place = (request: PlainRequest, at: string, text: string): PlainRequest => {
    const headers = [...(request.headers as [string, string][])];
    const plainUrl = (request.url as string).split("#")[0]!;
    const join = plainUrl.includes("?") ? "&" : "?";
    const oneLine = text.replace(/[\r\n]/g, " ");
    const withBody = (type: string, body: string): PlainRequest => ({
      method: "POST", url: plainUrl, headers: [...headers.filter(([n]) => !/^content-(type|length)$/i.test(n)), ["content-type", type]], body,
    });
    if (at.startsWith("header:")) return { ...request, headers: [...headers.filter(([n]) => n.toLowerCase() !== at.slice(7)), [at.slice(7), oneLine]] };
    switch (at) {
      case "query value": return { ...request, headers, url: `${plainUrl}${join}q=${encodeURIComponent(text)}` };
      case "query name": return { ...request, headers, url: `${plainUrl}${join}${encodeURIComponent(text)}=1` };
      case "header": return { ...request, headers: [...headers, ["x-note", oneLine]] };
      case "header name": return { ...request, headers: [...headers, [`x-${oneLine.replace(/[^!#$%&'*+\-.^_`|~0-9A-Za-z]/g, "")}`, "1"]] };
      case "user-agent": return { ...request, headers: [...headers.filter(([n]) => n.toLowerCase() !== "user-agent"), ["user-agent", oneLine]] };
      case "referer": return { ...request, headers: [...headers, ["referer", `https://shop.example.com/?r=${oneLine}`]] };
      case "cookie": return { ...request, headers: [...headers, ["cookie", `pref=${encodeURIComponent(text)}`]] };
      case "cookie name": return { ...request, headers: [...headers, ["cookie", `${encodeURIComponent(text)}=1`]] };
      case "path": return { ...request, headers, url: `/files/${encodeURIComponent(text).replace(/%2F/g, "/")}` };
      case "method": return { ...request, headers, method: oneLine.replace(/[^A-Za-z]/g, "").toUpperCase() || "GET" };
      case "form": return withBody("application/x-www-form-urlencoded", `a=1&note=${encodeURIComponent(text)}`);
      case "json key": return withBody("application/json", JSON.stringify({ [text]: 1, n: 1 }));
      case "text body": return withBody("text/plain", text);
      case "file name": return withBody("multipart/form-data; boundary=XyZ", `--XyZ\r\nContent-Disposition: form-data; name="f"; filename="${oneLine.replace(/"/g, "")}"\r\nContent-Type: text/plain\r\n\r\nhi\r\n--XyZ--\r\n`);
      default: return withBody("application/json", JSON.stringify({ note: text, n: 1 }));
    }
  };
  it("on benign requests carrying attack payloads in random fields, cased, spaced, encoded and padded", () => {
    const wafers = new Map([1, 4].map((p) => [p, engines(p as 1 | 4)]));
    fc.assert(
      fc.property(
        fc.nat({ max: corpus.length - 1 }),
        fc.array(payload, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(1, 4),
        (index, placements, paranoia) => {
          const request = placements.reduce((r, [at, text]) => place(r, at, text), corpus[index]!);
          for (const wafer of wafers.get(paranoia)!) {
            // Twice: the second time the plan memo and (for names and browser headers) the verdict cache answer.
            const first = compare(wafer, paranoia, request);
            fc.pre(first !== undefined); // cut at a limit (long padding in several fields)
            expect(first, JSON.stringify(request).slice(0, 2000)).toEqual([]);
            expect(compare(wafer, paranoia, request)).toEqual([]);
          }
        },
      ),
      { numRuns: campaign, seed: Number(process.env.ORACLE_SEED ?? 20261123) },
    );
    // Not vacuous: the generated requests reached most of the pack, and the model judged
    // almost everything it was asked.
    const verdicts = judgements * rules.length;
    console.log(`engine-oracle: ${firedAnywhere.size} of ${rules.length} rules fired; ${unsureVerdicts} of ${verdicts} rule verdicts unsure`);
    expect(firedAnywhere.size).toBeGreaterThan(rules.length * reach);
    expect(unsureVerdicts).toBeLessThan(verdicts * 0.02);
  }, 60_000 + campaign * 100);
  it("with routes that keep random rules off random targets, one to three at once (engine option routes[].targets)", () => {
    const ruleIds = [...new Set(rules.filter((r) => compiledIds === undefined || compiledIds.has(r.id)).map((r) => r.id.split("#")[0]!))];
    /** Selectors over what the placements fill (src/pack/schema.ts TargetSource), names included and excluded. */
    const selector = fc.constantFrom<TargetSource>(
      "args", "args_get", "args_post", "args_names", "headers", "header_names", "cookies", "cookie_names", "uri", "path",
      "query_string", "body", "json_keys", "files", "method", { field: "args", names: ["q"] }, { field: "args", names: ["note", "a"] },
      { field: "args", except: ["q"] }, { field: "headers", names: ["user-agent"] }, { field: "headers", except: ["user-agent", "referer"] },
      { field: "headers", names: ["x-note", "referer"] }, { field: "cookies", names: ["pref"] }, { field: "args_names", except: ["q"] },
    );
    /** The selectors that read what a placement fills (so exclusions often hit the payload). */
    const coveringOf: Record<string, TargetSource[]> = {
      "query value": [{ field: "args", names: ["q"] }, "args_get", "query_string", "uri"], "query name": ["args_names"], form: ["args_post", { field: "args", names: ["note"] }],
      json: ["args"], header: [{ field: "headers", names: ["x-note"] }], "user-agent": [{ field: "headers", names: ["user-agent"] }],
      referer: ["headers"], cookie: ["cookies", { field: "cookies", names: ["pref"] }], "cookie name": ["cookie_names"], "header name": ["header_names"],
      path: ["path", "uri"], method: ["method"], "json key": ["json_keys"], "text body": ["body"], "file name": ["files"],
    };
    const exclusion = fc.record({
      all: fc.boolean(),
      /** Bits choosing, among the rules that fire without the route, the ones the route names. */
      pick: fc.nat(),
      covering: fc.array(fc.nat(), { maxLength: 3 }),
      others: fc.array(selector, { maxLength: 2 }),
    });
    let excludedAnything = 0;
    fc.assert(
      fc.property(
        fc.nat({ max: corpus.length - 1 }),
        fc.array(payload, { minLength: 1, maxLength: 3 }),
        fc.array(exclusion, { minLength: 1, maxLength: 3 }),
        /** Sometimes a route without targets as well: rules it switches off everywhere. */
        fc.option(fc.nat(), { nil: undefined }),
        fc.constantFrom<"block" | "monitor">("monitor", "block"),
        (index, placements, exclusions, wholeRules, mode) => {
          const request = placements.reduce((r, [at, text]) => place(r, at, text), corpus[index]!);
          const unrestricted = oracleAt(4).expect(request);
          const firing = [...unrestricted.fires].sort();
          const options = placements.flatMap(([at]) => coveringOf[at.startsWith("header:") ? "header" : at] ?? []);
          // Every route matches ("/", "" and a RegExp prefix): their exclusions add up.
          const paths = ["/", "", /^\//];
          const chosen: { route: RouteExclusion; model: ModelExclusion }[] = exclusions.map(({ all, pick, covering, others }, k) => {
            const named = firing.filter((_, i) => ((pick >>> (i % 31)) & 1) === 1);
            const some = named.length > 0 ? named : [ruleIds[pick % ruleIds.length]!];
            const targets = [...covering.map((c) => options[c % options.length]!).filter(Boolean), ...others];
            if (targets.length === 0) targets.push("args");
            return { route: { path: paths[k]!, targets, ...(all ? {} : { rules: some }) }, model: { rules: all ? "all" : new Set(some), targets } };
          });
          if (wholeRules !== undefined) {
            const off = [firing[wholeRules % Math.max(firing.length, 1)] ?? ruleIds[wholeRules % ruleIds.length]!];
            chosen.push({ route: { path: "/", rules: off }, model: { rules: new Set(off), targets: "everywhere" } });
          }
          const routes = chosen.map((c) => c.route);
          const oracle = oracleAt(4).expect(request, chosen.map((c) => c.model));
          if (unrestricted.fires.size > oracle.fires.size) excludedAnything++;
          for (const verdictCache of [false, true]) {
            const wafer = new Wafer(engineModule(), image, { mode, paranoia: 4, verdictCache, routes });
            const decision = wafer.inspectSync(request);
            fc.pre(decision.truncated.length === 0);
            const fired = new Set(decision.matches.map((m) => m.rule));
            // Block mode stops at the first deny: then the engine fired a part of what the model fires.
            const stoppedEarly = mode === "block" && decision.action !== "allow";
            expect(oracleDifferences(fired, oracle, stoppedEarly), `${JSON.stringify(routes.map((r) => ({ ...r, path: String(r.path) })))} ${JSON.stringify(request).slice(0, 1500)}`).toEqual([]);
          }
        },
      ),
      { numRuns: Math.ceil(campaign / 4), seed: Number(process.env.ORACLE_SEED ?? 20261123) + 1 },
    );
    // Not vacuous: the exclusions changed what fires on a good share of the requests.
    console.log(`engine-oracle routes: the exclusions kept some rule from firing on ${excludedAnything} of ${Math.ceil(campaign / 4)} requests`);
    expect(excludedAnything).toBeGreaterThan(campaign / 4 / 40);
  }, 60_000 + campaign * 100);
});
