// hexEncode: each byte -> two lowercase hex digits (ModSecurity's t:hexEncode).
// Output length: 2 * len (the only transform besides utf8ToUnicode that expands).
import { hexDigit } from "./hex-digits";

export function hexEncode(src: usize, len: u32, dst: usize, cap: u32): u32 {
  let o: u32 = 0;
  for (let i: u32 = 0; i < len && o + 2 <= cap; i++) {
    const c = <u32>load<u8>(src + i);
    store<u8>(dst + o, hexDigit(c >> 4));
    store<u8>(dst + o + 1, hexDigit(c & 15));
    o += 2;
  }
  // An odd cap gets the first digit of the next byte, so exactly min(2*len, cap) bytes.
  const consumed = o >> 1;
  if (o < cap && consumed < len) {
    store<u8>(dst + o, hexDigit(<u32>load<u8>(src + consumed) >> 4));
    o++;
  }
  return o;
}
