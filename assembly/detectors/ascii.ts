// ASCII byte classes shared by the detectors' tokenizers (inlined at every use).

// @ts-ignore: decorator
@inline export function isAlpha(c: u32): bool {
  return (c | 0x20) - 97 < 26;
}
// @ts-ignore: decorator
@inline export function isDigit(c: u32): bool {
  return c - 48 < 10;
}
// @ts-ignore: decorator
@inline export function isAlnum(c: u32): bool {
  return isAlpha(c) || isDigit(c);
}
// @ts-ignore: decorator
@inline export function isSpace(c: u32): bool {
  return c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0c || c == 0x0d;
}

