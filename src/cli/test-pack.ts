/**
 * `wafer test PACK CORPUS.jsonl... [--paranoia 1,2] [--json]`: how well a pack detects and
 * what it lets alone, through the real engine (request extraction included).
 *
 * Two kinds of lines are read:
 * - request records (`wafer scan` lines: id, method, uri, headers, body), labelled by a
 *   `label` field ("benign" or anything else = malicious, with `family`), or by `tags`
 *   (["attack", family, …] as in examples/requests.jsonl); unlabelled requests are benign;
 * - payload records (`{payload}` or `{decoded}`, with `family` and `label`), each placed in a
 *   query argument, a form field, a JSON field, a header and a cookie, each placement
 *   reported on its own.
 * For each paranoia level it prints detection per family and placement, false positives,
 * the rules that fire most on benign data, and µs per request.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { createWafer } from "../entry/node.js";
import type { Wafer } from "../engine/engine.js";
import type { PlainRequest } from "../request/types.js";
import { UsageError } from "./args.js";
import { loadPackArgument } from "./load-pack.js";
import { Progress } from "./progress.js";
import { parseRequestLine } from "./request-line.js";

export const TEST_USAGE = "wafer test PACK(.wpk|source) CORPUS.jsonl... [--paranoia 1,2] [--json]";

const PLACEMENTS = ["query", "form", "json", "header", "cookie"] as const;
type Placement = (typeof PLACEMENTS)[number] | "request";

interface Sample {
  family: string;
  malicious: boolean;
  /** One request per placement (payload records) or the request itself. */
  requests: { placement: Placement; request: PlainRequest }[];
}

interface Tally {
  total: number;
  blocked: number;
}

export async function testPack(argv: string[]): Promise<number> {
  const files: string[] = [];
  let levels = [1, 2];
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--json") json = true;
    else if (a === "--paranoia") {
      levels = (argv[++i] ?? "").split(",").map(Number);
      if (levels.length === 0 || levels.some((l) => ![1, 2, 3, 4].includes(l))) throw new UsageError("--paranoia takes levels 1-4, e.g. 1,2");
    } else if (a.startsWith("--")) throw new UsageError(`unknown option ${a}\nusage: ${TEST_USAGE}`);
    else files.push(a);
  }
  if (files.length < 2) throw new UsageError(`usage: ${TEST_USAGE}`);
  const pack = loadPackArgument(files[0]!);
  const samples: (Sample & { source: string })[] = [];
  let malformed = 0;
  for (const file of files.slice(1)) {
    const lines = readFileSync(file, "utf8").split("\n");
    lines.forEach((line, n) => {
      if (line.trim() === "") return;
      const sample = toSample(line);
      if (!sample) {
        malformed++;
        process.stderr.write(`${file}:${n + 1}: skipped: neither a request nor a payload record\n`);
      } else samples.push({ ...sample, source: basename(file) });
    });
  }

  const report: Record<string, unknown>[] = [];
  for (const paranoia of levels) {
    const wafer = await createWafer({ pack, paranoia: paranoia as 1 | 2 | 3 | 4, mode: "monitor" });
    report.push(run(wafer, samples, paranoia));
  }
  if (json) process.stdout.write(`${JSON.stringify({ pack: files[0], corpora: files.slice(1), levels: report }, null, 2)}\n`);
  else for (const r of report) printLevel(r as ReturnType<typeof run>);
  return malformed > 0 ? 1 : 0;
}

function toSample(line: string): Sample | undefined {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line);
  } catch {
    return undefined;
  }
  const tags = Array.isArray(o.tags) ? (o.tags as string[]) : [];
  const label = typeof o.label === "string" ? o.label : tags.includes("attack") ? "malicious" : "benign";
  const family = typeof o.family === "string" ? o.family : tags.includes("attack") ? (tags[1] ?? "attack") : "benign";
  const malicious = label !== "benign";
  if (typeof o.method === "string" && typeof o.uri === "string") {
    const parsed = parseRequestLine(JSON.stringify({ id: o.id ?? "", ...o }));
    if ("error" in parsed) return undefined;
    return { family, malicious, requests: [{ placement: "request", request: parsed.request as PlainRequest }] };
  }
  const payload = typeof o.decoded === "string" ? o.decoded : typeof o.payload === "string" ? o.payload : undefined;
  if (payload === undefined) return undefined;
  return { family, malicious, requests: PLACEMENTS.map((placement) => ({ placement, request: place(payload, placement) })) };
}

/** The payload as a client would send it in each placement (encoded where the protocol needs it). */
function place(payload: string, placement: (typeof PLACEMENTS)[number]): PlainRequest {
  const host: [string, string] = ["host", "app.example"];
  switch (placement) {
    case "query":
      return { method: "GET", url: `/search?q=${encodeURIComponent(payload)}`, headers: [host] };
    case "form":
      return { method: "POST", url: "/submit", headers: [host, ["content-type", "application/x-www-form-urlencoded"]], body: `comment=${encodeURIComponent(payload)}` };
    case "json":
      return { method: "POST", url: "/api", headers: [host, ["content-type", "application/json"]], body: JSON.stringify({ data: { value: payload } }) };
    case "header":
      // Header values cannot carry CR/LF or most control bytes: percent-encode those.
      return { method: "GET", url: "/", headers: [host, ["x-custom", payload.replace(/[\x00-\x1f\x7f]/g, (c) => encodeURIComponent(c))]] };
    case "cookie":
      return { method: "GET", url: "/", headers: [host, ["cookie", `pref=${encodeURIComponent(payload)}`]] };
  }
}

function run(wafer: Wafer, samples: (Sample & { source: string })[], paranoia: number) {
  const detection = new Map<string, Map<Placement, Tally>>();
  const benign = new Map<string, Tally>();
  const noisyRules = new Map<string, number>();
  let requests = 0;
  let ns = 0n;
  const progress = new Progress(samples.length, `paranoia ${paranoia}`);
  samples.forEach((s, i) => {
    progress.update(i + 1);
    for (const { placement, request } of s.requests) {
      const t0 = process.hrtime.bigint();
      const d = wafer.inspectSync(request);
      ns += process.hrtime.bigint() - t0;
      requests++;
      const blocked = d.action !== "allow";
      if (s.malicious) {
        const key = `${s.source}:${s.family}`;
        const byPlacement = detection.get(key) ?? new Map<Placement, Tally>();
        const t = byPlacement.get(placement) ?? { total: 0, blocked: 0 };
        t.total++;
        if (blocked) t.blocked++;
        byPlacement.set(placement, t);
        detection.set(key, byPlacement);
      } else {
        const t = benign.get(s.source) ?? { total: 0, blocked: 0 };
        t.total++;
        if (blocked) {
          t.blocked++;
          for (const m of d.matches) noisyRules.set(m.rule, (noisyRules.get(m.rule) ?? 0) + 1);
        }
        benign.set(s.source, t);
      }
    }
  });
  progress.finish();
  const pct = (t: Tally) => (t.total === 0 ? 0 : (100 * t.blocked) / t.total);
  return {
    paranoia,
    microsecondsPerRequest: requests > 0 ? Number(ns) / 1000 / requests : 0,
    detection: [...detection].map(([family, byPlacement]) => {
      const rates = Object.fromEntries([...byPlacement].map(([p, t]) => [p, { ...t, rate: pct(t) }]));
      const values = [...byPlacement.values()].map(pct);
      return { family, placements: rates, best: Math.max(...values), average: values.reduce((a, b) => a + b, 0) / values.length };
    }),
    falsePositives: [...benign].map(([source, t]) => ({ source, ...t, rate: pct(t) })),
    noisyRules: [...noisyRules].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([rule, count]) => ({ rule, count })),
  };
}

function printLevel(r: ReturnType<typeof run>): void {
  const out: string[] = [`paranoia ${r.paranoia} (${r.microsecondsPerRequest.toFixed(1)} µs per request)`];
  if (r.detection.length > 0) {
    out.push(`  detection            ${["best", "avg", ...PLACEMENTS, "request"].map((h) => h.padStart(8)).join("")}`);
    for (const d of r.detection) {
      const cell = (p: Placement) => {
        const t = (d.placements as Record<string, { rate: number } | undefined>)[p];
        return (t ? `${t.rate.toFixed(1)}%` : "-").padStart(8);
      };
      out.push(`  ${d.family.slice(0, 20).padEnd(20)} ${`${d.best.toFixed(1)}%`.padStart(8)}${`${d.average.toFixed(1)}%`.padStart(8)}${[...PLACEMENTS, "request" as const].map(cell).join("")}`);
    }
  }
  for (const f of r.falsePositives) out.push(`  false positives ${f.source}: ${f.blocked}/${f.total} = ${f.rate.toFixed(2)}%`);
  if (r.noisyRules.length > 0) out.push(`  rules firing most on benign data: ${r.noisyRules.map((n) => `${n.rule} ×${n.count}`).join(", ")}`);
  process.stdout.write(`${out.join("\n")}\n`);
}
