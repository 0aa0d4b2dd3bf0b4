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
