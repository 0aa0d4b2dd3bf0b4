/**
 * The record written to the corpus (the `wafer scan` input format) and the draft the
 * scenarios build before it gets its id.
 */

/** Every tag the benign corpus uses; the corpus test checks each one occurs. */
export const TAGS = [
  "browse", // page navigation, with query strings
  "static", // assets: scripts, styles, images, fonts, robots.txt
  "rest", // JSON/REST API calls
  "json", // the body is JSON
  "graphql", // GraphQL queries and mutations (never introspection)
  "form", // application/x-www-form-urlencoded bodies
  "upload", // multipart/form-data bodies
  "webhook", // server-to-server callbacks with signatures
  "oauth", // OAuth/OIDC/SAML redirects and token calls
  "preflight", // CORS OPTIONS requests
  "health", // load-balancer and orchestrator probes
  "telemetry", // error envelopes, CSP reports, RUM beacons sent by pages
  "realtime", // WebSocket upgrades, Socket.IO polling, event streams
  "lookalike", // legitimate value chosen because it resembles an attack
  "code", // a code or shell snippet in free text (also "lookalike")
  "i18n", // non-ASCII text in the target or the body
] as const;

export type Tag = (typeof TAGS)[number];

export type Header = [string, string];

export interface CorpusRequest {
  id: string;
  method: string;
  uri: string;
  headers: Header[];
  body: string | null;
  tags: string[];
}

export interface Draft {
  method: string;
  uri: string;
  headers: Header[];
  body: string | null;
  tags: Set<Tag>;
}

const NON_ASCII = /[^\x00-\x7f]/;
const ENCODED_UTF8 = /%[C-F][0-9A-F]%[89AB][0-9A-F]/i;

/**
 * SQL keywords and angle brackets in the decoded target or body: the words and characters
 * naive filters key on. Scenarios tag what they insert on purpose; this catches the rest
 * (a street called "Union Station Plaza", "Select Comfort", a `<` in a search) so that a
 * false-positive report can tell lookalikes from plain traffic.
 */
const ALARMING = /\b(union|select|drop|delete|insert|update|exec|truncate|alter)\b|[<>]/i;

function decoded(text: string): string {
  if (!/%[0-9A-F]{2}/i.test(text)) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

export function finalize(id: string, draft: Draft): CorpusRequest {
  const tags = new Set(draft.tags);
  const body = draft.body ?? "";
  if (ALARMING.test(decoded(draft.uri)) || ALARMING.test(decoded(body))) tags.add("lookalike");
  if (NON_ASCII.test(draft.uri) || ENCODED_UTF8.test(draft.uri) || NON_ASCII.test(body) || ENCODED_UTF8.test(body)) {
    tags.add("i18n");
  }
  if (tags.has("code")) tags.add("lookalike");
  return {
    id,
    method: draft.method,
    uri: draft.uri,
    headers: draft.headers,
    body: draft.body,
    tags: TAGS.filter((tag) => tags.has(tag)),
  };
}
