/** Shared plumbing for the runtime matrix: a temp project that depends on the built package. */
import { mkdtempSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/** A temp directory with node_modules/wafer linked to this repository (as an install would). */
export function tempProject(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `wafer-${prefix}-`));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(repoRoot, join(dir, "node_modules", "wafer"), "dir");
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export { freePort } from "../support/free-port.js";

/** Requests every runtime test sends, with the verdict each must get from the default pack. */
export const MATRIX_REQUESTS = [
  { name: "ordinary GET", method: "GET", path: "/products?category=books&page=2", headers: { "user-agent": "Mozilla/5.0" }, body: null, denied: false },
  { name: "SQL injection in a query arg", method: "GET", path: "/items?id=1%27%20union%20select%20password%20from%20users--", headers: {}, body: null, denied: true },
  { name: "XSS in a JSON body", method: "POST", path: "/comments", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "<script>alert(document.cookie)</script>" }), denied: true },
  { name: "scanner user agent", method: "GET", path: "/", headers: { "user-agent": "sqlmap/1.7.2#stable (https://sqlmap.org)" }, body: null, denied: true },
  { name: "benign form", method: "POST", path: "/signup", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "name=Siobhan+O%27Brien&plan=select+a+plan", denied: false },
] as const;

/**
 * Script lines, for a runtime's own test program: `wafer` (an engine) inspects every
 * MATRIX_REQUESTS entry as a fetch Request and leaves `out`, one entry per request, with
 * whether the app can still read the body afterwards.
 */
export const MATRIX_INSPECT_LOOP = `const requests = ${JSON.stringify(MATRIX_REQUESTS)};
const out = [];
for (const r of requests) {
  const req = new Request("http://app.test" + r.path, { method: r.method, headers: r.headers, body: r.body ?? undefined });
  const d = await wafer.inspect(req);
  out.push({ name: r.name, denied: d.denied, rules: d.matches.map((m) => m.rule), bodyAfter: r.body ? await req.text() : null });
}`;
