/**
 * watchPack against a real HTTP server on loopback (ETag / If-None-Match, 304, errors,
 * garbage, a hanging response), Workers KV and Deno KV shaped stores, and a file on disk.
 * Scheduling is checked through an injected clock; nothing asserts wall-clock time.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PackRefusedError } from "../../src/lifecycle/errors.js";
import { filePackSource } from "../../src/lifecycle/file-source.js";
import { denoKvPackSource, publishPackToDenoKv, workersKvPackSource, type DenoKvLike } from "../../src/lifecycle/sources.js";
import { watchPack, type Clock, type PollOutcome } from "../../src/lifecycle/watch.js";
import { defaultPackImage } from "../support/engine.js";
import { engine, newKey, packA, packB, signed } from "./fixtures.js";

type Mode = "ok" | "error" | "garbage" | "hang" | "no-etag";
const server = {
  body: new Uint8Array(0) as Uint8Array,
  etag: '"0"',
  mode: "ok" as Mode,
  requests: [] as { ifNoneMatch: string | undefined; status: number }[],
};
let http: Server;
let url: string;

function publish(bytes: Uint8Array): void {
  server.body = bytes;
  server.etag = `"${server.requests.length}-${bytes.length}-${bytes[bytes.length - 1]}"`;
}

beforeAll(async () => {
  http = createServer((req, res) => {
    const ifNoneMatch = req.headers["if-none-match"];
    const answer = (status: number, body?: Uint8Array | string, headers: Record<string, string> = {}) => {
      server.requests.push({ ifNoneMatch, status });
      res.writeHead(status, headers);
      res.end(body);
    };
    if (server.mode === "hang") {
      server.requests.push({ ifNoneMatch, status: 0 });
      res.writeHead(200, { "content-length": "100000" });
      res.write("WAFR"); // and never more
      return;
    }
    if (server.mode === "error") return answer(503, "upstream down");
    if (server.mode === "garbage") return answer(200, "<html>hello</html>", { etag: '"garbage"' });
    if (server.mode === "no-etag") return answer(200, server.body);
    if (ifNoneMatch === server.etag) return answer(304);
    answer(200, server.body, { etag: server.etag, "content-type": "application/octet-stream" });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/pack.swpk`;
});
afterAll(() => {
  http.closeAllConnections();
  http.close();
});

const probe = { method: "GET", url: "/?q=probe", headers: {}, body: null };
const judge = (w: ReturnType<typeof engine>) => w.inspectSync(probe).matches.map((m) => m.rule).join(",");

describe("watchPack over HTTP", () => {
  it("loads a new pack, then lets 304s keep it, then loads the next one", async () => {
    server.mode = "ok";
    publish(packB("2.0.0"));
    const w = engine(packA("1.0.0"));
    const updates: string[] = [];
    const errors: Error[] = [];
    const watcher = watchPack(w, { url, autoStart: false, onUpdate: (p) => updates.push(p.version), onError: (e) => errors.push(e) });
    expect(await watcher.poll()).toMatchObject({ status: "updated", pack: { version: "2.0.0" } });
    expect(judge(w)).toBe("only-in-b");
    const before = server.requests.length;
    expect((await watcher.poll()).status).toBe("unchanged");
    expect(server.requests.slice(before)).toEqual([{ ifNoneMatch: server.etag, status: 304 }]);
    publish(packA("2.1.0"));
    expect((await watcher.poll()).status).toBe("updated");
    expect(updates).toEqual(["2.0.0", "2.1.0"]);
    expect(errors).toEqual([]);
    expect(judge(w)).toBe("only-in-a");
  });

  it("reports errors, garbage and refusals through onError, keeps the pack, and recovers", async () => {
    const key = await newKey();
    const w = engine(packA("1.0.0"), { trustedKeys: [key.publicKey.text] });
    const errors: Error[] = [];
    const watcher = watchPack(w, { url, autoStart: false, onError: (e) => errors.push(e) });

    server.mode = "error";
    const failed = await watcher.poll();
    expect(failed.status).toBe("failed");
    expect(errors.at(-1)!.message).toMatch(/polling http:\/\/127\.0\.0\.1:\d+\/pack\.swpk failed: .*HTTP 503/);
    expect(watcher.failures).toBe(1);

    server.mode = "garbage";
    expect((await watcher.poll()).status).toBe("refused");
    expect(watcher.failures).toBe(0);

    server.mode = "ok";
    publish(packB("2.0.0")); // unsigned, and this engine pins a key
    const unsigned = (await watcher.poll()) as Extract<PollOutcome, { status: "refused" }>;
    expect((unsigned.error as PackRefusedError).reason).toBe("unsigned");
    // The refused pack is remembered: not downloaded again, not reported again.
    const reported = errors.length;
    expect((await watcher.poll()).status).toBe("unchanged");
    expect(errors.length).toBe(reported);

    publish(await signed(packB("2.0.0"), key));
    expect(await watcher.poll()).toMatchObject({ status: "updated", pack: { version: "2.0.0", keyId: key.keyId } });
    publish(await signed(packA("1.5.0"), key));
    const downgrade = (await watcher.poll()) as Extract<PollOutcome, { status: "refused" }>;
    expect((downgrade.error as PackRefusedError).reason).toBe("downgrade");
    expect(judge(w)).toBe("only-in-b");
    // The engine rolls back to the pack before the last update.
    expect(w.rollback().version).toBe("1.0.0");
  });

  it("aborts a poll that hangs, as a failure", async () => {
    server.mode = "hang";
    const w = engine(packA());
    const errors: Error[] = [];
    const watcher = watchPack(w, { url, autoStart: false, timeoutMs: 50, onError: (e) => errors.push(e) });
    const outcome = await watcher.poll();
    expect(outcome.status).toBe("failed");
    expect(errors[0]!.message).toMatch(/timed out after 50 ms/);
    expect(judge(w)).toBe("only-in-a");
    server.mode = "ok";
  });

  it("without ETags, identical bytes are not reloaded (the rollback target survives)", async () => {
    server.mode = "no-etag";
    publish(packB("2.0.0"));
    const w = engine(packA("1.0.0"));
    const watcher = watchPack(w, { url, autoStart: false });
    expect((await watcher.poll()).status).toBe("updated");
    expect((await watcher.poll()).status).toBe("unchanged");
    expect(w.rollback().version).toBe("1.0.0");
    server.mode = "ok";
  });

  it("polls on its own at a short real interval until stopped; a throwing callback changes nothing", async () => {
    server.mode = "ok";
    publish(packB("3.0.0"));
    const w = engine(packA("1.0.0"));
    const seen: string[] = [];
    let resolveSecond!: () => void;
    const second = new Promise<void>((r) => (resolveSecond = r));
    const watcher = watchPack(w, {
      url, intervalMs: 20,
      onUpdate: (p) => {
        seen.push(p.version);
        if (seen.length === 1) publish(packA("3.1.0"));
        else resolveSecond();
        throw new Error("callback bug");
      },
    });
    await second;
    watcher.stop();
    expect(seen).toEqual(["3.0.0", "3.1.0"]);
    expect(w.pack.version).toBe("3.1.0");
    expect(watcher.nextDelayMs).toBeUndefined();
  });
});

describe("watchPack scheduling", () => {
  function fakeClock() {
    const timers = new Map<number, { callback: () => void; ms: number }>();
    let next = 1;
    const clock: Clock = {
      setTimeout(callback, ms) {
        timers.set(next, { callback, ms });
        return next++;
      },
      clearTimeout: (h) => void timers.delete(h as number),
    };
    return { clock, timers };
  }

  it("backs off exponentially on failures up to the cap, and returns to the interval on success", async () => {
    const { clock } = fakeClock();
    let fail = true;
    const source = {
      description: "test source",
      fetch: async () => {
        if (fail) throw new Error("offline");
        return { status: "unchanged" as const };
      },
    };
    const watcher = watchPack({ updatePack: async () => { throw new Error("unused"); } }, {
      source, clock, random: () => 0.5, intervalMs: 10_000, backoff: { initialMs: 100, factor: 2, maxMs: 1000 }, onError: () => {},
    });
    const delays: (number | undefined)[] = [];
    for (let i = 0; i < 6; i++) {
      await watcher.poll();
      delays.push(watcher.nextDelayMs);
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
    fail = false;
    await watcher.poll();
    expect(watcher.nextDelayMs).toBe(10_000);
    watcher.stop();
  });

  it("spreads every delay by ±jitter", async () => {
    const delays = [];
    for (const r of [0, 1]) {
      const { clock } = fakeClock();
      const watcher = watchPack({ updatePack: async () => { throw new Error("unused"); } }, {
        source: { description: "s", fetch: async () => ({ status: "unchanged" as const }) }, clock, random: () => r, intervalMs: 1000, jitter: 0.2,
      });
      await watcher.poll();
      delays.push(watcher.nextDelayMs);
      watcher.stop();
    }
    expect(delays).toEqual([800, 1200]);
  });

  it("validates its options", () => {
    const e = { updatePack: async () => { throw new Error("unused"); } };
    expect(() => watchPack(e, {})).toThrow(/needs a `url` or a `source`/);
    expect(() => watchPack(e, { url, jitter: 1 })).toThrow(/jitter/);
    expect(() => watchPack(e, { url, intervalMs: 0 })).toThrow(/intervalMs/);
  });
});

describe("KV and file sources", () => {
  it("Workers KV: reads the version key first and the pack only when it changed", async () => {
    const store = new Map<string, ArrayBuffer | string>();
    const reads: string[] = [];
    const kv = {
      async get(key: string, type: "arrayBuffer" | "text") {
        reads.push(`${key}:${type}`);
        return (store.get(key) ?? null) as never;
      },
    };
    store.set("packs/core", packB("2.0.0").slice().buffer);
    store.set("packs/core.version", "2.0.0");
    const w = engine(packA("1.0.0"));
    const watcher = watchPack(w, { source: workersKvPackSource(kv, "packs/core", { versionKey: "packs/core.version" }), autoStart: false });
    expect((await watcher.poll()).status).toBe("updated");
    reads.length = 0;
    expect((await watcher.poll()).status).toBe("unchanged");
    expect(reads).toEqual(["packs/core.version:text"]);
    store.delete("packs/core");
    store.set("packs/core.version", "2.1.0");
    const errors: Error[] = [];
    const failing = watchPack(w, { source: workersKvPackSource(kv, "packs/core"), autoStart: false, onError: (e) => errors.push(e) });
    expect((await failing.poll()).status).toBe("failed");
    expect(errors[0]!.message).toMatch(/Workers KV key packs\/core failed: .*no value under packs\/core/);
  });

  it("Deno KV: a pack of several hundred KB in 64 KiB-bounded chunks under a manifest, tagged by versionstamp", async () => {
    let stamp = 0;
    const data = new Map<string, { value: unknown; versionstamp: string }>();
    const kv: DenoKvLike = {
      async get(key) {
        return data.get(JSON.stringify(key)) ?? { value: null, versionstamp: null };
      },
      async set(key, value) {
        if (value instanceof Uint8Array && value.length > 65536) throw new Error("value too large");
        data.set(JSON.stringify(key), { value, versionstamp: String(++stamp).padStart(20, "0") });
      },
      async delete(key) {
        data.delete(JSON.stringify(key));
      },
    };
    const big = defaultPackImage();
    expect(big.length).toBeGreaterThan(3 * 65536); // several 64 KiB chunks
    await publishPackToDenoKv(kv, ["packs", "core"], big);
    const w = engine(packA());
    const watcher = watchPack(w, { source: denoKvPackSource(kv, ["packs", "core"]), autoStart: false });
    expect(await watcher.poll()).toMatchObject({ status: "updated", pack: { name: "wafer-core", bytes: big.length } });
    expect((await watcher.poll()).status).toBe("unchanged");
    await publishPackToDenoKv(kv, ["packs", "core"], packB("9.0.0"));
    expect(await watcher.poll()).toMatchObject({ status: "updated", pack: { version: "9.0.0" } });
    // The previous pack's chunks are gone once the new manifest is in place.
    expect([...data.keys()].filter((k) => k.startsWith('["packs","core","')).length).toBe(1);
  });

  it("a file on disk: reloaded when replaced (write + rename), unchanged otherwise", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wafer-watch-"));
    const path = join(dir, "pack.wpk");
    writeFileSync(path, packB("2.0.0"));
    const w = engine(packA("1.0.0"));
    const watcher = watchPack(w, { source: filePackSource(path), autoStart: false });
    expect((await watcher.poll()).status).toBe("updated");
    expect((await watcher.poll()).status).toBe("unchanged");
    writeFileSync(join(dir, "next.tmp"), packA("2.5.0"));
    renameSync(join(dir, "next.tmp"), path);
    expect(await watcher.poll()).toMatchObject({ status: "updated", pack: { version: "2.5.0" } });
    const errors: Error[] = [];
    const missing = watchPack(w, { source: filePackSource(join(dir, "nope.wpk")), autoStart: false, onError: (e) => errors.push(e) });
    expect((await missing.poll()).status).toBe("failed");
    expect(errors[0]!.message).toMatch(/nope\.wpk failed: .*ENOENT/);
  });
});

describe("updatePack from a URL", () => {
  it("fetches the pack itself, and reports HTTP errors as source refusals", async () => {
    server.mode = "ok";
    publish(packB("4.0.0"));
    const w = engine(packA("1.0.0"));
    expect((await w.updatePack(url)).version).toBe("4.0.0");
    expect((await w.updatePack(new URL(url))).version).toBe("4.0.0");
    server.mode = "error";
    const e = await w.updatePack(url).then(() => undefined, (err: PackRefusedError) => err);
    expect([e?.reason, e?.message]).toEqual(["source", expect.stringContaining("answered HTTP 503")]);
    server.mode = "ok";
  });
  it("a watcher does not reload the pack the engine already runs", async () => {
    server.mode = "ok";
    publish(packB("5.0.0"));
    const w = engine(packA("1.0.0"));
    await w.updatePack(url); // now runs 5.0.0, with its sha256 known
    const watcher = watchPack(w, { url, autoStart: false });
    expect((await watcher.poll()).status).toBe("unchanged");
    expect(w.rollback().version).toBe("1.0.0");
  });
});

describe("watchPack where timers are refused", () => {
  it("reports once that it cannot schedule, and manual polls still work", async () => {
    const refusing: Clock = {
      setTimeout() {
        throw new Error("Disallowed operation called within global scope");
      },
      clearTimeout() {},
    };
    const errors: Error[] = [];
    const watcher = watchPack({ updatePack: async () => { throw new Error("unused"); } }, {
      source: { description: "s", fetch: async () => ({ status: "unchanged" as const }) }, clock: refusing, onError: (e) => errors.push(e),
    });
    expect((await watcher.poll()).status).toBe("unchanged");
    expect((await watcher.poll()).status).toBe("unchanged");
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining("cannot schedule polls here")]);
    expect(watcher.nextDelayMs).toBeUndefined();
  });
});
