/**
 * Request ids: reuse the one a trusted front (load balancer, CDN, another service) put in
 * the request-id header when it is a plausible token, else a fresh random UUID. Anything
 * else in that header (long, or with characters that could forge log lines) is ignored.
 */
const PLAUSIBLE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export function requestIdFrom(incoming: string | null | undefined): string {
  if (incoming && PLAUSIBLE_ID.test(incoming)) return incoming;
  return globalThis.crypto.randomUUID();
}
