/**
 * Resolves a rule's target selectors into what the Wasm side tests per field: a kind mask
 * for values, a kind mask for names, and named include/exclude selectors.
 */
import { FieldKind } from "../engine/abi.js";
import type { TargetName, TargetSource } from "./schema.js";

const K = FieldKind;
const ARGS_GET = [K.queryArg];
const ARGS_POST = [K.bodyForm, K.bodyJson, K.multipartField];

/** Which field kinds and which part (value or name) each target name covers. */
export const TARGET_FIELDS: Record<TargetName, { kinds: number[]; part: 0 | 1 }> = {
  method: { kinds: [K.method], part: 0 },
  uri: { kinds: [K.uriRaw], part: 0 },
  path: { kinds: [K.path], part: 0 },
  query_string: { kinds: [K.queryString], part: 0 },
  protocol: { kinds: [K.protocol], part: 0 },
  basename: { kinds: [K.basename], part: 0 },
  client_ip: { kinds: [K.clientIp], part: 0 },
  args: { kinds: [...ARGS_GET, ...ARGS_POST], part: 0 },
  args_get: { kinds: ARGS_GET, part: 0 },
  args_post: { kinds: ARGS_POST, part: 0 },
  args_names: { kinds: [...ARGS_GET, ...ARGS_POST], part: 1 },
  args_get_names: { kinds: ARGS_GET, part: 1 },
  args_post_names: { kinds: ARGS_POST, part: 1 },
  headers: { kinds: [K.header], part: 0 },
  header_names: { kinds: [K.header], part: 1 },
  cookies: { kinds: [K.cookie], part: 0 },
  cookie_names: { kinds: [K.cookie], part: 1 },
  json_keys: { kinds: [K.jsonKey], part: 0 },
  files: { kinds: [K.multipartFilename], part: 0 },
  files_names: { kinds: [K.multipartFilename], part: 1 },
  multipart_headers: { kinds: [K.multipartHeader], part: 0 },
  body: { kinds: [K.bodyRaw], part: 0 },
};

export interface NameSelector {
  kind: number;
  part: 0 | 1;
  mode: "include" | "exclude";
  /** Lower-cased exact name, or a regex source when `regex` is true. */
  name: string;
  regex: boolean;
}

export interface ResolvedTargets {
  valueMask: number;
  nameMask: number;
  selectors: NameSelector[];
}

/** `/pattern/` names are regular expressions; anything else is an exact, case-insensitive name. */
export function isNameRegex(name: string): boolean {
  return name.length >= 2 && name.startsWith("/") && name.endsWith("/");
}

function parseName(name: string): { name: string; regex: boolean } {
  if (isNameRegex(name)) return { name: name.slice(1, -1), regex: true };
  return { name: name.toLowerCase(), regex: false };
}

export function resolveTargets(targets: TargetSource[]): ResolvedTargets {
  let valueMask = 0;
  let nameMask = 0;
  const selectors: NameSelector[] = [];
  for (const target of targets) {
    const field = typeof target === "string" ? target : target.field;
    const { kinds, part } = TARGET_FIELDS[field];
    const names = typeof target === "string" ? undefined : target.names;
    const except = typeof target === "string" ? undefined : target.except;
    for (const kind of kinds) {
      if (names && names.length > 0) {
        for (const n of names) selectors.push({ kind, part, mode: "include", ...parseName(n) });
      } else if (part === 0) valueMask |= 1 << kind;
      else nameMask |= 1 << kind;
      for (const n of except ?? []) selectors.push({ kind, part, mode: "exclude", ...parseName(n) });
    }
  }
  return { valueMask, nameMask, selectors };
}

/** The masks a group must visit: every kind a rule reads whole or through a named selector. */
export function visitMasks(t: ResolvedTargets): { valueMask: number; nameMask: number } {
  let { valueMask, nameMask } = t;
  for (const s of t.selectors) {
    if (s.mode !== "include") continue;
    if (s.part === 0) valueMask |= 1 << s.kind;
    else nameMask |= 1 << s.kind;
  }
  return { valueMask, nameMask };
}
