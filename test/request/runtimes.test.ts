/**
 * Request extraction in real Deno and real workerd: the same handler (bundled from
 * src/request with esbuild) serves real HTTP requests on loopback, extracts fields, then
 * reads the body as the application would. Proves per runtime that reading the body through
 * a clone leaves it whole for the app — including when the body is longer than the limit
 * and our branch of the tee is cancelled — and that a GET needs no await.
 */
import { freePort } from "../support/free-port.js";
import { serveWorker } from "../support/workerd.js";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { EdgeVM } from "@edge-runtime/vm";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "wafer-request-runtimes-"));

const HANDLER = `
import { ArrayFieldSink, extractRequestMaybeSync } from ${JSON.stringify(join(repoRoot, "src/request/index.ts"))};
export async function handle(request, remoteAddress) {
  const url = new URL(request.url);
  const max = url.searchParams.get("max");
  const sink = new ArrayFieldSink();
  const maybe = extractRequestMaybeSync(request, sink, max ? { maxBodyBytes: Number(max) } : {}, { remoteAddress });
  const sync = !(maybe instanceof Promise);
  const report = await maybe;
  const appBody = request.body ? await request.text() : null;
  return Response.json({
    sync,
    report,
    fields: sink.fields.map((f) => [f.kindName, f.name, f.value]),
    appBodyLength: appBody === null ? null : appBody.length,
    appBodyTail: appBody === null ? null : appBody.slice(-20),
  });
}
`;

interface Seen {
  sync: boolean;
  report: { truncated: Array<{ limit: string }>; parseErrors: unknown[]; bodyKind: string };
  fields: Array<[string, string, string]>;
  appBodyLength: number | null;
  appBodyTail: string | null;
}

async function bundle(entrySource: string, outName: string): Promise<void> {
  writeFileSync(join(dir, "handler.js"), HANDLER);
  writeFileSync(join(dir, `${outName}-entry.js`), entrySource);
  await build({
    entryPoints: [join(dir, `${outName}-entry.js`)],
    bundle: true,
    format: "esm",
    platform: "neutral",
    outfile: join(dir, `${outName}.js`),
    logLevel: "warning",
  });
}

async function waitFor(base: string, log: () => string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      await fetch(`${base}/ready`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`server did not start:\n${log()}`);
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill();
  rmSync(dir, { recursive: true, force: true });
});

function startServer(command: string, args: string[]): { log: () => string } {
  let log = "";
  const child = spawn(command, args, { cwd: dir, env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" } });
  child.stdout?.on("data", (d) => (log += d));
  child.stderr?.on("data", (d) => (log += d));
  children.push(child);
  return { log: () => log };
}

/** The same cases for every runtime. */
function runtimeCases(name: string, getBase: () => string, expectedIp: string) {
  const send = async (path: string, init?: RequestInit): Promise<Seen> => {
    const res = await fetch(getBase() + path, init);
    expect(res.status, `${name} ${path}`).toBe(200);
    return (await res.json()) as Seen;
  };
  const kinds = (seen: Seen, kind: string) => seen.fields.filter((f) => f[0] === kind).map((f) => [f[1], f[2]]);

  it(`${name}: a GET is extracted without awaiting`, async () => {
    const seen = await send("/search?q=%3Cscript%3E&q=2", { headers: { cookie: "sid=abc; t=1", "x-custom": "v" } });
    expect(seen.sync).toBe(true);
    expect(kinds(seen, "queryArg")).toEqual([["q", "<script>"], ["q", "2"]]);
    expect(kinds(seen, "cookie")).toEqual([["sid", "abc"], ["t", "1"]]);
    expect(kinds(seen, "header")).toContainEqual(["x-custom", "v"]);
    expect(kinds(seen, "clientIp")).toEqual([["", expectedIp]]);
  });

  it(`${name}: a JSON body is extracted and the app still reads it`, async () => {
    const body = JSON.stringify({ user: { name: "x' OR '1'='1" } });
    const seen = await send("/login", { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(seen.sync).toBe(false);
    expect(kinds(seen, "bodyJson")).toEqual([["user.name", "x' OR '1'='1"]]);
    expect(seen.appBodyLength).toBe(body.length);
  });

  it(`${name}: a body longer than the limit is cut for us and whole for the app`, async () => {
    const body = "a=" + "y".repeat(300_000) + "&end=1";
    const seen = await send("/big?max=1000", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
    expect(seen.report.truncated.map((t) => t.limit)).toEqual(["bodyBytes"]);
    expect(kinds(seen, "bodyForm")).toEqual([["a", "y".repeat(998)]]);
    expect(seen.appBodyLength).toBe(body.length);
    expect(seen.appBodyTail).toBe(body.slice(-20));
  });

  it(`${name}: a gzip body is decompressed for inspection`, async () => {
    const { gzipSync } = await import("node:zlib");
    const body = gzipSync(JSON.stringify({ cmd: "cat /etc/passwd" }));
    const seen = await send("/gz", {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: new Uint8Array(body),
    });
    expect(kinds(seen, "bodyJson")).toEqual([["cmd", "cat /etc/passwd"]]);
    expect(seen.appBodyLength).toBeGreaterThan(0);
  });

  it(`${name}: multipart form data`, async () => {
    const form = new FormData();
    form.append("note", "hello");
    form.append("file", new Blob(["<?php echo 1; ?>"]), "x.php");
    const seen = await send("/upload", { method: "POST", body: form });
    expect(seen.report.bodyKind).toBe("multipart");
    expect(kinds(seen, "multipartField")).toEqual([["note", "hello"]]);
    expect(kinds(seen, "multipartFilename")).toEqual([["file", "x.php"]]);
  });
}

describe("Deno", () => {
  let base = "";
  beforeAll(async () => {
    await bundle(
      `import { handle } from "./handler.js";
Deno.serve({ hostname: "127.0.0.1", port: Number(Deno.args[0]), onListen() {} }, (req, info) => handle(req, info.remoteAddr.hostname));`,
      "deno-server",
    );
    const port = await freePort();
    const server = startServer(join(repoRoot, "node_modules", ".bin", "deno"), ["run", "--allow-net", "--no-config", "deno-server.js", String(port)]);
    base = `http://127.0.0.1:${port}`;
    await waitFor(base, server.log);
  });
  runtimeCases("deno", () => base, "127.0.0.1");
});

describe("workerd", () => {
  let base = "";
  beforeAll(async () => {
    await bundle(
      `import { handle } from "./handler.js";
export default { fetch(req) { return handle(req, req.headers.get("cf-connecting-ip") ?? "192.0.2.77"); } };`,
      "worker",
    );
    const worker = await serveWorker(dir, { modules: [{ name: "worker.js", type: "esModule" }], readyPath: "/ready" });
    children.push(worker.child);
    base = worker.base;
  });
  // Locally there is no Cloudflare edge to set cf-connecting-ip: the handler's fallback address is used.
  runtimeCases("workerd", () => base, "192.0.2.77");
});

describe("edge-light (@edge-runtime/vm, as on Vercel Edge)", () => {
  it("extracts in-sandbox Requests and leaves their bodies whole", async () => {
    writeFileSync(join(dir, "handler.js"), HANDLER);
    const result = await build({
      stdin: {
        contents: `import { handle } from "./handler.js";
globalThis.__run = async () => {
  const big = "a=" + "y".repeat(300000) + "&end=1";
  const cases = [
    new Request("http://app.test/s?q=%3Cx%3E", { headers: { cookie: "a=1" } }),
    new Request("http://app.test/big?max=1000", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: big }),
    new Request("http://app.test/j", { method: "POST", headers: { "content-type": "application/json" }, body: '{"k":[1,"v"]}' }),
  ];
  const out = [];
  for (const req of cases) out.push(await (await handle(req, "203.0.113.1")).json());
  return JSON.stringify({ out, bigLength: big.length });
};`,
        resolveDir: dir,
        loader: "js",
      },
      bundle: true,
      write: false,
      format: "iife",
      platform: "neutral",
      logLevel: "warning",
    });
    const vm = new EdgeVM({ codeGeneration: { strings: false, wasm: false } });
    vm.evaluate(result.outputFiles[0]!.text);
    const { out, bigLength } = JSON.parse(await vm.evaluate<Promise<string>>("globalThis.__run()")) as { out: Seen[]; bigLength: number };
    const kinds = (seen: Seen, kind: string) => seen.fields.filter((f) => f[0] === kind).map((f) => [f[1], f[2]]);
    expect(out[0].sync).toBe(true);
    expect(kinds(out[0], "queryArg")).toEqual([["q", "<x>"]]);
    expect(kinds(out[0], "clientIp")).toEqual([["", "203.0.113.1"]]);
    expect(out[1].report.truncated.map((t) => t.limit)).toEqual(["bodyBytes"]);
    expect(out[1].appBodyLength).toBe(bigLength);
    expect(kinds(out[2], "bodyJson")).toEqual([["k[0]", "1"], ["k[1]", "v"]]);
    expect(out[2].appBodyLength).toBe(13);
  });
});
