/** Starting and stopping a Node server on 127.0.0.1:0 for the adapter tests. */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { StartedServer } from "./support.js";

export function listen(server: Server): Promise<StartedServer> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}
