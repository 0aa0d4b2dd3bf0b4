/**
 * Body bytes to text. UTF-8 unless the content type names another charset that the platform's
 * TextDecoder knows; an unknown label falls back to UTF-8. Decoding never throws: invalid
 * sequences become U+FFFD and the report notes them (a second, fatal decode confirms it only
 * when a U+FFFD appears, so valid text pays one decode).
 */
import type { ExtractReport } from "../types.js";
import { mediaParam } from "./media-type.js";

// A leading BOM is dropped, as fetch's `req.json()`/`req.text()` and body-parser do.
const utf8 = new TextDecoder("utf-8", { fatal: false });
const utf8Fatal = new TextDecoder("utf-8", { fatal: true });
const otherDecoders = new Map<string, TextDecoder | null>();

function decoderFor(label: string): TextDecoder | null {
  let decoder = otherDecoders.get(label);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(label, { fatal: false });
    } catch {
      decoder = null;
    }
    // Valid labels are a small fixed set; cache misses (bad labels) only up to a bound.
    if (decoder !== null || otherDecoders.size < 64) otherDecoders.set(label, decoder);
  }
  return decoder;
}

export function decodeUtf8(bytes: Uint8Array, report: ExtractReport | null, where: string): string {
  const text = utf8.decode(bytes);
  if (report !== null && text.indexOf("\uFFFD") >= 0) {
    try {
      utf8Fatal.decode(bytes);
    } catch {
      const message = `invalid UTF-8 in ${where} (replaced by U+FFFD)`;
      // Once per place: a body with many bad parts gives one entry, not one per part.
      if (!report.parseErrors.some((e) => e.part === "charset" && e.message === message)) {
        report.parseErrors.push({ part: "charset", message });
      }
    }
  }
  return text;
}

export function decodeBodyText(bytes: Uint8Array, contentType: string, report: ExtractReport): string {
  const label = mediaParam(contentType, "charset").toLowerCase();
  if (label === "" || label === "utf-8" || label === "utf8") return decodeUtf8(bytes, report, "body");
  const decoder = decoderFor(label);
  if (decoder === null) {
    report.parseErrors.push({ part: "charset", message: `unknown charset "${label.slice(0, 40)}": decoded as UTF-8` });
    return decodeUtf8(bytes, report, "body");
  }
  return decoder.decode(bytes);
}
