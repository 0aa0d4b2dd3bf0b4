/**
 * libddwaf addresses ↔ wafer targets.
 *
 * libddwaf evaluates whatever the tracer hands it under an address; wafer evaluates the fields
 * it extracts from the HTTP request. An address maps when wafer extracts the same data:
 * `values` is the target for the address's values, `keys` the target(s) when the rule applies
 * `keys_only`. Addresses wafer never sees (response, RASP resources, framework data such as
 * route parameters or GraphQL resolvers) are listed with the reason.
 */
import type { TargetName } from "../pack/schema.js";
import { escapeRegexLiteral } from "./import-operator.js";

export interface AddressMapping {
  values: TargetName[];
  /** Targets holding this address's keys (for `keys_only`); absent when it has no keys. */
  keys?: TargetName[];
  /** How a key_path becomes field names: `json` for bodies (`a.b`, `a[0]`), `bracket` for query (`a[b]`). */
  keyStyle: "single" | "bracket" | "json" | "none";
}

export const ADDRESS_TO_TARGETS: Record<string, AddressMapping> = {
  "server.request.query": { values: ["args_get"], keys: ["args_get_names"], keyStyle: "bracket" },
  // json_keys holds each JSON member's own key, as libddwaf's keys_only yields it.
  "server.request.body": { values: ["args_post"], keys: ["args_post_names", "json_keys"], keyStyle: "json" },
  "server.request.body.filenames": { values: ["files"], keyStyle: "none" },
  "server.request.headers.no_cookies": { values: ["headers"], keys: ["header_names"], keyStyle: "single" },
  "server.request.cookies": { values: ["cookies"], keys: ["cookie_names"], keyStyle: "single" },
  "server.request.uri.raw": { values: ["uri"], keyStyle: "none" },
  "server.request.method": { values: ["method"], keyStyle: "none" },
  "http.client_ip": { values: ["client_ip"], keyStyle: "none" },
};

/**
 * Inputs wafer cannot see but that share a condition with inputs it can: they are dropped from
 * the condition (with a note), the rest of the rule still imports.
 */
export const DROPPABLE_ADDRESS_REASON: Record<string, string> = {
  "server.request.path_params": "route parameters are framework data; wafer sees the path itself",
  "graphql.server.all_resolvers": "GraphQL resolver arguments are framework data; wafer sees the JSON body",
  "graphql.server.resolver": "GraphQL resolver arguments are framework data; wafer sees the JSON body",
  "grpc.server.request.message": "gRPC messages are not HTTP fields",
  "grpc.server.request.metadata": "gRPC metadata is not an HTTP field",
};

/** Why an address that maps to nothing cannot be expressed (prefix match, longest first). */
export function unmappedAddressReason(address: string): string {
  const direct = DROPPABLE_ADDRESS_REASON[address];
  if (direct) return direct;
  if (address.startsWith("server.response.")) return `${address}: response data (wafer inspects requests)`;
  if (address.startsWith("server.io.") || address.startsWith("server.sys.") || address.startsWith("server.db."))
    return `${address}: a RASP resource (a file, URL, command or query the application is about to use)`;
  if (address.startsWith("usr.") || address.startsWith("server.business_logic."))
    return `${address}: application identity or business event, not part of the HTTP request`;
  if (address === "server.request.jwt") return `${address}: decoded JWT (wafer does not decode tokens)`;
  if (address.startsWith("waf.context.")) return `${address}: libddwaf context flag`;
  return `${address}: no wafer field carries this address`;
}

/**
 * The reverse direction: wafer target → libddwaf address plus the transformer that selects the
 * part of it the target means (libddwaf has `url_path`/`url_basename`/`url_querystring` for
 * the pieces of the raw URI, `keys_only` for names).
 */
export const TARGET_TO_ADDRESS: Partial<Record<TargetName, { address: string; lead?: string }[]>> = {
  method: [{ address: "server.request.method" }],
  uri: [{ address: "server.request.uri.raw" }],
  path: [{ address: "server.request.uri.raw", lead: "url_path" }],
  basename: [{ address: "server.request.uri.raw", lead: "url_basename" }],
  query_string: [{ address: "server.request.uri.raw", lead: "url_querystring" }],
  client_ip: [{ address: "http.client_ip" }],
  args: [{ address: "server.request.query" }, { address: "server.request.body" }],
  args_get: [{ address: "server.request.query" }],
  args_post: [{ address: "server.request.body" }],
  args_names: [{ address: "server.request.query", lead: "keys_only" }, { address: "server.request.body", lead: "keys_only" }],
  args_get_names: [{ address: "server.request.query", lead: "keys_only" }],
  args_post_names: [{ address: "server.request.body", lead: "keys_only" }],
  json_keys: [{ address: "server.request.body", lead: "keys_only" }],
  headers: [{ address: "server.request.headers.no_cookies" }],
  header_names: [{ address: "server.request.headers.no_cookies", lead: "keys_only" }],
  cookies: [{ address: "server.request.cookies" }],
  cookie_names: [{ address: "server.request.cookies", lead: "keys_only" }],
  files: [{ address: "server.request.body.filenames" }],
};

/** The wafer field names a key_path selects (for bodies: the leaf itself and every leaf under it); null: none. */
export function namesFor(style: "single" | "bracket" | "json" | "none", keyPath: string[]): string[] | null {
  if (style === "none") return null;
  if (style === "single") return keyPath.length === 1 ? [keyPath[0]!] : null;
  const bracket = keyPath[0]! + keyPath.slice(1).map((k) => `[${k}]`).join("");
  if (style === "bracket") return [bracket];
  // src/request/body/json.ts spells paths `a.b`, `a[0]`, `a["x y"]`.
  const json = keyPath
    .map((k, i) => (/^\d+$/.test(k) ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `${i > 0 ? "." : ""}${k}` : `[${JSON.stringify(k)}]`))
    .join("");
  const names = new Set([json, bracket]);
  return [...names, `/^${escapeRegexLiteral(json)}[.[]/`];
}
