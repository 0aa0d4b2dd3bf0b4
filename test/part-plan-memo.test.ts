/**
 * The part plan memo (assembly/part-plan-memo.ts) remembers, per class list and value
 * features, which classes walk the raw value, which need their own input and which follow
 * another; a recalled plan is a copy of every class's state plus the leaders of the classes
 * that are not raw. Recalling must decide exactly as working the plan out does: a warm engine
 * (each part's plan remembered by the requests before it, values with the same features
 * sharing one) against a fresh engine per request, whose plans are all worked out anew.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Wafer } from "../src/engine/engine.js";
import type { Decision } from "../src/engine/decision.js";
import type { PlainRequest } from "../src/request/types.js";
import { defaultPackImage } from "./support/engine.js";
import { engineModule } from "./support/wasm.js";

const summary = (d: Decision) => ({
  action: d.action, score: d.score,
  matches: d.matches.map((m) => [m.rule, m.field.kind, m.field.name, m.field.part, m.snippet]),
});

// Pieces that switch transforms on and off (spaces, escapes, comments, entities, path and
// shell syntax) and pieces that fire rules, so plans with raw, own and follower classes occur.
const piece = fc.constantFrom(
  "a", "Word", "42", " ", "  ", "%20", "%2e%2e/", "../", "/*x*/", "--", "&lt;", "&#x3c;", "\\u003c", "<b>", "<script>",
  "'", "\"", " or 1=1", "union select", "${jndi:ldap://x}", ";cat /etc/passwd", "\t", "+", "\u00e9", "%u0041", "$(id)",
);
const value = fc.array(piece, { minLength: 0, maxLength: 6 }).map((p) => p.join(""));
const request = fc.record({
  path: fc.constantFrom("/", "/a/b", "/x/../y", "/s%20p"),
  args: fc.array(fc.tuple(fc.constantFrom("q", "id", "page", "redirect"), value), { maxLength: 3 }),
  headers: fc.array(fc.tuple(fc.constantFrom("user-agent", "referer", "accept", "x-custom", "x-forwarded-for"), value), { maxLength: 3 }),
  cookie: fc.option(value, { nil: undefined }),
}).map(({ path, args, headers, cookie }): PlainRequest => ({
  method: "GET",
  url: path + (args.length ? "?" + args.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&") : ""),
  headers: [...headers, ...(cookie === undefined ? [] : [["cookie", `s=${encodeURIComponent(cookie)}`] as [string, string]])],
  body: null,
}));

describe("part plan memo", () => {
  it("decides on recalled plans exactly as on plans worked out anew", () => {
    const image = defaultPackImage();
    const warm = new Wafer(engineModule(), image, { mode: "monitor", verdictCache: false });
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 6 }), (requests) => {
        for (const r of requests) {
          const fresh = new Wafer(engineModule(), image, { mode: "monitor", verdictCache: false });
          expect(summary(warm.inspectSync(r))).toEqual(summary(fresh.inspectSync(r)));
        }
      }),
      { numRuns: 60 },
    );
  });

  it("recalls a plan for a value whose features match an earlier one's, with its own outcome", () => {
    const warm = new Wafer(engineModule(), defaultPackImage(), { mode: "monitor", verdictCache: false });
    // The same features (letters, spaces, a slash, a semicolon), different words: the second
    // request's plan is the first one's, and only the second fires.
    const quiet = warm.inspectSync({ method: "GET", url: "/?q=" + encodeURIComponent("dog ;cat / home"), headers: [], body: null });
    const attack = warm.inspectSync({ method: "GET", url: "/?q=" + encodeURIComponent("x ;cat /etc/passwd"), headers: [], body: null });
    expect(quiet.matches).toEqual([]);
    expect(attack.matches.map((m) => m.rule)).toContain("rce-unix-command-with-argument");
  });
});
