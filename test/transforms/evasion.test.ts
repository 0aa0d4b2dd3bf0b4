/**
 * Evasions that must still be seen by the rules that target them. Each case states the field
 * the payload arrives in, the input, the transform chain a rule should use (ids from
 * src/engine/abi.ts) and the output that exposes the attack. The chain runs through the
 * engine's transformChain export, exactly as the rule evaluator will run it.
 * (Parameter pollution and headers split across duplicates are extraction concerns, covered
 * by the request-model tests, not by transforms.)
 */
import { describe, expect, it } from "vitest";
import type { FieldKindName, TransformName } from "../../src/engine/abi";
import { createTransformer, rawBytes as raw, latin1, bytesOf } from "./harness";

interface Evasion {
  name: string;
  field: FieldKindName;
  input: string | Uint8Array;
  chain: TransformName[];
  exposes: string;
}

const evasions: Evasion[] = [
  // percent-encoding games
  { name: "double percent-encoding", field: "uriRaw", input: "/files/%252e%252e%252fetc%252fpasswd", chain: ["urlDecode", "urlDecode"], exposes: "/files/../etc/passwd" },
  { name: "mixed double encoding (%%32%65)", field: "uriRaw", input: "..%%32%66etc%%32%66passwd", chain: ["urlDecode", "urlDecode"], exposes: "../etc/passwd" },
  { name: "mixed-case hex digits", field: "queryString", input: "q=%3CsCrIpT%3e", chain: ["urlDecode", "lowercase"], exposes: "q=<script>" },
  { name: "%u encoding (IIS)", field: "queryString", input: "q=%u003cscript%u003ealert(1)%u003c/script%u003e", chain: ["urlDecodeUni"], exposes: "q=<script>alert(1)</script>" },
  { name: "%u full-width (IIS best fit)", field: "queryString", input: "q=%uff1cscript%uff1e", chain: ["urlDecodeUni"], exposes: "q=<script>" },
  { name: "URL then HTML entity layering", field: "queryArg", input: "%26lt%3Bscript%26gt%3B", chain: ["urlDecode", "htmlEntityDecode"], exposes: "<script>" },
  // overlong UTF-8
  { name: "percent-encoded overlong '/' (CRS chain)", field: "uriRaw", input: "/..%c0%af..%c0%afetc%c0%afpasswd", chain: ["urlDecode", "utf8ToUnicode", "urlDecodeUni"], exposes: "/../../etc/passwd" },
  { name: "percent-encoded overlong '/' (unicodeNormalize)", field: "uriRaw", input: "/..%c0%af..%c0%afetc%c0%afpasswd", chain: ["urlDecode", "unicodeNormalize"], exposes: "/../../etc/passwd" },
  { name: "raw 3-byte overlong '.' and '/'", field: "bodyRaw", input: raw("\xe0\x80\xae\xe0\x80\xae\xe0\x80\xafetc"), chain: ["unicodeNormalize"], exposes: "../etc" },
  { name: "overlong '<' in a JSON value", field: "bodyJson", input: raw("\xc0\xbcscript\xc0\xbe"), chain: ["unicodeNormalize"], exposes: "<script>" },
  // full-width and other compatibility forms
  { name: "full-width characters", field: "queryArg", input: "＜ｓｃｒｉｐｔ＞ａｌｅｒｔ（１）", chain: ["unicodeNormalize", "lowercase"], exposes: "<script>alert(1)" },
  { name: "full-width SQL keywords", field: "bodyForm", input: "1 ＵＮＩＯＮ ＳＥＬＥＣＴ password", chain: ["unicodeNormalize", "lowercase"], exposes: "1 union select password" },
  { name: "mathematical bold letters", field: "queryArg", input: "𝐮𝐧𝐢𝐨𝐧 𝐬𝐞𝐥𝐞𝐜𝐭", chain: ["unicodeNormalize"], exposes: "union select" },
  { name: "small-form and fraction-slash punctuation", field: "queryArg", input: "﹤script﹥..\u2044..\u2044etc", chain: ["unicodeNormalize"], exposes: "<script>../../etc" },
  { name: "zero-width characters inside keywords", field: "queryArg", input: "UN\u200bION SEL\u00adECT", chain: ["unicodeNormalize", "lowercase"], exposes: "union select" },
  // case games
  { name: "case games", field: "queryArg", input: "SeLeCt * FrOm users", chain: ["lowercase"], exposes: "select * from users" },
  // SQL comments
  { name: "SQL comment inside a keyword", field: "queryArg", input: "1 UN/**/ION SEL/**/ECT password", chain: ["removeComments", "lowercase"], exposes: "1 union select password" },
  { name: "comment as whitespace", field: "queryArg", input: "1/**/UNION/**/SELECT/**/password", chain: ["replaceComments", "lowercase"], exposes: "1 union select password" },
  { name: "MySQL versioned comment (removeComments would hide it)", field: "queryArg", input: "1 /*!50000UNION*/ /*!50000SELECT*/ 1", chain: ["removeCommentsChar", "lowercase"], exposes: "1 !50000union !50000select 1" },
  { name: "line comment then newline", field: "bodyForm", input: "1--x\nUNION SELECT 1", chain: ["removeComments", "compressWhitespace", "lowercase"], exposes: "1 union select 1" },
  // whitespace substitutes
  { name: "tab, %0b and /**/ as whitespace", field: "queryString", input: "id=1%09UNION%0bSELECT/**/password", chain: ["urlDecode", "replaceComments", "compressWhitespace", "lowercase"], exposes: "id=1 union select password" },
  { name: "NBSP and ideographic space", field: "queryArg", input: "1\u00a0UNION\u3000SELECT", chain: ["unicodeNormalize", "compressWhitespace", "lowercase"], exposes: "1 union select" },
  { name: "whitespace removed to join a keyword", field: "queryArg", input: "s e\tl\ne c t", chain: ["removeWhitespace"], exposes: "select" },
  // null bytes
  { name: "null byte inside a keyword", field: "bodyRaw", input: raw("sel\x00ect * fr\x00om"), chain: ["removeNulls"], exposes: "select * from" },
  { name: "%00 extension truncation", field: "uriRaw", input: "/download?f=../../etc/passwd%00.jpg", chain: ["urlDecode", "removeNulls"], exposes: "/download?f=../../etc/passwd.jpg" },
  // path tricks
  { name: "..%2f traversal", field: "uriRaw", input: "/static/..%2f..%2fetc/passwd", chain: ["urlDecode", "normalizePath"], exposes: "/../etc/passwd" },
  { name: "backslash traversal", field: "queryArg", input: "..\\..\\windows\\win.ini", chain: ["normalizePathWin"], exposes: "../../windows/win.ini" },
  { name: "/./ and // padding", field: "path", input: "//etc/././/passwd", chain: ["normalizePath"], exposes: "/etc/passwd" },
  { name: "%5c encoded backslash", field: "uriRaw", input: "/a/..%5c..%5c..%5cboot.ini", chain: ["urlDecode", "normalizePathWin"], exposes: "/../../boot.ini" },
  // HTML entities
  { name: "HTML entities without semicolons", field: "queryArg", input: "&ltscript&gtalert(1)&lt/script&gt", chain: ["htmlEntityDecode"], exposes: "<script>alert(1)</script>" },
  { name: "numeric entities without semicolons, zero padded", field: "queryArg", input: "&#0000106avascript&#x3A;alert(1)", chain: ["htmlEntityDecode"], exposes: "javascript:alert(1)" },
  { name: "&Tab; inside javascript:", field: "queryArg", input: "java&Tab;script&colon;alert&lpar;1&rpar;", chain: ["htmlEntityDecode", "removeWhitespace"], exposes: "javascript:alert(1)" },
  { name: "double HTML encoding", field: "bodyForm", input: "&amp;lt;script&amp;gt;", chain: ["htmlEntityDecode", "htmlEntityDecode"], exposes: "<script>" },
  // JSON / JS / CSS escapes
  { name: "JSON unicode escapes in a raw body", field: "bodyRaw", input: "{\"q\":\"\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\"}", chain: ["jsDecode"], exposes: "{\"q\":\"<script>alert(1)</script>\"}" },
  { name: "JS hex and octal escapes", field: "queryArg", input: "\\x3cscript\\76", chain: ["jsDecode"], exposes: "<script>" },
  { name: "CSS escapes in a style value", field: "queryArg", input: "background:url(\\6a avascript:alert(1))", chain: ["cssDecode"], exposes: "background:url(javascript:alert(1))" },
  // shell / command line
  { name: "shell quoting and $IFS", field: "queryArg", input: "c''at${IFS}/e\\tc/pa\"ss\"wd", chain: ["shellUnescape"], exposes: "cat /etc/passwd" },
  { name: "ANSI-C quoting", field: "queryArg", input: "$'\\x63\\x61\\x74' /etc/passwd", chain: ["shellUnescape"], exposes: "cat /etc/passwd" },
  { name: "Windows caret escapes (cmdLine)", field: "queryArg", input: "C^M^D /C W^H^O\"AMI\"", chain: ["cmdLine"], exposes: "cmd/c whoami" },
  // encodings of whole payloads
  { name: "SQL hex literal", field: "queryArg", input: "1 UNION SELECT 0x3c7363726970743e", chain: ["sqlHexDecode"], exposes: "1 UNION SELECT <script>" },
  { name: "base64 payload", field: "cookie", input: "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", chain: ["base64Decode"], exposes: "<script>alert(1)</script>" },
  { name: "base64 with line breaks", field: "header", input: "PHNjcmlw\r\ndD4=", chain: ["base64DecodeExt"], exposes: "<script>" },
];

describe("evasions are exposed by their transform chain", () => {
  const t = createTransformer();
  for (const e of evasions) {
    it(`${e.name} [${e.field}: ${e.chain.join(" > ")}]`, () => {
      const out = t.chain(e.chain, e.input);
      expect(latin1(out)).toBe(latin1(bytesOf(e.exposes)));
      // The chain export agrees with applying the transforms one by one.
      let step = bytesOf(e.input);
      for (const id of e.chain) step = t.run(id, step);
      expect(latin1(out)).toBe(latin1(step));
    });
  }
});
