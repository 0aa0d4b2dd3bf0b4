/**
 * `wafer export ddwaf PACK_SOURCE -o rules.json`: a wafer pack source written as a libddwaf
 * ruleset. It reads the pack's *source* (YAML/JSON file or directory): a compiled .wpk keeps
 * automata, not the rules they came from.
 */
import { writeFileSync } from "node:fs";
import { exportDdwaf } from "../ddwaf/export.js";
import { loadPackSource } from "../pack/source-loader.js";
import { validatePack } from "../pack/validate.js";
import { intOption, parseArgs, UsageError } from "./args.js";

export const EXPORT_USAGE =
  "wafer export ddwaf PACK_SOURCE(.yaml|.json|dir) -o rules.json [--paranoia N] [--approximate]  (a pack source, not a .wpk: the image holds no rule source)";

export function exportCommand(argv: string[]): number {
  const [format, ...rest] = argv;
  if (format !== "ddwaf") throw new UsageError(`usage: ${EXPORT_USAGE}`);
  const { positionals, options } = parseArgs(rest.map((a) => (a === "-o" ? "--out" : a)), { values: ["out", "paranoia"], flags: ["approximate"] });
  if (positionals.length !== 1 || !options.out) throw new UsageError(`usage: ${EXPORT_USAGE}`);
  if (positionals[0]!.endsWith(".wpk")) throw new UsageError("export reads a pack source (YAML/JSON or a directory); a compiled .wpk holds no rule source");
  const paranoia = intOption(options, "paranoia", 1, 4) as 1 | 2 | 3 | 4 | undefined;
  const { source } = loadPackSource(positionals[0]!);
  const { json, unsupported, notes } = exportDdwaf(validatePack(source), { paranoia, approximate: options.approximate === true });
  writeFileSync(options.out as string, `${JSON.stringify(json, null, 2)}\n`);
  process.stderr.write(`exported ${json.rules!.length} rules, ${unsupported.length} not expressible in libddwaf → ${options.out as string}\n`);
  for (const u of unsupported) process.stderr.write(`  ${u.id}: ${u.reason}\n`);
  if (notes.length > 0) process.stderr.write(`approximated (--approximate), detection differs:\n`);
  for (const n of notes) process.stderr.write(`  ${n.id}: ${n.note}\n`);
  return 0;
}
