#!/usr/bin/env node
// Builds everything the package ships, each step only when its inputs changed (by content):
//   1. build/engine.wasm            (scripts/build-wasm.mjs)
//   2. build/default.wpk            the default pack, compiled from signatures/core
//   3. dist/*.js                    one bundle per runtime export condition, the CLI
//   4. dist/types                   declarations for the "types" condition
// `--force` rebuilds everything.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";
import { isStale, recordSources, sourceHash } from "./source-hash.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const force = process.argv.includes("--force");
const run = (args) => {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
// 1. Wasm.
run([join(root, "scripts/build-wasm.mjs"), ...(force ? ["--force"] : [])]);

// 2. Default pack.
mkdirSync(join(root, "build/.tools"), { recursive: true });
const packHash = sourceHash(root, ["signatures/core", "src/pack", "src/regex", "src/engine/abi.ts", "scripts/compile-pack.ts"]);
if (force || isStale(join(root, "build/default.wpk"), packHash)) {
  await build({
    entryPoints: [join(root, "scripts/compile-pack.ts")],
    bundle: true, platform: "node", format: "esm", outfile: join(root, "build/.tools/compile-pack.mjs"),
    packages: "external", logLevel: "warning",
  });
  run([join(root, "build/.tools/compile-pack.mjs"), join(root, "signatures/core"), join(root, "build/default.wpk")]);
  recordSources(join(root, "build/default.wpk"), packHash);
}

/**
 * Activates build/default.wpk in build/engine.wasm with full validation and returns its
 * checksum, which the runtime bundles pin: the image that passed here is the only one a
 * cold start activates without re-validating its structure (src/engine/built-pack.ts).
 */
function validatedPackChecksum() {
  const image = readFileSync(join(root, "build/default.wpk"));
  const engine = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(join(root, "build/engine.wasm"))), {}).exports;
  engine.configure(1 << 16, 64, 1 << 16, 1 << 16, 4096);
  new Uint8Array(engine.memory.buffer, engine.packReserve(image.length), image.length).set(image);
  const code = engine.packActivate(image.length, 0);
  if (code !== 0) {
    console.error(`build/default.wpk fails validation in build/engine.wasm (code ${code}, detail ${engine.packError()})`);
    process.exit(1);
  }
  return image.readUInt32LE(20);
}

// 3. Bundles.
const bundleHash = sourceHash(root, ["src", "build/engine.wasm", "build/default.wpk", "package.json", "scripts/build.mjs"]);
if (force || isStale(join(root, "dist/node.js"), bundleHash)) {
  mkdirSync(join(root, "dist"), { recursive: true });
  copyFileSync(join(root, "build/engine.wasm"), join(root, "dist/engine.wasm"));
  copyFileSync(join(root, "build/default.wpk"), join(root, "dist/default.wpk"));
  // The workerd entry imports the default pack as a Data module: wrangler's default module
  // rules make `**/*.bin` an ArrayBuffer, so the same image ships under that name too.
  copyFileSync(join(root, "build/default.wpk"), join(root, "dist/default-pack.bin"));
  // engine.wasm and default-pack.bin imports stay imports: the runtime's bundler (wrangler,
  // Vercel) or our Node loader resolves them next to the bundle.
  const wasmExternal = {
    name: "wasm-external",
    setup(b) {
      b.onResolve({ filter: /^\.\/engine\.wasm(\?module)?$/ }, (args) => ({ path: args.path, external: true }));
      b.onResolve({ filter: /^\.\/default-pack\.bin$/ }, (args) => ({ path: args.path, external: true }));
      b.onResolve({ filter: /^\.\/(engine-inline|default-pack-inline)\.js$/ }, (args) => ({ path: args.path, external: true }));
    },
  };
  // Code only asynchronous paths reach stays out of the runtime bundles, as imports of the
  // file that holds it, resolved next to the importing bundle: the RateLimiter class
  // dist/limiter.js (which wafer/ratelimit re-exports), pack reading and verification
  // (updatePack, verifyPack) dist/pack-update.js, the inlined engine and default pack of the
  // edge-light and default entries dist/*-inline.js.
  // A file, not an esbuild chunk: esbuild puts code shared by an entry and its lazy chunk
  // in a third file the entry imports statically, and each extra module costs Node's ESM
  // loader ≈ 0.5 ms of a cold start. The CLI keeps everything inline.
  const onDemand = (outfile) => ({
    name: "on-demand",
    setup(b) {
      const fromDist = (file) => {
        const rel = relative(dirname(join(root, outfile)), join(root, "dist", file)).split(sep).join("/");
        return rel.startsWith(".") ? rel : `./${rel}`;
      };
      const lazy = {
        "src/ratelimit/load.ts ./limiter": "limiter.js",
        // wafer/ratelimit re-exports the class the engine loads, rather than a copy of it.
        "src/ratelimit/index.ts ./limiter": "limiter.js",
        "src/load/inline.ts ./inline-bytes.js": "engine-inline.js",
        "src/load/inline-pack.ts ../default-pack.js": "default-pack-inline.js",
        "src/lifecycle/load.ts ./prepare.js": "pack-update.js",
        "src/engine/confirm-registry.ts ./confirm-automata": "confirm.js",
      };
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        const key = `${relative(root, args.importer).split(sep).join("/")} ${args.path}`;
        const file = (args.kind === "dynamic-import" || outfile === "dist/ratelimit.js") && lazy[key];
        return file ? { path: fromDist(file), external: true } : undefined;
      });
    },
  });
  const common = {
    bundle: true, format: "esm", target: "es2022", logLevel: "warning", minify: false,
    define: { __WAFER_BUILT_PACK_CHECKSUM__: String(validatedPackChecksum()) },
    loader: { ".wasm": "binary", ".wpk": "binary" }, plugins: [wasmExternal],
  };
  const withOnDemand = (out) => ({ plugins: [wasmExternal, onDemand(out)] });
  // The runtime entries are minified: every cold start parses the whole bundle (V8 pre-parses
  // each function it does not run). Measured: V8's compile of dist/node.js 2.9 -> 2.4 ms, and
  // a Worker that only imports the package +7.9 -> +5.0 ms over an empty one. A linked source
  // map (names and positions in src/, without the sources) keeps stack traces readable under
  // --enable-source-maps.
  const runtime = { minify: true, sourcemap: "linked", sourcesContent: false };
  const entries = [
    ["src/entry/node.ts", "dist/node.js", "node", runtime],
    ["src/entry/bun.ts", "dist/bun.js", "neutral", runtime],
    ["src/entry/workerd.ts", "dist/workerd.js", "neutral", runtime],
    ["src/entry/edge-light.ts", "dist/edge-light.js", "neutral", runtime],
    ["src/entry/deno.ts", "dist/deno.js", "neutral", runtime],
    ["src/entry/default.ts", "dist/default.js", "neutral", runtime],
    ["src/load/inline-bytes.ts", "dist/engine-inline.js", "neutral", {}],
    ["src/default-pack.ts", "dist/default-pack-inline.js", "neutral", {}],
  ];
  await Promise.all([
    ...entries.map(([entry, out, platform, extra]) =>
      build({ ...common, ...extra, ...withOnDemand(out), entryPoints: [join(root, entry)], outfile: join(root, out), platform }),
    ),
    build({
      ...common, entryPoints: [join(root, "src/cli/main.ts")], outfile: join(root, "dist/cli.js"), platform: "node",
      external: ["yaml"],
    }),
    // Subpath exports: adapters (frameworks stay the app's own dependencies), observe, ratelimit.
    // Minified like the runtime entries: an application imports them at startup too, and the
    // engine itself loads dist/ratelimit.js when rate limits are configured.
    ...[
      ["src/adapters/fetch.ts", "dist/adapters/fetch.js"],
      ["src/adapters/hono.ts", "dist/adapters/hono.js"],
      ["src/adapters/express.ts", "dist/adapters/express.js"],
      ["src/adapters/fastify.ts", "dist/adapters/fastify.js"],
      ["src/adapters/node-http.ts", "dist/adapters/node-http.js"],
      ["src/observe/index.ts", "dist/observe.js"],
      ["src/ratelimit/index.ts", "dist/ratelimit.js"],
      ["src/lifecycle/index.ts", "dist/lifecycle.js"],
      ["src/lifecycle/file-source.ts", "dist/lifecycle-file.js"],
      // Not exports: what createWafer({ rateLimits }) and the adapters (src/ratelimit/load.ts),
      // and updatePack and verifyPack (src/lifecycle/load.ts), load on first use.
      ["src/ratelimit/limiter.ts", "dist/limiter.js"],
      ["src/lifecycle/prepare.ts", "dist/pack-update.js"],
      // Also `wafer/confirm`: the lazy DFA for packs with regexes over the DFA budget (src/engine/confirm-registry.ts).
      ["src/engine/confirm-automata.ts", "dist/confirm.js"],
    ].map(([entry, out]) =>
      build({ ...common, ...runtime, ...withOnDemand(out), entryPoints: [join(root, entry)], outfile: join(root, out), platform: "neutral", packages: "external" }),
    ),
  ]);
  recordSources(join(root, "dist/node.js"), bundleHash);
  console.log("bundles: dist/node.js, dist/bun.js, dist/workerd.js, dist/edge-light.js, dist/deno.js, dist/default.js, dist/cli.js");
}

// 4. Type declarations for the "types" export condition.
const typesHash = sourceHash(root, ["src", "tsconfig.json", "tsconfig.types.json"]);
if (force || isStale(join(root, "dist/types/entry/node.d.ts"), typesHash)) {
  const r = spawnSync(join(root, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.types.json"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
  recordSources(join(root, "dist/types/entry/node.d.ts"), typesHash);
  console.log("types: dist/types");
}
