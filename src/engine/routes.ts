/**
 * Per-route exclusions (engine option `routes`): on the first route whose path and method
 * match, the engine inspects as if some rules were not in the pack, or as if some fields were
 * not in the request for some rules. What each route means is fixed here, once, when the
 * engine is created; per request the engine only asks which route applies (`match`).
 *
 * - Rules by id, tag or family, without `targets`: those rules do not run on the route.
 * - `targets` (the pack's target selectors: "args", `{ field: "args", names: ["password"] }`,
 *   `{ field: "headers", except: [...] }` …): the route's rules — those its ids, tags and
 *   families select, or every rule when it names none — do not read those field parts
 *   there, neither with their operator nor with their chain conditions. The other fields
 *   and the other rules are inspected as everywhere else.
 *
 * The Wasm side holds one disabled-rule bitset per request (assembly/inspect.ts enabled):
 * for a route with targets, the host flags the descriptors of the field parts the targets
 * select (FIELD_FLAG_EXCLUDED_VALUE / _NAME) and passes INSPECT_FIELD_SCOPED, so the bitset
 * applies to those parts only.
 *
 * Names in route targets are exact (ASCII case folded, as in packs). A `/regex/` name is
 * refused: a route's names are tested on the host against names the client chose, and only
 * the pack compiler turns regexes into linear-time automata.
 */
import { baseRuleId, type RuleMeta } from "../pack/compile.js";
import { TARGET_NAMES, type TargetName, type TargetSource } from "../pack/schema.js";
import { isNameRegex, resolveTargets, type ResolvedTargets } from "../pack/targets.js";
import { DESC_SIZE, FIELD_FLAG_EXCLUDED_NAME, FIELD_FLAG_EXCLUDED_VALUE } from "./abi.js";
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
    if (typeof r.path !== "string" && !(r.path instanceof RegExp)) throw new TypeError(`${at}.path must be a path prefix (string) or a RegExp`);
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

/** A route's meaning for one pack: the rules it switches off, and where. */
interface CompiledRoute {
  /** Bit per rule of the pack (the Wasm disabled-rule bitset). */
  bitset: Uint8Array;
  /** The field parts the route's rules do not read; undefined: they do not run at all. */
  targets: RouteTargets | undefined;
}

/** A route's targets as flagExcludedFields reads them. */
interface RouteTargets {
  selected: ResolvedTargets;
  /** Bit per field kind whose selectors need the field's name. */
  namedKinds: number;
}

export class RouteTable {
  private compiled: (CompiledRoute | null)[];

  constructor(private readonly routes: readonly RouteExclusion[]) {
    this.compiled = routes.map(() => null);
  }

  get size(): number {
    return this.routes.length;
  }

  /** Forgets what was derived from the previous pack (rule indexes). */
  reset(): void {
    this.compiled = this.routes.map(() => null);
  }

  /** The index of the first route matching the request, or -1. */
  match(method: string, path: string): number {
    for (let i = 0; i < this.routes.length; i++) {
      const r = this.routes[i]!;
      if (r.methods && !r.methods.some((m) => m.toUpperCase() === method.toUpperCase())) continue;
      if (typeof r.path === "string" ? path.startsWith(r.path) : r.path.test(path)) return i;
    }
    return -1;
  }

  /** Route `index` for the pack whose rules are `rules`, derived on first use. */
  route(index: number, rules: readonly RuleMeta[]): CompiledRoute {
    let c = this.compiled[index];
    if (!c) {
      const route = this.routes[index]!;
      const selected = route.targets ? utf8Names(resolveTargets(route.targets as TargetSource[])) : undefined;
      const targets = selected && { selected, namedKinds: selected.selectors.reduce((kinds, s) => kinds | (1 << s.kind), 0) };
      const selectsRules = (route.rules?.length ?? 0) + (route.tags?.length ?? 0) + (route.families?.length ?? 0) > 0;
      const bitset = new Uint8Array(Math.ceil(rules.length / 8));
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
 * Flags the descriptors of the field parts a route's targets select (src/pack/targets.ts semantics,
 * as assembly/inspect.ts targets() applies them: a kind read whole or by an included name,
 * and no excluded name). `desc` holds `count` descriptors; names are read from `arena`.
 */
export function flagExcludedFields({ selected, namedKinds }: RouteTargets, desc: Uint32Array, arena: Uint8Array, count: number): void {
  for (let f = 0; f < count; f++) {
    const d = f * DESC_WORDS;
    const word = desc[d]!;
    const kind = word & 0xff;
    if (kind >= 32) continue;
    const nameLen = desc[d + 2]!;
    const name = ((namedKinds >>> kind) & 1) === 1 ? asciiLower(arena, desc[d + 1]!, nameLen) : "";
    let flags = 0;
    if (selects(selected, kind, 0, name)) flags |= FIELD_FLAG_EXCLUDED_VALUE;
    if (nameLen > 0 && selects(selected, kind, 1, name)) flags |= FIELD_FLAG_EXCLUDED_NAME;
    desc[d] = word | flags;
  }
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
