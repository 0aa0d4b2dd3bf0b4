/**
 * `wafer import ddwaf RULES.json -o PACK.wpk [--routes ROUTES.mjs]`: a libddwaf ruleset compiled
 * into a wafer pack, and its conditional exclusions on the URI and method as engine routes.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { importDdwaf } from "../ddwaf/import.js";
import { compilePack } from "../pack/compile.js";
import { PackError } from "../pack/errors.js";
import { parseArgs, UsageError } from "./args.js";
import { writeRoutesModule } from "./routes-module.js";

export const IMPORT_DDWAF_USAGE =
  "wafer import ddwaf RULES.json -o PACK.wpk [--routes ROUTES.mjs] [--source PACK.json] [--include-disabled] [--non-blocking log|score|confidence] [--notes]";

export function importDdwafCommand(argv: string[]): number {
  const { positionals, options } = parseArgs(argv.map((a) => (a === "-o" ? "--out" : a)), {
    values: ["out", "source", "non-blocking", "name", "routes"],
    flags: ["include-disabled", "notes"],
  });
  if (positionals.length !== 1 || !options.out) throw new UsageError(`usage: ${IMPORT_DDWAF_USAGE}`);
  const nonBlocking = options["non-blocking"];
  if (nonBlocking !== undefined && !["log", "score", "confidence"].includes(nonBlocking as string))
    throw new UsageError("--non-blocking must be log, score or confidence");
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(positionals[0]!, "utf8"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw e;
    throw new PackError([{ path: positionals[0]!, message: `cannot parse JSON: ${(e as Error).message}` }], "libddwaf ruleset");
  }
  const started = performance.now();
  const { pack, unsupported, notes, routes } = importDdwaf(json, {
    includeDisabled: options["include-disabled"] === true,
    nonBlocking: nonBlocking as "log" | "score" | "confidence" | undefined,
    name: options.name as string | undefined,
  });
  const imported = performance.now();
  const { image, report } = compilePack(pack, { onUnsupported: "skip" });
  const compiled = performance.now();
  writeFileSync(options.out as string, image);
  if (typeof options.source === "string") writeFileSync(options.source, `${JSON.stringify(pack, null, 2)}\n`);
  const out = process.stderr;
  out.write(
    `imported ${pack.rules.length} rules, ${unsupported.length} not imported, ${report.skipped.length} imported but not compiled\n` +
      `compiled ${report.rules} rules in ${(compiled - imported).toFixed(0)} ms (import ${(imported - started).toFixed(0)} ms) → ${options.out as string}\n` +
      `  ${image.length} bytes (${gzipSync(image).length} gzip)\n`,
  );
  out.write(writeRoutesModule(options.routes as string | undefined, "wafer import ddwaf", "conditional exclusions", routes));
  const byReason = new Map<string, string[]>();
  for (const u of unsupported) byReason.set(u.reason, [...(byReason.get(u.reason) ?? []), u.id]);
  for (const s of report.skipped) {
    const reason = `wafer compiler: ${s.reason.replace(/^rx ".*": /s, "rx: ")}`;
    byReason.set(reason, [...(byReason.get(reason) ?? []), s.rule]);
  }
  if (byReason.size > 0) out.write("not imported, by reason:\n");
  for (const [reason, ids] of [...byReason].sort((a, b) => b[1].length - a[1].length))
    out.write(`  ${String(ids.length).padStart(3)}  ${reason}: ${ids.slice(0, 6).join(", ")}${ids.length > 6 ? ", …" : ""}\n`);
  if (notes.length > 0) {
    out.write(`${notes.length} notes on imported rules${options.notes ? ":" : " (--notes to list)"}\n`);
    if (options.notes) for (const n of notes) out.write(`  ${n.id}: ${n.note}\n`);
  }
  return 0;
}
