/**
 * The request path as the application most likely resolves it: percent-decoded (never `+`),
 * then dot segments removed per RFC 3986 §5.2.4 (`/a/./b/../c` → `/a/c`, `/../x` → `/x`).
 *
 * Decoding happens before dot removal on purpose: `/static/..%2f..%2fetc/passwd` becomes
 * `/etc/passwd`, which is what a file server that decodes first would open. Backslashes and
 * repeated slashes are kept (servers differ; the `normalizePathWin` transform covers them),
 * and the raw form stays available as `uriRaw`.
 */
import { percentDecode } from "./percent-decode.js";

export function normalizeRequestPath(rawPath: string): string {
  // No '%' and no '.' right after a '/' (or at the start) means the raw path is already its
  // own normal form — the common case. Native searches: the path is usually a slice of the
  // URL, which a charCodeAt loop reads through its parent a character at a time.
  if (rawPath.indexOf("%") < 0 && rawPath.indexOf("/.") < 0 && rawPath.charCodeAt(0) !== 46) return rawPath;
  return removeDotSegments(percentDecode(rawPath, false));
}

export function removeDotSegments(path: string): string {
  // Fast path: no segment can be "." or ".." without a "." right after a "/" or at the start.
  if (path.indexOf("/.") < 0 && path.charCodeAt(0) !== 46) return path;
  const absolute = path.charCodeAt(0) === 47;
  const segments = (absolute ? path.slice(1) : path).split("/");
  const out: string[] = [];
  const last = segments.length - 1;
  for (let k = 0; k <= last; k++) {
    const seg = segments[k];
    if (seg === "." || seg === "..") {
      if (seg === "..") out.pop();
      if (k === last) out.push("");
      continue;
    }
    out.push(seg);
  }
  return (absolute ? "/" : "") + out.join("/");
}

/** The last path segment (`/a/b.php` → `b.php`; `/a/` → ``). A hand loop: V8's lastIndexOf is a runtime call. */
export function basenameOf(path: string): string {
  let i = path.length;
  while (i > 0 && path.charCodeAt(i - 1) !== 47) i--;
  return i === 0 ? path : path.slice(i);
}
