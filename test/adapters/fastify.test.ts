import Fastify from "fastify";
import { waferFastify } from "../../src/adapters/fastify.js";
import { adapterSuite } from "./support.js";

adapterSuite("Fastify", async (options) => {
  const app = Fastify({ bodyLimit: 1 << 20 });
  await app.register(waferFastify, options);
  app.get("/", async () => "ok");
  app.get("/upload", async () => "uploaded");
  app.get("/health", async () => "healthy");
  app.post("/echo", async (request) => ({ received: request.body, outcome: request.wafer?.outcome }));
  app.post("/login", async (request) => ({ welcome: (request.body as { user: string }).user }));
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
});
