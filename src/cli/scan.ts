/**
 * `wafer scan FILE.jsonl`: inspects one request per line and writes one decision per line,
 * in order. Malformed lines are reported with their line number and skipped; the run goes
 * on and exits non-zero at the end.
 */
import { readFileSync } from "node:fs";
import { createWafer } from "../entry/node.js";
import type { Decision } from "../engine/decision.js";
import { intOption, parseArgs, UsageError } from "./args.js";
import { loadPackArgument } from "./load-pack.js";
import { Progress } from "./progress.js";
import { parseRequestLine } from "./request-line.js";

export const SCAN_USAGE = "wafer scan FILE.jsonl [--pack P] [--paranoia N] [--threshold N] [--format jsonl|table] [--mode block|monitor]";

export async function scan(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, { values: ["pack", "paranoia", "threshold", "format", "mode"], flags: [] });
  if (positionals.length !== 1) throw new UsageError(`usage: ${SCAN_USAGE}`);
  const format = (options.format as string | undefined) ?? "jsonl";
  if (format !== "jsonl" && format !== "table") throw new UsageError("--format must be jsonl or table");
  const mode = options.mode as string | undefined;
  if (mode !== undefined && mode !== "block" && mode !== "monitor") throw new UsageError("--mode must be block or monitor");
  const paranoia = intOption(options, "paranoia", 1, 4) as 1 | 2 | 3 | 4 | undefined;
  const threshold = intOption(options, "threshold", 1, 1_000_000);
  const wafer = await createWafer({
    ...(options.pack ? { pack: loadPackArgument(options.pack as string) } : {}),
    ...(paranoia ? { paranoia } : {}),
    ...(threshold ? { threshold } : {}),
    ...(mode ? { mode: mode as "block" | "monitor" } : {}),
  });

  const lines = readFileSync(positionals[0]!, "utf8").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const progress = new Progress(lines.length, "scan");
  const rows: { id: string; decision: Decision }[] = [];
  const perFamily = new Map<string, number>();
  let errors = 0;
  let blocked = 0;
  let inspectNs = 0n;
  const out: string[] = [];
  const flush = () => {
    if (out.length > 0) process.stdout.write(out.join(""));
    out.length = 0;
  };
  for (let i = 0; i < lines.length; i++) {
    progress.update(i + 1);
    if (lines[i]!.trim() === "") continue;
    const parsed = parseRequestLine(lines[i]!);
    if ("error" in parsed) {
      errors++;
      progress.finish();
      process.stderr.write(`${positionals[0]}:${i + 1}: skipped: ${parsed.error}\n`);
      continue;
    }
    const start = process.hrtime.bigint();
    const decision = wafer.inspectSync(parsed.request);
    inspectNs += process.hrtime.bigint() - start;
    if (decision.denied) blocked++;
    for (const family of new Set(decision.matches.map((m) => m.family))) perFamily.set(family, (perFamily.get(family) ?? 0) + 1);
    if (format === "jsonl") {
      out.push(`${JSON.stringify({
        id: parsed.id,
        action: decision.action,
        blocked: decision.denied,
        score: decision.score,
        matches: decision.matches.map((m) => ({ rule: m.rule, family: m.family, field: fieldLabel(m.field) })),
      })}\n`);
      if (out.length >= 256) flush();
    } else rows.push({ id: parsed.id, decision });
  }
  progress.finish();
  flush();
  if (format === "table") printTable(rows);
  const inspected = lines.length - errors;
  const families = [...perFamily.entries()].sort((a, b) => b[1] - a[1]).map(([f, n]) => `${f} ${n}`).join(", ");
  process.stderr.write(
    `${inspected} requests, ${blocked} blocked${families ? ` (${families})` : ""}, ` +
      `${inspected > 0 ? (Number(inspectNs) / 1000 / inspected).toFixed(1) : "0"} µs per request` +
      `${errors > 0 ? `, ${errors} malformed line${errors === 1 ? "" : "s"} skipped` : ""}; pack ${wafer.pack.name} ${wafer.pack.version}\n`,
  );
  return errors > 0 ? 1 : 0;
}

export function fieldLabel(field: { kind: string; name?: string; part: string }): string {
  return `${field.kind}${field.name !== undefined ? `:${field.name}` : ""}${field.part === "name" ? " (name)" : ""}`;
}

function printTable(rows: { id: string; decision: Decision }[]): void {
  const cells = rows.map(({ id, decision }) => [
    id,
    decision.action,
    String(decision.score),
    decision.matches.map((m) => `${m.rule} ${m.family} @ ${fieldLabel(m.field)}`).join("; ") || "-",
  ]);
  const header = ["id", "action", "score", "matches"];
  const widths = header.map((h, c) => Math.min(c === 3 ? 80 : 40, Math.max(h.length, ...cells.map((r) => r[c]!.length))));
  const line = (r: string[]) => r.map((v, c) => (v.length > widths[c]! ? `${v.slice(0, widths[c]! - 1)}…` : v.padEnd(widths[c]!))).join("  ");
  const lines = [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)];
  process.stdout.write(`${lines.join("\n")}\n`);
}
