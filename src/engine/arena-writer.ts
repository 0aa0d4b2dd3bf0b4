/**
 * Writes a request's fields into the Wasm arena: UTF-8 bytes plus one 24-byte descriptor
 * per field (src/engine/abi.ts). Enforces the field-count, field-length and total-bytes
 * limits and remembers what it cut, so the decision can report it.
 *
 * Short ASCII strings (most names and values) are copied with a charCodeAt loop: for a
 * handful of bytes that beats TextEncoder.encodeInto's fixed cost (~50 ns a call). The
 * first non-ASCII character hands the rest of the string to encodeInto.
 */
import { DESC_SIZE, FIELD_FLAG_TRUNCATED, FieldKind } from "./abi.js";

export interface Truncation {
  /** The limit that cut: the engine's (maxFields, maxFieldBytes, maxTotalBytes) or the extractor's (bodyBytes, jsonDepth, multipartParts…). */
  limit: string;
  /** What was cut, e.g. `header user-agent` or `body`. */
  detail: string;
}

export interface ArenaLimits {
  maxFields: number;
  maxFieldBytes: number;
  /** The raw body field's own limit (it is usually far longer than any other field). */
  maxBodyBytes: number;
  maxTotalBytes: number;
}

const encoder = new TextEncoder();

export class ArenaWriter {
  /** Number of fields written for the current request. */
  count = 0;
  /** The request's method and decoded path, seen as they pass (for per-route policies). */
  method = "";
  path = "";
  clientIp = "";
  truncations: Truncation[] = [];
  private offset = 0;
  /** The current field's name, written by begin(). */
  private nameOff = 0;
  private nameLen = 0;
  private bytes!: Uint8Array;
  private desc!: Uint32Array;
  private readonly capacity: number;
  private full = false;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly arenaPtr: number,
    private readonly descPtr: number,
    private readonly limits: ArenaLimits,
  ) {
    this.capacity = limits.maxTotalBytes;
    this.refreshViews();
  }

  /** Starts a new request. Views are refreshed if Wasm memory grew since the last one. */
  reset(): void {
    this.count = 0;
    this.method = "";
    this.path = "";
    this.clientIp = "";
    this.offset = 0;
    this.full = false;
    if (this.truncations.length > 0) this.truncations = [];
    if (this.bytes.buffer !== this.memory.buffer) this.refreshViews();
  }

  /** The byte view of Wasm memory at the arena (offsets are relative to the arena). */
  arenaView(): Uint8Array {
    return this.bytes.subarray(this.arenaPtr, this.arenaPtr + this.capacity);
  }

  add(kind: number, name: string, value: string): boolean {
    if (!this.begin(kind, name)) return false;
    if (kind === FieldKind.method) this.method = value;
    else if (kind === FieldKind.path) this.path = value;
    else if (kind === FieldKind.clientIp) this.clientIp = value;
    const valueOff = this.offset;
    const room = Math.min(this.valueLimit(kind), this.capacity - this.offset);
    const valueLen = this.writeString(value, room);
    this.offset += valueLen;
    // encodeInto stops early only when out of room (at most 3 bytes short): measure only then.
    const cut = room - valueLen < 4 && utf8Length(value) > valueLen;
    return this.finish(kind, name, valueOff, valueLen, cut);
  }

  /**
   * A byte string (each character one byte), as Node and fetch hand over header values:
   * written byte for byte, so the rules see exactly what the client sent.
   */
  addLatin1(kind: number, name: string, value: string): boolean {
    if (!this.begin(kind, name)) return false;
    const valueOff = this.offset;
    const valueLen = Math.min(value.length, this.valueLimit(kind), this.capacity - this.offset);
    const bytes = this.bytes;
    const base = this.arenaPtr + valueOff;
    for (let i = 0; i < valueLen; i++) bytes[base + i] = value.charCodeAt(i) & 0xff;
    this.offset += valueLen;
    return this.finish(kind, name, valueOff, valueLen, valueLen < value.length);
  }

  addBytes(kind: number, name: string, value: Uint8Array): boolean {
    if (!this.begin(kind, name)) return false;
    const valueOff = this.offset;
    const valueLen = Math.min(value.length, this.valueLimit(kind), this.capacity - this.offset);
    this.bytes.set(valueLen === value.length ? value : value.subarray(0, valueLen), this.arenaPtr + valueOff);
    this.offset += valueLen;
    return this.finish(kind, name, valueOff, valueLen, valueLen < value.length);
  }

  /** Records a limit hit by the extractor (body size, JSON depth, multipart parts). */
  note(truncation: Truncation): void {
    this.truncations.push(truncation);
  }

  private valueLimit(kind: number): number {
    return kind === FieldKind.bodyRaw ? this.limits.maxBodyBytes : this.limits.maxFieldBytes;
  }

  /** Checks the field-count and total limits, then writes the name (kept in nameOff/nameLen). */
  private begin(kind: number, name: string): boolean {
    if (this.full) return false;
    if (this.count >= this.limits.maxFields) {
      this.full = true;
      this.truncations.push({ limit: "maxFields", detail: `fields after #${this.count} (${kindLabel(kind)} ${name})` });
      return false;
    }
    if (this.offset >= this.capacity) {
      this.full = true;
      this.truncations.push({ limit: "maxTotalBytes", detail: `fields after #${this.count} (${kindLabel(kind)} ${name})` });
      return false;
    }
    this.nameOff = this.offset;
    this.nameLen = this.writeString(name, Math.min(this.limits.maxFieldBytes, this.capacity - this.offset));
    this.offset += this.nameLen;
    return true;
  }

  private finish(kind: number, name: string, valueOff: number, valueLen: number, cut: boolean): boolean {
    let flags = 0;
    if (cut) {
      flags = FIELD_FLAG_TRUNCATED;
      const limit = this.offset >= this.capacity ? "maxTotalBytes" : kind === FieldKind.bodyRaw ? "maxBodyBytes" : "maxFieldBytes";
      this.truncations.push({ limit, detail: `${kindLabel(kind)}${name ? ` ${name}` : ""}` });
    }
    const d = (this.descPtr >> 2) + this.count * (DESC_SIZE >> 2);
    const desc = this.desc;
    desc[d] = kind | flags;
    desc[d + 1] = this.nameOff;
    desc[d + 2] = this.nameLen;
    desc[d + 3] = valueOff;
    desc[d + 4] = valueLen;
    desc[d + 5] = 0;
    this.count++;
    return true;
  }

  /** Writes up to `room` bytes of `s` as UTF-8 at the current offset; returns bytes written. */
  private writeString(s: string, room: number): number {
    const bytes = this.bytes;
    const base = this.arenaPtr + this.offset;
    const n = s.length;
    // Short strings: a charCodeAt loop beats encodeInto's fixed cost (~50 ns); from a few
    // dozen characters on, encodeInto's bulk copy wins.
    if (n <= room && n <= 32) {
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        bytes[base + i] = c;
      }
      if (i === n) return n;
      return i + encoder.encodeInto(s.slice(i), bytes.subarray(base + i, base + room)).written;
    }
    return encoder.encodeInto(s, bytes.subarray(base, base + room)).written;
  }

  private refreshViews(): void {
    this.bytes = new Uint8Array(this.memory.buffer);
    this.desc = new Uint32Array(this.memory.buffer);
  }
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const KIND_LABELS = [
  "", "method", "uri", "path", "query string", "protocol", "query arg", "header", "cookie", "form field",
  "json value", "multipart field", "multipart filename", "multipart header", "body", "client ip", "basename", "json key",
];
export const kindLabel = (kind: number) => KIND_LABELS[kind] ?? `kind ${kind}`;
