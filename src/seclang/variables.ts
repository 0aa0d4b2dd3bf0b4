/**
 * SecLang variables → pack targets (src/pack/schema.ts). Union (`|`) becomes a target list,
 * `!COLL:key` becomes `except` on the same field, `COLL:key` becomes `names` (regex keys
 * keep their `/…/`). Variables with no field kind are reported, never dropped silently.
 */
import type { TargetName, TargetSource } from "../pack/schema.js";
import type { Variable } from "./parser.js";

/** Collections that map one-to-one onto a pack target. */
const COLLECTION_TARGET: Record<string, TargetName> = {
  ARGS: "args",
  ARGS_NAMES: "args_names",
  ARGS_GET: "args_get",
  ARGS_GET_NAMES: "args_get_names",
  ARGS_POST: "args_post",
  ARGS_POST_NAMES: "args_post_names",
  REQUEST_HEADERS: "headers",
  REQUEST_HEADERS_NAMES: "header_names",
  REQUEST_COOKIES: "cookies",
  REQUEST_COOKIES_NAMES: "cookie_names",
  REQUEST_FILENAME: "path",
  REQUEST_BASENAME: "basename",
  REQUEST_URI: "uri",
  REQUEST_URI_RAW: "uri",
  REQUEST_METHOD: "method",
  REQUEST_PROTOCOL: "protocol",
  QUERY_STRING: "query_string",
  REQUEST_BODY: "body",
  FILES: "files",
  FILES_NAMES: "files_names",
  MULTIPART_PART_HEADERS: "multipart_headers",
  REMOTE_ADDR: "client_ip",
};

/** Collections with keys (`COLL:key` narrows to named entries). */
const KEYED = new Set([
  "ARGS", "ARGS_NAMES", "ARGS_GET", "ARGS_GET_NAMES", "ARGS_POST", "ARGS_POST_NAMES",
  "REQUEST_HEADERS", "REQUEST_HEADERS_NAMES", "REQUEST_COOKIES", "REQUEST_COOKIES_NAMES",
  "FILES", "FILES_NAMES", "MULTIPART_PART_HEADERS",
]);

/** Why a collection cannot be inspected (per-request state the engine does not model). */
const NO_FIELD: Record<string, string> = {
  REQBODY_ERROR: "REQBODY_ERROR: body parse errors are not a field (the extractor reports them in Decision.parseErrors)",
  REQBODY_PROCESSOR: "REQBODY_PROCESSOR: the body processor is not a field",
  REQBODY_ERROR_MSG: "REQBODY_ERROR_MSG: body parse errors are not a field",
  ARGS_COMBINED_SIZE: "ARGS_COMBINED_SIZE: no aggregate-size field",
  FILES_COMBINED_SIZE: "FILES_COMBINED_SIZE: no aggregate-size field",
  FILES_SIZES: "FILES_SIZES: file sizes are not fields",
  REQUEST_BODY_LENGTH: "REQUEST_BODY_LENGTH: no body-length field",
  UNIQUE_ID: "UNIQUE_ID: no per-request id field",
  MATCHED_VAR_NAME: "MATCHED_VAR_NAME: names of matched variables are not fields",
  MATCHED_VARS_NAMES: "MATCHED_VARS_NAMES: names of matched variables are not fields",
  REMOTE_PORT: "REMOTE_PORT: not a field",
  SERVER_NAME: "SERVER_NAME: not a field",
  SERVER_PORT: "SERVER_PORT: not a field",
  REQUEST_HEADERS_COUNT: "no count field",
};

export interface MappedTargets {
  targets: TargetSource[];
  /** Variables left out, with the reason (the rule still runs on the others). */
  dropped: string[];
  /** Approximations made, for the report. */
  notes: string[];
}

export interface MapContext {
  /** Targets of the previous chain link, for MATCHED_VAR(S). */
  previous?: TargetSource[];
  /** REQUEST_LINE can be approximated by method, uri and protocol only for unanchored, non-negated operators. */
  requestLineSplittable: boolean;
  /** XML:/* and XML://@*: "body" inspects the raw body instead (default); "skip" leaves them out. */
  xml?: "body" | "skip";
}

/** Maps a link's variables (none of them `&` counts or TX) to pack targets. */
export function mapVariables(variables: Variable[], ctx: MapContext): MappedTargets {
  const fields = new Map<TargetName, { whole: boolean; names: string[]; except: string[] }>();
  const dropped: string[] = [];
  const notes: string[] = [];
  const include = (field: TargetName, key?: string) => {
    let f = fields.get(field);
    if (!f) fields.set(field, (f = { whole: false, names: [], except: [] }));
    if (key === undefined) f.whole = true;
    else if (!f.names.includes(key)) f.names.push(key);
  };
  for (const v of variables) {
    if (v.exclude) continue;
    const label = v.collection + (v.key !== undefined ? `:${v.key}` : "");
    const target = COLLECTION_TARGET[v.collection];
    if (target) {
      include(target, KEYED.has(v.collection) ? v.key : undefined);
      // JSON member names: the extractor names body fields by path (`["a"]`) and also emits
      // each bare key as a json_keys value, which is what ModSecurity's ARGS_NAMES hold.
      if ((v.collection === "ARGS_NAMES" || v.collection === "ARGS_POST_NAMES") && v.key === undefined) include("json_keys");
      continue;
    }
    if (v.collection === "XML" && ctx.xml === "skip") {
      if (!dropped.some((d) => d.startsWith("XML"))) dropped.push("XML: no XML node fields (import option xml: \"skip\")");
      continue;
    }
    if (v.collection === "XML") {
      include("body");
      if (!notes.some((n) => n.startsWith("XML"))) notes.push("XML:/* approximated by the raw request body (no XML node extraction)");
      continue;
    }
    if (v.collection === "REQUEST_LINE") {
      if (ctx.requestLineSplittable) {
        include("method");
        include("uri");
        include("protocol");
        notes.push("REQUEST_LINE approximated by method, uri and protocol inspected separately");
      } else dropped.push("REQUEST_LINE: no request-line field kind, and this operator is anchored or negated so its parts cannot stand in");
      continue;
    }
    if (v.collection === "MATCHED_VAR" || v.collection === "MATCHED_VARS") {
      if (ctx.previous) {
        for (const t of ctx.previous) {
          if (typeof t === "string") include(t);
          else if (t.names && t.names.length > 0) for (const n of t.names) include(t.field, n);
          else include(t.field);
          if (typeof t !== "string" && t.except) for (const e of t.except) addExcept(fields, t.field, e);
        }
        notes.push(`${v.collection} approximated by the previous condition's targets (any of them, not only the one that matched)`);
      } else dropped.push(`${label}: nothing matched before it`);
      continue;
    }
    dropped.push(NO_FIELD[v.collection] ?? `${v.collection}: no field kind for this variable`);
  }
  for (const v of variables) {
    if (!v.exclude || v.key === undefined) continue;
    const target = v.collection === "XML" ? undefined : COLLECTION_TARGET[v.collection];
    if (target) addExcept(fields, target, v.key);
  }
  const targets: TargetSource[] = [];
  for (const [field, f] of fields) {
    if (f.whole) targets.push(f.except.length > 0 ? { field, except: f.except } : field);
    else targets.push(f.except.length > 0 ? { field, names: f.names, except: f.except } : { field, names: f.names });
  }
  return { targets, dropped, notes };
}

function addExcept(fields: Map<TargetName, { whole: boolean; names: string[]; except: string[] }>, field: TargetName, key: string): void {
  const f = fields.get(field);
  if (f && !f.except.includes(key)) f.except.push(key);
}

/** The pack target for a counted collection `&COLL[:key]`, or a reason it has none. */
export function countTarget(v: Variable): TargetSource | string {
  const target = COLLECTION_TARGET[v.collection];
  if (!target) return NO_FIELD[v.collection] ?? `&${v.collection}: no field kind for this variable`;
  if (v.key !== undefined && KEYED.has(v.collection)) return { field: target, names: [v.key] };
  return target;
}
