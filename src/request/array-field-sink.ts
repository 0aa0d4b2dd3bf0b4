/**
 * An in-memory FieldSink for tests and for the CLI's `--debug-fields` style output.
 * Not for the hot path: it allocates one object per field.
 */
import { FIELD_KIND_NAMES, type FieldKindName } from "../engine/abi.js";
import type { FieldSink } from "./field-sink.js";

export interface CollectedField {
  kind: number;
  /** The kind's name from the ABI (`"queryArg"`, `"header"`, …), for readable assertions. */
  kindName: FieldKindName;
  name: string;
  /** Strings as given; byte values decoded as UTF-8 (non-fatal) so tests can compare text. */
  value: string;
  /** The original bytes when the field was added with addBytes or addLatin1. */
  bytes?: Uint8Array;
  /** Added with addLatin1: `value` is the byte string as given, `bytes` its bytes. */
  latin1?: boolean;
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

export class ArrayFieldSink implements FieldSink {
  readonly fields: CollectedField[] = [];

  /** @param maxFields stop accepting after this many fields (to exercise the caller's stop path). */
  constructor(private readonly maxFields = Infinity) {}

  add(kind: number, name: string, value: string): boolean {
    if (this.fields.length >= this.maxFields) return false;
    this.fields.push({ kind, kindName: FIELD_KIND_NAMES[kind], name, value });
    return this.fields.length < this.maxFields;
  }

  addBytes(kind: number, name: string, value: Uint8Array): boolean {
    if (this.fields.length >= this.maxFields) return false;
    this.fields.push({ kind, kindName: FIELD_KIND_NAMES[kind], name, value: utf8.decode(value), bytes: value.slice() });
    return this.fields.length < this.maxFields;
  }

  addLatin1(kind: number, name: string, value: string): boolean {
    if (this.fields.length >= this.maxFields) return false;
    const bytes = Uint8Array.from(value, (ch) => ch.charCodeAt(0) & 0xff);
    this.fields.push({ kind, kindName: FIELD_KIND_NAMES[kind], name, value, bytes, latin1: true });
    return this.fields.length < this.maxFields;
  }

  /** Fields of one kind as `[name, value]` pairs, in order. */
  pairs(kind: FieldKindName): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const f of this.fields) if (f.kindName === kind) out.push([f.name, f.value]);
    return out;
  }

  /** Values of one kind, in order. */
  values(kind: FieldKindName): string[] {
    return this.pairs(kind).map((p) => p[1]);
  }
}
