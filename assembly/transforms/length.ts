// length: replaces the value by its byte length in decimal ASCII (ModSecurity's t:length).
// Output length: number of decimal digits of len (1..10), i.e. <= max(len, 1).

export function lengthOf(src: usize, len: u32, dst: usize, cap: u32): u32 {
  let digits: u32 = 1;
  let t = len;
  while (t >= 10) { t /= 10; digits++; }
  const n = digits < cap ? digits : cap;
  // Write the most significant `n` digits (a truncated number is still a prefix).
  let v = len;
  for (let k = digits; k > 0; k--) {
    const d = <u8>(0x30 + v % 10);
    v /= 10;
    if (k - 1 < n) store<u8>(dst + k - 1, d);
  }
  return n;
}
