/**
 * `wafer import seclang FILES|DIR -o PACK.wpk [--routes ROUTES.mjs] [--paranoia N] [--threshold N] [--tx name=value …]`:
 * ModSecurity / OWASP CRS rules to a compiled pack, and their runtime exclusions
 * (ctl:ruleRemove… on the path and method) to an ES module of engine routes. Everything that
 * cannot be expressed is listed with its reason; nothing is dropped silently.
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { compilePack } from "../pack/compile.js";
import { importSecLang, type SecLangFile } from "../seclang/index.js";
import { intOption, UsageError } from "./args.js";
import { writeRoutesModule } from "./routes-module.js";

export const IMPORT_SECLANG_USAGE =
  "wafer import seclang FILES|DIR -o PACK.wpk [--routes ROUTES.mjs] [--paranoia 1-4] [--threshold N] [--tx name=value]... [--verbose]";

export function importSecLangCommand(argv: string[]): number {
  const positionals: string[] = [];
  const tx: Record<string, string> = {};
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-o" || a === "--out") options.out = argv[++i] ?? "";
    else if (a === "--routes") options.routes = argv[++i] ?? "";
    else if (a === "--paranoia" || a === "--threshold") options[a.slice(2)] = argv[++i] ?? "";
    else if (a === "--tx") {
      const [name, ...value] = (argv[++i] ?? "").split("=");
      if (!name || value.length === 0) throw new UsageError("--tx takes name=value");
      tx[name] = value.join("=");
    } else if (a === "--verbose") options.verbose = true;
    else if (a.startsWith("--")) throw new UsageError(`unknown option ${a}\nusage: ${IMPORT_SECLANG_USAGE}`);
    else positionals.push(a);
  }
  if (positionals.length === 0 || !options.out) throw new UsageError(`usage: ${IMPORT_SECLANG_USAGE}`);
  const paranoia = intOption(options, "paranoia", 1, 4) as 1 | 2 | 3 | 4 | undefined;
  const threshold = intOption(options, "threshold", 1, 1_000_000);
  const started = performance.now();
  const input: SecLangFile[] | string =
    positionals.length === 1 && statSync(positionals[0]!).isDirectory()
      ? positionals[0]!
      : positionals.map((path) => ({ path, text: readFileSync(path, "utf8") }));
  const result = importSecLang(input, {
    ...(paranoia ? { paranoia } : {}),
    ...(threshold ? { inboundThreshold: threshold } : {}),
    ...(Object.keys(tx).length > 0 ? { tx } : {}),
  });
  const importMs = performance.now() - started;
  const { image, report } = compilePack(result.pack, { onUnsupported: "skip" });
  writeFileSync(options.out as string, image);
  const grouped = new Map<string, string[]>();
  for (const u of [...result.unsupported.map((r) => ({ id: r.id, reason: r.reason })), ...report.skipped.map((s) => ({ id: s.rule, reason: s.reason }))]) {
    const list = grouped.get(u.reason) ?? [];
    list.push(String(u.id));
    grouped.set(u.reason, list);
  }
  process.stderr.write(
    `imported ${result.pack.rules.length} rules in ${importMs.toFixed(0)} ms (${result.unsupported.length} unsupported, ` +
      `${result.disabled.length} left out by configuration, ${result.notes.length} approximations); ` +
      `compiled ${report.rules} rules → ${options.out}, ${image.length} bytes (${gzipSync(image).length} gzip)` +
      `${report.overBudget ? `, ${report.overBudget} regexes over the DFA budget, confirmed by the host's lazy DFA` : ""}` +
      `${report.confirmedByBacktracking ? `, ${report.confirmedByBacktracking} confirmed by a backtracking RegExp (backreferences, atomic groups or possessive repeats)` : ""}\n`,
  );
  const routes = result.routes.map((r) => ({ ...r, from: `${r.file.split(/[\\/]/).pop()}:${r.line}` }));
  const routesLine = writeRoutesModule(options.routes as string | undefined, "wafer import seclang", "runtime exclusions (ctl:ruleRemove…)", routes);
  if (routesLine) process.stderr.write(`  ${routesLine}`);
  for (const [reason, ids] of grouped) process.stderr.write(`  not imported ×${ids.length}: ${reason} (${ids.slice(0, 8).join(", ")}${ids.length > 8 ? ", …" : ""})\n`);
  if (options.verbose) for (const n of result.notes) process.stderr.write(`  approximation: ${n.id}: ${n.reason}\n`);
  return 0;
}
