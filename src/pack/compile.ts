/**
 * The ahead-of-time pack compiler: source rules → one binary image (.wpk) that the engine
 * loads with a bounds-checked copy and no parsing. Runs at build or update time, never per
 * request. See src/pack/format.ts for the layout.
 *
 * Plan of a compile:
 *   1. validate the source (PackError names the rule and field);
 *   2. group top-level rules by transform chain: each distinct chain is computed once per
 *      field at inspection time;
 *   3. per group, collect literals into one Aho–Corasick automaton: literal operators
 *      (pm, contains, beginsWith, endsWith, streq) fire straight from a hit; `rx` rules
 *      with required literals become candidates on a hit and run their DFA only then;
 *      everything else (negations, detectors, numbers, regexes without literals) goes on
 *      the group's "always" list;
 *   4. write rules, groups, selectors, automata and host-only metadata.
 */
import { ABI_VERSION, MAX_CHAIN, Transform } from "../engine/abi.js";
import { compileRegex, DfaBudgetError, NfaTooLargeError, parseRegex, toHostRegExpSource, type CompiledRegex } from "../regex/index.js";
import { extractLiterals, MIN_USEFUL_LITERAL_BYTES } from "../regex/literals.js";
import { buildNfa } from "../regex/nfa.js";
import { nfaRequiredByteSet } from "../regex/required-bytes.js";
import { compactDfaTable } from "../regex/dfa-format.js";
import { buildConfirmNfa } from "../regex/confirm-nfa.js";
import { MAX_SERIALIZED_NFA_STATES, serializeNfa } from "../regex/nfa-format.js";
import { buildAhoCorasick, type LiteralEntry } from "./aho-corasick.js";
import { buildFrontEnd } from "./front-end.js";
import { BlobWriter } from "./blob-writer.js";
import { packChecksum } from "./checksum.js";
import { PackError, type PackIssue } from "./errors.js";
import {
  ActionCode, FORMAT_VERSION, GROUP_SIZE, HEADER_SIZE, HitFlag, MAGIC, Op, RULE_SIZE,
  RuleFlag, SECTION_ENTRY_SIZE, SECTION_IDS, SELECTOR_SIZE, Section, type OpName,
} from "./format.js";
import { encodeIpList } from "./ip-list.js";
import { SEVERITY_SCORE, type ConditionSource, type PackSource, type RuleSource } from "./schema.js";
import { resolveTargets, visitMasks, type NameSelector } from "./targets.js";
import { gateRecord, type GateRule } from "./walk-gates.js";
import { validatePack } from "./validate.js";
import { ruleContent, type RuleContent } from "../lifecycle/rule-content.js";

export interface CompileOptions {
  /** Reads a data file named by `pmFile` (the CLI resolves it next to the pack source). */
  readDataFile?: (name: string) => string;
  /** "error" (default): any rule that cannot compile fails the pack; "skip": list it and go on. */
  onUnsupported?: "error" | "skip";
  /** DFA state budget per regex. */
  stateBudget?: number;
  /** Build time recorded in the image (ISO string); defaults to now. */
  builtAt?: string;
}

export interface CompileReport {
  rules: number;
  conditions: number;
  groups: number;
  literals: number;
  automatonStates: number;
  regexes: number;
  dfaStates: number;
  /** Rules whose automaton over-approximates, so the host confirms their candidates. */
  confirmed: number;
  /**
   * Of those, confirmed by a backtracking host RegExp (backreferences, atomic groups,
   * possessive repeats): its time on a hostile candidate is not bounded the way the automata's
   * is. The others run a lazy DFA over their exact NFA, lookarounds included (linear time).
   */
  confirmedByBacktracking: number;
  /** Regexes without a useful required literal: they run on every field they target. */
  unfiltered: number;
  /** Of those, how many the engine can skip on values lacking a byte every match needs. */
  requiredByteSets: number;
  /** Regexes over the DFA state budget: literal prefilter, then the host's lazy DFA decides. */
  overBudget: number;
  bytes: number;
  skipped: { rule: string; reason: string }[];
}

export interface RuleMeta {
  id: string;
  message: string;
  family: string;
  tags: string[];
  severity: string;
  paranoia: number;
  action: string;
  score: number;
  /**
   * For `rx` rules whose automaton over-approximates: the host confirms candidates. With
   * `nfa` (a pattern over the DFA state budget, or with lookarounds, whose NFA is exact), in
   * linear time by a lazy DFA over that NFA, stored in the CONFIRM section at `offset` (from
   * the section's start, src/regex/nfa-format.ts); otherwise (backreferences, atomic groups,
   * possessive repeats: a backtracking matcher is the only exact one) with
   * `new RegExp(source, flags)`, already JS syntax.
   */
  confirm?: ConfirmMeta;
  /** What the condition does (operator, argument hash, targets, transforms), for `wafer diff`. */
  content?: RuleContent;
}

export interface ConfirmMeta {
  source: string;
  flags: string;
  nfa?: { offset: number; length: number };
}

export interface PackMeta {
  name: string;
  version: string;
  description?: string;
  builtAt: string;
  abi: number;
  threshold: number;
  /** Indexed by rule index; chain conditions follow the top-level rules. */
  rules: RuleMeta[];
  /** Transform chain of each group, by name. */
  groups: string[][];
  report: Omit<CompileReport, "bytes">;
}

interface CompiledCondition {
  op: number;
  flags: number;
  group: number;
  valueMask: number;
  nameMask: number;
  selectors: NameSelector[];
  argOffset: number;
  argLength: number;
  numeric: number;
  literals: LiteralEntry[];
  confirm?: ConfirmMeta;
  content: RuleContent;
}

/** Shortest regex literal worth prefiltering on (see compileCondition). */
const MIN_PREFILTER_LITERAL = MIN_USEFUL_LITERAL_BYTES;
const LITERAL_OPS = new Set<OpName>(["pm", "contains", "beginsWith", "endsWith", "streq"]);
const encoder = new TextEncoder();

export function compilePack(input: unknown, options: CompileOptions = {}): { image: Uint8Array; meta: PackMeta; report: CompileReport } {
  const source = validatePack(input);
  return new PackCompiler(source, options).compile();
}

class PackCompiler {
  private readonly issues: PackIssue[] = [];
  private readonly skipped: { rule: string; reason: string }[] = [];
  private readonly groupKeys = new Map<string, number>();
  private readonly groupChains: number[][] = [];
  private readonly stats = {
    literals: 0, automatonStates: 0, regexes: 0, dfaStates: 0, confirmed: 0, confirmedByBacktracking: 0, unfiltered: 0, requiredByteSets: 0,
    overBudget: 0,
  };
  /** The CONFIRM section: serialized NFAs, 4-byte aligned, one per distinct over-budget regex. */
  private readonly confirmNfas: Uint8Array[] = [];
  private confirmBytes = 0;
  private readonly confirmNfaAt = new Map<string, { offset: number; length: number } | null>();
  // The blob's absolute base is only known once the fixed sections are sized, so
  // the compile runs in two passes: first decide, then place.
  private blob!: BlobWriter;

  constructor(private readonly source: PackSource, private readonly options: CompileOptions) {}

  compile(): { image: Uint8Array; meta: PackMeta; report: CompileReport } {
    const accepted: { rule: RuleSource; main: CompiledCondition | null; chain: (CompiledCondition | null)[] }[] = [];
    // Pass 1: resolve everything that does not need blob offsets, to count records.
    for (const rule of this.source.rules) {
      const conds = [rule, ...(rule.chain ?? [])];
      const failures = conds.map((c) => this.unsupportedReason(c)).filter((r): r is string => r !== null);
      if (failures.length > 0) {
        this.reject(rule.id, failures[0]!);
        continue;
      }
      accepted.push({ rule, main: null, chain: [] });
    }
    for (const { rule } of accepted) this.groupOf(rule.transforms ?? []);
    for (const { rule } of accepted) for (const c of rule.chain ?? []) this.groupOf(c.transforms ?? []);
    if (this.issues.length > 0) throw new PackError(this.issues);
    this.sortGroups();

    const ruleCount = accepted.length;
    const conditionCount = accepted.reduce((n, a) => n + (a.rule.chain?.length ?? 0), 0);
    const totalRules = ruleCount + conditionCount;
    const groupCount = this.groupChains.length;
    const selectorCount = accepted.reduce(
      (n, a) => n + [a.rule, ...(a.rule.chain ?? [])].reduce((m, c) => m + resolveTargets(c.targets).selectors.length, 0),
      0,
    );
    // Room for every section's directory entry; CONFIRM is listed only when a rule needs it.
    const rulesOffset = align(HEADER_SIZE + SECTION_IDS * SECTION_ENTRY_SIZE);
    const groupsOffset = align(rulesOffset + totalRules * RULE_SIZE);
    const selectorsOffset = align(groupsOffset + groupCount * GROUP_SIZE);
    const blobOffset = align(selectorsOffset + selectorCount * SELECTOR_SIZE);
    this.blob = new BlobWriter(blobOffset);

    // Pass 2: compile operators (their automata and lists go into the blob).
    for (const a of accepted) {
      a.main = this.compileCondition(a.rule, a.rule, true);
      a.chain = (a.rule.chain ?? []).map((c) => this.compileCondition(a.rule, c, false));
    }
    if (this.issues.length > 0) throw new PackError(this.issues);

    // Rule indexes: top-level rules first, then every chain condition.
    const rules = new Uint8Array(totalRules * RULE_SIZE);
    const rv = new DataView(rules.buffer);
    const selectors = new Uint8Array(selectorCount * SELECTOR_SIZE);
    const sv = new DataView(selectors.buffer);
    let selectorAt = 0;
    let conditionAt = ruleCount;
    const metaRules: RuleMeta[] = [];
    const prefilterLiterals: LiteralEntry[] = [];
    const groupAlways: number[][] = this.groupChains.map(() => []);
    const groupGateRules: GateRule[][] = this.groupChains.map(() => []);
    const groupMasks = this.groupChains.map(() => ({ valueMask: 0, nameMask: 0 }));
    // Kinds a group reads whole, and the exact names it reads where it reads a kind only by
    // name (headers: [user-agent]): fields of such kinds with other names skip the group.
    const groupWhole = this.groupChains.map(() => ({ valueMask: 0, nameMask: 0 }));
    const groupNames = this.groupChains.map(() => new Map<string, { kind: number; part: number; name: string }>());

    // Rules named `base#part` are parts of one logical rule `base` (e.g. one per transform
    // prefix or per group of alternatives, as the SecLang importer emits): they share the
    // first part's index, so together they fire (and score) at most once per request.
    const firstOfBase = new Map<string, number>();
    accepted.forEach((a, i) => {
      const base = baseRuleId(a.rule.id);
      if (!firstOfBase.has(base)) firstOfBase.set(base, i);
    });
    const canonical = (index: number) => (index < ruleCount ? firstOfBase.get(baseRuleId(accepted[index]!.rule.id))! : index);
    const writeRule = (index: number, c: CompiledCondition, rule: RuleSource, isCondition: boolean, condFirst: number, condCount: number) => {
      const o = index * RULE_SIZE;
      const severity = rule.severity ?? "critical";
      rv.setUint8(o, c.op);
      rv.setUint8(o + 1, c.flags | (isCondition ? RuleFlag.condition : 0));
      rv.setUint8(o + 2, rule.paranoia ?? 1);
      rv.setUint8(o + 3, ActionCode[rule.action ?? "score"]);
      rv.setUint16(o + 4, c.group, true);
      rv.setUint16(o + 6, canonical(index), true);
      rv.setUint32(o + 8, c.valueMask, true);
      rv.setUint32(o + 12, c.nameMask, true);
      rv.setUint32(o + 16, c.selectors.length > 0 ? selectorsOffset + selectorAt : 0, true);
      rv.setUint32(o + 20, c.selectors.length, true);
      for (const s of c.selectors) {
        const so = selectorAt;
        sv.setUint8(so, s.kind);
        sv.setUint8(so + 1, s.part);
        sv.setUint8(so + 2, s.mode === "include" ? 0 : 1);
        if (s.regex) {
          const { compiled } = this.regex(s.name, true);
          sv.setUint8(so + 3, 1);
          const table = compactDfaTable(compiled.table);
          sv.setUint32(so + 4, this.blob.append(table), true);
          sv.setUint32(so + 8, table.length, true);
        } else {
          const bytes = encoder.encode(s.name);
          sv.setUint32(so + 4, this.blob.intern(bytes), true);
          sv.setUint32(so + 8, bytes.length, true);
        }
        selectorAt += SELECTOR_SIZE;
      }
      rv.setUint32(o + 24, c.argOffset, true);
      rv.setUint32(o + 28, c.argLength, true);
      rv.setUint32(o + 32, rule.score ?? SEVERITY_SCORE[severity], true);
      rv.setUint32(o + 36, condFirst, true);
      rv.setUint32(o + 40, condCount, true);
      rv.setInt32(o + 44, c.numeric, true);
      metaRules[index] = {
        id: isCondition ? `${rule.id}#chain${index - condFirst}` : rule.id,
        message: rule.message,
        family: rule.family,
        tags: rule.tags ?? [],
        severity,
        paranoia: rule.paranoia ?? 1,
        action: rule.action ?? "score",
        score: rule.score ?? SEVERITY_SCORE[severity],
        ...(c.confirm ? { confirm: c.confirm } : {}),
        content: c.content,
      };
    };

    accepted.forEach((a, index) => {
      const main = a.main!;
      const condFirst = conditionAt;
      a.chain.forEach((c, ci) => {
        writeRule(conditionAt, c!, a.rule, true, condFirst, 0);
        metaRules[conditionAt]!.id = `${a.rule.id}#chain${ci + 1}`;
        conditionAt++;
      });
      writeRule(index, main, a.rule, false, a.chain.length > 0 ? condFirst : 0, a.chain.length);
      const masks = visitMasks({ valueMask: main.valueMask, nameMask: main.nameMask, selectors: main.selectors });
      groupMasks[main.group]!.valueMask |= masks.valueMask;
      groupMasks[main.group]!.nameMask |= masks.nameMask;
      groupWhole[main.group]!.valueMask |= main.valueMask;
      groupWhole[main.group]!.nameMask |= main.nameMask;
      for (const sel of main.selectors) {
        if (sel.mode !== "include") continue;
        if (sel.regex) groupWhole[main.group]![sel.part === 0 ? "valueMask" : "nameMask"] |= 1 << sel.kind;
        else groupNames[main.group]!.set(`${sel.kind}/${sel.part}/${sel.name}`, { kind: sel.kind, part: sel.part, name: sel.name });
      }
      if (main.flags & RuleFlag.prefiltered) {
        const chain = this.groupChains[main.group]!;
        const endsLowercase = chain[chain.length - 1] === Transform.lowercase;
        const gateRule: GateRule = { ...masks, literals: [] };
        groupGateRules[main.group]!.push(gateRule);
        for (const lit of main.literals) {
          let entry: LiteralEntry = { ...lit, hit: { ...lit.hit, rule: index } };
          // The prefilter walks the value before a trailing lowercase (the automaton folds
          // case anyway), so a case-sensitive literal after lowercase compares folded: it
          // matches only if written in lower case, and then exactly when a folded compare does.
          if (endsLowercase && entry.hit.flags & HitFlag.caseSensitive) {
            if (/[A-Z]/.test(new TextDecoder().decode(entry.bytes))) continue;
            entry = { bytes: entry.bytes, hit: { ...entry.hit, flags: entry.hit.flags & ~HitFlag.caseSensitive } };
          }
          prefilterLiterals.push(entry);
          gateRule.literals.push(entry.bytes);
        }
      } else {
        groupAlways[main.group]!.push(index);
      }
    });

    // Groups: one literal automaton and one "always" list each.
    const groups = new Uint8Array(groupCount * GROUP_SIZE);
    const gv = new DataView(groups.buffer);
    this.groupChains.forEach((chain, g) => {
      const o = g * GROUP_SIZE;
      chain.forEach((t, i) => gv.setUint8(o + i, t));
      gv.setUint32(o + 8, groupMasks[g]!.valueMask, true);
      gv.setUint32(o + 12, groupMasks[g]!.nameMask, true);
      const whole = groupWhole[g]!;
      const named = [...groupNames[g]!.values()]
        .filter((n) => ((n.part === 0 ? whole.valueMask : whole.nameMask) & (1 << n.kind)) === 0)
        // Canonical order, so groups reading the same names share one interned filter (the
        // Wasm side remembers a filter's verdict per field part by its offset).
        .sort((a, b) => a.kind - b.kind || a.part - b.part || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      if (named.length > 0) {
        // Name filter: u32 whole value mask, u32 whole name mask, u32 count, then entries
        // laid out like selectors (u8 kind, u8 part, u16 0, u32 name offset, u32 length).
        const filter = new Uint8Array(12 + named.length * SELECTOR_SIZE);
        const fv = new DataView(filter.buffer);
        fv.setUint32(0, whole.valueMask, true);
        fv.setUint32(4, whole.nameMask, true);
        fv.setUint32(8, named.length, true);
        named.forEach((n, i) => {
          const bytes = encoder.encode(n.name);
          fv.setUint8(12 + i * SELECTOR_SIZE, n.kind);
          fv.setUint8(13 + i * SELECTOR_SIZE, n.part);
          fv.setUint32(16 + i * SELECTOR_SIZE, this.blob.intern(bytes), true);
          fv.setUint32(20 + i * SELECTOR_SIZE, bytes.length, true);
        });
        gv.setUint32(o + 16, this.blob.intern(filter), true);
      }
      if (groupAlways[g]!.length > 0) {
        gv.setUint32(o + 20, this.blob.u32List(groupAlways[g]!), true);
        gv.setUint32(o + 24, groupAlways[g]!.length, true);
      }
      gv.setUint32(o + 28, this.blob.intern(gateRecord(groupGateRules[g]!, (bytes) => this.blob.intern(bytes))), true);
    });

    // One literal automaton for the whole pack: the Wasm side walks it once per distinct
    // effective input of a field, not once per transform group.
    const prefilter = prefilterLiterals.length > 0 ? this.placeAutomaton(prefilterLiterals) : undefined;
    // Its shift-or front end, when the literal set is one for which it pays (src/pack/front-end.ts).
    const frontEnd = prefilter ? buildFrontEnd(prefilter.literals) : null;
    const frontEndOffset = frontEnd ? this.blob.append(frontEnd) : 0;
    const blob = this.blob.toBytes();
    const threshold = this.source.threshold ?? 5;
    const reportBase = {
      rules: ruleCount,
      conditions: conditionCount,
      groups: groupCount,
      ...this.stats,
      skipped: this.skipped,
    };
    const meta: PackMeta = {
      name: this.source.name,
      version: this.source.version,
      ...(this.source.description ? { description: this.source.description } : {}),
      builtAt: this.options.builtAt ?? new Date().toISOString(),
      abi: ABI_VERSION,
      threshold,
      rules: metaRules,
      groups: this.groupChains.map((chain) => chain.map((t) => transformName(t))),
      report: reportBase,
    };
    const metaBytes = encoder.encode(JSON.stringify(meta));
    const confirmOffset = align(blobOffset + blob.length);
    const metaOffset = align(confirmOffset + this.confirmBytes);
    const total = align(metaOffset + metaBytes.length);

    const image = new Uint8Array(total);
    const hv = new DataView(image.buffer);
    image.set(encoder.encode(MAGIC), 0);
    hv.setUint16(8, FORMAT_VERSION, true);
    hv.setUint16(10, ABI_VERSION, true);
    hv.setUint32(16, total, true);
    const sections: [number, number, number, number][] = [
      [Section.rules, rulesOffset, rules.length, totalRules],
      [Section.groups, groupsOffset, groups.length, groupCount],
      [Section.selectors, selectorsOffset, selectors.length, selectorCount],
      [Section.blob, blobOffset, blob.length, 0],
      ...(this.confirmBytes > 0 ? [[Section.confirm, confirmOffset, this.confirmBytes, this.confirmNfas.length] as [number, number, number, number]] : []),
      [Section.meta, metaOffset, metaBytes.length, 0],
    ];
    hv.setUint32(24, sections.length, true);
    hv.setUint32(28, ruleCount, true);
    hv.setUint32(32, groupCount, true);
    hv.setUint32(36, threshold, true);
    hv.setUint32(40, metaOffset, true);
    hv.setUint32(44, metaBytes.length, true);
    hv.setUint32(48, prefilter?.offset ?? 0, true);
    hv.setUint32(52, frontEndOffset, true);
    sections.forEach(([id, off, len, count], i) => {
      const o = HEADER_SIZE + i * SECTION_ENTRY_SIZE;
      hv.setUint32(o, id, true);
      hv.setUint32(o + 4, off, true);
      hv.setUint32(o + 8, len, true);
      hv.setUint32(o + 12, count, true);
    });
    image.set(rules, rulesOffset);
    image.set(groups, groupsOffset);
    image.set(selectors, selectorsOffset);
    image.set(blob, blobOffset);
    let confirmAt = confirmOffset;
    for (const nfa of this.confirmNfas) {
      image.set(nfa, confirmAt);
      confirmAt += align(nfa.length);
    }
    image.set(metaBytes, metaOffset);
    // The checksum covers every byte of the image except its own four.
    hv.setUint32(20, packChecksum(image), true);
    return { image, meta, report: { ...reportBase, bytes: total } };
  }

  private readonly regexCache = new Map<string, { compiled?: CompiledRegex; error?: Error; overBudget?: boolean }>();

  /**
   * Compiles a regex once per pack (rules, copies and validation share it). A pattern whose
   * automaton exceeds the state budget is not dropped: it compiles to a match-all DFA behind
   * its required literals, flagged for confirmation by the host RegExp (src/engine).
   */
  private regex(pattern: string, caseInsensitive: boolean): { compiled: CompiledRegex; overBudget: boolean } {
    const key = `${caseInsensitive ? "i" : "-"}\0${pattern}`;
    let entry = this.regexCache.get(key);
    if (!entry) {
      try {
        entry = { compiled: compileRegex(pattern, { caseInsensitive }, { stateBudget: this.options.stateBudget }) };
      } catch (e) {
        if (e instanceof DfaBudgetError || e instanceof NfaTooLargeError) {
          const ast = parseRegex(pattern, { caseInsensitive });
          const literals = extractLiterals(ast);
          const matchAll = compileRegex("", {});
          entry = {
            overBudget: true,
            compiled: {
              ...matchAll, needsConfirm: true, literals: literals?.literals ?? null, requiredBytes: overBudgetRequiredBytes(ast),
              warnings: [`over the DFA budget: ${(e as Error).message}`],
            },
          };
        } else entry = { error: e as Error };
      }
      this.regexCache.set(key, entry);
    }
    if (entry.error) throw entry.error;
    return { compiled: entry.compiled!, overBudget: entry.overBudget === true };
  }

  /**
   * The pattern's exact NFA in the CONFIRM section, for the host's linear-time lazy DFA
   * (src/regex/lazy-dfa.ts; lookarounds kept with their bodies, src/regex/lookaround.ts);
   * null when the NFA over-approximates (backreferences, atomic groups, possessive repeats, a
   * repeat too large to expand, more than 24 lookarounds) and only a backtracking RegExp is exact.
   */
  private confirmNfa(pattern: string, caseInsensitive: boolean): { offset: number; length: number } | null {
    const key = `${caseInsensitive ? "i" : "-"}\0${pattern}`;
    let at = this.confirmNfaAt.get(key);
    if (at === undefined) {
      at = null;
      try {
        // Exact lookarounds, finite backreferences written out, one-character possessive
        // repeats rewritten (src/regex/confirm-nfa.ts).
        const { nfa, prefilterReasons } = buildConfirmNfa(parseRegex(pattern, { caseInsensitive }), { maxNfaStates: MAX_SERIALIZED_NFA_STATES });
        if (prefilterReasons.length === 0) {
          const bytes = serializeNfa(nfa);
          at = { offset: this.confirmBytes, length: bytes.length };
          this.confirmNfas.push(bytes);
          this.confirmBytes += align(bytes.length);
        }
      } catch (e) {
        if (!(e instanceof NfaTooLargeError)) throw e;
      }
      this.confirmNfaAt.set(key, at);
    }
    return at;
  }

  private reject(rule: string, reason: string): void {
    if (this.options.onUnsupported === "skip") this.skipped.push({ rule, reason });
    else this.issues.push({ rule, path: "operator", message: reason });
  }

  /** A reason this condition cannot compile, found before any bytes are written. */
  private unsupportedReason(c: ConditionSource): string | null {
    const op = c.operator as Record<string, unknown>;
    if (typeof op.rx === "string") {
      try {
        this.regex(op.rx, op.caseSensitive === false);
      } catch (e) {
        return `rx ${JSON.stringify(op.rx)}: ${(e as Error).message}`;
      }
    }
    if (typeof op.pmFile === "string" && !this.options.readDataFile) return `pmFile ${op.pmFile}: no data file reader configured`;
    if (Array.isArray(op.ipMatch)) {
      try {
        encodeIpList(op.ipMatch as string[]);
      } catch (e) {
        return `ipMatch: ${(e as Error).message}`;
      }
    }
    return null;
  }

  /**
   * Orders groups by their chains (lexicographically), so that groups sharing a prefix are
   * adjacent and the Wasm per-field chain cache computes each shared prefix once.
   */
  private sortGroups(): void {
    const order = this.groupChains.map((chain, i) => ({ chain, i }));
    order.sort((a, b) => {
      for (let k = 0; k < Math.min(a.chain.length, b.chain.length); k++) if (a.chain[k] !== b.chain[k]) return a.chain[k]! - b.chain[k]!;
      return a.chain.length - b.chain.length;
    });
    this.groupChains.length = 0;
    this.groupKeys.clear();
    for (const { chain } of order) {
      this.groupKeys.set(chain.join(","), this.groupChains.length);
      this.groupChains.push(chain);
    }
  }

  private groupOf(transforms: string[]): number {
    const ids = transforms.map((t) => Transform[t as keyof typeof Transform]).filter((t) => t !== Transform.none);
    if (ids.length > MAX_CHAIN) throw new Error("transform chain too long");
    const key = ids.join(",");
    let g = this.groupKeys.get(key);
    if (g === undefined) {
      g = this.groupChains.length;
      this.groupKeys.set(key, g);
      this.groupChains.push(ids);
    }
    return g;
  }

  private compileCondition(rule: RuleSource, c: ConditionSource, topLevel: boolean): CompiledCondition {
    const targets = resolveTargets(c.targets);
    const op = c.operator as Record<string, unknown>;
    const name = Object.keys(op).find((k) => k !== "caseSensitive") as OpName | "pmFile";
    const out: CompiledCondition = {
      op: name === "pmFile" ? Op.pm : Op[name],
      flags: c.negate ? RuleFlag.negate : 0,
      group: this.groupOf(c.transforms ?? []),
      ...targets,
      argOffset: 0,
      argLength: 0,
      numeric: 0,
      literals: [],
      content: ruleContent(c, this.options.readDataFile),
    };
    const literalOp = name === "pmFile" || LITERAL_OPS.has(name as OpName);
    if (literalOp) {
      const caseSensitive = op.caseSensitive === true && name !== "pm" && name !== "pmFile";
      const phrases =
        name === "pm" ? (op.pm as string[])
        : name === "pmFile" ? parseDataFile(this.options.readDataFile!(op.pmFile as string))
        : [op[name] as string];
      const anchor = name === "beginsWith" ? HitFlag.anchorStart : name === "endsWith" ? HitFlag.anchorEnd
        : name === "streq" ? HitFlag.anchorStart | HitFlag.anchorEnd : 0;
      const entries: LiteralEntry[] = phrases
        .filter((p) => p.length > 0)
        .map((p) => {
          const bytes = encoder.encode(p);
          return {
            bytes,
            hit: { rule: 0, flags: HitFlag.direct | anchor | (caseSensitive ? HitFlag.caseSensitive : 0) },
            ...(caseSensitive ? { exact: bytes } : {}),
          };
        });
      if (caseSensitive) out.flags |= RuleFlag.caseSensitive;
      this.stats.literals += entries.length;
      if (entries.length === 0) {
        // `streq ""`: only an empty value matches; the Wasm side handles an empty automaton.
        out.op = Op.streq;
      } else if (topLevel && !c.negate) {
        out.flags |= RuleFlag.prefiltered;
        out.literals = entries;
      } else {
        // Negated or chained: a rule-local automaton, run on every targeted field.
        out.argOffset = this.placeAutomaton(entries.map((e) => ({ ...e, hit: { ...e.hit, rule: 0 } }))).offset;
        out.argLength = 1;
      }
      return out;
    }
    switch (name) {
      case "rx": {
        const { compiled, overBudget } = this.regex(op.rx as string, op.caseSensitive === false);
        if (overBudget) this.stats.overBudget++;
        this.stats.regexes++;
        this.stats.dfaStates += compiled.states;
        const table = compactDfaTable(compiled.table);
        out.argOffset = this.blob.append(table);
        out.argLength = table.length;
        if (compiled.needsConfirm) {
          out.flags |= RuleFlag.needsConfirm;
          // Converted to JS RegExp syntax now, so the runtime needs no regex parser: it only
          // calls new RegExp(source, flags) (PCRE's \A, \z, possessive repeats, POSIX classes…),
          // and only when the pattern has no exact NFA for the lazy DFA.
          const nfa = this.confirmNfa(op.rx as string, op.caseSensitive === false);
          out.confirm = { ...toHostRegExpSource(op.rx as string, { caseInsensitive: op.caseSensitive === false }), ...(nfa ? { nfa } : {}) };
          this.stats.confirmed++;
          if (!nfa) this.stats.confirmedByBacktracking++;
        }
        // A literal set with a 1–2 byte member (`<`, `:`) would hit on nearly every value:
        // no filtering, and noise in the shared automaton. Such a regex simply runs always.
        const usefulLiterals = compiled.literals !== null && compiled.literals.length > 0 &&
          compiled.literals.every((l) => encoder.encode(l).length >= MIN_PREFILTER_LITERAL);
        if (!usefulLiterals) this.stats.unfiltered++;
        if (topLevel && !c.negate && usefulLiterals) {
          out.flags |= RuleFlag.prefiltered;
          out.literals = compiled.literals!.map((l) => ({ bytes: encoder.encode(l), hit: { rule: 0, flags: 0 } }));
          this.stats.literals += out.literals.length;
        }
        if (compiled.requiredBytes && (overBudget || (out.flags & RuleFlag.prefiltered) === 0)) {
          // Runs on every value it targets (or, over the budget, on every literal hit, each a
          // candidate for the host): the engine skips it on values without any byte every
          // match needs (src/regex/required-bytes.ts).
          out.numeric = this.blob.append(compiled.requiredBytes);
          if ((out.flags & RuleFlag.prefiltered) === 0) this.stats.requiredByteSets++;
        }
        break;
      }
      case "within": {
        const bytes = encoder.encode(op.within as string);
        out.argOffset = this.blob.intern(bytes);
        out.argLength = bytes.length;
        if (op.caseSensitive === true) out.flags |= RuleFlag.caseSensitive;
        break;
      }
      case "eq": case "gt": case "ge": case "lt": case "le":
        out.numeric = Math.trunc(op[name] as number);
        break;
      case "ipMatch": {
        const list = encodeIpList(op.ipMatch as string[]);
        out.argOffset = this.blob.append(list);
        out.argLength = list.length;
        break;
      }
      case "byteRange": {
        const bitmap = parseByteRange(op.byteRange as string, rule.id);
        out.argOffset = this.blob.append(bitmap);
        out.argLength = bitmap.length;
        break;
      }
      default:
        break;
    }
    return out;
  }

  private placeAutomaton(entries: LiteralEntry[]): { offset: number; literals: Uint8Array[] } {
    // The automaton's offsets are absolute, but building it interns literal bytes into the
    // blob first. Build once to intern them, then again at the final (now stable) offset.
    const place = (bytes: Uint8Array) => this.blob.intern(bytes);
    buildAhoCorasick(entries, 0, place);
    const base = this.blob.nextOffset();
    const ac = buildAhoCorasick(entries, base, place);
    const placed = this.blob.append(ac.bytes);
    if (placed !== base) throw new Error("internal: automaton placement moved");
    this.stats.automatonStates += ac.states;
    return { offset: placed, literals: ac.literals };
  }

}

/** The logical rule an id names: `942100#t1` is a part of `942100`. */
export function baseRuleId(id: string): string {
  const hash = id.indexOf("#");
  return hash > 0 ? id.slice(0, hash) : id;
}

/** Phrase list files: one phrase per line; `#` comments and blank lines ignored (as @pmFromFile). */
export function parseDataFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

/** "9,10,13,32-126" → 256-bit bitmap of allowed bytes; the operator fires on any byte outside it. */
function parseByteRange(spec: string, rule: string): Uint8Array {
  const bitmap = new Uint8Array(32);
  for (const part of spec.split(",")) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(part);
    const lo = m ? Number(m[1]) : NaN;
    const hi = m ? Number(m[2] ?? m[1]) : NaN;
    if (!(lo >= 0 && hi <= 255 && lo <= hi)) throw new PackError([{ rule, path: "operator.byteRange", message: `bad range ${JSON.stringify(part)}` }]);
    for (let b = lo; b <= hi; b++) bitmap[b >> 3]! |= 1 << (b & 7);
  }
  return bitmap;
}

function transformName(id: number): string {
  return Object.entries(Transform).find(([, v]) => v === id)?.[0] ?? String(id);
}

const align = (n: number) => (n + 3) & ~3;

/**
 * The required-byte set of a regex over the DFA budget, from its NFA (the DFA that gives the
 * others their set is what did not fit); null when none is worth checking or the NFA itself
 * is too large.
 */
function overBudgetRequiredBytes(ast: ReturnType<typeof parseRegex>): Uint8Array | null {
  try {
    return nfaRequiredByteSet(buildNfa(ast).nfa);
  } catch (e) {
    if (e instanceof NfaTooLargeError) return null;
    throw e;
  }
}
