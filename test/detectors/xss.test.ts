/**
 * detectXss on fixtures written for this project: tags, handlers, schemes with entity and
 * case evasion, CSS, attribute break-outs; and benign text with `<`, tags and JS words.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { instantiateEngine } from "../support/wasm";
import { detectorHarness } from "./harness";

const h = detectorHarness();

const attacks: string[] = [
  // dangerous tags
  "<script>alert(1)</script>",
  "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
  "<script\t>x</script>",
  "<scr<script>ipt>",
  "<scr\u0000ipt>x",
  "<iframe src=//evil.example>",
  "<object data=x.swf>",
  "<embed src=x.swf>",
  "<applet code=X>",
  "<meta http-equiv=refresh content=0;url=//evil.example>",
  "<base href=//evil.example/>",
  "<link rel=stylesheet href=//evil.example/x.css>",
  "<style>@import 'x'</style>",
  "<svg>",
  "<svg:svg>",
  "<math><mi>x",
  "<?import namespace=t implementation=x>",
  "<?xml:namespace prefix=t ns=urn:x>",
  "+ADw-script+AD4-alert(1)+ADw-/script+AD4-",
  "</script><b>",
  // event handlers in any tag
  "<img src=x onerror=alert(1)>",
  "<IMG SRC=x OnErRoR=alert(1)>",
  "<svg/onload=alert(1)>",
  "<body onload=init()>",
  "<div onmouseover='x()'>hover</div>",
  "<a href=# onclick=\"go()\">x</a>",
  "<input autofocus onfocus=x()>",
  "<details open ontoggle=x()>",
  "<video><source onerror=x()>",
  "<x onpageshow=y>",
  "<img src=x\u000bonerror=y()>",
  "<img src=x .onerror=y()>",
  "<label dataformatas=html datasrc=#x>",
  // script URLs with evasion
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "<a href=\"javascript:alert(1)\">x</a>",
  "<a href=\"java\tscript:alert(1)\">x</a>",
  "<a href=\"java\nscript:alert(1)\">x</a>",
  "<a href=\"&#x6A;avascript:alert(1)\">x</a>",
  "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
  "<a href=\"&#0000106avascript&colon;alert(1)\">x</a>",
  "<a href=\" &#14; javascript:alert(1)\">x</a>",
  "<a href=\"javascript&colon;alert&lpar;1&rpar;\">x</a>",
  "<form action=javascript:alert(1)><button>x",
  "<button formaction=\"javascript:alert(1)\">x",
  "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
  "<img src='vbscript:msgbox(\"x\")'>",
  "<iframe src=\"data:text/html,<b>x</b>\">",
  "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>",
  "<object data=\"data:image/svg+xml;base64,PHN2Zz4=\">",
  // CSS that runs code
  "<div style=\"width: expression(alert(1))\">",
  "<div style=\"x:expr/**/ession(alert(1))\">",
  "<div style=\"background:url(javascript:alert(1))\">",
  "<div style=\"-moz-binding: url(//evil.example/x.xml#x)\">",
  "<div style=\"behavior: url(x.htc)\">",
  "<div style=\"\\62 ehavior: url(x.htc)\">",
  // break out of an attribute value
  "\" onmouseover=\"alert(1)",
  "' onfocus='alert(1)' autofocus='",
  "x onmouseover=alert(1)",
  "\"><script>alert(1)</script>",
  "'><img src=x onerror=alert(1)>",
  "x><svg onload=alert(1)>",
  // script-context sinks
  "\";alert(1);//",
  "';alert(String.fromCharCode(88))//",
  "x=document.cookie",
  "top.location='//evil.example'",
  "eval(atob('YWxlcnQoMSk='))",
  "alert`1`",
  "alert(s.cookie)",
  "prompt()",
  "&{alert(1)};",
];

const benign: string[] = [
  "a < b",
  "a<b",
  "if (a < b && c > d) return",
  "5 < 6 > 4",
  "<3",
  "I <3 you",
  "<bob@x.com>",
  "Bob Smith <bob@example.com>",
  "x<y>z",
  "<b>bold</b>",
  "<i>hi</i>",
  "<p>Hello, world</p>",
  "<a href=\"https://example.com\">link</a>",
  "<img src=\"/logo.png\" alt=\"logo\">",
  "<br/>",
  "</div>",
  "<!-- comment -->",
  "<<<>>>",
  "->",
  "=>",
  "2 <3 4",
  "<div class=\"note\">text</div>",
  "I love javascript",
  "javascript: the good parts",
  "Learn JavaScript: a guide",
  "The Document Object Model",
  "alert the team",
  "confirm your email",
  "prompt payment",
  "please evaluate this",
  "on load we start",
  "online",
  "onion rings",
  "expression of interest",
  "data: none",
  "data:image/png;base64,iVBORw0KGgo=",
  "Use <br> for line breaks",
  "See https://example.com/a?b=c&d=e",
  "Tom & Jerry",
  "&amp; &lt; &gt;",
  "&copy; 2024",
  "O'Brien",
  "He said \"hi\" to me",
  "The \"online\" store",
  "status online=true",
  "vbscript is old",
  "function foo() { return 1; }",
  "document.title",
  "window.open",
  "my window.location is nice",
  "10 > 9 < 11",
  "C:\\Users\\data\\file.txt",
  "<template>",
  "<noscript>",
  "style: expression of joy",
  "width: 100px; color: red",
  "background: url(/img/bg.png)",
  "x = y + 1",
  "SELECT * FROM t WHERE a < 5",
  "price < $5",
  "<< back",
  "next >>",
  "<tag> without handlers",
  "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl",
  "on=1&off=2",
  "version 2 <beta>",
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?><note>hi</note>",
  "Data: text/html files only",
  "Use the onClick prop in React",
  "document.cookie is where we keep the session",
  "List<String> items = new ArrayList<>();",
  "template <typename T>",
  "Manage your alert(s) here",
  "confirm(es) pending",
];

describe("detectXss: attacks", () => {
  it.each(attacks)("fires on %s", (input) => {
    const v = h.xss(input);
    expect(v.code, `fingerprint ${v.fingerprint}`).not.toBe(0);
    expect(v.fingerprint.length).toBeGreaterThan(0);
    expect(v.fingerprint.length).toBeLessThanOrEqual(16);
  });
  it("has at least 60 attack fixtures", () => expect(attacks.length).toBeGreaterThanOrEqual(60));
});

describe("detectXss: benign look-alikes", () => {
  it.each(benign)("stays quiet on %s", (input) => {
    const v = h.xss(input);
    expect(v.code, `fired with ${v.fingerprint}`).toBe(0);
    expect(v.fingerprint).toBe("");
  });
  it("has at least 60 benign fixtures", () => expect(benign.length).toBeGreaterThanOrEqual(60));
});

describe("detectXss: JavaScript sinks in values with no ':', '&', '\\' or control byte", () => {
  // Such values skip the normalised scan unless a vocabulary word stands before '(', '`' or
  // '.' (xss-normalised.ts mayReachJsSink); these must still reach it and fire.
  it.each(["x alert(1)", "alert`1`", "scriptalert(1)", "document.cookie=1", "(top.location.href=1)", "window.location='x'"])(
    "fires on %s",
    (input) => expect(h.xss(input).code).not.toBe(0),
  );
  // Control bytes are dropped by the scan, joining the word across them: never skipped.
  it("fires when a tab splits the sink name", () => expect(h.xss("x al\tert(1)").code).not.toBe(0));
  it("stays quiet on a browser user-agent", () => {
    expect(h.xss("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15").code).toBe(0);
  });
});

describe("detectXss: byte classes (presentClasses)", () => {
  // The nibble-table classifier against the byte-by-byte definition of each class
  // (byte-classes.ts CLASS_*): one bit per byte class, in the same order.
  const w = instantiateEngine();
  w.exports.configure(1 << 16, 64, 1 << 16, 64, 4096);
  const p: number = w.exports.scratchPtr();
  const one = [0x22, 0x27, -1, 0x3c, 0x2b, 0x3d, 0x3a, 0x28, 0x60, 0x2e, 0x26, 0x5c];
  const classOf = (x: number): number => {
    let m = 0;
    one.forEach((c, k) => { if (c === x) m |= 1 << k; });
    if ((x >= 0x01 && x <= 0x20) || x === 0x3e) m |= 1 << 2; // CLASS_BREAK
    if (x < 0x20 || x === 0x7f) m |= 1 << 12; // CLASS_CONTROL
    return m;
  };
  const reference = (b: Uint8Array) => b.reduce((m, x) => m | classOf(x), 0);
  const classes = (b: Uint8Array) => {
    w.bytes().set(b, p);
    return w.exports.xssPresentClasses(p, b.length) >>> 0;
  };
  it("classifies every byte alone and in every position of inputs of 0 to 40 bytes", () => {
    for (let x = 0; x < 256; x++) {
      for (let n = 0; n <= 40; n++) {
        for (let at = 0; at < n; at++) {
          // Background 'a' (in no class); in short inputs the byte may sit where the tail loads overlap or not.
          const b = new Uint8Array(n).fill(0x61);
          b[at] = x;
          const got = classes(b);
          if (got !== classOf(x)) expect([x, n, at, got]).toEqual([x, n, at, classOf(x)]);
        }
      }
    }
    expect(classes(new Uint8Array(0))).toBe(0);
  });
  it("matches the byte-by-byte definition on random bytes (property)", () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 70 }), (b) => {
      expect(classes(b)).toBe(reference(b));
    }), { numRuns: 20000 });
  });
  it("reads nothing past the input (a classed byte just after it is not seen)", () => {
    for (let n = 0; n <= 40; n++) {
      for (const x of [0x00, 0x3c, 0x20, 0x7f, 0x3e]) {
        const b = new Uint8Array(n + 1).fill(0x61);
        b[n] = x;
        w.bytes().set(b, p);
        expect([n, x, w.exports.xssPresentClasses(p, n) >>> 0]).toEqual([n, x, 0]);
      }
    }
  });
});

describe("detectXss: the last-two-letters filter of the sink prescan", () => {
  // sinkWordBefore (xss-normalised.ts) first rejects a '(', '`' or '.' whose two bytes before
  // are letters no JavaScript-vocabulary word ends with; the hook turns that off. Gate and
  // whole result (code, fingerprint, work) must be the same either way.
  const w = instantiateEngine();
  w.exports.configure(1 << 16, 64, 1 << 16, 64, 4096);
  const p: number = w.exports.scratchPtr();
  const run = (b: Uint8Array, filter: number) => {
    w.exports.xssSinkEndsFilter(filter);
    w.bytes().set(b, p);
    const gate = w.exports.xssStageOneGate(p, b.length) >>> 0;
    const code = w.exports.detectXss(p, b.length) >>> 0;
    const fp = Buffer.from(w.bytes().subarray(w.exports.detectorFingerprintPtr(), w.exports.detectorFingerprintPtr() + w.exports.detectorFingerprintLen())).toString("latin1");
    const work = w.exports.detectorWorkCount() >>> 0;
    w.exports.xssSinkEndsFilter(1);
    return { gate, code, fp, work };
  };
  const js = ["alert", "prompt", "confirm", "setTimeout", "setinterval", "fromCharCode", "execscript", "eval", "atob", "msgbox",
    "write", "writeln", "document", "globalThis", "window", "self", "top", "parent", "opener", "cookie", "domain", "location",
    "innerHTML", "outerhtml", "localStorage"];
  const piece = fc.oneof(
    fc.constantFrom(...js),
    fc.constantFrom(...js).map((x) => x.toUpperCase()),
    fc.constantFrom(...js).map((x) => x.slice(1)), // near misses: same last two letters
    fc.constantFrom(...js).map((x) => x + "s"),
    fc.constantFrom("script", "x", "my", "shop", "example", "com", "Mozilla", "5", "0", "12", "a1", "1a", "_", "-", "$"),
    fc.constantFrom("(", ")", "`", ".", " ", "=", "+", "/", ";", ",", "é", "\t", ":", "&", "<"),
    fc.stringMatching(/^[a-zA-Z0-9().`]{1,4}$/),
  );
  it("never changes the gate or the result (property)", () => {
    fc.assert(fc.property(fc.array(piece, { minLength: 1, maxLength: 24 }).map((a) => new TextEncoder().encode(a.join(""))), (b) => {
      expect(run(b, 1)).toEqual(run(b, 0));
    }), { numRuns: 30000 });
  });
  it.each(["x.alert(1)", "scriptalert(1)", "document.cookie=1", "top.location=1", "self.x", "ATOB(x)", "a.writeln`x`"])(
    "lets %s through to stage 1", (s) => expect(run(new TextEncoder().encode(s), 1).gate).toBe(1));
  it.each(["shop.example.com", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)", "(see above)", "v1.2.3"])(
    "rejects %s at the filter", (s) => expect(run(new TextEncoder().encode(s), 1).gate).toBe(0));
});

describe("detectXss: inert ampersands do not open stage 1", () => {
  // stageOneMayFire skips the normalised scan when every '&' reads as itself
  // (xss-normalised.ts ampersandsInert); the hook turns that off. Wherever the gate now says
  // no, the scan returns 0; and the result (code, fingerprint) is the same either way (the
  // work counter is smaller where the scan is skipped).
  const w = instantiateEngine();
  w.exports.configure(1 << 16, 64, 1 << 16, 64, 4096);
  const p: number = w.exports.scratchPtr();
  const run = (s: string, gate: number) => {
    const b = new TextEncoder().encode(s);
    w.exports.xssAmpersandGate(gate);
    w.bytes().set(b, p);
    const scan = w.exports.xssStageOne(p, b.length) >>> 0;
    const open = w.exports.xssStageOneGate(p, b.length) >>> 0;
    const code = w.exports.detectXss(p, b.length) >>> 0;
    const fp = Buffer.from(w.bytes().subarray(w.exports.detectorFingerprintPtr(), w.exports.detectorFingerprintPtr() + w.exports.detectorFingerprintLen())).toString("latin1");
    w.exports.xssAmpersandGate(1);
    return { scan, open, code, fp };
  };
  const piece = fc.oneof(
    fc.constantFrom("&", "&amp;", "&amp", "&lt;", "&lt", "&gt", "&colon;", "&colon", "&lpar;", "&lpar", "&period;", "&grave;", "&tab;",
      "&newline;", "&nbsp;", "&sol;", "&quot;", "&#", "&#x", "&#40;", "&#x3a;", "&#58", "&{", "&}", "&&", "& ", "&1", "&b=", "&d=e",
      "&colonx", "&xcolon;", "&COLON;", "&LPar;", "&ampersand", "&javascript", "&abcdefghijk", "&lparlparlp"),
    fc.constantFrom("javascript", "vbscript", "data", "text/html", "alert", "eval", "document", "cookie", "window", "expression",
      "behavior", "url", "Tom", "Jerry", "https", "x", "1", "a", "e"),
    fc.constantFrom(":", "(", ")", "`", ".", " ", "=", ",", ";", "/", "*", "/*", "-", "\\", "\t", "<", ">", "'", "\"", "é"),
    fc.stringMatching(/^[a-z&:(.;#{ ]{1,5}$/),
  );
  it("skips the scan only where it returns 0, and keeps every result (property)", () => {
    fc.assert(fc.property(fc.array(piece, { minLength: 1, maxLength: 24 }).map((a) => a.join("")), (s) => {
      const on = run(s, 1);
      const off = run(s, 0);
      if (on.open === 0) expect([s, on.scan]).toEqual([s, 0]);
      expect([s, on.code, on.fp]).toEqual([s, off.code, off.fp]);
    }), { numRuns: 40000 });
  });
  it.each(["Tom & Jerry", "https://example.com/a?b=c&d=e", "R&D", "a && b", "x&"])("skips the scan on %s", (s) => expect(run(s, 1).open).toBe(0));
  it.each(["javascript&colon;alert(1)", "&lt;script", "&{alert(1)};", "java&#x73;cript:x", "x&amp;alert(1)", "a&tab;b"])(
    "lets the scan run on %s", (s) => expect(run(s, 1).open).toBe(1));
});

describe("detectXss: the prescan of stage 1", () => {
  // detectXss runs its normalised scan (stage 1) only where the prescan says it can fire
  // (xss.ts stageOneMayFire): it must never say no where the scan fires.
  const w = instantiateEngine();
  w.exports.configure(1 << 16, 64, 1 << 16, 64, 4096);
  const p: number = w.exports.scratchPtr();
  const run = (s: string) => {
    const b = new TextEncoder().encode(s);
    w.bytes().set(b, p);
    return { scan: w.exports.xssStageOne(p, b.length) >>> 0, gate: w.exports.xssStageOneGate(p, b.length) >>> 0 };
  };
  const words = [
    "javascript", "vbscript", "livescript", "mocha", "data", "text/html", "image/svg+xml", "expression", "-moz-binding",
    "behavior", "behaviour", "binding", "url", "alert", "eval", "document", "window", "cookie", "location", "http", "https",
    "JavaScript", "EXPRESSION", "x", "1", "width", "style", "colon", "lpar",
  ];
  const piece = fc.oneof(
    fc.constantFrom(...words),
    fc.constantFrom(":", "(", ")", "`", ".", "-", "_", "/", "*", "/*", "*/", " ", ",", ";", "=", "'", "\"", "&", "&colon;", "\\", "\t", "é"),
    fc.stringMatching(/^[a-z0-9:(.\/*_ -]{1,4}$/),
  );
  it("never skips the scan where it fires (property)", () => {
    // Up to 24 pieces: values past 16 bytes take the prescan's sixteen-byte steps.
    fc.assert(fc.property(fc.array(piece, { minLength: 1, maxLength: 24 }).map((a) => a.join("")), (s) => {
      const { scan, gate } = run(s);
      if (scan !== 0) expect([s, gate]).toEqual([s, 1]);
    }), { numRuns: 40000 });
  });
  it("reads the same words before ':', '(' and '/' sixteen bytes at a time as byte by byte (property)", () => {
    // mayReachSchemeOrCss finds them with SIMD and reads runs backwards; the hook takes its
    // byte-wise reference loop. Up to 24 pieces: both the vector steps and the tail.
    const gateWith = (s: string, simd: number) => {
      w.exports.xssSchemeSimd(simd);
      const g = run(s).gate;
      w.exports.xssSchemeSimd(1);
      return g;
    };
    fc.assert(fc.property(fc.array(piece, { minLength: 1, maxLength: 24 }).map((a) => a.join("")), (s) => {
      expect([s, gateWith(s, 1)]).toEqual([s, gateWith(s, 0)]);
    }), { numRuns: 40000 });
  });
  it.each(["javascript:alert(1)", "x vbscript:msgbox(1)", "width:expression(alert(1))", "a{behavior:url(x.htc)}",
    "-moz-binding:url(x)", "data:text/html,x", "width:expr/**/ession(1)", "width:expression(1)", "WIDTH: EXPRESSION(1)"])(
    "lets the scan run on %s, which fires", (s) => {
      const { scan, gate } = run(s);
      expect(scan).not.toBe(0);
      expect(gate).toBe(1);
    });
  it.each(["https://shop.example.com/products", "12:30", "a:b", "en-GB,en;q=0.9", "mailto:x@example.com"])(
    "skips the scan on %s", (s) => expect(run(s)).toEqual({ scan: 0, gate: 0 }));
});

describe("detectXss: contexts and fingerprints", () => {
  it("names the tag, handler or scheme that fired", () => {
    expect(h.xss("<script>").fingerprint).toBe("<script");
    expect(h.xss("<img src=x onerror=y()>").fingerprint).toBe("onerror=");
    expect(h.xss("<a href=javascript:alert(1)>").fingerprint).toBe("javascript:(");
    expect(h.xss("<div style=\"width:expression(x)\">").fingerprint).toBe(":expression(");
  });
  it("reports the starting context in the high byte", () => {
    expect(h.xss("<script>").code >> 8).toBe(1); // text
    expect(h.xss("\" onmouseover=\"x()").code >> 8).toBe(2); // double-quoted attribute
    expect(h.xss("' onmouseover='x()").code >> 8).toBe(3); // single-quoted attribute
    expect(h.xss("x onmouseover=x()").code >> 8).toBe(4); // unquoted attribute
  });
  it("needs code after a script scheme", () => {
    expect(h.xss("javascript:").code).toBe(0);
    expect(h.xss("javascript:void(0)").code).not.toBe(0);
  });
  it("needs an active media type after data:", () => {
    expect(h.xss("data:text/plain,hello").code).toBe(0);
    expect(h.xss("data:text/html,hello").code).not.toBe(0);
    expect(h.xss("data:text/html").code).toBe(0);
  });
  it("handles empty input and lone punctuation", () => {
    for (const input of ["", "<", "</", "<?", "&", "&#", "&#x", "\\", "\"", "'", "+ADw-", "<a", "<a b", "<a b=", "<a b='"]) {
      expect(h.xss(input).code).toBe(0);
    }
  });
});

describe("detectXss: the HTML scans run only where a tag opens or a handler name can start", () => {
  // detectXSS skips the text context when no tag opens (html-scan.ts anyTagOpens) and the
  // attribute contexts when, besides, no "on" and three letters stand after a non-letter
  // (mayNameHandler); the hook runs every scan the byte classes allow, as before. The result
  // (code, fingerprint) must be the same either way (the work counter is smaller where a scan
  // is skipped).
  const hooked = detectorHarness();
  const run = (s: string, gate: number) => {
    hooked.exports.xssHtmlGate(gate);
    try {
      return hooked.xss(s);
    } finally {
      hooked.exports.xssHtmlGate(1);
    }
  };
  const piece = fc.oneof(
    fc.constantFrom("on", "On", "ON", "onload", "onerror", "OnErRoR", "onabc", "onab", "ona1b", "xonload", "1onload", ".onclick",
      "'onload", "\"onload", "/onload", "_onload", "éonload", "phone", "station", "one", "only", "Jonathan"),
    fc.constantFrom("<", "</", "<?", "<b", "<3", "< ", "+ADw-", "+adw-", "+ADw", "+", "<script", "<svg", "<?import", "</script"),
    fc.constantFrom("=", "==", "=(", "(", "`", "&", "x()", "alert(1)", " ", "\t", "\n", "/", ">", "\"", "'", "\0", "é", "a", "1"),
    fc.stringMatching(/^[onON<+=( '"/>a-z]{1,5}$/),
  );
  it("keeps every result (property)", () => {
    fc.assert(fc.property(fc.array(piece, { minLength: 1, maxLength: 20 }).map((a) => a.join("")), (s) => {
      const on = run(s, 1);
      const off = run(s, 0);
      expect([s, on.code, on.fingerprint]).toEqual([s, off.code, off.fingerprint]);
      expect(on.work).toBeLessThanOrEqual(off.work);
    }), { numRuns: 40000 });
  });
  it.each(["x = y + 1", "a < b <3", "station phone on load", "it's me", "5'10\" tall", "a=b c=d", "Jonathan=1 x"])(
    "skips the HTML scans on %s", (s) => expect(run(s, 1).work).toBe(0));
  it.each([["\" onload=(x)", 0x202], ["\" onload=x", 0], ["' 1onload=x()", 0x302], ["x onerror=(1)", 0x402], ["<b onload=x()>", 0x102], ["x\" src=1 <b>ok</b>", 0]] as const)(
    "fires on %s as before", (s, code) => expect([run(s, 1).code, run(s, 0).code]).toEqual([code, code]));
});
