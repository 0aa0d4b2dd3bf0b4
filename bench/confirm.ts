/**
 * Confirming regexes with lookarounds (hand-written patterns, lookaround tables from
 * src/regex/lookaround.ts; no corpus needed; with them one backreference to a capture of two
 * strings, written out by src/regex/backreference-expansion.ts, and one possessive repeat,
 * rewritten by src/regex/possessive-rewrite.ts) and regexes over the DFA state budget: the lazy DFA over the exact NFA
 * (src/regex/lazy-dfa.ts) beside the host RegExp that confirmed them before, in one run, on
 * the OWASP CRS patterns that exceed the budget (../shared/corpora/crs/rules; the bench says
 * so and stops when the corpus is absent). Per pattern: a benign value (interleaved batches,
 * both warm) and newline runs, once each: the RegExp backtracks (cubic on 932230), so it is
 * run only up to 500 newlines; the lazy DFA up to 64 KiB, the default field size limit.
 * And the imported CRS rules that still need V8's backtracking RegExp (a backreference: the
 * SecLang importer turns 942130's chained `TX:1 @streq %{TX.2}` into `\1`): the RegExp as
 * written beside the one the pack stores, which drops the optional repeat the pattern starts
 * with (src/regex/host-regexp.ts withoutLeadingOptional), on the inputs V8 is quadratic on.
 *
 *   npm run bench:confirm      # writes bench/results/confirm.json
 */
import { existsSync } from "node:fs";
import { crsRxPatterns } from "../scripts/regex-crs-survey.js";
import { compileRegex, DfaBudgetError, parseRegex, toHostRegExp, toHostRegExpSource } from "../src/regex/index.js";
import { importSecLang } from "../src/seclang/index.js";
import { buildConfirmNfa } from "../src/regex/confirm-nfa.js";
import { LazyDfa } from "../src/regex/lazy-dfa.js";
import { fmt, writeResult } from "./harness.js";
import { measureInterleaved } from "./interleave.js";

// ModSecurity's flags, as the SecLang importer compiles @rx.
const flags = { dotAll: true, dollarEndOnly: true } as const;
const encoder = new TextEncoder();
const benign = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";

function once(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/** Both warm on the benign value, interleaved batches; they must agree on it first. */
function benignSideBySide(id: string, lazy: LazyDfa, re: RegExp) {
  const bytes = encoder.encode(benign);
  if (lazy.test(bytes) !== re.test(benign)) throw new Error(`${id}: lazy DFA and RegExp disagree on the benign value`);
  return measureInterleaved([
    { name: "lazy DFA", fn: () => lazy.test(bytes) },
    { name: "RegExp", fn: () => re.test(benign) },
  ], { rounds: 7, batchMs: 10 });
}

// ---- lookarounds (no corpus needed): lazy DFA + lookaround tables vs RegExp ----
// Each pattern with a hostile input shape `head + unit × k + tail`; RegExp runs while k grows
// and stops once one call passes 300 ms; the lazy DFA runs on the same lengths and on 64 KiB.
const lookaroundCases = [
  { id: "word-guarded keyword, backtracking lookahead", pattern: String.raw`(?<![a-z])admin(?=(\w+\s?)*$)`, head: "admin", unit: "aaaa ", tail: "#" },
  { id: "lookbehind over a nested repeat", pattern: String.raw`(?<=(a|aa)*)c(?=d)`, head: "", unit: "a", tail: "c" },
  { id: "negative lookahead before a command list", pattern: String.raw`(?<![\w.])(?:curl|wget)(?!\.\w)[\s,;|&]+(?=(?:[\w./-]+\s?)*$)`, head: "curl ", unit: "a/b. ", tail: "!" },
  // Not a lookaround: a backreference to a capture of two strings, written out (src/regex/backreference-expansion.ts).
  { id: "quoted word list, finite backreference", pattern: String.raw`(['"])(?:\w+\s?)*\1`, head: "'", unit: "aaaa ", tail: "#" },
  // Nor this: a possessive repeat of one class, rewritten as a greedy one and a lookahead (src/regex/possessive-rewrite.ts).
  { id: "quoted word list, possessive repeat", pattern: String.raw`"[^"]*+"(?:\w+\s?)*$`, head: '"a"', unit: "aaaa ", tail: "#" },
];
const lookaroundRows = [];
for (const c of lookaroundCases) {
  // The automaton the pack compiler stores for the rule (src/regex/confirm-nfa.ts).
  const exact = (pattern: string) => buildConfirmNfa(parseRegex(pattern));
  const { nfa, prefilterReasons } = exact(c.pattern);
  if (prefilterReasons.length > 0) throw new Error(`${c.id}: not exact: ${prefilterReasons.join("; ")}`);
  // The RegExp the host ran before (src/regex/host-regexp.ts: the same pattern in JS syntax, possessive repeats emulated).
  const re = toHostRegExp(c.pattern);
  const [l, r] = benignSideBySide(c.id, new LazyDfa(nfa), re);
  const hostile = (k: number) => c.head + c.unit.repeat(k) + c.tail;
  const regexpMs: Record<number, number> = {};
  // One unit at a time at first (an exponential shape doubles its time per unit), then ×1.25.
  for (let k = 1; k <= 4096; k = k < 32 ? k + 1 : Math.ceil(k * 1.25)) {
    const ms = once(() => re.test(hostile(k)));
    regexpMs[hostile(k).length] = Math.round(ms * 1000) / 1000;
    if (ms > 300) break;
  }
  const lazyMs: Record<number, number> = {};
  for (const bytesLong of [...Object.keys(regexpMs).map(Number), 65_536]) {
    const input = encoder.encode(hostile(Math.ceil(bytesLong / c.unit.length)).slice(0, bytesLong));
    const fresh = new LazyDfa(exact(c.pattern).nfa);
    lazyMs[bytesLong] = Math.round(once(() => fresh.test(input)) * 1000) / 1000;
  }
  lookaroundRows.push({ id: c.id, pattern: c.pattern, hostile: `${JSON.stringify(c.head)} + ${JSON.stringify(c.unit)} × k + ${JSON.stringify(c.tail)}`, benign_ns: { lazyDfa: l!.medianNs, regexp: r!.medianNs }, hostile_ms_by_length: { regexp: regexpMs, lazyDfaCold: lazyMs } });
  const longest = Math.max(...Object.keys(regexpMs).map(Number));
  console.log(
    `${c.id}: benign lazy ${fmt(l!.medianNs)} RegExp ${fmt(r!.medianNs)}; hostile ${longest} B: RegExp ${regexpMs[longest]} ms, lazy ${lazyMs[longest]} ms; 64 KiB lazy ${lazyMs[65_536]} ms`,
  );
}

const rules = `${process.cwd()}/../shared/corpora/crs/rules`;
if (!existsSync(rules)) {
  console.log(`the CRS part of bench:confirm needs the CRS rules in ${rules}; not found, not measured`);
  console.log(`wrote ${writeResult("confirm", { command: "npm run bench:confirm", lookarounds: lookaroundRows })}`);
  process.exit(0);
}

const rows = [];
for (const p of crsRxPatterns(rules)) {
  const pattern = p.pattern.replace(/\\"/g, '"');
  try {
    compileRegex(pattern, flags);
    continue; // fits the budget: an ahead-of-time DFA in Wasm, nothing to confirm
  } catch (e) {
    if (!(e instanceof DfaBudgetError)) throw e;
  }
  const { nfa } = buildConfirmNfa(parseRegex(pattern, flags));
  const re = toHostRegExp(pattern, flags);
  const [l, r] = benignSideBySide(p.id, new LazyDfa(nfa), re);
  const newlines = (n: number) => "\n".repeat(n);
  const regexpMs = Object.fromEntries([250, 500].map((n) => [n, once(() => re.test(newlines(n)))]));
  const lazyMs = Object.fromEntries([250, 500, 65_536].map((n) => {
    const fresh = new LazyDfa(buildConfirmNfa(parseRegex(pattern, flags)).nfa); // cold: states built as it goes
    const input = encoder.encode(newlines(n));
    return [n, once(() => fresh.test(input))];
  }));
  const row = { id: p.id, nfaStates: nfa.kind.length, benign_ns: { lazyDfa: l!.medianNs, regexp: r!.medianNs }, newlines_ms: { lazyDfaCold: lazyMs, regexp: regexpMs } };
  console.log(
    `${p.id} NFA ${String(nfa.kind.length).padStart(6)}  benign: lazy ${fmt(l!.medianNs).padStart(9)} RegExp ${fmt(r!.medianNs).padStart(9)}` +
      `  newlines 500: lazy ${lazyMs[500]!.toFixed(2)} ms RegExp ${regexpMs[500]!.toFixed(1)} ms; 64 KiB: lazy ${lazyMs[65_536]!.toFixed(2)} ms`,
  );
  rows.push(row);
}

// ---- CRS rules confirmed by a backtracking RegExp: as written vs as the pack stores it ----
const backtracking = [];
const hostileShapes = [
  { name: "spaces, then a=b", make: (k: number) => `${" ".repeat(k)}a=b` },
  { name: "quotes, then a=b", make: (k: number) => `${"'".repeat(k)}a=b` },
  { name: "spaces, then a<a", make: (k: number) => `${" ".repeat(k)}a<a` },
];
const seen = new Set<string>();
for (const rule of importSecLang(rules, { paranoia: 4 }).pack.rules) {
  for (const c of [rule, ...(rule.chain ?? [])]) {
    const op = c.operator as { rx?: string; caseSensitive?: boolean };
    if (typeof op.rx !== "string" || seen.has(op.rx)) continue;
    seen.add(op.rx);
    const regexFlags = { caseInsensitive: op.caseSensitive === false };
    // What the pack compiler would confirm with a backtracking RegExp: no exact confirmation NFA.
    const { prefilterReasons: reasons } = buildConfirmNfa(parseRegex(op.rx, regexFlags));
    if (reasons.length === 0) continue;
    const build = (dropOptionalPrefix: boolean) => {
      const { source, flags: f } = toHostRegExpSource(op.rx!, regexFlags, { dropOptionalPrefix });
      return new RegExp(source, f);
    };
    const asWritten = build(false);
    const stored = build(true);
    const shapes = hostileShapes.map(({ name, make }) => {
      const writtenMs: Record<number, number> = {};
      for (let k = 1000; k <= 65_536; k *= 2) {
        const ms = once(() => asWritten.test(make(k)));
        writtenMs[make(k).length] = Math.round(ms * 1000) / 1000;
        if (ms > 300) break;
      }
      const storedMs: Record<number, number> = {};
      for (const length of [...Object.keys(writtenMs).map(Number), 65_536]) storedMs[length] = Math.round(once(() => stored.test(make(length - 3))) * 1000) / 1000;
      const longest = Math.max(...Object.keys(writtenMs).map(Number));
      console.log(`${rule.id} ${name}: ${longest} B as written ${writtenMs[longest]!.toFixed(1)} ms, as stored ${storedMs[longest]!.toFixed(2)} ms; 64 KiB as stored ${storedMs[65_536]!.toFixed(2)} ms`);
      return { shape: name, ms_by_length: { asWritten: writtenMs, asStored: storedMs } };
    });
    backtracking.push({ id: rule.id, reasons, shapes });
  }
}

const out = writeResult("confirm", {
  command: "npm run bench:confirm",
  note: "CRS @rx patterns over the 10,000-state DFA budget; benign: median wall ns per test of interleaved batches (both warm); newlines: one call each, wall ms (lazy DFA from a fresh cache). lookarounds: hand-written patterns with lookarounds, the lazy DFA with lookaround tables vs RegExp; hostile inputs one call each, wall ms, RegExp stopped past 300 ms. backtracking: imported CRS rules (paranoia 4) that need a backtracking RegExp, the RegExp as written vs as the pack stores it (optional leading repeat dropped), one call each, wall ms, as written stopped past 300 ms",
  lookarounds: lookaroundRows,
  patterns: rows,
  backtracking,
});
console.log(`wrote ${out}`);
