/**
 * The engine: one Wasm instance, its request arena, the active pack and the previous one.
 * `inspectSync` is the hot path: extract fields into the arena, one Wasm call, read a
 * small result. Nothing here awaits unless a body has to be read.
 */
import { baseRuleId, type PackMeta, type RuleMeta } from "../pack/compile.js";
import { PackError } from "../pack/errors.js";
import { hasSection, readPackHeader, readPackMeta, readSection, toBytes, type PackHeader } from "../pack/reader.js";
import { bufferRequestBody, extractRequestSync } from "../request/extract.js";
import { resolveExtractOptions, type ExtractReport, type RequestInput, type ResolvedExtractOptions } from "../request/types.js";
import type { RateLimiter, RateLimiterOptions, RateLimitResult } from "../ratelimit/limiter.js";
import { registeredRateLimiter } from "../ratelimit/registry.js";
import { ABI_VERSION, DESC_SIZE, FIELD_KIND_NAMES, FieldKind, INSPECT_EARLY_EXIT, INSPECT_VERDICT_CACHE } from "./abi.js";
import { ArenaWriter, type Truncation } from "./arena-writer.js";
import { EngineDecision, type Decision, type Match, type ParseError, type RawMatch } from "./decision.js";
import { rateLimiterOptions, resolveOptions, type InspectContext, type ResolvedOptions, type WaferOptions } from "./options.js";
import { packErrorMessage } from "./pack-errors.js";
import { redactSnippet } from "./redact.js";
import { testAtCodePoints } from "./code-point-test.js";
import type { ConfirmAutomata } from "./confirm-automata.js";
import { loadConfirmAutomata, registeredConfirmAutomata } from "./confirm-registry.js";
import { Section } from "../pack/format.js";
import { rateLimitPath } from "./rate-limit-path.js";
import { RouteTable, type RouteSetMemory } from "./routes.js";
import { builtChecksumFor } from "./built-pack.js";
import { metricsFor } from "../observe/counters.js";
import { PackGate, type AdmittedPack, type PackLoadOptions, type PackUpdateOptions } from "../lifecycle/pack-gate.js";
import type { PackSourceInput } from "../lifecycle/read-source.js";
import type { VerifiedPack } from "../lifecycle/verify.js";

/** The functions engine.wasm exports (assembly/engine.ts). */
export interface EngineExports {
  memory: WebAssembly.Memory;
  abiVersion(): number;
  configure(arenaBytes: number, maxFields: number, scratchBytes: number, maxRules: number, resultBytes: number): number;
  arenaPtr(): number;
  descPtr(): number;
  scratchPtr(): number;
  /** Newer builds of ABI 1; an older engine.wasm has only scratchPtr (the same buffer, always full size). */
  transformedPtr?(): number;
  resultPtr(): number;
  disabledPtr(): number;
  disabledStride(): number;
  packReserve(len: number): number;
  /** builtChecksum: 0, or the pinned checksum of the built default pack (built-pack.ts). */
  packActivate(len: number, builtChecksum: number): number;
  packRollback(): number;
  packError(): number;
  inspect(fieldCount: number, paranoia: number, threshold: number, flags: number): number;
  formDecodeFields(first: number, end: number, arenaEnd: number): number;
  formDecodeFlags(): number;
  transformForRule(field: number, part: number, rule: number): number;
  /** After RESULT_UNCONFIRMED_DROPPED: whether rule `rule` ran and reads that field part (0 or 1). */
  ruleMayConfirmOn(rule: number, field: number, part: number): number;
  /** After RESULT_UNCONFIRMED_DROPPED: whether every chain condition of rule `rule` holds (0 or 1). */
  ruleConditionsHold(rule: number): number;
}

const VERDICT_BLOCK = 1;
const VERDICT_FORCED_ALLOW = 2;
/**
 * Bits of Wasm memory for route exclusion sets (assembly/regions.ts), a bit per rule per set:
 * 8 KB, so a pack of up to 256 rules gets all 256 sets a descriptor can name (CRS's ~600
 * rules: 102; 2,048 rules: 32), and a pack of up to 65,536 rules loads at all. Not more:
 * the allocator doubles linear memory when it grows, and 64 KB here took an engine from 6.1
 * to 12.3 MB after create.
 */
const MAX_RULES_BITSET = 1 << 16;
const MAX_RECORDED_MATCHES = 256;
const RESULT_BYTES = 32 + 16 * MAX_RECORDED_MATCHES;
const NO_TRUNCATIONS: readonly never[] = Object.freeze([]);
/** Result flag 1 (assembly/inspect.ts record()): definite matches beyond the records were counted but not recorded. */
const RESULT_MATCHES_TRUNCATED = 1;
/** Result flag 4 (assembly/inspect.ts): a transformed value was cut because Wasm memory could not grow. */
const RESULT_MEMORY_CUT = 4;
/** Result flag 8 (assembly/inspect.ts record()): unconfirmed matches were dropped; the host confirms those rules on every field. */
const RESULT_UNCONFIRMED_DROPPED = 8;
const MEMORY_CUT: Truncation = Object.freeze({
  limit: "memory",
  detail: "Wasm memory could not grow to full-size transform buffers: transformed values inspected up to 64 KB",
});
/** The truncations, with those the result block's flags report: the memory cut, the match records' limit. */
function withResultTruncations(truncated: readonly Truncation[], result: Uint32Array): readonly Truncation[] {
  if ((result[3]! & (RESULT_MEMORY_CUT | RESULT_MATCHES_TRUNCATED)) === 0) return truncated;
  const out = [...truncated];
  if (result[3]! & RESULT_MEMORY_CUT) out.push(MEMORY_CUT);
  if (result[3]! & RESULT_MATCHES_TRUNCATED) {
    out.push({ limit: "matches", detail: `${result[4]} rules matched; the decision lists the first ${MAX_RECORDED_MATCHES} (the score counts them all)` });
  }
  return out;
}

/** A recorded match as the decision reports it: the field (kind, name, part) and a redacted snippet of the part. */
function rawMatch(rule: number, field: number, namePart: number, arena: Uint8Array, desc: Uint32Array, decoder: TextDecoder): RawMatch {
  const d = field * 6;
  const kind = desc[d]! & 0xff;
  const name = decoder.decode(arena.subarray(desc[d + 1]!, desc[d + 1]! + desc[d + 2]!));
  const part = namePart ? "name" : "value";
  const valueStart = part === "name" ? desc[d + 1]! : desc[d + 3]!;
  const valueLen = part === "name" ? desc[d + 2]! : desc[d + 4]!;
  const value = decoder.decode(arena.subarray(valueStart, valueStart + Math.min(valueLen, 256)));
  const hasName = kind !== FieldKind.method && kind !== FieldKind.uriRaw && kind !== FieldKind.path && name !== "";
  return {
    rule,
    field: { kind: FIELD_KIND_NAMES[kind] ?? `kind${kind}`, ...(hasName ? { name } : {}), part },
    snippet: redactSnippet(hasName ? name : undefined, value),
  };
}

/** Everything known about a loaded pack; metadata is parsed on first use. */
export interface LoadedPack {
  header: PackHeader;
  metaBytes: Uint8Array;
  meta?: PackMeta;
  /** SHA-256 of the image (hex) and signing key id, when the pack came through verification or updatePack. */
  sha256?: string;
  keyId?: string;
  /**
   * What a decision calls to describe a matched rule and name the pack: made once per pack
   * rather than as two closures per request (they read the metadata only when asked).
   */
  describe: (rule: number) => Omit<Match, "field" | "snippet">;
  info: () => { name: string; version: string };
  /** The lazy DFAs that confirm over-budget regexes, when the pack carries their NFAs. */
  confirmAutomata?: ConfirmAutomata;
}

/** Public description of the active pack. */
export interface PackInfo {
  name: string;
  version: string;
  description?: string;
  builtAt: string;
  rules: number;
  bytes: number;
  threshold: number;
  /** Engine ABI the pack was compiled for. */
  abi: number;
  /** SHA-256 of the image (hex), known when the pack was loaded by updatePack or verifyPack. */
  sha256?: string;
  /** Id of the key that signed the pack, when its signature was verified. */
  keyId?: string;
}

export class Wafer {
  private readonly exports: EngineExports;
  private readonly writer: ArenaWriter;
  private readonly options: ResolvedOptions;
  private readonly extractOptions: ResolvedExtractOptions;
  private current: LoadedPack;
  private previous: LoadedPack | undefined;
  private readonly routes: RouteTable;
  private readonly confirmers = new Map<number, RegExp>();
  /** Where route exclusion sets go, for the current memory buffer and pack (applyMatchingRoute). */
  private routeSets: (RouteSetMemory & { buffer: ArrayBuffer; stride: number }) | undefined;
  private limiter: RateLimiter | undefined;
  private result: Uint32Array | undefined;
  private readonly gate: PackGate;

  constructor(module: WebAssembly.Module, pack: Uint8Array | ArrayBuffer, options: WaferOptions = {}) {
    this.options = resolveOptions(options);
    this.routes = new RouteTable(this.options.routes);
    const instance = new WebAssembly.Instance(module, {});
    this.exports = instance.exports as unknown as EngineExports;
    if (this.exports.abiVersion() !== ABI_VERSION)
      throw new Error(`wafer: engine.wasm implements ABI ${this.exports.abiVersion()}, this library needs ${ABI_VERSION} (mismatched build)`);
    const { limits } = this.options;
    const scratch = Math.max(limits.maxFieldBytes, limits.maxBodyBytes);
    if (this.exports.configure(limits.maxTotalBytes, limits.maxFields, scratch, MAX_RULES_BITSET, RESULT_BYTES) !== 0)
      throw new Error("wafer: engine.wasm was already configured");
    this.writer = new ArenaWriter(this.exports, {
      maxFields: limits.maxFields,
      maxFieldBytes: limits.maxFieldBytes,
      maxBodyBytes: limits.maxBodyBytes,
      maxTotalBytes: limits.maxTotalBytes,
    });
    this.extractOptions = resolveExtractOptions({
      maxBodyBytes: limits.maxBodyBytes,
      maxJsonDepth: limits.maxJsonDepth,
      maxMultipartParts: limits.maxMultipartParts,
      trustedProxies: this.options.trustedProxies,
      ...(this.options.ipHeader ? { ipHeader: this.options.ipHeader } : {}),
    });
    this.gate = new PackGate(options.trustedKeys, options.maxPackBytes);
    this.current = this.activate(toBytes(pack));
    const rateLimits = rateLimiterOptions(options);
    if (rateLimits) this.createRateLimiter(rateLimits);
  }

  /**
   * Hosts a rate limiter on this engine's Wasm instance: its table lives in the same
   * memory as the request arena. One per engine (`rateLimiter` returns it).
   *
   * The limiter's code is `wafer/ratelimit`, which the engine's bundle does not carry (it
   * would lengthen every cold start): synchronous, so it needs that module loaded first.
   * `createWafer({ rateLimits })` and the adapters load it; otherwise `await
   * import("wafer/ratelimit")` once.
   */
  createRateLimiter(options: RateLimiterOptions): RateLimiter {
    if (this.limiter) throw new Error("wafer: this engine already hosts a rate limiter; use engine.rateLimiter");
    const RateLimiter = registeredRateLimiter();
    if (!RateLimiter) {
      throw new Error(
        'wafer: rate limits need the limiter, which loads on demand: create the engine with `await createWafer({ rateLimits })`, or `await import("wafer/ratelimit")` once before `new Wafer(…, { rateLimits })` or `createRateLimiter`',
      );
    }
    this.limiter = new RateLimiter(this.exports as unknown as Record<string, unknown>, this.exports.memory, options);
    return this.limiter;
  }

  /** The rate limiter this engine hosts, if any. */
  get rateLimiter(): RateLimiter | undefined {
    return this.limiter;
  }

  /** The active pack's name, version and size. */
  get pack(): PackInfo {
    const meta = this.meta(this.current);
    return {
      name: meta.name,
      version: meta.version,
      ...(meta.description ? { description: meta.description } : {}),
      builtAt: meta.builtAt,
      rules: this.current.header.ruleCount,
      bytes: this.current.header.length,
      threshold: this.threshold(),
      abi: this.current.header.abi,
      ...(this.current.sha256 ? { sha256: this.current.sha256 } : {}),
      ...(this.current.keyId ? { keyId: this.current.keyId } : {}),
    };
  }

  /**
   * Inspects a request whose body (if any) is already in memory: a plain object, or a Web
   * Request / Node IncomingMessage without a body to read. Never awaits, never throws on a
   * malformed request.
   */
  inspectSync(request: RequestInput, context?: InspectContext): Decision {
    this.writer.reset();
    const report = extractRequestSync(request, this.writer, this.extractOptions, context);
    if (!this.limiter) return this.evaluate(report, undefined);
    // Inspect first: a request the signatures deny spends no rate-limit budget (an attacker
    // cannot drain someone's login bucket with requests that are refused anyway).
    const limitRequest = this.rateLimitRequest(context);
    const decision = this.evaluate(report, undefined) as EngineDecision;
    if (decision.action === "deny") return decision;
    const limit = this.limiter.check(limitRequest, context?.identity ?? {}, context?.now ?? Date.now(), this.limitHooks(context));
    return decision.withRateLimit(limit);
  }

  /**
   * Inspects any request, reading its body first (without consuming it for the app) when
   * it has one. The arena is only touched after the read, synchronously, so concurrent
   * inspections never interleave.
   */
  async inspect(request: RequestInput, context?: InspectContext): Promise<Decision> {
    const inMemory = await bufferRequestBody(request, this.extractOptions, context);
    if (!this.limiter) return this.inspectSync(inMemory, context);
    // Strict mode asks the shared store; the arena work below stays synchronous.
    const now = context?.now ?? Date.now();
    this.writer.reset();
    const report = extractRequestSync(inMemory, this.writer, this.extractOptions, context);
    const limitRequest = this.rateLimitRequest(context);
    const decision = this.evaluate(report, undefined) as EngineDecision;
    if (decision.action === "deny") return decision;
    const limit = await this.limiter.checkAsync(limitRequest, context?.identity ?? {}, now, this.limitHooks(context));
    return decision.withRateLimit(limit);
  }

  private limitHooks(context: InspectContext | undefined) {
    return context?.waitUntil ? { waitUntil: context.waitUntil } : undefined;
  }

  /** Counters (requests, denials by family and rule, rate-limited by policy, truncations…). */
  get metrics() {
    return metricsFor(this).snapshot();
  }

  /** The request as rate-limit policies see it: method, decoded path, client IP. */
  private rateLimitRequest(context: InspectContext | undefined) {
    return {
      method: this.writer.method,
      path: rateLimitPath(this.writer.path),
      ...(this.writer.clientIp || context?.ip ? { ip: this.writer.clientIp || context?.ip } : {}),
      ...(context?.cost !== undefined ? { cost: context.cost } : {}),
    };
  }

  /**
   * Swaps in a new compiled pack between two requests. The image is validated whole
   * (checksum, every offset) before it becomes active; on any error this throws a
   * PackError and the current pack stays in force. With `trustedKeys`, only a VerifiedPack
   * (from `verifyPack`) is accepted here; a lower version of the active pack is refused
   * unless `{ allowDowngrade: true }`.
   */
  loadPack(image: Uint8Array | ArrayBuffer | VerifiedPack, options: PackLoadOptions = {}): PackInfo {
    return this.install(this.gate.admit(image), options);
  }

  /**
   * Reads a pack (bytes, URL, Response or ReadableStream; bounded by maxPackBytes), verifies
   * its signature when keys are pinned, then swaps it in synchronously between two requests:
   * an inspection runs wholly on the old pack or wholly on the new one. Updates run one at a
   * time, in call order. On any refusal this rejects and the current pack stays in force.
   */
  updatePack(source: PackSourceInput, options: PackUpdateOptions = {}): Promise<PackInfo> {
    return this.gate.serialize(async () => {
      const admitted = await this.gate.prepare(source, options);
      if (hasSection(admitted.image, Section.confirm)) await loadConfirmAutomata();
      return this.install(admitted, options);
    });
  }

  private install(admitted: AdmittedPack, options: PackLoadOptions): PackInfo {
    const header = readPackHeader(admitted.image);
    // Read before Wasm has checked the image: corrupt metadata must surface as the checksum
    // error activation reports, so an unreadable one only skips the version check here.
    const meta = this.gate.readMeta(admitted.image, header);
    if (meta) this.gate.checkVersion(meta, this.meta(this.current), options);
    let next: LoadedPack;
    try {
      next = this.activate(admitted.image);
    } catch (e) {
      // The failed image was written over the previous pack's slot: nothing to roll back to.
      this.previous = undefined;
      throw e;
    }
    if (!meta) {
      // An intact image with unusable metadata: switch back before any request sees it.
      this.exports.packRollback();
      this.previous = undefined;
      throw new PackError([{ path: "meta", message: "pack metadata must be JSON with a string name and version" }], "pack image");
    }
    next.meta = meta;
    if (admitted.sha256) next.sha256 = admitted.sha256;
    if (admitted.keyId) next.keyId = admitted.keyId;
    this.previous = this.current;
    this.current = next;
    this.resetPackCaches();
    return this.pack;
  }

  /** Switches back to the pack that was active before the last loadPack. */
  rollback(): PackInfo {
    if (!this.previous || this.exports.packRollback() !== 0) throw new Error("wafer: no previous pack to roll back to");
    [this.current, this.previous] = [this.previous, this.current];
    this.resetPackCaches();
    return this.pack;
  }

  private activate(bytes: Uint8Array): LoadedPack {
    const header = readPackHeader(bytes);
    // Checked before the image goes to Wasm, so a refused one leaves the current pack active.
    let meta: PackMeta | undefined;
    const confirmSection = readSection(bytes, Section.confirm);
    const confirmAutomata = confirmSection ? confirmAutomataClass().read(bytes, confirmSection, () => (meta ??= readPackMeta(bytes, header))) : undefined;
    const ptr = this.exports.packReserve(bytes.length);
    new Uint8Array(this.exports.memory.buffer, ptr, bytes.length).set(bytes);
    const code = this.exports.packActivate(bytes.length, builtChecksumFor(bytes));
    if (code !== 0) throw new PackError([{ path: "image", message: packErrorMessage(code, this.exports.packError()) }], "pack image");
    const pack: LoadedPack = {
      header,
      metaBytes: bytes.slice(header.metaOffset, header.metaOffset + header.metaLength),
      describe: (rule) => describeRule(this.meta(pack).rules[rule]!),
      info: () => ({ name: this.meta(pack).name, version: this.meta(pack).version }),
      ...(meta ? { meta } : {}),
      ...(confirmAutomata ? { confirmAutomata } : {}),
    };
    return pack;
  }

  private resetPackCaches(): void {
    this.routes.reset();
    this.routeSets = undefined;
    this.confirmers.clear();
  }

  private meta(pack: LoadedPack): PackMeta {
    if (!pack.meta) {
      const text = new TextDecoder().decode(pack.metaBytes);
      pack.meta = JSON.parse(text) as PackMeta;
    }
    return pack.meta;
  }

  private threshold(): number {
    return this.options.threshold ?? (this.current.header.threshold || 5);
  }

  private evaluate(report: ExtractReport, limit: RateLimitResult | undefined): Decision {
    const pack = this.current;
    const threshold = this.threshold();
    let flags = this.options.mode === "block" ? INSPECT_EARLY_EXIT : 0;
    if (this.options.verdictCache) flags |= INSPECT_VERDICT_CACHE;
    flags |= this.applyRoute(this.writer.method, this.writer.path);
    const verdict = this.exports.inspect(this.writer.count, this.options.paranoia, threshold, flags);
    const result = this.resultView();
    const score = result[1]!;
    const recorded = result[2]!;
    // The writer names the limit that refused a field (maxFields, maxTotalBytes); the
    // extractor's generic "fields" entry for the same event is dropped.
    const truncated =
      this.writer.truncations.length + report.truncated.length > 0
        ? [...(this.writer.truncations.length > 0 ? report.truncated.filter((t) => t.limit !== "fields") : report.truncated), ...this.writer.truncations]
        : NO_TRUNCATIONS;
    const parseErrors = report.parseErrors.length > 0 ? report.parseErrors : NO_TRUNCATIONS;
    const describe = pack.describe;
    const packInfo = pack.info;
    if (recorded === 0) {
      const action = verdict === VERDICT_BLOCK ? this.denyAction() : "allow";
      return new EngineDecision(action, score, threshold, [], describe, withResultTruncations(truncated, result), parseErrors, packInfo, limit, this.denyAction());
    }
    return this.decideMatches(pack, verdict, threshold, truncated, parseErrors, describe, packInfo, limit);
  }

  /**
   * evaluate's second half, when Wasm recorded matches: confirms and describes them. A method
   * of its own so that a request without matches (an ordinary first request) has V8 compile
   * only the first half.
   */
  private decideMatches(
    pack: LoadedPack,
    verdict: number,
    threshold: number,
    truncated: readonly Truncation[],
    parseErrors: readonly ParseError[],
    describe: (rule: number) => Omit<Match, "field" | "snippet">,
    packInfo: () => { name: string; version: string },
    limit: RateLimitResult | undefined,
  ): Decision {
    let result = this.resultView();
    let score = result[1]!;
    const recorded = result[2]!;
    let blocked = verdict === VERDICT_BLOCK;
    const forcedAllow = verdict === VERDICT_FORCED_ALLOW;
    const raw: RawMatch[] = [];
    let arena = this.writer.arenaView();
    let desc = new Uint32Array(this.exports.memory.buffer, this.exports.descPtr(), this.writer.count * 6);
    const decoder = new TextDecoder();
    let confirmed: Set<string> | undefined;
    /**
     * A candidate of a prefilter-mode rule (over-approximated by the automaton): it counts
     * once the host's RegExp confirms it, once per logical rule. True if it held.
     */
    const confirmCandidate = (rule: number, field: number, part: number): boolean => {
      const meta = this.meta(pack).rules[rule]!;
      const logical = baseRuleId(meta.id);
      const holds = !confirmed?.has(logical) && this.confirm(pack, rule, meta, field, part);
      if (desc.length === 0) {
        // The transform behind the confirmation grew Wasm memory: every view above is detached.
        result = this.resultView();
        arena = this.writer.arenaView();
        desc = new Uint32Array(this.exports.memory.buffer, this.exports.descPtr(), this.writer.count * 6);
      }
      if (!holds) return false;
      (confirmed ??= new Set()).add(logical);
      if (meta.action === "block") blocked = true;
      else if (meta.action === "score") score += meta.score;
      raw.push(rawMatch(rule, field, part, arena, desc, decoder));
      return true;
    };
    for (let i = 0; i < recorded; i++) {
      const rule = result[8 + i * 4]!;
      const field = result[9 + i * 4]!;
      const recordFlags = result[10 + i * 4]!;
      // The Wasm side records a candidate on every field the automaton passed.
      if (recordFlags & 2) confirmCandidate(rule, field, recordFlags & 1);
      else raw.push(rawMatch(rule, field, recordFlags & 1, arena, desc, decoder));
    }
    if (result[3]! & RESULT_UNCONFIRMED_DROPPED) {
      // Full records dropped candidates to keep definite matches: a dropped one may have been
      // the field that confirms. Every prefilter-mode rule not confirmed yet whose chain
      // conditions hold is tried on every field part it reads, in field order, as the records
      // would have been.
      const rules = this.meta(pack).rules;
      for (let rule = 0; rule < rules.length; rule++) {
        if (!rules[rule]!.confirm || confirmed?.has(baseRuleId(rules[rule]!.id)) || this.exports.ruleConditionsHold(rule) === 0) continue;
        search: for (let field = 0; field < this.writer.count; field++) {
          for (let part = 0; part < 2; part++) {
            if (this.exports.ruleMayConfirmOn(rule, field, part) !== 0 && confirmCandidate(rule, field, part)) break search;
          }
        }
      }
    }
    if (!forcedAllow && score >= threshold) blocked = true;
    const action = forcedAllow || !blocked ? "allow" : this.denyAction();
    // Read after the confirmations: one may have met the memory limit after inspect.
    return new EngineDecision(action, score, threshold, raw, describe, withResultTruncations(truncated, result), parseErrors, packInfo, limit, this.denyAction());
  }

  /**
   * The result block as u32s; the view is rebuilt only when Wasm memory has grown. Growing
   * detaches the old buffer, which empties every view on it: testing the length costs nothing,
   * where reading `memory.buffer` and the view's `buffer` is two calls into the runtime.
   */
  private resultView(): Uint32Array {
    if (this.result === undefined || this.result.length === 0) {
      this.result = new Uint32Array(this.exports.memory.buffer, this.exports.resultPtr(), RESULT_BYTES >> 2);
    }
    return this.result;
  }

  private denyAction(): "deny" | "monitor" {
    return this.options.mode === "monitor" ? "monitor" : "deny";
  }

  private confirm(pack: LoadedPack, rule: number, meta: RuleMeta, field: number, part: number): boolean {
    if (!meta.confirm) return true;
    const len = this.exports.transformForRule(field, part, rule);
    const value = new Uint8Array(this.exports.memory.buffer, this.exports.transformedPtr?.() ?? this.exports.scratchPtr(), len);
    // Linear time on the transformed bytes, as the Wasm automata read them.
    const dfa = pack.confirmAutomata?.dfaFor(rule);
    if (dfa) return dfa.test(value);
    // Backreferences, atomic groups, possessive repeats: only a backtracking matcher is exact
    // (the compile report counts these rules as confirmedByBacktracking).
    let re = this.confirmers.get(rule);
    if (!re) {
      try {
        // Global, for testAtCodePoints (it moves lastIndex past positions inside a surrogate pair).
        re = new RegExp(meta.confirm.source, meta.confirm.flags.includes("g") ? meta.confirm.flags : `${meta.confirm.flags}g`);
      } catch {
        // A pack whose confirmation regex this runtime cannot build (e.g. compiled by an older
        // compiler): never throw on the hot path; the automaton's superset verdict stands.
        re = /(?:)/g;
      }
      this.confirmers.set(rule, re);
    }
    return testAtCodePoints(re, new TextDecoder().decode(value));
  }

  /**
   * Readies the routes the request matches, if any (src/engine/routes.ts): writes their
   * disabled-rule sets into Wasm memory when the combination changes and, for routes with
   * targets, names each selected field part's set in its descriptor. The inspect flags that
   * say so (0 when no route matches).
   */
  private applyRoute(method: string, path: string): number {
    return this.routes.size > 0 ? this.applyMatchingRoute(method, path) : 0;
  }

  /** applyRoute when routes are configured (its own method: compiled only then). */
  private applyMatchingRoute(method: string, path: string): number {
    const memory = this.exports.memory;
    let sets = this.routeSets;
    // Derived once per pack (its stride) and memory buffer (the views).
    if (!sets || sets.buffer !== memory.buffer) {
      const buffer = memory.buffer;
      const base = this.exports.disabledPtr();
      const stride = this.exports.disabledStride();
      sets = this.routeSets = {
        buffer,
        stride,
        set: (index: number) => new Uint8Array(buffer, base + index * stride, stride),
        capacity: Math.min(256, Math.floor(MAX_RULES_BITSET / 8 / Math.max(stride, 8))),
      };
    }
    const combination = this.routes.select(method, path, this.meta(this.current).rules, sets.stride);
    if (!combination) return 0;
    const count = this.writer.count;
    const desc = new Uint32Array(memory.buffer, this.exports.descPtr(), count * (DESC_SIZE / 4));
    const { flags, cut } = this.routes.apply(combination, sets, desc, this.writer.arenaView(), count);
    if (cut) this.writer.truncations.push({ limit: "routes", detail: cut });
    return flags;
  }
}

function describeRule(meta: RuleMeta): Omit<Match, "field" | "snippet"> {
  return {
    rule: baseRuleId(meta.id),
    family: meta.family,
    message: meta.message,
    severity: meta.severity,
    tags: meta.tags,
    paranoia: meta.paranoia,
    score: meta.action === "score" ? meta.score : 0,
  };
}

/** The confirmation automata's code, loaded on demand (confirm-registry.ts), or a clear error. */
function confirmAutomataClass(): typeof ConfirmAutomata {
  const automata = registeredConfirmAutomata();
  if (automata) return automata;
  throw new PackError(
    [
      {
        path: "image",
        message:
          'this pack confirms regexes (over the DFA budget, or with lookarounds) with lazy DFAs, whose code loads on demand: create the engine with `await createWafer({ pack })` or swap with `updatePack`, or `await import("wafer/confirm")` once before `new Wafer` or `loadPack`',
      },
    ],
    "pack image",
  );
}
