/**
 * Differential check of two engine builds' detectors: runs detectSqli and detectXss of an
 * OLD and a NEW engine.wasm on every string of the corpora (../shared/corpora), the
 * project's benign requests, the string literals of the detector tests and benches, and
 * fast-check generated inputs (random bytes, SQL/HTML token soups, keywords in mixed case
 * and near misses), and reports every input where the result code, the fingerprint or the
 * work counter differ. Used to show that a speed change keeps every verdict.
 *
 *   npx esbuild scripts/diff-detectors.ts --bundle --platform=node --format=esm --packages=external \
 *     --log-level=warning --outfile=build/.tools/diff-detectors.mjs
 *   node build/.tools/diff-detectors.mjs build/.tools/engine-testing.base.wasm build/engine-testing.wasm [--runs N] [--no-work]
 *
 * Exit status 1 when any input differs. Run from the repository root.
 */
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";

const root = process.cwd();
const corpora = join(root, "..", "shared", "corpora");
const args = process.argv.slice(2);
const [oldPath, newPath] = args.filter((a) => !a.startsWith("--") && !/^\d+$/.test(a));
if (!oldPath || !newPath) {
  console.error("usage: diff-detectors OLD.wasm NEW.wasm [--runs N] [--no-work]");
  process.exit(2);
}
const runsArg = args.indexOf("--runs");
const runs = runsArg >= 0 ? Number(args[runsArg + 1]) : 20000;
const compareWork = !args.includes("--no-work");

interface Result { code: number; fp: string; work: number }
function load(path: string): (kind: "sqli" | "xss", bytes: Uint8Array) => Result {
  const ex = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(join(root, path))), {}).exports as Record<string, any>;
  const cap = 1 << 20;
  ex.configure(cap, 1024, cap, 1024, 4096);
  const memory = ex.memory as WebAssembly.Memory;
  const ptr: number = ex.scratchPtr();
  return (kind, bytes) => {
    const n = Math.min(bytes.length, cap);
    new Uint8Array(memory.buffer, ptr, n).set(bytes.subarray(0, n));
    const code = (kind === "sqli" ? ex.detectSqli(ptr, n) : ex.detectXss(ptr, n)) >>> 0;
    const p: number = ex.detectorFingerprintPtr();
    const l: number = ex.detectorFingerprintLen();
    const fp = Buffer.from(new Uint8Array(memory.buffer, p, l)).toString("latin1");
    return { code, fp, work: ex.detectorWorkCount() >>> 0 };
  };
}
const oldE = load(oldPath);
const newE = load(newPath);

const enc = new TextEncoder();
let checked = 0;
let differences = 0;
const fired = { sqli: 0, xss: 0 };
function check(input: string | Uint8Array, source: string): void {
  const bytes = typeof input === "string" ? enc.encode(input) : input;
  for (const kind of ["sqli", "xss"] as const) {
    const a = oldE(kind, bytes);
    const b = newE(kind, bytes);
    checked++;
    if (a.code !== 0) fired[kind]++;
    if (a.code !== b.code || a.fp !== b.fp || (compareWork && a.work !== b.work)) {
      differences++;
      if (differences <= 20) {
        console.log(`DIFF ${kind} [${source}] ${JSON.stringify(Buffer.from(bytes).toString("latin1").slice(0, 200))}`);
        console.log(`  old ${a.code.toString(16)} ${JSON.stringify(a.fp)} work ${a.work}   new ${b.code.toString(16)} ${JSON.stringify(b.fp)} work ${b.work}`);
      }
    }
  }
}

/** `%XX` to its byte, `+` to a space (as the quality script tries each value). */
function formDecode(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(input.length);
  let o = 0;
  const hex = (c: number) => (c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1);
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c === 0x2b) { out[o++] = 0x20; continue; }
    if (c === 0x25 && i + 2 < input.length && hex(input[i + 1]!) >= 0 && hex(input[i + 2]!) >= 0) {
      out[o++] = (hex(input[i + 1]!) << 4) | hex(input[i + 2]!);
      i += 2;
      continue;
    }
    out[o++] = c;
  }
  return out.subarray(0, o);
}

/** Every string in a JSON value, plus the pieces of query strings and cookie/form lists. */
function strings(value: unknown, out: Set<string>): void {
  if (typeof value === "string") {
    out.add(value);
    if (value.length < 20000) for (const piece of value.split(/[?&;]/)) out.add(piece.slice(piece.indexOf("=") + 1));
  } else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === "object") for (const v of Object.values(value)) strings(v, out);
}

function corpusFiles(dir: string): string[] {
  const files: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) files.push(...corpusFiles(p));
    else if (e.name.endsWith(".jsonl")) files.push(p);
  }
  return files;
}

const sources: Array<[string, Set<string>]> = [];
const jsonlFiles = [...(existsSync(corpora) ? corpusFiles(corpora) : []), join(root, "test/corpora/benign-requests.jsonl"), join(root, "examples/requests.jsonl")];
for (const file of jsonlFiles) {
  if (!existsSync(file)) continue;
  const set = new Set<string>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    try { strings(JSON.parse(line), set); } catch { set.add(line); }
  }
  sources.push([file.replace(root + "/", "").replace(corpora, "corpora"), set]);
}
if (existsSync(join(corpora, "crs/rules"))) {
  // The CRS phrase lists: one SQL/HTML/shell word or phrase per line.
  const set = new Set<string>();
  for (const f of readdirSync(join(corpora, "crs/rules"))) {
    if (f.endsWith(".data")) for (const l of readFileSync(join(corpora, "crs/rules", f), "utf8").split("\n")) if (l && !l.startsWith("#")) set.add(l);
  }
  sources.push(["crs/*.data", set]);
}
// String literals of the detector tests, the corpora test, benches and the quality script.
const literalFiles = [
  ...readdirSync(join(root, "test/detectors")).map((f) => join(root, "test/detectors", f)),
  join(root, "test/corpora/corpora.test.ts"), join(root, "bench/detectors.ts"), join(root, "bench/workloads.ts"),
  join(root, "scripts/quality-detectors.ts"),
].filter(existsSync);
{
  const set = new Set<string>();
  for (const f of literalFiles) {
    const text = readFileSync(f, "utf8");
    for (const m of text.matchAll(/"((?:[^"\\\n]|\\.)*)"/g)) { try { set.add(JSON.parse(`"${m[1]}"`)); } catch { set.add(m[1]!); } }
    for (const m of text.matchAll(/'((?:[^'\\\n]|\\.)*)'/g)) set.add(m[1]!.replace(/\\'/g, "'"));
    for (const m of text.matchAll(/`((?:[^`\\]|\\.)*)`/g)) set.add(m[1]!);
  }
  sources.push(["test and bench literals", set]);
}

for (const [name, set] of sources) {
  const before = checked;
  for (const s of set) {
    const bytes = enc.encode(s);
    check(bytes, name);
    const decoded = formDecode(bytes);
    if (decoded.length !== bytes.length || decoded.some((b, i) => b !== bytes[i])) check(decoded, name + " (form-decoded)");
  }
  console.log(`${name}: ${set.size} strings, ${(checked - before) / 2} inputs`);
}

// Generated inputs. Fixed seed: the same inputs on every run.
const sqlWords = [
  "select", "union", "all", "distinct", "from", "where", "order", "by", "group", "having", "limit", "into", "outfile",
  "dumpfile", "procedure", "analyse", "and", "or", "xor", "not", "like", "in", "is", "null", "true", "case", "when",
  "then", "else", "end", "exec", "execute", "declare", "waitfor", "delay", "shutdown", "drop", "insert", "sleep",
  "benchmark", "pg_sleep", "version", "user", "char", "concat", "information_schema", "tables", "xp_cmdshell",
  "sysobjects", "v$version", "count", "substring", "if", "as", "div", "mod", "between", "sounds", "binary", "begin",
];
const english = ["the", "plan", "station", "phone", "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "O'Brien",
  "don't", "it's", "price", "a", "I", "x", "id", "name", "email", "user@example.com", "2024-01-15", "100%", "#1", "C#",
  "L'Oréal", "café", "naïve", "_utf8", "_x", "a.b", "a..b", "schema.table", "db..proc", "q", "n", "e", "b", "x"];
const punct = ["'", "\"", "`", "(", ")", ",", ";", "-", "--", "#", "/*", "*/", "/*!50000", "$$", "$a$", "@", "@@", "=",
  "<", ">", "<=", "<>", "!=", "!", "|", "||", "&", "&&", "::", ":=", ".", "..", "\\", "*", "+", "~", "%", "0x1f", "0b01",
  "1", "2", "-1", "1e5", ".5", "3.14", "1union", "12abc", "x'41'", "N'a'", "q'[a]'", "[col]", " ", "  ", "\t", "\n", "\u0000",
  "<script", "<a ", "onerror=", "javascript:", "&#x6a;", "&colon;", "alert(", "document.cookie", "expression(", "data:text/html,"];
/** A word mutated the ways that stress the word table: case, one byte changed, cut, extended. */
const mutatedWord = fc.tuple(fc.constantFrom(...sqlWords), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 5 })).map(([w, a, b, how]) => {
  const i = a % w.length;
  switch (how) {
    case 0: return w.toUpperCase();
    case 1: return [...w].map((c, k) => ((a >> (k % 30)) & 1 ? c.toUpperCase() : c)).join("");
    case 2: return w.slice(0, i) + String.fromCharCode(97 + (b % 26)) + w.slice(i + 1);
    case 3: return w.slice(0, i + 1);
    case 4: return w + String.fromCharCode(97 + (b % 26));
    default: return String.fromCharCode(97 + (b % 26)) + w;
  }
});
const sep = fc.constantFrom(" ", " ", " ", "", "\t", "\n", "/**/", "+", ",", "(", ")");
const piece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...sqlWords) },
  { weight: 3, arbitrary: mutatedWord },
  { weight: 2, arbitrary: fc.constantFrom(...english) },
  { weight: 4, arbitrary: fc.constantFrom(...punct) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);
const soup = fc.array(fc.tuple(piece, sep), { maxLength: 40 }).map((xs) => xs.map(([p, s]) => p + s).join(""));
const generators: Array<[string, fc.Arbitrary<string | Uint8Array>]> = [
  ["random bytes", fc.uint8Array({ maxLength: 300 })],
  ["random ascii", fc.string({ unit: "binary-ascii", maxLength: 200 })],
  ["sql soup", soup],
  ["quoted sql soup", fc.tuple(fc.constantFrom("'", "\"", "1'", "x\"", "') ", "1) ", ""), soup).map(([a, b]) => a + b)],
  ["long soup", fc.array(soup, { maxLength: 30 }).map((xs) => xs.join(" "))],
];
let seed = 0x5eed;
for (const [name, arb] of generators) {
  const before = checked;
  for (const input of fc.sample(arb, { numRuns: runs, seed: seed++ })) check(input, name);
  console.log(`${name}: ${(checked - before) / 2} inputs`);
}

console.log(`\n${checked} detector calls (${checked / 2} inputs × sqli, xss); old build fired sqli ${fired.sqli}, xss ${fired.xss}`);
console.log(differences === 0 ? `identical: codes, fingerprints${compareWork ? " and work counters" : ""}` : `${differences} DIFFERENCES`);
process.exit(differences === 0 ? 0 : 1);
