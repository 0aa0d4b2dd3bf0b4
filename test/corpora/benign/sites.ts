/**
 * The fictional properties the corpus visits (RFC 2606 names). A browser page and the
 * API it calls sit on sibling hosts, so fetches carry `sec-fetch-site: same-site`.
 */
export type SiteKind = "shop" | "blog" | "forum" | "saas" | "travel" | "docs" | "help";

export interface Site {
  kind: SiteKind;
  host: string;
  apiHost: string;
}

export const SITES: Record<SiteKind, Site> = {
  shop: { kind: "shop", host: "shop.example.com", apiHost: "api.example.com" },
  blog: { kind: "blog", host: "blog.example.org", apiHost: "blog.example.org" },
  forum: { kind: "forum", host: "forum.example.net", apiHost: "forum.example.net" },
  saas: { kind: "saas", host: "app.example.com", apiHost: "api.example.com" },
  travel: { kind: "travel", host: "travel.example.com", apiHost: "travel.example.com" },
  docs: { kind: "docs", host: "docs.example.com", apiHost: "api.example.com" },
  help: { kind: "help", host: "help.example.com", apiHost: "help.example.com" },
};

export function origin(host: string): string {
  return `https://${host}`;
}
