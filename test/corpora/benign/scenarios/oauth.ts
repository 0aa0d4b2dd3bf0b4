/**
 * OAuth 2.0 / OIDC / SAML flows: authorization requests with redirect URIs and PKCE,
 * provider callbacks with codes and state, Apple's form_post with a JSON `user` field,
 * token exchanges with Basic client auth, SAML assertions (base64 XML), error returns,
 * magic links and discovery documents.
 */
import { apiClientHeaders, canonicalCase, contentHeaders, navigationHeaders, pickApiClient } from "../clients";
import { base64, base64url, encodePairs, target } from "../encoding";
import type { Random } from "../random";
import type { Draft, Header } from "../request";
import { SITES, origin } from "../sites";
import { EPOCH_SECONDS, isoTime, jwt, unixSeconds, uuid } from "../tokens";
import { emailFor, fullName } from "../vocabulary";
import { draft, visitor } from "../visitor";

const REDIRECT_URIS = [
  "https://app.example.com/auth/callback",
  "https://app.example.com/api/auth/callback/google",
  "https://shop.example.com/account/login/callback?provider=github",
  "com.example.app:/oauth2redirect",
  "http://localhost:3000/callback",
];

function state(r: Random): string {
  return r.pick([r.base64url(43), base64url(JSON.stringify({ nonce: r.hex(16), returnTo: r.pick(["/dashboard", "/checkout?step=payment", "/settings/billing?plan=pro"]) })), uuid(r)]);
}

export function authorizeRequest(r: Random): Draft {
  const v = visitor(r, 0);
  const pairs: [string, string][] = [
    ["response_type", "code"],
    ["client_id", r.pick([r.alnum(32), `${r.digits(12)}-${r.lowerAlnum(32)}.apps.googleusercontent.com`])],
    ["redirect_uri", r.pick(REDIRECT_URIS)],
    ["scope", r.pick(["openid profile email", "openid email offline_access", "read:user user:email", "openid profile email https://www.googleapis.com/auth/calendar.readonly"])],
    ["state", state(r)],
  ];
  if (r.chance(0.7)) pairs.push(["code_challenge", r.base64url(43)], ["code_challenge_method", "S256"]);
  if (r.chance(0.5)) pairs.push(["nonce", r.base64url(22)]);
  if (r.chance(0.3)) pairs.push(["prompt", r.pick(["consent", "login", "select_account"])]);
  if (r.chance(0.2)) pairs.push(["login_hint", emailFor(r, v.person)], ["ui_locales", v.locale]);
  const host = "auth.example.com";
  const uri = target(r.pick(["/oauth/authorize", "/authorize", "/oauth2/v1/authorize"]), pairs, r.chance(0.5) ? "component" : "form");
  const headers = navigationHeaders(r, v.browser, { host, locale: v.locale, cookie: v.cookie, referer: `${origin(SITES.saas.host)}/login`, site: "same-site" });
  return draft("GET", uri, headers, null, "oauth");
}

export function providerCallback(r: Random): Draft {
  const v = visitor(r, 0);
  const provider = r.pick(["google", "github", "microsoft", "generic"] as const);
  let pairs: [string, string][];
  let referer: string;
  switch (provider) {
    case "google":
      pairs = [["state", state(r)], ["code", `4/0A${r.base64url(70)}`], ["scope", "email profile openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile"], ["authuser", "0"], ["prompt", r.pick(["none", "consent"])]];
      referer = "https://accounts.google.com/";
      break;
    case "github":
      pairs = [["code", r.hex(20)], ["state", state(r)]];
      referer = "https://github.com/";
      break;
    case "microsoft":
      pairs = [["code", `0.A${r.base64url(400)}`], ["state", state(r)], ["session_state", uuid(r)]];
      referer = "https://login.microsoftonline.com/";
      break;
    default:
      pairs = [["code", r.base64url(43)], ["state", state(r)], ["iss", "https://auth.example.com"]];
      referer = "https://auth.example.com/";
  }
  const path = r.pick(["/auth/callback", `/api/auth/callback/${provider}`, `/users/auth/${provider}/callback`, "/oauth2/callback"]);
  const headers = navigationHeaders(r, v.browser, { host: SITES.saas.host, locale: v.locale, cookie: v.cookie, referer, site: "cross-site" });
  return draft("GET", target(path, pairs), headers, null, "oauth");
}

export function callbackError(r: Random): Draft {
  const v = visitor(r, 0);
  const [error, description] = r.pick([
    ["access_denied", "The user denied access to your application."],
    ["access_denied", "User canceled the authentication"],
    ["login_required", "Login required"],
    ["invalid_scope", "The requested scope is invalid, unknown, or malformed."],
  ] as const);
  const headers = navigationHeaders(r, v.browser, { host: SITES.saas.host, locale: v.locale, cookie: v.cookie, referer: "https://auth.example.com/", site: "cross-site" });
  return draft("GET", target("/auth/callback", [["error", error], ["error_description", description], ["state", state(r)]]), headers, null, "oauth");
}

/** Sign in with Apple (response_mode=form_post): a cross-site form POST. */
export function appleFormPost(r: Random): Draft {
  const v = visitor(r, 0);
  const iat = unixSeconds(r);
  const email = emailFor(r, v.person);
  const pairs: [string, string][] = [
    ["state", state(r)],
    ["code", `c${r.hex(32)}.0.${r.lowerAlnum(4)}.${r.base64url(22)}`],
    ["id_token", jwt(r, { iss: "https://appleid.apple.com", aud: "com.example.app.web", exp: iat + 600, iat, sub: `${r.digits(6)}.${r.hex(32)}.${r.digits(4)}`, c_hash: r.base64url(22), email, email_verified: true, auth_time: iat, nonce_supported: true })],
  ];
  if (r.chance(0.5)) pairs.push(["user", JSON.stringify({ name: { firstName: v.person.first, lastName: v.person.last }, email })]);
  const text = encodePairs(pairs, "form");
  const headers = navigationHeaders(r, v.browser, { host: SITES.saas.host, locale: v.locale, cookie: null, referer: "https://appleid.apple.com/", site: "cross-site", origin: "https://appleid.apple.com", form: { contentType: "application/x-www-form-urlencoded", text } });
  return draft("POST", "/auth/apple/callback", headers, text, "oauth", "form");
}

export function tokenExchange(r: Random): Draft {
  const grant = r.pick(["authorization_code", "refresh_token", "client_credentials"] as const);
  const pairs: [string, string][] = [["grant_type", grant]];
  if (grant === "authorization_code") pairs.push(["code", r.base64url(43)], ["redirect_uri", r.pick(REDIRECT_URIS)], ["code_verifier", r.base64url(r.int(43, 128))]);
  if (grant === "refresh_token") pairs.push(["refresh_token", r.base64url(r.int(40, 120))]);
  if (grant === "client_credentials") pairs.push(["scope", r.pick(["orders:read orders:write", "https://api.example.com/.default", "reports"])], ["audience", "https://api.example.com"]);
  const basic = r.chance(0.6);
  if (!basic) pairs.push(["client_id", r.alnum(32)], ["client_secret", r.base64url(48)]);
  const body = { contentType: "application/x-www-form-urlencoded", text: encodePairs(pairs, "form") };
  const kind = pickApiClient(r, "developer");
  const headers = apiClientHeaders(r, kind, { host: "auth.example.com", method: "POST", authorization: basic ? `Basic ${base64(`${r.alnum(32)}:${r.base64url(48)}`)}` : undefined, accept: "application/json", body });
  return draft("POST", r.pick(["/oauth/token", "/oauth2/token", "/connect/token"]), headers, body.text, "oauth", "form");
}

/** SAML 2.0 HTTP-POST binding: a base64-encoded assertion posted by the IdP page. */
export function samlPost(r: Random): Draft {
  const v = visitor(r, 0);
  const issued = isoTime(unixSeconds(r), false);
  const email = emailFor(r, v.person);
  const xml = `<?xml version="1.0" encoding="UTF-8"?><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_${r.hex(32)}" Version="2.0" IssueInstant="${issued}" Destination="https://app.example.com/saml/acs"><saml:Issuer>https://idp.example.com/metadata</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="_${r.hex(32)}" IssueInstant="${issued}" Version="2.0"><saml:Issuer>https://idp.example.com/metadata</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${email}</saml:NameID></saml:Subject><saml:AttributeStatement><saml:Attribute Name="displayName"><saml:AttributeValue>${fullName(v.person).replace(/&/g, "&amp;").replace(/'/g, "&apos;")}</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>`;
  const pairs: [string, string][] = [["SAMLResponse", base64(xml)], ["RelayState", r.pick(["/dashboard", "https://app.example.com/app/projects/42", base64url(r.bytes(24))])]];
  const text = encodePairs(pairs, "form");
  const idp = r.pick(["https://idp.example.com", "https://login.microsoftonline.com", "https://example.okta.com"]);
  const headers = navigationHeaders(r, v.browser, { host: SITES.saas.host, locale: v.locale, cookie: null, referer: `${idp}/`, site: "cross-site", origin: idp, form: { contentType: "application/x-www-form-urlencoded", text } });
  return draft("POST", "/saml/acs", headers, text, "oauth", "form");
}

export function magicLink(r: Random): Draft {
  const v = visitor(r, 0);
  const pairs: [string, string][] = [["token", r.chance(0.5) ? r.hex(64) : jwt(r, { sub: v.userId, purpose: "login", exp: EPOCH_SECONDS + 900 })], ["email", emailFor(r, v.person)]];
  if (r.chance(0.5)) pairs.push(["redirect", r.pick(["/app", "/checkout?step=payment", "/invite/accept?team=42"])]);
  const headers = navigationHeaders(r, v.browser, { host: SITES.saas.host, locale: v.locale, cookie: v.cookie, referer: undefined, site: "none" });
  return draft("GET", target(r.pick(["/auth/verify", "/api/auth/callback/email", "/login/magic"]), pairs), headers, null, "oauth");
}

export function discovery(r: Random): Draft {
  const kind = pickApiClient(r, "developer");
  const headers: Header[] = apiClientHeaders(r, kind, { host: "auth.example.com", method: "GET", accept: "application/json" });
  const d = draft("GET", r.pick(["/.well-known/openid-configuration", "/.well-known/jwks.json", "/.well-known/oauth-authorization-server"]), headers, null, "oauth");
  return d;
}

/** Device authorization grant from a TV or CLI app polling the token endpoint. */
export function deviceGrant(r: Random): Draft {
  const pairs: [string, string][] = [["grant_type", "urn:ietf:params:oauth:grant-type:device_code"], ["device_code", r.base64url(43)], ["client_id", r.alnum(32)]];
  const body = { contentType: "application/x-www-form-urlencoded", text: encodePairs(pairs, "form") };
  const headers: Header[] = [["Host", "auth.example.com"], ["User-Agent", r.pick(["example-cli/1.8.0 (darwin; arm64)", "ExampleTV/3.2 (tvOS 18.1)"])], ["Accept", "application/json"], ...contentHeaders(body, canonicalCase)];
  return draft("POST", "/oauth/token", headers, body.text, "oauth", "form");
}
