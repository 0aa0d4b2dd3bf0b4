/**
 * The deleting walk (assembly/matcher/aho-corasick.ts acReachesOutputDeleting): the literal
 * automaton walked over a value whose ASCII whitespace bytes read the stay column, which
 * leaves the state as it was. It must reach an output state exactly when one plain walk over
 * the value with that whitespace removed does — on short values (one walk) and long ones
 * (four interleaved walks, each warmed up on the K − 1 bytes before its quarter that are not
 * whitespace). The second map also deletes `+` (urlDecode then removeWhitespace on a value
 * without `%`) and must agree with a plain walk over the value without whitespace and `+`.
 * The engine skips a class whose chain only deletes those bytes when it reaches no output
 * state holding a literal of that class or its followers (dictionary-suffix outputs
 * included), so decisions with and without it must be the same.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Wafer } from "../../src/engine/engine.js";
import type { Decision } from "../../src/engine/decision.js";
import type { PlainRequest } from "../../src/request/types.js";
import { defaultPackImage, engineWith, packImage } from "../support/engine.js";
import { engineModule, instantiateEngine } from "../support/wasm.js";
import { loadRawEngine } from "./harness.js";
import { pmPack } from "./literal-scan.js";

type RawEngine = Pick<ReturnType<typeof loadRawEngine>, "exports" | "memory">;

/** A bare engine with `image` active. */
function rawEngineWith(image: Uint8Array): RawEngine {
  const { exports, memory } = instantiateEngine();
  expect(exports.configure(1 << 20, 256, 1 << 16, 4096, 32 + 16 * 64)).toBe(0);
  const ptr = exports.packReserve(image.length);
  new Uint8Array(memory.buffer, ptr, image.length).set(image);
  expect(exports.packActivate(image.length, 0)).toBe(0);
  return { exports, memory };
}

const WHITESPACE = /[ \t\n\v\f\r]/g;
const WHITESPACE_AND_PLUS = /[ \t\n\v\f\r+]/g;

/**
 * [deleting walk over the value, plain walk over the value without the bytes it deletes]:
 * map 1 deletes whitespace, map 2 whitespace and `+`.
 */
function reaches(e: RawEngine, input: string, map: 1 | 2 = 1): [number, number] {
  const bytes = new TextEncoder().encode(input);
  const stripped = new TextEncoder().encode(input.replace(map === 1 ? WHITESPACE : WHITESPACE_AND_PLUS, ""));
  const ptr = e.exports.arenaPtr();
  const mem = () => new Uint8Array(e.memory.buffer);
  mem().set(bytes, ptr);
  const deleting = e.exports.literalReachesOutput(ptr, bytes.length, map) as number;
  mem().set(stripped, ptr);
  const plain = e.exports.literalReachesOutput(ptr, stripped.length, 0) as number;
  return [deleting, plain];
}

const spaces = fc.constantFrom(" ", "\t", "\n", "\r", "\v", "\f", "  ", " \t ");

describe("deleting walk", () => {
  it.each([
    [1, "whitespace"],
    [2, "whitespace and `+`"],
  ] as const)("reaches an output exactly when the plain walk over the value without them does (map %i: %s; generated literal sets)", (map, _deletes) => {
    // Literals over a-e, filler over other bytes, whitespace and `+`. One literal, deleted
    // bytes inserted inside it, is planted near a quarter boundary of values up to ~400 bytes:
    // the four walks must find it wherever it starts, with or without deleted bytes before it.
    // With map 1 a `+` is an ordinary byte: a literal split by one is not found.
    const literal = fc.array(fc.constantFrom("a", "b", "c", "d", "e"), { minLength: 1, maxLength: 9 }).map((l) => l.join(""));
    const fill = fc.constantFrom("x", "y", "z", "q", "-", "/", " ", "\t", "   ", "+", "++", " + ");
    let longHits = 0;
    fc.assert(
      fc.property(
        fc.array(fc.array(literal, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
        fc.array(fill, { minLength: 0, maxLength: 400, size: "max" }),
        fc.record({ pick: fc.nat(11), quarter: fc.nat(4), delta: fc.integer({ min: -10, max: 2 }), plant: fc.boolean() }),
        fc.array(fc.oneof(fc.constant(""), spaces, fc.constantFrom("+", " +", "++")), { minLength: 1, maxLength: 4 }),
        (lists, filler, { pick, quarter, delta, plant }, gaps) => {
          const e = loadRawEngine(pmPack(lists));
          const all = lists.flat();
          const lit = [...all[pick % all.length]!].map((ch, i) => ch + (gaps[i % gaps.length] ?? "")).join("");
          const at = Math.max(0, Math.min(filler.length, Math.floor(filler.length / 4) * quarter + delta));
          const input = filler.slice(0, at).join("") + (plant ? lit : "") + filler.slice(at).join("");
          const [deleting, plain] = reaches(e, input, map);
          // -1: the pack's classes fill their rows (a multiple of 16): no stay column.
          if (deleting === -1) return;
          expect([input, deleting]).toEqual([input, plain]);
          if (plain === 1 && input.length >= 64) longHits++;
        },
      ),
      { numRuns: 1000 },
    );
    // The four-walk case with an output was exercised, not just short or quiet values.
    expect(longHits).toBeGreaterThan(100);
  });

  it("has a stay column for the default pack and agrees with the plain walk on its literals", () => {
    const e = rawEngineWith(defaultPackImage());
    // Fragments of the default pack's literals, split by whitespace, and ordinary words.
    const piece = fc.constantFrom(
      "ognl", "context", "union", "select", "eval", "(", "cat", "/etc/", "passwd", "${", "jndi", ":", "<", "script", ">",
      "java", ".lang", "runtime", "hello", "world", "Mozilla/5.0", "x", "1", "'", "=",
    );
    expect(reaches(e, "ognl context")).toEqual([1, 1]);
    expect(reaches(e, "the quick brown fox")).toEqual([0, 0]);
    expect(reaches(e, "ognl+context", 1)).toEqual([0, 0]);
    expect(reaches(e, "ognl+context", 2)).toEqual([1, 1]);
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, spaces, fc.constantFrom("+", " + ")), { maxLength: 160 }), fc.constantFrom(1 as const, 2 as const), (pieces, map) => {
        const input = pieces.join("");
        const [deleting, plain] = reaches(e, input, map);
        expect([input, deleting]).toEqual([input, plain]);
      }),
      { numRuns: 400 },
    );
  });
});

const summary = (d: Decision) => ({
  action: d.action, score: d.score,
  matches: d.matches.map((m) => [m.rule, m.field.kind, m.field.name, m.field.part, m.snippet]),
});

/** Turns `wafer`'s deleting walk off (the hook is taken at activation, so `image` is activated again). */
function withoutDeletingWalk(wafer: Wafer, image: Uint8Array): Wafer {
  (wafer as unknown as { exports: { packDeletingWalkHook(off: boolean): void } }).exports.packDeletingWalkHook(true);
  wafer.loadPack(image);
  return wafer;
}

type Rules = Parameters<typeof engineWith>[0];

/** Two engines on `rules`' pack: one with the deleting walk, one without it. */
function withAndWithout(rules: Rules): { withWalk: Wafer; without: Wafer } {
  const options = { mode: "monitor", verdictCache: false } as const;
  return { withWalk: engineWith(rules, options), without: withoutDeletingWalk(engineWith(rules, options), packImage(rules, { version: "2.0.0" })) };
}

/** Values joined from `piece`s fire the same rules with and without the deleting walk. */
function expectSameFired(piece: fc.Arbitrary<string>, fired: (w: Wafer, v: string) => string[], withWalk: Wafer, without: Wafer): void {
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
      const v = pieces.join("");
      expect([v, fired(withWalk, v)]).toEqual([v, fired(without, v)]);
    }),
    { numRuns: 1000 },
  );
}

describe("classes that only remove whitespace", () => {
  it("decide the same whether they take the deleting walk or compute and walk their input", () => {
    const image = defaultPackImage();
    const withWalk = new Wafer(engineModule(), image, { mode: "monitor", verdictCache: false });
    const without = withoutDeletingWalk(new Wafer(engineModule(), image, { mode: "monitor", verdictCache: false }), image);
    // Words and spaces (the walk's case) with pieces that fire rules only once the spaces are
    // gone, pieces that make other transforms act (escapes, comments, NBSP), and attacks.
    const piece = fc.constantFrom(
      "hello", "World", " ", "  ", "\t", "ognl", "context", "o g n l", "java. lang", "Runtime", "exec (", "e v a l(", "/ *", "* /",
      "- -", " . ", "%20", "&lt;", "\u00a0", "union select", "' or 1=1", "${jndi:ldap://x}", ";cat /etc/passwd", "$( id )", "<script>",
      "+", "o+g+n+l", "java.lang.run+time", "(#con+text", "xhtml+xml", "%2B", "%2b+", "/+*", "() +{:;}",
    );
    const value = fc.array(piece, { maxLength: 8 }).map((p) => p.join(""));
    const request = fc.record({
      args: fc.array(fc.tuple(fc.constantFrom("q", "id", "text"), value), { maxLength: 3 }),
      headers: fc.array(fc.tuple(fc.constantFrom("user-agent", "referer", "x-custom", "x-note", "accept"), value), { maxLength: 3 }),
    }).map(({ args, headers }): PlainRequest => ({
      method: "GET",
      url: "/p" + (args.length ? "?" + args.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&") : ""),
      headers,
      body: null,
    }));
    const counts = (w: Wafer) => (w as unknown as { exports: { inspectWalkCount(): number; inspectDeletingWalkCount(): number } }).exports;
    let skipped = 0;
    fc.assert(
      fc.property(request, (r) => {
        expect(summary(withWalk.inspectSync(r))).toEqual(summary(without.inspectSync(r)));
        expect(counts(without).inspectDeletingWalkCount()).toBe(0);
        if (counts(withWalk).inspectWalkCount() < counts(without).inspectWalkCount()) skipped++;
      }),
      { numRuns: 500 },
    );
    // Walks were saved, not merely decided alike.
    expect(skipped).toBeGreaterThan(50);
    // A header of words: its removeWhitespace class neither computed nor walked.
    const words = { method: "GET", url: "/", headers: [["x-note", "the quick brown fox jumps over the lazy dog"]] as [string, string][], body: null };
    expect(withWalk.inspectSync(words).matches).toEqual([]);
    expect(counts(withWalk).inspectDeletingWalkCount()).toBeGreaterThan(0);
    expect(counts(withWalk).inspectWalkCount()).toBeLessThan((without.inspectSync(words), counts(without).inspectWalkCount()));
    // An Accept header: its urlDecode-then-removeWhitespace chains (`+` and no `%`) share one
    // deleting walk, and their input is neither computed nor walked.
    const accept = { method: "GET", url: "/", headers: [["accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"]] as [string, string][], body: null };
    expect(withWalk.inspectSync(accept).matches).toEqual([]);
    expect(counts(withWalk).inspectDeletingWalkCount()).toBe(1);
    expect(counts(withWalk).inspectWalkCount()).toBeLessThan((without.inspectSync(accept), counts(without).inspectWalkCount()));
  });

  it("read `+` as deleted only where urlDecode turns it into a space that removeWhitespace deletes", () => {
    const rules = [
      { id: "decoded", message: "m", family: "f", targets: ["args", "headers"], transforms: ["urlDecodeUni", "removeNulls", "removeWhitespace"], operator: { pm: ["abcd"] } },
      { id: "twice", message: "m", family: "f", targets: ["args", "headers"], transforms: ["urlDecodeUni", "urlDecodeUni", "removeWhitespace", "lowercase"], operator: { pm: ["wxyz"] } },
      { id: "kept", message: "m", family: "f", targets: ["args", "headers"], transforms: ["removeWhitespace"], operator: { pm: ["p+q"] } },
      { id: "comment", message: "m", family: "f", targets: ["args", "headers"], transforms: ["urlDecodeUni", "removeWhitespace", "replaceComments"], operator: { contains: "m n" } },
    ];
    const { withWalk, without } = withAndWithout(rules);
    const fired = (w: Wafer, v: string) => {
      const viaHeader = w.inspectSync({ method: "GET", url: "/", headers: [["x-v", v]], body: null }).matches.map((m) => m.rule).sort();
      const viaArg = w.inspectSync({ method: "GET", url: `/?v=${encodeURIComponent(v)}`, headers: [], body: null }).matches.map((m) => m.rule).sort();
      expect(viaArg).toEqual(viaHeader);
      return viaHeader;
    };
    expect(fired(withWalk, "a+b c+d")).toEqual(["decoded"]);
    expect(fired(withWalk, "W+X y+z")).toEqual(["twice"]);
    // `%2B` decodes to a `+` that stays: no deletion, no "abcd". A value with `%` takes the
    // ordinary path, where `%20` becomes a space that goes.
    expect(fired(withWalk, "a%2Bbcd")).toEqual([]);
    expect(fired(withWalk, "a+b%20cd")).toEqual(["decoded"]);
    // removeWhitespace alone keeps the `+`.
    expect(fired(withWalk, "p + q")).toEqual(["kept"]);
    // Deleting brings "/" and "*" together, and replaceComments acts on that.
    expect(fired(withWalk, "m/+*x*/+n")).toEqual(["comment"]);
    expectSameFired(fc.constantFrom("a", "b", "c", "d", "w", "X", "y", "z", "p", "q", "m", "n", " ", "+", "++", "\t", "%2B", "%20", "/", "*", "%"), fired, withWalk, without);
  });

  it("compute their input when a later step may act on what deleting whitespace brings together", () => {
    // "/ *" holds no comment, "/*" does: after removeWhitespace, replaceComments acts, so
    // the class's input is not the deleting walk's ("a / * b * / c" → "a c", whose literal
    // holds a space the deleting walk reads as absent).
    const rules = [
      { id: "joined", message: "m", family: "f", targets: ["args"], transforms: ["removeWhitespace", "replaceComments"], operator: { contains: "a c" } },
      { id: "dotted", message: "m", family: "f", targets: ["args"], transforms: ["removeWhitespace", "normalizePath"], operator: { pm: ["x/y", "p/q/r"] } },
    ];
    const fired = (w: Wafer, v: string) => w.inspectSync({ method: "GET", url: `/?v=${encodeURIComponent(v)}`, headers: [], body: null }).matches.map((m) => m.rule);
    const { withWalk, without } = withAndWithout(rules);
    expect(fired(withWalk, "a / * b * / c")).toEqual(["joined"]);
    expect(fired(withWalk, "x / . / y")).toEqual(["dotted"]);
    expectSameFired(fc.constantFrom("a", "c", " ", "  ", "\t", "/", "*", "-", ".", "x", "y", "p", "q", "r", "b"), fired, withWalk, without);
  });

  it("count a literal of theirs that ends where another class's longer literal does (a dictionary-suffix output)", () => {
    // On "z a b c d" the deleting walk's state after "zabcd" is the raw class's literal; the
    // whitespace class's "abcd" ends there too, reached through the dictionary-suffix link.
    const rules = [
      { id: "joined", message: "m", family: "f", targets: ["args"], transforms: ["removeWhitespace"], operator: { pm: ["abcd"] } },
      { id: "raw", message: "m", family: "f", targets: ["args"], operator: { pm: ["zabcd", "zab"] } },
    ];
    const wafer = engineWith(rules, { mode: "monitor", verdictCache: false });
    const fired = (v: string) => wafer.inspectSync({ method: "GET", url: `/?v=${encodeURIComponent(v)}`, headers: [], body: null }).matches.map((m) => m.rule).sort();
    expect(fired("z a b c d")).toEqual(["joined"]);
    expect(fired("zab c d")).toEqual(["joined", "raw"]);
    expect(fired("y a b c d")).toEqual(["joined"]);
    expect(fired("z a b c")).toEqual([]);
  });
});
