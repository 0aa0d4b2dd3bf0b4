/**
 * One request described once, given to both engines: wafer as the fields its extractor would
 * write (kind, name, value), libddwaf as the address map a tracer would pass.
 */
import { createRequire } from "node:module";
import { FieldKind } from "../../src/engine/abi.js";
import type { Field } from "../pack/harness.js";

export interface PairRequest {
  method?: string;
  uri?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  cookies?: Record<string, string>;
  body?: Record<string, unknown>;
  ip?: string;
}

const K = FieldKind;

/** JSON paths as src/request/body/json.ts spells them: `a.b`, `a[0]`, `["x y"]`. */
function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return parent === "" ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

function walkJson(value: unknown, path: string, out: Field[]): void {
  if (Array.isArray(value)) value.forEach((v, i) => walkJson(v, childPath(path, i), out));
  else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const p = childPath(path, k);
      out.push({ kind: K.jsonKey, name: p, value: k });
      walkJson(v, p, out);
    }
  } else out.push({ kind: K.bodyJson, name: path, value: String(value) });
}

export function waferFields(r: PairRequest): Field[] {
  const uri = r.uri ?? "/";
  const q = uri.indexOf("?");
  const fields: Field[] = [
    { kind: K.method, value: r.method ?? "GET" },
    { kind: K.uriRaw, value: uri },
    { kind: K.path, value: q >= 0 ? uri.slice(0, q) : uri },
  ];
  if (q >= 0) fields.push({ kind: K.queryString, value: uri.slice(q + 1) });
  for (const [name, value] of Object.entries(r.query ?? {})) fields.push({ kind: K.queryArg, name, value });
  for (const [name, value] of Object.entries(r.headers ?? {})) fields.push({ kind: K.header, name: name.toLowerCase(), value });
  for (const [name, value] of Object.entries(r.cookies ?? {})) fields.push({ kind: K.cookie, name, value });
  if (r.body) walkJson(r.body, "", fields);
  if (r.ip) fields.push({ kind: K.clientIp, value: r.ip });
  return fields;
}

export function ddwafAddresses(r: PairRequest): Record<string, unknown> {
  const data: Record<string, unknown> = {
    "server.request.method": r.method ?? "GET",
    "server.request.uri.raw": r.uri ?? "/",
    "server.request.query": r.query ?? {},
    "server.request.headers.no_cookies": Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    "server.request.cookies": r.cookies ?? {},
  };
  if (r.body) data["server.request.body"] = r.body;
  if (r.ip) data["http.client_ip"] = r.ip;
  return data;
}

interface DdwafContext {
  run(payload: { persistent?: object }, timeout: number): { events?: { rule: { id: string } }[] };
  dispose(): void;
}
interface DdwafHandle {
  diagnostics: { rules?: { loaded: string[]; failed: string[]; errors: Record<string, string[]> } };
  createContext(): DdwafContext;
  dispose(): void;
}

/** libddwaf through @datadog/native-appsec (a native addon: loaded with require). */
export function loadDdwaf(ruleset: object): DdwafHandle & { fired(r: PairRequest): string[] } {
  const { DDWAF } = createRequire(import.meta.url)("@datadog/native-appsec") as { DDWAF: new (rules: object, path: string) => DdwafHandle };
  const waf = new DDWAF(ruleset, "datadog/00/ASM_DD/0/wafer-test");
  return Object.assign(waf, {
    fired(r: PairRequest): string[] {
      const ctx = waf.createContext();
      try {
        const result = ctx.run({ persistent: ddwafAddresses(r) }, 10_000_000);
        return [...new Set((result.events ?? []).map((e) => e.rule.id))].sort();
      } finally {
        ctx.dispose();
      }
    },
  });
}
