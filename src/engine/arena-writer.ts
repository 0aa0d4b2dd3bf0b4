/**
 * Writes a request's fields into the Wasm arena: UTF-8 bytes plus one 24-byte descriptor
 * per field (src/engine/abi.ts). Enforces the field-count, field-length and total-bytes
 * limits and remembers what it cut, so the decision can report it.
 *
 * Batched encoding: TextEncoder.encodeInto costs 50–100 ns a call whatever the length, and
 * a charCodeAt copy loop 2–3 ns a character on Node 20 — so one call per name and value
 * was most of an ordinary GET's cost. A field that cannot hit any limit even at 3 bytes per
 * UTF-16 unit (the UTF-8 worst case) is instead appended to one pending string (V8 joins it
 * as a rope) with a descriptor that assumes ASCII; flush() encodes the whole batch with ONE
 * encodeInto call. When that call reports written === read === length, every character was
 * ASCII and the assumed offsets are the real ones. Otherwise (non-ASCII text, or a Latin-1
 * header value with bytes ≥ 0x80) the first field holding a non-ASCII character is written
 * on its own, exactly as the unbatched path writes it, and the rest is encoded again after
 * it — so bytes, descriptors and truncation reports never depend on the batching (a batch
 * with non-ASCII text costs one or two more encodeInto calls). A field that could hit a
 * limit flushes the batch and takes the exact path.
 *
 * Percent-encoded values (addUrlEncoded: query arguments and form fields holding a `%`) join
 * the batch as their source text, one slice each, marked FORM_ENCODED in their descriptor;
 * once the batch is encoded, flush() has the engine decode them in place (one call,
 * assembly/form-decode.ts), which moves what follows down over the bytes the escapes freed —
 * so no decoded string is built, and no rope of slices and characters is flattened again by
 * encodeInto. The result is the exact path's for the decoded string.
 */
import { percentDecode, raiseDecodeFlags } from "../request/percent-decode.js";
import { DESC_SIZE, FIELD_FLAG_TRUNCATED, FieldKind } from "./abi.js";

/**
 * What the writer needs of an engine instance (src/engine/engine.ts EngineExports): its
 * memory, where the arena and the descriptor table are, and the in-place form decoder.
 */
export interface ArenaHost {
  memory: WebAssembly.Memory;
  arenaPtr(): number;
  descPtr(): number;
  /** Decodes the FORM_ENCODED values of fields first..end-1 in place; returns the new arena end. */
  formDecodeFields(first: number, end: number, arenaEnd: number): number;
  /** The DECODE_* flags (src/request/percent-decode.ts) of the last formDecodeFields. */
  formDecodeFlags(): number;
}

/** Descriptor word 5 of a value written as its form-urlencoded source (assembly/form-decode.ts). */
const FORM_ENCODED = 1;

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

/**
 * Longer strings are not batched: encodeInto's fixed cost is small beside them, and a
 * batch (joined, flattened, maybe rewritten) stays a few KB.
 */
const BATCH_MAX_CHARS = 1024;
/**
 * A batch is flushed once it holds this many characters: fewer flushes (the heavy request's
 * ~17 K characters in two batches rather than five), while bounding the whole-rest encodings a
 * batch with non-ASCII text may repeat (two at most, see flush).
 */
const BATCH_FLUSH_CHARS = 16384;
/** The first character encodeInto would not copy as one byte. */
const NON_ASCII = /[^\x00-\x7f]/;

export class ArenaWriter {
  /** The request's method and decoded path, seen as they pass (for per-route policies). */
  method = "";
  path = "";
  clientIp = "";
  truncations: Truncation[] = [];
  /** Fields written for the current request (read through `count`, which flushes). */
  private fields = 0;
  /** Arena offset after the last field; inside a batch it assumes ASCII (one byte a character). */
  private offset = 0;
  /** The current field's name, written by begin(). */
  private nameOff = 0;
  private nameLen = 0;
  private bytes!: Uint8Array;
  private desc!: Uint32Array;
  /** The whole arena as a view: encodeInto's target when a batch starts at offset 0. */
  private arena!: Uint8Array;
  private readonly capacity: number;
  private full = false;
  /**
   * The pending batch's names and values joined, where it starts, its first field. The text
   * lives in a small object made per request rather than in a field of the writer: the writer
   * is long-lived (old generation), so storing each new rope in it would take V8's write
   * barrier slow path once per field; a young holder takes the fast path.
   */
  private pending: { text: string } = { text: "" };
  private batchStart = 0;
  private batchFirst = 0;
  /** Per field of the batch: 1 when its value is a byte string (addLatin1), 2 when it is percent-encoded (addUrlEncoded). */
  private readonly latin1: Uint8Array;
  /** The batch's first percent-encoded field (-1: none). */
  private firstEncoded = -1;
  // The batch test in add() is a few compares against these, kept current by startBatch():
  /** The (ASCII-assumed) offset the batch may reach: every byte of it fits even at 3 per character. */
  private batchEnd = 0;
  /** Fields that may be batched: min(maxFields, latin1.length), 0 once full. */
  private fieldCap = 0;
  /** Longest name or value (body: bodyChars) whose UTF-8 cannot exceed its limit. */
  private readonly fieldChars: number;
  private readonly bodyChars: number;

  private readonly memory: WebAssembly.Memory;
  private readonly arenaPtr: number;
  private readonly descPtr: number;

  constructor(
    private readonly host: ArenaHost,
    private readonly limits: ArenaLimits,
  ) {
    this.memory = host.memory;
    this.arenaPtr = host.arenaPtr();
    this.descPtr = host.descPtr();
    this.capacity = limits.maxTotalBytes;
    this.latin1 = new Uint8Array(Math.max(0, Math.min(limits.maxFields, 1 << 20)));
    this.fieldChars = Math.min(BATCH_MAX_CHARS, Math.floor(limits.maxFieldBytes / 3));
    this.bodyChars = Math.min(BATCH_MAX_CHARS, Math.floor(limits.maxBodyBytes / 3));
    this.refreshViews();
    this.reset();
  }

  /**
   * Number of fields written for the current request. Reading it encodes the pending batch,
   * so whoever hands the arena to Wasm (which needs the count) sees every byte in place.
   */
  get count(): number {
    if (this.fields !== this.batchFirst) this.flush();
    return this.fields;
  }

  /** Starts a new request. Views are refreshed if Wasm memory grew since the last one. */
  reset(): void {
    this.fields = 0;
    this.method = "";
    this.path = "";
    this.clientIp = "";
    this.offset = 0;
    this.full = false;
    this.fieldCap = this.latin1.length;
    this.pending = { text: "" };
    this.batchFirst = 0;
    this.firstEncoded = -1;
    this.startBatch();
    if (this.truncations.length > 0) this.truncations = [];
    // Growing Wasm memory detaches the old buffer, which empties every view on it.
    if (this.bytes.length === 0) this.refreshViews();
  }

  /** The byte view of Wasm memory at the arena (offsets are relative to the arena). */
  arenaView(): Uint8Array {
    if (this.fields !== this.batchFirst) this.flush();
    // inspect may have grown Wasm memory (a long value needed the larger transform buffers).
    if (this.bytes.length === 0) this.refreshViews();
    return this.arena;
  }

  add(kind: number, name: string, value: string): boolean {
    if (!this.batchable(kind, name.length, value.length)) {
      // The batch is full, or this field could hit a limit: encode the batch and retry on an
      // empty one; failing that, the field takes the exact path (limits checked as it is written).
      if (this.fields !== this.batchFirst) this.flush();
      if (!this.batchable(kind, name.length, value.length)) return this.addExact(kind, name, value);
    }
    if (kind === FieldKind.method) this.method = value;
    else if (kind === FieldKind.path) this.path = value;
    else if (kind === FieldKind.clientIp) this.clientIp = value;
    this.defer(kind, name, value, 0);
    return true;
  }

  /**
   * A byte string (each character one byte), as Node and fetch hand over header values:
   * written byte for byte, so the rules see exactly what the client sent.
   */
  addLatin1(kind: number, name: string, value: string): boolean {
    if (!this.batchable(kind, name.length, value.length)) {
      if (this.fields !== this.batchFirst) this.flush();
      if (!this.batchable(kind, name.length, value.length)) return this.addLatin1Exact(kind, name, value);
    }
    this.defer(kind, name, value, 1);
    return true;
  }

  /**
   * A form-urlencoded value as its source s[start, end) (`%XY` escapes, `+` as a space): the
   * same bytes, descriptor and truncation report as `add(kind, name, percentDecode(s.slice(start,
   * end), true))`. Its DECODE_* flags are raised by the time flush() returns (the batch decodes
   * it in place then; see the file comment).
   */
  addUrlEncoded(kind: number, name: string, s: string, start: number, end: number): boolean {
    // The writer keeps these kinds' values as strings (never urlencoded pairs in practice).
    const kept = kind === FieldKind.method || kind === FieldKind.path || kind === FieldKind.clientIp;
    const chars = end - start;
    if (kept || !this.batchable(kind, name.length, chars)) {
      if (this.fields !== this.batchFirst) this.flush();
      if (kept || !this.batchable(kind, name.length, chars)) {
        // Too long to batch, but nothing can be cut or refused: its source written on its own
        // and decoded in place, as a batch would (a JS decode costs ~2 ns a byte).
        if (!kept && this.fitsUncut(kind, name.length, chars)) return this.addEncodedAlone(kind, name, s.slice(start, end));
        // Could be cut or refused: decoded to a string, written (or refused) by the exact path.
        return this.add(kind, name, percentDecode(s.slice(start, end), true));
      }
    }
    if (this.firstEncoded < 0) this.firstEncoded = this.fields;
    this.defer(kind, name, s.slice(start, end), 2);
    return true;
  }

  addBytes(kind: number, name: string, value: Uint8Array): boolean {
    if (this.fields !== this.batchFirst) this.flush();
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

  /**
   * Encodes the pending batch into the arena with one encodeInto call (see the file comment).
   * Called by `count` and `arenaView()`; call it directly when reading the arena otherwise.
   */
  flush(): void {
    let i = this.batchFirst;
    const end = this.fields;
    if (i === end) return;
    const pending = this.pending;
    const s = pending.text;
    const start = this.batchStart;
    const firstEncoded = this.firstEncoded;
    pending.text = "";
    this.batchFirst = end;
    this.firstEncoded = -1;
    const desc = this.desc;
    const words = DESC_SIZE >> 2;
    /** Where the rest of the batch starts: in `s` (characters) and in the arena (bytes). */
    let from = 0;
    let at = start;
    let passes = 0;
    for (;;) {
      const rest = from === 0 ? s : s.slice(from);
      // The whole batch is encoded at once (usually all ASCII: done), and again after each of
      // the first fields holding a non-ASCII character. From the third pass on, the next such
      // character is searched first and only the ASCII text before its field encoded, so a
      // batch of many non-ASCII fields costs what it moves, not one encoding of the whole rest
      // per field (1000 such headers: 1.45 -> 0.18 ms). Fewer pay no search of the rest.
      const next = passes < 2 ? -1 : rest.search(NON_ASCII);
      passes++;
      if (next < 0) {
        const r = encoder.encodeInto(rest, at === 0 ? this.arena : this.arena.subarray(at));
        if (r.written === r.read && r.read === rest.length) {
          this.shiftTo(i, end, at - start - from);
          this.offset = at + rest.length;
          break;
        }
      }
      // Not all ASCII. Fields before the first non-ASCII character were copied one byte per
      // character and stay (descriptors shifted); the field holding it is written on its own,
      // exactly as the exact path writes it (UTF-8 name; UTF-8 or Latin-1 value; lone
      // surrogates as U+FFFD); then the rest of the batch. Nothing can be cut: batchable()
      // checked the UTF-8 worst case, so no truncation is reported here.
      const bad = from + (next < 0 ? rest.search(NON_ASCII) : next);
      const shift = at - start - from;
      let d = (this.descPtr >> 2) + i * words;
      while (desc[d + 3] - start + desc[d + 4] <= bad) {
        desc[d + 1] += shift;
        desc[d + 3] += shift;
        i++;
        d += words;
      }
      const charPos = desc[d + 1] - start;
      // Searched first: the ASCII fields before this one are not written yet (one byte a character).
      if (next >= 0 && charPos > from) encoder.encodeInto(rest, this.arena.subarray(at, at + charPos - from));
      const nameChars = desc[d + 2];
      const valueChars = desc[d + 4];
      const charEnd = charPos + nameChars + valueChars;
      const kind = desc[d];
      const nameOff = desc[d + 1] + shift;
      this.offset = nameOff;
      const nameLen = this.writeString(s.slice(charPos, charPos + nameChars), Math.min(this.limits.maxFieldBytes, this.capacity - this.offset));
      this.offset += nameLen;
      const value = s.slice(charPos + nameChars, charEnd);
      const valueOff = this.offset;
      let valueLen: number;
      if (this.latin1[i] === 1) {
        valueLen = Math.min(value.length, this.valueLimit(kind), this.capacity - this.offset);
        this.writeLatin1(value, valueLen);
      } else {
        valueLen = this.writeString(value, Math.min(this.valueLimit(kind), this.capacity - this.offset));
      }
      this.offset += valueLen;
      desc[d + 1] = nameOff;
      desc[d + 2] = nameLen;
      desc[d + 3] = valueOff;
      desc[d + 4] = valueLen;
      i++;
      if (i === end) break;
      from = charEnd;
      at = this.offset;
    }
    if (firstEncoded >= 0) {
      this.offset = this.host.formDecodeFields(firstEncoded, end, this.offset);
      raiseDecodeFlags(this.host.formDecodeFlags());
    }
    this.startBatch();
  }

  /** Moves the descriptors of fields first..end-1 by `shift` bytes. */
  private shiftTo(first: number, end: number, shift: number): void {
    if (shift === 0) return;
    const desc = this.desc;
    const words = DESC_SIZE >> 2;
    for (let d = (this.descPtr >> 2) + first * words; first < end; first++, d += words) {
      desc[d + 1] += shift;
      desc[d + 3] += shift;
    }
  }

  /** A new (empty) batch starts at the current offset. */
  private startBatch(): void {
    this.batchStart = this.offset;
    // batchStart + 3 * chars < capacity (-1 when even an empty field would not fit), at most BATCH_FLUSH_CHARS.
    this.batchEnd = this.offset + Math.min(BATCH_FLUSH_CHARS, Math.floor((this.capacity - 1 - this.offset) / 3));
  }

  /**
   * True when this field can join the batch: the field limit is not reached and, even at 3
   * UTF-8 bytes per UTF-16 unit, neither its name, nor its value, nor the arena (with the batch
   * so far at its worst too) would be cut — so the exact path could not refuse or cut it
   * either, whatever its characters. A few compares: startBatch() precomputes the bound.
   */
  private batchable(kind: number, nameChars: number, valueChars: number): boolean {
    return (
      this.offset + nameChars + valueChars <= this.batchEnd &&
      this.fields < this.fieldCap &&
      nameChars <= this.fieldChars &&
      valueChars <= (kind === FieldKind.bodyRaw ? this.bodyChars : this.fieldChars)
    );
  }

  /** Appends a field to the batch, with a descriptor that assumes ASCII (flush() corrects it if not). */
  private defer(kind: number, name: string, value: string, latin1: number): void {
    const i = this.fields;
    const nameOff = this.offset;
    const valueOff = nameOff + name.length;
    const d = (this.descPtr >> 2) + i * (DESC_SIZE >> 2);
    const desc = this.desc;
    desc[d] = kind;
    desc[d + 1] = nameOff;
    desc[d + 2] = name.length;
    desc[d + 3] = valueOff;
    desc[d + 4] = value.length;
    desc[d + 5] = latin1 === 2 ? FORM_ENCODED : 0;
    this.latin1[i] = latin1;
    // Appended one after the other, not as a pair: every right child of the rope is then a
    // leaf, which V8's flatten copies in its loop (a pair node costs it a recursive call).
    const pending = this.pending;
    pending.text = pending.text + name + value;
    this.offset = valueOff + value.length;
    this.fields = i + 1;
  }

  /**
   * batchable() without the batch's own caps (its length and BATCH_MAX_CHARS): even at 3
   * UTF-8 bytes per UTF-16 unit, this field is neither refused nor cut.
   */
  private fitsUncut(kind: number, nameChars: number, valueChars: number): boolean {
    return (
      this.fields < this.fieldCap &&
      3 * (nameChars + valueChars) <= this.capacity - 1 - this.offset &&
      3 * nameChars <= this.limits.maxFieldBytes &&
      3 * valueChars <= this.valueLimit(kind)
    );
  }

  /** A percent-encoded value that fitsUncut, outside a batch (the batch is empty): its source, then decoded in place. */
  private addEncodedAlone(kind: number, name: string, source: string): boolean {
    this.begin(kind, name);
    const valueOff = this.offset;
    this.offset += this.writeString(source, this.capacity - this.offset);
    const d = (this.descPtr >> 2) + this.fields * (DESC_SIZE >> 2);
    this.finish(kind, name, valueOff, this.offset - valueOff, false);
    this.desc[d + 5] = FORM_ENCODED;
    this.offset = this.host.formDecodeFields(this.fields - 1, this.fields, this.offset);
    raiseDecodeFlags(this.host.formDecodeFlags());
    this.startBatch();
    return true;
  }

  private addExact(kind: number, name: string, value: string): boolean {
    if (!this.begin(kind, name)) return false;
    if (kind === FieldKind.method) this.method = value;
    else if (kind === FieldKind.path) this.path = value;
    else if (kind === FieldKind.clientIp) this.clientIp = value;
    return this.writeValue(kind, name, value);
  }

  private addLatin1Exact(kind: number, name: string, value: string): boolean {
    if (!this.begin(kind, name)) return false;
    return this.writeLatin1Value(kind, name, value);
  }

  private writeValue(kind: number, name: string, value: string): boolean {
    const valueOff = this.offset;
    const room = Math.min(this.valueLimit(kind), this.capacity - this.offset);
    const valueLen = this.writeString(value, room);
    this.offset += valueLen;
    // Cut exactly when the writer stopped before the last character (out of room).
    const cut = this.charsWritten < value.length;
    return this.finish(kind, name, valueOff, valueLen, cut);
  }

  private writeLatin1Value(kind: number, name: string, value: string): boolean {
    const valueOff = this.offset;
    const valueLen = Math.min(value.length, this.valueLimit(kind), this.capacity - this.offset);
    this.writeLatin1(value, valueLen);
    this.offset += valueLen;
    return this.finish(kind, name, valueOff, valueLen, valueLen < value.length);
  }

  /** Writes the first `n` characters of a byte string at the current offset, one byte each. */
  private writeLatin1(value: string, n: number): void {
    const bytes = this.bytes;
    const base = this.arenaPtr + this.offset;
    for (let i = 0; i < n; i++) bytes[base + i] = value.charCodeAt(i) & 0xff;
  }

  private valueLimit(kind: number): number {
    return kind === FieldKind.bodyRaw ? this.limits.maxBodyBytes : this.limits.maxFieldBytes;
  }

  /** Checks the field-count and total limits, then writes the name (kept in nameOff/nameLen). */
  private begin(kind: number, name: string): boolean {
    if (this.full) return false;
    if (this.fields >= this.limits.maxFields) {
      this.full = true;
      this.fieldCap = 0;
      this.truncations.push({ limit: "maxFields", detail: `fields after #${this.fields} (${kindLabel(kind)} ${name})` });
      return false;
    }
    if (this.offset >= this.capacity) {
      this.full = true;
      this.fieldCap = 0;
      this.truncations.push({ limit: "maxTotalBytes", detail: `fields after #${this.fields} (${kindLabel(kind)} ${name})` });
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
    const d = (this.descPtr >> 2) + this.fields * (DESC_SIZE >> 2);
    const desc = this.desc;
    desc[d] = kind | flags;
    desc[d + 1] = this.nameOff;
    desc[d + 2] = this.nameLen;
    desc[d + 3] = valueOff;
    desc[d + 4] = valueLen;
    desc[d + 5] = 0;
    this.fields++;
    this.batchFirst = this.fields;
    this.startBatch();
    return true;
  }

  /**
   * Writes up to `room` bytes of `s` as UTF-8 at the current offset; returns the bytes written
   * and leaves the UTF-16 units consumed in `charsWritten`. Same bytes as encodeInto: a
   * character that does not fit whole is not written, lone surrogates become U+FFFD.
   */
  private writeString(s: string, room: number): number {
    const n = s.length;
    const base = this.arenaPtr + this.offset;
    // Short strings: a loop beats encodeInto's fixed cost (50–100 ns with the subarray it
    // needs); from a few dozen characters on, encodeInto's bulk copy wins.
    if (n > 32) {
      const { read, written } = encoder.encodeInto(s, this.bytes.subarray(base, base + room));
      this.charsWritten = read;
      return written;
    }
    const bytes = this.bytes;
    const end = base + room;
    let p = base;
    let i = 0;
    for (; i < n; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) {
        if (p >= end) break;
        bytes[p++] = c;
      } else if (c < 0x800) {
        if (p + 2 > end) break;
        bytes[p++] = 0xc0 | (c >> 6);
        bytes[p++] = 0x80 | (c & 0x3f);
      } else {
        if (c >= 0xd800 && c <= 0xdfff) {
          const next = i + 1 < n ? s.charCodeAt(i + 1) : 0;
          if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
            if (p + 4 > end) break;
            const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
            bytes[p++] = 0xf0 | (cp >> 18);
            bytes[p++] = 0x80 | ((cp >> 12) & 0x3f);
            bytes[p++] = 0x80 | ((cp >> 6) & 0x3f);
            bytes[p++] = 0x80 | (cp & 0x3f);
            i++;
            continue;
          }
          c = 0xfffd;
        }
        if (p + 3 > end) break;
        bytes[p++] = 0xe0 | (c >> 12);
        bytes[p++] = 0x80 | ((c >> 6) & 0x3f);
        bytes[p++] = 0x80 | (c & 0x3f);
      }
    }
    this.charsWritten = i;
    return p - base;
  }

  /** UTF-16 units the last writeString consumed (fewer than the string's length: it was cut). */
  private charsWritten = 0;

  private refreshViews(): void {
    this.bytes = new Uint8Array(this.memory.buffer);
    this.desc = new Uint32Array(this.memory.buffer);
    this.arena = this.bytes.subarray(this.arenaPtr, this.arenaPtr + this.capacity);
  }
}

const KIND_LABELS = [
  "", "method", "uri", "path", "query string", "protocol", "query arg", "header", "cookie", "form field",
  "json value", "multipart field", "multipart filename", "multipart header", "body", "client ip", "basename", "json key",
];
export const kindLabel = (kind: number) => KIND_LABELS[kind] ?? `kind ${kind}`;
