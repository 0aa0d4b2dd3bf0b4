/**
 * The request target (path and query, the bytes after the method on the request line) from
 * whatever URL string a platform hands over, without normalising it:
 * - Node `IncomingMessage.url` is the raw target exactly as received (origin-form `/a?b`,
 *   absolute-form `http://h/a?b` through proxies, `*` for `OPTIONS *`): `uriRaw` keeps it
 *   as received, path and query come from its origin-form;
 * - a Web `Request.url` is an absolute URL already normalised by the WHATWG URL parser: dot
 *   segments removed, spaces and `<>"` percent-encoded, the fragment kept. The original target
 *   is lost on those platforms (Deno, workerd, Bun, Vercel Edge); we take pathname+search
 *   from the string itself and never re-normalise it;
 * - a plain object's `url` may be either.
 * A fragment is dropped from absolute URLs (clients never send it); an origin-form target is
 * returned untouched.
 */

function isSchemeChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46
  );
}

export function requestTargetOf(url: string): string {
  if (url.charCodeAt(0) === 47 /* / */) return url;
  const schemeEnd = url.indexOf("://");
  if (schemeEnd <= 0) return url;
  for (let k = 0; k < schemeEnd; k++) if (!isSchemeChar(url.charCodeAt(k))) return url;
  const n = url.length;
  let i = schemeEnd + 3;
  while (i < n) {
    const c = url.charCodeAt(i);
    if (c === 47 || c === 63 || c === 35) break;
    i++;
  }
  let end = url.indexOf("#", i);
  if (end < 0) end = n;
  if (i === end) return "/";
  return url.charCodeAt(i) === 47 ? url.slice(i, end) : "/" + url.slice(i, end);
}
