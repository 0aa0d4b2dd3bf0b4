# workerd configuration for the example Worker (built by examples/worker/build.mjs).
#   npx workerd serve examples/worker/config.capnp      → http://127.0.0.1:8787
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "dist/worker.js"),
    (name = "engine.wasm", wasm = embed "dist/engine.wasm"),
    (name = "default-pack.bin", data = embed "dist/default-pack.bin"),
  ],
  compatibilityDate = "2025-06-01",
);
