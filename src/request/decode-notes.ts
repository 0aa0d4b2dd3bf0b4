/** Turns the percent-decoder's flags into report entries, once per decoded part. */
import { DECODE_INVALID_ESCAPE, DECODE_INVALID_UTF8, takeDecodeFlags } from "./percent-decode.js";
import type { ExtractReport, ParseError } from "./types.js";

/** Adds parse errors for `part` when the decodes since the last call kept invalid escapes or invalid UTF-8. */
export function noteDecodeFlags(report: ExtractReport, part: ParseError["part"]): void {
  const flags = takeDecodeFlags();
  if (flags === 0) return;
  if (flags & DECODE_INVALID_ESCAPE) {
    report.parseErrors.push({ part, message: "invalid percent-encoding (kept literally)" });
  }
  if (flags & DECODE_INVALID_UTF8) {
    report.parseErrors.push({ part, message: "percent-encoded bytes are not valid UTF-8 (replaced by U+FFFD)" });
  }
}
