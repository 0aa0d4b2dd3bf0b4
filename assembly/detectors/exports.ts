// Exports of the detectors concern; see assembly/index.ts.
// Inputs are bytes the host wrote into Wasm memory (e.g. at scratchPtr()).
import { detectSQLi } from "./sqli";
import { detectXSS } from "./xss";
import { fingerprintBuf, fingerprintLen, detectorWork } from "./fingerprint";

/** 0 = no SQL injection shape; else (context << 8) | rule (see assembly/detectors/sqli.ts). */
export function detectSqli(ptr: usize, len: u32): u32 {
  return detectSQLi(ptr, len);
}

/** 0 = no XSS shape; else (context << 8) | rule (see assembly/detectors/xss.ts). */
export function detectXss(ptr: usize, len: u32): u32 {
  return detectXSS(ptr, len);
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
