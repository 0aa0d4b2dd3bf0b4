/**
 * HTML form submissions (application/x-www-form-urlencoded) as browsers encode them:
 * sign-up, login, checkout, contact, blog comments, reviews, forum posts with BBCode,
 * Django/Rails/Laravel/ASP.NET field conventions — and the same forms posted by jQuery.
 */
import { fetchHeaders, navigationHeaders } from "../clients";
import { base64, encodePairs, type Pairs } from "../encoding";
import { freeText, title } from "../prose";
import type { Random } from "../random";
import type { Draft, Tag } from "../request";
import { SITES, origin, type Site } from "../sites";
import { EPOCH_SECONDS, csrfToken, unixSeconds } from "../tokens";
import { COMPANIES, PRODUCTS, WORDS, address, emailFor, fullName, phoneNumber, username } from "../vocabulary";
import { draft, visitor, type Visitor } from "../visitor";

const FORM_TYPE = "application/x-www-form-urlencoded";

function submit(r: Random, v: Visitor, site: Site, path: string, pairs: Pairs, tags: Set<Tag>, pagePath = path): Draft {
  const text = encodePairs(pairs, "form");
  const ajax = r.chance(0.2);
  const headers = ajax
    ? fetchHeaders(r, v.browser, {
        host: site.host,
        locale: v.locale,
        cookie: v.cookie,
        referer: `${origin(site.host)}${pagePath}`,
        method: "POST",
        origin: origin(site.host),
        site: "same-origin",
        accept: "*/*",
        body: { contentType: `${FORM_TYPE}; charset=UTF-8`, text },
        extra: [["x-requested-with", "XMLHttpRequest"]],
      })
    : navigationHeaders(r, v.browser, {
        host: site.host,
        locale: v.locale,
        cookie: v.cookie,
        referer: `${origin(site.host)}${pagePath}`,
        site: "same-origin",
        origin: origin(site.host),
        form: { contentType: FORM_TYPE, text },
      });
  const d = draft("POST", path, headers, text, "form");
  for (const tag of tags) d.tags.add(tag);
  return d;
}

function password(r: Random): string {
  return `${r.pick(WORDS)}${r.pick(["", "-", "_", "!", "."])}${r.pick(WORDS)}${r.int(1, 999)}${r.pick(["", "!", "?", "#", "$", "&", "*"])}`;
}

export function signupForm(r: Random): Draft {
  const v = visitor(r, 0);
  const site = r.pick([SITES.shop, SITES.saas, SITES.forum]);
  const pw = password(r);
  const style = r.pick(["rails", "django", "laravel", "plain"] as const);
  const name = fullName(v.person);
  const email = emailFor(r, v.person);
  let pairs: [string, string][];
  switch (style) {
    case "rails":
      pairs = [["authenticity_token", csrfToken(r)], ["user[name]", name], ["user[email]", email], ["user[password]", pw], ["user[password_confirmation]", pw], ["user[terms_of_service]", "0"], ["user[terms_of_service]", "1"], ["commit", "Create account"]];
      break;
    case "django":
      pairs = [["csrfmiddlewaretoken", csrfToken(r)], ["username", username(r, v.person)], ["email", email], ["password1", pw], ["password2", pw]];
      break;
    case "laravel":
      pairs = [["_token", r.alnum(40)], ["name", name], ["email", email], ["password", pw], ["password_confirmation", pw], ["plan", r.pick(["free", "pro", "team"])]];
      break;
    default:
      pairs = [["first_name", v.person.first], ["last_name", v.person.last], ["email", email], ["password", pw], ["company", r.chance(0.4) ? r.pick(COMPANIES) : ""], ["terms", "on"]];
      if (r.chance(0.5)) pairs.push(["newsletter", "on"]);
      if (r.chance(0.3)) pairs.push(["referral_code", r.upperAlnum(8)]);
  }
  return submit(r, v, site, r.pick(["/signup", "/users", "/register", "/accounts/signup/"]), pairs, new Set(), "/signup");
}

export function loginForm(r: Random): Draft {
  const v = visitor(r, 0);
  const site = r.pick([SITES.shop, SITES.saas, SITES.forum, SITES.help]);
  const pairs: [string, string][] = [
    [r.pick(["email", "username", "login", "user[email]"]), r.chance(0.7) ? emailFor(r, v.person) : username(r, v.person)],
    [r.pick(["password", "user[password]"]), password(r)],
  ];
  if (r.chance(0.5)) pairs.push(["remember_me", r.pick(["on", "1", "true"])]);
  if (r.chance(0.6)) pairs.unshift([r.pick(["authenticity_token", "csrfmiddlewaretoken", "_token", "_csrf"]), csrfToken(r)]);
  if (r.chance(0.4)) pairs.push(["next", r.pick(["/account", "/checkout?step=payment", "/app/projects/42?tab=files", "https://app.example.com/dashboard"])]);
  return submit(r, v, site, r.pick(["/login", "/session", "/accounts/login/", "/users/sign_in"]), pairs, new Set(), "/login");
}

export function checkoutForm(r: Random): Draft {
  const v = visitor(r, 0.6);
  const a = address(r);
  const tags = new Set<Tag>();
  const pairs: [string, string][] = [
    ["authenticity_token", csrfToken(r)],
    ["checkout[email]", emailFor(r, v.person)],
    ["checkout[shipping_address][first_name]", v.person.first],
    ["checkout[shipping_address][last_name]", v.person.last],
    ["checkout[shipping_address][company]", r.chance(0.2) ? r.pick(COMPANIES) : ""],
    ["checkout[shipping_address][address1]", a.line1],
    ["checkout[shipping_address][address2]", a.line2],
    ["checkout[shipping_address][city]", a.city],
    ["checkout[shipping_address][province]", a.region],
    ["checkout[shipping_address][zip]", a.postalCode],
    ["checkout[shipping_address][country]", a.country],
    ["checkout[shipping_address][phone]", phoneNumber(r, v.person.locale)],
    ["checkout[note]", r.chance(0.3) ? r.pick(["Leave with neighbour at #12; thanks!", "It's a gift -- please don't include the receipt.", "Deliver after 5pm (I work 9-5)", "Code porte : 4821B", "Use the side entrance on O'Farrell St."]) : ""],
    ["checkout[buyer_accepts_marketing]", r.chance(0.3) ? "1" : "0"],
    ["step", "contact_information"],
    ["button", ""],
  ];
  return submit(r, v, SITES.shop, `/checkouts/${r.hex(32)}`, pairs, tags);
}

export function contactForm(r: Random): Draft {
  const v = visitor(r, 0.1);
  const tags = new Set<Tag>();
  const site = r.pick([SITES.shop, SITES.saas, SITES.blog, SITES.travel]);
  const pairs: [string, string][] = [
    ["name", `${v.person.first} ${v.person.last}`],
    ["email", emailFor(r, v.person)],
    ["phone", r.chance(0.5) ? phoneNumber(r, v.person.locale) : ""],
    ["company", r.chance(0.4) ? r.pick(COMPANIES) : ""],
    ["subject", title(r, tags, "contact")],
    ["message", freeText(r, tags, "contact", { sentences: [1, 4], lookalikeRate: 0.1 })],
    ["website", ""], // honeypot
  ];
  if (r.chance(0.5)) pairs.push(["g-recaptcha-response", `03AFcWeA${r.base64url(r.int(400, 700))}`]);
  if (r.chance(0.3)) pairs.push(["consent", "yes"]);
  return submit(r, v, site, r.pick(["/contact", "/contact-us", "/wp-admin/admin-ajax.php", "/forms/contact"]), pairs, tags, "/contact");
}

/** WordPress comment form (wp-comments-post.php). */
export function blogComment(r: Random): Draft {
  const v = visitor(r, 0.1);
  const tags = new Set<Tag>();
  const pairs: [string, string][] = [
    ["comment", freeText(r, tags, "comment", { sentences: [1, 4], lookalikeRate: 0.1, codeRate: 0.04 })],
    ["author", r.chance(0.7) ? fullName(v.person) : username(r, v.person)],
    ["email", emailFor(r, v.person)],
    ["url", r.chance(0.3) ? r.pick(["https://obrien.example.com", "http://my-blog.example.net/about", "https://www.instagram.com/zoe.m/"]) : ""],
    ["wp-comment-cookies-consent", "yes"],
    ["submit", "Post Comment"],
    ["comment_post_ID", String(r.int(10, 9999))],
    ["comment_parent", r.chance(0.7) ? "0" : String(r.int(100, 99999))],
    ["akismet_comment_nonce", r.hex(10)],
    ["ak_js", String((EPOCH_SECONDS + r.int(0, 86400)) * 1000 + r.int(0, 999))],
  ];
  return submit(r, v, SITES.blog, "/wp-comments-post.php", pairs, tags, `/2025/11/${r.pick(["year-in-review-2025", "croissants-at-home"])}/`);
}

export function reviewForm(r: Random): Draft {
  const v = visitor(r, 0.7);
  const tags = new Set<Tag>();
  const product = r.pick(PRODUCTS);
  const pairs: [string, string][] = [
    ["review[rating]", String(r.int(1, 5))],
    ["review[title]", title(r, tags, "review")],
    ["review[body]", freeText(r, tags, "review", { sentences: [1, 4] })],
    ["review[recommend]", r.pick(["yes", "no"])],
    ["review[nickname]", r.chance(0.6) ? v.person.first : username(r, v.person)],
    ["review[location]", r.pick(["Portland, OR", "Coeur d'Alene, ID", "Zürich", "London, UK", "São Paulo", ""])],
    ["review[product_id]", String(r.int(1000, 99999))],
    ["authenticity_token", csrfToken(r)],
  ];
  return submit(r, v, SITES.shop, `/products/${product.slug}/reviews`, pairs, tags, `/p/${product.slug}`);
}

export function newsletterForm(r: Random): Draft {
  const v = visitor(r, 0);
  const site = r.pick([SITES.blog, SITES.shop]);
  const pairs: [string, string][] = [["EMAIL", emailFor(r, v.person)], ["FNAME", v.person.first], ["lists[]", String(r.int(1, 5))]];
  if (r.chance(0.5)) pairs.push(["lists[]", String(r.int(6, 9))]);
  pairs.push(["source", r.pick(["footer", "popup", "exit-intent", "blog sidebar"])], [`b_${r.hex(25)}_${r.hex(10)}`, ""]);
  return submit(r, v, site, r.pick(["/subscribe", "/newsletter/subscribe", "/subscribe/post?u=" + r.hex(25) + "&id=" + r.hex(10)]), pairs, new Set(), "/");
}

export function profileForm(r: Random): Draft {
  const v = visitor(r, 1);
  const tags = new Set<Tag>();
  const a = address(r);
  const pairs: [string, string][] = [
    ["csrfmiddlewaretoken", csrfToken(r)],
    ["first_name", v.person.first],
    ["last_name", v.person.last],
    ["display_name", username(r, v.person)],
    ["bio", freeText(r, tags, "bio", { sentences: [1, 2], lookalikeRate: 0.08 })],
    ["city", a.city],
    ["country", a.country],
    ["website", r.chance(0.3) ? "https://www.example.com/~" + username(r, v.person) : ""],
    ["timezone", r.pick(["Europe/Dublin", "America/Los_Angeles", "Asia/Tokyo"])],
  ];
  return submit(r, v, r.pick([SITES.forum, SITES.saas]), "/settings/profile/", pairs, tags);
}

/** ASP.NET WebForms postback: view state blobs and `ctl00$...` control names. */
export function webFormsPostback(r: Random): Draft {
  const v = visitor(r, 0.5);
  const tags = new Set<Tag>();
  const pairs: [string, string][] = [
    ["__EVENTTARGET", r.chance(0.5) ? "ctl00$MainContent$btnSubmit" : ""],
    ["__EVENTARGUMENT", ""],
    ["__VIEWSTATE", `/wEP${base64(r.bytes(r.int(120, 600)))}`],
    ["__VIEWSTATEGENERATOR", r.hex(8).toUpperCase()],
    ["__EVENTVALIDATION", `/wEd${base64(r.bytes(r.int(60, 200)))}`],
    ["ctl00$MainContent$txtName", fullName(v.person)],
    ["ctl00$MainContent$txtEmail", emailFor(r, v.person)],
    ["ctl00$MainContent$ddlTopic", r.pick(["Billing", "Technical", "Other"])],
    ["ctl00$MainContent$txtComments", freeText(r, tags, "support", { sentences: [1, 2] })],
    ["ctl00$MainContent$btnSubmit", "Submit"],
  ];
  return submit(r, v, SITES.help, "/Support/Contact.aspx", pairs, tags);
}

/** phpBB/vBulletin-style post with BBCode; developer forums get code blocks. */
export function forumPostForm(r: Random): Draft {
  const v = visitor(r, 1);
  const tags = new Set<Tag>();
  let message = freeText(r, tags, "forum", { sentences: [2, 4], lookalikeRate: 0.12, codeRate: 0.1 });
  if (r.chance(0.3)) message = `[quote="${username(r, v.person)}"]${freeText(r, tags, "forum", { sentences: [1, 1] })}[/quote]\n${message}`;
  if (r.chance(0.2)) message += `\n[url=https://docs.example.com/docs/guides/webhooks]the docs[/url] [b]Edit:[/b] solved :)`;
  const pairs: [string, string][] = [
    ["subject", `Re: ${title(r, tags, "forum")}`],
    ["message", message],
    ["attach_sig", "on"],
    ["topic_cur_post_id", String(r.int(10000, 99999))],
    ["lastclick", String(unixSeconds(r))],
    ["post", "Submit"],
    ["creation_time", String(unixSeconds(r))],
    ["form_token", r.hex(40)],
  ];
  return submit(r, v, SITES.forum, `/posting.php?mode=reply&t=${r.int(1000, 60000)}`, pairs, tags, `/viewtopic.php?t=${r.int(1000, 60000)}`);
}

export function passwordResetForm(r: Random): Draft {
  const v = visitor(r, 0);
  const pairs: [string, string][] = [["_csrf", csrfToken(r)], ["email", emailFor(r, v.person)]];
  return submit(r, v, r.pick([SITES.saas, SITES.shop]), "/password/reset", pairs, new Set(), "/password/forgot");
}
