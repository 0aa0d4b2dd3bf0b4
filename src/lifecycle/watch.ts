/**
 * Keeping a running engine's pack current: poll a source (HTTPS with ETag, Workers KV,
 * Deno KV, a file), load what changed through `updatePack` (so signatures, versions and size
 * limits apply), and back off on failures. Nothing here ever throws into a request: every
 * failure keeps the current pack and goes to `onError`.
 *
 * Timing: a success or an unchanged answer schedules the next poll `intervalMs` later; each
 * consecutive failure doubles (by `backoff.factor`) a delay that starts at
 * `backoff.initialMs`, capped at `backoff.maxMs`. Every delay is spread by ±`jitter` so a
 * fleet of instances does not poll in lockstep.
 */
import type { PackInfo } from "../engine/engine.js";
import { sha256, toHex } from "./encoding.js";
import type { PackUpdateOptions } from "./pack-gate.js";
import { httpPackSource, type HttpSourceOptions } from "./sources.js";

/** What a source answers to "anything newer than `tag`?". */
export type PackFetchResult = { status: "unchanged" } | { status: "updated"; bytes: Uint8Array; tag?: string };

export interface PackSource {
  /** Named in errors ("https://…", "Workers KV key packs/core"). */
  readonly description: string;
  fetch(lastTag: string | undefined, signal: AbortSignal): Promise<PackFetchResult>;
}

/** The part of the engine a watcher needs. */
export interface UpdatableEngine {
  updatePack(source: Uint8Array, options?: PackUpdateOptions): Promise<PackInfo>;
  /** When it tells the active pack's hash, a source serving that same pack is not reloaded. */
  readonly pack?: { sha256?: string };
}

export interface Clock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface WatchOptions {
  /** An HTTP(S) URL to poll (shorthand for `source: httpPackSource(url, http)`). */
  url?: string | URL;
  /** fetch, headers and size limit for `url`. */
  http?: Omit<HttpSourceOptions, "signal">;
  source?: PackSource;
  /** Delay between polls when all is well (default 60 s). */
  intervalMs?: number;
  /** Spread of every delay, as a fraction (default 0.1: ±10 %). */
  jitter?: number;
  backoff?: { initialMs?: number; maxMs?: number; factor?: number };
  /** A poll that takes longer is aborted and counted as a failure (default 30 s). */
  timeoutMs?: number;
  /** Options for every updatePack (e.g. allowDowngrade, maxBytes). */
  update?: PackUpdateOptions;
  onUpdate?: (pack: PackInfo) => void;
  onError?: (error: Error) => void;
  /** Poll once immediately and then on schedule (default true); false: only `poll()` polls. */
  autoStart?: boolean;
  clock?: Clock;
  random?: () => number;
}

export type PollOutcome =
  | { status: "updated"; pack: PackInfo }
  | { status: "unchanged" }
  | { status: "refused"; error: Error }
  | { status: "failed"; error: Error };

export interface PackWatcher {
  /** Polls now (joining a poll already under way). Never rejects. */
  poll(): Promise<PollOutcome>;
  /** Stops scheduling; a poll under way finishes. */
  stop(): void;
  /** Consecutive failures so far (0 after any success or unchanged answer). */
  readonly failures: number;
  /** Delay chosen for the next scheduled poll, in ms (undefined when none is scheduled). */
  readonly nextDelayMs: number | undefined;
}

const realClock: Clock = {
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, ms) as unknown as { unref?: () => void };
    handle.unref?.(); // a watcher alone must not keep a Node process alive
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function watchPack(engine: UpdatableEngine, options: WatchOptions): PackWatcher {
  const source = options.source ?? (options.url !== undefined ? httpPackSource(options.url, options.http) : undefined);
  if (!source) throw new TypeError("wafer: watchPack needs a `url` or a `source`");
  const intervalMs = options.intervalMs ?? 60_000;
  const jitter = options.jitter ?? 0.1;
  const initialMs = options.backoff?.initialMs ?? Math.min(1000, intervalMs);
  const maxMs = options.backoff?.maxMs ?? Math.max(intervalMs, 15 * 60_000);
  const factor = options.backoff?.factor ?? 2;
  const timeoutMs = options.timeoutMs ?? 30_000;
  for (const [name, v] of Object.entries({ intervalMs, initialMs, maxMs, timeoutMs }))
    if (!(Number.isFinite(v) && v > 0)) throw new TypeError(`wafer: watchPack ${name} must be a positive number, got ${String(v)}`);
  if (!(jitter >= 0 && jitter < 1)) throw new TypeError(`wafer: watchPack jitter must be in [0, 1), got ${String(jitter)}`);
  if (!(factor >= 1)) throw new TypeError(`wafer: watchPack backoff.factor must be ≥ 1, got ${String(factor)}`);
  const clock = options.clock ?? realClock;
  const random = options.random ?? Math.random;

  let tag: string | undefined;
  let lastHash: string | undefined;
  let failures = 0;
  let timer: unknown;
  let nextDelayMs: number | undefined;
  let stopped = false;
  let inflight: Promise<PollOutcome> | undefined;

  const report = (error: Error) => {
    try {
      options.onError?.(error);
    } catch {
      // A throwing callback must not break the watcher.
    }
  };

  async function pollOnce(): Promise<PollOutcome> {
    const controller = new AbortController();
    const deadline = trySetTimeout(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    let fetched: PackFetchResult;
    try {
      fetched = await Promise.race([
        source!.fetch(tag, controller.signal),
        new Promise<never>((_, reject) => controller.signal.addEventListener("abort", () => reject(controller.signal.reason as Error))),
      ]);
    } catch (e) {
      failures++;
      const error = new Error(`wafer: polling ${source!.description} failed: ${(e as Error).message}`, { cause: e });
      report(error);
      return { status: "failed", error };
    } finally {
      if (deadline !== undefined) clock.clearTimeout(deadline);
    }
    failures = 0;
    if (fetched.status === "unchanged") return { status: "unchanged" };
    // Sources without a change tag (or serving the same bytes under a new one) are
    // deduplicated by content, so an unchanged pack is never reloaded (which would also
    // replace the rollback target).
    const hash = toHex(await sha256(fetched.bytes));
    const seen = hash === (lastHash ?? engine.pack?.sha256);
    tag = fetched.tag;
    if (seen) return { status: "unchanged" };
    lastHash = hash;
    try {
      const pack = await engine.updatePack(fetched.bytes, options.update);
      try {
        options.onUpdate?.(pack);
      } catch {
        // As for onError.
      }
      return { status: "updated", pack };
    } catch (e) {
      // Refused (signature, version, corrupt): remembered by tag and hash, so the same bytes
      // are neither downloaded again nor reported again; the current pack stays.
      const error = e instanceof Error ? e : new Error(String(e));
      report(error);
      return { status: "refused", error };
    }
  }

  function schedule(): void {
    if (stopped) return;
    const base = failures === 0 ? intervalMs : Math.min(maxMs, initialMs * factor ** (failures - 1));
    nextDelayMs = Math.max(1, Math.round(base * (1 - jitter + 2 * jitter * random())));
    timer = trySetTimeout(() => {
      timer = undefined;
      nextDelayMs = undefined;
      void watcher.poll();
    }, nextDelayMs);
    if (timer === undefined) {
      nextDelayMs = undefined;
      stopped = true;
      report(new Error("wafer: watchPack cannot schedule polls here (no timers outside a request, as in Workers' global scope); use { autoStart: false } and call watcher.poll() from a request or a scheduled handler"));
    }
  }

  /** Some runtimes refuse timers in some contexts (workerd at global scope): undefined then. */
  function trySetTimeout(callback: () => void, ms: number): unknown {
    try {
      return clock.setTimeout(callback, ms);
    } catch {
      return undefined;
    }
  }

  const watcher: PackWatcher = {
    poll() {
      inflight ??= pollOnce()
        .catch((e: unknown): PollOutcome => {
          const error = e instanceof Error ? e : new Error(String(e));
          report(error);
          return { status: "failed", error };
        })
        .finally(() => {
          inflight = undefined;
          if (timer !== undefined) clock.clearTimeout(timer);
          timer = undefined;
          if (options.autoStart !== false) schedule();
        });
      return inflight;
    },
    stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      nextDelayMs = undefined;
    },
    get failures() {
      return failures;
    },
    get nextDelayMs() {
      return nextDelayMs;
    },
  };
  if (options.autoStart !== false) void watcher.poll();
  return watcher;
}
