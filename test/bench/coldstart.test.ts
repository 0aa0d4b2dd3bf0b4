/**
 * `wafer bench coldstart` harness, for real: a fresh Node process imports the built package
 * (dist/node.js, built by `npm test`), creates the engine and inspects one request, next to
 * an empty Node process; likewise a fresh workerd serving dist/workerd.js with its engine.wasm
 * and default-pack.bin modules. Asserts the structure and what the child reported, never a time.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { bench, measureColdStart } from "../../src/cli/bench.js";
import { UsageError } from "../../src/cli/args.js";

const dist = fileURLToPath(new URL("../../dist", import.meta.url));
const built = existsSync(`${dist}/node.js`);
if (!built) process.stdout.write(`wafer bench: the coldstart and inspect tests are skipped: ${dist}/node.js is not built (run npm run build)\n`);

describe("wafer bench", () => {
  it("rejects an unknown subcommand and an unknown runtime with a usage error", async () => {
    await expect(bench(["nope"])).rejects.toBeInstanceOf(UsageError);
    await expect(bench(["coldstart", "--runtime", "spidermonkey"])).rejects.toThrow(/--runtime must be node, bun, deno or workerd/);
  });

  it.runIf(built)("coldstart in Node: the empty script and the package, interleaved, with the child's own phases", async () => {
    const r = await measureColdStart({ runtime: "node", runs: 2, distDir: dist });
    expect(r.variants.map((v) => v.name)).toEqual(["node (empty script)", "node + wafer"]);
    for (const v of r.variants) expect(v.wall.runs).toBe(2);
    expect(Object.keys(r.addedWallMs)).toEqual(["node + wafer"]);
    const phases = r.variants[1]!.phases!;
    expect(Object.keys(phases).sort()).toEqual(["createMs", "importMs", "inspectMs"]);
    if (process.platform === "linux") expect(r.variants[1]!.cpuMeanMs).not.toBeNull();
  });
  it.runIf(built && typeof process.getBuiltinModule === "function")("the Node entry reads its files without loading Node's streams (an ES import of node:fs would)", () => {
    // Snapshot the builtins a fresh process loaded before anything writes to stdout (which
    // itself loads streams), after import + createWafer + one inspect.
    const script = `const before = new Set(process.moduleLoadList);
const { createWafer } = await import(${JSON.stringify(`${dist}/node.js`)});
const w = await createWafer();
const d = w.inspectSync({ method: "GET", url: "/?q=1", headers: { host: "example.com" } });
const loaded = process.moduleLoadList.filter((m) => !before.has(m) && /\\bstreams?\\b/.test(m));
process.stdout.write(JSON.stringify({ action: d.action, loaded }));`;
    const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" })) as { action: string; loaded: string[] };
    expect(out.action).toBe("allow");
    expect(out.loaded).toEqual([]);
  });
  it.runIf(built)("coldstart in Bun (real Bun from npm, on JavaScriptCore): the package's phases, next to an empty Bun script", async () => {
    const r = await measureColdStart({ runtime: "bun", runs: 1, distDir: dist, searchRoots: [fileURLToPath(new URL("../..", import.meta.url))] });
    expect(r.variants.map((v) => v.name)).toEqual(["bun (empty script)", "bun + wafer"]);
    expect(Object.keys(r.variants[1]!.phases!).sort()).toEqual(["createMs", "importMs", "inspectMs"]);
  });
  it.runIf(built)("coldstart in workerd: the built Worker bundle, with engine.wasm and the default-pack.bin Data module, answers its first request", async () => {
    const r = await measureColdStart({ runtime: "workerd", runs: 1, distDir: dist, searchRoots: [fileURLToPath(new URL("../..", import.meta.url))] });
    expect(r.variants.map((v) => v.name)).toEqual(["workerd (empty Worker)", "workerd + wafer"]);
    // Each launch is timed only once the Worker answered 200 (a missing module or a pack that
    // failed to load is a startup error or a 500, and measureColdStart throws).
    for (const v of r.variants) expect(v.wall.runs).toBe(1);
  });
  it.runIf(built)("inspect: the built CLI runs a corpus and reports per-request spread as JSON", () => {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const out = execFileSync(process.execPath, [`${dist}/cli.js`, "bench", "inspect", "--passes", "2", "--json", "examples/requests.jsonl"], { cwd: root, encoding: "utf8" });
    const r = JSON.parse(out) as { requests: number; passes: number; blocked: number; pack: { name: string }; perRequestUs: { median: number; min: number; max: number } };
    expect(r.requests).toBeGreaterThan(0);
    expect(r.passes).toBe(2);
    expect(r.blocked).toBeGreaterThan(0); // examples/requests.jsonl carries attacks
    expect(r.blocked).toBeLessThanOrEqual(r.requests);
    expect(r.pack.name).toBe("wafer-core");
    expect(r.perRequestUs.min).toBeLessThanOrEqual(r.perRequestUs.max);
    // Off by default: later passes would otherwise measure the cache, not the pack.
    expect((r as unknown as { verdictCache: boolean }).verdictCache).toBe(false);
    const cached = JSON.parse(execFileSync(process.execPath, [`${dist}/cli.js`, "bench", "inspect", "--passes", "1", "--verdict-cache", "--json", "examples/requests.jsonl"], { cwd: root, encoding: "utf8" })) as { verdictCache: boolean; blocked: number };
    expect(cached.verdictCache).toBe(true);
    expect(cached.blocked).toBe(r.blocked);
  });
  if (!built) it("coldstart in Node (skipped: dist/ is not built; `npm test` builds it)", () => {});
});
