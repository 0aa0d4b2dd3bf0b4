/**
 * `wafer bench coldstart` and `wafer bench inspect`: the benchmark harness the project's
 * own bench/ uses, shipped so a team can see what its pack costs before rolling it out.
 *
 * Cold start is process level: each run starts a fresh runtime (Node, Bun, Deno, or a workerd
 * server answering its first request), which imports the package, instantiates the engine,
 * loads the pack and inspects one request. The same runtime doing nothing (an empty script,
 * an empty Worker) runs interleaved with it (A B A B …) and is subtracted, so what remains
 * is what wafer adds. Both wall time and the children's CPU time (Linux: /proc/self/stat
 * cutime + cstime) are reported; on a loaded machine CPU time is the steadier of the two.
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { intOption, parseArgs, UsageError } from "./args.js";
import { loadPackArgument } from "./load-pack.js";
import { parseRequestLine } from "./request-line.js";

export const BENCH_USAGE =
  "wafer bench coldstart [--pack P] [--runtime node|bun|deno|workerd] [--runs N] [--json]\n  wafer bench inspect [--pack P] [--passes N] [--verdict-cache] [--json] FILE.jsonl";

export type ColdStartRuntime = "node" | "bun" | "deno" | "workerd";

export interface Spread {
  runs: number;
  medianMs: number;
  p25Ms: number;
  p75Ms: number;
  minMs: number;
  maxMs: number;
}

export interface VariantResult {
  name: string;
  /** Wall time from spawn to exit (Node, Bun, Deno) or to the end of the first response (workerd). */
  wall: Spread;
  /** Children's CPU time (user + system) per run, mean over the runs; null off Linux. */
  cpuMeanMs: number | null;
  /** Phase timings the child reported about itself (ms, medians), when it reports them. */
  phases?: Record<string, number>;
}

export interface ColdStartResult {
  runtime: string;
  runs: number;
  variants: VariantResult[];
  /** Median wall of each variant minus the baseline's median wall. */
  addedWallMs: Record<string, number>;
  /** Mean CPU of each variant minus the baseline's mean CPU. */
  addedCpuMs: Record<string, number | null>;
  loadavgBefore: number[];
  loadavgAfter: number[];
}

/** One process-level launch: resolves when the measured point is reached and the process is gone. */
interface Variant {
  name: string;
  launch(): Promise<{ wallMs: number; stdout: string }>;
}

function quantileOf(values: number[], q: number): number {
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.floor(q * values.length))] ?? NaN;
}

export function spread(values: readonly number[]): Spread {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  const round = (x: number) => Math.round(x * 100) / 100;
  return { runs: s.length, medianMs: round(at(0.5)), p25Ms: round(at(0.25)), p75Ms: round(at(0.75)), minMs: round(s[0] ?? NaN), maxMs: round(s[s.length - 1] ?? NaN) };
}

/** CPU time of every child this process has waited for, in ms (Linux), else null. */
export function childrenCpuMs(): number | null {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After "pid (comm) ": state is field 3, so cutime (16) and cstime (17) are at 13, 14.
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return null;
  }
}

function runToExit(command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<{ wallMs: number; stdout: string }> {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { cwd, env: env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - t0;
      if (code !== 0) reject(new Error(`${command} ${args.join(" ")} exited with ${code}: ${stderr.slice(0, 2000)}`));
      else resolvePromise({ wallMs, stdout });
    });
  });
}

/**
 * Starts `workerd serve` on an already-listening socket (so the request can be sent at once
 * and waits in the backlog; no polling), times the first full response, then stops it.
 */
async function workerdFirstResponse(workerd: string, dir: string, config: string): Promise<{ wallMs: number; stdout: string }> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as { port: number };
  const fd = (server as unknown as { _handle: { fd: number } })._handle.fd;
  const t0 = performance.now();
  const child = spawn(workerd, ["serve", config, "--socket-fd", "http=3"], { cwd: dir, stdio: ["ignore", "pipe", "pipe", fd] });
  server.close();
  let log = "";
  child.stdout?.on("data", (d) => (log += d));
  child.stderr?.on("data", (d) => (log += d));
  const exited = new Promise<void>((r) => child.on("close", () => r()));
  try {
    const body = await new Promise<string>((resolvePromise, reject) => {
      const sock = connect(port, "127.0.0.1");
      let buf = "";
      sock.on("data", (d) => (buf += d));
      sock.on("end", () => resolvePromise(buf));
      sock.on("error", reject);
      sock.write("GET /search?q=hello&page=2 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Mozilla/5.0\r\nConnection: close\r\n\r\n");
      setTimeout(() => reject(new Error(`workerd gave no response in 30 s: ${log.slice(0, 2000)}`)), 30_000).unref();
    });
    const wallMs = performance.now() - t0;
    if (!body.startsWith("HTTP/1.1 200")) throw new Error(`workerd answered: ${body.slice(0, 300)} ${log.slice(0, 2000)}`);
    return { wallMs, stdout: body.slice(body.indexOf("\r\n\r\n") + 4) };
  } finally {
    child.kill();
    await exited;
  }
}

function findBinary(name: string, roots: string[]): string {
  for (const r of roots) {
    const candidate = join(r, "node_modules", ".bin", name);
    if (existsSync(candidate)) return candidate;
  }
  return name; // on PATH
}

export interface ColdStartOptions {
  runtime: ColdStartRuntime;
  runs: number;
  /** A compiled pack image; default: the package's embedded default pack. */
  packImage?: Uint8Array;
  /** The package's dist/ directory (default: next to this CLI bundle). */
  distDir?: string;
  /** Extra variants measured in the same interleaved loop (e.g. libddwaf in Node). */
  extraNodeScripts?: Record<string, string>;
  /** Directories whose node_modules/.bin is searched for bun, deno and workerd. */
  searchRoots?: string[];
  onProgress?: (done: number, total: number) => void;
}

const INSPECT_ONE = `{ method: "GET", url: "/search?q=hello&page=2", headers: { host: "example.com", "user-agent": "Mozilla/5.0" } }`;

/**
 * The empty script carries the measured script's instrumentation: it reads the clock and
 * prints one line. In Node the first `performance.now()` loads perf_hooks (1.25 ms
 * in a CPU profile, 20 runs), which is the harness's cost, not wafer's.
 */
const EMPTY_SCRIPT = `globalThis.t0 = performance.now();\nconsole.log("{}");\n`;

/** Writes the scripts (or Worker configs) of one runtime into `dir` and returns its variants, the empty one first. */
function prepare(options: ColdStartOptions, dir: string): Variant[] {
  const distDir = options.distDir ?? dirname(fileURLToPath(import.meta.url));
  const roots = options.searchRoots ?? [process.cwd(), resolve(distDir, "..")];
  const packFile = join(dir, "pack.wpk");
  if (options.packImage) writeFileSync(packFile, options.packImage);
  const hasPack = options.packImage !== undefined;
  const phasesScript = (importExpr: string, readPack: string) => `const t0 = performance.now();
const { createWafer } = await import(${importExpr});
const t1 = performance.now();
const wafer = await createWafer(${hasPack ? `{ pack: ${readPack} }` : ""});
const t2 = performance.now();
const d = wafer.inspectSync(${INSPECT_ONE});
const t3 = performance.now();
console.log(JSON.stringify({ importMs: t1 - t0, createMs: t2 - t1, inspectMs: t3 - t2, denied: d.denied }));
`;
  if (options.runtime === "node" || options.runtime === "bun") {
    // Each imports its own export condition's bundle: dist/node.js, or dist/bun.js (on
    // JavaScriptCore rather than V8). Only a --pack run reads a file, and it reads it as that
    // bundle does: Bun.file in Bun; in Node, fs taken as src/load/node-fs.ts takes it
    // (`import ... from "node:fs"` alone would load Node's streams and add ~2 ms to the figure).
    const { runtime } = options;
    const command = runtime === "bun" ? findBinary("bun", roots) : process.execPath;
    const readPack =
      runtime === "bun" ? `await Bun.file(${JSON.stringify(packFile)}).bytes()` : `(process.getBuiltinModule?.("fs") ?? await import("node:fs")).readFileSync(${JSON.stringify(packFile)})`;
    writeFileSync(join(dir, "empty.mjs"), EMPTY_SCRIPT);
    writeFileSync(join(dir, "wafer.mjs"), phasesScript(JSON.stringify(pathToFileURL(join(distDir, `${runtime}.js`)).href), readPack));
    const variants: Variant[] = [
      { name: `${runtime} (empty script)`, launch: () => runToExit(command, ["empty.mjs"], dir) },
      { name: `${runtime} + wafer`, launch: () => runToExit(command, ["wafer.mjs"], dir) },
    ];
    if (runtime === "bun") return variants;
    for (const [name, script] of Object.entries(options.extraNodeScripts ?? {})) {
      const file = `${name.replace(/[^a-z0-9]+/gi, "-")}.mjs`;
      writeFileSync(join(dir, file), script);
      variants.push({ name, launch: () => runToExit(process.execPath, [file], dir) });
    }
    return variants;
  }
  if (options.runtime === "deno") {
    const deno = findBinary("deno", roots);
    writeFileSync(join(dir, "empty.js"), EMPTY_SCRIPT);
    writeFileSync(join(dir, "wafer.js"), phasesScript(JSON.stringify(pathToFileURL(join(distDir, "deno.js")).href), `await Deno.readFile(${JSON.stringify(packFile)})`));
    const env = { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };
    const args = (file: string) => ["run", "--allow-read", "--allow-env", "--no-config", "--node-modules-dir=none", file];
    return [
      { name: "deno (empty script)", launch: () => runToExit(deno, args("empty.js"), dir, env) },
      { name: "deno + wafer", launch: () => runToExit(deno, args("wafer.js"), dir, env) },
    ];
  }
  const workerd = findBinary("workerd", roots);
  copyFileSync(join(distDir, "workerd.js"), join(dir, "wafer.js"));
  // What the bundle imports: engine.wasm (a Wasm module), the default pack as a Data module
  // (as wrangler uploads it), and the files it loads on demand (ratelimit.js).
  const imported = workerdBundleModules(distDir);
  for (const m of imported) copyFileSync(join(distDir, m.name), join(dir, m.name));
  writeFileSync(join(dir, "empty-worker.js"), `export default { fetch() { return new Response("{}"); } };\n`);
  writeFileSync(
    join(dir, "wafer-worker.js"),
    `import { createWafer } from "./wafer.js";
${hasPack ? `import pack from "./pack.wpk";\n` : ""}export default {
  async fetch(request) {
    const wafer = await createWafer(${hasPack ? "{ pack: new Uint8Array(pack) }" : ""});
    const d = await wafer.inspect(request);
    return Response.json({ denied: d.denied });
  },
};
`,
  );
  const config = (worker: string, modules: string) => `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "${worker}")${modules}],
  compatibilityDate = "2025-06-01",
);
`;
  writeFileSync(join(dir, "empty.capnp"), config("empty-worker.js", ""));
  writeFileSync(
    join(dir, "wafer.capnp"),
    config(
      "wafer-worker.js",
      `, (name = "wafer.js", esModule = embed "wafer.js")${imported.map((m) => `, (name = "${m.name}", ${m.type} = embed "${m.name}")`).join("")}${hasPack ? `, (name = "pack.wpk", data = embed "pack.wpk")` : ""}`,
    ),
  );
  return [
    { name: "workerd (empty Worker)", launch: () => workerdFirstResponse(workerd, dir, "empty.capnp") },
    { name: "workerd + wafer", launch: () => workerdFirstResponse(workerd, dir, "wafer.capnp") },
  ];
}

export interface BundleModule {
  /** Path relative to dist/, which is also its module name next to the bundle. */
  name: string;
  /** How workerd loads it: an ES module, a WebAssembly.Module, or bytes (ArrayBuffer). */
  type: "esModule" | "wasm" | "data";
}

/**
 * Every module dist/workerd.js imports, directly or through another, statically or on
 * demand (`import("./ratelimit.js")`). A `workerd serve` config must list them all: workerd
 * resolves imports only among the modules it was given, and an on-demand import of a
 * missing one fails only when that path first runs. (wrangler finds them by bundling.)
 */
export function workerdBundleModules(distDir: string, entry = "workerd.js"): BundleModule[] {
  const found = new Map<string, BundleModule>();
  const visit = (file: string) => {
    const text = readFileSync(join(distDir, file), "utf8");
    // `from "./x"`, `import "./x"`, `import("./x")`; only relative specifiers (the bundles import
    // nothing else), so `import("wafer/ratelimit")` in an error message is not taken for one.
    for (const [, spec] of text.matchAll(/\b(?:from|import)\s*\(?\s*"(\.\.?\/[^"]+)"/g)) {
      const name = join(dirname(file), spec!).split("\\").join("/");
      if (found.has(name)) continue;
      const type = name.endsWith(".wasm") ? "wasm" : name.endsWith(".js") ? "esModule" : "data";
      found.set(name, { name, type });
      if (type === "esModule") visit(name);
    }
  };
  visit(entry);
  return [...found.values()];
}

/** Runs every variant `runs` times, interleaved, after one untimed warm-up launch each. */
export async function measureColdStart(options: ColdStartOptions): Promise<ColdStartResult> {
  const dir = mkdtempSync(join(tmpdir(), `wafer-coldstart-${options.runtime}-`));
  const { loadavg } = await import("node:os");
  try {
    const variants = prepare(options, dir);
    for (const v of variants) await v.launch(); // warm-up: file cache, Deno's code cache
    const walls = variants.map(() => [] as number[]);
    const cpus = variants.map(() => [] as number[]);
    const phases = variants.map(() => new Map<string, number[]>());
    const loadavgBefore = loadavg();
    const total = options.runs * variants.length;
    for (let r = 0; r < options.runs; r++) {
      for (let k = 0; k < variants.length; k++) {
        const i = (k + r) % variants.length; // rotate who goes first
        const cpu0 = childrenCpuMs();
        const { wallMs, stdout } = await variants[i]!.launch();
        const cpu1 = childrenCpuMs();
        walls[i]!.push(wallMs);
        if (cpu0 !== null && cpu1 !== null) cpus[i]!.push(cpu1 - cpu0);
        const line = stdout.trim().split("\n").pop() ?? "";
        try {
          const reported = JSON.parse(line) as Record<string, unknown>;
          for (const [key, value] of Object.entries(reported)) {
            if (typeof value !== "number") continue;
            if (!phases[i]!.has(key)) phases[i]!.set(key, []);
            phases[i]!.get(key)!.push(value);
          }
        } catch {
          /* the child printed no phases */
        }
        options.onProgress?.(r * variants.length + k + 1, total);
      }
    }
    const results: VariantResult[] = variants.map((v, i) => {
      const p = phases[i]!;
      const out: VariantResult = {
        name: v.name,
        wall: spread(walls[i]!),
        cpuMeanMs: cpus[i]!.length > 0 ? Math.round((cpus[i]!.reduce((a, b) => a + b, 0) / cpus[i]!.length) * 100) / 100 : null,
      };
      if (p.size > 0) out.phases = Object.fromEntries([...p].map(([k, vals]) => [k, Math.round(spread(vals).medianMs * 1000) / 1000]));
      return out;
    });
    const base = results[0]!;
    const addedWallMs: Record<string, number> = {};
    const addedCpuMs: Record<string, number | null> = {};
    for (const v of results.slice(1)) {
      addedWallMs[v.name] = Math.round((v.wall.medianMs - base.wall.medianMs) * 100) / 100;
      addedCpuMs[v.name] = v.cpuMeanMs !== null && base.cpuMeanMs !== null ? Math.round((v.cpuMeanMs - base.cpuMeanMs) * 100) / 100 : null;
    }
    return { runtime: options.runtime, runs: options.runs, variants: results, addedWallMs, addedCpuMs, loadavgBefore, loadavgAfter: loadavg() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatColdStart(r: ColdStartResult): string {
  const lines = [`cold start, ${r.runtime}: ${r.runs} runs each, interleaved (load average ${r.loadavgBefore.map((x) => x.toFixed(1)).join(" ")})`];
  for (const v of r.variants) {
    const w = v.wall;
    lines.push(
      `  ${v.name.padEnd(34)} wall median ${w.medianMs.toFixed(1).padStart(7)} ms  (p25 ${w.p25Ms.toFixed(1)}, p75 ${w.p75Ms.toFixed(1)}, min ${w.minMs.toFixed(1)}, max ${w.maxMs.toFixed(1)})` +
        `  cpu ${v.cpuMeanMs === null ? "n/a" : `${v.cpuMeanMs.toFixed(1)} ms`}` +
        (v.phases ? `  [${Object.entries(v.phases).map(([k, x]) => `${k} ${x}`).join(", ")}]` : ""),
    );
  }
  for (const name of Object.keys(r.addedWallMs)) {
    const cpu = r.addedCpuMs[name];
    lines.push(`  added by ${name}: wall ${r.addedWallMs[name]!.toFixed(1)} ms (median − median), cpu ${cpu === null || cpu === undefined ? "n/a" : `${cpu.toFixed(1)} ms`} (mean − mean)`);
  }
  return lines.join("\n");
}

export interface InspectBenchResult {
  requests: number;
  passes: number;
  blocked: number;
  /** Wall time per request, over the passes: the median pass, and the spread across passes. */
  perRequestUs: { median: number; min: number; max: number; p25: number; p75: number };
  /** 99th percentile of single requests (µs, wall), all passes pooled. */
  p99Us: number;
  /** Process CPU time per request (µs), all passes. */
  cpuPerRequestUs: number;
}

/** Inspects every request of a corpus `passes` times (after one warm-up pass). */
export function benchInspect(
  wafer: { inspectSync(request: never): { denied: boolean } },
  requests: readonly unknown[],
  passes: number,
): InspectBenchResult {
  const inspect = wafer.inspectSync.bind(wafer) as (r: unknown) => { denied: boolean };
  let blocked = 0;
  for (const r of requests) if (inspect(r).denied) blocked++;
  const perPass: number[] = [];
  const single: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let p = 0; p < passes; p++) {
    const t0 = performance.now();
    for (const r of requests) {
      const a = performance.now();
      inspect(r);
      single.push(performance.now() - a);
    }
    perPass.push(((performance.now() - t0) * 1000) / requests.length);
  }
  const cpu = process.cpuUsage(cpu0);
  const s = spread(perPass);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    requests: requests.length,
    passes,
    blocked,
    perRequestUs: { median: s.medianMs, min: s.minMs, max: s.maxMs, p25: s.p25Ms, p75: s.p75Ms },
    p99Us: round(quantileOf(single, 0.99) * 1000),
    cpuPerRequestUs: round((cpu.user + cpu.system) / (requests.length * passes)),
  };
}

export async function bench(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "coldstart") {
    const { positionals, options } = parseArgs(rest, { values: ["pack", "runtime", "runs"], flags: ["json"] });
    if (positionals.length > 0) throw new UsageError(`usage: ${BENCH_USAGE}`);
    const runtime = (options.runtime as string | undefined) ?? "node";
    if (runtime !== "node" && runtime !== "bun" && runtime !== "deno" && runtime !== "workerd") throw new UsageError("--runtime must be node, bun, deno or workerd");
    const runs = intOption(options, "runs", 1, 10_000) ?? 20;
    const result = await measureColdStart({
      runtime,
      runs,
      ...(options.pack ? { packImage: loadPackArgument(options.pack as string) } : {}),
      onProgress: (done, total) => {
        if (process.stderr.isTTY) process.stderr.write(`\rcoldstart ${done}/${total}${done === total ? "\r\x1b[K" : ""}`);
      },
    });
    process.stdout.write(`${options.json ? JSON.stringify(result, null, 2) : formatColdStart(result)}\n`);
    return 0;
  }
  if (sub === "inspect") {
    const { positionals, options } = parseArgs(rest, { values: ["pack", "passes"], flags: ["json", "verdict-cache"] });
    if (positionals.length !== 1) throw new UsageError(`usage: ${BENCH_USAGE}`);
    const passes = intOption(options, "passes", 1, 100_000) ?? 10;
    const requests: unknown[] = [];
    const lines = readFileSync(positionals[0]!, "utf8").split("\n");
    let skipped = 0;
    for (const line of lines) {
      if (!line.trim()) continue;
      const parsed = parseRequestLine(line);
      if ("error" in parsed) skipped++;
      else requests.push(parsed.request);
    }
    if (requests.length === 0) throw new UsageError(`${positionals[0]}: no requests`);
    const { createWafer } = await import("../entry/node.js");
    // The verdict cache off unless asked for: every pass after the first would find each value
    // of a small corpus again, which measures the cache, not what the pack costs.
    const verdictCache = options["verdict-cache"] === true;
    const wafer = await createWafer({ ...(options.pack ? { pack: loadPackArgument(options.pack as string) } : {}), verdictCache });
    const r = benchInspect(wafer, requests, passes);
    if (options.json) process.stdout.write(`${JSON.stringify({ pack: wafer.pack, verdictCache, skipped, ...r }, null, 2)}\n`);
    else {
      const u = r.perRequestUs;
      process.stdout.write(
        `inspect: ${r.requests} requests × ${r.passes} passes, pack ${wafer.pack.name} ${wafer.pack.version} (${wafer.pack.rules} rules), verdict cache ${verdictCache ? "on" : "off"}, ${r.blocked} blocked\n` +
          `  per request (wall): median ${u.median.toFixed(2)} µs  (p25 ${u.p25.toFixed(2)}, p75 ${u.p75.toFixed(2)}, min ${u.min.toFixed(2)}, max ${u.max.toFixed(2)} across passes)\n` +
          `  single request p99 (wall): ${r.p99Us.toFixed(2)} µs;  CPU per request: ${r.cpuPerRequestUs.toFixed(2)} µs\n` +
          (skipped > 0 ? `  ${skipped} malformed line(s) skipped\n` : ""),
      );
    }
    return 0;
  }
  throw new UsageError(`usage: ${BENCH_USAGE}`);
}
