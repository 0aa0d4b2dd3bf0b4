/**
 * Traffic no human types: load-balancer and orchestrator health probes, uptime monitors,
 * and the CORS preflights browsers send before cross-origin API writes.
 */
import { crawlerHeaders } from "../clients";
import type { Random } from "../random";
import type { Draft, Header } from "../request";
import { SITES, origin } from "../sites";
import { draft, visitor } from "../visitor";

export function healthProbe(r: Random): Draft {
  const kind = r.pick(["kube", "elb", "gcp", "uptime", "docker"] as const);
  const host = r.pick(["10.0.3.17:8080", "api.example.com", "app.example.com", "172.31.22.9"]);
  let headers: Header[];
  let path = r.pick(["/healthz", "/readyz", "/livez", "/health", "/api/health", "/_health", "/status"]);
  switch (kind) {
    case "kube":
      headers = [["Host", host], ["User-Agent", `kube-probe/1.${r.int(28, 31)}`], ["Accept", "*/*"], ["Connection", "close"]];
      break;
    case "elb":
      headers = [["Host", host], ["Connection", "close"], ["User-Agent", "ELB-HealthChecker/2.0"], ["Accept-Encoding", "gzip, compressed"]];
      break;
    case "gcp":
      headers = [["Host", host], ["User-Agent", "GoogleHC/1.0"], ["Connection", "Keep-alive"]];
      break;
    case "uptime":
      headers = crawlerHeaders(r, "uptime", r.pick([SITES.shop.host, SITES.saas.host]));
      path = r.pick(["/", "/status", "/api/health?full=1"]);
      break;
    default:
      headers = [["Host", "localhost:3000"], ["User-Agent", "Wget"], ["Accept", "*/*"], ["Connection", "close"]];
  }
  return draft(kind === "elb" && r.chance(0.3) ? "HEAD" : "GET", path, headers, null, "health");
}

export function corsPreflight(r: Random): Draft {
  const v = visitor(r, 0);
  const page = r.pick([SITES.saas, SITES.shop, SITES.docs]);
  const method = r.pick(["POST", "PUT", "PATCH", "DELETE", "GET"]);
  const requestHeaders = r.pick(["authorization,content-type", "content-type", "authorization,content-type,x-request-id", "authorization", "content-type,idempotency-key,x-csrf-token"]);
  const path = r.pick([`/v1/orders/${r.int(1000, 99999)}`, "/v1/cart/items", "/graphql", `/v1/tasks/${r.int(1, 90000)}`, "/v1/events", "/v1/uploads"]);
  const headers: Header[] = [
    ["host", page.apiHost],
    ["accept", "*/*"],
    ["access-control-request-method", method],
    ["access-control-request-headers", requestHeaders],
    ["origin", origin(page.host)],
    ["user-agent", v.browser.userAgent],
    ["sec-fetch-mode", "cors"],
    ["sec-fetch-site", "same-site"],
    ["sec-fetch-dest", "empty"],
    ["referer", `${origin(page.host)}/`],
    ["accept-encoding", v.browser.engine === "webkit" ? "gzip, deflate, br" : "gzip, deflate, br, zstd"],
    ["accept-language", v.locale],
    ["priority", "u=1, i"],
  ];
  return draft("OPTIONS", path, headers, null, "preflight");
}
