// Exports of the detectors concern; see assembly/index.ts.
// Inputs are bytes the host wrote into Wasm memory (e.g. at scratchPtr()). Both detectors
// are linear in the input, allocate nothing and read only [ptr, ptr+len).
//
// Result codes: 0 = quiet, else (context << 8) | rule.
//   detectSqli contexts: 1 bare, 2 after ', 3 after ". Rules: 1 union, 2 stacked statement,
//     3 string break-out, 4 tautology, 5 subquery, 6 function call, 7 catalogue name,
//     8 clause (order by N, into outfile, case when), 9 time delay, 10 truncation by
//     comment, 11 procedural (declare/exec), 12 MySQL version comment.
//     Fingerprint alphabet: s string, 1 number, n name, f function, v variable, k keyword,
//     E verb, U union, & logic, = comparison, o operator, c comment, ( ) , ;
//   detectXss contexts: 1 text, 2 in "...", 3 in '...', 4 unquoted attribute value. Rules:
//     1 dangerous tag, 2 event handler, 3 script URL, 4 data: URL with active type,
//     5 CSS that runs code, 6 </script, 7 &{...} entity, 8 JavaScript sink, 9 data-binding
//     attribute. Fingerprint: the trigger itself ("<script", "onerror=", "javascript:(").
import { detectSQLi, setEveryToken } from "./sqli";
import { isStrongSqlName } from "./sql-tokenizer";
import { detectXSS, stageOneMayFire, setHtmlGate } from "./xss";
import { scanNormalised, setSinkEndsFilter, setAmpersandGate, setSchemeSimd } from "./xss-normalised";
import { presentClasses } from "./byte-classes";
import { fingerprintBuf, fingerprintLen, detectorWork } from "./fingerprint";

/** 0 = no SQL injection shape; else (context << 8) | rule (see assembly/detectors/sqli.ts). */
export function detectSqli(ptr: usize, len: u32): u32 {
  return detectSQLi(ptr, len);
}

/** For tests: 1 makes detectSqli check every token for shapes (its fast path off), 0 restores it. */
export function sqliEveryToken(on: u32): void {
  setEveryToken(on != 0);
}

/** 1 when the input is exactly one strong SQL catalogue name (the word-value skip's exception). */
export function sqlStrongName(ptr: usize, len: u32): u32 {
  return isStrongSqlName(ptr, len) ? 1 : 0;
}

/** 0 = no XSS shape; else (context << 8) | rule (see assembly/detectors/xss.ts). */
export function detectXss(ptr: usize, len: u32): u32 {
  return detectXSS(ptr, len);
}

/** For tests: stage 1 of detectXss alone (0 or its rule), run whatever the prescan says. */
export function xssStageOne(ptr: usize, len: u32): u32 {
  return scanNormalised(ptr, len);
}

/** For tests: the byte classes detectXss's prescan finds in the input (byte-classes.ts). */
export function xssPresentClasses(ptr: usize, len: u32): u32 {
  return presentClasses(ptr, len);
}

/** For tests: 0 turns off the last-two-letters filter of detectXss's sink prescan, 1 restores it. */
export function xssSinkEndsFilter(on: u32): void {
  setSinkEndsFilter(on != 0);
}

/** For tests: 0 makes every '&' open stage 1 of detectXss (its inert-ampersand gate off), 1 restores it. */
export function xssAmpersandGate(on: u32): void {
  setAmpersandGate(on != 0);
}

/** For tests: 0 makes detectXss's scheme/CSS prescan take its byte-wise reference loop, 1 restores it. */
export function xssSchemeSimd(on: u32): void {
  setSchemeSimd(on != 0);
}

/** For tests: 0 runs detectXss's HTML scans whatever its tag-opens and handler-name gates say, 1 restores them. */
export function xssHtmlGate(on: u32): void {
  setHtmlGate(on != 0);
}

/** For tests: 1 when detectXss's prescan lets stage 1 run on the input. */
export function xssStageOneGate(ptr: usize, len: u32): u32 {
  return stageOneMayFire(ptr, len, presentClasses(ptr, len)) ? 1 : 0;
}

/** The token pattern of the last detector call that fired (ASCII, up to 16 bytes). */
export function detectorFingerprintPtr(): usize {
  return fingerprintBuf;
}
export function detectorFingerprintLen(): u32 {
  return fingerprintLen;
}

/** Bytes and tokens visited by the last detector call (for linear-time tests). */
export function detectorWorkCount(): u32 {
  return detectorWork;
}
