/**
 * The shared-store contract. A store applies one algorithm step atomically for one key
 * and returns the verdict plus the resulting state (so sync mode can adopt it locally).
 * Implementations: Redis (Lua), Deno KV (atomic check-and-set), Durable Objects.
 */
import type { AlgorithmInput, LimitState } from "../algorithms";

export interface StoreRequest extends AlgorithmInput {
  /** Store key: prefix + policy id + hashed identity (bounded length, no raw identity). */
  key: string;
}

export interface StoreReply {
  allowed: boolean;
  remaining: number;
  resetMs: number;
  retryAfterMs: number;
  state: LimitState;
}

export interface RateLimitStore {
  /** Applies one step atomically. May reject; the limiter turns rejection into a policy. */
  apply(request: StoreRequest): Promise<StoreReply>;
  /** Human-readable name for logs ("redis", "deno-kv", "durable-object"). */
  readonly name: string;
}

/** What the limiter does when the store fails or times out. */
export type StoreFailure = "open" | "closed" | "local";

export type StoreOutcome = { ok: true; reply: StoreReply } | { ok: false; error: unknown };

export class StoreTimeoutError extends Error {
  constructor(readonly store: string, readonly timeoutMs: number) {
    super(`rate-limit store "${store}" did not answer within ${timeoutMs} ms`);
    this.name = "StoreTimeoutError";
  }
}

/**
 * Calls the store with a timeout; never rejects. The timer is cleared as soon as the call
 * settles so an idle process can exit.
 */
export function callStore(store: RateLimitStore, request: StoreRequest, timeoutMs: number): Promise<StoreOutcome> {
  return new Promise<StoreOutcome>((resolve) => {
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      resolve({ ok: false, error: new StoreTimeoutError(store.name, timeoutMs) });
    }, timeoutMs);
    let pending: Promise<StoreReply>;
    try {
      pending = store.apply(request);
    } catch (error) {
      settled = true;
      clearTimeout(timer);
      resolve({ ok: false, error });
      return;
    }
    pending.then(
      (reply) => { if (!settled) { settled = true; clearTimeout(timer); resolve({ ok: true, reply }); } },
      (error) => { if (!settled) { settled = true; clearTimeout(timer); resolve({ ok: false, error }); } },
    );
  });
}
