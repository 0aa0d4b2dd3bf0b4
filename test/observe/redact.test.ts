import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRedactor, passesLuhn, redactSnippet } from "../../src/observe/redact.js";

/** Appends the Luhn check digit to `body` (digits). */
function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (passesLuhn(body + d)) return body + d;
  throw new Error("unreachable");
}

describe("redactSnippet (the engine's default redaction)", () => {
  it("withholds values of sensitive-looking field names whole", () => {
    for (const name of ["password", "new_password", "passwd", "api_key", "X-Api-Key", "access_token", "authorization", "sessionid", "client_secret", "card_number", "cvv", "otp", "cookie"]) {
      expect(redactSnippet(name, "1' or '1'='1")).toBe("[redacted]");
    }
    for (const name of ["q", "search", "comment", "id", "spin", "company"]) expect(redactSnippet(name, "hello")).toBe("hello");
  });

  it("masks card numbers that pass Luhn, with or without separators, and other long digit runs", () => {
    expect(redactSnippet("q", "pay 4111111111111111 now")).toBe("pay [card] now");
    expect(redactSnippet("q", "4111-1111-1111-1111")).toBe("[card]");
    expect(redactSnippet("q", "4111 1111 1111 1111")).toBe("[card]");
    expect(redactSnippet("q", "4111111111111112")).toBe("**************12"); // fails Luhn: still masked as digits
    expect(redactSnippet("q", "call +44 7700900123")).toBe("call +**********23");
    expect(redactSnippet("q", "id=12345")).toBe("id=12345"); // short numbers stay readable
  });

  it("masks credentials: bearer tokens, JWTs, API key shapes, long hex", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
    expect(redactSnippet("h", `Bearer ${jwt}`)).toBe("[redacted]…"); // cut at 48 first, then masked
    expect(redactSnippet("q", "x eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln")).toBe("x [redacted]");
    expect(redactSnippet("q", "AKIAIOSFODNN7EXAMPLE")).toBe("[redacted]");
    expect(redactSnippet("q", "ghp_abcdefghijklmnopqrstuvwxyz0123")).toBe("[redacted]");
    expect(redactSnippet("q", "sk_live_abcdefghij123")).toBe("[redacted]");
    expect(redactSnippet("q", "d41d8cd98f00b204e9800998ecf8427e")).toBe("[redacted]");
  });

  it("masks email local parts and escapes control characters", () => {
    expect(redactSnippet("q", "mail jane.doe+x@example.co.uk")).toBe("mail ***@example.co.uk");
    expect(redactSnippet("q", "a\r\nb\u0000")).toBe("a\\x0d\\x0ab\\x00");
  });

  it("keeps attack text readable and cuts long values", () => {
    expect(redactSnippet("q", "1' union select password from users--")).toBe("1' union select password from users--");
    expect(redactSnippet("q", "<script>alert(document.cookie)</script>")).toBe("<script>alert(document.cookie)</script>");
    expect(redactSnippet("q", "a".repeat(100))).toBe(`${"a".repeat(48)}…`);
  });
});

describe("createRedactor options", () => {
  it("adds names and patterns, and switches families off", () => {
    const r = createRedactor({ sensitiveNames: /^ssn$|^dob$/i, patterns: [/internal-\w+/], emails: false, maxLength: 10 });
    expect(r("dob", "x")).toBe("[redacted]");
    expect(r("password", "x")).toBe("x"); // the name list was replaced
    expect(r(undefined, "internal-x")).toBe("[redacted]");
    expect(r(undefined, "a@b.example")).toBe("a@b.exampl…");
    const noDigits = createRedactor({ digits: false, tokens: false });
    expect(noDigits(undefined, "4111111111111111")).toBe("4111111111111111");
  });
});

describe("properties", () => {
  it("passesLuhn agrees with the textbook algorithm", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,25}$/), (digits) => {
        const ds = [...digits].reverse().map(Number);
        const sum = ds.reduce((acc, d, i) => acc + (i % 2 === 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d), 0);
        expect(passesLuhn(digits)).toBe(sum % 10 === 0);
      }),
    );
  });

  it("a valid card number never survives, whatever surrounds it", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[^\d]{0,12}$/),
        fc.stringMatching(/^[3-6]\d{11,17}$/),
        fc.stringMatching(/^[^\d]{0,12}$/),
        fc.constantFrom("", " ", "-"),
        (before, body, after, sep) => {
          const card = withCheckDigit(body);
          const written = sep === "" ? card : card.replace(/(\d{4})(?=\d)/g, `$1${sep}`);
          const out = redactSnippet("q", `${before}${written}${after}`);
          expect(out.replace(/[ -]/g, "")).not.toContain(card.slice(0, 8));
        },
      ),
    );
  });

  it("never throws and stays short, for any input", () => {
    fc.assert(
      fc.property(fc.option(fc.string()), fc.string({ maxLength: 2000 }), (name, value) => {
        const out = redactSnippet(name ?? undefined, value);
        expect(typeof out).toBe("string");
        expect(out.length).toBeLessThanOrEqual(49 * 4); // 48 units + ellipsis, control chars escaped to 4
      }),
    );
  });
});
