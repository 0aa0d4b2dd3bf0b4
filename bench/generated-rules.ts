/**
 * Generated signatures for the rule-count scaling curve: CRS-like shapes over random words
 * (deterministic per count), so they compile like real rules and rarely match benign traffic.
 */
import type { RuleSource } from "../src/pack/schema.js";

let seed = 0x9e3779b9;
export const rnd = () => {
  seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
  return seed / 2 ** 32;
};
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
const letters = "abcdefghijklmnopqrstuvwxyz";
const word = () => Array.from({ length: 5 + Math.floor(rnd() * 5) }, () => pick([...letters])).join("");
const RX_SHAPES: (() => string)[] = [
  () => `\\b${word()}\\s*\\(\\s*['"]?${word()}`,
  () => `(?:${word()}|${word()}|${word()})\\.(?:php|asp|jsp)\\b`,
  () => `${word()}[-_]?${word()}=[0-9a-f]{8,}`,
  () => `/${word()}/(?:${word()}|${word()})\\.cgi`,
  () => `\\$\\{${word()}:[^}]*\\}`, // note: [^}]{0,40} here exceeds the 10,000-state DFA budget (unanchored search + bounded repeat)
  () => `<${word()}[^>]*\\bon${word()}\\s*=`,
  () => `\\b${word()}\\s+(?:all\\s+)?${word()}\\b`,
  () => `^${word()}/[0-9]+\\.[0-9]+ \\(${word()}`,
];
const TARGETS = [["args", "cookies", "json_keys"], ["args", "cookies", "args_names"], ["args", { field: "headers", names: ["user-agent", "referer"] }]];
const TRANSFORMS = [["urlDecodeUni", "lowercase"], ["urlDecodeUni", "removeNulls", "lowercase"], ["urlDecodeUni", "removeNulls", "removeWhitespace", "lowercase"]];
export function generateRules(n: number): RuleSource[] {
  seed = 0x9e3779b9 + n;
  return Array.from({ length: n }, (_, i) => {
    const rx = rnd() < 0.7;
    return {
      id: `gen-${i}`,
      message: `generated signature ${i}`,
      family: pick(["sqli", "xss", "rce", "lfi", "scanner"]),
      severity: "critical",
      targets: pick(TARGETS),
      transforms: pick(TRANSFORMS),
      operator: rx ? { rx: pick(RX_SHAPES)() } : { pm: Array.from({ length: 10 + Math.floor(rnd() * 20) }, () => `${word()}${pick(["(", "_", "://", "=", " "])}${word()}`) },
    } as unknown as RuleSource;
  });
}
