/**
 * RateLimiter: evaluates the policies that apply to a request against the Wasm table
 * (local), and optionally a shared store (sync or strict mode).
 *
 * Modes
 * - `local`: the Wasm table decides; nothing leaves the process.
 * - `sync`: the Wasm table decides (synchronously), then every consuming decision is
 *   sent to the store as a forced step (it happened) through `waitUntil`; the store's
 *   resulting state is merged back into the table (never lowering local usage), so each
 *   instance sees the others' consumption one round trip late.
 *
 *   Overshoot bound. With N instances sharing a key, let B be the most cost one instance
 *   admits for that key while its earlier reconciliations are still in flight (per
 *   request: B ≈ cost × ⌈rate_i × RTT⌉ + cost). Once the global count reaches the limit,
 *   each instance admits at most B more before a reply shows it the full count, so per
 *   window (token bucket: per `period` of refill)
 *
 *       admitted ≤ limit + min(N × B, (N − 1) × limit)
 *
 *   (the second term because each instance alone never exceeds `limit`). B = limit
 *   degenerates to N × limit. test/ratelimit/redis-store.test.ts measures it.
 * - `strict`: the store decides each request atomically (one command per policy); the
 *   reply is merged into the table, so an outage falls back on recent state. The table
 *   is a lower bound of the store's usage, so when it already denies (peek, nothing
 *   consumed) the request is denied without a store call: a flood on a blocked key costs
 *   no store traffic. With several
 *   policies the store steps run in parallel and each stands alone (unlike the local
 *   batch, a denial by one does not undo another's consumption).
 *
 * Store failures (errors and timeouts) never throw into the request path. In strict mode
 * `onStoreFailure` decides: `open` allows, `closed` denies, `local` lets the table decide
 * (and count) until the store is back. In sync mode failures only cost reconciliation (counted in
 * `stats`). The local table is never cleared by a store failure.
 */
import { ipKey, ipv4Text, ipv4Value } from "./ip-key";
import { hashBegin, hashEnd, hashNumber, hashString, hashThreeNumbers, hashOut, hashHex, seedFromString } from "./key-hash";
import { ALGORITHM_ID, PolicyError, type Characteristic, type Policy } from "./policy";
import { compileMatch, type RequestMatcher } from "./route-match";
import { callStore, type RateLimitStore, type StoreFailure, type StoreOutcome } from "./stores/store";
import { registerRateLimiter } from "./registry";
import { BATCH_INVALID, BATCH_REQ_BYTES, BATCH_RES_BYTES, CHECK_ALLOWED, CHECK_INVALID, FLAG_DRY_RUN, FLAG_PEEK, WasmTable } from "./wasm-table";

export interface RateLimitRequest {
  method: string;
  path: string;
  ip?: string;
  /** Needed only by `header:<name>` characteristics. */
  headers?: { get(name: string): string | null } | Record<string, string | readonly string[] | undefined>;
  /** Overrides every matching policy's cost for this request (e.g. AI tokens). */
  cost?: number;
}

/** Caller-supplied identity values: `ip` (overrides request.ip), `userId`, `apiKey`,
 * `email`, and any name used by a `value:<name>` characteristic. */
export type IdentityValues = Readonly<Record<string, string | undefined>>;

export interface PolicyResult {
  /** False only when an enforced policy denies (dry-run never denies). */
  allowed: boolean;
  /** True when the limit was exceeded, even in dry-run. */
  limited: boolean;
  policy: string;
  remaining: number;
  limit: number;
  windowMs: number;
  resetMs: number;
  retryAfterMs: number;
  dryRun: boolean;
  /** Why the verdict was not the algorithm's own. */
  reason?: "missingIdentity" | "storeUnavailable";
}

export interface RateLimitResult extends Omit<PolicyResult, "policy"> {
  /** The deciding policy; undefined when no policy applied. */
  policy: string | undefined;
  /** Every evaluated policy, when more than one applied. */
  results?: readonly PolicyResult[];
}

export interface RateLimiterOptions {
  policies: readonly Policy[];
  /** Identities the table tracks (rounded up to a power-of-two × 8). Default 65,536. */
  capacity?: number;
  /** IPv6 prefix length that forms one client. Default 64. */
  ipv6PrefixLength?: number;
  /** 64-bit seed of the local key hash; default random (see key-hash.ts). */
  hashSeed?: readonly [number, number];
  mode?: "local" | "sync" | "strict";
  store?: RateLimitStore;
  /** Required with a store: an explicit choice. */
  onStoreFailure?: StoreFailure;
  /** Default 50 ms. */
  storeTimeoutMs?: number;
  /** Prefix of store keys. Default "wafer:rl:". */
  storeKeyPrefix?: string;
  /** Secret shared by all instances: store keys are keyed hashes of the identity. */
  storeKeySecret?: string;
  /** Where sync mode hands its background work (Workers: ctx.waitUntil). */
  waitUntil?: (work: Promise<unknown>) => void;
  /** Most reconciliations in flight; beyond, a reconciliation is dropped (counted). Default 1024. */
  maxInFlight?: number;
}

export interface RateLimiterStats {
  synced: number;
  syncFailed: number;
  syncDropped: number;
  storeFailures: number;
  /** Strict mode: store calls made, and requests denied from the table without one. */
  storeCalls: number;
  localDenials: number;
}

interface CompiledPolicy {
  policy: Policy;
  algo: number;
  enforce: boolean;
  matches: RequestMatcher;
  seedLo: number;
  seedHi: number;
  extract: Extractor[];
  /** Keyed by `ip` alone: the hot path hashes a plain IPv4 without the extractor loop. */
  ipOnly: boolean;
}

/** An identity value: text, or (IPv4 fast path) the address as an unsigned 32-bit number. */
type Extractor = (request: RateLimitRequest, identity: IdentityValues) => string | number | undefined;

/** Identity values longer than this are hashed by prefix and length (bounded work). */
const MAX_IDENTITY_CHARS = 1024;
/** Hash input standing for "characteristic absent" under onMissingIdentity: "shared". */
const MISSING_MARK = 0x7fff_fffe;
/** Hash tag before a numeric IPv4 value, so it never equals some text's hash stream. */
const IPV4_MARK = 0x7fff_0004;

const NO_LIMIT: RateLimitResult = Object.freeze({
  allowed: true, limited: false, policy: undefined, remaining: Infinity, limit: Infinity,
  windowMs: 0, resetMs: 0, retryAfterMs: 0, dryRun: false,
});

function nonEmpty(v: string | undefined): string | undefined {
  if (v === undefined || v.length === 0) return undefined;
  return v.length > MAX_IDENTITY_CHARS ? `${v.slice(0, MAX_IDENTITY_CHARS)}\u0000${v.length}` : v;
}

function headerValue(request: RateLimitRequest, name: string): string | undefined {
  const h = request.headers;
  if (h === undefined) return undefined;
  if (typeof (h as { get?: unknown }).get === "function") return (h as { get(n: string): string | null }).get(name) ?? undefined;
  const v = (h as Record<string, string | readonly string[] | undefined>)[name];
  return v === undefined ? undefined : typeof v === "string" ? v : v.join(", ");
}

function compileCharacteristic(c: Characteristic, ipv6PrefixLength: number): Extractor {
  switch (c) {
    case "ip":
      return (r, id) => {
        const raw = id.ip ?? r.ip;
        if (raw === undefined || raw.length === 0) return undefined;
        const v4 = ipv4Value(raw);
        if (v4 >= 0) return v4;
        const key = ipKey(raw, ipv6PrefixLength);
        if (key === undefined) return nonEmpty(raw);
        // Mapped (::ffff:a.b.c.d) and ported forms canonicalise to IPv4: same key as plain.
        const mapped = key.indexOf(":") < 0 ? ipv4Value(key) : -1;
        return mapped >= 0 ? mapped : key;
      };
    case "userId": return (_r, id) => nonEmpty(id.userId);
    case "apiKey": return (_r, id) => nonEmpty(id.apiKey);
    case "email": return (_r, id) => { const e = id.email; return e === undefined ? undefined : nonEmpty(e.trim().toLowerCase()); };
  }
  if (c.startsWith("header:")) {
    const name = c.slice(7).toLowerCase();
    const key = `header:${name}`;
    return (r, id) => nonEmpty(headerValue(r, name) ?? id[key]);
  }
  const name = c.slice(6);
  return (_r, id) => nonEmpty(id[name]);
}

function randomSeed(): [number, number] {
  const words = new Uint32Array(2);
  globalThis.crypto.getRandomValues(words);
  return [words[0], words[1]];
}

export class RateLimiter {
  // Loading this module is what makes rate limits available to engines (registry.ts).
  static {
    registerRateLimiter(this);
  }

  readonly table: WasmTable;
  readonly mode: "local" | "sync" | "strict";
  readonly stats: RateLimiterStats = { synced: 0, syncFailed: 0, syncDropped: 0, storeFailures: 0, storeCalls: 0, localDenials: 0 };
  private readonly policies: CompiledPolicy[];
  private readonly store: RateLimitStore | undefined;
  private readonly onStoreFailure: StoreFailure;
  private readonly storeTimeoutMs: number;
  private readonly storeKeyPrefix: string;
  private readonly storeSeed: [number, number];
  private readonly waitUntil: ((work: Promise<unknown>) => void) | undefined;
  private readonly maxInFlight: number;
  private readonly inFlight = new Set<Promise<void>>();

  // Per-request scratch, reused: the policies that apply and their keys.
  private count = 0;
  private readonly selected: CompiledPolicy[] = [];
  private readonly keyLo: Uint32Array;
  private readonly keyHi: Uint32Array;
  private readonly costs: Float64Array;
  private readonly parts: string[][];

  constructor(exports: Record<string, unknown>, memory: WebAssembly.Memory, options: RateLimiterOptions) {
    this.table = new WasmTable(exports, memory, options.capacity ?? 65_536);
    this.mode = options.mode ?? "local";
    this.store = options.store;
    if (this.mode !== "local" && this.store === undefined) throw new TypeError(`RateLimiter: mode "${this.mode}" needs a store`);
    if (this.store !== undefined) {
      const f = options.onStoreFailure;
      if (f !== "open" && f !== "closed" && f !== "local") {
        throw new TypeError('RateLimiter: a store needs onStoreFailure: "open", "closed" or "local" (an explicit choice)');
      }
    }
    this.onStoreFailure = options.onStoreFailure ?? "open";
    this.storeTimeoutMs = options.storeTimeoutMs ?? 50;
    this.storeKeyPrefix = options.storeKeyPrefix ?? "wafer:rl:";
    this.storeSeed = seedFromString(options.storeKeySecret ?? "", 0x3c6ef372, 0xa54ff53a);
    this.waitUntil = options.waitUntil;
    this.maxInFlight = options.maxInFlight ?? 1024;
    const max = this.table.maxBatch;
    if (options.policies.length > max) throw new TypeError(`RateLimiter: at most ${max} policies, got ${options.policies.length}`);
    const ids = new Set<string>();
    const [baseLo, baseHi] = options.hashSeed ?? randomSeed();
    const v6 = options.ipv6PrefixLength ?? 64;
    this.policies = options.policies.map((policy) => {
      if (ids.has(policy.id)) throw new PolicyError(policy.id, "id", "is used by two policies");
      ids.add(policy.id);
      // The seed covers the parameters too: changing a policy starts its keys afresh.
      const [seedLo, seedHi] = seedFromString(`${policy.id}\u0000${policy.algorithm}\u0000${policy.limit}\u0000${policy.periodMs}`, baseLo, baseHi);
      return {
        policy, algo: ALGORITHM_ID[policy.algorithm], enforce: policy.mode === "enforce",
        matches: compileMatch(policy.match), seedLo, seedHi,
        extract: policy.characteristics.map((c) => compileCharacteristic(c, v6)),
        ipOnly: policy.characteristics.length === 1 && policy.characteristics[0] === "ip",
      };
    });
    this.keyLo = new Uint32Array(max);
    this.keyHi = new Uint32Array(max);
    this.costs = new Float64Array(max);
    this.parts = Array.from({ length: max }, () => []);
  }

  /** Bytes of Wasm memory the table reserved (fixed at construction). */
  get reservedBytes(): number { return this.table.reservedBytes; }
  /** Identities the table can hold. */
  get capacity(): number { return this.table.capacity; }

  /**
   * Decides a request locally (modes `local` and `sync`), synchronously. In sync mode the
   * reconciliation goes to `hooks.waitUntil`, else the limiter's `waitUntil`, else it
   * runs in the background (see `flush`).
   */
  check(request: RateLimitRequest, identity: IdentityValues, nowMs: number, hooks?: { waitUntil?: (work: Promise<unknown>) => void }): RateLimitResult {
    if (this.mode === "strict") throw new TypeError('RateLimiter: mode "strict" is asynchronous; call checkAsync()');
    if (!Number.isFinite(nowMs)) throw new TypeError(`RateLimiter.check: nowMs must be a finite number, got ${nowMs}`);
    const early = this.select(request, identity);
    if (early !== undefined) return early;
    const result = this.count === 1 ? this.checkOne(nowMs) : this.checkMany(nowMs);
    if (this.mode === "sync" && result.allowed) this.reconcileConsumed(nowMs, result, hooks?.waitUntil ?? this.waitUntil);
    return result;
  }

  /** Decides a request; in strict mode the store decides, in other modes same as check(). */
  async checkAsync(request: RateLimitRequest, identity: IdentityValues, nowMs: number, hooks?: { waitUntil?: (work: Promise<unknown>) => void }): Promise<RateLimitResult> {
    if (this.mode !== "strict") return this.check(request, identity, nowMs, hooks);
    if (!Number.isFinite(nowMs)) throw new TypeError(`RateLimiter.checkAsync: nowMs must be a finite number, got ${nowMs}`);
    const early = this.select(request, identity);
    if (early !== undefined) return early;
    const n = this.count;
    const local = this.localDenial(nowMs);
    if (local !== undefined) {
      this.stats.localDenials++;
      return local;
    }
    this.stats.storeCalls += n;
    const chosen = this.selected.slice(0, n);
    const lo = this.keyLo.slice(0, n);
    const hi = this.keyHi.slice(0, n);
    const costs = this.costs.slice(0, n);
    const store = this.store as RateLimitStore;
    const outcomes = await Promise.all(chosen.map((cp, i) => callStore(store, {
      key: this.storeKey(cp, this.parts[i]), algorithm: cp.policy.algorithm, limit: cp.policy.limit,
      periodMs: cp.policy.periodMs, cost: costs[i], nowMs, force: false,
    }, this.storeTimeoutMs)));
    const results = outcomes.map((o, i) => this.strictResult(chosen[i], lo[i], hi[i], costs[i], nowMs, o));
    return n === 1 ? results[0] : combine(results);
  }

  /** Resolves when every background reconciliation has settled. */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Forgets every tracked identity. */
  clear(): void {
    this.table.exports.rlClear();
  }

  // ---- selection: which policies apply, and their keys ----

  private select(request: RateLimitRequest, identity: IdentityValues): RateLimitResult | undefined {
    let n = 0;
    const withParts = this.store !== undefined;
    const method = request.method;
    const path = request.path;
    const requestCost = request.cost;
    for (let p = 0; p < this.policies.length; p++) {
      const cp = this.policies[p];
      if (!cp.matches(method, path)) continue;
      if (cp.ipOnly && !withParts) {
        // Same key as the loop below computes for a plain IPv4 (index 0, mark, value).
        const raw = identity.ip ?? request.ip;
        const v4 = raw === undefined ? -1 : ipv4Value(raw);
        if (v4 >= 0) {
          hashThreeNumbers(cp.seedLo, cp.seedHi, 0, IPV4_MARK, v4);
          this.selectPolicy(n++, cp, requestCost);
          continue;
        }
      }
      hashBegin(cp.seedLo, cp.seedHi);
      const parts = withParts ? this.parts[n] : undefined;
      if (parts !== undefined) parts.length = 0;
      let skip = false;
      for (let i = 0; i < cp.extract.length; i++) {
        const value = cp.extract[i](request, identity);
        hashNumber(i);
        // Store-key parts are tagged ("v" value, "m" missing) so no value can pose as "missing".
        if (typeof value === "number") {
          hashNumber(IPV4_MARK);
          hashNumber(value);
          parts?.push("v" + ipv4Text(value));
          continue;
        }
        if (value !== undefined) {
          hashString(value);
          parts?.push("v" + value);
          continue;
        }
        const missing = cp.policy.onMissingIdentity;
        if (missing === "shared") { hashNumber(MISSING_MARK); parts?.push("m"); continue; }
        if (missing === "deny" && cp.enforce) return missingIdentity(cp.policy);
        skip = true;
        break;
      }
      if (skip) continue;
      hashEnd();
      this.selectPolicy(n++, cp, requestCost);
    }
    this.count = n;
    return n === 0 ? NO_LIMIT : undefined;
  }

  /** Records `cp` as the n-th selected policy, its key (in hashOut) and the request's cost. */
  private selectPolicy(n: number, cp: CompiledPolicy, requestCost: number | undefined): void {
    this.selected[n] = cp;
    this.keyLo[n] = hashOut[0];
    this.keyHi[n] = hashOut[1];
    // A request cost that is not a number ≥ 0 (NaN, negative) falls back to the policy's.
    const cost = requestCost ?? cp.policy.cost;
    this.costs[n] = cost >= 0 ? cost : cp.policy.cost;
  }

  private storeKey(cp: CompiledPolicy, parts: readonly string[]): string {
    return `${this.storeKeyPrefix}${cp.policy.id}:${hashHex(this.storeSeed[0], this.storeSeed[1], parts)}`;
  }

  // ---- local decisions ----

  private checkOne(nowMs: number): RateLimitResult {
    const cp = this.selected[0];
    const p = cp.policy;
    const t = this.table;
    const verdict = t.exports.rlCheck(this.keyLo[0], this.keyHi[0], cp.algo, p.limit, p.periodMs, this.costs[0], nowMs, 0);
    if (verdict === CHECK_INVALID) throw new TypeError(`RateLimiter: invalid cost ${this.costs[0]} for policy "${p.id}"`);
    const limited = verdict !== CHECK_ALLOWED;
    const f = t.f64View();
    const r = t.resultIndex;
    return {
      allowed: !limited || !cp.enforce, limited, policy: p.id, remaining: f[r], limit: p.limit,
      windowMs: p.periodMs, resetMs: f[r + 1], retryAfterMs: limited ? f[r + 2] : 0, dryRun: !cp.enforce,
    };
  }

  private checkMany(nowMs: number): RateLimitResult {
    const t = this.table;
    const n = this.count;
    const u32 = t.u32View();
    const f64 = t.f64View();
    const base = t.batchPtr;
    for (let i = 0; i < n; i++) {
      const cp = this.selected[i];
      const q = base + i * BATCH_REQ_BYTES;
      u32[q >>> 2] = this.keyLo[i];
      u32[(q >>> 2) + 1] = this.keyHi[i];
      u32[(q >>> 2) + 2] = cp.algo;
      u32[(q >>> 2) + 3] = cp.enforce ? 0 : FLAG_DRY_RUN;
      f64[(q + 16) >>> 3] = cp.policy.limit;
      f64[(q + 24) >>> 3] = cp.policy.periodMs;
      f64[(q + 32) >>> 3] = this.costs[i];
    }
    const packed = t.exports.rlCheckBatch(n, nowMs, 0);
    if (packed === BATCH_INVALID) throw new TypeError("RateLimiter: invalid cost for a policy");
    const results: PolicyResult[] = [];
    const rb = t.batchResultPtr;
    for (let i = 0; i < n; i++) {
      const cp = this.selected[i];
      const r = rb + i * BATCH_RES_BYTES;
      const limited = u32[r >>> 2] === 0;
      results.push({
        allowed: !limited || !cp.enforce, limited, policy: cp.policy.id, remaining: f64[(r + 8) >>> 3],
        limit: cp.policy.limit, windowMs: cp.policy.periodMs, resetMs: f64[(r + 16) >>> 3],
        retryAfterMs: limited ? f64[(r + 24) >>> 3] : 0, dryRun: !cp.enforce,
      });
    }
    const winner = results[packed & 0xff];
    return { ...winner, allowed: (packed & 0x100) !== 0, results };
  }

  // ---- sync mode ----

  /** Sends every policy that consumed (a limited dry-run policy consumed nothing). */
  private reconcileConsumed(nowMs: number, result: RateLimitResult, waitUntil: ((work: Promise<unknown>) => void) | undefined): void {
    const list = result.results;
    for (let i = 0; i < this.count; i++) {
      const limited = list === undefined ? result.limited : list[i].limited;
      if (!limited) this.sendForced(i, nowMs, waitUntil);
    }
  }

  private sendForced(i: number, nowMs: number, waitUntil: ((work: Promise<unknown>) => void) | undefined): void {
    if (this.inFlight.size >= this.maxInFlight) { this.stats.syncDropped++; return; }
    const cp = this.selected[i];
    const p = cp.policy;
    const lo = this.keyLo[i];
    const hi = this.keyHi[i];
    const work = callStore(this.store as RateLimitStore, {
      key: this.storeKey(cp, this.parts[i]), algorithm: p.algorithm, limit: p.limit, periodMs: p.periodMs,
      cost: this.costs[i], nowMs, force: true,
    }, this.storeTimeoutMs).then((outcome) => {
      this.inFlight.delete(work);
      if (!outcome.ok) { this.stats.syncFailed++; return; }
      this.stats.synced++;
      const s = outcome.reply.state;
      this.table.exports.rlMerge(lo, hi, cp.algo, p.periodMs, s.t, s.cur, s.prev);
    });
    this.inFlight.add(work);
    waitUntil?.(work);
  }

  // ---- strict mode ----

  /** An enforced policy the table already denies (peek: nothing consumed), if any. */
  private localDenial(nowMs: number): RateLimitResult | undefined {
    const t = this.table;
    for (let i = 0; i < this.count; i++) {
      const cp = this.selected[i];
      if (!cp.enforce) continue;
      const p = cp.policy;
      if (t.exports.rlCheck(this.keyLo[i], this.keyHi[i], cp.algo, p.limit, p.periodMs, this.costs[i], nowMs, FLAG_PEEK) === CHECK_ALLOWED) continue;
      const f = t.f64View();
      const r = t.resultIndex;
      return {
        allowed: false, limited: true, policy: p.id, remaining: f[r], limit: p.limit, windowMs: p.periodMs,
        resetMs: f[r + 1], retryAfterMs: f[r + 2], dryRun: false,
      };
    }
    return undefined;
  }

  private strictResult(cp: CompiledPolicy, lo: number, hi: number, cost: number, nowMs: number, outcome: StoreOutcome): PolicyResult {
    const p = cp.policy;
    if (outcome.ok) {
      const { reply } = outcome;
      this.table.exports.rlMerge(lo, hi, cp.algo, p.periodMs, reply.state.t, reply.state.cur, reply.state.prev);
      return {
        allowed: reply.allowed || !cp.enforce, limited: !reply.allowed, policy: p.id, remaining: reply.remaining,
        limit: p.limit, windowMs: p.periodMs, resetMs: reply.resetMs, retryAfterMs: reply.allowed ? 0 : reply.retryAfterMs,
        dryRun: !cp.enforce,
      };
    }
    this.stats.storeFailures++;
    const failure = this.onStoreFailure;
    if (failure === "closed") {
      return {
        allowed: !cp.enforce, limited: true, policy: p.id, remaining: 0, limit: p.limit, windowMs: p.periodMs,
        resetMs: this.storeTimeoutMs, retryAfterMs: 1000, dryRun: !cp.enforce, reason: "storeUnavailable",
      };
    }
    // `local` decides and counts in the table. `open` allows and only peeks (remaining is
    // informative): the table stays a lower bound of the store's usage, so after the
    // outage its pre-check never denies what the store would allow.
    const verdict = this.table.exports.rlCheck(lo, hi, cp.algo, p.limit, p.periodMs, cost, nowMs, failure === "local" ? 0 : FLAG_PEEK);
    const f = this.table.f64View();
    const r = this.table.resultIndex;
    const limited = failure === "local" && verdict !== CHECK_ALLOWED;
    return {
      allowed: !limited || !cp.enforce, limited, policy: p.id, remaining: f[r], limit: p.limit, windowMs: p.periodMs,
      resetMs: f[r + 1], retryAfterMs: limited ? f[r + 2] : 0, dryRun: !cp.enforce, reason: "storeUnavailable",
    };
  }
}

function missingIdentity(p: Policy): RateLimitResult {
  return {
    allowed: false, limited: true, policy: p.id, remaining: 0, limit: p.limit, windowMs: p.periodMs,
    resetMs: 0, retryAfterMs: 0, dryRun: false, reason: "missingIdentity",
  };
}

/** Strictest of several results: the enforced denial with the longest wait, else the least remaining. */
function combine(results: PolicyResult[]): RateLimitResult {
  let winner = results[0];
  let denied = false;
  for (const r of results) {
    if (!r.allowed) {
      if (!denied || r.retryAfterMs > winner.retryAfterMs) winner = r;
      denied = true;
    } else if (!denied) {
      const a = r.limited ? -1 : r.remaining;
      const b = winner.limited ? -1 : winner.remaining;
      if (a < b) winner = r;
    }
  }
  return { ...winner, allowed: !denied, results };
}
