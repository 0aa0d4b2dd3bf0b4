/**
 * Serves files in `dir` as a Worker with real workerd (npm package `workerd`) on a free
 * loopback port, and waits until it answers. Every workerd test goes through here.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./free-port.js";

export const workerdBin = fileURLToPath(new URL("../../node_modules/.bin/workerd", import.meta.url));

export interface WorkerModule {
  name: string;
  /** How workerd loads the file: an ES module, a WebAssembly.Module, or bytes (ArrayBuffer). */
  type: "esModule" | "wasm" | "data";
}

export interface ServeOptions {
  /** Default: worker.js (ES module, the main one) and engine.wasm (Wasm module). */
  modules?: WorkerModule[];
  /** More Worker fields in capnp, e.g. durableObjectNamespaces and bindings. */
  extraConfig?: string;
  /** Path requested to know the Worker is up (any answer will do). Default "/". */
  readyPath?: string;
}

export interface ServedWorker {
  base: string;
  child: ChildProcess;
  /** Everything workerd printed so far (for assertion messages). */
  log(): string;
  close(): void;
}

const DEFAULT_MODULES: WorkerModule[] = [
  { name: "worker.js", type: "esModule" },
  { name: "engine.wasm", type: "wasm" },
];

/**
 * A Worker bundled with wafer's workerd entry: it imports engine.wasm (a Wasm module) and
 * the default pack, default-pack.bin, as a Data module (an ArrayBuffer), as wrangler's
 * default module rules would upload them.
 */
export const WAFER_WORKER_MODULES: WorkerModule[] = [
  ...DEFAULT_MODULES,
  { name: "default-pack.bin", type: "data" },
];

export async function serveWorker(dir: string, options: ServeOptions = {}): Promise<ServedWorker> {
  const port = await freePort();
  const modules = (options.modules ?? DEFAULT_MODULES).map((m) => `    (name = "${m.name}", ${m.type} = embed "${m.name}"),`).join("\n");
  writeFileSync(
    join(dir, "config.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [
${modules}
  ],
  compatibilityDate = "2025-06-01",${options.extraConfig ? `\n${options.extraConfig}` : ""}
);
`,
  );
  const child = spawn(workerdBin, ["serve", "config.capnp", "--verbose"], { cwd: dir });
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await fetch(`${base}${options.readyPath ?? "/"}`);
      return { base, child, log: () => log, close: () => child.kill() };
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill();
        throw new Error(`workerd did not start:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
