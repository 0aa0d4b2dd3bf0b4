/**
 * Per-route exclusions (engine option `routes`): every route whose path and methods match
 * applies, as ModSecurity's ctl exclusions, Coraza's and libddwaf's exclusion filters do: the
 * engine inspects as if some rules were not in the pack, or as if some fields were not in the
 * request for some rules. What each route means is fixed here, once per route and pack; per
 * request the engine asks which routes apply (`select`) and writes their sets.
 *
 * - Rules by id, tag or family, without `targets`: those rules do not run on the route.
 * - `targets` (the pack's target selectors: "args", `{ field: "args", names: ["password"] }`,
 *   `{ field: "headers", except: [...] }` …): the route's rules — those its ids, tags and
 *   families select, or every rule when it names none — do not read those field parts
 *   there, neither with their operator nor with their chain conditions. The other fields
 *   and the other rules are inspected as everywhere else.
 *
 * The Wasm side reads disabled-rule bitsets (assembly/inspect.ts disabledSetOf), one per
 * combination, `stride` bytes apart: set 0 holds the rules the matching routes switch off
 * everywhere; a field part that routes' targets select gets its own set (set 0 plus those
 * routes' rules), whose index the host writes into the part's descriptor (DESC_*_SET_SHIFT)
 * and announces with INSPECT_FIELD_SCOPED. Sets are written once per combination of routes
 * and reused while requests keep to it.
 *
 * Names in route targets are exact (ASCII case folded, as in packs). A `/regex/` name is
 * refused: a route's names are tested on the host against names the client chose, and only
 * the pack compiler turns regexes into linear-time automata.
 */
import { baseRuleId, type RuleMeta } from "../pack/compile.js";
import { TARGET_NAMES, type TargetName, type TargetSource } from "../pack/schema.js";
import { isNameRegex, resolveTargets, type ResolvedTargets } from "../pack/targets.js";
import { DESC_NAME_SET_SHIFT, DESC_SIZE, DESC_VALUE_SET_SHIFT, INSPECT_FIELD_SCOPED, INSPECT_USE_DISABLED } from "./abi.js";
import { compileGlob } from "../path-pattern/glob.js";
import type { RouteExclusion } from "./options.js";

const DESC_WORDS = DESC_SIZE / 4;

/** Checks `routes` (engine option) and says exactly which entry and key is wrong. */
export function validateRoutes(routes: unknown): RouteExclusion[] {
  if (routes === undefined) return [];
  if (!Array.isArray(routes)) throw new TypeError(`wafer: routes must be an array, got ${typeof routes}`);
  routes.forEach((route: unknown, i) => {
    const at = `wafer: routes[${i}]`;
    if (typeof route !== "object" || route === null) throw new TypeError(`${at} must be an object`);
    const r = route as Record<string, unknown>;
    if (typeof r.path !== "string" && !(r.path instanceof RegExp) && typeof r.path !== "function")
      throw new TypeError(`${at}.path must be a path prefix or glob (string), a RegExp or a function (path, method) => boolean`);
    for (const key of ["methods", "rules", "tags", "families"] as const) {
      const v = r[key];
      if (v !== undefined && !(Array.isArray(v) && v.every((x) => typeof x === "string")))
        throw new TypeError(`${at}.${key} must be an array of strings`);
    }
    if (r.targets !== undefined) validateTargets(r.targets, `${at}.targets`);
  });
  return routes as RouteExclusion[];
}

function validateTargets(targets: unknown, at: string): void {
  if (!Array.isArray(targets) || targets.length === 0) throw new TypeError(`${at} must be a non-empty array of target selectors`);
  const known = (field: unknown): field is TargetName => typeof field === "string" && (TARGET_NAMES as readonly string[]).includes(field);
  targets.forEach((t: unknown, j) => {
    const here = `${at}[${j}]`;
    const field = typeof t === "object" && t !== null ? (t as { field?: unknown }).field : t;
    if (!known(field))
      throw new TypeError(`${here}${typeof t === "object" ? ".field" : ""}: ${JSON.stringify(field)} is not a target (one of: ${TARGET_NAMES.join(", ")})`);
    if (typeof t !== "object" || t === null) return;
    for (const key of ["names", "except"] as const) {
      const names = (t as Record<string, unknown>)[key];
      if (names === undefined) continue;
      if (!Array.isArray(names) || !names.every((n) => typeof n === "string" && n.length > 0))
        throw new TypeError(`${here}.${key} must be an array of non-empty names`);
      const regex = names.find((n: string) => isNameRegex(n));
      if (regex !== undefined)
        throw new TypeError(`${here}.${key}: ${regex} is a regular expression; route targets take exact names (case-insensitive)`);
    }
  });
}

/** A route's meaning for one pack. */
interface CompiledRoute {
  /** Bit per rule of the pack, `stride` bytes (a disabled-rule set). */
  bitset: Uint8Array;
  /** The field parts the route's rules do not read; undefined: they do not run at all. */
  targets: RouteTargets | undefined;
}

/** A route's targets as the per-request flagging reads them. */
interface RouteTargets {
  selected: ResolvedTargets;
  /** Bit per field kind whose selectors need the field's name. */
  namedKinds: number;
}

/** The routes one request matches, for one pack: what applyRoutes writes. */
export interface RouteCombination {
  /** Set 0: the rules the matching routes switch off on every field part. */
  everywhere: Uint8Array;
  /** Whether set 0 has a bit set. */
  disablesAnywhere: boolean;
  /** The matching routes with targets. */
  scoped: CompiledRoute[];
}

/** Where the disabled-rule sets go: the engine's Wasm memory. */
export interface RouteSetMemory {
  /** Bytes of set `index` (stride bytes). */
  set(index: number): Uint8Array;
  /** How many sets fit (set 0 included), at most 256 (a descriptor holds an 8-bit index). */
  capacity: number;
}

/** Scoped routes beyond this many in one combination are not applied (reported, never silent). */
const MAX_SCOPED_PER_REQUEST = 30;

export class RouteTable {
  private readonly predicates: ((path: string, method: string) => boolean)[];
  private compiled: (CompiledRoute | null)[];
  /** By the matching routes' indexes: a bitmask up to 31 routes, else their list as a string. */
  private combinations = new Map<number | string, RouteCombination>();
  /** The combination whose sets are in Wasm memory, and the sets written for its part masks. */
  private written: RouteCombination | undefined;
  private slots = new Map<number, number>();

  constructor(private readonly routes: readonly RouteExclusion[]) {
    this.compiled = routes.map(() => null);
    this.predicates = routes.map(routePredicate);
  }

  get size(): number {
    return this.routes.length;
  }

  /** Forgets what was derived from the previous pack (rule indexes, sets in memory). */
  reset(): void {
    this.compiled = this.routes.map(() => null);
    this.combinations.clear();
    this.written = undefined;
    this.slots.clear();
  }

  /** The combination of routes matching the request (every one that matches), or undefined. */
  select(method: string, path: string, rules: readonly RuleMeta[], stride: number): RouteCombination | undefined {
    const matched: number[] = [];
    let key: number | string = 0;
    for (let i = 0; i < this.routes.length; i++) {
      if (!this.predicates[i]!(path, method)) continue;
      matched.push(i);
      if (i < 31) key = (key as number) | (1 << i);
    }
    if (matched.length === 0) return undefined;
    if (this.routes.length > 31) key = matched.join(",");
    let c = this.combinations.get(key);
    if (!c) {
      const matching = matched.map((i) => this.route(i, rules, stride));
      const everywhere = new Uint8Array(stride);
      for (const r of matching) if (!r.targets) for (let b = 0; b < stride; b++) everywhere[b]! |= r.bitset[b]!;
      c = { everywhere, disablesAnywhere: everywhere.some((b) => b !== 0), scoped: matching.filter((r) => r.targets !== undefined) };
      // Bounded: a request's combination is one of those its path and method reach.
      if (this.combinations.size >= 1024) this.combinations.clear();
      this.combinations.set(key, c);
    }
    return c;
  }

  /**
   * Writes combination `c`'s sets (set 0 when it changed; a part's own set the first time its
   * routes meet) and the parts' set indexes into the `count` descriptors `desc`. Returns the
   * inspect flags, and a truncation message when sets ran out (those parts keep set 0).
   */
  apply(c: RouteCombination, memory: RouteSetMemory, desc: Uint32Array, arena: Uint8Array, count: number): { flags: number; cut?: string } {
    if (this.written !== c) {
      memory.set(0).set(c.everywhere);
      this.written = c;
      this.slots.clear();
    }
    if (c.scoped.length === 0) return { flags: c.disablesAnywhere ? INSPECT_USE_DISABLED : 0 };
    const scoped = c.scoped.length > MAX_SCOPED_PER_REQUEST ? c.scoped.slice(0, MAX_SCOPED_PER_REQUEST) : c.scoped;
    let cut = c.scoped.length > scoped.length ? `${c.scoped.length} routes with targets match; the first ${MAX_SCOPED_PER_REQUEST} apply` : undefined;
    let namedKinds = 0;
    for (const r of scoped) namedKinds |= r.targets!.namedKinds;
    for (let f = 0; f < count; f++) {
      const d = f * DESC_WORDS;
      const word = desc[d]!;
      const kind = word & 0xff;
      if (kind >= 32) continue;
      const nameLen = desc[d + 2]!;
      const name = ((namedKinds >>> kind) & 1) === 1 ? asciiLower(arena, desc[d + 1]!, nameLen) : "";
      let valueMask = 0;
      let nameMask = 0;
      for (let i = 0; i < scoped.length; i++) {
        const { selected } = scoped[i]!.targets!;
        if (selects(selected, kind, 0, name)) valueMask |= 1 << i;
        if (nameLen > 0 && selects(selected, kind, 1, name)) nameMask |= 1 << i;
      }
      if ((valueMask | nameMask) === 0) continue;
      const valueSet = valueMask === 0 ? 0 : this.slot(valueMask, c, scoped, memory);
      const nameSet = nameMask === 0 ? 0 : this.slot(nameMask, c, scoped, memory);
      if ((valueMask !== 0 && valueSet === 0) || (nameMask !== 0 && nameSet === 0))
        cut ??= `route exclusions need more than the engine's ${memory.capacity - 1} per-field rule sets for this pack; some fields were inspected with only the routes' rules switched off everywhere`;
      desc[d] = word | (valueSet << DESC_VALUE_SET_SHIFT) | (nameSet << DESC_NAME_SET_SHIFT);
    }
    return { flags: INSPECT_USE_DISABLED | INSPECT_FIELD_SCOPED, ...(cut ? { cut } : {}) };
  }

  /** The set for the routes in `mask` (set 0 plus their rules), written on first use; 0 when none is left. */
  private slot(mask: number, c: RouteCombination, scoped: CompiledRoute[], memory: RouteSetMemory): number {
    let index = this.slots.get(mask);
    if (index === undefined) {
      index = this.slots.size + 1;
      if (index >= memory.capacity) return 0;
      const set = memory.set(index);
      set.set(c.everywhere);
      for (let i = 0; i < scoped.length; i++) {
        if (((mask >>> i) & 1) === 0) continue;
        const bits = scoped[i]!.bitset;
        for (let b = 0; b < set.length; b++) set[b]! |= bits[b]!;
      }
      this.slots.set(mask, index);
    }
    return index;
  }

  /** Route `index` for the pack whose rules are `rules`, derived on first use. */
  private route(index: number, rules: readonly RuleMeta[], stride: number): CompiledRoute {
    let c = this.compiled[index];
    if (!c) {
      const route = this.routes[index]!;
      const selected = route.targets ? utf8Names(resolveTargets(route.targets as TargetSource[])) : undefined;
      const targets = selected && { selected, namedKinds: selected.selectors.reduce((kinds, s) => kinds | (1 << s.kind), 0) };
      const selectsRules = (route.rules?.length ?? 0) + (route.tags?.length ?? 0) + (route.families?.length ?? 0) > 0;
      const bitset = new Uint8Array(stride);
      rules.forEach((rule, i) => {
        const off =
          (targets !== undefined && !selectsRules) ||
          route.rules?.includes(baseRuleId(rule.id)) ||
          route.families?.includes(rule.family) ||
          rule.tags.some((t) => route.tags?.includes(t));
        if (off) bitset[i >> 3]! |= 1 << (i & 7);
      });
      c = { bitset, targets };
      this.compiled[index] = c;
    }
    return c;
  }
}

/**
 * A route's path test: a prefix, a glob (a string with `*`: src/path-pattern/glob.ts, linear
 * time), a RegExp (stateless: no g or y flag) or the caller's function.
 */
function routePredicate(route: RouteExclusion): (path: string, method: string) => boolean {
  const methods = route.methods?.map((m) => m.toUpperCase());
  const p = route.path;
  const onPath =
    typeof p === "function" ? p
    : typeof p === "string" ? (p.includes("*") ? compileGlob(p) : (path: string) => path.startsWith(p))
    : (path: string) => {
      p.lastIndex = 0;
      return p.test(path);
    };
  return methods ? (path, method) => methods.includes(method.toUpperCase()) && onPath(path, method) : onPath;
}

/** Selector names as the arena holds them: UTF-8 bytes, one character each (asciiLower's form). */
function utf8Names(t: ResolvedTargets): ResolvedTargets {
  const encoder = new TextEncoder();
  return { ...t, selectors: t.selectors.map((s) => ({ ...s, name: String.fromCharCode(...encoder.encode(s.name)) })) };
}

function selects(t: ResolvedTargets, kind: number, part: 0 | 1, name: string): boolean {
  let selected = (((part === 0 ? t.valueMask : t.nameMask) >>> kind) & 1) === 1;
  for (const s of t.selectors) {
    if (s.kind !== kind || s.part !== part || s.name !== name) continue;
    if (s.mode === "exclude") return false;
    selected = true;
  }
  return selected;
}

/** The name's bytes with ASCII letters lower-cased (as the Wasm side folds names), as a Latin-1 string. */
function asciiLower(arena: Uint8Array, off: number, len: number): string {
  let s = "";
  for (let i = off; i < off + len; i++) {
    const b = arena[i]!;
    s += String.fromCharCode(b >= 0x41 && b <= 0x5a ? b | 0x20 : b);
  }
  return s;
}
