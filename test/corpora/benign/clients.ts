/**
 * Header sets of the clients that really hit web apps, in the order each one sends them:
 * desktop and mobile browsers (navigation, subresource and fetch/XHR flavours), native
 * mobile apps, command-line tools, SDKs and crawlers. Browsers speak HTTP/2 (lower-case
 * names) most of the time; HTTP/1.1 clients use canonical capitalisation.
 */
import { utf8ByteLength } from "./encoding";
import type { Random } from "./random";
import type { Header } from "./request";
import { requestId, traceparent, uuid } from "./tokens";

export interface Browser {
  engine: "chromium" | "firefox" | "webkit";
  userAgent: string;
  /** sec-ch-ua brands (Chromium only). */
  brands?: string;
  platform?: string;
  mobile: boolean;
}

const CHROME_VERSIONS = [128, 129, 130, 131];

export function pickBrowser(r: Random): Browser {
  const kind = r.weighted([
    ["chrome-win", 30],
    ["chrome-mac", 12],
    ["chrome-linux", 3],
    ["edge-win", 7],
    ["firefox-win", 6],
    ["firefox-mac", 2],
    ["firefox-linux", 2],
    ["safari-mac", 8],
    ["safari-ios", 16],
    ["chrome-android", 12],
    ["samsung-android", 2],
  ] as const);
  const major = r.pick(CHROME_VERSIONS);
  const chromeBrands = `"Google Chrome";v="${major}", "Chromium";v="${major}", "Not_A Brand";v="24"`;
  switch (kind) {
    case "chrome-win":
      return { engine: "chromium", mobile: false, platform: '"Windows"', brands: chromeBrands, userAgent: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36` };
    case "chrome-mac":
      return { engine: "chromium", mobile: false, platform: '"macOS"', brands: chromeBrands, userAgent: `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36` };
    case "chrome-linux":
      return { engine: "chromium", mobile: false, platform: '"Linux"', brands: chromeBrands, userAgent: `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36` };
    case "edge-win":
      return { engine: "chromium", mobile: false, platform: '"Windows"', brands: `"Microsoft Edge";v="${major}", "Chromium";v="${major}", "Not_A Brand";v="24"`, userAgent: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36 Edg/${major}.0.${r.int(2000, 2900)}.${r.int(40, 99)}` };
    case "firefox-win": {
      const v = r.int(131, 133);
      return { engine: "firefox", mobile: false, userAgent: `Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:${v}.0) Gecko/20100101 Firefox/${v}.0` };
    }
    case "firefox-mac": {
      const v = r.int(131, 133);
      return { engine: "firefox", mobile: false, userAgent: `Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:${v}.0) Gecko/20100101 Firefox/${v}.0` };
    }
    case "firefox-linux": {
      const v = r.int(131, 133);
      return { engine: "firefox", mobile: false, userAgent: `Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:${v}.0) Gecko/20100101 Firefox/${v}.0` };
    }
    case "safari-mac": {
      const v = r.pick(["17.6", "18.0.1", "18.1"]);
      return { engine: "webkit", mobile: false, userAgent: `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${v} Safari/605.1.15` };
    }
    case "safari-ios": {
      const [os, v] = r.pick([["17_6_1", "17.6"], ["18_0", "18.0"], ["18_1_1", "18.1.1"]] as const);
      return { engine: "webkit", mobile: true, userAgent: `Mozilla/5.0 (iPhone; CPU iPhone OS ${os} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${v} Mobile/15E148 Safari/604.1` };
    }
    case "chrome-android":
      return { engine: "chromium", mobile: true, platform: '"Android"', brands: chromeBrands, userAgent: `Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Mobile Safari/537.36` };
    case "samsung-android":
      return { engine: "chromium", mobile: true, platform: '"Android"', brands: `"Samsung Internet";v="26.0", "Chromium";v="122", "Not(A:Brand";v="24"`, userAgent: "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36" };
  }
}

export function acceptLanguage(r: Random, engine: Browser["engine"], locale: string): string {
  const [language] = locale.split("-");
  const english = language === "en";
  if (engine === "firefox") {
    return english ? `${locale},en;q=0.5` : `${language},${locale};q=0.8,en-US;q=0.5,en;q=0.3`;
  }
  if (engine === "webkit") return english ? locale : `${locale},${language};q=0.9`;
  if (!english) return `${locale},${language};q=0.9,en-US;q=0.8,en;q=0.7`;
  return locale === "en-US" || r.chance(0.5) ? `${locale},en;q=0.9` : `${locale},en-US;q=0.9,en;q=0.8`;
}

function acceptEncoding(browser: Browser): string {
  return browser.engine === "webkit" ? "gzip, deflate, br" : "gzip, deflate, br, zstd";
}

export type FetchSite = "none" | "same-origin" | "same-site" | "cross-site";

export interface Body {
  contentType: string;
  text: string;
}

export function contentHeaders(body: Body | undefined, casing: (name: string) => string = (n) => n): Header[] {
  if (body === undefined) return [];
  return [
    [casing("content-type"), body.contentType],
    [casing("content-length"), String(utf8ByteLength(body.text))],
  ];
}

export function canonicalCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

interface BrowserContext {
  host: string;
  locale: string;
  cookie: string | null;
  referer?: string;
}

function clientHints(browser: Browser): Header[] {
  if (browser.brands === undefined) return [];
  return [
    ["sec-ch-ua", browser.brands],
    ["sec-ch-ua-mobile", browser.mobile ? "?1" : "?0"],
    ["sec-ch-ua-platform", browser.platform ?? '"Unknown"'],
  ];
}

function maybeCanonical(r: Random, browser: Browser, headers: Header[]): Header[] {
  // Firefox and Safari still fall back to HTTP/1.1 behind some proxies.
  if (browser.engine !== "chromium" && r.chance(0.2)) return headers.map(([n, v]) => [canonicalCase(n), v]);
  return headers;
}

/** A top-level navigation (typing a URL, clicking a link, or submitting a form). */
export function navigationHeaders(
  r: Random,
  browser: Browser,
  ctx: BrowserContext & { site: FetchSite; form?: Body; origin?: string },
): Header[] {
  const h: Header[] = [["host", ctx.host]];
  if (ctx.form !== undefined) {
    h.push(["content-length", String(utf8ByteLength(ctx.form.text))]);
    if (browser.engine === "chromium") h.push(["cache-control", "max-age=0"]);
  }
  h.push(...clientHints(browser));
  if (ctx.origin !== undefined) h.push(["origin", ctx.origin]);
  if (ctx.form !== undefined) h.push(["content-type", ctx.form.contentType]);
  if (browser.engine === "chromium") h.push(["upgrade-insecure-requests", "1"]);
  h.push(["user-agent", browser.userAgent]);
  h.push([
    "accept",
    browser.engine === "chromium"
      ? "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
      : "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  ]);
  if (browser.engine === "firefox") {
    h.push(["accept-language", acceptLanguage(r, browser.engine, ctx.locale)]);
    h.push(["accept-encoding", acceptEncoding(browser)]);
    if (ctx.referer !== undefined) h.push(["referer", ctx.referer]);
    if (ctx.cookie !== null) h.push(["cookie", ctx.cookie]);
    h.push(["upgrade-insecure-requests", "1"]);
    h.push(["sec-fetch-dest", "document"], ["sec-fetch-mode", "navigate"], ["sec-fetch-site", ctx.site]);
    if (ctx.site !== "same-origin" || r.chance(0.7)) h.push(["sec-fetch-user", "?1"]);
    if (r.chance(0.3)) h.push(["sec-gpc", "1"]);
    h.push(["priority", "u=0, i"]);
    return maybeCanonical(r, browser, h);
  }
  h.push(["sec-fetch-site", ctx.site], ["sec-fetch-mode", "navigate"]);
  if (browser.engine === "chromium") h.push(["sec-fetch-user", "?1"]);
  h.push(["sec-fetch-dest", "document"]);
  if (ctx.referer !== undefined) h.push(["referer", ctx.referer]);
  h.push(["accept-encoding", acceptEncoding(browser)]);
  h.push(["accept-language", acceptLanguage(r, browser.engine, ctx.locale)]);
  if (ctx.cookie !== null) h.push(["cookie", ctx.cookie]);
  h.push(["priority", "u=0, i"]);
  return maybeCanonical(r, browser, h);
}

export type Destination = "script" | "style" | "image" | "font" | "manifest" | "video";

const RESOURCE_ACCEPT: Record<Browser["engine"], Record<Destination, string>> = {
  chromium: {
    script: "*/*",
    style: "text/css,*/*;q=0.1",
    image: "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
    font: "*/*",
    manifest: "*/*",
    video: "*/*",
  },
  firefox: {
    script: "*/*",
    style: "text/css,*/*;q=0.1",
    image: "image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5",
    font: "application/font-woff2;q=1.0,application/font-woff;q=0.9,*/*;q=0.8",
    manifest: "*/*",
    video: "video/webm,video/ogg,video/*;q=0.9,application/ogg;q=0.7,audio/*;q=0.6,*/*;q=0.5",
  },
  webkit: {
    script: "*/*",
    style: "text/css,*/*;q=0.1",
    image: "image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,video/*;q=0.8,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5",
    font: "*/*",
    manifest: "*/*",
    video: "*/*",
  },
};

/** A subresource load (script, stylesheet, image, font) triggered by a page. */
export function resourceHeaders(
  r: Random,
  browser: Browser,
  ctx: BrowserContext & { destination: Destination; site: FetchSite; conditional?: Header[] },
): Header[] {
  const h: Header[] = [["host", ctx.host], ...clientHints(browser)];
  h.push(["user-agent", browser.userAgent]);
  h.push(["accept", RESOURCE_ACCEPT[browser.engine][ctx.destination]]);
  if (ctx.destination === "font" || ctx.destination === "script" && r.chance(0.2)) {
    h.push(["origin", `https://${ctx.referer?.split("/")[2] ?? ctx.host}`]);
  }
  h.push(["sec-fetch-site", ctx.site]);
  h.push(["sec-fetch-mode", ctx.destination === "font" ? "cors" : "no-cors"]);
  h.push(["sec-fetch-dest", ctx.destination === "manifest" ? "manifest" : ctx.destination]);
  if (ctx.referer !== undefined) h.push(["referer", ctx.referer]);
  h.push(["accept-encoding", ctx.destination === "video" ? "identity;q=1, *;q=0" : acceptEncoding(browser)]);
  h.push(["accept-language", acceptLanguage(r, browser.engine, ctx.locale)]);
  if (ctx.cookie !== null) h.push(["cookie", ctx.cookie]);
  if (ctx.destination === "video") h.push(["range", "bytes=0-"]);
  h.push(...(ctx.conditional ?? []));
  h.push(["priority", ctx.destination === "image" ? "u=1, i" : ctx.destination === "style" ? "u=0" : "u=1"]);
  return maybeCanonical(r, browser, h);
}

/** fetch()/XMLHttpRequest from a single-page app. */
export function fetchHeaders(
  r: Random,
  browser: Browser,
  ctx: BrowserContext & {
    method: string;
    origin: string;
    site: FetchSite;
    accept?: string;
    authorization?: string;
    body?: Body;
    extra?: Header[];
  },
): Header[] {
  const h: Header[] = [["host", ctx.host]];
  if (ctx.body !== undefined) h.push(["content-length", String(utf8ByteLength(ctx.body.text))]);
  h.push(...clientHints(browser));
  if (ctx.authorization !== undefined) h.push(["authorization", ctx.authorization]);
  h.push(["user-agent", browser.userAgent]);
  if (ctx.body !== undefined) h.push(["content-type", ctx.body.contentType]);
  h.push(["accept", ctx.accept ?? r.pick(["application/json, text/plain, */*", "*/*", "application/json"])]);
  h.push(...(ctx.extra ?? []));
  const crossOriginWrite = ctx.site !== "same-origin" || ctx.method !== "GET";
  if (crossOriginWrite) h.push(["origin", ctx.origin]);
  h.push(["sec-fetch-site", ctx.site], ["sec-fetch-mode", "cors"], ["sec-fetch-dest", "empty"]);
  if (ctx.referer !== undefined) h.push(["referer", ctx.referer]);
  h.push(["accept-encoding", acceptEncoding(browser)]);
  h.push(["accept-language", acceptLanguage(r, browser.engine, ctx.locale)]);
  if (ctx.cookie !== null) h.push(["cookie", ctx.cookie]);
  h.push(["priority", "u=1, i"]);
  return maybeCanonical(r, browser, h);
}

export type ApiClientKind = "ios-app" | "android-app" | "react-native" | "curl" | "python" | "node-axios" | "node-fetch" | "go" | "java" | "postman" | "ruby" | "dotnet" | "sdk-js" | "sdk-python";

export function pickApiClient(r: Random, audience: "mobile" | "developer" | "any"): ApiClientKind {
  if (audience === "mobile") return r.weighted([["ios-app", 5], ["android-app", 4], ["react-native", 2]] as const);
  if (audience === "developer") {
    return r.weighted([
      ["curl", 3], ["python", 4], ["node-axios", 3], ["node-fetch", 3], ["go", 2], ["java", 2],
      ["postman", 2], ["ruby", 1], ["dotnet", 1], ["sdk-js", 2], ["sdk-python", 2],
    ] as const);
  }
  return r.chance(0.5) ? pickApiClient(r, "mobile") : pickApiClient(r, "developer");
}

export interface ApiContext {
  host: string;
  method: string;
  locale?: string;
  authorization?: string;
  accept?: string;
  body?: Body;
  extra?: Header[];
}

/** Native apps, CLIs and SDKs: no sec-fetch-*, their own header order and casing. */
export function apiClientHeaders(r: Random, kind: ApiClientKind, ctx: ApiContext): Header[] {
  const locale = ctx.locale ?? "en-US";
  const extra = ctx.extra ?? [];
  switch (kind) {
    case "ios-app": {
      const version = r.pick(["5.12.1", "5.13.0", "5.14.2"]);
      const h: Header[] = [["host", ctx.host]];
      h.push(...contentHeaders(ctx.body));
      if (ctx.authorization !== undefined) h.push(["authorization", ctx.authorization]);
      h.push(["accept", ctx.accept ?? "application/json"]);
      h.push(["x-app-version", version], ["x-device-id", uuid(r).toUpperCase()], ...extra);
      h.push(["accept-language", `${locale};q=1.0, en-US;q=0.9`]);
      h.push(["user-agent", `Example/${version} (com.example.app; build:${version.replace(/\./g, "")}; iOS ${r.pick(["17.6.1", "18.0.1", "18.1.1"])}) Alamofire/5.9.1`]);
      h.push(["accept-encoding", "br;q=1.0, gzip;q=0.9, deflate;q=0.8"]);
      return h;
    }
    case "android-app": {
      const h: Header[] = [];
      if (ctx.authorization !== undefined) h.push(["authorization", ctx.authorization]);
      h.push(["accept", ctx.accept ?? "application/json"], ["x-app-version", r.pick(["5.12.0", "5.13.1"])], ["x-platform", "android"], ...extra);
      h.push(["accept-language", locale]);
      h.push(...contentHeaders(ctx.body));
      h.push(["host", ctx.host], ["connection", "Keep-Alive"], ["accept-encoding", "gzip"]);
      h.push(["user-agent", r.pick(["okhttp/4.12.0", `Example/5.13.1 (Android ${r.int(12, 15)}; ${r.pick(["Pixel 8", "SM-S918B", "moto g power (2024)"])}) okhttp/4.12.0`])]);
      return h;
    }
    case "react-native": {
      const h: Header[] = [["host", ctx.host], ...contentHeaders(ctx.body)];
      if (ctx.authorization !== undefined) h.push(["authorization", ctx.authorization]);
      h.push(["accept", ctx.accept ?? "application/json, text/plain, */*"], ...extra);
      h.push(["accept-language", locale.toLowerCase()], ["accept-encoding", "gzip, deflate, br"]);
      h.push(["user-agent", `Example/${r.int(300, 330)} CFNetwork/${r.pick(["1498.700.2", "1568.100.1"])} Darwin/${r.pick(["23.6.0", "24.0.0", "24.1.0"])}`]);
      return h;
    }
    case "curl": {
      const h: Header[] = [["Host", ctx.host], ["User-Agent", r.pick(["curl/8.5.0", "curl/8.7.1", "curl/7.81.0", "curl/8.10.1"])], ["Accept", ctx.accept ?? "*/*"]];
      if (ctx.authorization !== undefined) h.push(["Authorization", ctx.authorization]);
      h.push(...extra.map(([n, v]): Header => [canonicalCase(n), v]));
      h.push(...contentHeaders(ctx.body, canonicalCase));
      return h;
    }
    case "python": {
      const h: Header[] = [["Host", ctx.host], ["User-Agent", r.pick(["python-requests/2.32.3", "python-requests/2.31.0", "python-httpx/0.27.2"])], ["Accept-Encoding", "gzip, deflate"], ["Accept", ctx.accept ?? "*/*"], ["Connection", "keep-alive"]];
      if (ctx.authorization !== undefined) h.push(["Authorization", ctx.authorization]);
      h.push(...extra.map(([n, v]): Header => [canonicalCase(n), v]));
      h.push(...contentHeaders(ctx.body, canonicalCase));
      return h;
    }
    case "node-axios": {
      const h: Header[] = [["Accept", ctx.accept ?? "application/json, text/plain, */*"]];
      if (ctx.body !== undefined) h.push(["Content-Type", ctx.body.contentType]);
      if (ctx.authorization !== undefined) h.push(["Authorization", ctx.authorization]);
      h.push(...extra, ["User-Agent", r.pick(["axios/1.7.7", "axios/1.6.8"])]);
      if (ctx.body !== undefined) h.push(["Content-Length", String(utf8ByteLength(ctx.body.text))]);
      h.push(["Accept-Encoding", "gzip, compress, deflate, br"], ["Host", ctx.host], ["Connection", "keep-alive"]);
      return h;
    }
    case "node-fetch": {
      const h: Header[] = [["host", ctx.host], ["connection", "keep-alive"]];
      if (ctx.body !== undefined) h.push(["content-type", ctx.body.contentType]);
      if (ctx.authorization !== undefined) h.push(["authorization", ctx.authorization]);
      h.push(...extra, ["accept", ctx.accept ?? "*/*"], ["accept-language", "*"], ["sec-fetch-mode", "cors"], ["user-agent", "node"], ["accept-encoding", "gzip, deflate"]);
      if (ctx.body !== undefined) h.push(["content-length", String(utf8ByteLength(ctx.body.text))]);
      return h;
    }
    case "go": {
      const h: Header[] = [["Host", ctx.host], ["User-Agent", "Go-http-client/2.0"]];
      if (ctx.body !== undefined) h.push(["Content-Length", String(utf8ByteLength(ctx.body.text))]);
      if (ctx.accept !== undefined) h.push(["Accept", ctx.accept]);
      if (ctx.authorization !== undefined) h.push(["Authorization", ctx.authorization]);
      if (ctx.body !== undefined) h.push(["Content-Type", ctx.body.contentType]);
      h.push(...extra.map(([n, v]): Header => [canonicalCase(n), v]), ["Accept-Encoding", "gzip"]);
      return h;
    }
    case "java": {
      const h: Header[] = [];
      if (ctx.authorization !== undefined) h.push(["Authorization", ctx.authorization]);
      h.push(["Accept", ctx.accept ?? "application/json"], ...extra);
      h.push(...contentHeaders(ctx.body, canonicalCase));
      h.push(["Host", ctx.host], ["Connection", "Keep-Alive"], ["User-Agent", r.pick(["Apache-HttpClient/5.3.1 (Java/17.0.12)", "Java-http-client/21.0.4"])], ["Accept-Encoding", "gzip, x-gzip, deflate"]);
      return h;
    }
    case "postman": {
      const h: Header[] = [];
      if (ctx.body !== undefined) h.push(["Content-Type", ctx.body.contentType]);
      if (ctx.authorization !== undefined) h.push(["Authorization", ctx.authorization]);
      h.push(...extra, ["User-Agent", r.pick(["PostmanRuntime/7.42.0", "PostmanRuntime/7.39.1"])], ["Accept", ctx.accept ?? "*/*"], ["Cache-Control", "no-cache"], ["Postman-Token", uuid(r)]);
      h.push(["Host", ctx.host], ["Accept-Encoding", "gzip, deflate, br"], ["Connection", "keep-alive"]);
      if (ctx.body !== undefined) h.push(["Content-Length", String(utf8ByteLength(ctx.body.text))]);
      return h;
    }
    case "ruby": {
      const h: Header[] = [["User-Agent", "Faraday v2.12.0"]];
      if (ctx.body !== undefined) h.push(["Content-Type", ctx.body.contentType]);
      if (ctx.authorization !== undefined) h.push(["Authorization", ctx.authorization]);
      h.push(...extra, ["Accept-Encoding", "gzip;q=1.0,deflate;q=0.6,identity;q=0.3"], ["Accept", ctx.accept ?? "*/*"], ["Host", ctx.host]);
      if (ctx.body !== undefined) h.push(["Content-Length", String(utf8ByteLength(ctx.body.text))]);
      return h;
    }
    case "dotnet": {
      const h: Header[] = [["Host", ctx.host]];
      if (ctx.authorization !== undefined) h.push(["Authorization", ctx.authorization]);
      h.push(["Accept", ctx.accept ?? "application/json"], ["traceparent", traceparent(r)], ...extra);
      h.push(...contentHeaders(ctx.body, canonicalCase));
      return h;
    }
    case "sdk-js":
    case "sdk-python": {
      const language = kind === "sdk-js" ? `node/${r.pick(["20.18.0", "22.11.0"])}` : `python/${r.pick(["3.11.9", "3.12.7"])}`;
      const h: Header[] = [["host", ctx.host], ["user-agent", `example-sdk-${kind === "sdk-js" ? "js" : "python"}/${r.pick(["2.3.1", "2.4.0"])} ${language}`]];
      h.push(["accept", ctx.accept ?? "application/json"]);
      if (ctx.authorization !== undefined) h.push(["authorization", ctx.authorization]);
      h.push(["x-request-id", requestId(r)], ...extra);
      if (ctx.method === "POST" && r.chance(0.6)) h.push(["idempotency-key", uuid(r)]);
      h.push(...contentHeaders(ctx.body));
      h.push(["accept-encoding", "gzip, deflate"]);
      return h;
    }
  }
}

export type Crawler = "googlebot" | "bingbot" | "applebot" | "facebook" | "slackbot-link" | "uptime";

export function crawlerHeaders(r: Random, crawler: Crawler, host: string): Header[] {
  switch (crawler) {
    case "googlebot":
      return [["Host", host], ["Connection", "keep-alive"], ["Accept", "text/html,application/xhtml+xml,application/signed-exchange;v=b3,application/xml;q=0.9,*/*;q=0.8"], ["From", "googlebot(at)googlebot.com"], ["User-Agent", r.pick(["Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.69 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"])], ["Accept-Encoding", "gzip, deflate, br"]];
    case "bingbot":
      return [["Host", host], ["Accept", "*/*"], ["Accept-Encoding", "gzip, deflate, br"], ["User-Agent", "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36"]];
    case "applebot":
      return [["Host", host], ["Accept", "*/*"], ["User-Agent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)"], ["Accept-Language", "en-us"], ["Accept-Encoding", "br, gzip"]];
    case "facebook":
      return [["Host", host], ["Accept", "*/*"], ["User-Agent", "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"], ["Accept-Encoding", "deflate, gzip"], ["Range", "bytes=0-524287"]];
    case "slackbot-link":
      return [["Host", host], ["User-Agent", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"], ["Accept", "*/*"], ["Accept-Encoding", "gzip,deflate"], ["Range", "bytes=0-32768"]];
    case "uptime":
      return [["Host", host], ["User-Agent", r.pick(["Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)", "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)", "Better Stack Better Uptime Bot Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"])], ["Accept", "*/*"], ["Cache-Control", "no-cache"]];
  }
}
