/**
 * What pages report back about themselves: error-monitoring envelopes tunnelled through
 * the app (stack traces, source context lines), CSP violation reports (policies full of
 * quotes and semicolons, script samples), and RUM beacons sent with sendBeacon.
 */
import { fetchHeaders } from "../clients";
import type { Random } from "../random";
import type { Draft } from "../request";
import { SITES, origin } from "../sites";
import { EPOCH_SECONDS, isoTime, unixSeconds, uuid } from "../tokens";
import { draft, visitor } from "../visitor";

const ERRORS: readonly (readonly [string, string, string])[] = [
  ["TypeError", "Cannot read properties of undefined (reading 'map')", "  return orders.map((o) => <OrderRow key={o.id} order={o} />);"],
  ["TypeError", "undefined is not an object (evaluating 'e.price.amount')", "const total = items.reduce((sum, e) => sum + e.price.amount, 0);"],
  ["ReferenceError", "gtag is not defined", "gtag('event', 'purchase', { value: total, currency: 'USD' });"],
  ["SyntaxError", "Unexpected token '<', \"<!DOCTYPE \"... is not valid JSON", "const data = await res.json();"],
  ["Error", "Request failed with status code 502", "throw new Error(`Request failed with status code ${res.status}`);"],
  ["ChunkLoadError", "Loading chunk 742 failed.", "if (a < b && !cancelled) { setState(next); }"],
];

/** A Sentry envelope posted to the app's own tunnel route (newline-delimited JSON). */
export function errorEnvelope(r: Random): Draft {
  const v = visitor(r, 0.5);
  const site = r.pick([SITES.shop, SITES.saas]);
  const [type, message, contextLine] = r.pick(ERRORS);
  const eventId = r.hex(32);
  const page = `${origin(site.host)}/${r.pick(["account/orders?page=2", "checkout?step=payment", "app/projects/42/board?view=kanban", "search?q=rain+boots"])}`;
  const bundle = `${origin(site.host)}/assets/index-${r.base64url(8)}.js`;
  const header = { event_id: eventId, sent_at: isoTime(unixSeconds(r)), sdk: { name: "sentry.javascript.react", version: r.pick(["8.38.0", "8.40.0"]) }, dsn: `https://${r.hex(32)}@o${r.int(100000, 999999)}.ingest.sentry.io/${r.int(1000000, 9999999)}` };
  const event = {
    exception: {
      values: [{
        type,
        value: message,
        stacktrace: {
          frames: [
            { filename: bundle, function: "commitRoot", lineno: 1, colno: r.int(1000, 90000), in_app: true },
            { filename: bundle, function: r.pick(["OrderList", "CheckoutForm", "Board"]), lineno: r.int(10, 400), colno: r.int(1, 80), in_app: true, pre_context: ["  useEffect(() => {", "    if (!ready) return;"], context_line: contextLine, post_context: ["  }, [ready]);"] },
          ],
        },
        mechanism: { type: "onunhandledrejection", handled: false },
      }],
    },
    level: "error",
    platform: "javascript",
    timestamp: EPOCH_SECONDS + r.int(0, 86400) + r.int(0, 999) / 1000,
    environment: "production",
    release: `web@${r.hex(7)}`,
    request: { url: page, headers: { "User-Agent": v.browser.userAgent, Referer: `${origin(site.host)}/` } },
    user: v.loggedIn ? { id: v.userId, ip_address: "{{auto}}" } : { ip_address: "{{auto}}" },
    breadcrumbs: [
      { timestamp: EPOCH_SECONDS + r.int(0, 86400), category: "ui.click", message: r.pick(["button.btn-primary > span", "div#checkout > form > button[type=\"submit\"]", "a.nav-link[href=\"/account\"]"]) },
      { timestamp: EPOCH_SECONDS + r.int(0, 86400), category: "fetch", data: { method: "GET", url: "/v1/orders?status=shipped&limit=20", status_code: r.pick([200, 502]) } },
    ],
  };
  const text = `${JSON.stringify(header)}\n${JSON.stringify({ type: "event" })}\n${JSON.stringify(event)}\n`;
  const headers = fetchHeaders(r, v.browser, { host: site.host, locale: v.locale, cookie: v.cookie, referer: page, method: "POST", origin: origin(site.host), site: "same-origin", accept: "*/*", body: { contentType: "text/plain;charset=UTF-8", text } });
  const d = draft("POST", `/monitoring?o=${r.int(100000, 999999)}&p=${r.int(1000000, 9999999)}`, headers, text, "telemetry");
  return d;
}

const POLICY = "default-src 'self'; script-src 'self' 'nonce-{NONCE}' https://js.stripe.com https://www.googletagmanager.com; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self' https://api.example.com; frame-ancestors 'none'; report-uri /csp-report";

export function cspReport(r: Random): Draft {
  const v = visitor(r, 0.3);
  const site = r.pick([SITES.shop, SITES.saas, SITES.blog]);
  const page = `${origin(site.host)}/${r.pick(["checkout", "", "account/settings", "2025/11/croissants-at-home/"])}`;
  const [directive, blocked, sample] = r.pick([
    ["script-src-elem", "https://connect.facebook.net/en_US/fbevents.js", ""],
    ["script-src-elem", "inline", "window.dataLayer = window.dataLayer || [];"],
    ["img-src", "http://cdn.example.net/pixel.gif", ""],
    ["style-src-attr", "inline", "display:none"],
    ["connect-src", "wss://realtime.example.net/socket", ""],
    ["script-src-elem", "chrome-extension", ""],
    ["script-src-attr", "inline", "return false;"],
  ] as const);
  const policy = POLICY.replace("{NONCE}", r.base64url(22));
  const legacy = r.chance(0.6);
  const body = legacy
    ? { "csp-report": { "document-uri": page, referrer: "", "violated-directive": directive, "effective-directive": directive, "original-policy": policy, disposition: "enforce", "blocked-uri": blocked, "line-number": r.int(1, 400), "source-file": page, "status-code": 200, "script-sample": sample } }
    : [{ age: r.int(0, 60000), body: { blockedURL: blocked, disposition: "enforce", documentURL: page, effectiveDirective: directive, originalPolicy: policy, referrer: "", sample, statusCode: 200 }, type: "csp-violation", url: page, user_agent: v.browser.userAgent }];
  const text = JSON.stringify(body);
  const headers = fetchHeaders(r, v.browser, { host: site.host, locale: v.locale, cookie: null, referer: undefined, method: "POST", origin: origin(site.host), site: "same-origin", accept: "*/*", body: { contentType: legacy ? "application/csp-report" : "application/reports+json", text } });
  const d = draft("POST", legacy ? "/csp-report" : "/reports", headers, text, "telemetry", "json");
  return d;
}

/** navigator.sendBeacon with Web Vitals, as RUM scripts send on page hide. */
export function vitalsBeacon(r: Random): Draft {
  const v = visitor(r, 0.3);
  const site = r.pick([SITES.shop, SITES.blog, SITES.docs]);
  const path = r.pick(["/", "/search?q=rain+boots&page=2", "/p/yoga-mat-6mm-4821", "/docs/guides/webhooks"]);
  const body = {
    id: `v4-${EPOCH_SECONDS}${r.digits(3)}-${r.digits(13)}`,
    page: path,
    href: `${origin(site.host)}${path}`,
    event_name: r.pick(["LCP", "CLS", "INP", "FCP", "TTFB"]),
    value: r.pick([r.int(80, 4000), Math.round(r.next() * 250) / 1000]),
    rating: r.pick(["good", "needs-improvement", "poor"]),
    navigationType: r.pick(["navigate", "reload", "back-forward"]),
    attribution: { element: r.pick(["#hero > img", "main > h1.title", "div.product-grid > a:nth-child(3)"]), loadState: "complete" },
    speed: r.pick(["4g", "3g"]),
    session: uuid(r),
  };
  const text = JSON.stringify(body);
  const headers = fetchHeaders(r, v.browser, { host: site.host, locale: v.locale, cookie: v.cookie, referer: `${origin(site.host)}${path}`, method: "POST", origin: origin(site.host), site: "same-origin", accept: "*/*", body: { contentType: "text/plain;charset=UTF-8", text } });
  return draft("POST", r.pick(["/_vercel/insights/vitals", "/rum", "/api/vitals"]), headers, text, "telemetry", "json");
}
