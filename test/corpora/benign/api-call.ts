/**
 * One API request as some client sends it: the single-page app in a browser (cookies or
 * a bearer token, sec-fetch-* headers), a native app, or a developer tool / SDK. The
 * scenarios say what is called; this decides who calls it.
 */
import { apiClientHeaders, fetchHeaders, pickApiClient, type Body } from "./clients";
import { base64 } from "./encoding";
import type { Random } from "./random";
import type { Draft, Header, Tag } from "./request";
import { SITES, origin, type Site } from "./sites";
import { bearer, csrfToken, requestId } from "./tokens";
import { draft, visitor, type Visitor } from "./visitor";

export type Audience = "browser" | "mobile" | "developer" | "any";

export interface ApiCall {
  method: string;
  uri: string;
  body?: Body;
  site?: Site;
  audience?: Audience;
  accept?: string;
  extra?: Header[];
  tags?: Tag[];
  /** What kind of API this is; "rest" unless said otherwise. */
  kind?: "rest" | "graphql";
  /** The visitor whose data the body carries, so headers and body agree on the person. */
  visitor?: Visitor;
}

export function apiCall(r: Random, call: ApiCall): Draft {
  const site = call.site ?? r.pick([SITES.shop, SITES.saas, SITES.saas]);
  const v = call.visitor ?? visitor(r, 0.9);
  const audience = call.audience ?? r.weighted([["browser", 6], ["mobile", 3], ["developer", 2]] as const);
  const tags: Tag[] = [call.kind ?? "rest", ...(call.tags ?? [])];
  if (call.body !== undefined && /json/.test(call.body.contentType)) tags.push("json");
  let headers: Header[];
  if (audience === "browser") {
    const useBearer = site.apiHost !== site.host || r.chance(0.4);
    const extra: Header[] = [...(call.extra ?? [])];
    if (!useBearer && call.method !== "GET" && r.chance(0.7)) extra.push([r.pick(["x-csrf-token", "x-xsrf-token", "x-csrftoken"]), csrfToken(r)]);
    if (r.chance(0.3)) extra.push(["x-request-id", requestId(r)]);
    if (r.chance(0.15)) extra.push(["x-requested-with", "XMLHttpRequest"]);
    headers = fetchHeaders(r, v.browser, {
      host: site.apiHost,
      locale: v.locale,
      cookie: useBearer && site.apiHost !== site.host ? null : v.cookie,
      referer: `${origin(site.host)}/${r.pick(["", "app", "account", "checkout", "app/projects/7/board", "settings/profile"])}`,
      method: call.method,
      origin: origin(site.host),
      site: site.apiHost === site.host ? "same-origin" : "same-site",
      accept: call.accept,
      authorization: useBearer ? bearer(r, v.userId) : undefined,
      body: call.body,
      extra,
    });
  } else {
    const kind = pickApiClient(r, audience === "any" ? "any" : audience);
    // Apps carry the signed-in user's token; scripts and integrations use API keys too.
    const authorization = audience === "mobile" || kind === "ios-app" || kind === "android-app" || kind === "react-native"
      ? bearer(r, v.userId)
      : r.weighted([
          [bearer(r, v.userId), 4],
          [`Bearer sk_live_${r.alnum(24)}`, 2],
          [`Basic ${base64(`${r.pick(["api", "svc-reporting", "zapier"])}:${r.alnum(32)}`)}`, 1],
          [`Token token="${r.hex(32)}"`, 1],
        ] as const);
    headers = apiClientHeaders(r, kind, {
      host: site.apiHost,
      method: call.method,
      locale: v.locale,
      authorization,
      accept: call.accept,
      body: call.body,
      extra: call.extra,
    });
  }
  return draft(call.method, call.uri, headers, call.body?.text ?? null, ...tags);
}

export function jsonBody(value: unknown, contentType = "application/json"): Body {
  return { contentType, text: JSON.stringify(value) };
}

/** JSON with one of the content-type spellings clients really send. */
export function jsonBodyFrom(r: Random, value: unknown): Body {
  return jsonBody(value, r.weighted([["application/json", 6], ["application/json; charset=utf-8", 3], ["application/json;charset=UTF-8", 2]] as const));
}
