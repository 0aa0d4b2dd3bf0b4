// The inlined engine.wasm, built as its own file (dist/engine-inline.js) so the Node bundle
// loads it only when engine.wasm cannot be read from disk.
// @ts-ignore -- esbuild's binary loader turns the file into a Uint8Array
import bytes from "../../build/engine.wasm";

export const wasmBytes = bytes as Uint8Array;
