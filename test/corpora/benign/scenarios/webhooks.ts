/**
 * Server-to-server callbacks shaped like the payloads of well-known providers (Stripe,
 * GitHub, Slack, Shopify, Twilio, SendGrid, Svix, PayPal IPN), each with its own user
 * agent and signature headers. Payloads carry customer names, addresses, commit messages
 * and chat text, so they exercise the same free-text cases as the browser traffic.
 */
import { canonicalCase, contentHeaders, type Body } from "../clients";
import { base64, encodePairs, formEncode } from "../encoding";
import { freeText } from "../prose";
import type { Random } from "../random";
import type { Draft, Header, Tag } from "../request";
import { EPOCH_SECONDS, githubSha, hmacHex, isoTime, stripeId, unixSeconds, uuid } from "../tokens";
import { COMPANIES, PEOPLE, PRODUCTS, address, emailFor, fullName, phoneNumber, username } from "../vocabulary";
import { draft } from "../visitor";

function json(value: unknown, contentType = "application/json"): Body {
  return { contentType, text: JSON.stringify(value) };
}

function webhook(method: string, uri: string, headers: Header[], body: Body, tags: Set<Tag>): Draft {
  const d = draft(method, uri, headers, body.text, "webhook");
  if (/json/.test(body.contentType)) d.tags.add("json");
  if (/urlencoded/.test(body.contentType)) d.tags.add("form");
  for (const tag of tags) d.tags.add(tag);
  return d;
}

export function stripeWebhook(r: Random): Draft {
  const person = r.pick(PEOPLE);
  const a = address(r);
  const created = unixSeconds(r);
  const amount = r.int(199, 49999);
  const type = r.pick(["payment_intent.succeeded", "checkout.session.completed", "customer.subscription.updated", "invoice.paid", "charge.refunded"]);
  const object = {
    id: type.startsWith("payment_intent") ? stripeId(r, "pi") : type.startsWith("checkout") ? `cs_live_${r.alnum(58)}` : type.startsWith("invoice") ? stripeId(r, "in") : type.startsWith("charge") ? stripeId(r, "ch") : stripeId(r, "sub"),
    object: { payment_intent: "payment_intent", checkout: "checkout.session", customer: "subscription", invoice: "invoice", charge: "charge" }[type.split(".")[0]!] ?? "event",
    amount,
    amount_received: amount,
    currency: r.pick(["usd", "eur", "gbp"]),
    customer: stripeId(r, "cus"),
    description: r.pick([`Order #${r.int(1000, 9999)} — ${fullName(person)}`, "Pro plan (annual)", `Subscription update: ${r.pick(["Starter → Pro", "Pro → Business"])}`]),
    billing_details: { name: fullName(person), email: emailFor(r, person), phone: phoneNumber(r, person.locale), address: { line1: a.line1, line2: a.line2 || null, city: a.city, state: a.region, postal_code: a.postalCode, country: a.country } },
    metadata: { order_id: String(r.int(10000, 99999)), customer_note: r.pick(["", "Gift for my sister's wedding!", "Please invoice to O'Reilly Media", "Company: Ben & Jerry's"]) },
    payment_method_types: ["card"],
    status: "succeeded",
  };
  const body = json({ id: `evt_${r.alnum(24)}`, object: "event", api_version: "2024-06-20", created, data: { object }, livemode: true, pending_webhooks: 1, request: { id: r.chance(0.5) ? `req_${r.alnum(14)}` : null, idempotency_key: r.chance(0.5) ? uuid(r) : null }, type }, "application/json; charset=utf-8");
  const headers: Header[] = [
    ["Host", "api.example.com"],
    ["User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"],
    ...contentHeaders(body, canonicalCase),
    ["Accept", "*/*; q=0.5, application/xml"],
    ["Cache-Control", "no-cache"],
    ["Stripe-Signature", `t=${created},v1=${hmacHex(r)}${r.chance(0.3) ? `,v0=${hmacHex(r)}` : ""}`],
    ["Accept-Encoding", "gzip"],
  ];
  return webhook("POST", r.pick(["/webhooks/stripe", "/api/stripe/webhook", "/v1/billing/webhook"]), headers, body, new Set());
}

function githubRepository(r: Random) {
  const owner = r.pick(["example", "acme-corp", "obrien-labs", "zoe-muller"]);
  const name = r.pick(["storefront", "api", "docs", "infra", "mobile-app"]);
  return { id: r.int(100000000, 899999999), node_id: `R_kgDO${r.base64url(8)}`, name, full_name: `${owner}/${name}`, private: r.chance(0.6), html_url: `https://github.com/${owner}/${name}`, default_branch: "main", owner: { login: owner, id: r.int(1000, 99999999), type: "Organization" } };
}

const COMMIT_MESSAGES = [
  "Fix typo in README", "Bump express from 4.19.2 to 4.21.1", "feat(checkout): add Apple Pay button",
  "fix: handle apostrophes in customer names (O'Brien)", "chore: update dependencies", "Merge pull request #482 from example/fix-date-picker",
  "refactor: extract OrderList component", "docs: explain webhook signature verification", "test: add cases for € and ¥ prices",
  "Revert \"Add union type for Status\"", "perf: select only needed columns in order query", "fix(sql): escape LIKE wildcards in search",
  "feat: drop support for Node 16", "ci: run tests on push && pull_request", "Update translations (fr, de, 日本語)",
];

export function githubWebhook(r: Random): Draft {
  const tags = new Set<Tag>();
  const event = r.weighted([["push", 4], ["pull_request", 2], ["issue_comment", 2], ["issues", 1], ["ping", 1]] as const);
  const repository = githubRepository(r);
  const sender = { login: username(r, r.pick(PEOPLE)).replace(/[^a-z0-9-]/gi, "-"), id: r.int(1000, 99999999), type: "User" };
  let payload: Record<string, unknown>;
  switch (event) {
    case "push": {
      const commits = Array.from({ length: r.int(1, 4) }, () => {
        const author = r.pick(PEOPLE);
        const message = r.pick(COMMIT_MESSAGES);
        if (/select|union|drop|sql|&&/i.test(message)) tags.add("lookalike");
        return { id: githubSha(r), tree_id: githubSha(r), message, timestamp: isoTime(unixSeconds(r), false).replace("Z", "+00:00"), author: { name: fullName(author), email: emailFor(r, author), username: username(r, author) }, added: [], removed: [], modified: r.sample(["src/index.ts", "README.md", "package.json", "src/checkout/ApplePay.tsx", "docs/webhooks.md"], r.int(1, 3)) };
      });
      payload = { ref: "refs/heads/main", before: githubSha(r), after: commits[commits.length - 1]!.id, repository, pusher: { name: sender.login, email: `${sender.id}+${sender.login}@users.noreply.github.com` }, sender, created: false, deleted: false, forced: false, compare: `${repository.html_url}/compare/${r.hex(12)}...${r.hex(12)}`, commits, head_commit: commits[commits.length - 1] };
      break;
    }
    case "pull_request":
      payload = { action: r.pick(["opened", "synchronize", "closed"]), number: r.int(1, 999), pull_request: { title: r.pick(COMMIT_MESSAGES), body: freeText(r, tags, "forum", { sentences: [1, 3], codeRate: 0.1, markdown: true }), state: "open", draft: r.chance(0.2), head: { ref: `feature/${r.pick(["apple-pay", "dark-mode", "fix-date-picker"])}`, sha: githubSha(r) }, base: { ref: "main", sha: githubSha(r) }, user: sender }, repository, sender };
      break;
    case "issue_comment":
    case "issues":
      payload = { action: r.pick(["created", "opened", "edited"]), issue: { number: r.int(1, 999), title: r.pick(["App crashes on Android 14", "Checkout fails for names with apostrophes", "Feature request: dark mode", "SELECT plan page shows wrong price"]), state: "open", labels: [{ name: r.pick(["bug", "enhancement", "question"]) }], user: sender }, ...(event === "issue_comment" ? { comment: { id: r.int(1000000000, 2999999999), body: freeText(r, tags, "forum", { sentences: [1, 3], lookalikeRate: 0.1, codeRate: 0.1, markdown: true }), user: sender } } : {}), repository, sender };
      break;
    case "ping":
      payload = { zen: r.pick(["Keep it logically awesome.", "Design for failure.", "Approachable is better than simple.", "Mind your words, they are important."]), hook_id: r.int(100000000, 599999999), hook: { type: "Repository", id: r.int(100000000, 599999999), active: true, events: ["push", "pull_request"], config: { content_type: "json", insecure_ssl: "0", url: "https://api.example.com/webhooks/github" } }, repository, sender };
      break;
  }
  const body = json(payload);
  const headers: Header[] = [
    ["Host", "api.example.com"],
    ["User-Agent", `GitHub-Hookshot/${r.hex(7)}`],
    ...contentHeaders(body, canonicalCase),
    ["Accept", "*/*"],
    ["X-GitHub-Delivery", uuid(r)],
    ["X-GitHub-Event", event],
    ["X-GitHub-Hook-ID", String(r.int(100000000, 599999999))],
    ["X-GitHub-Hook-Installation-Target-ID", String(repository.id)],
    ["X-GitHub-Hook-Installation-Target-Type", "repository"],
    ["X-Hub-Signature", `sha1=${r.hex(40)}`],
    ["X-Hub-Signature-256", `sha256=${hmacHex(r)}`],
  ];
  return webhook("POST", r.pick(["/webhooks/github", "/api/github/events", "/hooks/deploy"]), headers, body, tags);
}

function slackHeaders(r: Random, body: Body): Header[] {
  const ts = unixSeconds(r);
  return [
    ["Host", "api.example.com"],
    ["User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)"],
    ["Accept-Encoding", "gzip,deflate"],
    ["Accept", "application/json,*/*"],
    ["X-Slack-Signature", `v0=${hmacHex(r)}`],
    ["X-Slack-Request-Timestamp", String(ts)],
    ...contentHeaders(body, canonicalCase),
  ];
}

export function slackSlashCommand(r: Random): Draft {
  const tags = new Set<Tag>();
  const command = r.pick(["/deploy", "/standup", "/poll", "/lunch", "/ticket", "/remind"]);
  const text = command === "/deploy"
    ? r.pick(["storefront production", "api staging --branch=fix/date-picker", "docs v2.4.0"])
    : command === "/poll"
      ? r.pick(["\"Where's lunch?\" \"Union Station food hall\" \"Café Müller\" \"Pho 24\"", "\"Retro format?\" \"Start/Stop/Continue\" \"4Ls\""])
      : command === "/remind"
        ? r.pick(["me to review PR #482 in 2 hours", "#team \"Standup in 5 min!\" every weekday at 9:55am"])
        : freeText(r, tags, "chat", { sentences: [1, 2], lookalikeRate: 0.1 });
  const teamDomain = r.pick(["example", "acme-corp", "obrien-labs"]);
  const pairs: [string, string][] = [
    ["token", r.alnum(24)],
    ["team_id", `T${r.upperAlnum(8)}`],
    ["team_domain", teamDomain],
    ["channel_id", `C${r.upperAlnum(10)}`],
    ["channel_name", r.pick(["general", "dev", "random", "ops-alerts", "directmessage"])],
    ["user_id", `U${r.upperAlnum(10)}`],
    ["user_name", username(r, r.pick(PEOPLE)).replace(/[^a-z0-9._-]/gi, "")],
    ["command", command],
    ["text", text],
    ["api_app_id", `A${r.upperAlnum(10)}`],
    ["is_enterprise_install", "false"],
    ["response_url", `https://hooks.slack.com/commands/T${r.upperAlnum(8)}/${r.digits(13)}/${r.alnum(24)}`],
    ["trigger_id", `${r.digits(13)}.${r.digits(12)}.${r.hex(32)}`],
  ];
  const body = { contentType: "application/x-www-form-urlencoded", text: encodePairs(pairs, "form") };
  return webhook("POST", "/slack/commands", slackHeaders(r, body), body, tags);
}

export function slackEvent(r: Random): Draft {
  const tags = new Set<Tag>();
  const text = freeText(r, tags, "chat", { sentences: [1, 2], lookalikeRate: 0.1, codeRate: 0.04 });
  const payload = {
    token: r.alnum(24),
    team_id: `T${r.upperAlnum(8)}`,
    api_app_id: `A${r.upperAlnum(10)}`,
    event: {
      type: "message",
      channel: `C${r.upperAlnum(10)}`,
      user: `U${r.upperAlnum(10)}`,
      text,
      ts: `${unixSeconds(r)}.${r.digits(6)}`,
      blocks: [{ type: "rich_text", block_id: r.alnum(5), elements: [{ type: "rich_text_section", elements: [{ type: "text", text }] }] }],
      channel_type: r.pick(["channel", "im", "group"]),
    },
    type: "event_callback",
    event_id: `Ev${r.upperAlnum(10)}`,
    event_time: unixSeconds(r),
    authorizations: [{ enterprise_id: null, team_id: `T${r.upperAlnum(8)}`, user_id: `U${r.upperAlnum(10)}`, is_bot: true }],
  };
  const body = json(payload);
  return webhook("POST", "/slack/events", slackHeaders(r, body), body, tags);
}

/** Slack interactivity: a JSON document inside a single urlencoded `payload` field. */
export function slackInteraction(r: Random): Draft {
  const person = r.pick(PEOPLE);
  const payload = {
    type: "block_actions",
    user: { id: `U${r.upperAlnum(10)}`, username: username(r, person), name: username(r, person), team_id: `T${r.upperAlnum(8)}` },
    api_app_id: `A${r.upperAlnum(10)}`,
    token: r.alnum(24),
    container: { type: "message", message_ts: `${unixSeconds(r)}.${r.digits(6)}`, channel_id: `C${r.upperAlnum(10)}`, is_ephemeral: false },
    trigger_id: `${r.digits(13)}.${r.digits(12)}.${r.hex(32)}`,
    team: { id: `T${r.upperAlnum(8)}`, domain: "example" },
    response_url: `https://hooks.slack.com/actions/T${r.upperAlnum(8)}/${r.digits(13)}/${r.alnum(24)}`,
    actions: [{ action_id: r.pick(["approve_refund", "select_plan", "vote_option_2"]), block_id: r.alnum(4), text: { type: "plain_text", text: r.pick(["Approve", "Select", "Vote"]), emoji: true }, value: r.pick(["refund_1045", "pro_annual", "union_station"]), type: "button", action_ts: `${unixSeconds(r)}.${r.digits(6)}` }],
  };
  const body = { contentType: "application/x-www-form-urlencoded", text: `payload=${formEncode(JSON.stringify(payload))}` };
  return webhook("POST", "/slack/interactive", slackHeaders(r, body), body, new Set());
}

export function shopifyWebhook(r: Random): Draft {
  const person = r.pick(PEOPLE);
  const a = address(r);
  const product = r.pick(PRODUCTS);
  const orderId = r.int(5000000000000, 5999999999999);
  const payload = {
    id: orderId,
    admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    email: emailFor(r, person),
    created_at: isoTime(unixSeconds(r), false).replace("Z", "-05:00"),
    currency: "USD",
    total_price: product.price.toFixed(2),
    note: r.pick([null, "Please gift wrap 🎁", "Ring twice; dog barks but is friendly", "Leave at door -- thx!"]),
    customer: { first_name: person.first, last_name: person.last, email: emailFor(r, person), tags: "VIP, wholesale" },
    shipping_address: { name: fullName(person), address1: a.line1, address2: a.line2, city: a.city, province: a.region, zip: a.postalCode, country_code: a.country, company: r.chance(0.2) ? r.pick(COMPANIES) : null },
    line_items: [{ id: r.int(10000000000000, 19999999999999), title: product.name, quantity: r.int(1, 3), price: product.price.toFixed(2), sku: product.slug.toUpperCase().slice(0, 12), properties: r.chance(0.2) ? [{ name: "Engraving", value: "D'Angelo 2025" }] : [] }],
    note_attributes: [{ name: "gift_message", value: r.pick(["", "Happy birthday, Mum! x", "Félicitations !"]) }],
  };
  const body = json(payload);
  const headers: Header[] = [
    ["Host", "api.example.com"],
    ["User-Agent", "Shopify-Captain-Hook"],
    ...contentHeaders(body, canonicalCase),
    ["Accept", "*/*"],
    ["Accept-Encoding", "gzip;q=1.0,deflate;q=0.6,identity;q=0.3"],
    ["X-Shopify-Topic", r.pick(["orders/create", "orders/paid", "orders/updated"])],
    ["X-Shopify-Hmac-Sha256", base64(r.bytes(32))],
    ["X-Shopify-Shop-Domain", `${r.pick(["example-store", "acme-outdoor", "obrien-goods"])}.myshopify.com`],
    ["X-Shopify-Webhook-Id", uuid(r)],
    ["X-Shopify-Triggered-At", isoTime(unixSeconds(r))],
    ["X-Shopify-Event-Id", uuid(r)],
    ["X-Shopify-API-Version", "2024-10"],
  ];
  return webhook("POST", "/webhooks/shopify/orders", headers, body, new Set());
}

export function twilioSms(r: Random): Draft {
  const tags = new Set<Tag>();
  const account = `AC${r.hex(32)}`;
  const pairs: [string, string][] = [
    ["ToCountry", "US"], ["ToState", "CA"], ["SmsMessageSid", `SM${r.hex(32)}`], ["NumMedia", "0"], ["ToCity", "SAN FRANCISCO"],
    ["FromZip", String(r.int(10000, 99999))], ["SmsSid", `SM${r.hex(32)}`], ["FromState", r.pick(["NY", "TX", "OR"])], ["SmsStatus", "received"],
    ["FromCity", r.pick(["BROOKLYN", "AUSTIN", "PORTLAND"])], ["Body", freeText(r, tags, "sms", { sentences: [1, 1], lookalikeRate: 0.1 })], ["FromCountry", "US"],
    ["To", `+1415${r.digits(7)}`], ["ToZip", "94105"], ["NumSegments", "1"], ["MessageSid", `SM${r.hex(32)}`], ["AccountSid", account],
    ["From", `+1${r.int(201, 989)}${r.digits(7)}`], ["ApiVersion", "2010-04-01"],
  ];
  const body = { contentType: "application/x-www-form-urlencoded", text: encodePairs(pairs, "form") };
  const headers: Header[] = [
    ["Host", "api.example.com"],
    ...contentHeaders(body, canonicalCase),
    ["X-Twilio-Signature", base64(r.bytes(20))],
    ["I-Twilio-Idempotency-Token", uuid(r)],
    ["Accept", "*/*"],
    ["User-Agent", "TwilioProxy/1.1"],
    ["Cache-Control", "max-age=259200"],
  ];
  return webhook("POST", "/twilio/sms", headers, body, tags);
}

export function sendgridEvents(r: Random): Draft {
  const events = Array.from({ length: r.int(1, 5) }, () => {
    const person = r.pick(PEOPLE);
    const event = r.pick(["processed", "delivered", "open", "click", "bounce", "unsubscribe"]);
    return {
      email: emailFor(r, person),
      timestamp: unixSeconds(r),
      "smtp-id": `<${r.alnum(22)}@ismtpd0${r.int(1, 99)}p1mdw1.sendgrid.net>`,
      event,
      category: [r.pick(["newsletter", "receipt", "password-reset"])],
      sg_event_id: r.base64url(22),
      sg_message_id: `${r.alnum(22)}.filterdrecv-${r.hex(10)}-${r.int(1, 9)}-${r.hex(8)}-${r.int(1, 99)}-0`,
      ...(event === "click" ? { url: `https://shop.example.com/sale?utm_source=newsletter&utm_medium=email&utm_campaign=${r.pick(["black_friday_2025", "winter-sale"])}` } : {}),
      ...(event === "open" || event === "click" ? { useragent: "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)", ip: `66.249.${r.int(80, 95)}.${r.int(1, 254)}` } : {}),
      ...(event === "bounce" ? { reason: "550 5.1.1 The email account that you tried to reach does not exist.", status: "5.1.1", type: "bounce" } : {}),
    };
  });
  const body = json(events);
  const headers: Header[] = [["Host", "api.example.com"], ["User-Agent", "SendGrid Event API"], ...contentHeaders(body, canonicalCase), ["Accept-Encoding", "gzip"], ["X-Twilio-Email-Event-Webhook-Signature", base64(r.bytes(70))], ["X-Twilio-Email-Event-Webhook-Timestamp", String(unixSeconds(r))]];
  return webhook("POST", "/webhooks/sendgrid", headers, body, new Set());
}

/** Standard Webhooks / Svix (Clerk, Resend, ...): webhook-id, -timestamp, -signature. */
export function svixWebhook(r: Random): Draft {
  const person = r.pick(PEOPLE);
  const created = unixSeconds(r);
  const type = r.pick(["user.created", "user.updated", "email.delivered", "session.created"]);
  const body = json({
    type,
    object: "event",
    timestamp: created * 1000,
    data: {
      id: `user_${r.alnum(27)}`,
      first_name: person.first,
      last_name: person.last,
      email_addresses: [{ id: `idn_${r.alnum(27)}`, email_address: emailFor(r, person), verification: { status: "verified", strategy: "email_code" } }],
      public_metadata: { plan: r.pick(["free", "pro"]), referrer: r.pick(["", "newsletter", "O'Reilly webinar"]) },
      unsafe_metadata: { onboarding: { step: r.int(1, 4), role: r.pick(["developer", "designer", "founder"]) } },
      created_at: created * 1000,
    },
  });
  const headers: Header[] = [
    ["host", "api.example.com"],
    ["user-agent", "Svix-Webhooks/1.41.0"],
    ...contentHeaders(body),
    ["accept", "*/*"],
    ["webhook-id", `msg_${r.alnum(27)}`],
    ["webhook-timestamp", String(created)],
    ["webhook-signature", `v1,${base64(r.bytes(32))}`],
    ["svix-id", `msg_${r.alnum(27)}`],
    ["svix-timestamp", String(created)],
    ["svix-signature", `v1,${base64(r.bytes(32))}`],
  ];
  return webhook("POST", "/api/webhooks/clerk", headers, body, new Set());
}

/** PayPal IPN: an urlencoded form full of free-text payer fields and a `payment_date` with colons. */
export function paypalIpn(r: Random): Draft {
  const person = r.pick(PEOPLE);
  const a = address(r);
  const product = r.pick(PRODUCTS);
  const date = new Date((EPOCH_SECONDS + r.int(0, 86400 * 5)) * 1000);
  const pairs: [string, string][] = [
    ["mc_gross", product.price.toFixed(2)], ["protection_eligibility", "Eligible"], ["address_status", "confirmed"],
    ["payer_id", r.upperAlnum(13)], ["address_street", `${a.line1}${a.line2 ? `\n${a.line2}` : ""}`],
    ["payment_date", `${String(date.getUTCHours()).padStart(2, "0")}:${String(date.getUTCMinutes()).padStart(2, "0")}:${String(date.getUTCSeconds()).padStart(2, "0")} Nov ${date.getUTCDate()}, 2025 PST`],
    ["payment_status", "Completed"], ["charset", "UTF-8"], ["address_zip", a.postalCode], ["first_name", person.first], ["last_name", person.last],
    ["mc_fee", (product.price * 0.034 + 0.3).toFixed(2)], ["address_country_code", a.country], ["address_name", fullName(person)],
    ["notify_version", "3.9"], ["custom", JSON.stringify({ order: r.int(1000, 9999), ref: "checkout" })], ["payer_status", "verified"],
    ["business", "payments@example.com"], ["address_country", a.country], ["address_city", a.city], ["quantity", "1"],
    ["verify_sign", `A${r.alnum(55)}`], ["payer_email", emailFor(r, person)], ["txn_id", r.upperAlnum(17)], ["payment_type", "instant"],
    ["item_name", product.name], ["mc_currency", "USD"], ["item_number", product.slug], ["receiver_id", r.upperAlnum(13)], ["ipn_track_id", r.hex(13)],
  ];
  const body = { contentType: "application/x-www-form-urlencoded", text: encodePairs(pairs, "form") };
  const headers: Header[] = [["Host", "api.example.com"], ["User-Agent", "PayPal IPN ( https://www.paypal.com/ipn )"], ...contentHeaders(body, canonicalCase), ["Connection", "close"]];
  return webhook("POST", "/ipn/paypal", headers, body, new Set());
}
