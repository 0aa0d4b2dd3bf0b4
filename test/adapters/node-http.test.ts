import { createServer, type IncomingMessage } from "node:http";
import { protectNode, getDecision } from "../../src/adapters/node-http.js";
import { listen } from "./listen.js";
import { describe, expect, it } from "vitest";
import { adapterSuite, createTestWafer } from "./support.js";

async function readAll(req: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return text;
}

adapterSuite("node:http", async (options) => {
  const app = protectNode(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(value));
    };
    if (path === "/echo") return json(200, { received: JSON.parse(await readAll(req)), outcome: getDecision(req)?.outcome });
    if (path === "/login") return json(200, { welcome: JSON.parse(await readAll(req)).user });
    res.end(path === "/upload" ? "uploaded" : path === "/health" ? "healthy" : "ok");
  }, options);
  return listen(createServer(app));
});

describe("node:http: bodies past the inspection limit", () => {
  it("inspects the first maxBodyBytes, reports the cut, and the app still reads every byte", async () => {
    const received: number[] = [];
    const app = protectNode(async (req, res) => {
      received.push(Buffer.byteLength(await readAll(req)));
      res.end(JSON.stringify(getDecision(req)?.decision?.truncated.map((t) => t.limit)));
    }, { wafer: createTestWafer, waferOptions: { limits: { maxBodyBytes: 1024 } }, log: false });
    const s = await listen(createServer(app));
    try {
      const body = "a=" + "x".repeat(200_000);
      const res = await fetch(`${s.url}/upload`, { method: "POST", headers: { "content-type": "text/plain" }, body });
      expect(res.status).toBe(200);
      expect(await res.json()).toContain("bodyBytes");
      expect(received).toEqual([body.length]);
      expect((await app.guard.metrics()).truncations).toMatchObject({ bodyBytes: 1 });
    } finally {
      await s.close();
    }
  });
});
