/**
 * Canonical client-IP keys for rate limiting.
 *
 * - IPv4 stays as is (dotted quad, no leading zeros accepted: "01.2.3.4" is ambiguous).
 * - IPv4-mapped IPv6 (`::ffff:1.2.3.4`, `::ffff:102:304`) becomes the IPv4 address, so a
 *   dual-stack socket does not give one client two buckets.
 * - Other IPv6 is truncated to a prefix (default /64: one customer's LAN, which is what a
 *   single client can trivially rotate through) and written in RFC 5952 form (lower case,
 *   longest zero run compressed), with the prefix length appended: `2001:db8:1:2::/64`.
 * - Brackets, a zone id (`%eth0`) and a port (`[::1]:443`, `1.2.3.4:80`) are stripped.
 *
 * Returns undefined when the text is not an IP address; the caller decides what that means.
 * Linear in the input, never throws.
 */
export function ipKey(input: string, ipv6PrefixLength = 64): string | undefined {
  if (input.length === 0 || input.length > 64) return undefined;
  let text = input;
  const c0 = text.charCodeAt(0);
  if (c0 >= 48 && c0 <= 57 && text.indexOf(":") < 0) return ipv4(text) ? text : undefined;
  if (c0 === 91 /* [ */) {
    const close = text.indexOf("]");
    if (close < 0) return undefined;
    text = text.slice(1, close);
  } else if (text.indexOf(":") === text.lastIndexOf(":") && text.indexOf(".") > 0) {
    text = text.slice(0, text.indexOf(":")); // IPv4 with a port
    return ipv4(text) ? text : undefined;
  }
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  const groups = parseIpv6(text);
  if (groups === undefined) return undefined;
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return `${groups[6] >>> 8}.${groups[6] & 255}.${groups[7] >>> 8}.${groups[7] & 255}`;
  }
  const prefix = Math.max(0, Math.min(128, ipv6PrefixLength | 0));
  for (let i = 0; i < 8; i++) {
    const keep = Math.max(0, Math.min(16, prefix - i * 16));
    groups[i] &= keep === 16 ? 0xffff : (0xffff << (16 - keep)) & 0xffff;
  }
  const text6 = formatIpv6(groups);
  return prefix === 128 ? text6 : `${text6}/${prefix}`;
}

/**
 * The value of a canonical dotted quad as an unsigned 32-bit number, or -1. One pass, no
 * allocation: the limiter hashes this number instead of the text (the hot path's IPv4 case).
 */
export function ipv4Value(text: string): number {
  const n = text.length;
  if (n < 7 || n > 15) return -1;
  let parts = 0;
  let value = 0;
  let octet = 0;
  let digits = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || octet > 255) return -1;
      value = (value << 8) | octet;
      parts++;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return -1; // leading zero
      octet = octet * 10 + (c - 48);
      if (++digits > 3) return -1;
    } else return -1;
  }
  return parts === 4 ? value >>> 0 : -1;
}

/** Dotted-quad text of an IPv4 value. */
export function ipv4Text(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/** True for a canonical dotted quad. */
function ipv4(text: string): boolean {
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || value > 255) return false;
      parts++;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return false; // leading zero
      value = value * 10 + (c - 48);
      if (++digits > 3) return false;
    } else return false;
  }
  return parts === 4;
}

function parseIpv6(text: string): number[] | undefined {
  const double = text.indexOf("::");
  if (double >= 0 && text.indexOf("::", double + 1) >= 0) return undefined;
  const head = double >= 0 ? text.slice(0, double) : text;
  const tail = double >= 0 ? text.slice(double + 2) : "";
  if (double >= 0 && head.indexOf(".") >= 0) return undefined; // dotted part must come last
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === "" ? [] : tail.split(":");
  const out: number[] = [];
  const all = double >= 0 ? [...headGroups, ...tailGroups] : headGroups;
  const words: number[] = [];
  for (let i = 0; i < all.length; i++) {
    const g = all[i];
    if (i === all.length - 1 && g.indexOf(".") > 0) {
      if (!ipv4(g)) return undefined;
      const o = g.split(".").map(Number);
      words.push((o[0] << 8) | o[1], (o[2] << 8) | o[3]);
    } else {
      if (g.length === 0 || g.length > 4 || !/^[0-9a-fA-F]+$/.test(g)) return undefined;
      words.push(parseInt(g, 16));
    }
  }
  const headCount = double >= 0 ? Math.min(words.length, headGroups.length) : words.length;
  if (double < 0) {
    if (words.length !== 8) return undefined;
    return words;
  }
  if (words.length > 7) return undefined;
  for (let i = 0; i < headCount; i++) out.push(words[i]);
  for (let i = words.length; i < 8; i++) out.push(0);
  for (let i = headCount; i < words.length; i++) out.push(words[i]);
  return out;
}

/** RFC 5952: lower-case hex, no leading zeros, the longest run (≥ 2) of zero groups as "::". */
function formatIpv6(g: number[]): string {
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  if (bestStart < 0) return g.map((x) => x.toString(16)).join(":");
  const left = g.slice(0, bestStart).map((x) => x.toString(16)).join(":");
  const right = g.slice(bestStart + bestLen).map((x) => x.toString(16)).join(":");
  return `${left}::${right}`;
}
