/**
 * Content-Type parsing by hand scan: the lower-cased essence (`type/subtype`) and parameters
 * (quoted or token values), tolerant of spaces and missing pieces. Never throws.
 */
import type { BodyKind } from "../types.js";

/** `Text/HTML; charset=utf-8` → `text/html`. */
export function mediaEssence(contentType: string): string {
  let end = contentType.indexOf(";");
  if (end < 0) end = contentType.length;
  return contentType.slice(0, end).trim().toLowerCase();
}

/** The value of parameter `name` (lower-case), unquoted; "" when absent. */
export function mediaParam(contentType: string, name: string): string {
  const n = contentType.length;
  let i = contentType.indexOf(";");
  while (i >= 0 && i < n) {
    i++;
    while (i < n && (contentType.charCodeAt(i) === 32 || contentType.charCodeAt(i) === 9)) i++;
    let eq = i;
    while (eq < n && contentType.charCodeAt(eq) !== 61 && contentType.charCodeAt(eq) !== 59) eq++;
    const key = contentType.slice(i, eq).trim().toLowerCase();
    if (eq >= n || contentType.charCodeAt(eq) === 59) {
      i = eq;
      continue;
    }
    let v = eq + 1;
    while (v < n && (contentType.charCodeAt(v) === 32 || contentType.charCodeAt(v) === 9)) v++;
    let value: string;
    let next: number;
    if (contentType.charCodeAt(v) === 34) {
      // Quoted string with backslash escapes.
      let out = "";
      let p = v + 1;
      while (p < n && contentType.charCodeAt(p) !== 34) {
        if (contentType.charCodeAt(p) === 92 && p + 1 < n) p++;
        out += contentType[p];
        p++;
      }
      value = out;
      next = contentType.indexOf(";", p);
    } else {
      next = contentType.indexOf(";", v);
      value = contentType.slice(v, next < 0 ? n : next).trim();
    }
    if (key === name) return value;
    i = next;
  }
  return "";
}

/** How a body with this content type is parsed. */
export function bodyKindOf(contentType: string): BodyKind {
  const essence = mediaEssence(contentType);
  if (essence === "application/x-www-form-urlencoded") return "form";
  if (essence.startsWith("multipart/")) return "multipart";
  if (essence === "application/json" || essence.endsWith("+json") || essence === "text/json") return "json";
  if (essence === "application/xml" || essence === "text/xml" || essence.endsWith("+xml")) return "xml";
  if (essence.startsWith("text/")) return "text";
  return "raw";
}
