/** `application/x-www-form-urlencoded` bodies: the same pair syntax as query strings, as `bodyForm` fields. */
import { FieldKind } from "../../engine/abi.js";
import { noteDecodeFlags } from "../decode-notes.js";
import type { FieldSink } from "../field-sink.js";
import { takeDecodeFlags } from "../percent-decode.js";
import type { ExtractReport } from "../types.js";
import { emitUrlEncodedPairs } from "../urlencoded-pairs.js";

/** Returns false when the sink refused a field. Invalid escapes are kept literally and reported. */
export function parseFormFields(text: string, sink: FieldSink, report: ExtractReport): boolean {
  takeDecodeFlags();
  const accepted = emitUrlEncodedPairs(text, 0, text.length, FieldKind.bodyForm, sink);
  noteDecodeFlags(report, "form");
  return accepted;
}
