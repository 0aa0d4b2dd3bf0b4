import { describe, expect, it, vi } from "vitest";
import { PackRefusedError } from "../../src/lifecycle/errors.js";
import { verifyPack } from "../../src/lifecycle/verify.js";
import { PackError } from "../../src/pack/errors.js";
import { chunked, engine, newKey, packA, packB, signed } from "./fixtures.js";

const probe = { method: "GET", url: "/?q=probe", headers: { host: "x" }, body: null };
/** Which pack judged: A blocks "probe" through only-in-a, B scores it through only-in-b. */
const judge = (w: ReturnType<typeof engine>) => w.inspectSync(probe).matches.map((m) => m.rule).join(",");

const refused = async (p: Promise<unknown>): Promise<PackRefusedError> => {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(PackRefusedError);
  return e as PackRefusedError;
};

describe("updatePack with pinned keys", () => {
  it("loads a pack signed by a pinned key and reports its version, hash and key", async () => {
    const key = await newKey();
    const w = engine(packA(), { trustedKeys: [key.publicKey.text] });
    expect(judge(w)).toBe("only-in-a");
    const info = await w.updatePack(await signed(packB(), key));
    expect(info).toMatchObject({ name: "swap", version: "2.0.0", keyId: key.keyId, abi: 1, builtAt: "2026-11-02T00:00:00.000Z" });
    expect(info.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(w.pack.sha256).toBe(info.sha256);
    expect(judge(w)).toBe("only-in-b");
  });
  it("refuses unsigned, wrongly signed and tampered packs and keeps the current pack", async () => {
    const [key, other] = [await newKey(), await newKey()];
    const w = engine(packA(), { trustedKeys: [key.publicKey.text] });
    expect((await refused(w.updatePack(packB()))).reason).toBe("unsigned");
    expect((await refused(w.updatePack(await signed(packB(), other)))).reason).toBe("untrusted-key");
    const tampered = await signed(packB(), key);
    tampered[tampered.length >> 1]! ^= 0x20;
    expect((await refused(w.updatePack(tampered))).reason).toBe("bad-signature");
    expect(judge(w)).toBe("only-in-a");
    expect(w.pack.version).toBe("1.0.0");
  });
  it("a synchronous loadPack takes only a pack verified by a pinned key", async () => {
    const [key, other] = [await newKey(), await newKey()];
    const w = engine(packA(), { trustedKeys: [key.publicKey.text] });
    const envelope = await signed(packB(), key);
    expect(() => w.loadPack(packB())).toThrow(/not signed/);
    expect(() => w.loadPack(envelope)).toThrow(/must be verified/);
    const byOther = await verifyPack(await signed(packB(), other), undefined, [other.publicKey.text]);
    expect(() => w.loadPack(byOther)).toThrow(/does not trust/);
    expect(w.loadPack(await verifyPack(envelope, undefined, [key.publicKey.text])).keyId).toBe(key.keyId);
    expect(judge(w)).toBe("only-in-b");
  });
  it("a pack verified by another copy of the lifecycle module (another bundle) is still recognised", async () => {
    const key = await newKey();
    const w = engine(packA(), { trustedKeys: [key.publicKey.text] });
    vi.resetModules();
    // @ts-expect-error -- the query suffix makes Vite load a second instance of the module
    const copy = (await import("../../src/lifecycle/verify.js?copy")) as typeof import("../../src/lifecycle/verify.js");
    expect(copy.verifyPack).not.toBe(verifyPack);
    const verified = await copy.verifyPack(await signed(packB(), key), undefined, [key.publicKey.text]);
    expect(w.loadPack(verified).version).toBe("2.0.0");
    expect(() => w.loadPack({ ...verified })).toThrow(/not signed/);
  });
  it("accepts an image with its detached signature", async () => {
    const key = await newKey();
    const { signPack } = await import("../../src/lifecycle/sign.js");
    const image = packB();
    const { detached } = await signPack(image, key);
    const w = engine(packA(), { trustedKeys: [key.publicKey.text] });
    expect((await w.updatePack(image, { signature: detached })).version).toBe("2.0.0");
  });
  it("without pinned keys, an envelope is unwrapped (its checksum still checked) and loads", async () => {
    const key = await newKey();
    const w = engine(packA());
    expect(w.loadPack(await signed(packB(), key)).version).toBe("2.0.0");
    expect(w.pack.keyId).toBeUndefined(); // nothing was verified
    expect(judge(w)).toBe("only-in-b");
  });
  it("fails fast on a malformed trusted key", () => {
    expect(() => engine(packA(), { trustedKeys: ["not-a-key"] })).toThrow(/not a wafer public key/);
  });
});

describe("versions", () => {
  it("refuses a downgrade of the same pack unless allowed; other names and equal versions pass", async () => {
    const w = engine(packB("2.0.0"));
    const e = await refused(w.updatePack(packA("1.9.9")));
    expect(e.reason).toBe("downgrade");
    expect(e.message).toMatch(/swap 1\.9\.9 is older than the active swap 2\.0\.0; pass \{ allowDowngrade: true \}/);
    expect(() => w.loadPack(packA("2.0.0-rc.1"))).toThrow(/older than the active/);
    expect(judge(w)).toBe("only-in-b");
    expect((await w.updatePack(packA("1.9.9"), { allowDowngrade: true })).version).toBe("1.9.9");
    expect(w.loadPack(packA("1.9.9")).version).toBe("1.9.9");
    expect(w.loadPack(packB("0.0.1", "another-pack")).name).toBe("another-pack");
  });
  it("refuses a pack compiled for another engine ABI with a clear error", () => {
    const w = engine(packA());
    const image = packB();
    new DataView(image.buffer).setUint16(10, 99, true);
    expect(() => w.loadPack(image)).toThrow(/pack needs engine ABI 99; this engine implements ABI 1/);
    expect(judge(w)).toBe("only-in-a");
  });
});

describe("sources", () => {
  it("reads an ArrayBuffer, a Response and a chunked ReadableStream", async () => {
    const w = engine(packA("0.1.0"));
    const b = packB("1.0.0");
    expect((await w.updatePack(b.slice().buffer)).version).toBe("1.0.0");
    expect((await w.updatePack(new Response(packA("1.1.0") as Uint8Array<ArrayBuffer>))).version).toBe("1.1.0");
    expect((await w.updatePack(chunked(packB("1.2.0"), 7))).version).toBe("1.2.0");
    expect(judge(w)).toBe("only-in-b");
  });
  it("stops reading a stream past maxBytes and refuses it", async () => {
    const w = engine(packA(), { maxPackBytes: 1000 });
    let cancelled = false;
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(300));
      },
      cancel() {
        cancelled = true;
      },
    });
    expect((await refused(w.updatePack(endless))).reason).toBe("too-large");
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(10);
    expect((await refused(w.updatePack(new Uint8Array(2000)))).reason).toBe("too-large");
    expect((await refused(w.updatePack(packB(), { maxBytes: 10 }))).reason).toBe("too-large");
  });
  it("a stream that errors is reported as a source failure", async () => {
    const w = engine(packA());
    const broken = new ReadableStream<Uint8Array>({ pull: (c) => c.error(new Error("connection reset")) });
    const e = await refused(w.updatePack(broken));
    expect([e.reason, e.message]).toEqual(["source", expect.stringContaining("connection reset")]);
  });
  it("garbage is refused as a pack error and the engine keeps its pack", async () => {
    const w = engine(packA());
    await expect(w.updatePack(new TextEncoder().encode("<html>502 Bad Gateway</html>"))).rejects.toBeInstanceOf(PackError);
    const corrupt = packB();
    corrupt[150]! ^= 1; // inside the rules section: only the checksum can tell
    await expect(w.updatePack(corrupt)).rejects.toThrow(/checksum mismatch/);
    expect(judge(w)).toBe("only-in-a");
  });
});

describe("ordering and rollback", () => {
  it("concurrent updates apply in call order", async () => {
    const w = engine(packA("0.1.0"));
    const results = await Promise.all([w.updatePack(chunked(packB("1.0.0"), 64)), w.updatePack(packA("1.1.0")), w.updatePack(chunked(packB("1.2.0"), 1000))]);
    expect(results.map((r) => r.version)).toEqual(["1.0.0", "1.1.0", "1.2.0"]);
    expect(w.pack.version).toBe("1.2.0");
  });
  it("rolls back to the pack before the last update, and forward again", async () => {
    const key = await newKey();
    const w = engine(packA(), { trustedKeys: [key.publicKey.text] });
    await w.updatePack(await signed(packB(), key));
    expect(w.rollback().version).toBe("1.0.0");
    expect(judge(w)).toBe("only-in-a");
    expect(w.rollback().version).toBe("2.0.0");
    expect(w.pack.keyId).toBe(key.keyId);
    expect(judge(w)).toBe("only-in-b");
  });
  it("after an image fails validation there is nothing to roll back to, and the active pack still decides", async () => {
    const w = engine(packA("1.0.0"));
    await w.updatePack(packB("2.0.0"));
    const corrupt = packB("2.1.0");
    corrupt[150]! ^= 1; // inside the rules section: only the checksum can tell
    await expect(w.updatePack(corrupt)).rejects.toThrow(/checksum/);
    expect(judge(w)).toBe("only-in-b");
    expect(() => w.rollback()).toThrow(/no previous pack/);
  });
});
