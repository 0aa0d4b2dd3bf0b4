/**
 * The path rate-limit policies match: the decoded path, lower-cased, repeated slashes
 * collapsed and a trailing slash dropped. Routers (Express by default) treat /LOGIN,
 * //login and /login/ as /login, so a limit on /login must count them as one route —
 * otherwise case or slashes would dodge it. (Signature exclusions keep the exact path:
 * a relaxation must not reach further than the route it names.)
 */
export function rateLimitPath(path: string): string {
  let out = "";
  let prevSlash = false;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 0x2f) {
      if (prevSlash) continue;
      prevSlash = true;
      out += "/";
    } else {
      prevSlash = false;
      out += c >= 0x41 && c <= 0x5a ? String.fromCharCode(c | 0x20) : path[i];
    }
  }
  if (out.length > 1 && out.endsWith("/")) out = out.slice(0, -1);
  return out === "" ? "/" : out;
}
