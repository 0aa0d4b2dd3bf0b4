/**
 * REST/JSON API traffic: list endpoints with cursors and filter syntaxes, and writes with
 * bodies nested two to five levels deep (orders, profiles, tasks, analytics batches,
 * tickets, calendar events), plus the odd shapes real APIs accept (JSON Patch, DELETE
 * with a body, an empty POST, a data: URI avatar).
 */
import { apiCall, jsonBody, jsonBodyFrom } from "../api-call";
import { base64, base64url, target } from "../encoding";
import { freeText, title } from "../prose";
import type { Random } from "../random";
import type { Draft, Tag } from "../request";
import { SITES, origin } from "../sites";
import { EPOCH_SECONDS, isoTime, stripeId, unixSeconds, uuid, uuidV7 } from "../tokens";
import {
  COLORS, COMPANIES, CURRENCIES, PEOPLE, PRODUCTS, SEARCH_PHRASES, SIZES, WORDS,
  address, displayPrice, emailFor, fullName, phoneNumber, username,
} from "../vocabulary";
import { tagIfAlarming, visitor } from "../visitor";

export function listOrders(r: Random): Draft {
  const pairs: [string, string][] = [["limit", String(r.pick([10, 20, 25, 50, 100]))]];
  if (r.chance(0.5)) pairs.push(["status", r.pick(["pending", "paid", "shipped", "cancelled", "refunded"])]);
  if (r.chance(0.4)) pairs.push(["cursor", base64url(JSON.stringify({ id: r.int(1000, 99999), ts: unixSeconds(r) }))]);
  if (r.chance(0.4)) pairs.push(["sort", r.pick(["-created_at", "created_at", "-total", "updated_at"])]);
  if (r.chance(0.3)) pairs.push(["fields", "id,number,total,status,customer.email"]);
  if (r.chance(0.3)) pairs.push(["expand[]", "customer"], ["expand[]", "line_items"]);
  if (r.chance(0.3)) pairs.push(["created[gte]", String(unixSeconds(r) - 30 * 86400)], ["created[lt]", String(unixSeconds(r))]);
  if (r.chance(0.2)) pairs.push(["q", r.pick(["O'Brien", "d'angelo@example.com", "#1045", "gift card", "Müller"])]);
  return apiCall(r, { method: "GET", uri: target(r.pick(["/v1/orders", "/api/v1/orders", "/v2/orders"]), pairs, r.chance(0.5) ? "component" : "form") });
}

export function getResource(r: Random): Draft {
  const id = r.weighted([[String(r.int(1, 999999)), 3], [uuid(r), 2], [stripeId(r, "prod"), 1], [uuidV7(r), 1]] as const);
  const uri = r.pick([
    target(`/v2/products/${id}`, [["include", "variants,images,reviews"], ["currency", r.pick(CURRENCIES)]]),
    target(`/v1/users/${id}`, r.chance(0.5) ? [["fields", "id,name,email,avatar_url"]] : []),
    target(`/v1/projects/${id}/tasks`, [["assignee", "me"], ["status", "open,in_progress"], ["due_before", isoTime(unixSeconds(r)).slice(0, 10)]]),
    target(`/v1/invoices/${id}/pdf`, [["download", "1"]]),
    target("/v1/me", []),
    target("/v1/notifications", [["unread", "true"], ["since", isoTime(unixSeconds(r))]]),
    target("/v1/config", [["platform", r.pick(["ios", "android", "web"])], ["version", r.pick(["5.13.0", "5.12.1"])], ["locale", r.pick(["en_US", "fr_FR", "ja_JP"])]]),
  ]);
  return apiCall(r, { method: "GET", uri });
}

/** JSON:API listing: bracketed filter, include, sparse fieldsets, page objects. */
export function jsonApiListing(r: Random): Draft {
  const pairs: [string, string][] = [
    ["filter[status]", r.pick(["published", "draft", "archived"])],
    ["include", "author,comments.author"],
    ["fields[articles]", "title,body,created"],
    ["page[size]", String(r.pick([10, 25, 50]))],
    ["page[number]", String(r.int(1, 20))],
  ];
  if (r.chance(0.4)) pairs.push(["filter[title][operator]", "CONTAINS"], ["filter[title][value]", r.pick(["union", "select", "café", "O'Neill", "how to"])]);
  if (r.chance(0.3)) pairs.push(["sort", "-created,title"]);
  const d = apiCall(r, { method: "GET", uri: target("/jsonapi/node/article", pairs, "component"), accept: "application/vnd.api+json", site: SITES.blog });
  tagIfAlarming(d.tags, ...pairs.map(([, v]) => v));
  return d;
}

/** Strapi v4 REST filters: `$containsi`, `$gte`, `$in` operators in bracketed keys. */
export function strapiQuery(r: Random): Draft {
  const pairs: [string, string][] = [
    [`filters[${r.pick(["title", "name", "slug"])}][$containsi]`, r.pick(["shoes", "jacket", "café", "o'neill"])],
    ["filters[price][$gte]", String(r.int(0, 50))],
    ["filters[price][$lte]", String(r.int(60, 500))],
    ["populate", r.pick(["*", "images,category", "deep"])],
    ["pagination[page]", String(r.int(1, 10))],
    ["pagination[pageSize]", String(r.pick([12, 24, 48]))],
    ["sort[0]", r.pick(["price:asc", "createdAt:desc", "title:asc"])],
  ];
  if (r.chance(0.4)) pairs.push(["filters[category][slug][$in][0]", "shoes"], ["filters[category][slug][$in][1]", "boots"]);
  if (r.chance(0.3)) pairs.push(["locale", r.pick(["en", "fr", "de"])]);
  return apiCall(r, { method: "GET", uri: target("/api/products", pairs, "component"), site: SITES.shop, audience: "browser", tags: ["lookalike"] });
}

function lineItem(r: Random): Record<string, unknown> {
  const product = r.pick(PRODUCTS);
  return {
    sku: `${product.slug.slice(0, 8).toUpperCase()}-${r.upperAlnum(4)}`,
    name: product.name,
    quantity: r.int(1, 4),
    unit_price: { amount: Math.round(product.price * 100), currency: r.pick(CURRENCIES) },
    options: {
      ...(r.chance(0.6) ? { color: r.pick(COLORS), size: r.pick(SIZES) } : {}),
      ...(r.chance(0.15) ? { engraving: r.pick(["Happy Birthday, Sean O'Brien!", "To D'Angelo — love, Mom", "Love you 3000 <3", "#1 Dad", "Für Oma ❤️"]) } : {}),
      ...(r.chance(0.1) ? { gift_wrap: { enabled: true, message: r.pick(["Merry Christmas & Happy New Year!", "Congrats on the new job :)", "おめでとう！"]) } } : {}),
    },
  };
}

export function createOrder(r: Random): Draft {
  const v = visitor(r, 1);
  const shipping = address(r);
  const body = {
    customer: {
      id: v.userId,
      email: emailFor(r, v.person),
      name: fullName(v.person),
      phone: phoneNumber(r, v.person.locale),
      marketing_opt_in: r.chance(0.3),
    },
    shipping_address: {
      name: fullName(v.person),
      company: r.chance(0.2) ? r.pick(COMPANIES) : null,
      line1: shipping.line1,
      line2: shipping.line2 || null,
      city: shipping.city,
      region: shipping.region,
      postal_code: shipping.postalCode,
      country: shipping.country,
      instructions: r.chance(0.3) ? r.pick(["Leave at the back door; the front one's broken.", "Ring bell #2 -- don't knock, baby sleeping", "Gate code: 4821#", "Si no estoy, dejar con el portero.", "Call on arrival: " + phoneNumber(r, v.person.locale)]) : null,
    },
    billing_same_as_shipping: r.chance(0.8),
    items: Array.from({ length: r.int(1, 4) }, () => lineItem(r)),
    discount_codes: r.chance(0.3) ? [r.pick(["SAVE20", "WELCOME10", "BF-2025", "FRIENDS&FAMILY"])] : [],
    payment: {
      method: r.pick(["card", "paypal", "apple_pay", "klarna"]),
      token: r.pick([`tok_${r.alnum(24)}`, `pm_${r.alnum(24)}`, base64(r.bytes(32))]),
      save_for_later: r.chance(0.4),
    },
    metadata: {
      source: r.pick(["web", "ios", "android"]),
      cart_id: uuid(r),
      ab_tests: { checkout_v2: r.pick(["control", "variant_b"]), free_shipping_banner: r.chance(0.5) },
      note: r.chance(0.2) ? r.pick(["Please ship ASAP -- it's a birthday gift!", "Total should be $19.99 + tax, right?", "It's for my mother-in-law; no invoice in the box please."]) : undefined,
    },
  };
  return apiCall(r, { method: "POST", uri: r.pick(["/v1/orders", "/api/v1/checkout/orders", "/v2/orders"]), body: jsonBodyFrom(r, body), visitor: v, site: SITES.shop });
}

export function addToCart(r: Random): Draft {
  const v = visitor(r, 0.6);
  const cartId = uuid(r);
  const body = r.chance(0.5)
    ? lineItem(r)
    : { cart_id: cartId, items: [{ product_id: r.int(100, 99999), variant_id: r.int(100000, 999999), quantity: r.int(1, 3) }], currency: r.pick(CURRENCIES) };
  return apiCall(r, { method: "POST", uri: r.pick([`/v1/carts/${cartId}/items`, "/api/cart/add", "/cart/add.js"]), body: jsonBodyFrom(r, body), visitor: v, site: SITES.shop, audience: r.chance(0.7) ? "browser" : "mobile" });
}

export function updateProfile(r: Random): Draft {
  const v = visitor(r, 1);
  const tags = new Set<Tag>();
  const home = address(r);
  const body = {
    profile: {
      display_name: r.chance(0.7) ? fullName(v.person) : username(r, v.person),
      first_name: v.person.first,
      last_name: v.person.last,
      bio: freeText(r, tags, "bio", { sentences: [1, 2] }),
      website: r.chance(0.3) ? r.pick(["https://obrien.example.com", "https://github.com/dangelo", "https://www.linkedin.com/in/zoe-muller/"]) : "",
      pronouns: r.pick(["", "she/her", "he/him", "they/them"]),
      locale: v.locale,
      timezone: r.pick(["America/New_York", "Europe/Dublin", "Europe/Berlin", "Asia/Tokyo", "America/Sao_Paulo"]),
    },
    contact: { email: emailFor(r, v.person), phone: phoneNumber(r, v.person.locale), address: { street: home.line1, unit: home.line2, city: home.city, postcode: home.postalCode, country: home.country } },
    preferences: { newsletter: r.chance(0.4), theme: r.pick(["light", "dark", "system"]), notifications: { email: { mentions: true, digest: r.pick(["daily", "weekly", "never"]) }, push: { enabled: r.chance(0.6), quiet_hours: { from: "22:00", to: "07:00" } } } },
  };
  const d = apiCall(r, { method: r.pick(["PUT", "PATCH"]), uri: `/v1/users/${v.userId}/profile`, body: jsonBodyFrom(r, body), visitor: v });
  for (const tag of tags) d.tags.add(tag);
  return d;
}

export function updateTask(r: Random): Draft {
  const tags = new Set<Tag>();
  const people = r.sample(PEOPLE, 2);
  const useJsonPatch = r.chance(0.25);
  const body = useJsonPatch
    ? [
        { op: "replace", path: "/status", value: r.pick(["in_progress", "done", "blocked"]) },
        { op: "add", path: "/labels/-", value: r.pick(["bug", "frontend", "p1", "needs-review"]) },
        { op: "replace", path: "/description", value: freeText(r, tags, "task", { sentences: [1, 2] }) },
      ]
    : {
        task: {
          title: title(r, tags, "task"),
          description: freeText(r, tags, "task", { sentences: [1, 3], codeRate: 0.06, markdown: true }),
          status: r.pick(["todo", "in_progress", "in_review", "done"]),
          assignee_id: r.int(1, 5000),
          labels: r.sample(["bug", "feature", "frontend", "backend", "p1", "p2", "customer-request"], r.int(0, 3)),
          due_date: isoTime(unixSeconds(r) + r.int(1, 30) * 86400).slice(0, 10),
          estimate: { value: r.pick([0.5, 1, 2, 3, 5, 8]), unit: "points" },
          custom_fields: [
            { id: "cf_customer", value: r.pick(COMPANIES) },
            { id: "cf_reviewers", value: people.map((p) => fullName(p)) },
            { id: "cf_progress", value: `${r.int(0, 100)}%` },
          ],
        },
        notify: { watchers: true, mentioned: people.map((p) => `@${username(r, p)}`) },
      };
  const d = apiCall(r, {
    method: "PATCH",
    uri: `/v1/projects/${r.int(1, 5000)}/tasks/${r.int(1, 90000)}`,
    body: useJsonPatch ? jsonBody(body, "application/json-patch+json") : jsonBodyFrom(r, body),
    site: SITES.saas,
  });
  for (const tag of tags) d.tags.add(tag);
  return d;
}

export function deleteResource(r: Random): Draft {
  if (r.chance(0.25)) {
    const ids = Array.from({ length: r.int(2, 6) }, () => r.int(100, 99999));
    return apiCall(r, { method: "DELETE", uri: "/v1/notifications", body: jsonBodyFrom(r, { ids, reason: r.pick(["read", "dismissed"]) }) });
  }
  const uri = r.pick([
    `/v1/carts/${uuid(r)}/items/${r.int(1, 99999)}`,
    `/v1/tasks/${r.int(1, 90000)}`,
    `/v1/users/me/sessions/${uuid(r)}`,
    `/v1/webhooks/${stripeId(r, "we")}`,
    target(`/v1/files/${uuid(r)}`, [["permanent", "false"]]),
    `/v1/saved-searches/${r.int(1, 500)}`,
  ]);
  return apiCall(r, { method: "DELETE", uri });
}

/** Segment-style analytics batch: page URLs, referrers and the user agent inside JSON. */
export function analyticsBatch(r: Random): Draft {
  const v = visitor(r, 0.4);
  const site = r.pick([SITES.shop, SITES.saas, SITES.blog]);
  const product = r.pick(PRODUCTS);
  const search = r.chance(0.4) ? `?q=${encodeURIComponent(r.pick(SEARCH_PHRASES))}` : "";
  const context = {
    page: { path: "/search", referrer: r.pick(["https://www.google.com/", "", `${origin(site.host)}/`]), search, title: `Search results | Example`, url: `${origin(site.host)}/search${search}` },
    userAgent: v.browser.userAgent,
    locale: v.locale,
    library: { name: "analytics.js", version: "next-1.72.1" },
    campaign: r.chance(0.3) ? { source: "newsletter", medium: "email", name: "black_friday_2025" } : undefined,
  };
  const events = Array.from({ length: r.int(1, 5) }, (_, i) => ({
    type: r.pick(["track", "page", "identify"]),
    event: r.pick(["Product Viewed", "Product Added", "Checkout Started", "Search Submitted", "Signed Up"]),
    messageId: `ajs-next-${r.hex(32)}`,
    anonymousId: uuid(r),
    userId: v.loggedIn ? v.userId : null,
    timestamp: isoTime(EPOCH_SECONDS + r.int(0, 86400) + i),
    properties: { product_id: r.int(100, 9999), name: product.name, price: product.price, currency: "USD", position: r.int(1, 48), display_price: displayPrice(r, product.price), discount: `${r.pick([0, 10, 15, 20, 50])}%` },
    context,
  }));
  const d = apiCall(r, { method: "POST", uri: r.pick(["/v1/batch", "/v1/events", "/collect"]), body: jsonBody({ batch: events, sentAt: isoTime(EPOCH_SECONDS + 86400), writeKey: r.alnum(32) }, "text/plain"), site, audience: "browser", visitor: v });
  d.tags.add("json");
  return d;
}

export function postComment(r: Random): Draft {
  const tags = new Set<Tag>();
  const commenter = r.pick(PEOPLE);
  const body = {
    body: freeText(r, tags, "comment", { sentences: [1, 4], lookalikeRate: 0.1, codeRate: 0.05, markdown: true }),
    format: r.pick(["markdown", "plain"]),
    parent_id: r.chance(0.4) ? r.int(1, 999999) : null,
    mentions: r.chance(0.3) ? [`@${username(r, commenter)}`] : [],
    attachments: [],
  };
  const d = apiCall(r, { method: "POST", uri: `/v1/${r.pick(["posts", "articles", "issues", "tickets"])}/${r.int(1, 99999)}/comments`, body: jsonBodyFrom(r, body), site: r.pick([SITES.blog, SITES.saas, SITES.forum]) });
  for (const tag of tags) d.tags.add(tag);
  return d;
}

export function chatMessage(r: Random): Draft {
  const tags = new Set<Tag>();
  const body = {
    conversation_id: uuid(r),
    client_message_id: uuid(r),
    text: freeText(r, tags, "chat", { sentences: [1, 2], lookalikeRate: 0.1, codeRate: 0.03 }),
    reply_to: r.chance(0.2) ? uuid(r) : null,
    sent_at: isoTime(unixSeconds(r)),
  };
  const d = apiCall(r, { method: "POST", uri: `/v1/conversations/${body.conversation_id}/messages`, body: jsonBodyFrom(r, body), site: SITES.saas, audience: r.chance(0.5) ? "mobile" : "browser" });
  for (const tag of tags) d.tags.add(tag);
  return d;
}

/** A chat-completion style call from an app's AI assistant feature (ordinary prompts). */
export function assistantChat(r: Random): Draft {
  const prompt = r.pick([
    "Summarize this support ticket in two sentences: customer was charged twice ($49.00) and wants a refund.",
    "Translate to French: \"Your order has shipped and should arrive by Friday.\"",
    "Write a friendly reply to Sean O'Brien thanking him for his feedback.",
    "What's the difference between a UNION and a JOIN in SQL? Keep it short.",
    "Suggest 5 names for a coffee shop near Union Station.",
    "Draft release notes for v2.4.0: faster search, dark mode, bug fixes.",
    "Explain what this regex does: ^\\d{3}-\\d{4}$",
    "Convert 5'11\" to centimeters.",
  ]);
  const body = {
    model: r.pick(["assistant-small", "assistant-large"]),
    messages: [
      { role: "system", content: "You are a helpful assistant for Example's help center. Answer concisely." },
      ...(r.chance(0.4) ? [{ role: "user", content: "Hi!" }, { role: "assistant", content: "Hello! How can I help you today?" }] : []),
      { role: "user", content: prompt },
    ],
    temperature: r.pick([0, 0.2, 0.7]),
    max_tokens: r.pick([256, 512, 1024]),
    stream: r.chance(0.5),
  };
  const d = apiCall(r, { method: "POST", uri: "/v1/assistant/chat", body: jsonBodyFrom(r, body), site: SITES.help, accept: body.stream ? "text/event-stream" : "application/json" });
  tagIfAlarming(d.tags, prompt);
  return d;
}

export function updateSettings(r: Random): Draft {
  const body = {
    notifications: {
      email: { product_updates: r.chance(0.5), weekly_digest: r.chance(0.5), mentions: true },
      push: { enabled: r.chance(0.7), sound: r.pick(["default", "chime", "none"]) },
      sms: { enabled: false, number: null },
    },
    privacy: { profile_visibility: r.pick(["public", "team", "private"]), show_email: false, data_sharing: { analytics: r.chance(0.5), third_parties: false } },
    security: { two_factor: { enabled: r.chance(0.6), method: r.pick(["totp", "sms", "webauthn"]) }, session_timeout_minutes: r.pick([30, 60, 240, 1440]) },
    display: { locale: r.pick(["en-US", "fr-FR", "ja-JP"]), date_format: r.pick(["YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY"]), first_day_of_week: r.pick(["monday", "sunday"]) },
  };
  return apiCall(r, { method: "PUT", uri: r.pick(["/v1/settings", "/v1/users/me/settings", "/api/account/preferences"]), body: jsonBodyFrom(r, body) });
}

export function importContacts(r: Random): Draft {
  const contacts = r.sample(PEOPLE, r.int(2, 6)).map((person) => ({
    name: fullName(person),
    email: emailFor(r, person),
    phone: phoneNumber(r, person.locale),
    company: r.pick(COMPANIES),
    tags: r.sample(["customer", "lead", "vip", "newsletter", "event-2025"], r.int(0, 2)),
    notes: r.pick(["", "Met at the Zürich meetup", "Prefers email; don't call before 10am", "Referred by O'Brien & Co.", "Invoice address: 12 Main St; Apt 4B"]),
  }));
  const csv = r.chance(0.4) ? { raw_csv: ["name;email;note", ...contacts.map((c) => `"${c.name}";${c.email};"${c.notes.replace(/"/g, '""')}"`)].join("\n") } : {};
  return apiCall(r, { method: "POST", uri: "/v1/contacts/import", body: jsonBodyFrom(r, { source: r.pick(["csv", "gmail", "manual"]), dedupe: { by: "email", strategy: "merge" }, contacts, ...csv }), site: SITES.saas });
}

export function searchApi(r: Random): Draft {
  const phrase = r.pick(SEARCH_PHRASES);
  const body = {
    query: phrase,
    filters: {
      price: { gte: r.int(0, 50), lte: r.int(60, 500) },
      brand: r.sample(["Levi's", "O'Neill", "Patagonia", "Dr. Martens", "Marks & Spencer"], r.int(0, 2)),
      attributes: { color: r.sample(COLORS, r.int(0, 2)), size: r.sample(SIZES, r.int(0, 2)) },
      in_stock: true,
    },
    sort: [{ field: r.pick(["price", "rating", "created_at"]), order: r.pick(["asc", "desc"]) }],
    page: { size: r.pick([12, 24, 48]), number: r.int(1, 5) },
    facets: ["brand", "color", "size", "price"],
  };
  const d = apiCall(r, { method: "POST", uri: "/v1/search", body: jsonBodyFrom(r, body), site: SITES.shop });
  tagIfAlarming(d.tags, phrase);
  return d;
}

export function geocode(r: Random): Draft {
  const home = address(r);
  const query = [home.line1, home.line2, home.city, home.postalCode, home.country].filter((s) => s !== "").join(", ");
  return apiCall(r, { method: "GET", uri: target("/v1/geocode", [["address", query], ["language", r.pick(["en", "fr", "ja"])]], "component"), site: SITES.travel });
}

export function loginApi(r: Random): Draft {
  const v = visitor(r, 0);
  const symbols = "!@#$%&*?-_.";
  let password = `${r.pick(WORDS)}${r.pick(["-", "_", ".", ""])}${r.int(10, 9999)}${symbols[r.int(0, symbols.length - 1)]}${r.alnum(r.int(2, 8))}`;
  if (r.chance(0.05)) password = `it's-${r.alnum(6)}-${r.pick(["O'Brien", "rock'n'roll"])}`;
  const body = r.chance(0.7)
    ? { email: emailFor(r, v.person), password, remember_me: r.chance(0.5), device: { name: r.pick(["iPhone 15", "Pixel 8", "Chrome on Windows"]), fingerprint: r.hex(32) } }
    : { grant_type: "refresh_token", refresh_token: `${r.base64url(64)}`, client_id: r.alnum(24) };
  return apiCall(r, { method: "POST", uri: r.pick(["/v1/auth/login", "/v1/auth/token", "/api/sessions"]), body: jsonBodyFrom(r, body), visitor: v, audience: r.chance(0.5) ? "mobile" : "browser" });
}

export function emptyPost(r: Random): Draft {
  const d = apiCall(r, { method: "POST", uri: r.pick(["/v1/auth/logout", `/v1/notifications/${r.int(1, 99999)}/read`, `/v1/tasks/${r.int(1, 9999)}/archive`, "/v1/heartbeat"]), body: { contentType: "application/json", text: "" } });
  d.tags.delete("json");
  return d;
}

export function createTicket(r: Random): Draft {
  const tags = new Set<Tag>();
  const v = visitor(r, 0.7);
  const body = {
    ticket: {
      subject: title(r, tags, "support"),
      comment: { body: freeText(r, tags, "support", { sentences: [2, 4], lookalikeRate: 0.12, codeRate: 0.08 }), public: true },
      priority: r.pick(["low", "normal", "high", "urgent"]),
      requester: { name: fullName(v.person), email: emailFor(r, v.person), locale_id: r.int(1, 1200) },
      tags: r.sample(["billing", "shipping", "bug", "android", "ios", "refund"], r.int(1, 3)),
      custom_fields: [
        { id: 360001234567, value: r.pick(["order_issue", "account_access", "feature_request"]) },
        { id: 360007654321, value: `${r.int(1000, 9999)}-${r.int(1000, 9999)}` },
      ],
      via: { channel: "web", source: { from: { name: fullName(v.person) }, rel: null } },
    },
  };
  const d = apiCall(r, { method: "POST", uri: "/api/v2/tickets", body: jsonBodyFrom(r, body), site: SITES.help, visitor: v });
  for (const tag of tags) d.tags.add(tag);
  return d;
}

export function calendarEvent(r: Random): Draft {
  const tags = new Set<Tag>();
  const start = unixSeconds(r) + r.int(1, 20) * 86400;
  const body = {
    event: {
      title: r.pick(["Weekly sync", "1:1 Sean / Marco", "Q&A with the CEO", "Lunch @ Café Müller", "Design review — checkout v2", "Union Station pickup"]),
      description: freeText(r, tags, "task", { sentences: [0, 2] }),
      start: { dateTime: isoTime(start, false), timeZone: "Europe/Dublin" },
      end: { dateTime: isoTime(start + 1800 * r.int(1, 4), false), timeZone: "Europe/Dublin" },
      recurrence: r.chance(0.4) ? [r.pick(["RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10", "RRULE:FREQ=MONTHLY;BYMONTHDAY=1", "RRULE:FREQ=DAILY;INTERVAL=2;UNTIL=20260131T000000Z"])] : [],
      attendees: r.sample(PEOPLE, r.int(1, 4)).map((p) => ({ email: emailFor(r, p), displayName: fullName(p), optional: r.chance(0.2) })),
      location: r.pick(["Room 3.14", "https://meet.example.com/abc-defg-hij", "Union Station, 610 S Canal St, Chicago", "Café de l'Horloge"]),
      reminders: { useDefault: false, overrides: [{ method: "popup", minutes: 10 }] },
    },
  };
  const d = apiCall(r, { method: "POST", uri: "/v1/calendars/primary/events", body: jsonBodyFrom(r, body), site: SITES.saas });
  for (const tag of tags) d.tags.add(tag);
  return d;
}

/** An avatar cropped in the browser and posted as a data: URI inside JSON. */
export function avatarDataUri(r: Random): Draft {
  const png = base64(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...r.bytes(r.int(120, 360))]));
  const d = apiCall(r, {
    method: "POST",
    uri: "/v1/users/me/avatar",
    body: jsonBodyFrom(r, { image: `data:image/png;base64,${png}`, crop: { x: r.int(0, 50), y: r.int(0, 50), width: 256, height: 256 } }),
    site: SITES.saas,
    audience: "browser",
    tags: ["upload", "lookalike"],
  });
  return d;
}

/** Search-as-you-type: short prefixes, often cut mid-word or mid-apostrophe. */
export function autocomplete(r: Random): Draft {
  const phrase = r.pick(SEARCH_PHRASES);
  const prefix = Array.from(phrase).slice(0, r.int(2, Math.max(2, Math.min(18, Array.from(phrase).length)))).join("");
  const pairs: [string, string][] = [["q", prefix], ["limit", String(r.pick([5, 8, 10]))]];
  if (r.chance(0.4)) pairs.push(["types", r.pick(["product,category", "query", "product,brand,article"])]);
  if (r.chance(0.3)) pairs.push(["session", r.alnum(16)]);
  const d = apiCall(r, { method: "GET", uri: target(r.pick(["/api/search/suggest", "/v1/autocomplete", "/search/suggest.json"]), pairs, r.chance(0.5) ? "component" : "form"), site: SITES.shop, audience: r.chance(0.8) ? "browser" : "mobile" });
  tagIfAlarming(d.tags, prefix);
  return d;
}
