/**
 * Properties of both detectors on generated input: they never trap, are deterministic,
 * never read past the input, keep fingerprints short, survive garbage around attacks, and
 * do work linear in the input (measured with the module's work counter, never a clock).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { detectorHarness, type Verdict } from "./harness";
import { instantiateEngine } from "../support/wasm";

const h = detectorHarness();
const detectors: Array<[string, (input: string | Uint8Array) => Verdict]> = [
  ["sqli", h.sqli],
  ["xss", h.xss],
];

/** Characters that steer both tokenizers into their less common states. */
const special = fc.constantFrom(
  "'", "\"", "`", "[", "]", "(", ")", ";", ",", "-", "--", "#", "/*", "*/", "/*!", "$$", "$a$", "@", "@@",
  "=", "<", ">", "!", "|", "||", "&", "&&", "::", ".", "..", "\\", "0x", "x'", "q'[", "N'", " ", "\t", "\n",
  "union", "select", "or", "and", "1", "sleep(", "from", "where", "order by", "<script", "<a ", "on", "onerror=",
  "javascript:", "&#", "&#x6a;", "&colon;", "\\6a", "data:", "text/html", "expression(", "alert(", "document.",
  "cookie", "+ADw-", "\u0000", "\u00ff", "é", "<?", "</", "style=", "url(",
);
const tokenSoup = fc.array(special, { maxLength: 64 }).map((parts) => parts.join(""));

describe("detectSqli fast path", () => {
  // runContext skips checkShapes on tokens no shape involves (sqli.ts mayShape, the
  // plain-word fast path and the plain run): the verdict, fingerprint and work must equal
  // checking every token.
  const prose = fc.constantFrom("Mozilla/5.0", "(Macintosh;", "Intel", "like", "Gecko)", "14_5", "605.1.15", "the", "x", "a.b");
  const soup = fc.array(fc.oneof(special, prose, fc.constant(" ")), { maxLength: 40 }).map((parts) => parts.join(""));
  const { exports } = instantiateEngine();
  exports.configure(1 << 16, 64, 1 << 16, 64, 4096);
  const ptr: number = exports.scratchPtr();
  const run = (input: string) => {
    const bytes = new TextEncoder().encode(input);
    new Uint8Array(exports.memory.buffer, ptr, bytes.length).set(bytes);
    const code = exports.detectSqli(ptr, bytes.length) >>> 0;
    const fp = Buffer.from(new Uint8Array(exports.memory.buffer, exports.detectorFingerprintPtr(), exports.detectorFingerprintLen())).toString("latin1");
    return { code, fp, work: exports.detectorWorkCount() >>> 0 };
  };
  /** Verdict, fingerprint and work on `input`, with and without the fast paths, agree. */
  const agreesWithEveryToken = (input: string) => {
    const fast = run(input);
    exports.sqliEveryToken(1);
    const full = run(input);
    exports.sqliEveryToken(0);
    expect([input, fast]).toEqual([input, full]);
  };
  it("decides as if every token were checked (property)", () => {
    fc.assert(fc.property(soup, agreesWithEveryToken), { numRuns: 20000 });
  });

  // The plain run (sqlPlainRun) pushes words, numbers, operators and punctuation without
  // sqlNext where push would not fold them and no shape would look at them; the hook turns
  // it off too. Pieces: words it takes and the near misses it must leave to sqlNext
  // (keywords, prefixed strings, charset introducers, dotted names, comments, casts), the
  // keywords and signs whose neighbours it must leave (limit N, N; exec p;  -( ; ) ) ...).
  const word = fc.oneof(
    fc.constantFrom("alpha", "bravo", "Charlie", "x", "q", "N", "e", "b", "_x", "_utf8", "zz_9$", "é", "ü\u00ff", "a".repeat(17), "Mozilla"),
    fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_$]{0,24}$/),
  );
  const other = fc.constantFrom(
    "select", "union", "UNION", "or", "and", "from", "order", "by", "not", "all", "sleep", "version", "xp_cmdshell", "information_schema",
    "limit", "group", "having", "into", "outfile", "procedure", "analyse", "waitfor", "delay", "declare", "exec", "case", "when",
    "then", "where", "like", "in", "is", "null", "drop", "shutdown", "benchmark", "concat", "@@version", "@x", "'a'", "\"b\"",
    "limit 1", "limit 1,", "exec p", "exec p;", "order by", "union select", "select", "))", "((", "-(", "1)", "x)", "or 1=", "case 1 when",
    "(select", "and sleep(", "1 and", "' or", "; drop",
    "a.b", "a..b", "x.", ".", "n'x'", "x'41'", "q'[a]'", "'", "\"", "`", "(", ")", ",", ";", "#", "--", "-- x", "/*", "*/", "/**/", "/*!",
    "-", "/", "+", "%", "?", "^", "{", "}", "~", "\\", "]", "[", "*", "!", "!=", "::", ":", ":=", "=", "<", ">", "|", "||", "&", "@", "@x",
    "$1", "$$", "1", "-1", ".5", "0x1f", "1e5", "12abc",
    // dotted names, function names with and without a call, noise and logic words, ':' (sqlPlainRun's runWordRare)
    "www.example.com", "a.b.c", "x.select", "select.x", "a.sleep", "a.sleep(", "sleep.a(", "a.xp_cmdshell", "xp_cmdshell.a",
    "a.b.", "a.b..c", "a.1", "1.a", "a. b", "a .b", "_x.y", "n.x", "x.'a'", "Version", "version (", "version/**/(", "version /* x */ 1",
    "user", "left", "if", "count", "exists", "any", "mid(", "xor", "XOR", "not", "distinct", "binary", "all", "http://x", "a:b", ":x", "x:=1",
    // strings, and words before a quote: prefixes (N'..', Q'[..]'), charset introducers, names ("O'Brien")
    "O'Brien", "O'", "n'", "E'", "X'", "B'", "Q'", "q'[", "N\"", "_utf8'", "_x\"", "or'", "select'", "sleep'", "it's", "5'10\"", "'\\''", "''", "\"\"",
  );
  const gap = fc.constantFrom("", " ", " ", "  ", "\t", "\n", "\u0000", "\u007f");
  const punct = fc.constantFrom("(", ")", ",", ";", "-", "+", "~", "!", "*", "1", "2", "0x1f", "=", "::");
  const runSoup = fc.array(fc.tuple(fc.oneof({ weight: 3, arbitrary: word }, { weight: 2, arbitrary: other }, { weight: 2, arbitrary: punct }), gap), { maxLength: 48 })
    .map((xs) => xs.map(([p, g]) => p + g).join(""));
  const runInput = fc.tuple(fc.constantFrom("", "'", "\"", "x' ", "1\" ", "') "), runSoup, fc.constantFrom("", "--", " #", "'", "\""))
    .map(([a, b, c]) => a + b + c);
  it("a plain run decides and counts work as checking every token does (property)", () => {
    fc.assert(fc.property(runInput, agreesWithEveryToken), { numRuns: 20000 });
  });

  // After a comparison, a plain name reaches checkShapes (and stops the plain run) only
  // when a value or ')' is left of the comparison (sql-tokenizer.ts nameRightCompletes):
  // "or 'a'=x" is a tautology, "a?b=c" is not. Each left side, with names, values and
  // groups on the right, inside logic and clause keywords, in all three contexts.
  const cmpInput = fc.tuple(
    fc.constantFrom("", "1 ", "x' ", "x\" ", "') ", "a?", "KHTML, "),
    fc.constantFrom("or ", "and ", "|| ", "&& ", "where ", "having ", "case when ", "xor ", "", "not "),
    fc.constantFrom("1", "'a'", "\"b\"", "@v", "(1)", "x", "f(1)", "x)", "1)", "version()", "-1", "a.b", "null", "$1", "x::int"),
    fc.constantFrom("", " "),
    fc.constantFrom("=", "==", "<", ">", "!=", "!<", "!>", "!", "<>", "<=>", "<=", ">=", "<<", ">>", "=>", "><", "like", "in", "is", " = ", ". ", "!."),
    fc.constantFrom("", " "),
    fc.constantFrom("x", "alpha", "Gecko", "1", "'b'", "(", "x y", "x-y", "x=y", "x = 1", "n'", "a.b", "x--", "x#", "a@b.c", "x@", "@x", "a@1-2.b@c"),
    fc.constantFrom("", " or 1", "--", " bravo charlie", "&d=e", ")", "'", "\"", " and 'x'='x"),
  ).map((xs) => xs.join(""));
  it("a plain name after a comparison decides and counts work as checking every token does (property)", () => {
    for (const input of ["1 or 'a'=x", "1 or @v=x", "1 or (1)=x", "x' or 'a'=b--", "a?b=c&d=e", "where 1=x", "1 and x)=y",
      "<b>ok</b>", "1 or 1<=>x", "1 or x<=>1", "a<<b", "a>>b or 1=1", "1 or 1<>x", "x' or 1>=y--", "Great! Thanks. See you.", "1 or 1!=x",
      "x' or !1 --", "a. .5 or 1=1", "x' . or 1=1 --", "mail me at jo.doe@example-mail.com today", "a@b.c' or 1=1--", "x @y", "1@x or 1=1",
      "a@@version", "a@'x' or 1=1"]) {
      agreesWithEveryToken(input);
    }
    fc.assert(fc.property(cmpInput, agreesWithEveryToken), { numRuns: 20000 });
  });

  // In a quote context the fast path and the plain run start once no break-out shape can
  // fire (sqli.ts breakoutClosed): past the window, or as soon as Y (the first token after
  // the closed string and its ')') is none of the tokens a break-out shape starts with. Y
  // may change while the second token does (a sign, keyword or cast folds it): "x'::a)"
  // ends with Y after the ')', which the old Y (a word) must not decide.
  const windowToken = fc.constantFrom(
    "a", "x", "1", "-", "-1", "::", "::a", ")", "))", "(", "or", "and", "=", "<", "like", "in", "order", "by", "order by", "limit",
    "as", "into", "outfile", "where", ";", ",", "--", "#", "/*", "'a'", "\"b\"", "@x", "sleep(", "version", "select", "union", "exec", "*",
  );
  const windowInput = fc.tuple(
    fc.constantFrom("'", "\"", "x'", "x\"", "'')", "x')", "O'", "5'10\""),
    fc.array(fc.tuple(fc.constantFrom("", " "), windowToken), { maxLength: 7 }),
    fc.constantFrom("", "'", "\"", "--", " x"),
  ).map(([a, xs, c]) => a + xs.map(([g, t]) => g + t).join("") + c);
  it("a quote context decides and counts work in the break-out window as checking every token does (property)", () => {
    for (const input of ["x'::a) or 1=1", "x'::a) or sleep(1)", "x'-1 or 1=1", "x' order by 1", "O'Brien said \"hello\"", "5'10\" or 1=1"]) {
      agreesWithEveryToken(input);
    }
    fc.assert(fc.property(windowInput, agreesWithEveryToken), { numRuns: 20000 });
  });

  it("every byte value inside and around plain-run tokens decides and counts work as checking every token does", () => {
    // sqlPlainRun classifies bytes through a table (RUN_CLASS) and reads numbers itself:
    // each byte value after a word, an operator, a number, a digit run and a dot, alone and
    // before more plain tokens, short (scalar word tail) and past 16 bytes (vector scan).
    const contexts = ["alpha%", "alpha %", "a-%", "12%", "12.5%", "1.%", "605.1%15", "%x", "x %x", "x/%/y", "zz%zz", "Mozilla/5.0 %"];
    const tails = ["", " bravo charlie", " 1 2", " delta-echo foxtrot golf hotel india"];
    for (let b = 0; b < 256; b++) {
      const ch = String.fromCharCode(b);
      for (const c of contexts) for (const t of tails) {
        const input = c.replace("%", ch) + t;
        agreesWithEveryToken(input);
        agreesWithEveryToken("delta echo foxtrot " + input);
      }
    }
  });
});

describe("detector properties", () => {
  for (const [name, detect] of detectors) {
    it(`${name}: never traps on arbitrary bytes and is deterministic`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
          const a = detect(bytes);
          const b = detect(bytes);
          expect(b).toEqual(a);
          expect(a.fingerprint.length).toBeLessThanOrEqual(16);
          expect(a.code === 0).toBe(a.fingerprint === "");
        }),
        { numRuns: 300 },
      );
    });

    it(`${name}: never traps on token soup and is deterministic`, () => {
      fc.assert(
        fc.property(tokenSoup, (input) => {
          const a = detect(input);
          expect(detect(input)).toEqual(a);
          expect(a.fingerprint.length).toBeLessThanOrEqual(16);
          expect(a.code === 0).toBe(a.fingerprint === "");
        }),
        { numRuns: 500 },
      );
    });

    it(`${name}: survives garbage before and after an attack`, () => {
      const attack = name === "sqli" ? "' or 1=1--" : "<img src=x onerror=alert(1)>";
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 256 }), fc.uint8Array({ maxLength: 256 }), (pre, post) => {
          const body = new TextEncoder().encode(attack);
          const input = new Uint8Array(pre.length + body.length + post.length);
          input.set(pre, 0);
          input.set(body, pre.length);
          input.set(post, pre.length + body.length);
          const v = detect(input);
          expect(v.fingerprint.length).toBeLessThanOrEqual(16);
        }),
        { numRuns: 200 },
      );
    });
  }

  it("never reads past the input: bytes after it do not change the verdict", () => {
    const { exports, memory } = instantiateEngine();
    exports.configure(1 << 16, 64, 1 << 16, 64, 4096);
    const ptr: number = exports.scratchPtr();
    fc.assert(
      fc.property(tokenSoup, fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.uint8Array({ minLength: 64, maxLength: 64 }), (input, tailA, tailB) => {
        const bytes = new TextEncoder().encode(input);
        const mem = new Uint8Array(memory.buffer);
        const verdicts: number[] = [];
        for (const tail of [tailA, tailB]) {
          mem.set(bytes, ptr);
          mem.set(tail, ptr + bytes.length);
          verdicts.push(exports.detectSqli(ptr, bytes.length), exports.detectXss(ptr, bytes.length));
        }
        expect(verdicts.slice(2)).toEqual(verdicts.slice(0, 2));
      }),
      { numRuns: 300 },
    );
  });

  it("never reads past the input: an input ending at the last byte of memory does not trap", () => {
    const { exports, memory } = instantiateEngine();
    exports.configure(1 << 16, 64, 1 << 16, 64, 4096);
    fc.assert(
      fc.property(fc.oneof(tokenSoup.map((t) => new TextEncoder().encode(t)), fc.uint8Array({ maxLength: 512 })), (bytes) => {
        const end = memory.buffer.byteLength;
        const at = end - bytes.length;
        new Uint8Array(memory.buffer).set(bytes, at);
        expect(() => exports.detectSqli(at, bytes.length)).not.toThrow();
        expect(() => exports.detectXss(at, bytes.length)).not.toThrow();
      }),
      { numRuns: 400 },
    );
  });

  it("handles a full 1 MiB input", () => {
    const bytes = new Uint8Array(h.capacity);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    for (const [, detect] of detectors) expect(() => detect(bytes)).not.toThrow();
  });
});

describe("linear time (work counter)", () => {
  const patterns = [
    "'", "\"", "' or ", "/*", "/*!", "--\n", "#\n", "a.", "a..", "$a$", "$$", "union select ", "((((", ")", "@@",
    "x(", "sleep ", "0x", "1e", "q'[", "`", "[", "&#", "&#x6a;", "&#0000000", "&colon", "<a ", "<a b=", "<a b='",
    "<", "</", "<?", "on", "onerror", "javascript:", "\\", "\\00006a", "expression", "/**/", "document.",
    "scriptalert", "+ADw-", "data:", "-moz-binding:", " ",
  ];
  for (const [name, detect] of detectors) {
    it(`${name}: work grows linearly with repeated patterns`, () => {
      for (const p of patterns) {
        const small = detect(p.repeat(1000));
        const big = detect(p.repeat(4000));
        const len = p.length * 4000;
        expect(big.work, `pattern ${JSON.stringify(p)}`).toBeLessThanOrEqual(len * 8 + 64);
        expect(big.work, `pattern ${JSON.stringify(p)}`).toBeLessThanOrEqual(small.work * 4 + 256);
      }
    });

    it(`${name}: work is bounded by a constant per byte on token soup`, () => {
      fc.assert(
        fc.property(tokenSoup, (input) => {
          const v = detect(input);
          expect(v.work).toBeLessThanOrEqual(new TextEncoder().encode(input).length * 8 + 64);
        }),
        { numRuns: 300 },
      );
    });
  }
});
