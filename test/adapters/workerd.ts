/** Serving a bundled Worker (worker.js + engine.wasm in `dir`) with real workerd on a free loopback port. */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, repoRoot } from "../runtime/support.js";

export async function serveWorker(dir: string): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  writeFileSync(
    join(dir, "config.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js"), (name = "engine.wasm", wasm = embed "engine.wasm")],
  compatibilityDate = "2025-06-01",
);
`,
  );
  const child = spawn(join(repoRoot, "node_modules", ".bin", "workerd"), ["serve", "config.capnp"], { cwd: dir });
  let log = "";
  child.stderr!.on("data", (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(base);
      return { base, child };
    } catch {
      if (i > 300 || child.exitCode !== null) {
        child.kill();
        throw new Error(`workerd did not start:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
