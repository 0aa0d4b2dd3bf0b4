/**
 * Encodes an `ipMatch` list (addresses and CIDR ranges, IPv4 and IPv6) into fixed 20-byte
 * records the Wasm side compares against a parsed client address:
 *   u8 family (4 or 6), u8 prefix length, u16 0, u8[16] address (IPv4 in the first 4 bytes).
 */
export function encodeIpList(entries: string[]): Uint8Array {
  const out = new Uint8Array(entries.length * 20);
  entries.forEach((entry, i) => {
    const [addr, prefixText] = entry.trim().split("/");
    const v4 = parseIPv4(addr!);
    const bytes = v4 ?? parseIPv6(addr!);
    if (!bytes) throw new Error(`not an IP address or CIDR range: ${JSON.stringify(entry)}`);
    const max = v4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new Error(`bad prefix length in ${JSON.stringify(entry)}`);
    out[i * 20] = v4 ? 4 : 6;
    out[i * 20 + 1] = prefix;
    out.set(bytes, i * 20 + 4);
  });
  return out;
}

export function parseIPv4(text: string): Uint8Array | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!/^\d{1,3}$/.test(parts[i]!)) return null;
    const n = Number(parts[i]);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

export function parseIPv6(text: string): Uint8Array | null {
  let s = text;
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const parseHalf = (h: string): number[] | null => {
    if (h === "") return [];
    const words: number[] = [];
    const groups = h.split(":");
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (i === groups.length - 1 && g.includes(".")) {
        const v4 = parseIPv4(g);
        if (!v4) return null;
        words.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
        words.push(parseInt(g, 16));
      }
    }
    return words;
  };
  const head = parseHalf(halves[0]!);
  const tail = halves.length === 2 ? parseHalf(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const words = [...head, ...new Array(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    out[i * 2] = w >> 8;
    out[i * 2 + 1] = w & 0xff;
  });
  return out;
}
