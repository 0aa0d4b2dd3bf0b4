// cmdLine: ModSecurity's t:cmdLine, byte for byte:
//  - delete `\` `"` `'` `^`;
//  - space, `,`, `;`, \t \r \n: a run of them becomes one space;
//  - a space right before `/` or `(` is deleted;
//  - everything else is lowercased (ASCII).
// So `c^a"t /e't'c/p\asswd` -> `cat /etc/passwd`. Output length <= len.

export function cmdLine(src: usize, len: u32, dst: usize, cap: u32): u32 {
  let o: u32 = 0;
  let space = false;
  for (let i: u32 = 0; i < len; i++) {
    const c = <u32>load<u8>(src + i);
    switch (c) {
      case 0x5C: case 0x22: case 0x27: case 0x5E:
        break;
      case 0x20: case 0x2C: case 0x3B: case 0x09: case 0x0D: case 0x0A:
        if (!space) {
          if (o >= cap) return o;
          store<u8>(dst + o, 0x20);
          o++;
          space = true;
        }
        break;
      case 0x2F: case 0x28:
        if (space) o--; // the pending space was written at o-1 (< cap)
        space = false;
        if (o >= cap) return o;
        store<u8>(dst + o, <u8>c);
        o++;
        break;
      default:
        space = false;
        if (o >= cap) return o;
        store<u8>(dst + o, <u8>(c - 0x41 < 26 ? c | 0x20 : c));
        o++;
    }
  }
  return o;
}
