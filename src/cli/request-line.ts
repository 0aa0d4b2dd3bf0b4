/**
 * One line of a request corpus (the `wafer scan` input):
 * {"id", "method", "uri", "headers": {..} | [[name, value], ..], "body": string | null}.
 */
import type { RequestInput } from "../request/types.js";

export type ParsedLine = { id: string; request: RequestInput } | { error: string };

export function parseRequestLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return { error: `not JSON (${(e as Error).message})` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { error: "not a JSON object" };
  const o = value as Record<string, unknown>;
  const id = o.id === undefined ? undefined : String(o.id);
  if (id === undefined) return { error: 'missing "id"' };
  if (typeof o.method !== "string" || o.method === "") return { error: `${id}: "method" must be a non-empty string` };
  if (typeof o.uri !== "string" || o.uri === "") return { error: `${id}: "uri" must be a non-empty string` };
  let headers: [string, string][] = [];
  if (Array.isArray(o.headers)) {
    for (const pair of o.headers) {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string" || typeof pair[1] !== "string")
        return { error: `${id}: "headers" pairs must be [name, value] strings` };
      headers.push([pair[0], pair[1]]);
    }
  } else if (typeof o.headers === "object" && o.headers !== null) {
    for (const [name, v] of Object.entries(o.headers)) {
      if (Array.isArray(v)) for (const item of v) headers.push([name, String(item)]);
      else headers.push([name, String(v)]);
    }
  } else if (o.headers !== undefined) return { error: `${id}: "headers" must be an object or an array of pairs` };
  if (o.body !== undefined && o.body !== null && typeof o.body !== "string") return { error: `${id}: "body" must be a string or null` };
  const request: RequestInput = { method: o.method, url: o.uri, headers, body: (o.body as string | null | undefined) ?? null };
  return { id, request };
}
