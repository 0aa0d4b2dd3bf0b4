/**
 * The transform buffers start small and grow to the configured size the first time a value
 * needs it (assembly/regions.ts ensureScratch). Growth must change no decision — whether it
 * happens inside inspect or inside the host's confirmation of a match after it — and an
 * engine that never sees a long value keeps the small footprint.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadConfirmAutomata } from "../src/engine/confirm-registry.js";
import { Wafer } from "../src/engine/engine.js";
import type { RequestInput } from "../src/request/types.js";
import { defaultPackImage, packImage } from "./support/engine.js";
import { engineModule } from "./support/wasm.js";

const memoryBytes = (w: Wafer) => (w as unknown as { exports: { memory: WebAssembly.Memory } }).exports.memory.buffer.byteLength;
/** An engine whose buffers are full size from the start (a host write asks for all of them). */
const grownUpFront = (image: Uint8Array, options = {}) => {
  const w = new Wafer(engineModule(), image, options);
  (w as unknown as { exports: { scratchPtr(): number } }).exports.scratchPtr();
  return w;
};
const body = (text: string, contentType = "text/plain") => ({ method: "POST", url: "/submit", headers: { host: "a", "content-type": contentType }, body: text });
const decisionOf = (w: Wafer, req: RequestInput) => {
  const d = w.inspectSync(req);
  return { action: d.action, score: d.score, matches: d.matches.map((m) => [m.rule, m.field, m.snippet]) };
};

describe("transform buffers grow on demand", () => {
  it("stay small for ordinary requests and grow once for a long body", () => {
    const small = new Wafer(engineModule(), defaultPackImage());
    const full = grownUpFront(defaultPackImage());
    const before = memoryBytes(small);
    expect(before).toBeLessThan(memoryBytes(full) - 8 * 1024 * 1024);
    small.inspectSync({ method: "GET", url: "/search?q=shoes&page=2", headers: { host: "shop.example", "user-agent": "Mozilla/5.0" } });
    expect(memoryBytes(small)).toBe(before);
    const long = body(`${"lorem ipsum <b>dolor</b> ".repeat(8000)} 1' union select password from users --`);
    expect(decisionOf(small, long)).toEqual(decisionOf(full, long));
    expect(memoryBytes(small)).toBeGreaterThan(before);
    // Grown once: the next long body needs no more.
    const grown = memoryBytes(small);
    expect(decisionOf(small, long)).toEqual(decisionOf(full, long));
    expect(memoryBytes(small)).toBe(grown);
  });

  it("decide as an engine grown up front, on long and short values in any order", () => {
    const part = fc.oneof(
      fc.constantFrom("<script>alert(1)</script>", "1' or '1'='1", "../../etc/passwd", "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", "${jndi:ldap://x}", "benign words"),
      fc.string({ maxLength: 40 }),
    );
    const request = fc.tuple(fc.array(part, { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 140_000 }), fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "application/json")).map(([parts, pad, type]) => {
      const text = `${"a&b=c%20d ".repeat(Math.floor(pad / 10))}${parts.join(" ")}`;
      return body(type === "application/json" ? JSON.stringify({ v: text }) : type.includes("form") ? `q=${text}` : text, type);
    });
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 4 }), (requests) => {
        const small = new Wafer(engineModule(), defaultPackImage(), { mode: "monitor", paranoia: 4 });
        const full = grownUpFront(defaultPackImage(), { mode: "monitor", paranoia: 4 });
        for (const r of requests) expect(decisionOf(small, r)).toEqual(decisionOf(full, r));
      }),
      { numRuns: 12 },
    );
  });

  it("when memory cannot grow, a long value is inspected as its transformed prefix, the decision says so, and nothing throws", () => {
    const image = packImage([
      // urlDecode's bound is the input length: a 100 KB value needs the full-size buffers.
      { id: "early", message: "m", family: "test", tags: ["t"], targets: ["body"], transforms: ["urlDecode"], operator: { contains: "early attack" } },
      { id: "late", message: "m", family: "test", tags: ["t"], targets: ["body"], transforms: ["urlDecode"], operator: { contains: "late attack" } },
    ]);
    const w = new Wafer(engineModule(), image, { mode: "monitor" });
    (w as unknown as { exports: { failScratchGrowth(): void } }).exports.failScratchGrowth();
    const before = memoryBytes(w);
    const d = w.inspectSync(body(`early%20attack ${"x".repeat(100_000)} late%20attack`));
    expect(memoryBytes(w)).toBe(before);
    expect(d.matches.map((m) => m.rule)).toEqual(["early"]); // within the first 64 KB after decoding
    expect(d.truncated).toContainEqual(expect.objectContaining({ limit: "memory" }));
    // A short request on the same engine is whole again and says nothing about memory.
    const short = w.inspectSync(body("late%20attack"));
    expect(short.matches.map((m) => m.rule)).toEqual(["late"]);
    expect(short.truncated).toEqual([]);
  });

  it("a host confirmation that grows memory mid-decision still reports every match with its snippet", async () => {
    // Lookaround: the automaton over-approximates and the host confirms (lazy DFA). With no
    // transform, inspect walks the raw 100 KB body in place (no growth); the confirmation
    // copies it into scratch, which grows memory while the decision's views are in use.
    const image = packImage([
      { id: "lookahead", message: "m", family: "test", tags: ["t"], targets: ["body"], operator: { rx: "secret(?=[0-9])" } },
      { id: "plain", message: "m", family: "test", tags: ["t"], targets: ["args"], operator: { contains: "attack" } },
    ]);
    await loadConfirmAutomata();
    const small = new Wafer(engineModule(), image, { mode: "monitor" });
    const before = memoryBytes(small);
    const req = { ...body(`${"x".repeat(100_000)} secret7`), url: "/submit?a=attack" };
    const d = small.inspectSync(req);
    expect(memoryBytes(small)).toBeGreaterThan(before);
    expect(d.matches.map((m) => m.rule).sort()).toEqual(["lookahead", "plain"]);
    expect(d.matches.find((m) => m.rule === "plain")!.snippet).toContain("attack");
    expect(decisionOf(small, req)).toEqual(decisionOf(grownUpFront(image, { mode: "monitor" }), req));
  });
});
