/**
 * Hot swap under load: a concurrent stream of requests (Web Requests with bodies, so every
 * inspection awaits) while the engine swaps between two signed packs hundreds of times.
 * Every decision must be exactly pack A's or exactly pack B's, none may fail, and the Wasm
 * memory must stop growing once both pack slots exist.
 */
import { describe, expect, it } from "vitest";
import type { Decision } from "../../src/engine/decision.js";
import { defaultPackImage } from "../support/engine.js";
import { chunked, engine, engineMemory, newKey, packA, packB, signed } from "./fixtures.js";

const SWAPS = 300;
const WORKERS = 8;

const bodies = ["q=probe", "q=attack", "q=probe+attack", "q=shoes", "name=probe&x=1", "a=b"];
const makeRequest = (i: number) =>
  new Request(`https://shop.example/form?i=${i}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: bodies[i % bodies.length],
  });
const summary = (d: Decision) => JSON.stringify({ action: d.action, score: d.score, rules: d.matches.map((m) => m.rule).sort() });

describe("hot swap under a concurrent request stream", () => {
  it(`swaps ${SWAPS} times; every decision is exactly one pack's, none fails, memory stays bounded`, async () => {
    const key = await newKey();
    const images = { a: packA("1.0.0"), b: packB("2.0.0") };
    const envelopes = { a: await signed(images.a, key), b: await signed(images.b, key) };
    // What each pack decides for each kind of request, from engines that never swap.
    const refA = engine(images.a);
    const refB = engine(images.b);
    const expected = await Promise.all(
      bodies.map(async (_, i) => ({ a: summary(await refA.inspect(makeRequest(i))), b: summary(await refB.inspect(makeRequest(i))) })),
    );
    expect(expected[0]!.a).not.toBe(expected[0]!.b); // "probe" tells the packs apart

    const w = engine(images.a, { trustedKeys: [key.publicKey.text] });
    const memory = engineMemory(w);
    let done = false;
    let memoryAfterWarmup = 0;
    const judged = { a: 0, b: 0 };
    const failures: unknown[] = [];

    const swapper = (async () => {
      for (let n = 0; n < SWAPS; n++) {
        const next = n % 2 === 0 ? "b" : "a";
        // Alternate sources; a chunked stream yields to the request loops many times per update.
        const source = n % 3 === 0 ? envelopes[next] : chunked(envelopes[next], 4096);
        const info = await w.updatePack(source, { allowDowngrade: true });
        expect(info.version).toBe(next === "a" ? "1.0.0" : "2.0.0");
        if (n === 10) memoryAfterWarmup = memory.buffer.byteLength;
      }
      done = true;
    })();

    const worker = async (id: number) => {
      for (let i = id; !done; i += WORKERS) {
        const kind = i % bodies.length;
        try {
          const decision = await w.inspect(makeRequest(i));
          const s = summary(decision);
          const { a, b } = expected[kind]!;
          if (a !== b) {
            expect([a, b]).toContain(s);
            const by = s === a ? "a" : "b";
            judged[by]++;
            // The decision names the pack that judged it.
            expect(decision.pack.version).toBe(by === "a" ? "1.0.0" : "2.0.0");
          } else expect(s).toBe(a);
        } catch (e) {
          failures.push(e);
          done = true;
        }
        await new Promise((r) => setTimeout(r, 0));
      }
    };

    await Promise.all([swapper, ...Array.from({ length: WORKERS }, (_, id) => worker(id))]);
    expect(failures).toEqual([]);
    expect(judged.a).toBeGreaterThan(0);
    expect(judged.b).toBeGreaterThan(0);
    expect(memoryAfterWarmup).toBeGreaterThan(0);
    expect(memory.buffer.byteLength).toBe(memoryAfterWarmup);
    // The last update was to A (an even count of swaps starting from A).
    expect(summary(await w.inspect(makeRequest(0)))).toBe(expected[0]!.a);
  });

  it("alternating a large and a small pack keeps memory at two slots", async () => {
    const big = defaultPackImage();
    const small = packA("99.0.0", "small");
    const w = engine(small);
    const memory = engineMemory(w);
    let settled = 0;
    for (let n = 0; n < 60; n++) {
      await w.updatePack(n % 2 === 0 ? big : small, { allowDowngrade: true });
      if (n === 3) settled = memory.buffer.byteLength;
    }
    expect(memory.buffer.byteLength).toBe(settled);
    expect(settled).toBeLessThan(64 * 1024 * 1024);
  });
});
