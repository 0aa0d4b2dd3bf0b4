/**
 * Client address resolution. Forwarding headers are attacker-controlled unless infrastructure
 * you run overwrites them, so nothing is trusted by default. Precedence:
 * 1. `options.ipHeader` (e.g. `cf-connecting-ip` behind Cloudflare), when configured and present;
 * 2. `x-forwarded-for`, when `options.trustedProxies` = N > 0: each trusted proxy appends the
 *    address it received the request from, so the client is the N-th entry from the right
 *    (the leftmost when the header has fewer entries, as Express's `trust proxy = N` does);
 * 3. the platform's peer address: `context.remoteAddress`, a plain request's `ip`, a Node
 *    socket's `remoteAddress` (kept as given, e.g. `::ffff:10.0.0.1`; the rate limiter maps it).
 */

function isTrimmable(c: number): boolean {
  return c === 32 || c === 9;
}

/** Trims spaces and strips a port (`1.2.3.4:80`) or brackets (`[::1]:443` → `::1`). */
export function cleanAddress(s: string, start = 0, end = s.length): string {
  while (start < end && isTrimmable(s.charCodeAt(start))) start++;
  while (end > start && isTrimmable(s.charCodeAt(end - 1))) end--;
  if (start >= end) return "";
  if (s.charCodeAt(start) === 91 /* [ */) {
    const close = s.indexOf("]", start);
    if (close > start && close < end) return s.slice(start + 1, close);
    return s.slice(start, end);
  }
  const colon = s.indexOf(":", start);
  if (colon >= 0 && colon < end) {
    // Exactly one colon: IPv4 (or a name) with a port. More than one: a bare IPv6 address.
    const second = s.indexOf(":", colon + 1);
    if (second < 0 || second >= end) return s.slice(start, colon);
  }
  return s.slice(start, end);
}

/** The N-th address from the right of a comma-separated `x-forwarded-for` list (N ≥ 1). */
export function addressFromForwardedFor(xff: string, trustedProxies: number): string {
  let end = xff.length;
  let remaining = trustedProxies;
  for (;;) {
    const comma = end === 0 ? -1 : xff.lastIndexOf(",", end - 1);
    if (--remaining === 0 || comma < 0) return cleanAddress(xff, comma + 1, end);
    end = comma;
  }
}

/** The first entry of a single-address header set by trusted infrastructure. */
export function addressFromTrustedHeader(value: string): string {
  const comma = value.indexOf(",");
  return cleanAddress(value, 0, comma < 0 ? value.length : comma);
}
