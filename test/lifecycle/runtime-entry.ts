/** What the Deno and workerd lifecycle tests bundle: the engine and the lifecycle API, no loaders. */
export { Wafer } from "../../src/engine/engine.js";
export * from "../../src/lifecycle/index.js";
