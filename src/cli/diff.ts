/**
 * `wafer diff OLD NEW [--against CORPUS.jsonl]`: rules added, removed and changed; with a
 * corpus, the requests whose decision changes between the two packs.
 */
import { readFileSync, statSync } from "node:fs";
import { createWafer } from "../entry/node.js";
import type { Decision } from "../engine/decision.js";
import { diffPacks, formatDiff } from "../lifecycle/diff.js";
import { readPackMeta } from "../pack/reader.js";
import { intOption, parseArgs, UsageError } from "./args.js";
import { isEnvelope, parseEnvelope } from "../lifecycle/envelope.js";
import { loadPackArgument } from "./load-pack.js";
import { Progress } from "./progress.js";
import { parseRequestLine } from "./request-line.js";

/**
 * A pack named on the command line: a signed envelope (.swpk, unwrapped without
 * verification: a diff trusts nothing), a compiled image (.wpk), or a source compiled now.
 */
export function readPackFile(path: string): Uint8Array {
  if (!statSync(path).isDirectory()) {
    const bytes = new Uint8Array(readFileSync(path));
    if (isEnvelope(bytes)) return parseEnvelope(bytes).image;
  }
  return loadPackArgument(path);
}

export const DIFF_USAGE = "wafer diff OLD NEW [--against CORPUS.jsonl] [--paranoia N] [--threshold N] [--format text|json]";

interface DecisionChange {
  id: string;
  from: DecisionSummary;
  to: DecisionSummary;
}
interface DecisionSummary {
  action: string;
  score: number;
  rules: string[];
}

const summarize = (d: Decision): DecisionSummary => ({ action: d.action, score: d.score, rules: [...new Set(d.matches.map((m) => m.rule))].sort() });
const same = (a: DecisionSummary, b: DecisionSummary) => a.action === b.action && a.score === b.score && a.rules.join() === b.rules.join();

export async function diff(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, { values: ["against", "paranoia", "threshold", "format"], flags: [] });
  if (positionals.length !== 2) throw new UsageError(`usage: ${DIFF_USAGE}`);
  const format = (options.format as string | undefined) ?? "text";
  if (format !== "text" && format !== "json") throw new UsageError("--format must be text or json");
  const paranoia = intOption(options, "paranoia", 1, 4) as 1 | 2 | 3 | 4 | undefined;
  const threshold = intOption(options, "threshold", 1, 1_000_000);
  const [oldImage, newImage] = positionals.map(readPackFile) as [Uint8Array, Uint8Array];
  const rules = diffPacks(readPackMeta(oldImage), readPackMeta(newImage));

  let decisions: { requests: number; changed: DecisionChange[]; errors: number } | undefined;
  if (typeof options.against === "string") {
    const engineOptions = { ...(paranoia ? { paranoia } : {}), ...(threshold ? { threshold } : {}) };
    const before = await createWafer({ ...engineOptions, pack: oldImage });
    const after = await createWafer({ ...engineOptions, pack: newImage });
    const lines = readFileSync(options.against, "utf8").split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    const progress = new Progress(lines.length, "diff");
    decisions = { requests: 0, changed: [], errors: 0 };
    for (let i = 0; i < lines.length; i++) {
      progress.update(i + 1);
      if (lines[i]!.trim() === "") continue;
      const parsed = parseRequestLine(lines[i]!);
      if ("error" in parsed) {
        decisions.errors++;
        progress.finish();
        process.stderr.write(`${options.against}:${i + 1}: skipped: ${parsed.error}\n`);
        continue;
      }
      decisions.requests++;
      const from = summarize(before.inspectSync(parsed.request));
      const to = summarize(after.inspectSync(parsed.request));
      if (!same(from, to)) decisions.changed.push({ id: parsed.id, from, to });
    }
    progress.finish();
  }

  if (format === "json") {
    process.stdout.write(`${JSON.stringify({ rules, ...(decisions ? { decisions } : {}) }, null, 2)}\n`);
  } else {
    process.stdout.write(formatDiff(rules));
    if (decisions) {
      const flips = decisions.changed.filter((c) => c.from.action !== c.to.action).length;
      process.stdout.write(
        `\n${decisions.requests} requests from ${options.against}: ${decisions.changed.length} decisions change (${flips} change action)\n`,
      );
      const show = (s: DecisionSummary) => `${s.action} ${s.score}${s.rules.length ? ` [${s.rules.join(", ")}]` : ""}`;
      for (const c of decisions.changed) process.stdout.write(`  ${c.id}: ${show(c.from)} → ${show(c.to)}\n`);
    }
  }
  return decisions && decisions.errors > 0 ? 1 : 0;
}
