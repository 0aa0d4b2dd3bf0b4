/**
 * A real redis-server for tests: free loopback port, temp dir, no persistence
 * (`--save "" --appendonly no`). `kill()` SIGKILLs it (an outage), `restart()` brings a
 * fresh one back on the same port.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";

export const REDIS_SERVER_BIN = process.env.REDIS_SERVER ?? "/usr/bin/redis-server";

export function redisServerAvailable(): boolean {
  return existsSync(REDIS_SERVER_BIN);
}

export { freePort } from "./free-port.js";

/** Sends PING over a raw socket; resolves true on +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: "127.0.0.1", port });
    let data = "";
    const done = (ok: boolean) => { sock.destroy(); resolve(ok); };
    sock.setTimeout(500, () => done(false));
    sock.once("error", () => done(false));
    sock.on("connect", () => sock.write("PING\r\n"));
    sock.on("data", (chunk) => { data += chunk.toString(); if (data.includes("\r\n")) done(data.startsWith("+PONG")); });
  });
}

export class RedisServer {
  private proc: ChildProcess | undefined;
  private constructor(readonly port: number, readonly dir: string) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), mkdtempSync(join(tmpdir(), "wafer-redis-")));
    await server.launch();
    return server;
  }

  private async launch(): Promise<void> {
    const proc = spawn(REDIS_SERVER_BIN, [
      "--port", String(this.port), "--bind", "127.0.0.1", "--dir", this.dir,
      "--save", "", "--appendonly", "no", "--protected-mode", "no", "--loglevel", "warning",
    ], { stdio: ["ignore", "ignore", "pipe"] });
    this.proc = proc;
    let stderr = "";
    proc.stderr?.on("data", (c) => { stderr += c.toString(); });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited (${proc.exitCode}): ${stderr}`);
      if (await ping(this.port)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`redis-server did not answer PING on port ${this.port}: ${stderr}`);
  }

  /** Simulates an outage: SIGKILL, waits for the process to exit. */
  async kill(): Promise<void> {
    const proc = this.proc;
    this.proc = undefined;
    if (proc === undefined || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => { proc.once("exit", () => resolve()); proc.kill("SIGKILL"); });
  }

  /** Starts a fresh server on the same port (state is gone: no persistence). */
  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
