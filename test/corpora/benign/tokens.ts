/**
 * Identifiers and credentials as real services mint them: UUIDs, JWTs with real base64url
 * JSON segments, signed session cookies, CSRF tokens, webhook signatures, timestamps. All
 * random parts come from the seeded PRNG; times are fixed offsets from one epoch.
 */
import { base64, base64url } from "./encoding";
import type { Random } from "./random";

/** 2025-11-20T00:00:00Z: every timestamp in the corpus is an offset from it. */
export const EPOCH_SECONDS = 1763596800;

export function unixSeconds(r: Random): number {
  return EPOCH_SECONDS + r.int(0, 6 * 86400);
}

export function isoTime(seconds: number, withMillis = true): string {
  const iso = new Date(seconds * 1000).toISOString();
  return withMillis ? iso : iso.replace(".000Z", "Z");
}

export function isoDate(r: Random, daysAheadMin: number, daysAheadMax: number): string {
  return isoTime(EPOCH_SECONDS + r.int(daysAheadMin, daysAheadMax) * 86400).slice(0, 10);
}

export function uuid(r: Random): string {
  const h = r.hex(32);
  const variant = "89ab"[r.int(0, 3)];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** UUIDv7-looking id: time-ordered prefix, as newer backends emit. */
export function uuidV7(r: Random): string {
  const ms = (unixSeconds(r) * 1000 + r.int(0, 999)).toString(16).padStart(12, "0");
  const h = r.hex(20);
  const variant = "89ab"[r.int(0, 3)];
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${h.slice(0, 3)}-${variant}${h.slice(3, 6)}-${h.slice(6, 18)}`;
}

export function jwt(r: Random, claims: Record<string, unknown>): string {
  const header = r.pick([
    { alg: "HS256", typ: "JWT" },
    { alg: "RS256", typ: "JWT", kid: r.hex(16) },
    { alg: "ES256", typ: "JWT", kid: r.alnum(10) },
  ]);
  const signatureLength = header.alg === "RS256" ? 342 : header.alg === "ES256" ? 86 : 43;
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}.${r.base64url(signatureLength)}`;
}

export function accessToken(r: Random, subject: string, audience = "https://api.example.com"): string {
  const iat = unixSeconds(r);
  return jwt(r, {
    iss: r.pick(["https://auth.example.com/", "https://example.eu.auth0.com/", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab12Cd34E"]),
    sub: subject,
    aud: audience,
    iat,
    exp: iat + 3600,
    scope: r.pick(["openid profile email", "read:orders write:orders", "openid offline_access", "api:read api:write"]),
    ...(r.chance(0.5) ? { azp: r.alnum(32) } : {}),
  });
}

export function bearer(r: Random, subject: string): string {
  return `Bearer ${accessToken(r, subject)}`;
}

export function requestId(r: Random): string {
  return r.weighted([
    [uuid(r), 5],
    [r.hex(32), 2],
    [`req_${r.alnum(14)}`, 2],
    [`Root=1-${(EPOCH_SECONDS + r.int(0, 500000)).toString(16)}-${r.hex(24)}`, 1],
  ] as const);
}

export function traceparent(r: Random): string {
  return `00-${r.hex(32)}-${r.hex(16)}-0${r.pick(["0", "1"])}`;
}

/** Rails/Django/Laravel-style CSRF tokens (base64 with +/= characters). */
export function csrfToken(r: Random): string {
  return r.weighted([
    [base64(r.bytes(48)), 3],
    [r.alnum(64), 2],
    [r.alnum(40), 2],
  ] as const);
}

export function stripeId(r: Random, prefix: string): string {
  return `${prefix}_${r.alnum(r.pick([14, 24]))}`;
}

export function githubSha(r: Random): string {
  return r.hex(40);
}

/** Session cookie value in one of the formats popular frameworks emit. */
export function sessionCookie(r: Random): readonly [string, string] {
  return r.pick([
    ["session", `${base64url(JSON.stringify({ uid: r.int(1000, 99999), csrf: r.hex(16) }))}.${r.base64url(6)}.${r.base64url(27)}`],
    ["connect.sid", `s%3A${r.base64url(32)}.${encodeURIComponent(base64(r.bytes(32)).replace(/=+$/, ""))}`],
    ["sessionid", r.lowerAlnum(32)],
    ["PHPSESSID", r.lowerAlnum(26)],
    ["JSESSIONID", r.hex(32).toUpperCase()],
    ["laravel_session", encodeURIComponent(base64(JSON.stringify({ iv: base64(r.bytes(16)), value: base64(r.bytes(48)), mac: r.hex(64), tag: "" })))],
    ["__Secure-next-auth.session-token", `${r.base64url(36)}..${r.base64url(22)}.${r.base64url(180)}.${r.base64url(22)}`],
    ["_app_session", `${encodeURIComponent(base64(r.bytes(96)))}--${r.hex(40)}`],
  ] as const);
}

export function hmacHex(r: Random): string {
  return r.hex(64);
}
