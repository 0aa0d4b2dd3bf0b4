/**
 * A body some framework has already parsed (Express's `req.body` after express.json() or
 * express.urlencoded({ extended }), Fastify's `request.body`, Next.js API routes): the raw
 * bytes are gone, but the parsed value is exactly what the application will use, so we inspect
 * that. Walked iteratively-bounded like the JSON tokenizer: keys as `jsonKey`, leaves as
 * `bodyJson` (or `bodyForm` for a form, named by path), depth limited by `maxJsonDepth`.
 * Cycles cannot loop forever: every level counts against the depth limit.
 */
import { FieldKind } from "../../engine/abi.js";
import type { FieldSink } from "../field-sink.js";
import type { ExtractReport } from "../types.js";
import { memberPath } from "./json.js";

const K_JSON = FieldKind.bodyJson;
const K_JSON_KEY = FieldKind.jsonKey;
const K_FORM = FieldKind.bodyForm;

function leafText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "null";
  if (typeof value === "object") return Object.prototype.toString.call(value);
  return String(value);
}

/** Returns false when the sink refused a field. */
export function emitParsedBody(
  value: unknown,
  asForm: boolean,
  sink: FieldSink,
  maxDepth: number,
  report: ExtractReport,
): boolean {
  let depthReported = false;
  const walk = (v: unknown, path: string, depth: number): boolean => {
    const isContainer = v !== null && typeof v === "object" && !(v instanceof Uint8Array) && !(v instanceof Date);
    if (!isContainer) return sink.add(asForm ? K_FORM : K_JSON, path, leafText(v));
    if (depth >= maxDepth) {
      if (!depthReported) {
        depthReported = true;
        report.truncated.push({ limit: "jsonDepth", detail: `parsed body nested deeper than ${maxDepth} at ${path || "the root"}: not inspected below` });
      }
      return true;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (!walk(v[i], path + "[" + i + "]", depth + 1)) return false;
      return true;
    }
    for (const key of Object.keys(v as object)) {
      const p = memberPath(path, key);
      if (!asForm && !sink.add(K_JSON_KEY, p, key)) return false;
      if (!walk((v as Record<string, unknown>)[key], p, depth + 1)) return false;
    }
    return true;
  };
  return walk(value, "", 0);
}
