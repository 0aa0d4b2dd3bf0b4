/**
 * Detection and false-positive rates of a signature pack (default: signatures/core) on the
 * public corpora in ../shared/corpora (never copied into the repo) and on the project's
 * benign request corpus. A developer tool for pack authors until `wafer test` exists: it
 * compiles the pack, loads it into build/engine.wasm and inspects hand-built field lists
 * (the way test/pack/harness.ts does), so it works without the request extractor.
 *
 *   npx esbuild scripts/quality-pack.ts --bundle --platform=node --format=esm --packages=external --outfile=/tmp/qp.mjs
 *   node /tmp/qp.mjs [--pack DIR] [--benign FILE.jsonl] [--misses FAMILY [--source S]] [--fp] [--pl N] [--markdown] [--json FILE]
 *
 * Placements of each payload (a payload counts as detected in a placement when the anomaly
 * score reaches the pack threshold at the given paranoia level):
 *   arg    query argument `q`            json   JSON body member (a JSON object payload is flattened)
 *   header `user-agent` header           cookie cookie `pref`
 *   uri    the raw request target `/<payload>` (path traversal only)
 * Benign whole requests (test/corpora/benign-requests.jsonl, or --benign) are split into
 * fields by a small extractor here (method, target, path, query args, headers, cookies,
 * form/JSON/multipart body, raw body): an approximation of src/request, documented below.
 * `--json FILE` also writes the figures as JSON.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { execSync } from "node:child_process";
import { FieldKind as K } from "../src/engine/abi.js";
import { ArenaWriter, type ArenaHost } from "../src/engine/arena-writer.js";
import { compilePackFrom } from "../src/pack/source-loader.js";

const root = process.cwd();
const corpora = join(root, "..", "shared", "corpora");
const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const packDir = opt("--pack") ?? join(root, "signatures", "core");
const benignFile = opt("--benign") ?? join(root, "test", "corpora", "benign-requests.jsonl");
const missesOf = opt("--misses");
const missPl = Number(opt("--pl") ?? 1);
const showFp = argv.includes("--fp");
const missSource = opt("--source");
const markdown = argv.includes("--markdown");

interface Field { kind: number; name: string; value: string }

// ---- engine ------------------------------------------------------------------------------
const started = performance.now();
const { image, meta, report } = compilePackFrom(packDir);
const compileMs = performance.now() - started;
const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(join(root, "build", "engine.wasm"))), {});
const ex = instance.exports as Record<string, any>;
const memory = ex.memory as WebAssembly.Memory;
if (ex.configure(1 << 20, 256, 1 << 16, 4096, 32 + 16 * 64) !== 0) throw new Error("configure failed");
const packPtr = ex.packReserve(image.length);
new Uint8Array(memory.buffer, packPtr, image.length).set(image);
{ const code = ex.packActivate(image.length); if (code !== 0) throw new Error(`packActivate: code ${code}, detail ${ex.packError()}`); }
const writer = new ArenaWriter(ex as unknown as ArenaHost, { maxFields: 512, maxFieldBytes: 1 << 17, maxBodyBytes: 1 << 17, maxTotalBytes: 1 << 21 });
const threshold = meta.threshold;

/** Scores one field list; unconfirmed (host-RegExp) matches are not counted, as the engine would before confirmation. */
function inspect(fields: Field[], paranoia: number): { blocked: boolean; rules: string[]; where: string[]; score: number; scores: number[] } {
  writer.reset();
  for (const f of fields) writer.add(f.kind, f.name, f.value);
  ex.inspect(writer.count, paranoia, 1 << 30, 0);
  const result = new Uint32Array(memory.buffer, ex.resultPtr(), 8 + 64 * 4);
  const rules: string[] = [];
  const where: string[] = [];
  const scores: number[] = [];
  let score = 0;
  for (let i = 0; i < result[2]!; i++) {
    const r = meta.rules[result[8 + i * 4]!]!;
    if ((result[10 + i * 4]! & 2) !== 0) continue;
    rules.push(r.id);
    const f = fields[result[9 + i * 4]!];
    if (f) where.push(`${r.id}@${f.kind}:${f.name}${(result[10 + i * 4]! & 1) === 1 ? "(name)" : ""}=${JSON.stringify(f.value.slice(0, 160))}`);
    const add = r.action === "block" ? 1 << 20 : r.action === "score" ? r.score : 0;
    scores.push(add);
    score += add;
  }
  return { blocked: score >= threshold, rules, where, score, scores };
}

// ---- corpora -----------------------------------------------------------------------------
const readJsonl = (path: string): any[] =>
  existsSync(path) ? readFileSync(path, "utf8").split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l)) : [];

function lenientPercentDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s.replace(/%([0-9a-fA-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  }
}

function removeDotSegments(path: string): string {
  const out: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "..") out.pop();
    else if (seg !== ".") out.push(seg);
  }
  return out.join("/") || "/";
}

function flattenJson(value: unknown, path: string, out: Field[]): void {
  if (Array.isArray(value)) value.forEach((v, i) => flattenJson(v, `${path}[${i}]`, out));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.push({ kind: K.jsonKey, name: path ? `${path}.${k}` : k, value: k });
      flattenJson(v, path ? `${path}.${k}` : k, out);
    }
  } else out.push({ kind: K.bodyJson, name: path, value: value === null ? "null" : String(value) });
}

const PLACEMENTS = ["arg", "json", "header", "cookie", "uri"] as const;
type Placement = (typeof PLACEMENTS)[number];

/** The payload as it would stand in a request target: as listed, with only bytes a URL cannot carry escaped. */
function asTarget(payload: string): string {
  return payload.replace(/[\x00-\x20#\x7f-\uffff]/g, (c) => { try { return encodeURIComponent(c); } catch { return "%EF%BF%BD"; } });
}

function place(payload: string, where: Placement): Field[] {
  const base: Field[] = [
    { kind: K.method, name: "", value: "GET" },
    { kind: K.protocol, name: "", value: "HTTP/1.1" },
    { kind: K.header, name: "host", value: "shop.example.com" },
  ];
  switch (where) {
    case "arg":
      return [...base, { kind: K.uriRaw, name: "", value: "/search?q=" + asTarget(payload) }, { kind: K.path, name: "", value: "/search" }, { kind: K.queryArg, name: "q", value: payload }];
    case "json": {
      const fields: Field[] = [];
      let parsed: unknown;
      try {
        parsed = JSON.parse(payload);
      } catch {
        parsed = undefined;
      }
      if (parsed !== null && typeof parsed === "object") flattenJson(parsed, "", fields);
      else fields.push({ kind: K.jsonKey, name: "data", value: "data" }, { kind: K.bodyJson, name: "data", value: payload });
      return [...base, { kind: K.uriRaw, name: "", value: "/api/items" }, { kind: K.path, name: "", value: "/api/items" }, ...fields];
    }
    case "header":
      return [...base, { kind: K.uriRaw, name: "", value: "/" }, { kind: K.path, name: "", value: "/" }, { kind: K.header, name: "user-agent", value: payload }];
    case "cookie":
      return [...base, { kind: K.uriRaw, name: "", value: "/" }, { kind: K.path, name: "", value: "/" }, { kind: K.cookie, name: "pref", value: payload }];
    case "uri": {
      const raw = "/" + asTarget(payload.replace(/^\/+/, ""));
      const path = removeDotSegments(lenientPercentDecode(raw));
      return [...base, { kind: K.uriRaw, name: "", value: raw }, { kind: K.path, name: "", value: path }, { kind: K.basename, name: "", value: path.slice(path.lastIndexOf("/") + 1) }];
    }
  }
}

/** Whole benign request → fields (an approximation of src/request, good enough for false positives). */
function requestFields(r: { method: string; uri: string; headers: [string, string][]; body: string | null }): Field[] {
  const fields: Field[] = [{ kind: K.method, name: "", value: r.method }, { kind: K.uriRaw, name: "", value: r.uri }];
  const q = r.uri.indexOf("?");
  const path = removeDotSegments(lenientPercentDecode(q < 0 ? r.uri : r.uri.slice(0, q)));
  fields.push({ kind: K.path, name: "", value: path });
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (base) fields.push({ kind: K.basename, name: "", value: base });
  const pairs = (s: string, kind: number) => {
    for (const part of s.split("&")) {
      if (!part) continue;
      const eq = part.indexOf("=");
      const dec = (x: string) => lenientPercentDecode(x.replace(/\+/g, " "));
      fields.push({ kind, name: dec(eq < 0 ? part : part.slice(0, eq)), value: eq < 0 ? "" : dec(part.slice(eq + 1)) });
    }
  };
  if (q >= 0) {
    fields.push({ kind: K.queryString, name: "", value: r.uri.slice(q + 1) });
    pairs(r.uri.slice(q + 1), K.queryArg);
  }
  fields.push({ kind: K.protocol, name: "", value: "HTTP/1.1" });
  let contentType = "";
  for (const [name, value] of r.headers) {
    const n = name.toLowerCase();
    fields.push({ kind: K.header, name: n, value });
    if (n === "content-type") contentType = value.toLowerCase();
    if (n === "cookie")
      for (const c of value.split(/;\s*/)) {
        const eq = c.indexOf("=");
        if (eq > 0) fields.push({ kind: K.cookie, name: c.slice(0, eq), value: c.slice(eq + 1) });
      }
  }
  const body = r.body ?? "";
  if (body !== "") {
    if (contentType.startsWith("application/x-www-form-urlencoded")) pairs(body, K.bodyForm);
    else if (contentType.includes("json")) {
      try {
        flattenJson(JSON.parse(body), "", fields);
      } catch { /* not JSON after all: raw body only */ }
    } else if (contentType.startsWith("multipart/form-data")) {
      const boundary = /boundary=("?)([^";]+)\1/.exec(contentType) ? /boundary=("?)([^";]+)\1/i.exec(r.headers.find(([n]) => n.toLowerCase() === "content-type")![1])![2]! : "";
      for (const part of boundary ? body.split("--" + boundary) : []) {
        const end = part.indexOf("\r\n\r\n");
        if (end < 0) continue;
        const head = part.slice(0, end);
        const name = /name="([^"]*)"/.exec(head)?.[1] ?? "";
        const filename = /filename="([^"]*)"/.exec(head)?.[1];
        for (const line of head.split("\r\n")) if (line) fields.push({ kind: K.multipartHeader, name: line.split(":")[0]!.toLowerCase(), value: line.slice(line.indexOf(":") + 1).trim() });
        if (filename !== undefined) fields.push({ kind: K.multipartFilename, name, value: filename });
        else fields.push({ kind: K.multipartField, name, value: part.slice(end + 4).replace(/\r\n$/, "") });
      }
    }
    fields.push({ kind: K.bodyRaw, name: "", value: body.slice(0, 1 << 16) });
  }
  return fields;
}

// ---- runs --------------------------------------------------------------------------------
interface Sample { family: string; source: string; payload: string }
const samples: Sample[] = [];
for (const d of readJsonl(join(corpora, "libinjection", "samples.jsonl"))) samples.push({ family: d.family, source: "libinjection", payload: d.decoded });
for (const d of readJsonl(join(corpora, "httpparams", "train.jsonl")))
  if (d.label !== "benign") samples.push({ family: d.family === "cmdi" ? "rce" : d.family, source: "httpparams", payload: d.payload });
for (const [file, src] of [["patt.jsonl", "patt"], ["fuzzdb.jsonl", "fuzzdb"]] as const)
  for (const d of readJsonl(join(corpora, "payloads", file))) samples.push({ family: d.family, source: src, payload: d.payload });

const benignParams = readJsonl(join(corpora, "httpparams", "train.jsonl")).filter((d) => d.label === "benign").map((d) => d.payload as string);
const libFp = readJsonl(join(corpora, "libinjection", "false_positives.jsonl")).map((d) => d.decoded as string);
const benignRequests = readJsonl(benignFile);

const t0 = performance.now();
let inspections = 0;
type Row = { source: string; family: string; n: number; pl: Record<number, Record<Placement, number>> };
const rows = new Map<string, Row>();
const missList: string[] = [];
/** Per rule: malicious samples (PL1, arg or uri placement) that only this rule blocks. */
const sole = new Map<string, number>();
for (const s of samples) {
  const key = `${s.source}\t${s.family}`;
  let row = rows.get(key);
  if (!row) rows.set(key, (row = { source: s.source, family: s.family, n: 0, pl: { 1: {} as Record<Placement, number>, 2: {} as Record<Placement, number> } }));
  row.n++;
  for (const pl of [1, 2]) {
    let any = false;
    for (const where of PLACEMENTS) {
      if (where === "uri" && s.family !== "path-traversal" && s.family !== "lfi") continue;
      inspections++;
      const res = inspect(place(s.payload, where), pl);
      const hit = res.blocked;
      // A rule is the sole reason for a block when the score without it falls below the threshold.
      if (hit && pl === 1 && where === (s.family === "path-traversal" || s.family === "lfi" ? "uri" : "arg"))
        res.rules.forEach((id, i) => { if (res.score - res.scores[i]! < threshold) sole.set(id, (sole.get(id) ?? 0) + 1); });
      if (hit) row.pl[pl]![where] = (row.pl[pl]![where] ?? 0) + 1;
      any ||= hit;
    }
    if (!any && pl === missPl && missesOf === s.family && (!missSource || missSource === s.source) && missList.length < 80) missList.push(`[${s.source}] ${JSON.stringify(s.payload).slice(0, 200)}`);
  }
}

const fpCount: Record<string, Map<string, number>> = {};
const fpExamples: string[] = [];
function fp(set: string, pl: number, fields: Field[], label: string): boolean {
  inspections++;
  const out = inspect(fields, pl);
  const m = (fpCount[`${set}@${pl}`] ??= new Map());
  for (const r of out.rules) m.set(r, (m.get(r) ?? 0) + 1);
  if (out.blocked && showFp && pl === missPl && fpExamples.length < 120) fpExamples.push(`${set}: ${label.slice(0, 120)}\n    ${out.where.join("\n    ")}`);
  return out.blocked;
}
const fpRates: Record<string, Record<number, { n: number; blocked: number }>> = {};
const fpRun = (set: string, items: { fields: Field[]; label: string }[]) => {
  fpRates[set] = {};
  for (const pl of [1, 2]) {
    let blocked = 0;
    for (const it of items) if (fp(set, pl, it.fields, it.label)) blocked++;
    fpRates[set]![pl] = { n: items.length, blocked };
  }
};
fpRun("httpparams-benign", benignParams.map((p) => ({ fields: place(p, "arg"), label: JSON.stringify(p) })));
fpRun("libinjection-false-positives", libFp.map((p) => ({ fields: place(p, "arg"), label: JSON.stringify(p) })));
fpRun("benign-requests", benignRequests.map((r) => ({ fields: requestFields(r), label: `${r.id} ${r.method} ${r.uri}` })));
const elapsed = performance.now() - t0;

// ---- report ------------------------------------------------------------------------------
const pct = (a: number, n: number) => (n === 0 ? "-" : ((100 * a) / n).toFixed(1));
const commit = (() => {
  try {
    return execSync("git rev-parse --short HEAD", { cwd: root }).toString().trim() + (execSync("git status --porcelain signatures", { cwd: root }).toString().trim() ? "+dirty" : "");
  } catch {
    return "unknown";
  }
})();
const lines: string[] = [];
const out = (s: string) => lines.push(s);
out(`pack ${meta.name} ${meta.version} @ ${commit}: ${report.rules} rules, ${report.literals} literals, ${report.regexes} regexes (${report.dfaStates} DFA states, ${report.confirmed} need host confirmation), ${image.length} bytes, compiled in ${compileMs.toFixed(0)} ms`);
out(`${inspections} inspections in ${(elapsed / 1000).toFixed(1)} s (${((elapsed * 1000) / inspections).toFixed(1)} µs each, JS field building included)`);
out("");
out("| source | family | n | PL1 arg | PL1 json | PL1 header | PL1 cookie | PL1 uri | PL1 best | PL1 avg | PL2 best | PL2 avg |");
out("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
const json: Record<string, unknown> = {};
for (const row of [...rows.values()].sort((a, b) => a.source.localeCompare(b.source) || a.family.localeCompare(b.family))) {
  const cells = (pl: number) => {
    const used = PLACEMENTS.filter((w) => w !== "uri" || row.family === "path-traversal" || row.family === "lfi");
    const rates = used.map((w) => (row.pl[pl]![w] ?? 0) / row.n);
    return { rates: Object.fromEntries(used.map((w, i) => [w, rates[i]])), best: Math.max(...rates), avg: rates.reduce((a, b) => a + b, 0) / rates.length };
  };
  const c1 = cells(1);
  const c2 = cells(2);
  const f = (x: number | undefined) => (x === undefined ? "-" : (100 * x).toFixed(1));
  out(`| ${row.source} | ${row.family} | ${row.n} | ${PLACEMENTS.map((w) => f(c1.rates[w] as number | undefined)).join(" | ")} | ${f(c1.best)} | ${f(c1.avg)} | ${f(c2.best)} | ${f(c2.avg)} |`);
  json[`${row.source}/${row.family}`] = { n: row.n, pl1: c1, pl2: c2 };
}
out("");
out("| false positives (blocked) | n | PL1 | PL2 | top rules at PL1 |");
out("|---|--:|--:|--:|---|");
for (const [set, r] of Object.entries(fpRates)) {
  const top = [...(fpCount[`${set}@1`] ?? new Map()).entries()].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([id, n]) => `${id} ${n}`).join(", ");
  out(`| ${set} | ${r[1]!.n} | ${pct(r[1]!.blocked, r[1]!.n)}% (${r[1]!.blocked}) | ${pct(r[2]!.blocked, r[2]!.n)}% (${r[2]!.blocked}) | ${top} |`);
}
console.log(lines.join("\n"));
if (!markdown) {
  if (missList.length) console.log(`\nmisses (${missesOf}, PL${missPl}):\n` + missList.join("\n"));
  if (fpExamples.length) console.log(`\nblocked benign (PL${missPl}):\n` + fpExamples.join("\n"));
  const silent = meta.rules.filter((r) => !r.id.includes("#") && !sole.has(r.id)).map((r) => r.id);
  console.log(`\nsamples only one rule blocks (PL1): ` + [...sole.entries()].sort((a, b) => b[1] - a[1]).map(([id, n]) => `${id} ${n}`).join(", "));
  console.log(`rules that are never the only reason for a block: ${silent.join(", ")}`);
  for (const pl of [1, 2]) {
    const all = new Map<string, number>();
    for (const set of Object.keys(fpRates)) for (const [id, n] of fpCount[`${set}@${pl}`] ?? []) all.set(id, (all.get(id) ?? 0) + n);
    console.log(`\nrules firing on benign data at PL${pl}: ` + [...all.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([id, n]) => `${id} ${n}`).join(", "));
  }
}
const jsonOut = opt("--json");
if (jsonOut) writeFileSync(
  jsonOut,
  JSON.stringify({ commit, pack: { name: meta.name, version: meta.version, bytes: image.length, compileMs, report }, environment: { node: process.version, cpus: os.cpus()[0]?.model, platform: process.platform }, detection: json, falsePositives: fpRates }, null, 1),
);
