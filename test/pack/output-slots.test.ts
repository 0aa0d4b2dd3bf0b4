/**
 * Output slots (assembly/output-slots.ts): a walk over a field part reports only the output
 * states of the pack-wide automaton holding a literal (on the state or its dictionary-suffix
 * chain) of a rule that may read that part's kind. The hits it drops are those onPrefilterHit
 * would refuse, so decisions must be the same with the bitsets and without them (the test
 * hook `packOutputSlotsHook`), and a value holding other fields' literals must cost fewer
 * reported hits.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Wafer } from "../../src/engine/engine.js";
import type { Decision } from "../../src/engine/decision.js";
import type { PlainRequest } from "../../src/request/types.js";
import { defaultPackImage, engineWith, packImage } from "../support/engine.js";
import { engineModule } from "../support/wasm.js";

interface Counters {
  packOutputSlotsHook(off: boolean): void;
  inspectHitCount(): number;
}
const counters = (w: Wafer) => (w as unknown as { exports: Counters }).exports;

const summary = (d: Decision) => ({
  action: d.action, score: d.score,
  matches: d.matches.map((m) => [m.rule, m.field.kind, m.field.name, m.field.part, m.snippet]),
});

/** `wafer` with the output slots off (the hook is taken at activation, so `image` is activated again). */
function withoutSlots(wafer: Wafer, image: Uint8Array): Wafer {
  counters(wafer).packOutputSlotsHook(true);
  wafer.loadPack(image);
  counters(wafer).packOutputSlotsHook(false);
  return wafer;
}

/** Requests whose values are joined from `piece`s, placed in every kind of field. */
function requests(piece: fc.Arbitrary<string>): fc.Arbitrary<PlainRequest> {
  const value = fc.array(piece, { maxLength: 6 }).map((p) => p.join(""));
  return fc.record({
    path: value,
    args: fc.array(fc.tuple(fc.constantFrom("q", "url", "include", "next", "a[$ne]"), value), { maxLength: 3 }),
    headers: fc.array(fc.tuple(fc.constantFrom("referer", "user-agent", "x-forwarded-host", "x-custom", "accept", "cookie"), value), { maxLength: 3 }),
    body: fc.option(value, { nil: undefined }),
  }).map(({ path, args, headers, body }): PlainRequest => ({
    method: body === undefined ? "GET" : "POST",
    url: "/" + encodeURIComponent(path) + (args.length ? "?" + args.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&") : ""),
    headers: body === undefined ? headers : [...headers, ["content-type", "application/x-www-form-urlencoded"]],
    body: body === undefined ? null : `text=${encodeURIComponent(body)}`,
  }));
}

describe("output slots", () => {
  it("decide the same as reporting every output state (default pack), with fewer hits reported", () => {
    const image = defaultPackImage();
    const options = { mode: "monitor", verdictCache: false } as const;
    const withSlots = new Wafer(engineModule(), image, options);
    const without = withoutSlots(new Wafer(engineModule(), image, options), image);
    // Literals of rules that read only some fields (URLs: remote file inclusion and SSRF on
    // arguments, one SSRF rule on named headers), attacks of every family, and plain text.
    const piece = fc.constantFrom(
      "https://", "http://127.0.0.1/", "://localhost/", "ftp://10.0.0.1/a.txt?", "gopher://x", "file:/etc/passwd", "http://a@b@c/",
      "shop.example.com", "/products", "?a=1", "include=", "../", "/etc/passwd", "<script>", "' or 1=1--", "union select", "${jndi:ldap://x}",
      ";cat /etc/passwd", "$ne", "{{7*7}}", "\r\nset-cookie:", "hello", " ", "%00", "echo", "169.254.169.254",
    );
    let fewer = 0;
    fc.assert(
      fc.property(requests(piece), (r) => {
        expect(summary(withSlots.inspectSync(r))).toEqual(summary(without.inspectSync(r)));
        const dropped = counters(without).inspectHitCount() - (withSlots.inspectSync(r), counters(withSlots).inspectHitCount());
        expect(dropped).toBeGreaterThanOrEqual(0);
        if (dropped > 0) fewer++;
      }),
      { numRuns: 600 },
    );
    expect(fewer).toBeGreaterThan(100);
    // A Referer holding a URL: its `http`, `https://` and `://` literals are the remote file
    // inclusion and SSRF rules' of which only ssrf-internal-url reads it (by name).
    const referer = (url: string): PlainRequest => ({ method: "GET", url: "/", headers: [["referer", url]], body: null });
    expect(withSlots.inspectSync(referer("https://shop.example.com/products")).matches).toEqual([]);
    const kept = counters(withSlots).inspectHitCount();
    without.inspectSync(referer("https://shop.example.com/products"));
    expect(kept).toBeLessThan(counters(without).inspectHitCount());
    // ...and that rule still fires on it, through a name selector rather than its kind mask.
    expect(withSlots.inspectSync(referer("http://127.0.0.1/admin")).matches.map((m) => m.rule)).toContain("ssrf-internal-url");
  });

  it("keep the states of rules that read a kind by selector only, by name or for names", () => {
    const rules = [
      { id: "args-only", message: "m", family: "f", targets: ["args"], operator: { pm: ["zqxj"] } },
      { id: "named-header", message: "m", family: "f", targets: [{ field: "headers", names: ["x-one"] }], operator: { pm: ["yyzz"] } },
      { id: "arg-names", message: "m", family: "f", targets: ["args_names"], operator: { contains: "vvkk" } },
      { id: "header-names", message: "m", family: "f", targets: ["header_names"], operator: { contains: "wwkk" } },
      { id: "suffix", message: "m", family: "f", targets: ["headers"], operator: { contains: "qxj" } },
    ];
    const options = { mode: "monitor", verdictCache: false } as const;
    const withSlots = engineWith(rules, options);
    const without = withoutSlots(engineWith(rules, options), packImage(rules, { version: "2.0.0" }));
    const fired = (w: Wafer, r: PlainRequest) => w.inspectSync(r).matches.map((m) => `${m.rule}:${m.field.kind}:${m.field.part}`).sort();
    const cases: PlainRequest[] = [
      { method: "GET", url: "/?a=zqxj", headers: [["x-one", "yyzz"], ["x-two", "yyzz"]], body: null },
      { method: "GET", url: "/?vvkk=1&zqxj=2", headers: [["wwkk", "v"], ["x-vvkk", "zqxj"]], body: null },
      { method: "GET", url: "/zqxj", headers: [["x-two", "azqxjb"]], body: null },
    ];
    expect(fired(withSlots, cases[0]!)).toEqual(["args-only:queryArg:value", "named-header:header:value"]);
    expect(fired(withSlots, cases[1]!)).toEqual(["arg-names:queryArg:name", "header-names:header:name", "suffix:header:value"]);
    // `qxj` is found through `zqxj`'s state (a dictionary suffix), whose own literal only
    // arguments read: on a header, not on the path.
    expect(fired(withSlots, cases[2]!)).toEqual(["suffix:header:value"]);
    for (const r of cases) expect(fired(withSlots, r)).toEqual(fired(without, r));
  });
});
