// Entry of build/engine-testing.wasm, which is not shipped: engine.wasm's exports plus entry
// points into single stages, for tests and benchmarks that exercise a transform, an
// automaton or a detector on its own. Same sources and optimisation as engine.wasm; the
// shipped module does not carry these (about 1.8 KB).
export * from "./index";
export * from "./transforms/exports";      // transform entry points
export * from "./matcher/exports";         // automata entry points
export * from "./detectors/exports";       // detectSQLi / detectXSS entry points
