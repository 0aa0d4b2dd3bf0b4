/** Messages for the codes packActivate returns (assembly/pack.ts). */
const MESSAGES: Record<number, string> = {
  1: "image is shorter than its 64-byte header (truncated?)",
  2: "not a wafer pack image (bad magic; expected \"WAFRPACK\")",
  3: "unsupported pack format version",
  4: "pack was built for another engine ABI version",
  5: "image length does not match its header (truncated or padded)",
  6: "checksum mismatch: the image is corrupt",
  7: "section table is malformed or points outside the image",
  8: "rule record is malformed",
  9: "group record is malformed",
  10: "selector record is malformed",
  11: "literal automaton is malformed",
  12: "no pack slot was reserved",
  13: "regex DFA table is malformed",
  14: "the pack's derived matching tables would exceed the engine's 128 MB limit",
};

export function packErrorMessage(code: number, detail: number): string {
  const base = MESSAGES[code] ?? `unknown pack error ${code}`;
  if (code === 8 || code === 13) return `${base} (rule index ${detail})`;
  if (code === 10) return detail >= 0x80000000 ? `${base} (selector record ${detail - 0x80000000})` : `${base} (rule index ${detail})`;
  if (code === 11) return detail === 0xffffffff ? `${base} (the pack-wide prefilter)` : `${base} (rule index ${detail})`;
  if (code === 9) return `${base} (group index ${detail})`;
  return base;
}
