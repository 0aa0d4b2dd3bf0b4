/**
 * Walk gates (src/pack/walk-gates.ts, assembly/inspect.ts walkMayHit and skipQuietLeader):
 * a long value whose transformed input holds none of a walk's gate bytes is not walked, and
 * a leader whose chain past its cached prefix only deletes bytes is not even computed. They
 * must never change a decision: checked against the same images with the gates taken out.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Wafer } from "../src/engine/engine.js";
import { packChecksum } from "../src/pack/checksum.js";
import { gateSet } from "../src/pack/walk-gates.js";
import { holdsRequiredByte } from "../src/regex/required-bytes.js";
import { packImage } from "./support/engine.js";
import { engineModule } from "./support/wasm.js";

const encoder = new TextEncoder();
const fold = (b: number) => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b);

/** The image with every group's gate offset set to `offset` (0: every walk runs, as with an older compiler). */
function withoutGates(image: Uint8Array, offset = 0): Uint8Array {
  const out = image.slice();
  const view = new DataView(out.buffer);
  for (let i = 0; i < view.getUint32(24, true); i++) {
    const e = 64 + i * 16;
    if (view.getUint32(e, true) !== 2) continue; // GROUPS
    for (let g = 0; g < view.getUint32(e + 12, true); g++) view.setUint32(view.getUint32(e + 4, true) + g * 32 + 28, offset, true);
  }
  view.setUint32(20, packChecksum(out), true);
  return out;
}

const walks = (w: Wafer) => (w as unknown as { exports: { inspectWalkCount(): number } }).exports.inspectWalkCount();
/** Walks over the raw value standing in for the removeWhitespace copy (aho-corasick.ts acReachesOutputDeleting). */
const deletingWalks = (w: Wafer) => (w as unknown as { exports: { inspectDeletingWalkCount(): number } }).exports.inspectDeletingWalkCount();

describe("gate sets", () => {
  const literal = fc.array(fc.constantFrom(..."aZq $:{<%/._-0\n\u00e9".split("")), { minLength: 1, maxLength: 8 }).map((s) => encoder.encode(s.join("")));
  it("every literal holds a gate byte (either case); no letter or space is one; null when a literal has only those", () => {
    fc.assert(
      fc.property(fc.array(literal, { minLength: 1, maxLength: 12 }), (literals) => {
        const set = gateSet(literals);
        const gateless = literals.some((l) => l.every((b) => b === 0x20 || (fold(b) >= 0x61 && fold(b) <= 0x7a)));
        expect(set === null).toBe(gateless);
        if (!set) return;
        for (const l of literals) expect(holdsRequiredByte(set, l)).toBe(true);
        expect(holdsRequiredByte(set, encoder.encode("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ "))).toBe(false);
      }),
    );
  });
});

describe("walk gates in the inspect loop", () => {
  const rule = (id: string, extra: object) => ({ id, message: id, family: "t", targets: ["body", "uri", "args"], ...extra });
  const filler = "lorem ipsum dolor sit amet ".repeat(40); // 1,080 bytes, past the gate threshold
  const post = (body: string) => ({ method: "POST", url: "/", headers: { "content-type": "text/plain" }, body });

  it("skips the walk of a long input with none of its gate bytes, and still finds the literal once it is there", () => {
    const image = packImage([rule("jndi", { targets: ["body"], transforms: ["removeWhitespace"], operator: { pm: ["${jndi:", "jndi:ldap:"] } })]);
    const gated = new Wafer(engineModule(), image, { mode: "monitor" });
    const plain = new Wafer(engineModule(), withoutGates(image), { mode: "monitor" });
    // removeWhitespace deletes bytes only: its output is neither computed nor walked.
    expect(gated.inspectSync(post(filler)).matches).toEqual([]);
    expect(walks(gated) + deletingWalks(gated)).toBe(0);
    // Without gates the value is walked once: by the deleting walk, which finds no literal.
    expect(plain.inspectSync(post(filler)).matches).toEqual([]);
    expect([walks(plain), deletingWalks(plain)]).toEqual([0, 1]);
    for (const body of [`${filler}\${ jndi:x}`, `${filler}JNDI : LDAP:`]) {
      expect(gated.inspectSync(post(body)).matches.map((m) => m.rule)).toEqual(["jndi"]);
      expect(walks(gated)).toBe(1);
    }
  });

  it("still runs the always-run rules of a class whose walk it skips", () => {
    const image = packImage([
      rule("jndi", { targets: ["body"], transforms: ["removeWhitespace"], operator: { pm: ["${jndi:"] } }),
      rule("always", { targets: ["body"], transforms: ["removeWhitespace"], operator: { rx: "^[a-z]{5}[^$]" } }),
    ]);
    const gated = new Wafer(engineModule(), image, { mode: "monitor" });
    expect(gated.inspectSync(post(filler)).matches.map((m) => m.rule)).toEqual(["always"]);
    expect(walks(gated)).toBe(0); // computed for the regex, not walked
    expect(gated.inspectSync(post(`${filler}\${jndi:`)).matches.map((m) => m.rule).sort()).toEqual(["always", "jndi"]);
  });

  it("refuses a pack whose gate record leaves the image", () => {
    const image = packImage([rule("jndi", { operator: { pm: ["${jndi:"] } })]);
    expect(() => new Wafer(engineModule(), withoutGates(image, image.length - 4))).toThrow(/group/i);
  });

  it("keeps every decision of the same pack without gates (property)", () => {
    const literals = fc.array(fc.constantFrom("${jndi:", "<?php", "etc/passwd", "../", "%00", "select", "a:b", "{{", "\r\nset-cookie:", "$ne"), { minLength: 1, maxLength: 3 });
    const chain = fc.array(fc.constantFrom("urlDecodeUni", "removeNulls", "removeWhitespace", "compressWhitespace", "lowercase", "htmlEntityDecode", "trim", "normalizePathWin", "replaceNulls"), { maxLength: 4 });
    const rules = fc.array(fc.tuple(literals, chain, fc.constantFrom(["body"], ["uri"], ["args"], ["body", "uri", "args"])), { minLength: 1, maxLength: 6 });
    const part = fc.constantFrom("lorem ipsum ", "dolor%20sit ", "a%2524b ", "%24%7bjndi%3a", "ETC/PASSWD", "..%2f", "%2500", "\u00a0", "&lt;?php ", "a:b", "{ {", "%0d%0aSet-Cookie: ", "x".repeat(200), "$ne");
    const value = fc.array(part, { minLength: 1, maxLength: 60 }).map((p) => p.join(""));
    let skipped = 0;
    fc.assert(
      fc.property(rules, value, (specs, v) => {
        const image = packImage(specs.map(([pm, transforms, targets], i) => rule(`r${i}`, { transforms, targets, operator: { pm } })));
        const gated = new Wafer(engineModule(), image, { mode: "monitor" });
        const plain = new Wafer(engineModule(), withoutGates(image), { mode: "monitor" });
        const long = v.length < 600 ? v + "lorem ipsum ".repeat(50) : v;
        for (const request of [post(long), { method: "GET", url: `/p?q=${long.replace(/[#?&\s]/g, "_")}`, headers: {}, body: null }]) {
          const key = (w: Wafer) => JSON.stringify(w.inspectSync(request).matches.map((m) => [m.rule, m.field]));
          expect(key(gated)).toBe(key(plain));
          if (walks(gated) + deletingWalks(gated) < walks(plain) + deletingWalks(plain)) skipped++;
        }
      }),
      { numRuns: 60 },
    );
    expect(skipped).toBeGreaterThan(0); // the property did exercise the gates
  });
});
