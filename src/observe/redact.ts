/**
 * Redaction of secrets in anything wafer writes out (decision snippets, log events).
 *
 * Two tests, both on by default:
 * - by name: a field (argument, header, cookie, JSON key) whose name looks sensitive —
 *   password, token, secret, API key, session, authorization, card number … — is
 *   withheld whole ("[redacted]");
 * - by value: inside any other text, values that look like secrets are masked in place:
 *   bearer/basic credentials, JWTs, well-known API key shapes (AWS, GitHub, Slack, Stripe,
 *   Google), long hex/base64 runs, card numbers (13–19 digits passing the Luhn check),
 *   other long digit runs (phones, account numbers), and email local parts.
 *
 * Everything runs in linear time over a bounded excerpt (the value is cut first), so a
 * hostile value costs no more than a short one.
 */

export interface RedactionOptions {
  /** Field names whose values are withheld whole. Default: DEFAULT_SENSITIVE_NAME. */
  sensitiveNames?: RegExp;
  /** Extra value patterns to mask (each match becomes "[redacted]"). Flags are forced to "g". */
  patterns?: readonly RegExp[];
  /** Mask email local parts ("***@example.com"). Default true. */
  emails?: boolean;
  /** Mask card numbers and digit runs. Default true. */
  digits?: boolean;
  /** Mask credential-looking tokens (JWT, bearer, API key shapes, long hex/base64). Default true. */
  tokens?: boolean;
  /** Longest excerpt kept, in UTF-16 units, before masking (default 48). */
  maxLength?: number;
}

export type Redactor = (name: string | undefined, value: string) => string;

export const DEFAULT_SENSITIVE_NAME =
  /pass(?:word|wd|phrase)?|pwd|secret|token|auth|session|sess_?id|cookie|api[-_.]?key|access[-_.]?key|private[-_.]?key|credential|card|\bcc(?:num|_?number)?\b|cvv|cvc|\bpan\b|ssn|otp|\bpin\b|signature|x-amz-security|client[-_.]?secret/i;

const REDACTED = "[redacted]";

/** Credential shapes: matched in this order, each replaced whole. */
const TOKEN_PATTERNS: readonly RegExp[] = [
  /\b(?:bearer|basic|token|digest)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, // JWT
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key id
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, // GitHub
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, // Slack
  /\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{10,}\b/g, // Stripe
  /\bAIza[A-Za-z0-9_-]{30,}\b/g, // Google API key
  /\bsk-[A-Za-z0-9_-]{20,}\b/g, // OpenAI-style secret keys
  /\b(?=[a-f0-9]*\d)(?=[a-f0-9]*[a-f])[a-f0-9]{32,}\b/gi, // long hex with digits and letters: hashes, session ids, keys
  /\b(?=[A-Za-z0-9+/_-]*[0-9])(?=[A-Za-z0-9+/_-]*[A-Z])(?=[A-Za-z0-9+/_-]*[a-z])[A-Za-z0-9+/_-]{32,}={0,2}/g, // long mixed base64
];

/** Digit runs, allowing single spaces or dashes between groups (card numbers are written so). */
const DIGIT_RUN = /\d(?:[ -]?\d){5,}/g;
const EMAIL = /[\w.+-]+@([\w-]+(?:\.[\w-]+)+)/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/g;

/** Luhn checksum over the digits of `text` (separators ignored). */
export function passesLuhn(text: string): boolean {
  let sum = 0;
  let count = 0;
  let double = false;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) continue;
    let d = c;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
    count++;
  }
  return count > 0 && sum % 10 === 0;
}

function maskDigits(run: string): string {
  const digits = run.replace(/[ -]/g, "");
  if (digits.length >= 13 && digits.length <= 19 && passesLuhn(digits)) return "[card]";
  return `${"*".repeat(Math.max(0, digits.length - 2))}${digits.slice(-2)}`;
}

function globalCopy(re: RegExp): RegExp {
  return re.global ? re : new RegExp(re.source, `${re.flags}g`);
}

/** Builds a redactor; `createRedactor()` gives the defaults. */
export function createRedactor(options: RedactionOptions = {}): Redactor {
  const names = options.sensitiveNames ?? DEFAULT_SENSITIVE_NAME;
  const extra = (options.patterns ?? []).map(globalCopy);
  const emails = options.emails !== false;
  const digits = options.digits !== false;
  const tokens = options.tokens !== false;
  const max = options.maxLength ?? 48;
  return (name, value) => {
    if (name !== undefined && name !== "" && names.test(name)) return REDACTED;
    let text = value.length > max ? `${value.slice(0, max)}…` : value;
    for (const re of extra) text = text.replace(re, REDACTED);
    if (tokens) for (const re of TOKEN_PATTERNS) text = text.replace(re, REDACTED);
    if (digits) text = text.replace(DIGIT_RUN, maskDigits);
    if (emails) text = text.replace(EMAIL, "***@$1");
    return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  };
}

/** Built on the first match, not at import: most cold starts never redact anything. */
let defaultRedactor: Redactor | undefined;

/** The engine's snippet redaction (default options). */
export function redactSnippet(name: string | undefined, value: string): string {
  return (defaultRedactor ??= createRedactor())(name, value);
}
