/** `wafer compile SRC -o PACK.wpk` and `wafer inspect-pack PACK.wpk`. */
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { compilePackFrom } from "../pack/source-loader.js";
import { readPackHeader, readPackMeta } from "../pack/reader.js";
import { parseArgs, UsageError } from "./args.js";

export const COMPILE_USAGE = "wafer compile SRC(.yaml|.json|dir) -o PACK.wpk [--skip-unsupported]";
export const INSPECT_PACK_USAGE = "wafer inspect-pack PACK.wpk [--rules]";

export function compile(argv: string[]): number {
  const { positionals, options } = parseArgs(argv.map((a) => (a === "-o" ? "--out" : a)), { values: ["out"], flags: ["skip-unsupported"] });
  if (positionals.length !== 1 || !options.out) throw new UsageError(`usage: ${COMPILE_USAGE}`);
  const started = performance.now();
  const { image, report } = compilePackFrom(positionals[0]!, { onUnsupported: options["skip-unsupported"] ? "skip" : "error" });
  const ms = performance.now() - started;
  writeFileSync(options.out as string, image);
  process.stderr.write(
    `compiled ${report.rules} rules (${report.conditions} chain conditions) in ${ms.toFixed(0)} ms → ${options.out}\n` +
      `  ${report.groups} transform groups, ${report.literals} literals (${report.automatonStates} automaton states), ` +
      `${report.regexes} regexes (${report.dfaStates} DFA states, ${report.unfiltered} without a prefilter literal (${report.requiredByteSets} of them skipped on values lacking a required byte), ${report.confirmed} confirmed by the host${report.confirmedByBacktracking ? `, ${report.confirmedByBacktracking} of them by a backtracking RegExp (backreferences, atomic groups or possessive repeats: no linear-time bound on hostile input)` : ""})\n` +
      `  ${image.length} bytes (${gzipSync(image).length} gzip)\n`,
  );
  for (const s of report.skipped) process.stderr.write(`  skipped rule ${s.rule}: ${s.reason}\n`);
  return 0;
}

export function inspectPack(argv: string[]): number {
  const { positionals, options } = parseArgs(argv, { values: [], flags: ["rules"] });
  if (positionals.length !== 1) throw new UsageError(`usage: ${INSPECT_PACK_USAGE}`);
  const image = new Uint8Array(readFileSync(positionals[0]!));
  const header = readPackHeader(image);
  const meta = readPackMeta(image, header);
  const families = new Map<string, number>();
  for (const r of meta.rules.slice(0, header.ruleCount)) families.set(r.family, (families.get(r.family) ?? 0) + 1);
  const info = {
    name: meta.name,
    version: meta.version,
    description: meta.description,
    builtAt: meta.builtAt,
    abi: header.abi,
    formatVersion: header.formatVersion,
    bytes: image.length,
    rules: header.ruleCount,
    groups: meta.groups,
    threshold: header.threshold,
    families: Object.fromEntries(families),
    report: meta.report,
    ...(options.rules ? { ruleList: meta.rules } : {}),
  };
  process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
  return 0;
}
