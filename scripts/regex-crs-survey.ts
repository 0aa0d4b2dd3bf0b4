/**
 * Survey: compile every `@rx` pattern of the OWASP CRS rules in ../shared/corpora/crs/rules
 * with `compileRegexParts` (ModSecurity flags: dotAll, dollarEndOnly) and report how many become
 * one exact DFA within the state budget, how many need prefilter mode (host confirmation), how
 * many need several parts (alternation splits, widened counted repeats), and what fails and why.
 *
 *   npx esbuild scripts/regex-crs-survey.ts --bundle --platform=node --format=esm \
 *     --outfile=/tmp/regex-crs-survey.mjs && node /tmp/regex-crs-survey.mjs [--budget N] [--verbose]
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compileRegexParts, DfaBudgetError, RegexSyntaxError } from "../src/regex/index.js";

export interface CrsPattern {
  file: string;
  line: number;
  id: string;
  pattern: string;
}

/** Every `@rx` operator argument in the CRS rule files, verbatim (PCRE sees `\"` as `"`). */
export function crsRxPatterns(rulesDir: string): CrsPattern[] {
  const out: CrsPattern[] = [];
  for (const file of readdirSync(rulesDir).filter((f) => f.endsWith(".conf")).sort()) {
    const lines = readFileSync(join(rulesDir, file), "utf8").split("\n");
    lines.forEach((text, i) => {
      const m = /"!?@rx ((?:[^"\\]|\\.)*)"/.exec(text);
      if (!m) return;
      let id = "?";
      for (let j = i; j < Math.min(lines.length, i + 12); j++) {
        const idm = /\bid:(\d+)/.exec(lines[j]);
        if (idm) {
          id = idm[1];
          break;
        }
      }
      out.push({ file, line: i + 1, id, pattern: m[1] });
    });
  }
  return out;
}

function main(): void {
  const args = process.argv.slice(2);
  const budgetArg = args.indexOf("--budget");
  const stateBudget = budgetArg >= 0 ? Number(args[budgetArg + 1]) : 10_000;
  const verbose = args.includes("--verbose");
  const dir = new URL("../../shared/corpora/crs/rules", import.meta.url).pathname;
  const rulesDir = existsSync(dir) ? dir : join(process.cwd(), "../shared/corpora/crs/rules");
  if (!existsSync(rulesDir)) {
    console.log(`CRS rules not found at ${rulesDir}; nothing to survey`);
    return;
  }
  const patterns = crsRxPatterns(rulesDir);
  const counts = { exact: 0, prefilter: 0, budget: 0, syntax: 0, other: 0, withLiterals: 0, splitOk: 0, splitParts: 0, splitNeedsConfirm: 0 };
  const splitFailures: string[] = [];
  const failures: string[] = [];
  const prefilterWhy = new Map<string, number>();
  let maxStates = 0;
  let totalStates = 0;
  let totalBytes = 0;
  let slowest = { ms: 0, id: "" };
  const t0 = performance.now();
  for (const p of patterns) {
    const t = performance.now();
    try {
      // One DFA when it fits; otherwise parts (widened counted repeats and/or alternation splits).
      const parts = compileRegexParts(p.pattern, { dotAll: true, dollarEndOnly: true }, { stateBudget });
      const widened = parts.some((x) => x.warnings.some((w) => /widened/.test(w)));
      if (parts.length === 1 && !widened) {
        const c = parts[0];
        if (c.needsConfirm) {
          counts.prefilter++;
          for (const w of c.warnings) {
            const kind = /prefilter mode: ([a-z -]+?)(?: at|\s\{|$)/.exec(w)?.[1] ?? w;
            prefilterWhy.set(kind, (prefilterWhy.get(kind) ?? 0) + 1);
          }
        } else counts.exact++;
      } else {
        counts.budget++;
        counts.splitOk++;
        counts.splitParts += parts.length;
        if (widened) counts.splitNeedsConfirm++;
        if (verbose) console.log(`${p.id} as ${parts.length} part(s)${widened ? ", widened" : ""}, states ${parts.map((x) => x.states).join("+")}`);
      }
      for (const c of parts) {
        maxStates = Math.max(maxStates, c.states);
        totalStates += c.states;
        totalBytes += c.table.length;
      }
      if (parts.every((c) => c.literals)) counts.withLiterals++;
      if (verbose && parts.length === 1) {
        const c = parts[0];
        console.log(`${p.id} ok states=${c.states} classes=${c.classes} literals=${c.literals?.length ?? "none"} ${c.needsConfirm ? "confirm" : ""}`);
      }
    } catch (e) {
      if (e instanceof DfaBudgetError) {
        counts.budget++;
        splitFailures.push(`${p.id}: ${(e as Error).message}`);
      } else if (e instanceof RegexSyntaxError) counts.syntax++;
      else counts.other++;
      failures.push(`${p.file}:${p.line} id ${p.id}: ${(e as Error).name}: ${(e as Error).message.split("\n")[0]}`);
    }
    const ms = performance.now() - t;
    if (ms > slowest.ms) slowest = { ms, id: p.id };
  }
  const elapsed = performance.now() - t0;
  console.log(JSON.stringify({
    patterns: patterns.length,
    stateBudget,
    exactDfa: counts.exact,
    prefilterMode: counts.prefilter,
    prefilterReasons: Object.fromEntries(prefilterWhy),
    overBudgetAsOneDfa: counts.budget,
    overBudgetButCompiledAsParts: counts.splitOk,
    partsForThose: counts.splitParts,
    ofThoseWidenedAndConfirmed: counts.splitNeedsConfirm,
    failedEvenAsParts: splitFailures,
    failedSyntax: counts.syntax,
    failedOther: counts.other,
    withLiterals: counts.withLiterals,
    maxStates,
    totalStates,
    totalTableBytes: totalBytes,
    compileMs: Math.round(elapsed),
    slowest: { id: slowest.id, ms: Math.round(slowest.ms) },
  }, null, 2));
  for (const f of failures) console.log(f);
}

if (process.argv[1] && /regex-crs-survey/.test(process.argv[1])) main();
