import { createServer, type IncomingMessage } from "node:http";
import { protectNode, getDecision } from "../../src/adapters/node-http.js";
import { listen } from "./listen.js";
import { adapterSuite } from "./support.js";

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
