/** Writing a refusal on a Node ServerResponse (node:http, Express, anything built on it). */
import type { ServerResponse } from "node:http";
import type { Refusal } from "./problem.js";

export function writeRefusal(res: ServerResponse, refusal: Refusal): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(refusal.status, { ...refusal.headers, "content-length": String(Buffer.byteLength(refusal.body)) });
  res.end(refusal.body);
}

/** Sets headers on a response that has not started yet (request id, RateLimit). */
export function setHeaders(res: ServerResponse, headers: Record<string, string>): void {
  if (res.headersSent) return;
  for (const name in headers) res.setHeader(name, headers[name]!);
}

/** The path of a Node request target (no query), as the app routes it. */
export function pathOf(url: string | undefined): string {
  if (url === undefined || url === "") return "/";
  const q = url.indexOf("?");
  const target = q < 0 ? url : url.slice(0, q);
  if (target.startsWith("/")) return target;
  try {
    return new URL(target).pathname; // absolute-form (proxy requests)
  } catch {
    return target;
  }
}
