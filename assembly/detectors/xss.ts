// detectXSS: would this input run script if an application pasted it into HTML?
//
// Two stages, both linear and allocation-free:
//  1. xss-normalised.ts: one normalised character pass over the whole input — HTML
//     entities and escapes decoded, tabs/newlines/control bytes dropped, ASCII lower-cased,
//     as a browser's URL and CSS parsers see it. It finds script-running URL schemes
//     (`javascript:` followed by code), `data:` URLs with an active media type, CSS that
//     runs code (`:expression(`, `behavior: url(`) and JavaScript sinks (`alert(`).
//  2. html-scan.ts: an HTML tokenizer state machine (tag name, attribute name, attribute
//     value) run in up to four starting contexts: text, inside a double-quoted,
//     single-quoted or unquoted attribute value. It fires on tags that are dangerous by
//     themselves (`<script`, `<iframe`, `<object`, ...), event-handler attributes (`on*=`)
//     and `</script`.
// A SIMD prescan (byte-classes.ts) skips the passes that cannot fire on this input.
// Text with a `<` that is no tag (`a < b`, `<3`) or a harmless tag (`<b>`, `<bob@x.com>`)
// stays quiet.
//
// Result: 0, or (context << 8) | rule; context 1 text, 2 double-quoted attribute,
// 3 single-quoted, 4 unquoted. The fingerprint names the trigger ("<script", "onerror=",
// "javascript:(", ":expression(").

import { clearFingerprint, resetWork } from "./fingerprint";
import {
  presentClasses, CLASS_DQUOTE, CLASS_SQUOTE, CLASS_BREAK, CLASS_LT, CLASS_PLUS, CLASS_EQ, CLASS_COLON,
  CLASS_PAREN, CLASS_BACKTICK, CLASS_DOT, CLASS_AMP, CLASS_BSLASH, CLASS_CONTROL,
} from "./byte-classes";
import { ampersandsInert, mayReachJsSink, mayReachSchemeOrCss, scanNormalised } from "./xss-normalised";
import { scanHtml, anyTagOpens, mayNameHandler, S_TEXT, S_VALUE_DQ, S_VALUE_SQ, S_VALUE_UQ } from "./html-scan";
export {
  XSS_TAG, XSS_HANDLER, XSS_SCHEME, XSS_DATA_URI, XSS_CSS, XSS_SCRIPT_END, XSS_JS_ENTITY, XSS_JS_SINK, XSS_ATTRIBUTE,
} from "./xss-vocabulary";

/**
 * Whether stage 1 can fire on the input, given its byte classes: only at ':', '(', '`', '.',
 * "&{", or on what '&' and '\\' decode to; without '\\', control bytes and an '&' that
 * decodes to more than itself (ampersandsInert), only at a JavaScript word before '(', '`'
 * or '.', or at a scheme or CSS word before ':' (and '(' after one). Exact: it says no only
 * where scanNormalised returns 0 (test/detectors/xss.test.ts).
 */
export function stageOneMayFire(ptr: usize, len: u32, present: u32): bool {
  if ((present & (CLASS_COLON | CLASS_PAREN | CLASS_BACKTICK | CLASS_DOT | CLASS_AMP | CLASS_BSLASH)) == 0) return false;
  if ((present & (CLASS_BSLASH | CLASS_CONTROL)) != 0) return true;
  if ((present & CLASS_AMP) != 0 && !ampersandsInert(ptr, len)) return true;
  return mayReachJsSink(ptr, len) || ((present & CLASS_COLON) != 0 && mayReachSchemeOrCss(ptr, len));
}

/** For tests: false turns off the tag-opens and handler-name gates of the HTML scans (results must not change). */
let htmlGate = true;
export function setHtmlGate(on: bool): void {
  htmlGate = on;
}

/** Returns 0 when the input looks harmless in every context, else (context << 8) | rule. */
export function detectXSS(ptr: usize, len: u32): u32 {
  clearFingerprint();
  resetWork();
  const present = presentClasses(ptr, len);
  if (stageOneMayFire(ptr, len, present)) {
    const rule = scanNormalised(ptr, len);
    if (rule != 0) return (1 << 8) | rule;
    clearFingerprint();
  }
  // Markup needs a tag that opens; an attribute start also fires on "on*=" after leaving the
  // value, which needs an '=' and a handler name (html-scan.ts anyTagOpens, mayNameHandler).
  if ((present & (CLASS_LT | CLASS_PLUS | CLASS_EQ)) == 0) {
    clearFingerprint();
    return 0;
  }
  const opener = (present & (CLASS_LT | CLASS_PLUS)) != 0 && (!htmlGate || anyTagOpens(ptr, len));
  let markup = opener || (present & CLASS_EQ) != 0;
  if (!opener && markup && htmlGate && (present & (CLASS_DQUOTE | CLASS_SQUOTE | CLASS_BREAK)) != 0) markup = mayNameHandler(ptr, len);
  let rule: u32 = 0;
  if (opener) {
    rule = scanHtml(ptr, len, S_TEXT);
    if (rule != 0) return (1 << 8) | rule;
  }
  if (markup && (present & CLASS_DQUOTE) != 0) {
    clearFingerprint();
    rule = scanHtml(ptr, len, S_VALUE_DQ);
    if (rule != 0) return (2 << 8) | rule;
  }
  if (markup && (present & CLASS_SQUOTE) != 0) {
    clearFingerprint();
    rule = scanHtml(ptr, len, S_VALUE_SQ);
    if (rule != 0) return (3 << 8) | rule;
  }
  if (markup && (present & CLASS_BREAK) != 0) {
    clearFingerprint();
    rule = scanHtml(ptr, len, S_VALUE_UQ);
    if (rule != 0) return (4 << 8) | rule;
  }
  clearFingerprint();
  return 0;
}
