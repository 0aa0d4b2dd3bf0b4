/**
 * Long-lived connections as their opening requests look: WebSocket upgrades, Socket.IO
 * (Engine.IO v4) long-polling with its packet framing, and Server-Sent Events streams.
 */
import { acceptLanguage } from "../clients";
import { base64, target } from "../encoding";
import { freeText } from "../prose";
import type { Random } from "../random";
import type { Draft, Header, Tag } from "../request";
import { SITES, origin } from "../sites";
import { accessToken, uuid } from "../tokens";
import { draft, visitor } from "../visitor";

export function websocketUpgrade(r: Random): Draft {
  const v = visitor(r, 0.9);
  const page = r.pick([SITES.saas, SITES.shop]);
  const host = r.pick([page.host, "realtime.example.com"]);
  const uri = r.pick([
    "/ws",
    target("/cable", []),
    target("/socket.io/", [["EIO", "4"], ["transport", "websocket"], ["sid", r.base64url(20)]]),
    target("/v1/realtime", [["token", accessToken(r, v.userId)], ["channels", "orders,notifications"]], "component"),
  ]);
  const headers: Header[] = [
    ["host", host],
    ["connection", "Upgrade"],
    ["pragma", "no-cache"],
    ["cache-control", "no-cache"],
    ["user-agent", v.browser.userAgent],
    ["upgrade", "websocket"],
    ["origin", origin(page.host)],
    ["sec-websocket-version", "13"],
    ["accept-encoding", "gzip, deflate, br, zstd"],
    ["accept-language", acceptLanguage(r, v.browser.engine, v.locale)],
  ];
  if (host === page.host && v.cookie !== null) headers.push(["cookie", v.cookie]);
  headers.push(["sec-websocket-key", base64(r.bytes(16))], ["sec-websocket-extensions", "permessage-deflate; client_max_window_bits"]);
  if (uri === "/cable") headers.push(["sec-websocket-protocol", "actioncable-v1-json, actioncable-unsupported"]);
  return draft("GET", uri, headers, null, "realtime");
}

function pollingHeaders(r: Random, body: string | null): Header[] {
  const v = visitor(r, 0.9);
  const site = SITES.saas;
  const h: Header[] = [["host", site.host]];
  if (body !== null) h.push(["content-length", String(new TextEncoder().encode(body).length)]);
  h.push(["user-agent", v.browser.userAgent], ["accept", "*/*"]);
  if (body !== null) h.push(["content-type", "text/plain;charset=UTF-8"], ["origin", origin(site.host)]);
  h.push(["sec-fetch-site", "same-origin"], ["sec-fetch-mode", "cors"], ["sec-fetch-dest", "empty"], ["referer", `${origin(site.host)}/app/chat`]);
  h.push(["accept-encoding", "gzip, deflate, br, zstd"], ["accept-language", acceptLanguage(r, v.browser.engine, v.locale)]);
  if (v.cookie !== null) h.push(["cookie", v.cookie]);
  return h;
}

/** Engine.IO v4 polling: `t` cache-buster, `sid`, and packets like `42["event",{...}]`. */
export function socketIoPolling(r: Random): Draft {
  const tags = new Set<Tag>(["realtime"]);
  const sid = r.base64url(20);
  const t = r.base64url(7);
  if (r.chance(0.4)) {
    const uri = target("/socket.io/", [["EIO", "4"], ["transport", "polling"], ["t", t], ...(r.chance(0.5) ? [["sid", sid] as [string, string]] : [])]);
    return draft("GET", uri, pollingHeaders(r, null), null, ...tags);
  }
  const packets = [
    `40${JSON.stringify({ token: accessToken(r, String(r.int(1000, 99999))) })}`,
    `42${JSON.stringify(["message", { room: `room-${r.int(1, 500)}`, text: freeText(r, tags, "chat", { sentences: [1, 2], lookalikeRate: 0.1 }), clientId: uuid(r) }])}`,
    `42${JSON.stringify(["typing", { room: `room-${r.int(1, 500)}`, typing: r.chance(0.5) }])}`,
    "3",
  ];
  const chosen = r.sample(packets, r.int(1, 2)).sort((a, b) => packets.indexOf(a) - packets.indexOf(b));
  const body = chosen.join("\x1e"); // Engine.IO v4 separates packets with U+001E
  const uri = target("/socket.io/", [["EIO", "4"], ["transport", "polling"], ["t", t], ["sid", sid]]);
  const d = draft("POST", uri, pollingHeaders(r, body), body, ...tags);
  return d;
}

export function eventStream(r: Random): Draft {
  const v = visitor(r, 1);
  const site = SITES.saas;
  const headers: Header[] = [
    ["host", site.apiHost],
    ["accept", "text/event-stream"],
    ["cache-control", "no-cache"],
    ["user-agent", v.browser.userAgent],
    ["authorization", `Bearer ${accessToken(r, v.userId)}`],
    ["origin", origin(site.host)],
    ["sec-fetch-site", "same-site"],
    ["sec-fetch-mode", "cors"],
    ["sec-fetch-dest", "empty"],
    ["referer", `${origin(site.host)}/app`],
    ["accept-encoding", "gzip, deflate, br, zstd"],
    ["accept-language", acceptLanguage(r, v.browser.engine, v.locale)],
  ];
  if (r.chance(0.4)) headers.push(["last-event-id", String(r.int(1000, 999999))]);
  return draft("GET", target("/v1/stream", [["topics", r.pick(["notifications", "orders,notifications", "project:42"])]]), headers, null, "realtime");
}
