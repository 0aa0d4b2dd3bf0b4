// Entry of engine.wasm, the module the package ships: what the library calls. Each concern
// exports its own functions from its own file, so the module's surface reads as a table of
// contents. Entry points into single stages (transforms, automata, detectors), which only
// tests and benchmarks call, are in assembly/testing.ts.
export * from "./engine";                  // configure, regions, pack load, inspect
export * from "./ratelimit/exports";       // rate-limit table
