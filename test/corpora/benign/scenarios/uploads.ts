/**
 * multipart/form-data uploads of small text files (notes, CSV exports with quotes and
 * semicolons, Markdown, JSON config, calendar and contact cards, log excerpts), sent by
 * browsers, curl, python-requests and mobile apps with each one's boundary style.
 */
import { apiClientHeaders, fetchHeaders, navigationHeaders, type ApiClientKind } from "../clients";
import { boundary, multipartBody, multipartContentType, type BoundaryStyle, type Part } from "../multipart";
import { freeText, title } from "../prose";
import type { Random } from "../random";
import type { Draft, Header, Tag } from "../request";
import { SITES, origin } from "../sites";
import { bearer, csrfToken, isoTime, unixSeconds, uuid } from "../tokens";
import { PEOPLE, PRODUCTS, address, displayPrice, emailFor, fullName, phoneNumber } from "../vocabulary";
import { draft, visitor } from "../visitor";

interface TextFile {
  filename: string;
  contentType: string;
  content: string;
}

function csvFile(r: Random): TextFile {
  const semicolon = r.chance(0.4);
  const sep = semicolon ? ";" : ",";
  const quote = (s: string): string => (s.includes(sep) || s.includes('"') || s.includes("'") ? `"${s.replace(/"/g, '""')}"` : s);
  const rows = r.sample(PEOPLE, r.int(3, 8)).map((p) => {
    const a = address(r);
    return [fullName(p), emailFor(r, p), phoneNumber(r, p.locale), `${a.line1}${a.line2 ? `; ${a.line2}` : ""}`, a.city, displayPrice(r, r.int(5, 500) + 0.99)].map(quote).join(sep);
  });
  return { filename: r.pick(["contacts.csv", "customers_2025-11.csv", "export (1).csv", "Kundenliste.csv"]), contentType: r.pick(["text/csv", "application/vnd.ms-excel"]), content: [["name", "email", "phone", "address", "city", "last_order"].join(sep), ...rows].join("\r\n") + "\r\n" };
}

function notesFile(r: Random, tags: Set<Tag>): TextFile {
  return { filename: r.pick(["notes.txt", "meeting notes 11-21.txt", "todo.txt", "Brief für Oma.txt"]), contentType: "text/plain", content: freeText(r, tags, "task", { sentences: [2, 5] }).replace(/\. /g, ".\n") + "\n" };
}

function markdownFile(r: Random, tags: Set<Tag>): TextFile {
  const product = r.pick(PRODUCTS);
  const content = `# ${title(r, tags, "task")}\n\n## Summary\n\n${freeText(r, tags, "task", { sentences: [1, 3], codeRate: 0.1, markdown: true })}\n\n- [x] Draft\n- [ ] Review by @${r.pick(["sean", "marco", "zoe"])}\n- [ ] Publish\n\n| Item | Price |\n|---|---|\n| ${product.name.replace(/\|/g, "\\|")} | ${displayPrice(r, product.price)} |\n`;
  return { filename: r.pick(["README.md", "proposal.md", "CHANGELOG.md", "notes.md"]), contentType: r.pick(["text/markdown", "application/octet-stream"]), content };
}

function jsonFile(r: Random): TextFile {
  const config = { name: r.pick(["storefront", "billing-worker", "docs-site"]), version: `2.${r.int(0, 9)}.${r.int(0, 20)}`, env: { API_URL: "https://api.example.com/v1", LOG_LEVEL: r.pick(["info", "debug"]) }, features: { darkMode: true, newCheckout: r.chance(0.5) }, owners: [emailFor(r, r.pick(PEOPLE))] };
  return { filename: r.pick(["config.json", "settings.json", "package.json", "translations.fr.json"]), contentType: "application/json", content: JSON.stringify(config, null, 2) + "\n" };
}

function icsFile(r: Random): TextFile {
  const start = unixSeconds(r) + 86400 * r.int(1, 20);
  const stamp = (s: number): string => isoTime(s, false).replace(/[-:]/g, "");
  const organizer = r.pick(PEOPLE);
  const content = [
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Example Corp//Calendar 1.0//EN", "BEGIN:VEVENT",
    `UID:${uuid(r)}@example.com`, `DTSTAMP:${stamp(unixSeconds(r))}`, `DTSTART:${stamp(start)}`, `DTEND:${stamp(start + 3600)}`,
    `SUMMARY:${r.pick(["Team offsite", "Q&A session", "Lunch @ Union Station", "1:1 O'Brien / D'Angelo"])}`,
    `ORGANIZER;CN=${fullName(organizer)}:mailto:${emailFor(r, organizer)}`,
    "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=6", `LOCATION:${r.pick(["Room 3\\, 2nd floor", "Café de l'Horloge\\, Paris", "https://meet.example.com/xyz"])}`,
    "END:VEVENT", "END:VCALENDAR",
  ].join("\r\n") + "\r\n";
  return { filename: "invite.ics", contentType: "text/calendar", content };
}

function vcardFile(r: Random): TextFile {
  const p = r.pick(PEOPLE);
  const a = address(r);
  const content = ["BEGIN:VCARD", "VERSION:3.0", `N:${p.last};${p.first};;;`, `FN:${fullName(p)}`, `EMAIL;TYPE=INTERNET:${emailFor(r, p)}`, `TEL;TYPE=CELL:${phoneNumber(r, p.locale)}`, `ADR;TYPE=HOME:;;${a.line1};${a.city};${a.region};${a.postalCode};${a.country}`, "END:VCARD"].join("\r\n") + "\r\n";
  return { filename: `${fullName(p).replace(/ /g, "_")}.vcf`, contentType: "text/vcard", content };
}

function logFile(r: Random): TextFile {
  const t = unixSeconds(r);
  const lines = [
    `${isoTime(t)} INFO  server listening on :8080`,
    `${isoTime(t + 3)} WARN  slow query (1532 ms): GET /v1/orders?status=shipped&limit=50`,
    `${isoTime(t + 7)} ERROR TypeError: Cannot read properties of undefined (reading 'map')`,
    "    at OrderList.render (/app/src/components/OrderList.tsx:42:18)",
    "    at Object.<anonymous> (/app/node_modules/react-dom/cjs/react-dom.production.min.js:1:1234)",
    `${isoTime(t + 9)} INFO  retrying request id=${uuid(r)} attempt=2`,
  ];
  return { filename: r.pick(["app.log", "console-export.txt", "error.log"]), contentType: "text/plain", content: lines.join("\n") + "\n" };
}

function pickFile(r: Random, tags: Set<Tag>): TextFile {
  const kind = r.weighted([["csv", 4], ["notes", 3], ["markdown", 2], ["json", 2], ["ics", 1], ["vcard", 1], ["log", 1]] as const);
  switch (kind) {
    case "csv":
      return csvFile(r);
    case "notes":
      return notesFile(r, tags);
    case "markdown":
      return markdownFile(r, tags);
    case "json":
      return jsonFile(r);
    case "ics":
      return icsFile(r);
    case "vcard":
      return vcardFile(r);
    case "log":
      tags.add("lookalike");
      return logFile(r);
  }
}

function fileParts(r: Random, tags: Set<Tag>): Part[] {
  const parts: Part[] = [];
  const kind = r.int(0, 3);
  if (kind === 0) {
    // Support ticket with an attachment.
    parts.push({ kind: "field", name: "subject", value: title(r, tags, "support") });
    parts.push({ kind: "field", name: "description", value: freeText(r, tags, "support", { sentences: [1, 3], codeRate: 0.08 }) });
    parts.push({ kind: "field", name: "priority", value: r.pick(["low", "normal", "high"]) });
  } else if (kind === 1) {
    // Data import.
    parts.push({ kind: "field", name: "import[type]", value: r.pick(["contacts", "products", "orders"]) });
    parts.push({ kind: "field", name: "import[has_header_row]", value: "1" });
    parts.push({ kind: "field", name: "import[delimiter]", value: r.pick([",", ";", "\\t"]) });
  } else if (kind === 2) {
    parts.push({ kind: "field", name: "folder_id", value: uuid(r) });
    parts.push({ kind: "field", name: "description", value: r.pick(["Q4 report draft", "Notes from Monday's call", "Version 2 -- final (really)", ""]) });
  }
  const count = r.chance(0.2) ? 2 : 1;
  const names = new Set<string>();
  for (let i = 0; i < count; i++) {
    const file = pickFile(r, tags);
    if (names.has(file.filename)) file.filename = file.filename.replace(/(\.[a-z]+)$/, ` (${i + 1})$1`);
    names.add(file.filename);
    parts.push({ kind: "file", name: count > 1 ? "files[]" : r.pick(["file", "attachment", "upload", "document"]), filename: file.filename, contentType: file.contentType, content: file.content });
  }
  return parts;
}

export function browserUpload(r: Random): Draft {
  const v = visitor(r, 1);
  const tags = new Set<Tag>(["upload"]);
  const site = r.pick([SITES.saas, SITES.help, SITES.forum]);
  const style: BoundaryStyle = v.browser.engine === "firefox" ? "firefox" : "webkit";
  const b = boundary(r, style);
  const parts = fileParts(r, tags);
  if (r.chance(0.5)) parts.unshift({ kind: "field", name: r.pick(["authenticity_token", "csrfmiddlewaretoken", "_token"]), value: csrfToken(r) });
  const text = multipartBody(b, parts);
  const body = { contentType: multipartContentType(b), text };
  const path = r.pick(["/uploads", "/api/v1/files", "/tickets/new", `/projects/${r.int(1, 999)}/attachments`, "/import"]);
  const headers = r.chance(0.5)
    ? navigationHeaders(r, v.browser, { host: site.host, locale: v.locale, cookie: v.cookie, referer: `${origin(site.host)}${path}`, site: "same-origin", origin: origin(site.host), form: body })
    : fetchHeaders(r, v.browser, { host: site.host, locale: v.locale, cookie: v.cookie, referer: `${origin(site.host)}/app`, method: "POST", origin: origin(site.host), site: "same-origin", body });
  const d = draft("POST", path, headers, text, ...tags);
  return d;
}

export function toolUpload(r: Random): Draft {
  const v = visitor(r, 1);
  const tags = new Set<Tag>(["upload"]);
  const kind = r.pick<ApiClientKind>(["curl", "python", "android-app", "node-axios"]);
  const style: BoundaryStyle = kind === "curl" ? "curl" : kind === "python" ? "python" : kind === "android-app" ? "okhttp" : "axios";
  const b = boundary(r, style);
  const parts = fileParts(r, tags);
  const text = multipartBody(b, parts);
  const extra: Header[] = kind === "curl" && r.chance(0.3) ? [["expect", "100-continue"]] : [];
  const headers = apiClientHeaders(r, kind, { host: SITES.saas.apiHost, method: "POST", locale: v.locale, authorization: bearer(r, v.userId), body: { contentType: multipartContentType(b), text }, extra });
  return draft("POST", r.pick(["/v1/files", "/v1/imports", `/v1/tickets/${r.int(1, 99999)}/attachments`]), headers, text, ...tags);
}

/** A profile form with an optional empty file input, as browsers send it when nothing is picked. */
export function emptyFileInput(r: Random): Draft {
  const v = visitor(r, 1);
  const tags = new Set<Tag>(["upload"]);
  const b = boundary(r, v.browser.engine === "firefox" ? "firefox" : "webkit");
  const parts: Part[] = [
    { kind: "field", name: "name", value: fullName(v.person) },
    { kind: "field", name: "bio", value: freeText(r, tags, "bio", { sentences: [1, 2] }) },
    { kind: "file", name: "avatar", filename: "", contentType: "application/octet-stream", content: "" },
  ];
  const text = multipartBody(b, parts);
  const site = SITES.forum;
  const headers = navigationHeaders(r, v.browser, { host: site.host, locale: v.locale, cookie: v.cookie, referer: `${origin(site.host)}/settings/profile`, site: "same-origin", origin: origin(site.host), form: { contentType: multipartContentType(b), text } });
  return draft("POST", "/settings/profile", headers, text, ...tags);
}
