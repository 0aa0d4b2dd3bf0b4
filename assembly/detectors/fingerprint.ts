// The token pattern that made a detector fire, kept in a fixed 16-byte buffer so a
// decision can explain itself ("s&1c": a string closed, a logic operator, a number, a
// comment). Written only when a detector fires; cleared at the start of each call.

export const FINGERPRINT_CAP: u32 = 16;
export const fingerprintBuf: usize = memory.data(16);
export let fingerprintLen: u32 = 0;

export function clearFingerprint(): void {
  fingerprintLen = 0;
}

/** Appends one ASCII byte; silently drops bytes beyond the capacity. */
export function fingerprintPush(c: u8): void {
  if (fingerprintLen < FINGERPRINT_CAP) {
    store<u8>(fingerprintBuf + fingerprintLen, c);
    fingerprintLen++;
  }
}

/** Work counter shared by both detectors: bytes and tokens visited in the last call. */
export let detectorWork: u32 = 0;
export function resetWork(): void { detectorWork = 0; }
// @ts-ignore: decorator
@inline export function addWork(n: u32): void { detectorWork += n; }
