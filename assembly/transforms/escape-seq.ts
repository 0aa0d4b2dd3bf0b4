// escapeSeqDecode: ANSI C escape sequences (ModSecurity's t:escapeSeqDecode):
// `\a \b \f \n \r \t \v \\ \? \' \"`, `\xHH`, octal `\OOO` (1–3 digits, <= 0377).
// Unlike jsDecode, an unrecognised or truncated escape keeps its backslash (`\q` -> `\q`),
// as C does not define them. Output length <= len.
import { copyUntilAny } from "./plain-run";
import { put, finish } from "./emit";
import { simpleEscape, octalEscape, hexByteEscape } from "./js-decode";

const BSL: u8 = 0x5C;

export function escapeSeqDecode(src: usize, len: u32, dst: usize, cap: u32): u32 {
  let i: u32 = 0;
  let o: u32 = 0;
  while (i < len && o < cap) {
    const run = copyUntilAny(src + i, len - i, dst + o, cap - o, BSL, BSL, BSL, BSL, BSL);
    i += run;
    o += run;
    if (i >= len || o >= cap) break;
    if (i + 1 >= len) { o = put(dst, o, cap, BSL); i++; break; }
    const e = <u32>load<u8>(src + i + 1);
    const s = simpleEscape(e);
    if (s >= 0) { o = put(dst, o, cap, <u32>s); i += 2; continue; }
    if (e == 0x5C || e == 0x3F || e == 0x27 || e == 0x22) { o = put(dst, o, cap, e); i += 2; continue; }
    if (e == 0x78) {
      const b = hexByteEscape(src, i, len);
      if (b >= 0) { o = put(dst, o, cap, <u32>b); i += 4; continue; }
    } else {
      const oct = octalEscape(src, i + 1, len);
      if (oct >= 0) {
        o = put(dst, o, cap, <u32>(oct & 0xFF));
        i += 1 + <u32>(oct >> 16);
        continue;
      }
    }
    o = put(dst, o, cap, BSL);
    i++;
  }
  return finish(o, cap);
}
