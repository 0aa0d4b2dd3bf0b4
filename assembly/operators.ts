// Operators that run on one (transformed) value. Literal operators normally fire straight
// from the group's prefilter (assembly/inspect.ts); they come here only when negated or in a
// chain condition, with a rule-local automaton. Every operator is linear in the input.

import {
  IP_ENTRY_SIZE, OP_ALWAYS, OP_BEGINS_WITH, OP_BYTE_RANGE, OP_CONTAINS, OP_DETECT_SQLI, OP_DETECT_XSS,
  OP_ENDS_WITH, OP_EQ, OP_EXISTS, OP_GE, OP_GT, OP_IP_MATCH, OP_LE, OP_LT, OP_PM, OP_RX, OP_STREQ,
  OP_VALIDATE_URL_ENCODING, OP_VALIDATE_UTF8, OP_WITHIN, RF_CASE_SENSITIVE, R_ARG_LEN, R_ARG_OFF,
  R_FLAGS, R_NUMERIC, R_OP, RULE_SIZE,
} from "./pack-layout";
import { packBase, ruleTables, rulesBase } from "./pack";
import { acWalk } from "./matcher/aho-corasick";
import { dfaIsMatch } from "./matcher/dfa";
import { holdsAnyByte } from "./matcher/byte-set";
import { detectSQLi } from "./detectors/sqli";
import { isStrongSqlName } from "./detectors/sql-tokenizer";
import { detectXSS } from "./detectors/xss";
import { parseIp, ipFamily, ipBytes } from "./ip-address";

function stopAtFirstHit(rule: u32, flags: u32, start: u32, end: u32): bool { return true; }

/** Evaluates the rule's operator on one value (negation is applied by the caller). */
export function runOperator(rule: usize, input: usize, len: u32): bool {
  const op = <u32>load<u8>(rule + R_OP);
  const argOff = load<u32>(rule + R_ARG_OFF);
  const argLen = load<u32>(rule + R_ARG_LEN);
  switch (op) {
    case OP_CONTAINS:
    case OP_PM:
    case OP_BEGINS_WITH:
    case OP_ENDS_WITH:
    case OP_STREQ:
      if (argOff == 0) return op == OP_STREQ && len == 0;
      return acWalk(packBase + argOff, load<u32>(ruleTables + ((rule - rulesBase) / RULE_SIZE) * 4), packBase, input, len, stopAtFirstHit);
    case OP_RX: {
      // A value with no byte that every match reads cannot match: no walk.
      const required = load<u32>(rule + R_NUMERIC);
      if (required != 0 && !holdsAnyByte(packBase + required, input, len)) return false;
      return dfaIsMatch(load<u32>(ruleTables + ((rule - rulesBase) / RULE_SIZE) * 4), input, len);
    }
    case OP_WITHIN:
      return within(input, len, packBase + argOff, argLen, (<u32>load<u8>(rule + R_FLAGS) & RF_CASE_SENSITIVE) != 0);
    case OP_EQ: return parseInteger(input, len) == <i64>load<i32>(rule + R_NUMERIC);
    case OP_GT: return parseInteger(input, len) > <i64>load<i32>(rule + R_NUMERIC);
    case OP_GE: return parseInteger(input, len) >= <i64>load<i32>(rule + R_NUMERIC);
    case OP_LT: return parseInteger(input, len) < <i64>load<i32>(rule + R_NUMERIC);
    case OP_LE: return parseInteger(input, len) <= <i64>load<i32>(rule + R_NUMERIC);
    case OP_IP_MATCH: return ipMatch(input, len, packBase + argOff, argLen / IP_ENTRY_SIZE);
    // Values of ASCII letters, digits and a few inert punctuation bytes cannot hold the
    // attack (test/detector-word-skip.test.ts checks each detector on such values): most
    // ids and tokens skip both tokenizers, paths and slugs skip the XSS one.
    // A lone catalogue name (`xp_cmdshell`) is the one word value detectSQLi fires on.
    case OP_DETECT_SQLI: return (!onlyWordBytes(input, len, 0x5f, 0x5f, 0x5f) || isStrongSqlName(input, len)) && detectSQLi(input, len) != 0; // _
    case OP_DETECT_XSS: return !onlyWordBytes(input, len, 0x5f, 0x2f, 0x2d) && detectXSS(input, len) != 0;  // _ / -
    case OP_VALIDATE_URL_ENCODING: return !validUrlEncoding(input, len);
    case OP_VALIDATE_UTF8: return !validUtf8(input, len);
    case OP_BYTE_RANGE: return outsideByteRange(input, len, packBase + argOff);
    case OP_EXISTS: return true;
    case OP_ALWAYS: return true;
    default: return false;
  }
}

@inline function fold(b: u32): u32 { return b - 0x41 < 26 ? b | 0x20 : b; }

/** Only [0-9A-Za-z] and the bytes x, y, z; sixteen bytes a step. */
function onlyWordBytes(p: usize, len: u32, x: u8, y: u8, z: u8): bool {
  let i: u32 = 0;
  const a = i8x16.splat(0x61);
  const zero = i8x16.splat(0x30);
  const bit = i8x16.splat(0x20);
  const n26 = i8x16.splat(26);
  const n10 = i8x16.splat(10);
  const vx = i8x16.splat(x);
  const vy = i8x16.splat(y);
  const vz = i8x16.splat(z);
  for (; i + 16 <= len; i += 16) {
    const v = v128.load(p + i);
    const letter = i8x16.lt_u(i8x16.sub(v128.or(v, bit), a), n26);
    const digit = i8x16.lt_u(i8x16.sub(v, zero), n10);
    const extra = v128.or(v128.or(i8x16.eq(v, vx), i8x16.eq(v, vy)), i8x16.eq(v, vz));
    if (!i8x16.all_true(v128.or(v128.or(letter, digit), extra))) return false;
  }
  for (; i < len; i++) {
    const c = <u32>load<u8>(p + i);
    if ((c | 0x20) - 0x61 >= 26 && c - 0x30 >= 10 && c != x && c != y && c != z) return false;
  }
  return true;
}

/** `@within`: the value occurs inside the operator's argument. Bounded by the argument's length. */
function within(input: usize, len: u32, arg: usize, argLen: u32, caseSensitive: bool): bool {
  if (len == 0 || len > argLen) return false;
  for (let i: u32 = 0; i + len <= argLen; i++) {
    let j: u32 = 0;
    while (j < len) {
      const a = <u32>load<u8>(arg + i + j);
      const b = <u32>load<u8>(input + j);
      if (caseSensitive ? a != b : fold(a) != fold(b)) break;
      j++;
    }
    if (j == len) return true;
  }
  return false;
}

/** ModSecurity-style integer: optional spaces and sign, then digits; anything else is 0. */
export function parseInteger(p: usize, len: u32): i64 {
  let i: u32 = 0;
  while (i < len && (load<u8>(p + i) == 0x20 || load<u8>(p + i) == 0x09)) i++;
  let negative = false;
  if (i < len && (load<u8>(p + i) == 0x2d || load<u8>(p + i) == 0x2b)) {
    negative = load<u8>(p + i) == 0x2d;
    i++;
  }
  let value: i64 = 0;
  while (i < len) {
    const d = <u32>load<u8>(p + i) - 0x30;
    if (d > 9) break;
    if (value < 1_000_000_000_000_000) value = value * 10 + d; // saturate instead of overflowing
    i++;
  }
  return negative ? -value : value;
}

function ipMatch(input: usize, len: u32, list: usize, count: u32): bool {
  if (!parseIp(input, len)) return false;
  const family = ipFamily();
  const addr = ipBytes();
  for (let e: u32 = 0; e < count; e++) {
    const entry = list + <usize>e * IP_ENTRY_SIZE;
    if (<u32>load<u8>(entry) != family) continue;
    const prefix = <u32>load<u8>(entry + 1);
    const full = prefix >> 3;
    if (memory.compare(addr, entry + 4, full) != 0) continue;
    const rest = prefix & 7;
    if (rest == 0) return true;
    const mask = <u32>(0xff << (8 - rest)) & 0xff;
    if ((<u32>load<u8>(addr + full) & mask) == (<u32>load<u8>(entry + 4 + full) & mask)) return true;
  }
  return false;
}

@inline function isHex(c: u32): bool { return c - 0x30 < 10 || (c | 0x20) - 0x61 < 6; }

function validUrlEncoding(p: usize, len: u32): bool {
  for (let i: u32 = 0; i < len; i++) {
    if (load<u8>(p + i) != 0x25) continue;
    if (i + 2 >= len) return false; // truncated escape
    if (!isHex(<u32>load<u8>(p + i + 1)) || !isHex(<u32>load<u8>(p + i + 2))) return false;
    i += 2;
  }
  return true;
}

/** Strict UTF-8: no overlongs, no surrogates, nothing above U+10FFFF, no truncation. */
export function validUtf8(p: usize, len: u32): bool {
  let i: u32 = 0;
  while (i < len) {
    const b = <u32>load<u8>(p + i);
    if (b < 0x80) { i++; continue; }
    let need: u32 = 0;
    let min: u32 = 0;
    let cp: u32 = 0;
    if (b >= 0xc2 && b <= 0xdf) { need = 1; cp = b & 0x1f; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; cp = b & 0x0f; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; cp = b & 0x07; min = 0x10000; }
    else return false;
    if (i + need >= len) return false; // truncated sequence
    for (let k: u32 = 1; k <= need; k++) {
      const c = <u32>load<u8>(p + i + k);
      if ((c & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += need + 1;
  }
  return true;
}

function outsideByteRange(p: usize, len: u32, bitmap: usize): bool {
  for (let i: u32 = 0; i < len; i++) {
    const b = <u32>load<u8>(p + i);
    if ((<u32>load<u8>(bitmap + (b >> 3)) & (1 << (b & 7))) == 0) return true;
  }
  return false;
}
