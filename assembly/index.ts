// Entry of engine.wasm. Each concern exports its own functions from its own file,
// so the module's surface reads as a table of contents.
export * from "./engine";                  // configure, regions, pack load, inspect
export * from "./transforms/exports";      // transform entry points (tests, bench)
export * from "./matcher/exports";         // automata entry points (tests, bench)
export * from "./detectors/exports";       // detectSQLi / detectXSS entry points
export * from "./ratelimit/exports";       // rate-limit table
