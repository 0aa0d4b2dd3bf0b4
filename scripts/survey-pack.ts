/**
 * Survey of the default pack's cost, per rule: the regex DFA table size and the required
 * literals the prefilter extracted (a regex whose literals are all 1-2 bytes runs on
 * almost every value). Usage:
 *   npx esbuild scripts/survey-pack.ts --bundle --platform=node --format=esm --packages=external \
 *     --outfile=build/.tools/survey-pack.mjs && node build/.tools/survey-pack.mjs [--all]
 */
import { join } from "node:path";
import { loadPackSource } from "../src/pack/source-loader.js";
import { compilePack } from "../src/pack/compile.js";
import { compileRegex } from "../src/regex/index.js";
import type { ConditionSource, RuleSource } from "../src/pack/schema.js";

const root = process.cwd();
const all = process.argv.includes("--all");
const { source, readDataFile } = loadPackSource(join(root, "signatures/core"));
const rows: { id: string; bytes: number; states: number; shortest: number; lits: string }[] = [];
for (const rule of source.rules as RuleSource[]) {
  const conds: [string, ConditionSource][] = [[rule.id, rule], ...(rule.chain ?? []).map((c, i) => [`${rule.id}#chain${i + 1}`, c] as [string, ConditionSource])];
  for (const [id, c] of conds) {
    const op = c.operator as { rx?: string; caseSensitive?: boolean };
    if (typeof op.rx !== "string") continue;
    const compiled = compileRegex(op.rx, { caseInsensitive: op.caseSensitive === false });
    const lits = compiled.literals ?? [];
    const shortest = lits.length === 0 ? 0 : Math.min(...lits.map((l) => l.length));
    rows.push({ id, bytes: compiled.table.length, states: compiled.states, shortest, lits: lits.slice(0, 6).map((l) => JSON.stringify(l)).join(" ") + (lits.length > 6 ? ` …(${lits.length})` : "") });
  }
}
rows.sort((a, b) => b.bytes - a.bytes);
for (const r of rows) {
  const flag = r.shortest === 0 ? "ALWAYS" : r.shortest < 3 ? "SHORT " : "      ";
  if (all || r.bytes > 8000 || r.shortest < 3) console.log(`${flag} ${String(r.bytes).padStart(7)} ${String(r.states).padStart(5)}  ${r.id.padEnd(34)} ${r.lits}`);
}
const { report } = compilePack(source, { readDataFile, builtAt: "1970-01-01T00:00:00.000Z" });
console.log(`regex rules ${rows.length}, DFA bytes ${rows.reduce((n, r) => n + r.bytes, 0)}, always ${rows.filter((r) => r.shortest === 0).length}, short ${rows.filter((r) => r.shortest > 0 && r.shortest < 3).length}`);
console.log(`pack: ${report.rules} rules, ${report.literals} literals, ${report.regexes} regexes, ${report.bytes} bytes`);
{
  const { image } = compilePack(source, { readDataFile, builtAt: "1970-01-01T00:00:00.000Z" });
  const dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const ac = dv.getUint32(48, true);
  if (ac !== 0) {
    const states = dv.getUint32(ac, true), classes = dv.getUint32(ac + 4, true), k = dv.getUint32(ac + 28, true);
    console.log(`literal automaton: ${states} states × ${classes} classes × 2 = ${states * classes * 2} bytes, prefix K=${k}, patterns ${dv.getUint32(ac + 16, true)}`);
  }
}
