/**
 * multipart/form-data bodies with the boundary style of the client that builds them
 * (Chromium/WebKit, Firefox, curl, python-requests, okhttp), CRLF line endings, and
 * filenames escaped as browsers escape them (`"` → %22, newlines → %0A).
 */
import type { Random } from "./random";

export type BoundaryStyle = "webkit" | "firefox" | "curl" | "python" | "okhttp" | "axios";

export function boundary(r: Random, style: BoundaryStyle): string {
  switch (style) {
    case "webkit":
      return `----WebKitFormBoundary${r.alnum(16)}`;
    case "firefox":
      return r.chance(0.5) ? `----geckoformboundary${r.hex(32)}` : `---------------------------${r.digits(29)}`;
    case "curl":
      return `------------------------${r.hex(16)}`;
    case "python":
      return r.hex(32);
    case "okhttp":
      return `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-a${r.hex(3)}-${r.hex(12)}`;
    case "axios":
      return `axios-${r.digits(13)}`;
  }
}

export type Part =
  | { kind: "field"; name: string; value: string }
  | { kind: "file"; name: string; filename: string; contentType: string; content: string };

function escapeQuoted(text: string): string {
  return text.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function multipartBody(boundaryValue: string, parts: readonly Part[]): string {
  let out = "";
  for (const part of parts) {
    out += `--${boundaryValue}\r\n`;
    if (part.kind === "field") {
      out += `Content-Disposition: form-data; name="${escapeQuoted(part.name)}"\r\n\r\n${part.value}\r\n`;
    } else {
      out += `Content-Disposition: form-data; name="${escapeQuoted(part.name)}"; filename="${escapeQuoted(part.filename)}"\r\n`;
      out += `Content-Type: ${part.contentType}\r\n\r\n${part.content}\r\n`;
    }
  }
  return `${out}--${boundaryValue}--\r\n`;
}

export function multipartContentType(boundaryValue: string): string {
  return `multipart/form-data; boundary=${boundaryValue}`;
}
