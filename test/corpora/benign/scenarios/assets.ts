/**
 * Static assets as a page pulls them in (hashed bundles, fonts, responsive images with
 * resize parameters, WordPress uploads with `?ver=`), conditional revalidation, and the
 * well-known files crawlers and apps fetch.
 */
import { crawlerHeaders, resourceHeaders, type Destination } from "../clients";
import { target } from "../encoding";
import type { Random } from "../random";
import type { Draft, Header } from "../request";
import { SITES, origin } from "../sites";
import { isoTime, unixSeconds } from "../tokens";
import { PRODUCTS } from "../vocabulary";
import { draft, visitor } from "../visitor";

function asset(r: Random): { path: string; destination: Destination } {
  const hash = r.hex(8);
  return r.weighted<{ path: string; destination: Destination }>([
    [{ path: `/static/js/main.${hash}.js`, destination: "script" }, 3],
    [{ path: `/assets/index-${r.base64url(8)}.js`, destination: "script" }, 3],
    [{ path: `/assets/index-${r.base64url(8)}.css`, destination: "style" }, 3],
    [{ path: `/_next/static/chunks/pages/_app-${r.hex(16)}.js`, destination: "script" }, 2],
    [{ path: `/_next/static/css/${r.hex(16)}.css`, destination: "style" }, 1],
    [{ path: `/_next/static/media/inter-latin.${r.hex(8)}.woff2`, destination: "font" }, 1],
    [{ path: "/fonts/Inter-Variable.woff2", destination: "font" }, 1],
    [{ path: target("/_next/image", [["url", `/images/products/${r.int(100, 999)}/${r.pick(["hero", "front", "side", "detail"])}.jpg`], ["w", String(r.pick([384, 640, 828, 1080, 1920]))], ["q", "75"]], "component"), destination: "image" }, 3],
    [{ path: target(`/images/products/${r.pick(PRODUCTS).slug}.webp`, [["w", String(r.pick([320, 640, 1280]))], ["h", String(r.pick([320, 640, 1280]))], ["fit", "crop"], ["auto", "format,compress"]]), destination: "image" }, 3],
    [{ path: `/cdn/shop/files/${r.pick(["IMG_2041", "lookbook-fall", "Banner_1"])}.jpg?v=${unixSeconds(r)}&width=${r.pick([360, 540, 720, 1080])}`, destination: "image" }, 2],
    [{ path: `/wp-content/uploads/2025/${String(r.int(1, 11)).padStart(2, "0")}/${r.pick(["photo", "screenshot", "header-image"])}-${r.pick(["1024x683", "300x200", "768x512"])}.jpg`, destination: "image" }, 2],
    [{ path: `/wp-includes/js/jquery/jquery.min.js?ver=3.7.1`, destination: "script" }, 1],
    [{ path: `/wp-content/themes/astra/assets/css/minified/main.min.css?ver=4.8.${r.int(0, 9)}`, destination: "style" }, 1],
    [{ path: "/favicon.ico", destination: "image" }, 2],
    [{ path: "/apple-touch-icon.png", destination: "image" }, 1],
    [{ path: "/manifest.webmanifest", destination: "manifest" }, 1],
    [{ path: `/media/videos/${r.pick(["intro", "how-it-works"])}.mp4`, destination: "video" }, 1],
    [{ path: `/images/${encodeURIComponent(r.pick(["Café interior.jpg", "team photo (2025).png", "logo@2x.png", "über-uns.jpg"]))}`, destination: "image" }, 1],
  ]);
}

const PAGES_BY_SITE: Partial<Record<string, readonly string[]>> = {
  shop: ["", "search?q=rain+boots", "c/shoes?color=black", "p/yoga-mat-6mm-4821", "cart"],
  blog: ["", "2025/11/croissants-at-home/", "tag/recipes/"],
  saas: ["app", "app/projects/12/board", "settings/billing"],
  docs: ["docs/getting-started/authentication", "docs/guides/webhooks?lang=python"],
};

export function staticAsset(r: Random): Draft {
  const v = visitor(r, 0.3);
  const site = r.pick([SITES.shop, SITES.blog, SITES.saas, SITES.docs]);
  const { path, destination } = asset(r);
  const conditional: Header[] = [];
  if (r.chance(0.2)) conditional.push(["if-none-match", `"${r.hex(r.pick([16, 32]))}"`]);
  if (r.chance(0.1)) conditional.push(["if-modified-since", new Date((unixSeconds(r) - 86400 * 30) * 1000).toUTCString()]);
  const fromCdn = r.chance(0.3);
  const host = fromCdn ? "cdn.example.com" : site.host;
  const headers = resourceHeaders(r, v.browser, {
    host,
    locale: v.locale,
    cookie: fromCdn ? null : v.cookie,
    referer: `${origin(site.host)}/${r.pick(PAGES_BY_SITE[site.kind] ?? [""])}`,
    destination,
    site: fromCdn ? "same-site" : "same-origin",
    conditional,
  });
  return draft("GET", path, headers, null, "static");
}

export function wellKnownFile(r: Random): Draft {
  const site = r.pick([SITES.shop, SITES.blog, SITES.saas, SITES.docs]);
  const path = r.pick(["/robots.txt", "/sitemap.xml", "/sitemap_index.xml", "/sitemaps/products-1.xml", "/.well-known/apple-app-site-association", "/.well-known/assetlinks.json", "/.well-known/security.txt", "/ads.txt", "/feed.xml"]);
  const crawler = r.pick(["googlebot", "bingbot", "applebot", "uptime"] as const);
  const headers = crawlerHeaders(r, crawler, site.host);
  if (r.chance(0.3)) headers.push(["If-Modified-Since", new Date((unixSeconds(r) - 86400) * 1000).toUTCString()]);
  return draft("GET", path, headers, null, "static");
}

export function staticHead(r: Random): Draft {
  const site = r.pick([SITES.shop, SITES.blog]);
  const headers: Header[] = [["Host", site.host], ["User-Agent", r.pick(["curl/8.5.0", "Wget/1.21.4", "python-requests/2.32.3"])], ["Accept", "*/*"]];
  return draft("HEAD", r.pick(["/static/js/main.js", "/downloads/catalog-2025.pdf", `/media/report_${isoTime(unixSeconds(r)).slice(0, 10)}.csv`]), headers, null, "static");
}
