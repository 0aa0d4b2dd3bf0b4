// Parses a textual IPv4 or IPv6 address (the CLIENT_IP field, or any value an ipMatch rule
// targets) into 16 bytes without allocating. IPv4-mapped IPv6 (::ffff:a.b.c.d) reads as IPv4.

const addr = memory.data(16);
let family: u32 = 0;

export function ipFamily(): u32 { return family; }
export function ipBytes(): usize { return addr; }

export function parseIp(p: usize, len: u32): bool {
  family = 0;
  if (len == 0 || len > 64) return false;
  if (parseV4(p, len, addr)) { family = 4; return true; }
  if (!parseV6(p, len)) return false;
  // ::ffff:a.b.c.d → IPv4
  let mapped = load<u8>(addr + 10) == 0xff && load<u8>(addr + 11) == 0xff;
  for (let i = 0; i < 10 && mapped; i++) if (load<u8>(addr + i) != 0) mapped = false;
  if (mapped) {
    memory.copy(addr, addr + 12, 4);
    family = 4;
  } else family = 6;
  return true;
}

function parseV4(p: usize, len: u32, out: usize): bool {
  let part: u32 = 0;
  let value: u32 = 0;
  let digits: u32 = 0;
  for (let i: u32 = 0; i <= len; i++) {
    const c: u32 = i < len ? <u32>load<u8>(p + i) : 0x2e;
    if (c - 0x30 < 10) {
      value = value * 10 + (c - 0x30);
      if (++digits > 3 || value > 255) return false;
    } else if (c == 0x2e) {
      if (digits == 0 || part > 3) return false;
      store<u8>(out + part, <u8>value);
      part++;
      value = 0;
      digits = 0;
    } else return false;
  }
  return part == 4;
}

@inline function hexVal(c: u32): i32 {
  if (c - 0x30 < 10) return <i32>(c - 0x30);
  const l = c | 0x20;
  if (l - 0x61 < 6) return <i32>(l - 0x61 + 10);
  return -1;
}

function parseV6(p: usize, len: u32): bool {
  // Strip [brackets] and a %zone.
  if (len >= 2 && load<u8>(p) == 0x5b && load<u8>(p + len - 1) == 0x5d) { p++; len -= 2; }
  for (let i: u32 = 0; i < len; i++) if (load<u8>(p + i) == 0x25) { len = i; break; }
  const words = memory.data(16); // parsed 16-bit words, in order, before "::" expansion
  let count: u32 = 0;
  let gap: i32 = -1;
  let i: u32 = 0;
  if (len >= 2 && load<u8>(p) == 0x3a && load<u8>(p + 1) == 0x3a) { gap = 0; i = 2; }
  while (i < len) {
    // An embedded IPv4 tail takes two words.
    let hasDot = false;
    let j = i;
    while (j < len && load<u8>(p + j) != 0x3a) { if (load<u8>(p + j) == 0x2e) hasDot = true; j++; }
    if (hasDot) {
      if (j != len || count > 6) return false;
      const v4 = memory.data(4);
      if (!parseV4(p + i, j - i, v4)) return false;
      store<u16>(words + (count << 1), <u16>((<u32>load<u8>(v4) << 8) | load<u8>(v4 + 1)));
      store<u16>(words + ((count + 1) << 1), <u16>((<u32>load<u8>(v4 + 2) << 8) | load<u8>(v4 + 3)));
      count += 2;
      i = len;
      break;
    }
    if (j == i || j - i > 4 || count >= 8) return false;
    let w: u32 = 0;
    for (let k = i; k < j; k++) {
      const h = hexVal(<u32>load<u8>(p + k));
      if (h < 0) return false;
      w = (w << 4) | <u32>h;
    }
    store<u16>(words + (count << 1), <u16>w);
    count++;
    i = j;
    if (i < len) {
      i++; // ':'
      if (i < len && load<u8>(p + i) == 0x3a) {
        if (gap >= 0) return false;
        gap = <i32>count;
        i++;
      } else if (i == len) return false;
    }
  }
  if (gap < 0 ? count != 8 : count > 7) return false;
  memory.fill(addr, 0, 16);
  const tail: u32 = gap < 0 ? 0 : count - <u32>gap;
  const head = count - tail;
  for (let k: u32 = 0; k < head; k++) {
    const w = <u32>load<u16>(words + (k << 1));
    store<u8>(addr + (k << 1), <u8>(w >> 8));
    store<u8>(addr + (k << 1) + 1, <u8>w);
  }
  for (let k: u32 = 0; k < tail; k++) {
    const w = <u32>load<u16>(words + ((head + k) << 1));
    const at = (8 - tail + k) << 1;
    store<u8>(addr + at, <u8>(w >> 8));
    store<u8>(addr + at + 1, <u8>w);
  }
  return true;
}
