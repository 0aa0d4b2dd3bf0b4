/**
 * A naive model of which rules of a pack fire on a request: every rule, on every field part
 * it targets, with its whole transform chain applied, and its operator judged by the host
 * (RegExp for `rx`, string search for the literal operators). No prefilter, no classes, no
 * skipped transforms, no deleting walks, gates, plan memos or verdict cache: none of the
 * engine's fast paths (assembly/inspect.ts). test/engine-oracle.test.ts holds the engine to it.
 *
 * Trusted pieces, each tested on its own: request extraction (test/request), the transforms
 * (applied one after the other through the Wasm `transformChain` export: test/transforms'
 * harness, whose tests compare them with references) and the two detectors (the Wasm
 * detectSqli / detectXss exports through test/detectors' harness, without the engine's
 * word-only skip in front of them).
 *
 * Three-valued: an `rx` rule on a transformed value that is not valid UTF-8 is "unsure"
 * (the host RegExp reads text, the automaton bytes: they may differ there by design), as is
 * `ipMatch` (not modelled). A rule fires when its operator holds on some field part it
 * targets and each chain condition holds on some field part the condition targets.
 */
import { Transform, type TransformName } from "../../src/engine/abi.js";
import { testAtCodePoints } from "../../src/engine/code-point-test.js";
import { baseRuleId, parseDataFile } from "../../src/pack/compile.js";
import type { ConditionSource, OperatorSource, RuleSource, TargetSource } from "../../src/pack/schema.js";
import { resolveTargets, type ResolvedTargets } from "../../src/pack/targets.js";
import { toHostRegExp } from "../../src/regex/index.js";
import { ArrayFieldSink } from "../../src/request/array-field-sink.js";
import { extractRequestSync } from "../../src/request/extract.js";
import type { PlainRequest } from "../../src/request/types.js";
import { detectorHarness } from "../detectors/harness.js";
import { createTransformer, latin1 } from "../transforms/harness.js";

/** true: fires; false: does not; undefined: the model cannot tell (see the file comment). */
export type Verdict = boolean | undefined;

export interface OracleResult {
  /** Rule ids (logical: `942100`, not `942100#t1`) that must fire. */
  fires: Set<string>;
  /** Rule ids the model cannot judge on this request. */
  unsure: Set<string>;
}

/**
 * A route with targets (engine option `routes`): the rules it names — every rule when
 * `rules` is "all" — do not read the field parts `targets` selects, neither with their
 * operator nor with their chain conditions; "everywhere" (a route without targets): those
 * rules do not run. Several routes add up.
 */
export interface ModelExclusion {
  rules: "all" | ReadonlySet<string>;
  targets: TargetSource[] | "everywhere";
}

export interface PackOracle {
  expect(request: PlainRequest, exclusions?: readonly ModelExclusion[]): OracleResult;
}

/**
 * How the rules an engine `fired` differ from the model's verdict: `missed <id>` for a rule
 * the model fires and the engine did not (unless `stoppedEarly`: block mode's early exit fires
 * a part of them), `extra <id>` for one the engine fired that the model neither fires nor is
 * unsure of. Empty when they agree.
 */
export function oracleDifferences(fired: ReadonlySet<string>, { fires, unsure }: OracleResult, stoppedEarly = false): string[] {
  const differences: string[] = [];
  if (!stoppedEarly) for (const id of fires) if (!fired.has(id)) differences.push(`missed ${id}`);
  for (const id of fired) if (!fires.has(id) && !unsure.has(id)) differences.push(`extra ${id}`);
  return differences;
}

type Operator = (bytes: Uint8Array) => Verdict;

interface ModelCondition {
  targets: ResolvedTargets;
  nameRegexes: (RegExp | undefined)[];
  chain: number[];
  chainKey: string;
  operator: Operator;
  negate: boolean;
}

interface ModelRule {
  id: string;
  main: ModelCondition;
  conditions: ModelCondition[];
}

interface Part {
  kind: number;
  name: string;
  part: 0 | 1;
  bytes: Uint8Array;
}

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Bytes as a one-char-per-byte string, ASCII letters folded to lower case: what the literal operators compare. */
function foldedLatin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    s += String.fromCharCode(b >= 0x41 && b <= 0x5a ? b | 0x20 : b);
  }
  return s;
}

/** assembly/operators.ts parseInteger: optional blanks and sign, then digits; anything else ends it. */
function parseInteger(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
  let negative = false;
  if (i < bytes.length && (bytes[i] === 0x2d || bytes[i] === 0x2b)) {
    negative = bytes[i] === 0x2d;
    i++;
  }
  let value = 0;
  while (i < bytes.length && bytes[i]! >= 0x30 && bytes[i]! <= 0x39) {
    if (value < 1e18) value = value * 10 + (bytes[i]! - 0x30);
    i++;
  }
  return negative ? -value : value;
}

function byteRangeSet(spec: string): boolean[] {
  const allowed = new Array<boolean>(256).fill(false);
  for (const part of spec.split(",")) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(part)!;
    for (let b = Number(m[1]); b <= Number(m[2] ?? m[1]); b++) allowed[b] = true;
  }
  return allowed;
}

function isHex(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66);
}

export function packOracle(rules: readonly RuleSource[], options: { paranoia: number; readDataFile?: (name: string) => string; compiledIds?: Set<string> }): PackOracle {
  const transformer = createTransformer();
  const runChain = (chain: number[], bytes: Uint8Array): Uint8Array => (chain.length === 0 ? bytes : transformer.chain(chain, bytes));
  const detectors = detectorHarness();

  const operatorOf = (op: OperatorSource): Operator => {
    const o = op as Record<string, unknown>;
    const caseSensitive = o.caseSensitive === true;
    const needle = (s: string) => (caseSensitive ? latin1(encoder.encode(s)) : foldedLatin1(encoder.encode(s)));
    const subject = (b: Uint8Array) => (caseSensitive ? latin1(b) : foldedLatin1(b));
    if (typeof o.rx === "string") {
      const source = toHostRegExp(o.rx, { caseInsensitive: o.caseSensitive === false });
      const re = new RegExp(source.source, source.flags.includes("g") ? source.flags : `${source.flags}g`);
      return (bytes) => {
        let text: string;
        try {
          text = strictUtf8.decode(bytes);
        } catch {
          return undefined;
        }
        return testAtCodePoints(re, text);
      };
    }
    if (Array.isArray(o.pm) || typeof o.pmFile === "string") {
      const phrases = (Array.isArray(o.pm) ? (o.pm as string[]) : parseDataFile(options.readDataFile!(o.pmFile as string))).map((p) => foldedLatin1(encoder.encode(p)));
      return (bytes) => {
        const s = foldedLatin1(bytes);
        return phrases.some((p) => s.includes(p));
      };
    }
    if (typeof o.contains === "string") { const n = needle(o.contains); return (b) => subject(b).includes(n); }
    if (typeof o.beginsWith === "string") { const n = needle(o.beginsWith); return (b) => subject(b).startsWith(n); }
    if (typeof o.endsWith === "string") { const n = needle(o.endsWith); return (b) => subject(b).endsWith(n); }
    if (typeof o.streq === "string") { const n = needle(o.streq); return (b) => subject(b) === n; }
    if (typeof o.within === "string") {
      const n = needle(o.within);
      return (b) => b.length > 0 && n.includes(subject(b));
    }
    for (const [name, test] of [["eq", (a: number, b: number) => a === b], ["gt", (a: number, b: number) => a > b], ["ge", (a: number, b: number) => a >= b],
      ["lt", (a: number, b: number) => a < b], ["le", (a: number, b: number) => a <= b]] as const) {
      if (typeof o[name] === "number") { const k = Math.trunc(o[name] as number); return (b) => test(parseInteger(b), k); }
    }
    if (o.detectSQLi === true) return (bytes) => detectors.sqli(bytes).code !== 0;
    if (o.detectXSS === true) return (bytes) => detectors.xss(bytes).code !== 0;
    if (o.validateUtf8 === true) {
      return (b) => {
        try {
          strictUtf8.decode(b);
          return false;
        } catch {
          return true;
        }
      };
    }
    if (o.validateUrlEncoding === true) {
      return (b) => {
        for (let i = 0; i < b.length; i++) {
          if (b[i] !== 0x25) continue;
          if (i + 2 >= b.length || !isHex(b[i + 1]!) || !isHex(b[i + 2]!)) return true;
          i += 2;
        }
        return false;
      };
    }
    if (typeof o.byteRange === "string") { const allowed = byteRangeSet(o.byteRange); return (b) => b.some((x) => !allowed[x]); }
    if (o.exists === true || o.always === true) return () => true;
    return () => undefined; // ipMatch: not modelled
  };

  const conditionOf = (c: ConditionSource, negate: boolean): ModelCondition => {
    const targets = resolveTargets(c.targets);
    const chain = (c.transforms ?? []).map((t: TransformName) => Transform[t]);
    return {
      targets,
      nameRegexes: targets.selectors.map((s) => (s.regex ? toHostRegExp(s.name, { caseInsensitive: true }) : undefined)),
      chain,
      chainKey: chain.join(","),
      operator: operatorOf(c.operator),
      negate,
    };
  };

  const model: ModelRule[] = rules
    .filter((r) => (r.paranoia ?? 1) <= options.paranoia && (options.compiledIds === undefined || options.compiledIds.has(r.id)))
    .map((r) => ({
      id: baseRuleId(r.id),
      main: conditionOf(r, (r as { negate?: boolean }).negate === true),
      conditions: (r.chain ?? []).map((c) => conditionOf(c, c.negate === true)),
    }));

  /** src/pack/targets.ts semantics, as assembly/inspect.ts targets() applies them: a kind mask or an include, and no exclusion. */
  const reads = (c: Pick<ModelCondition, "targets" | "nameRegexes">, p: Part): boolean => {
    let selected = (((p.part === 0 ? c.targets.valueMask : c.targets.nameMask) >>> p.kind) & 1) === 1;
    let excluded = false;
    c.targets.selectors.forEach((s, i) => {
      if (s.kind !== p.kind || s.part !== p.part) return;
      const re = c.nameRegexes[i];
      const named = re ? re.test(p.name) : p.name.toLowerCase() === s.name;
      if (!named) return;
      if (s.mode === "exclude") excluded = true;
      else selected = true;
    });
    return selected && !excluded;
  };

  return {
    expect(request, exclusions = []) {
      const excludedTargets = exclusions.map((e) => ({ rules: e.rules, targets: e.targets === "everywhere" ? undefined : { targets: resolveTargets(e.targets), nameRegexes: [] } }));
      /** Whether a route's exclusion keeps rule `id` off part `p`. */
      const excluded = (id: string, p: Part): boolean =>
        excludedTargets.some((e) => (e.rules === "all" || e.rules.has(id)) && (e.targets === undefined || reads(e.targets, p)));
      const sink = new ArrayFieldSink();
      extractRequestSync(request, sink);
      const parts: Part[] = [];
      for (const f of sink.fields) {
        parts.push({ kind: f.kind, name: f.name, part: 0, bytes: f.bytes ?? encoder.encode(f.value) });
        if (f.name !== "") parts.push({ kind: f.kind, name: f.name, part: 1, bytes: encoder.encode(f.name) });
      }
      // One chain output per field part and chain.
      const transformed = parts.map(() => new Map<string, Uint8Array>());
      const holds = (c: ModelCondition, id: string): Verdict => {
        let unsure = false;
        for (let i = 0; i < parts.length; i++) {
          const p = parts[i]!;
          if (!reads(c, p) || excluded(id, p)) continue;
          let value = transformed[i]!.get(c.chainKey);
          if (value === undefined) {
            value = runChain(c.chain, p.bytes);
            transformed[i]!.set(c.chainKey, value);
          }
          const m = c.operator(value);
          if (m === undefined) unsure = true;
          else if (m !== c.negate) return true;
        }
        return unsure ? undefined : false;
      };
      const fires = new Set<string>();
      const unsure = new Set<string>();
      for (const rule of model) {
        let verdict = holds(rule.main, rule.id);
        for (const c of rule.conditions) {
          if (verdict === false) break;
          const h = holds(c, rule.id);
          verdict = h === false ? false : h === undefined || verdict === undefined ? undefined : true;
        }
        if (verdict === true) fires.add(rule.id);
        else if (verdict === undefined) unsure.add(rule.id);
      }
      for (const id of fires) unsure.delete(id);
      return { fires, unsure };
    },
  };
}
