/**
 * Cookie headers as browsers send them after a few visits: analytics ids, consent blobs
 * (often percent-encoded JSON or query strings), a framework session, preferences.
 */
import { base64 } from "./encoding";
import type { Random } from "./random";
import { EPOCH_SECONDS, csrfToken, sessionCookie, unixSeconds, uuid } from "./tokens";

function analytics(r: Random): [string, string][] {
  const out: [string, string][] = [];
  const seen = unixSeconds(r) - r.int(0, 200) * 86400;
  if (r.chance(0.7)) out.push(["_ga", `GA1.1.${r.int(100000000, 1999999999)}.${seen}`]);
  if (r.chance(0.4)) out.push([`_ga_${r.upperAlnum(10)}`, `GS1.1.${unixSeconds(r)}.${r.int(1, 40)}.1.${unixSeconds(r)}.0.0.0`]);
  if (r.chance(0.3)) out.push(["_gid", `GA1.2.${r.int(100000000, 1999999999)}.${unixSeconds(r)}`]);
  if (r.chance(0.3)) out.push(["_fbp", `fb.1.${seen}${r.digits(3)}.${r.int(100000000, 999999999)}`]);
  if (r.chance(0.25)) out.push(["_gcl_au", `1.1.${r.int(100000000, 1999999999)}.${seen}`]);
  if (r.chance(0.2)) out.push(["ajs_anonymous_id", encodeURIComponent(JSON.stringify(uuid(r)))]);
  if (r.chance(0.15)) out.push(["_hjSessionUser_" + r.digits(7), base64(JSON.stringify({ id: r.hex(16), created: seen * 1000, existing: true }))]);
  return out;
}

function consent(r: Random): [string, string][] {
  return r.weighted<[string, string][]>([
    [[], 4],
    [[["cookie_consent", encodeURIComponent(JSON.stringify({ necessary: true, analytics: r.chance(0.6), marketing: r.chance(0.3), v: 2 }))]], 2],
    [
      [[
        "OptanonConsent",
        `isGpcEnabled=0&datestamp=${encodeURIComponent(new Date((EPOCH_SECONDS + r.int(0, 86400)) * 1000).toUTCString().replace(/,/g, ""))}&version=202409.1.0&isIABGlobal=false&hosts=&consentId=${uuid(r)}&interactionCount=1&landingPath=NotLandingPage&groups=C0001%3A1%2CC0002%3A${r.int(0, 1)}%2CC0003%3A1%2CC0004%3A${r.int(0, 1)}`,
      ]],
      1,
    ],
    [[["CookieConsent", `{stamp:%27${base64(r.bytes(30))}%27%2Cnecessary:true%2Cpreferences:true%2Cstatistics:${r.chance(0.5)}%2Cmarketing:false%2Cmethod:%27explicit%27%2Cver:1%2Cutc:${unixSeconds(r)}000%2Cregion:%27fr%27}`]], 1],
  ]);
}

function preferences(r: Random): [string, string][] {
  const out: [string, string][] = [];
  if (r.chance(0.3)) out.push(["locale", r.pick(["en-US", "fr-FR", "de_DE", "ja", "pt-BR"])]);
  if (r.chance(0.2)) out.push(["currency", r.pick(["USD", "EUR", "GBP"])]);
  if (r.chance(0.2)) out.push(["theme", r.pick(["dark", "light", "system"])]);
  if (r.chance(0.15)) out.push(["recently_viewed", encodeURIComponent([r.int(100, 9999), r.int(100, 9999), r.int(100, 9999)].join(","))]);
  if (r.chance(0.1)) out.push(["cart_id", uuid(r)]);
  return out;
}

/** A realistic `cookie` value; `loggedIn` adds a framework session and often a CSRF cookie. */
export function browserCookies(r: Random, loggedIn: boolean): string | null {
  const pairs: [string, string][] = [...analytics(r), ...consent(r), ...preferences(r)];
  if (loggedIn) {
    const [name, value] = sessionCookie(r);
    pairs.push([name, value]);
    if (r.chance(0.4)) pairs.push([r.pick(["XSRF-TOKEN", "csrftoken", "_csrf"]), encodeURIComponent(csrfToken(r))]);
  }
  if (pairs.length === 0) return null;
  return pairs.map(([name, value]) => `${name}=${value}`).join("; ");
}
