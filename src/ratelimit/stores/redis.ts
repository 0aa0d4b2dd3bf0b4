/**
 * Redis store: one EVALSHA per decision running the algorithm's Lua script atomically.
 *
 * No dependency on a Redis client: pass node-redis (v4+: `evalSha(sha, {keys, arguments})`)
 * or ioredis (`evalsha(sha, numKeys, ...keysAndArgs)`); `redisStore` detects which. The
 * first call of each script sends EVAL (which also caches the script server-side); later
 * calls send EVALSHA; a NOSCRIPT reply (server restarted or flushed) falls back to EVAL
 * once. So a decision costs exactly one command, except the first after a (re)start.
 *
 * Use the client with its offline queue disabled (node-redis `disableOfflineQueue: true`,
 * ioredis `enableOfflineQueue: false`): during an outage commands then fail at once
 * instead of piling up and consuming late; the limiter's timeout covers the rest.
 */
import type { Algorithm } from "../policy";
import type { RateLimitStore, StoreReply, StoreRequest } from "./store";
import { FIXED_WINDOW_SCRIPT, GCRA_SCRIPT, SLIDING_WINDOW_SCRIPT } from "./lua";

/** The two calls the store needs, in a client-neutral shape. */
export interface RedisScriptClient {
  evalSha(sha: string, keys: readonly string[], args: readonly string[]): Promise<unknown>;
  eval(script: string, keys: readonly string[], args: readonly string[]): Promise<unknown>;
}

interface NodeRedisLike {
  evalSha(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

interface IoredisLike {
  evalsha(sha: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
}

export function fromNodeRedis(client: NodeRedisLike): RedisScriptClient {
  return {
    evalSha: (sha, keys, args) => client.evalSha(sha, { keys: [...keys], arguments: [...args] }),
    eval: (script, keys, args) => client.eval(script, { keys: [...keys], arguments: [...args] }),
  };
}

export function fromIoredis(client: IoredisLike): RedisScriptClient {
  return {
    evalSha: (sha, keys, args) => client.evalsha(sha, keys.length, ...keys, ...args),
    eval: (script, keys, args) => client.eval(script, keys.length, ...keys, ...args),
  };
}

/** Wraps node-redis (`evalSha`) or ioredis (`evalsha`), detected by method name. */
export function toScriptClient(client: unknown): RedisScriptClient {
  const c = client as Record<string, unknown> | null;
  if (c !== null && typeof c === "object" && typeof c.evalsha === "function") return fromIoredis(client as IoredisLike);
  if (c !== null && typeof c === "object" && typeof c.evalSha === "function") return fromNodeRedis(client as NodeRedisLike);
  throw new TypeError("redisStore: client must be a node-redis or ioredis client (or pass scriptClient)");
}

const SCRIPTS: Record<Algorithm, string> = {
  tokenBucket: GCRA_SCRIPT,
  slidingWindow: SLIDING_WINDOW_SCRIPT,
  fixedWindow: FIXED_WINDOW_SCRIPT,
};

async function sha1Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function num(v: unknown): number {
  const n = Number(typeof v === "string" ? v : String(v));
  return n;
}

function isNoScript(error: unknown): boolean {
  return String((error as { message?: unknown })?.message ?? error).includes("NOSCRIPT");
}

export type RedisStoreOptions =
  /** A node-redis or ioredis client. */
  | { client: unknown; scriptClient?: undefined }
  /** Any client, adapted to the two calls the store needs. */
  | { scriptClient: RedisScriptClient; client?: undefined };

export class RedisStore implements RateLimitStore {
  readonly name = "redis";
  private readonly client: RedisScriptClient;
  private readonly shas = new Map<Algorithm, string>();
  /** Commands sent (EVAL + EVALSHA), for the bench's commands-per-decision figure. */
  commands = 0;

  constructor(options: RedisStoreOptions) {
    this.client = options.scriptClient ?? toScriptClient(options.client);
  }

  async apply(q: StoreRequest): Promise<StoreReply> {
    const script = SCRIPTS[q.algorithm];
    const keys = [q.key];
    const args = [String(q.limit), String(q.periodMs), String(q.cost), String(q.nowMs), q.force ? "1" : "0"];
    let sha = this.shas.get(q.algorithm);
    let raw: unknown;
    if (sha === undefined) {
      // First use: EVAL runs and caches the script in one command.
      this.commands++;
      raw = await this.client.eval(script, keys, args);
      this.shas.set(q.algorithm, await sha1Hex(script));
    } else {
      try {
        this.commands++;
        raw = await this.client.evalSha(sha, keys, args);
      } catch (error) {
        if (!isNoScript(error)) throw error;
        this.commands++;
        raw = await this.client.eval(script, keys, args);
      }
    }
    return parseReply(raw);
  }
}

export function redisStore(options: RedisStoreOptions): RedisStore {
  return new RedisStore(options);
}

function parseReply(raw: unknown): StoreReply {
  if (!Array.isArray(raw) || raw.length < 7) throw new Error(`redis rate-limit script: unexpected reply ${JSON.stringify(raw)}`);
  const retry = num(raw[3]);
  return {
    allowed: String(raw[0]) === "1",
    remaining: num(raw[1]),
    resetMs: num(raw[2]),
    retryAfterMs: retry < 0 ? Infinity : retry,
    state: { t: num(raw[4]), cur: num(raw[5]), prev: num(raw[6]) },
  };
}
