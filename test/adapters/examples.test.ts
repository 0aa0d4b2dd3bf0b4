/**
 * The examples run: each is bundled from examples/ with "wafer" and "wafer/<adapter>"
 * resolved to this repository's sources (what the package exports once built), started as
 * its own process on a free loopback port — Node for Express, Fastify and Hono, real Deno
 * for the Deno server, real workerd for the Worker — and sent real requests: a benign one,
 * an attack (403), and login attempts past the per-user token bucket (429).
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, type Plugin } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, repoRoot } from "../runtime/support.js";
import { defaultPack } from "./support.js";
import { serveWorker, WAFER_WORKER_MODULES } from "../support/workerd.js";

const work = mkdtempSync(join(tmpdir(), "wafer-examples-"));
symlinkSync(join(repoRoot, "node_modules"), join(work, "node_modules"), "dir");
copyFileSync(join(repoRoot, "build", "engine.wasm"), join(work, "engine.wasm"));
writeFileSync(join(work, "default.wpk"), defaultPack());
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill();
  rmSync(work, { recursive: true, force: true });
});

/** The embedded default pack comes from the tests' checked image (see support.ts). */
const packPlugin: Plugin = {
  name: "default-pack",
  setup(b) {
    b.onResolve({ filter: /default\.wpk$/ }, () => ({ path: "default.wpk", namespace: "wafer-pack" }));
    b.onLoad({ filter: /.*/, namespace: "wafer-pack" }, () => ({ contents: defaultPack(), loader: "binary" }));
    // The Node entry reads engine.wasm and default.wpk next to the bundle; its inlined copies stay out.
    b.onResolve({ filter: /^\.\/engine\.wasm(\?module)?$|^\.\/(engine-inline|default-pack-inline)\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

async function bundle(entry: string, out: string, entryPoint: "node" | "default", adapter: string): Promise<string> {
  const outfile = join(work, out);
  await build({
    entryPoints: [join(repoRoot, entry)],
    bundle: true, format: "esm", platform: entryPoint === "node" ? "node" : "neutral", target: "es2022", outfile, logLevel: "warning",
    packages: entryPoint === "node" ? "external" : undefined,
    alias: { wafer: join(repoRoot, `src/entry/${entryPoint}.ts`), [`wafer/${adapter}`]: join(repoRoot, `src/adapters/${adapter === "http" ? "node-http" : adapter}.ts`) },
    loader: { ".wasm": "binary" },
    plugins: [packPlugin],
  });
  return outfile;
}

/** Starts a process and resolves with the URL it prints ("listening on http://…"). */
function start(command: string, args: string[], env: Record<string, string>): Promise<string> {
  const child = spawn(command, args, { cwd: work, env: { ...process.env, ...env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" } });
  children.push(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start:\n${output}`)), 60_000);
    const onData = (d: Buffer) => {
      output += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace("0.0.0.0", "127.0.0.1"));
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
}

async function exercise(base: string): Promise<void> {
  const home = await fetch(`${base}/`);
  expect(home.status).toBe(200);
  expect(await home.text()).toMatch(/^hello from/);
  const search = await fetch(`${base}/search?q=garden+chairs`);
  expect(await search.json()).toEqual({ q: "garden chairs", decision: "allowed" });
  const attack = await fetch(`${base}/search?q=1%27%20union%20select%20password%20from%20users--`);
  expect(attack.status).toBe(403);
  expect(attack.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const login = (username: string) =>
    fetch(`${base}/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password: "correct horse" }) });
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await login("mallory")).status);
  expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  const ok = await login("alice");
  expect(await ok.json()).toEqual({ welcome: "alice" });
  expect(ok.headers.get("ratelimit")).toBe('"login-per-user";r=4;t=60');
}

describe("examples", () => {
  it.each([
    ["express", "examples/express/server.mjs"],
    ["fastify", "examples/fastify/server.mjs"],
    ["hono", "examples/hono-node/server.mjs"],
  ])("Node + %s starts and answers", async (adapter, entry) => {
    const file = await bundle(entry, `${adapter}.mjs`, "node", adapter);
    const base = await start(process.execPath, [file], { PORT: "0", HOST: "127.0.0.1" });
    await exercise(base);
  });

  it("Deno.serve with the fetch wrapper, in real Deno", async () => {
    const file = await bundle("examples/deno/server.ts", "deno.mjs", "default", "fetch");
    const port = await freePort();
    const deno = join(repoRoot, "node_modules", ".bin", "deno");
    const base = await start(deno, ["run", "--allow-net", "--allow-env", "--allow-read", "--no-config", file], { PORT: String(port) });
    await exercise(base);
  });

  it("the Worker, in real workerd", async () => {
    execFileSync(process.execPath, [join(repoRoot, "examples/worker/build.mjs"), "--from-src", "--out", join(work, "worker")], { stdio: "pipe" });
    const { base, child } = await serveWorker(join(work, "worker"), { modules: WAFER_WORKER_MODULES });
    children.push(child);
    // workerd sets no cf-connecting-ip locally; the per-user bucket does not need an address.
    await exercise(base);
  });
});
