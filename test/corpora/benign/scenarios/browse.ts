/**
 * Page navigations: searches, filtered listings, product and article pages, campaign
 * landings with UTM and click ids, account pages with redirect parameters, app views with
 * filter syntax, and crawlers. Query strings are encoded as an HTML GET form would.
 */
import { crawlerHeaders, fetchHeaders, navigationHeaders, type FetchSite } from "../clients";
import { base64url, target, type Pairs } from "../encoding";
import type { Random } from "../random";
import type { Draft } from "../request";
import { SITES, origin, type Site } from "../sites";
import { csrfToken, isoDate, uuid } from "../tokens";
import {
  ARTICLE_SLUGS, CATEGORIES, COLORS, CURRENCIES, PRODUCTS, SEARCH_PHRASES, SIZES, WORDS,
  emailFor, slugify, username,
} from "../vocabulary";
import { draft, tagIfAlarming, visitor, type Visitor } from "../visitor";

function navigate(r: Random, v: Visitor, site: Site, uri: string, referer: string | undefined, fetchSite: FetchSite): Draft {
  const headers = navigationHeaders(r, v.browser, { host: site.host, locale: v.locale, cookie: v.cookie, referer, site: fetchSite });
  return draft("GET", uri, headers, null, "browse");
}

function internalReferer(r: Random, site: Site): string {
  return r.pick([`${origin(site.host)}/`, `${origin(site.host)}/search?q=${r.pick(WORDS)}`, `${origin(site.host)}/account`, `${origin(site.host)}/c/${r.pick(CATEGORIES)}`]);
}

const SEARCH_ENGINES = ["https://www.google.com/", "https://www.bing.com/", "https://duckduckgo.com/", "https://www.ecosia.org/", "https://search.brave.com/"];

function utm(r: Random): [string, string][] {
  const source = r.pick(["newsletter", "google", "facebook", "instagram", "tiktok", "twitter", "linkedin", "partner_blog", "email"]);
  const pairs: [string, string][] = [
    ["utm_source", source],
    ["utm_medium", r.pick(["email", "cpc", "social", "paid_social", "referral", "affiliate"])],
    ["utm_campaign", r.pick(["black_friday_2025", "winter-sale", "spring_launch", "welcome-series-3", "Holiday Gift Guide", "retargeting_q4", "brand|search|exact"])],
  ];
  if (r.chance(0.5)) pairs.push(["utm_content", r.pick(["hero_cta", "footer-link", "carousel_2", "text link", "video-15s"])]);
  if (r.chance(0.3)) pairs.push(["utm_term", r.pick(SEARCH_PHRASES)]);
  if (source === "google" && r.chance(0.7)) pairs.push(["gclid", `Cj0KCQiA${r.base64url(80)}_BwE`]);
  if ((source === "facebook" || source === "instagram") && r.chance(0.7)) pairs.push(["fbclid", `IwZXh0bgNhZW0CMTAAAR${r.base64url(60)}_aem_${r.base64url(22)}`]);
  if (source === "email" && r.chance(0.5)) pairs.push(["mc_cid", r.hex(10)], ["mc_eid", r.hex(10)]);
  if (r.chance(0.1)) pairs.push(["_kx", `${r.base64url(20)}.${r.alnum(6)}`]);
  return pairs;
}

export function shopSearch(r: Random): Draft {
  const v = visitor(r);
  const site = SITES.shop;
  const phrase = r.pick(SEARCH_PHRASES);
  const pairs: [string, string][] = [["q", phrase]];
  if (r.chance(0.4)) pairs.push(["page", String(r.int(2, 12))]);
  if (r.chance(0.3)) pairs.push(["sort", r.pick(["relevance", "price_asc", "price_desc", "newest", "rating"])]);
  if (r.chance(0.2)) pairs.push(["category", r.pick(CATEGORIES)]);
  if (r.chance(0.1)) pairs.push(["lang", v.locale]);
  const d = navigate(r, v, site, target("/search", pairs), internalReferer(r, site), "same-origin");
  tagIfAlarming(d.tags, phrase);
  return d;
}

export function shopCategory(r: Random): Draft {
  const v = visitor(r);
  const site = SITES.shop;
  const category = r.pick(CATEGORIES);
  const pairs: [string, string][] = [];
  if (r.chance(0.6)) pairs.push(["color", r.pick(COLORS)]);
  if (r.chance(0.5)) pairs.push(["size", r.pick(SIZES)]);
  if (r.chance(0.3)) pairs.push(["size", r.pick(SIZES)]);
  if (r.chance(0.4)) pairs.push(["price_min", String(r.int(0, 5) * 10)], ["price_max", String(r.int(6, 50) * 10)]);
  if (r.chance(0.3)) pairs.push(["brand", r.pick(["Levi's", "O'Neill", "Patagonia", "The North Face", "Dr. Martens", "Ben & Jerry's", "Marks & Spencer"])]);
  if (r.chance(0.4)) pairs.push(["page", String(r.int(2, 20))]);
  if (r.chance(0.3)) pairs.push(["sort", r.pick(["price-asc", "price-desc", "newest", "best-selling"])]);
  if (r.chance(0.15)) pairs.push(["in_stock", "1"], ["currency", r.pick(CURRENCIES)]);
  const path = r.chance(0.3) ? `/c/${category}/${r.pick(["men", "women", "kids", "sale"])}` : `/c/${category}`;
  return navigate(r, v, site, target(path, pairs), internalReferer(r, site), r.pick(["same-origin", "same-origin", "cross-site"] as const));
}

export function productPage(r: Random): Draft {
  const v = visitor(r);
  const site = SITES.shop;
  const product = r.pick(PRODUCTS);
  const pairs: [string, string][] = [];
  if (r.chance(0.4)) pairs.push(["variant", String(r.int(10000000, 99999999))]);
  if (r.chance(0.3)) pairs.push(["ref", r.pick(["homepage", "search", "recommendations", "recently_viewed", "email"])], ["sr", `1-${r.int(1, 48)}`]);
  if (r.chance(0.25)) pairs.push(...utm(r));
  if (r.chance(0.1)) pairs.push(["color", r.pick(COLORS)], ["size", r.pick(SIZES)]);
  const fromSearch = r.chance(0.3);
  const referer = fromSearch ? r.pick(SEARCH_ENGINES) : internalReferer(r, site);
  return navigate(r, v, site, target(`/p/${product.slug}-${r.int(1000, 99999)}`, pairs), referer, fromSearch ? "cross-site" : "same-origin");
}

export function campaignLanding(r: Random): Draft {
  const v = visitor(r, 0.15);
  const site = r.pick([SITES.shop, SITES.saas, SITES.blog, SITES.travel]);
  const path = r.pick(["/", "/sale", "/pricing", "/lp/winter-2025", "/features", `/collections/${r.pick(CATEGORIES)}`, "/signup"]);
  const referer = r.pick([...SEARCH_ENGINES, "https://l.facebook.com/", "https://t.co/", "https://www.instagram.com/", "https://www.linkedin.com/", undefined]);
  return navigate(r, v, site, target(path, utm(r)), referer, referer === undefined ? "none" : "cross-site");
}

export function accountPage(r: Random): Draft {
  const v = visitor(r, 0.8);
  const site = r.pick([SITES.shop, SITES.saas, SITES.travel]);
  const choice = r.int(0, 8);
  let uri: string;
  switch (choice) {
    case 0:
      uri = target("/login", [["next", r.pick(["/account", "/account/orders", "/checkout?step=2", "/settings/billing?plan=pro", "/app/projects/42/board"])]]);
      break;
    case 1:
      uri = target("/login", [["redirect_to", `${origin(site.host)}/${r.pick(["dashboard", "orders", "settings/profile"])}`], ["reason", r.pick(["session_expired", "logged_out"])]]);
      break;
    case 2:
      uri = target("/account/orders", [["page", String(r.int(1, 9))], ["status", r.pick(["all", "shipped", "delivered", "returned"])]]);
      break;
    case 3:
      uri = target("/cart", r.chance(0.5) ? [["coupon", r.pick(["SAVE20", "WELCOME10", "BF-2025", "FREESHIP"])]] : []);
      break;
    case 4:
      uri = target("/checkout", [["step", r.pick(["shipping", "payment", "review"])], ["cart", uuid(r)]]);
      break;
    case 5:
      uri = target("/account/settings", [["tab", r.pick(["profile", "security", "notifications", "privacy"])]]);
      break;
    case 6:
      uri = target("/orders/confirmation", [["order_id", `${r.int(1000, 9999)}-${r.int(1000, 9999)}`], ["payment_intent", `pi_${r.alnum(24)}`], ["payment_intent_client_secret", `pi_${r.alnum(24)}_secret_${r.alnum(25)}`], ["redirect_status", "succeeded"]]);
      break;
    case 7:
      uri = target("/logout", [["return_to", r.pick(["/", "https://www.example.com/goodbye"])]]);
      break;
    default:
      uri = target("/account/addresses/edit", [["id", String(r.int(1, 300))], ["back", "/checkout?step=shipping"]]);
  }
  return navigate(r, v, site, uri, internalReferer(r, site), "same-origin");
}

export function blogPage(r: Random): Draft {
  const v = visitor(r, 0.1);
  const site = SITES.blog;
  const slug = r.pick(ARTICLE_SLUGS);
  const choice = r.int(0, 7);
  let uri: string;
  const tags = new Set<string>();
  switch (choice) {
    case 0:
    case 1:
      uri = target(`/${r.int(2019, 2025)}/${String(r.int(1, 12)).padStart(2, "0")}/${slug}/`, r.chance(0.4) ? utm(r) : []);
      tags.add(slug);
      break;
    case 2:
      uri = `/tag/${r.pick(["javascript", "postgres", "sql", "devops", "recipes", "travel", "c-sharp", "node-js"])}/page/${r.int(2, 9)}/`;
      break;
    case 3: {
      const s = r.pick(SEARCH_PHRASES);
      tags.add(s);
      uri = target("/", [["s", s]]);
      break;
    }
    case 4:
      uri = target("/", [["p", String(r.int(100, 9999))], ...(r.chance(0.3) ? [["preview", "true"] as [string, string]] : [])]);
      break;
    case 5:
      uri = `/author/${slugify(r.pick(["Sean O'Brien", "Marco D'Angelo", "Zoë Müller", "Priya Sharma", "José García"]))}/`;
      break;
    case 6:
      uri = target(`/${slug}/`, [["amp", "1"]]);
      tags.add(slug);
      break;
    default:
      uri = target(`/${slug}/`, [["replytocom", String(r.int(1000, 99999))]]);
      tags.add(slug);
  }
  const referer = r.pick([...SEARCH_ENGINES, `${origin(site.host)}/`, "https://news.ycombinator.com/", "https://www.reddit.com/", undefined]);
  const d = navigate(r, v, site, uri, referer, referer === undefined ? "none" : referer.includes(site.host) ? "same-origin" : "cross-site");
  tagIfAlarming(d.tags, ...[...tags].map((t) => t.replace(/-/g, " ")));
  return d;
}

export function forumPage(r: Random): Draft {
  const v = visitor(r, 0.5);
  const site = SITES.forum;
  const choice = r.int(0, 4);
  let uri: string;
  let words = "";
  switch (choice) {
    case 0:
      words = r.pick(["how to join two tables", "select distinct postgres", "union all vs union", "bash script loop over files", "drop column if exists", "update where in subquery", "css order property", "exec format error docker"]);
      uri = target("/search", [["q", words], ...(r.chance(0.4) ? [["expanded", "true"] as [string, string]] : [])]);
      break;
    case 1: {
      const slug = r.pick(["reverse-proxy-drops-headers", "build-slow-after-upgrade", "403-on-v2-orders", "how-to-paginate-results", "best-way-to-join-two-tables", "help-with-a-bash-script"]);
      words = slug.replace(/-/g, " ");
      uri = target(`/t/${slug}/${r.int(1000, 60000)}`, r.chance(0.5) ? [["page", String(r.int(2, 6))]] : []);
      break;
    }
    case 2:
      uri = `/u/${encodeURIComponent(username(r, v.person))}/activity`;
      break;
    case 3:
      uri = target("/latest", [["order", r.pick(["activity", "views", "posts"])], ["ascending", "false"]]);
      break;
    default:
      uri = target("/c/help/5", [["tags", r.pick(["postgresql", "docker", "nodejs", "nginx"])], ["status", "unsolved"]]);
  }
  const d = navigate(r, v, site, uri, `${origin(site.host)}/latest`, "same-origin");
  tagIfAlarming(d.tags, words);
  return d;
}

export function appPage(r: Random): Draft {
  const v = visitor(r, 1);
  const site = SITES.saas;
  const choice = r.int(0, 7);
  const project = r.int(1, 5000);
  let uri: string;
  switch (choice) {
    case 0:
      uri = target(`/app/projects/${project}/board`, [["view", r.pick(["kanban", "list", "timeline"])], ["filter", r.pick(["assignee:me", "label:bug status:open", "due<2025-12-31", "priority:high OR priority:urgent"])]]);
      break;
    case 1:
      uri = target("/settings/billing", [["plan", r.pick(["starter", "pro", "business"])], ["interval", r.pick(["monthly", "annual"])]]);
      break;
    case 2:
      uri = target("/invite/accept", [["token", r.base64url(43)], ["email", emailFor(r, v.person)]]);
      break;
    case 3:
      uri = target("/reset-password", [["token", r.hex(64)], ["email", emailFor(r, v.person)]]);
      break;
    case 4:
      uri = target("/unsubscribe", [["email", emailFor(r, v.person)], ["list", r.pick(["weekly-digest", "product-updates", "all"])], ["sig", base64url(r.bytes(32))]]);
      break;
    case 5:
      uri = target("/reports", [["from", isoDate(r, -90, -30)], ["to", isoDate(r, -29, 0)], ["group_by", r.pick(["day", "week", "month"])], ["metrics", "revenue,orders,aov"], ["tz", r.pick(["America/New_York", "Europe/Paris", "Asia/Tokyo", "UTC"])]]);
      break;
    case 6:
      // Ransack-style admin filter, as Rails apps submit it.
      uri = target("/admin/orders", [["q[status_eq]", r.pick(["paid", "refunded", "pending"])], ["q[email_cont]", r.pick(["@gmail.com", "obrien", "d'angelo"])], ["q[s]", "created_at desc"], ["commit", "Search"]]);
      break;
    default:
      uri = target(`/app/projects/${project}/tasks/${r.int(1, 90000)}`, [["tab", r.pick(["comments", "activity", "files"])]]);
  }
  const d = navigate(r, v, site, uri, `${origin(site.host)}/app`, "same-origin");
  if (choice === 0 && /OR|%3C/.test(uri)) d.tags.add("lookalike");
  return d;
}

export function travelSearch(r: Random): Draft {
  const v = visitor(r, 0.3);
  const site = SITES.travel;
  const pairs: Pairs = r.chance(0.5)
    ? [
        ["city", r.pick(["São Paulo", "Zürich", "Kraków", "New York, NY", "Coeur d'Alene", "東京", "Ciudad de México", "Montréal", "Cairo"])],
        ["checkin", isoDate(r, 5, 40)],
        ["checkout", isoDate(r, 41, 60)],
        ["guests", String(r.int(1, 4))],
        ["rooms", String(r.int(1, 2))],
        ["currency", r.pick(CURRENCIES)],
      ]
    : [
        ["from", r.pick(["JFK", "LHR", "CDG", "SFO", "NRT", "GRU", "ZRH"])],
        ["to", r.pick(["LAX", "BCN", "HND", "KRK", "MEX", "YUL", "CAI"])],
        ["date", isoDate(r, 10, 120)],
        ["return", isoDate(r, 121, 140)],
        ["adults", String(r.int(1, 3))],
        ["children", String(r.int(0, 2))],
        ["cabin", r.pick(["economy", "premium_economy", "business"])],
      ];
  const path = pairs[0]![0] === "city" ? "/hotels" : "/flights";
  return navigate(r, v, site, target(path, pairs, r.chance(0.3) ? "component" : "form"), `${origin(site.host)}/`, "same-origin");
}

export function docsPage(r: Random): Draft {
  const v = visitor(r, 0.2);
  const site = SITES.docs;
  const choice = r.int(0, 3);
  let uri: string;
  let words = "";
  switch (choice) {
    case 0:
      uri = target(`/docs/${r.pick(["getting-started", "guides", "api-reference", "sdks"])}/${r.pick(["authentication", "pagination", "webhooks", "errors", "rate-limits", "idempotency"])}`, r.chance(0.5) ? [["lang", r.pick(["curl", "python", "node", "go", "ruby"])]] : []);
      break;
    case 1:
      words = r.pick(["webhook signature", "delete customer", "update subscription", "list orders by date", "select fields", "expand[]=customer", "idempotency key", "rate limit 429"]);
      uri = target("/search", [["q", words], ["version", r.pick(["v1", "v2"])]]);
      break;
    case 2:
      uri = target("/changelog", [["page", String(r.int(1, 8))]]);
      break;
    default:
      uri = target("/docs/api-reference/orders", [["tab", "request"], ["example", r.pick(["create", "update", "delete"])]]);
  }
  const d = navigate(r, v, site, uri, r.pick(["https://www.google.com/", `${origin(site.host)}/docs`]), "same-origin");
  tagIfAlarming(d.tags, words);
  return d;
}

export function helpCenter(r: Random): Draft {
  const v = visitor(r, 0.3);
  const site = SITES.help;
  const words = r.pick(["reset password", "cancel subscription", "refund", "where's my order", "delete my account", "change email", "invoice VAT", "select a plan", "drop-down not working"]);
  const uri = r.chance(0.5)
    ? target("/hc/search", [["utf8", "✓"], ["query", words]])
    : target(`/hc/${v.locale.toLowerCase()}/articles/${r.int(360000000000, 369999999999)}-${slugify(words)}`, []);
  const d = navigate(r, v, site, uri, `${origin(site.host)}/hc/${v.locale.toLowerCase()}`, "same-origin");
  tagIfAlarming(d.tags, words);
  return d;
}

export function outboundRedirect(r: Random): Draft {
  const v = visitor(r, 0.2);
  const site = r.pick([SITES.blog, SITES.shop, SITES.forum]);
  const destination = r.pick([
    "https://partner.example.net/offer?id=42&ref=blog",
    "https://www.amazon.com/dp/B0C1234567?tag=exampleblog-20",
    "https://github.com/example/project/releases/tag/v2.4.0",
    "https://maps.google.com/?q=Union+Station,+Chicago",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
  ]);
  const uri = r.pick([
    target("/out", [["url", destination]]),
    target("/r", [["u", destination], ["src", r.pick(["sidebar", "newsletter", "post"])]]),
    `/l/${r.alnum(7)}`,
    target("/redirect", [["to", destination], ["sig", r.hex(16)]]),
  ]);
  return navigate(r, v, site, uri, `${origin(site.host)}/`, "same-origin");
}

export function crawlerVisit(r: Random): Draft {
  const crawler = r.pick(["googlebot", "googlebot", "bingbot", "applebot", "facebook", "slackbot-link"] as const);
  const site = r.pick([SITES.shop, SITES.blog, SITES.docs]);
  const product = r.pick(PRODUCTS);
  const uri = site.kind === "shop" ? `/p/${product.slug}-${r.int(1000, 99999)}` : site.kind === "blog" ? `/2025/${String(r.int(1, 11)).padStart(2, "0")}/${r.pick(ARTICLE_SLUGS)}/` : `/docs/guides/${r.pick(["webhooks", "authentication", "errors"])}`;
  return draft("GET", uri, crawlerHeaders(r, crawler, site.host), null, "browse");
}

/** Rails/Django form-GET with a CSRF-free search form and a hidden utf8 field. */
export function legacyFormSearch(r: Random): Draft {
  const v = visitor(r, 0.3);
  const site = SITES.shop;
  const phrase = r.pick(SEARCH_PHRASES);
  const pairs: [string, string][] = [["utf8", "✓"], ["search[query]", phrase], ["search[category_id]", String(r.int(0, 40))]];
  if (r.chance(0.3)) pairs.push(["authenticity_token", csrfToken(r)]);
  pairs.push(["commit", "Search"]);
  const d = navigate(r, v, site, target("/products", pairs), `${origin(site.host)}/products`, "same-origin");
  tagIfAlarming(d.tags, phrase);
  return d;
}

/** Next.js App Router client navigation: `_rsc` cache-buster and the router state tree, percent-encoded JSON, in a header. */
export function nextRscNavigation(r: Random): Draft {
  const v = visitor(r, 0.4);
  const site = SITES.shop;
  const category = r.pick(CATEGORIES);
  const product = r.pick(PRODUCTS);
  const [path, tree] = r.chance(0.5)
    ? [`/c/${category}`, ["", { children: ["c", { children: [["category", category, "d"], { children: ["__PAGE__", {}] }] }] }, null, null, true]]
    : [`/p/${product.slug}`, ["", { children: ["p", { children: [["slug", product.slug, "d"], { children: ["__PAGE__", {}] }] }] }, null, null, true]];
  const headers = fetchHeaders(r, v.browser, {
    host: site.host,
    locale: v.locale,
    cookie: v.cookie,
    referer: `${origin(site.host)}/`,
    method: "GET",
    origin: origin(site.host),
    site: "same-origin",
    accept: "*/*",
    extra: [["rsc", "1"], ["next-router-state-tree", encodeURIComponent(JSON.stringify(tree))], ["next-url", path]],
  });
  return draft("GET", target(path, [["_rsc", r.lowerAlnum(5)]]), headers, null, "browse");
}
