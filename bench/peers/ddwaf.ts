/**
 * libddwaf (Datadog's WAF, native, through `@datadog/native-appsec`) as a benchmark peer.
 *
 * A request becomes the addresses dd-trace feeds it: raw URI, method, headers without
 * cookies, parsed query, parsed cookies, parsed body (form → object, JSON → value, other →
 * string), client IP. Building that payload is part of the timed call, as extraction is
 * part of wafer's; `runOnly` times the native call on a prebuilt payload as a lower bound.
 * Each call creates a context, runs it, and disposes it, as dd-trace does per request.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import type { PlainRequest } from "../../src/request/types.js";

const requireFromProject = createRequire(join(process.cwd(), "package.json"));

interface DdwafContext {
  run(payload: { persistent?: object; ephemeral?: object }, timeoutMicros: number): DdwafResult;
  dispose(): void;
}
export interface DdwafResult {
  timeout: boolean;
  events?: { rule: { id: string } }[];
  metrics?: { maxTruncatedString?: number; maxTruncatedContainerSize?: number; maxTruncatedContainerDepth?: number };
}
interface DdwafInstance {
  createContext(): DdwafContext;
  dispose(): void;
  diagnostics: { rules?: { loaded?: string[]; failed?: string[]; errors?: Record<string, string[]> } };
}
interface DdwafClass {
  new (rules: object, path: string): DdwafInstance;
  version(): string;
}

export function loadDdwaf(): { DDWAF: DdwafClass; packageVersion: string; libddwafVersion: string } {
  const mod = requireFromProject("@datadog/native-appsec") as { DDWAF: DdwafClass };
  const pkg = requireFromProject("@datadog/native-appsec/package.json") as { version: string; libddwaf_version: string };
  return { DDWAF: mod.DDWAF, packageVersion: pkg.version, libddwafVersion: mod.DDWAF.version() };
}

export const RECOMMENDED_RULES_PATH = "node_modules/dd-trace/packages/dd-trace/src/appsec/recommended.json";

/** No timeout in practice (the benchmark wants the whole evaluation): 10 s in µs. */
const NO_TIMEOUT_US = 10_000_000;

export class DdwafPeer {
  readonly waf: DdwafInstance;
  readonly loadMs: number;
  constructor(DDWAF: DdwafClass, rules: object) {
    const t0 = performance.now();
    this.waf = new DDWAF(rules, "bench");
    this.loadMs = performance.now() - t0;
  }
  /** Payload building + context + run + dispose: what one request costs an application. */
  inspect(req: PlainRequest): DdwafResult {
    return this.runOnly(ddwafPayload(req));
  }
  runOnly(payload: object): DdwafResult {
    const ctx = this.waf.createContext();
    try {
      return ctx.run({ persistent: payload }, NO_TIMEOUT_US);
    } finally {
      ctx.dispose();
    }
  }
  rulesLoaded(): number {
    return this.waf.diagnostics.rules?.loaded?.length ?? 0;
  }
  rulesFailed(): number {
    return this.waf.diagnostics.rules?.failed?.length ?? 0;
  }
}

type Multi = Record<string, string | string[]>;
function addMulti(into: Multi, name: string, value: string): void {
  const prev = into[name];
  if (prev === undefined) into[name] = value;
  else if (Array.isArray(prev)) prev.push(value);
  else into[name] = [prev, value];
}

export function ddwafPayload(req: PlainRequest): Record<string, unknown> {
  const uri = req.url;
  const q = uri.indexOf("?");
  const query: Multi = {};
  if (q >= 0) for (const [k, v] of new URLSearchParams(uri.slice(q + 1))) addMulti(query, k, v);
  const headers: Multi = {};
  const cookies: Multi = {};
  let contentType = "";
  const pairs: [string, string][] = Array.isArray(req.headers)
    ? (req.headers as [string, string][])
    : Object.entries((req.headers ?? {}) as Record<string, string>);
  for (const [rawName, value] of pairs) {
    const name = rawName.toLowerCase();
    if (name === "cookie") {
      for (const part of value.split(";")) {
        const eq = part.indexOf("=");
        if (eq < 0) continue;
        const k = part.slice(0, eq).trim();
        let v = part.slice(eq + 1).trim();
        try {
          v = decodeURIComponent(v);
        } catch {
          /* keep raw */
        }
        addMulti(cookies, k, v);
      }
      continue;
    }
    if (name === "content-type") contentType = value;
    addMulti(headers, name, value);
  }
  const payload: Record<string, unknown> = {
    "server.request.uri.raw": uri,
    "server.request.method": req.method,
    "server.request.headers.no_cookies": headers,
    "server.request.query": query,
    "server.request.cookies": cookies,
    "http.client_ip": "203.0.113.7",
  };
  const body = typeof req.body === "string" ? req.body : req.body instanceof Uint8Array ? new TextDecoder().decode(req.body) : null;
  if (body !== null && body !== "") {
    if (contentType.includes("application/x-www-form-urlencoded")) {
      const form: Multi = {};
      for (const [k, v] of new URLSearchParams(body)) addMulti(form, k, v);
      payload["server.request.body"] = form;
    } else if (contentType.includes("json")) {
      try {
        payload["server.request.body"] = JSON.parse(body);
      } catch {
        payload["server.request.body"] = body;
      }
    } else payload["server.request.body"] = body;
  }
  return payload;
}
