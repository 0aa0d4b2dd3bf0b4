/**
 * A hand-written JSON tokenizer that emits every key and every leaf with its path.
 *
 * Why not `JSON.parse`: it materialises the whole tree (memory proportional to the body, not
 * to the limits), throws away everything on the first syntax error, keeps only the last of
 * duplicate keys (an attacker's favourite), and recurses without a depth bound we control.
 * This tokenizer is iterative (explicit stack), bounded by `maxDepth`, emits what it parsed
 * before an error, and sees duplicate keys.
 *
 * Paths: `user.emails[0]`; keys that are not identifier-like are bracket-quoted with JSON
 * string syntax (`a["x.y"]`, `["a b"]`); the root value's path is "".
 * Fields: every key as `jsonKey` (name = the member's path, value = the key), every leaf as
 * `bodyJson` (name = its path, value = the string's decoded value, or the number's text, or
 * `true`/`false`/`null`). A container deeper than `maxDepth` is emitted whole, as its raw
 * text, as one `bodyJson` value at its path, and reported as a `jsonDepth` truncation.
 *
 * Cost: linear; string scanning uses native indexOf with a cached next-backslash position so
 * that many short strings never rescan the text.
 */
import { FieldKind } from "../../engine/abi.js";
import type { FieldSink } from "../field-sink.js";
import type { ExtractReport } from "../types.js";

const K_JSON = FieldKind.bodyJson;
const K_JSON_KEY = FieldKind.jsonKey;

export const JSON_OK = 0;
export const JSON_STOPPED = 1;
export const JSON_SYNTAX_ERROR = 2;
export type JsonOutcome = typeof JSON_OK | typeof JSON_STOPPED | typeof JSON_SYNTAX_ERROR;

export interface JsonParseResult {
  outcome: JsonOutcome;
  /** For a syntax error: what was wrong and where (UTF-16 offset). */
  message: string;
  /** The syntax error is the input ending early (so a truncated body explains it). */
  atEnd: boolean;
}

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Keys that can follow a dot unambiguously: [A-Za-z_$][A-Za-z0-9_$-]*. */
function isPlainKey(key: string): boolean {
  const n = key.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i);
    const alpha = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
    if (!alpha && (i === 0 || !((c >= 48 && c <= 57) || c === 45))) return false;
  }
  return true;
}

export function memberPath(parent: string, key: string): string {
  if (isPlainKey(key)) return parent === "" ? key : parent + "." + key;
  return parent + "[" + JSON.stringify(key) + "]";
}

/** `[0]` … `[255]` built once: array paths then cost one concatenation. */
const INDEX_SUFFIXES: string[] = Array.from({ length: 256 }, (_, i) => `[${i}]`);

function indexSuffix(index: number): string {
  return index < 256 ? INDEX_SUFFIXES[index] : "[" + index + "]";
}

class Tokenizer {
  pos = 0;
  /** Index of the next backslash at or after `pos` (text.length when none); recomputed lazily. */
  nextBackslash = -1;
  value = "";
  error = "";
  errorAtEnd = false;

  constructor(readonly text: string) {}

  /** The next significant character (-1 at the end). Compact JSON has no whitespace: check that first. */
  peek(): number {
    const c = this.text.charCodeAt(this.pos);
    return c > 32 ? c : this.skipWs();
  }

  skipWs(): number {
    const t = this.text;
    let p = this.pos;
    while (p < t.length && isWs(t.charCodeAt(p))) p++;
    this.pos = p;
    return p < t.length ? t.charCodeAt(p) : -1;
  }

  fail(message: string, atEnd = false): false {
    this.error = `${message} at offset ${this.pos}`;
    this.errorAtEnd = atEnd || this.pos >= this.text.length;
    return false;
  }

  /** Reads the string starting at the quote at `pos` into `value`. */
  readString(): boolean {
    const t = this.text;
    const start = this.pos + 1;
    const quote = t.indexOf('"', start);
    if (quote < 0) {
      this.pos = t.length;
      return this.fail("unterminated string", true);
    }
    if (this.nextBackslash < start) {
      const b = t.indexOf("\\", start);
      this.nextBackslash = b < 0 ? t.length : b;
    }
    if (this.nextBackslash > quote) {
      this.value = t.slice(start, quote);
      this.pos = quote + 1;
      return true;
    }
    return this.readEscapedString(start);
  }

  private readEscapedString(start: number): boolean {
    const t = this.text;
    const n = t.length;
    let out = "";
    let chunk = start;
    let p = start;
    while (p < n) {
      const c = t.charCodeAt(p);
      if (c === 34) {
        this.value = out + t.slice(chunk, p);
        this.pos = p + 1;
        return true;
      }
      if (c !== 92) {
        p++;
        continue;
      }
      out += t.slice(chunk, p);
      if (p + 1 >= n) break;
      const e = t.charCodeAt(p + 1);
      p += 2;
      switch (e) {
        case 34: out += '"'; break;
        case 92: out += "\\"; break;
        case 47: out += "/"; break;
        case 98: out += "\b"; break;
        case 102: out += "\f"; break;
        case 110: out += "\n"; break;
        case 114: out += "\r"; break;
        case 116: out += "\t"; break;
        case 117: {
          if (p + 4 > n) {
            this.pos = n;
            return this.fail("truncated \\u escape", true);
          }
          let code = 0;
          for (let k = 0; k < 4; k++) {
            const h = t.charCodeAt(p + k);
            const d = h >= 48 && h <= 57 ? h - 48 : (h | 0x20) >= 97 && (h | 0x20) <= 102 ? (h | 0x20) - 87 : -1;
            if (d < 0) {
              this.pos = p + k;
              return this.fail("invalid \\u escape");
            }
            code = (code << 4) | d;
          }
          // Lone surrogates are kept as they are (JSON.parse does the same).
          out += String.fromCharCode(code);
          p += 4;
          break;
        }
        default:
          this.pos = p - 1;
          return this.fail("invalid escape");
      }
      chunk = p;
    }
    this.pos = n;
    return this.fail("unterminated string", true);
  }

  /** Number, true, false or null at `pos` into `value`. */
  readScalar(c: number): boolean {
    const t = this.text;
    const start = this.pos;
    if (c === 116 || c === 102 || c === 110) {
      const word = c === 116 ? "true" : c === 102 ? "false" : "null";
      if (t.startsWith(word, start)) {
        this.value = word;
        this.pos = start + word.length;
        return true;
      }
      return this.fail("invalid literal", word.startsWith(t.slice(start)));
    }
    if (c !== 45 && !(c >= 48 && c <= 57)) return this.fail(`unexpected '${String.fromCharCode(c)}'`);
    let p = start + 1;
    for (; p < t.length; p++) {
      const d = t.charCodeAt(p);
      if (!((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45)) break;
    }
    this.value = t.slice(start, p);
    this.pos = p;
    return true;
  }

  /** Skips the container starting at `pos`; returns its end, or -1 when it never closes. */
  skipContainer(): number {
    const t = this.text;
    const n = t.length;
    let depth = 0;
    let p = this.pos;
    while (p < n) {
      const c = t.charCodeAt(p);
      if (c === 34) {
        p++;
        while (p < n) {
          const d = t.charCodeAt(p);
          if (d === 92) p += 2;
          else if (d === 34) break;
          else p++;
        }
      } else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        if (--depth === 0) return p + 1;
      }
      p++;
    }
    return -1;
  }
}

const STATE_VALUE = 0;
const STATE_AFTER_VALUE = 1;
const STATE_KEY = 2;

/**
 * Emits the fields of the JSON text. Never throws. Fields parsed before a syntax error are
 * kept; the caller decides what else to emit (the raw text) and what to report.
 */
export function parseJsonFields(text: string, sink: FieldSink, maxDepth: number, report: ExtractReport): JsonParseResult {
  const tok = new Tokenizer(text);
  const isArray: boolean[] = [];
  const paths: string[] = [];
  /** For objects: the parent path plus "." ("" at the root), so a member path is one concatenation. */
  const dotPrefixes: string[] = [];
  const indexes: number[] = [];
  let depth = 0;
  let valuePath = "";
  let depthReported = false;
  let state = STATE_VALUE;

  if (text.charCodeAt(0) === 0xfeff) tok.pos = 1; // a BOM in a string body (byte bodies lose it when decoded)
  if (tok.peek() < 0) return { outcome: JSON_OK, message: "", atEnd: false };

  for (;;) {
    if (state === STATE_VALUE) {
      const c = tok.peek();
      if (c < 0) return syntaxError(tok, "unexpected end of input");
      if (c === 123 || c === 91) {
        if (depth >= maxDepth) {
          const start = tok.pos;
          const end = tok.skipContainer();
          if (!depthReported) {
            depthReported = true;
            report.truncated.push({
              limit: "jsonDepth",
              detail: `JSON nested deeper than ${maxDepth} at ${valuePath === "" ? "the root" : valuePath}: subtree inspected as raw text`,
            });
          }
          if (!sink.add(K_JSON, valuePath, text.slice(start, end < 0 ? text.length : end))) return stopped();
          if (end < 0) {
            tok.pos = text.length;
            return syntaxError(tok, "unterminated container", true);
          }
          tok.pos = end;
          state = STATE_AFTER_VALUE;
          continue;
        }
        const array = c === 91;
        isArray[depth] = array;
        paths[depth] = valuePath;
        dotPrefixes[depth] = array || valuePath === "" ? "" : valuePath + ".";
        indexes[depth] = 0;
        depth++;
        tok.pos++;
        const next = tok.peek();
        if (next === (array ? 93 : 125)) {
          tok.pos++;
          depth--;
          state = STATE_AFTER_VALUE;
        } else if (array) {
          valuePath = valuePath + "[0]";
        } else {
          state = STATE_KEY;
        }
        continue;
      }
      if (c === 34) {
        if (!tok.readString()) return syntaxError(tok);
      } else if (!tok.readScalar(c)) return syntaxError(tok);
      if (!sink.add(K_JSON, valuePath, tok.value)) return stopped();
      state = STATE_AFTER_VALUE;
      continue;
    }

    if (state === STATE_KEY) {
      const c = tok.peek();
      if (c !== 34) return syntaxError(tok, c < 0 ? "unexpected end of input" : "expected a string key");
      if (!tok.readString()) return syntaxError(tok);
      const key = tok.value;
      if (tok.peek() !== 58) return syntaxError(tok, "expected ':'");
      tok.pos++;
      valuePath = isPlainKey(key) ? dotPrefixes[depth - 1] + key : memberPath(paths[depth - 1], key);
      if (!sink.add(K_JSON_KEY, valuePath, key)) return stopped();
      state = STATE_VALUE;
      continue;
    }

    // STATE_AFTER_VALUE
    const c = tok.peek();
    if (depth === 0) {
      if (c < 0) return { outcome: JSON_OK, message: "", atEnd: false };
      return syntaxError(tok, "unexpected data after the JSON value");
    }
    const top = depth - 1;
    if (c === 44) {
      tok.pos++;
      if (isArray[top]) {
        const index = ++indexes[top];
        valuePath = paths[top] + indexSuffix(index);
        state = STATE_VALUE;
      } else state = STATE_KEY;
      continue;
    }
    if (c === (isArray[top] ? 93 : 125)) {
      tok.pos++;
      depth--;
      continue;
    }
    return syntaxError(tok, c < 0 ? "unexpected end of input" : `unexpected '${String.fromCharCode(c)}'`);
  }
}

function stopped(): JsonParseResult {
  return { outcome: JSON_STOPPED, message: "", atEnd: false };
}

function syntaxError(tok: Tokenizer, message?: string, atEnd?: boolean): JsonParseResult {
  if (message !== undefined) tok.fail(message, atEnd);
  return { outcome: JSON_SYNTAX_ERROR, message: tok.error, atEnd: tok.errorAtEnd };
}

/** Cheap check used to sniff JSON in bodies whose content type does not say JSON. */
export function looksLikeJson(text: string): boolean {
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isWs(c)) continue;
    return c === 123 || c === 91;
  }
  return false;
}
