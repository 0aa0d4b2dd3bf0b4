/**
 * Real Bun (npm package `bun`, JavaScriptCore rather than V8): a script imports the BUILT
 * package by name, so Bun resolves it through package.json "exports" with its own conditions
 * ("bun": dist/bun.js, which reads its files with Bun.file); it inspects the matrix requests as fetch Requests, and
 * serves them through `Bun.serve` with the fetch adapter over loopback, where the client
 * address comes from Bun's `server.requestIP` and a per-IP rate limit loads the limiter on
 * demand (dist/limiter.js).
 *
 * JavaScriptCore runs engine.wasm with its own Wasm tiers and SIMD, so the decisions are also
 * compared with Node's, rule for rule, on a few hundred requests from the project's corpora.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseRequestLine } from "../../src/cli/request-line.js";
import type { RequestInput } from "../../src/request/types.js";
import { MATRIX_INSPECT_LOOP, MATRIX_REQUESTS, freePort, repoRoot, tempProject } from "./support.js";

const project = tempProject("bun");
afterAll(() => project.cleanup());

const bun = join(repoRoot, "node_modules", ".bin", "bun");
const env = { ...process.env, NO_COLOR: "1", BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0" };

/** Runs `script` (an ES module) in `runtime` inside the temp project; returns its last stdout line, parsed. */
function runScript(runtime: "bun" | "node", file: string, script: string): unknown {
  writeFileSync(join(project.dir, file), script);
  const stdout = execFileSync(runtime === "bun" ? bun : process.execPath, [file], { cwd: project.dir, encoding: "utf8", env, timeout: 60_000 });
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

/** Requests from the committed corpora (benign traffic, and the examples' attacks), as plain requests. */
function corpusRequests(): RequestInput[] {
  const lines = (file: string) => readFileSync(join(repoRoot, file), "utf8").split("\n").filter((l) => l.trim() !== "");
  const parsed = [...lines("test/corpora/benign-requests.jsonl").slice(0, 300), ...lines("examples/requests.jsonl")].map(parseRequestLine);
  return parsed.map((p) => {
    if ("error" in p) throw new Error(p.error);
    return p.request;
  });
}

describe("Bun runtime", () => {
  it("imports the package through its bun export and inspects requests", () => {
    const result = runScript(
      "bun",
      "main.mjs",
      `import { createWafer } from "wafer";
const wafer = await createWafer();
${MATRIX_INSPECT_LOOP}
console.log(JSON.stringify({ resolved: import.meta.resolve("wafer"), engine: typeof Bun === "object" ? "bun " + Bun.version : "not bun", pack: wafer.pack.name, out }));
`,
    ) as { resolved: string; engine: string; pack: string; out: { denied: boolean; bodyAfter: string | null }[] };
    expect(result.engine).toMatch(/^bun \d+\.\d+/);
    expect(result.resolved).toMatch(/dist\/bun\.js$/);
    expect(result.pack).toBe("wafer-core");
    for (const [i, r] of MATRIX_REQUESTS.entries()) {
      expect(result.out[i]!.denied, r.name).toBe(r.denied);
      if (r.body) expect(result.out[i]!.bodyAfter, `${r.name}: body still readable`).toBe(r.body);
    }
  });

  it("falls back to the inlined engine and pack when a bundler left engine.wasm and default.wpk behind", () => {
    // The bundle and the files it imports on demand, without the two binary files.
    const copy = join(project.dir, "bundled");
    mkdirSync(copy);
    for (const file of ["bun.js", "engine-inline.js", "default-pack-inline.js", "limiter.js", "pack-update.js"]) copyFileSync(join(repoRoot, "dist", file), join(copy, file));
    const result = runScript(
      "bun",
      "bundled/main.mjs",
      `import { existsSync } from "node:fs";
import { createWafer } from "./bun.js";
const wafer = await createWafer();
const attack = wafer.inspectSync({ method: "GET", url: "/items?id=1%27%20union%20select%20password%20from%20users--", headers: [] });
const ordinary = wafer.inspectSync({ method: "GET", url: "/products?page=2", headers: [["user-agent", "Mozilla/5.0"]] });
console.log(JSON.stringify({ wasmBeside: existsSync(new URL("./engine.wasm", import.meta.url)), pack: wafer.pack.name, attack: attack.denied, ordinary: ordinary.denied }));
`,
    );
    expect(result).toEqual({ wasmBeside: false, pack: "wafer-core", attack: true, ordinary: false });
  });

  it("decides exactly as Node does: same action, score and rules on corpus requests", () => {
    const requests = corpusRequests();
    writeFileSync(join(project.dir, "requests.json"), JSON.stringify(requests));
    const script = `import { readFileSync } from "node:fs";
import { createWafer } from "wafer";
const requests = JSON.parse(readFileSync("requests.json", "utf8"));
const wafer = await createWafer({ mode: "monitor", paranoia: 4 });
const out = requests.map((r) => {
  const d = wafer.inspectSync(r);
  return [d.action, d.score, d.matches.map((m) => m.rule + "@" + JSON.stringify(m.field)).join(" ")];
});
console.log(JSON.stringify(out));
`;
    const inBun = runScript("bun", "corpus.mjs", script) as [string, number, string][];
    const inNode = runScript("node", "corpus.mjs", script) as [string, number, string][];
    expect(inBun).toHaveLength(requests.length);
    // The corpus has attacks: the comparison covers matches, not only empty decisions.
    expect(inNode.filter(([, score]) => score > 0).length).toBeGreaterThan(10);
    expect(inBun).toEqual(inNode);
  });

  it("serves through Bun.serve with the fetch adapter: attacks refused, the client address from requestIP, limits loaded on demand", async () => {
    const port = await freePort();
    writeFileSync(
      join(project.dir, "serve.mjs"),
      `import { createWafer } from "wafer";
import { protect, getDecision, fixedWindow } from "wafer/fetch";
const app = (request) => Response.json({ ok: true, outcome: getDecision(request)?.outcome });
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: ${port},
  fetch: protect(app, { wafer: createWafer, rateLimits: [fixedWindow({ id: "per-ip", limit: 3, windowMs: 60_000, characteristics: ["ip"], onMissingIdentity: "deny", match: { route: "/limited/**" } })] }),
});
console.log("listening " + server.port);
`,
    );
    const { spawn } = await import("node:child_process");
    const child = spawn(bun, ["serve.mjs"], { cwd: project.dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stderr.on("data", (d) => (log += d));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`Bun.serve did not start: ${log}`)), 30_000);
        child.stdout.on("data", (d) => {
          if (String(d).includes("listening")) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.on("exit", (code) => reject(new Error(`bun exited with ${code}: ${log}`)));
      });
      const base = `http://127.0.0.1:${port}`;
      const ok = await fetch(`${base}/products?page=2`, { headers: { "user-agent": "Mozilla/5.0" } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get("x-request-id")).toBeTruthy();
      expect(await ok.json()).toEqual({ ok: true, outcome: "allowed" });

      const attack = await fetch(`${base}/items?id=1%27%20union%20select%20password%20from%20users--`);
      expect(attack.status).toBe(403);
      expect(attack.headers.get("content-type")).toMatch(/application\/problem\+json/);
      expect(((await attack.json()) as { title: string }).title).toBe("Forbidden");

      // Three per address and window under /limited/, then 429. The key is the loopback
      // address Bun's requestIP reported: without one, onMissingIdentity "deny" would have
      // refused the first.
      const statuses: number[] = [];
      for (let i = 1; i <= 4; i++) {
        const r = await fetch(`${base}/limited/${i}`);
        statuses.push(r.status);
        if (i === 1) expect(r.headers.get("ratelimit-policy")).toMatch(/per-ip/);
        if (r.status === 429) expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
        await r.arrayBuffer();
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      child.kill();
    }
  });
});
