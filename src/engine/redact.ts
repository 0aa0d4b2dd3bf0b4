/**
 * Redacted excerpts of matched values for decisions and logs: enough to see what fired,
 * never a secret. Values of sensitive-looking fields are withheld whole; others are cut
 * to a short excerpt with control characters escaped and long digit runs (card numbers,
 * phone numbers) and email local parts masked.
 */
const SENSITIVE_NAME = /pass|pwd|secret|token|auth|session|api[-_]?key|credential|card|cvv|ssn|otp/i;
const MAX_SNIPPET = 48;

export function redactSnippet(name: string | undefined, value: string): string {
  if (name !== undefined && SENSITIVE_NAME.test(name)) return "[redacted]";
  let text = value.length > MAX_SNIPPET ? `${value.slice(0, MAX_SNIPPET)}…` : value;
  text = text.replace(/\d{6,}/g, (d) => `${"*".repeat(d.length - 2)}${d.slice(-2)}`);
  text = text.replace(/[\w.+-]+@([\w-]+\.[\w.-]+)/g, "***@$1");
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
