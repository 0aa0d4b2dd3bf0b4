/** The request workloads every benchmark shares (issue 9 names them). */
import type { PlainRequest } from "../src/request/types.js";

export const ordinaryGet: PlainRequest = {
  method: "GET",
  url: "/products/shoes?category=running&page=2",
  headers: [
    ["host", "shop.example.com"],
    ["user-agent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"],
    ["accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"],
    ["accept-language", "en-GB,en;q=0.9"],
    ["accept-encoding", "gzip, deflate, br"],
    ["referer", "https://shop.example.com/products"],
    ["cookie", "session=9f8e7d6c5b4a39281706f5e4d3c2b1a0"],
  ],
  body: null,
};

const filler = (seed: number, n: number) => {
  const words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"];
  let s = "";
  for (let i = 0; s.length < n; i++) s += `${words[(seed + i * 7) % words.length]}${i % 3 === 0 ? "-" : " "}`;
  return s.slice(0, n);
};

/** 50 headers × 100 B, 30 args × 100 B, 20 cookies × 50 B, a 1.3 KB form body. */
export const heavyRequest: PlainRequest = {
  method: "POST",
  url: `/checkout/confirm?${Array.from({ length: 30 }, (_, i) => `arg${i}=${encodeURIComponent(filler(i, 100))}`).join("&")}`,
  headers: [
    ["host", "shop.example.com"],
    ["content-type", "application/x-www-form-urlencoded"],
    ["cookie", Array.from({ length: 20 }, (_, i) => `c${i}=${filler(i + 3, 45)}`.replace(/ /g, "_")).join("; ")],
    ...Array.from({ length: 47 }, (_, i) => [`x-custom-${i}`, filler(i + 11, 100)] as [string, string]),
  ],
  body: Array.from({ length: 13 }, (_, i) => `field${i}=${encodeURIComponent(filler(i + 5, 90))}`).join("&"),
};

export const attackRequest: PlainRequest = {
  method: "GET",
  url: "/items?id=1%27%20UNION%20SELECT%20username,password%20FROM%20users--&q=%3Cscript%3Ealert(1)%3C/script%3E",
  headers: [["host", "shop.example.com"], ["user-agent", "sqlmap/1.7.2#stable (https://sqlmap.org)"]],
  body: null,
};

export function jsonBody(bytes: number): PlainRequest {
  const items: object[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const item = { id: i, name: filler(i, 40), tags: [filler(i + 1, 10), filler(i + 2, 12)], price: 19.99 + i, nested: { note: filler(i + 3, 60) } };
    size += JSON.stringify(item).length + 1;
    items.push(item);
  }
  return { method: "POST", url: "/api/items", headers: [["host", "api.example.com"], ["content-type", "application/json"]], body: JSON.stringify({ items }) };
}

export function textBody(bytes: number): PlainRequest {
  return { method: "POST", url: "/upload", headers: [["host", "x"], ["content-type", "text/plain"]], body: filler(1, bytes) };
}

/**
 * A stream of ordinary GETs as a shop sees them: each request draws its browser headers from
 * a few browsers (8 User-Agents, 3 Accept, 5 Accept-Language, 2 Accept-Encoding values, one
 * Host), its page from 200 products × 10 categories × 50 pages and a Referer from 20 pages,
 * and carries a session cookie never seen before. Deterministic (a fixed LCG), so runs compare.
 * What the verdict cache meets in practice: browser headers repeat (it holds those), pages
 * partly and sessions never (it holds neither).
 */
export function getStream(count: number): PlainRequest[] {
  let state = 0x2545f491;
  const next = (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  const uas = [
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0",
  ];
  const accepts = ["text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8", "*/*"];
  const languages = ["en-GB,en;q=0.9", "en-US,en;q=0.9", "de-DE,de;q=0.9,en;q=0.8", "fr-FR,fr;q=0.9", "es-ES,es;q=0.9,en;q=0.7"];
  const encodings = ["gzip, deflate, br", "gzip, deflate, br, zstd"];
  const categories = ["running", "trail", "walking", "tennis", "football", "basketball", "hiking", "yoga", "cycling", "swimming"];
  return Array.from({ length: count }, (_, i) => {
    const session = Array.from({ length: 4 }, () => next(0x10000).toString(16).padStart(4, "0")).join("") + i.toString(16).padStart(8, "0");
    return {
      method: "GET",
      url: `/products/item-${next(200)}?category=${categories[next(10)]}&page=${1 + next(50)}`,
      headers: [
        ["host", "shop.example.com"],
        ["user-agent", uas[next(uas.length)]!],
        ["accept", accepts[next(accepts.length)]!],
        ["accept-language", languages[next(languages.length)]!],
        ["accept-encoding", encodings[next(encodings.length)]!],
        ["referer", `https://shop.example.com/products/item-${next(20)}`],
        ["cookie", `session=${session}`],
      ],
      body: null,
    };
  });
}
