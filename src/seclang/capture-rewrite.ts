import { closingParen, firstCapturingGroup } from "./regex-source.js";

/**
 * CRS often captures part of a value into TX and tests it against a list in the next chain
 * link, e.g. 920440:
 *
 *   SecRule REQUEST_BASENAME "@rx \.([^.]+)$" "capture,setvar:'tx.extension=.%{tx.1}/',chain"
 *     SecRule TX:EXTENSION "@within %{tx.restricted_extensions}" "t:lowercase"
 *
 * The engine has no captures, but when the captured group is a run of a negated class
 * (`[^…]+`) the test can be folded back into the first regex: the group becomes the list
 * of allowed tokens followed by a byte the class excludes (or the end), so
 * "`.asa/` within the list" becomes `\.(?:asa|asax|…)(?:[.]|$)$` on the same field.
 * Only this shape is rewritten; anything else stays unsupported.
 */

export interface CaptureSetvar {
  /** Text before and after `%{tx.N}` in the setvar value. */
  prefix: string;
  suffix: string;
  group: number;
}

/** `tx.extension=.%{tx.1}/` → { name: "extension", prefix ".", group 1, suffix "/" }. */
export function parseCaptureSetvar(value: string): ({ name: string } & CaptureSetvar) | null {
  // The name may end in a per-request macro (`tx.header_name_920450_%{tx.0}`): keep its
  // fixed part, which is what `TX:/^header_name_920450_/` readers select on.
  const m = /^tx\.([A-Za-z0-9_]+)(?:%\{[^}]+\})?=([^%]*)%\{tx\.(\d)\}([^%]*)$/i.exec(value);
  if (!m) return null;
  return { name: m[1]!.toLowerCase(), prefix: m[2]!, group: Number(m[3]), suffix: m[4]! };
}

/**
 * The regex that matches exactly when the captured text, wrapped in prefix/suffix, is one
 * of the list's whitespace-separated tokens; null when the pattern does not have the
 * supported shape. `caseInsensitive` when the TX test lower-cases its value.
 */
export function foldCaptureIntoRegex(pattern: string, capture: CaptureSetvar, list: string, caseInsensitive: boolean): string | null {
  const values = list
    .split(/\s+/)
    .filter((t) => t.length > capture.prefix.length + capture.suffix.length && t.startsWith(capture.prefix) && t.endsWith(capture.suffix))
    .map((t) => t.slice(capture.prefix.length, t.length - capture.suffix.length));
  if (values.length === 0) return null;
  let start: number;
  let end: number;
  let excluded: string;
  if (capture.group === 0) {
    // The whole match: `^.*$` (the whole value) or `^[^X]+` (a leading run).
    if (pattern === "^.*$") {
      return `${caseInsensitive ? "(?i)" : ""}^(?:${values.map(escapeRegex).join("|")})$`;
    }
    const m = /^\^\[\^((?:[^\]\\]|\\.)+)\]\+$/.exec(pattern);
    if (!m) return null;
    start = 1;
    end = pattern.length;
    excluded = m[1]!;
  } else {
    if (capture.group !== 1) return null;
    const open = firstCapturingGroup(pattern);
    if (open < 0) return null;
    const m = /^\(\[\^((?:[^\]\\]|\\.)+)\]\+\)/.exec(pattern.slice(open));
    if (!m) return null;
    start = open;
    end = open + m[0].length;
    excluded = m[1]!;
  }
  const alternation = values.map(escapeRegex).join("|");
  const folded = `${pattern.slice(0, start)}(?:${alternation})(?:[${excluded}]|$)${pattern.slice(end)}`;
  return caseInsensitive && !folded.startsWith("(?i)") ? `(?i)${folded}` : folded;
}


function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/**
 * `TX:N "@rx ^(?:and|or)$"` right after a capturing condition (942521): when group N is a
 * word run (`([…]+)`) followed by `\b`, the test is folded into the capturing regex by
 * replacing the group with the test's alternatives. The folded regex keeps the capturing
 * regex's flags, so a case-insensitive capture tests its alternatives case-insensitively.
 */
export function foldCaptureTestIntoRegex(pattern: string, group: number, test: string): string | null {
  const alt = /^\^(?:\(\?:)?([A-Za-z0-9_|]+)\)?\$$/.exec(test);
  if (!alt || group !== 1) return null;
  const open = firstCapturingGroup(pattern);
  if (open < 0) return null;
  const m = /^\(\[(?:[^\]\\]|\\.)+\]\+\)\\b/.exec(pattern.slice(open));
  if (!m) return null;
  return `${pattern.slice(0, open)}(?:${alt[1]})${pattern.slice(open + m[0].length - 2)}`;
}

/**
 * `TX:1 "[!]@streq %{TX.2}"` after a regex with two capture groups (942130 `a = a`, 942131
 * `a != b`): the second group becomes a backreference to the first (`(\\1)`), or, negated,
 * a word that is not the first (`((?!\\1\\b)…)`). The regex then needs the host's RegExp
 * to confirm, which the compiler arranges for backreferences. ModSecurity compares the
 * captures of the first match only; the folded regex tries every match (a superset).
 */
export function foldCaptureEqualityIntoRegex(pattern: string, negate: boolean): string | null {
  const first = firstCapturingGroup(pattern);
  if (first < 0) return null;
  const firstClose = closingParen(pattern, first);
  if (firstClose < 0) return null;
  const second = firstCapturingGroup(pattern, firstClose + 1);
  if (second < 0) return null;
  const secondClose = closingParen(pattern, second);
  if (secondClose < 0 || firstCapturingGroup(pattern, secondClose + 1) >= 0) return null;
  const inner = pattern.slice(second + 1, secondClose);
  const replacement = negate ? `((?!\\1\\b)${inner})` : "(\\1)";
  return pattern.slice(0, second) + replacement + pattern.slice(secondClose + 1);
}

