/**
 * Synthetic detector inputs shared by bench/detectors.ts and bench/detectors-ab.ts: prose-like
 * benign values from a fixed seed (so every run, and both benches, see the same values) and
 * short lists of well-known SQLi and XSS payloads.
 */

/** A seeded generator: each call of benignInputs() starts the same sequence. */
export function benignInputs() {
  let seed = 0x2545f491;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / (1 << 24);
  const pick = <T>(xs: readonly T[]): T => xs[(rand() * xs.length) | 0]!;
  return {
    pick,
    /** One to eight words and phrases, as a form field or a search box holds. */
    value(): string {
      const n = 1 + ((rand() * 8) | 0);
      const parts: string[] = [];
      for (let i = 0; i < n; i++) parts.push(pick(words));
      return parts.join(" ");
    },
    /** `size` characters of prose in lines of ~80 bytes (a '#' or '--' comment ends at the newline). */
    text(size: number): string {
      let s = "";
      while (s.length < size) s += pick(words) + (rand() < 0.1 ? ". " : rand() < 0.1 ? "\n" : " ");
      return s.slice(0, size);
    },
  };
}

const words = [
  "select", "the", "plan", "union", "station", "order", "by", "phone", "O'Brien", "don't", "it's", "and", "or",
  "from", "where", "table", "drop", "me", "a", "line", "price", "$10", "5'10\"", "a < b", "<3", "<b>ok</b>",
  "javascript", "alert", "the", "team", "on", "load", "user@example.com", "2024-01-15", "100%", "#1", "C#",
  "Tom & Jerry", "https://example.com/a?b=c&d=e", "(see above)", "x = y + 1", "L'Oréal",
];

export const sqliAttacks = [
  "' or 1=1--", "-1 UNION SELECT 1,2,version()--", "1; DROP TABLE users", "1 AND SLEEP(5)", "admin'--",
  "1' AND extractvalue(1,concat(0x7e,user()))#", "1 ORDER BY 3--", "'; exec xp_cmdshell 'dir'--",
  "1) and (select count(*) from information_schema.tables)>0--", "x' || pg_sleep(5) || '",
];

export const xssAttacks = [
  "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\" onmouseover=\"alert(1)",
  "<a href=\"&#x6A;avascript:alert(1)\">x</a>", "<svg/onload=alert(1)>", "<div style=\"x:expression(alert(1))\">",
  "'><iframe src=//evil.example>", "<a href=\"java\tscript:alert(1)\">", "\";alert(1)//", "<body onload=x()>",
];
