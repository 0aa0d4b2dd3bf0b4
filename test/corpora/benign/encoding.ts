/**
 * The encodings real clients apply, written out so each request is encoded the way the
 * client that would send it encodes it: HTML forms and URLSearchParams use the WHATWG
 * urlencoded serializer (space → "+"), hand-built fetch URLs use encodeURIComponent
 * (space → "%20", `!'()*` left alone).
 */

const utf8 = new TextEncoder();

export function utf8Bytes(text: string): Uint8Array {
  return utf8.encode(text);
}

export function utf8ByteLength(text: string): number {
  return utf8.encode(text).length;
}

/** WHATWG application/x-www-form-urlencoded byte serializer. */
export function formEncode(text: string): string {
  let out = "";
  for (const byte of utf8.encode(text)) {
    const keep =
      byte === 0x2a || byte === 0x2d || byte === 0x2e || byte === 0x5f ||
      (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
    if (keep) out += String.fromCharCode(byte);
    else if (byte === 0x20) out += "+";
    else out += "%" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

export type QueryStyle = "form" | "component";

export type Pairs = readonly (readonly [string, string])[];

/** `a=1&b=2`, keys and values encoded in the given style. */
export function encodePairs(pairs: Pairs, style: QueryStyle): string {
  const encode = style === "form" ? formEncode : encodeURIComponent;
  return pairs.map(([key, value]) => `${encode(key)}=${encode(value)}`).join("&");
}

/** A request target: path plus `?query` when there are pairs. */
export function target(path: string, pairs: Pairs = [], style: QueryStyle = "form"): string {
  return pairs.length === 0 ? path : `${path}?${encodePairs(pairs, style)}`;
}

/** A path segment as routers build it from a user-visible value. */
export function pathSegment(text: string): string {
  return encodeURIComponent(text);
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export function base64(input: string | Uint8Array): string {
  const bytes = typeof input === "string" ? utf8.encode(input) : input;
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i]!;
    const b1 = i + 1 < bytes.length ? bytes[i + 1]! : 0;
    const b2 = i + 2 < bytes.length ? bytes[i + 2]! : 0;
    out += BASE64[b0 >> 2];
    out += BASE64[((b0 & 3) << 4) | (b1 >> 4)];
    out += i + 1 < bytes.length ? BASE64[((b1 & 15) << 2) | (b2 >> 6)] : "=";
    out += i + 2 < bytes.length ? BASE64[b2 & 63] : "=";
  }
  return out;
}

export function base64url(input: string | Uint8Array): string {
  return base64(input).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
