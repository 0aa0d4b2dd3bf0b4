/**
 * Detection and false-positive rates of the Wasm detectors (detectSqli, detectXss) alone,
 * on the public corpora in ../shared/corpora (never copied into the repo).
 *
 *   npx esbuild scripts/quality-detectors.ts --bundle --platform=node --format=esm --outfile=/tmp/qd.mjs && node /tmp/qd.mjs
 *
 * Options: --misses KIND prints up to 60 misses (or false positives) of one row; KIND is
 * sqli, hp-sqli, xss, hp-xss, patt-sqli, patt-xss, fuzzdb-sqli, fuzzdb-xss, fp-sqli, fp-xss,
 * fp-lib, fp-lib-xss, fp-req-sqli, fp-req-xss.
 * Writes bench/results/detectors-quality.json.
 *
 * Rows with targets: libinjection SQLi/XSS samples and HttpParams sqli/xss (detection >= 97%),
 * HttpParams benign (<= 0.5%), libinjection's false-positive list (<= 5%), the project's
 * benign requests in test/corpora (<= 0.1% of requests; values: query and form arguments,
 * JSON string leaves, cookies, plain-text bodies). Informational rows: the SQLi and XSS
 * families of PayloadsAllTheThings and fuzzdb (the pack's own target applies to rules + detectors).
 *
 * Inputs: libinjection samples.jsonl (`decoded`), libinjection false_positives.jsonl
 * (`decoded`), HttpParams train.jsonl (`payload`). Each value is tried raw and, when it
 * contains `+` or a valid %XX escape, form-decoded as well (`+` as space, %XX as a byte);
 * a detector "fires" when it fires on either form, as a rule with transforms none +
 * urlDecodeUni would. Positives and false positives are counted the same way.
 */
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { execSync } from "node:child_process";
import os from "node:os";

// Run from the repository root (the script is usually bundled to /tmp first).
const root = process.cwd();
const corpora = join(root, "..", "shared", "corpora");
const wasmPath = join(root, "build", "engine-testing.wasm");

interface Engine {
  sqli(bytes: Uint8Array): number;
  xss(bytes: Uint8Array): number;
  fingerprint(): string;
}

function loadEngine(): Engine {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath)), {});
  const ex = instance.exports as Record<string, any>;
  const cap = 1 << 20;
  ex.configure(cap, 1024, cap, 1024, 4096);
  const memory = ex.memory as WebAssembly.Memory;
  const ptr: number = ex.scratchPtr();
  const put = (bytes: Uint8Array): number => {
    const n = Math.min(bytes.length, cap);
    new Uint8Array(memory.buffer, ptr, n).set(bytes.subarray(0, n));
    return n;
  };
  return {
    sqli: (b) => ex.detectSqli(ptr, put(b)) >>> 0,
    xss: (b) => ex.detectXss(ptr, put(b)) >>> 0,
    fingerprint: () => {
      const p: number = ex.detectorFingerprintPtr();
      const n: number = ex.detectorFingerprintLen();
      return Buffer.from(new Uint8Array(memory.buffer, p, n)).toString("latin1");
    },
  };
}

/**
 * Form decoding that never throws: `%XX` to its byte, `+` to a space; invalid escapes stay
 * as they are. Works on bytes, not UTF-8 text.
 */
export function formDecode(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(input.length);
  let o = 0;
  const hex = (c: number): number =>
    c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c === 0x2b) {
      out[o++] = 0x20;
      continue;
    }
    if (c === 0x25 && i + 2 < input.length) {
      const h = hex(input[i + 1]!);
      const l = hex(input[i + 2]!);
      if (h >= 0 && l >= 0) {
        out[o++] = (h << 4) | l;
        i += 2;
        continue;
      }
    }
    out[o++] = c;
  }
  return out.subarray(0, o);
}

const hasEscape = (b: Uint8Array): boolean => {
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0x2b) return true;
    if (b[i] === 0x25 && i + 2 < b.length && /[0-9a-f]{2}/i.test(String.fromCharCode(b[i + 1]!, b[i + 2]!))) return true;
  }
  return false;
};

/** Form-decodes a string as text (for query strings and urlencoded bodies). */
function formDecodeText(s: string): string {
  return new TextDecoder().decode(formDecode(new TextEncoder().encode(s)));
}

/** JSON string leaves (and object keys' values only), depth-first. */
function jsonStrings(value: unknown, out: string[]): void {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) jsonStrings(v, out);
  else if (value && typeof value === "object") for (const v of Object.values(value)) jsonStrings(v, out);
}

/** The values of a `wafer scan` request record that argument-targeted detector rules inspect. */
function requestValues(r: { uri: string; headers: [string, string][]; body: string | null }): string[] {
  const values: string[] = [];
  const q = r.uri.indexOf("?");
  if (q >= 0) for (const pair of r.uri.slice(q + 1).split("&")) values.push(formDecodeText(pair.slice(pair.indexOf("=") + 1)));
  const header = (name: string) => r.headers.find(([n]) => n.toLowerCase() === name)?.[1] ?? "";
  for (const c of header("cookie").split(";")) if (c.includes("=")) values.push(c.slice(c.indexOf("=") + 1).trim());
  const type = header("content-type").split(";")[0]!.trim().toLowerCase();
  if (r.body) {
    if (type === "application/x-www-form-urlencoded") {
      for (const pair of r.body.split("&")) values.push(formDecodeText(pair.slice(pair.indexOf("=") + 1)));
    } else if (type.includes("json")) {
      try {
        jsonStrings(JSON.parse(r.body), values);
      } catch {
        values.push(r.body);
      }
    } else if (type === "text/plain") {
      values.push(r.body);
    }
  }
  return values.filter((v) => v !== "");
}

function readJsonl(path: string): any[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l));
}

interface Tally {
  corpus: string;
  detector: "sqli" | "xss";
  kind: "detection" | "false-positive";
  total: number;
  fired: number;
  rate: number;
  target: string;
  /** null for informational rows (no target for the detectors alone). */
  met: boolean | null;
}

function main(): void {
  if (!existsSync(join(corpora, "libinjection", "samples.jsonl"))) {
    console.error(`corpora not found at ${corpora}: run from the repository root, next to ../shared/corpora`);
    process.exit(2);
  }
  // Build (or refresh) the module first; the build script skips work when it is up to date.
  execSync("node scripts/build-wasm.mjs", { cwd: root, stdio: "inherit" });
  const engine = loadEngine();
  const missesArg = process.argv.indexOf("--misses");
  const showKind = missesArg >= 0 ? process.argv[missesArg + 1] : undefined;
  const enc = new TextEncoder();

  const fires = (det: "sqli" | "xss", value: string): { hit: boolean; fp: string } => {
    const raw = enc.encode(value);
    const forms = hasEscape(raw) ? [raw, formDecode(raw)] : [raw];
    for (const f of forms) {
      const code = det === "sqli" ? engine.sqli(f) : engine.xss(f);
      if (code !== 0) return { hit: true, fp: `${code.toString(16)}:${engine.fingerprint()}` };
    }
    return { hit: false, fp: "" };
  };

  const tallies: Tally[] = [];
  const run = (
    corpus: string,
    det: "sqli" | "xss",
    kind: Tally["kind"],
    values: string[],
    target: number,
    showAs: string,
  ): void => {
    let fired = 0;
    const shown: string[] = [];
    for (const v of values) {
      const r = fires(det, v);
      if (r.hit) fired++;
      const interesting = kind === "detection" ? !r.hit : r.hit;
      if (interesting && showKind === showAs && shown.length < 60) shown.push(`${r.fp}\t${JSON.stringify(v).slice(0, 160)}`);
    }
    const rate = values.length ? fired / values.length : 0;
    const met = kind === "detection" ? (target === 0 ? null : rate >= target) : rate <= target;
    const targetText = target === 0 && kind === "detection" ? "info" : `${kind === "detection" ? ">=" : "<="} ${(target * 100).toFixed(1)}%`;
    tallies.push({ corpus, detector: det, kind, total: values.length, fired, rate, target: targetText, met });
    if (shown.length) console.log(`--- ${showAs}\n${shown.join("\n")}`);
  };

  const samples = readJsonl(join(corpora, "libinjection", "samples.jsonl"));
  const libFp = readJsonl(join(corpora, "libinjection", "false_positives.jsonl")).map((r) => String(r.decoded));
  const params = readJsonl(join(corpora, "httpparams", "train.jsonl"));
  const lib = (family: string) => samples.filter((r) => r.family === family && r.label === "malicious").map((r) => String(r.decoded));
  const hp = (family: string) => params.filter((r) => r.family === family).map((r) => String(r.payload));

  run("libinjection samples (sqli)", "sqli", "detection", lib("sqli"), 0.97, "sqli");
  run("httpparams sqli", "sqli", "detection", hp("sqli"), 0.97, "hp-sqli");
  run("libinjection samples (xss)", "xss", "detection", lib("xss"), 0.97, "xss");
  run("httpparams xss", "xss", "detection", hp("xss"), 0.97, "hp-xss");
  // Payload lists (no target for the detectors alone: the pack's rules add to them).
  for (const file of ["patt", "fuzzdb"]) {
    const rows = readJsonl(join(corpora, "payloads", `${file}.jsonl`));
    for (const det of ["sqli", "xss"] as const) {
      const values = rows.filter((r) => r.family === det).map((r) => String(r.payload));
      run(`${file} ${det} (info)`, det, "detection", values, 0, `${file}-${det}`);
    }
  }
  run("httpparams benign", "sqli", "false-positive", hp("none"), 0.005, "fp-sqli");
  run("httpparams benign", "xss", "false-positive", hp("none"), 0.005, "fp-xss");
  run("libinjection false_positives", "sqli", "false-positive", libFp, 0.05, "fp-lib");
  run("libinjection false_positives", "xss", "false-positive", libFp, 0.05, "fp-lib-xss");

  // The project's own benign requests (test/corpora, written by this project): the values a
  // detector rule would inspect — query and form arguments, JSON string leaves, cookies,
  // plain-text bodies. A request counts as a false positive when any of its values fires.
  const requestsPath = join(root, "test", "corpora", "benign-requests.jsonl");
  if (existsSync(requestsPath)) {
    const requests = readJsonl(requestsPath);
    for (const det of ["sqli", "xss"] as const) {
      let valuesTotal = 0;
      let valuesFired = 0;
      let requestsFired = 0;
      const shown: string[] = [];
      for (const r of requests) {
        let fired = false;
        for (const v of requestValues(r)) {
          valuesTotal++;
          const hit = fires(det, v);
          if (hit.hit) {
            valuesFired++;
            fired = true;
            if (showKind === `fp-req-${det}` && shown.length < 60) shown.push(`${hit.fp}\t${r.id}\t${JSON.stringify(v).slice(0, 140)}`);
          }
        }
        if (fired) requestsFired++;
      }
      if (shown.length) console.log(`--- fp-req-${det}\n${shown.join("\n")}`);
      const rate = requestsFired / requests.length;
      tallies.push({ corpus: "project benign requests", detector: det, kind: "false-positive", total: requests.length, fired: requestsFired, rate, target: "<= 0.1%", met: rate <= 0.001 });
      console.log(`project benign requests (${det}): ${valuesFired}/${valuesTotal} values fired`);
    }
  }

  console.log("\ncorpus                                   detector  kind             fired/total      rate     target   met");
  for (const t of tallies) {
    console.log(
      `${t.corpus.padEnd(40)} ${t.detector.padEnd(9)} ${t.kind.padEnd(16)} ${`${t.fired}/${t.total}`.padEnd(15)} ${(t.rate * 100).toFixed(2).padStart(6)}%  ${t.target.padEnd(8)} ${t.met === null ? "-" : t.met ? "yes" : "NO"}`,
    );
  }
  let commit = "unknown";
  try {
    commit = execSync("git rev-parse --short HEAD", { cwd: root }).toString().trim();
  } catch {}
  const out = {
    generatedAt: new Date().toISOString(),
    commit,
    command: "npx esbuild scripts/quality-detectors.ts --bundle --platform=node --format=esm --outfile=/tmp/qd.mjs && node /tmp/qd.mjs",
    inputs: "raw value, plus its form-decoded form (+ as space, %XX) when it contains + or %XX; fired = fired on either",
    environment: { node: process.version, platform: process.platform, arch: process.arch, cpus: os.cpus()[0]?.model ?? "unknown" },
    results: tallies,
  };
  mkdirSync(join(root, "bench", "results"), { recursive: true });
  writeFileSync(join(root, "bench", "results", "detectors-quality.json"), JSON.stringify(out, null, 2) + "\n");
  console.log(`\nwrote bench/results/detectors-quality.json (commit ${commit})`);
}

main();
