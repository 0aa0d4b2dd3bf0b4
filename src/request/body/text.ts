/**
 * Bodies inspected whole: text/* and XML as decoded text, anything else as raw bytes. Both are
 * one `bodyRaw` field (name ""); the caller has already cut them at `maxBodyBytes`.
 */
import { FieldKind } from "../../engine/abi.js";
import type { FieldSink } from "../field-sink.js";

export function emitRawText(text: string, sink: FieldSink): boolean {
  return sink.add(FieldKind.bodyRaw, "", text);
}

export function emitRawBytes(bytes: Uint8Array, sink: FieldSink): boolean {
  return sink.addBytes(FieldKind.bodyRaw, "", bytes);
}
