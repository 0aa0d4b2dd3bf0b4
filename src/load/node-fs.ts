/**
 * `node:fs` without `import ... from "node:fs"`. In Node 20 an ES import of a builtin builds
 * its ESM facade, which reads every export — fs's lazy `ReadStream`/`WriteStream` getters
 * included — and so loads the whole streams stack: about 2–3 ms of a cold start on this
 * project's machine (bench:coldstart), for two `readFileSync` calls. `process.getBuiltinModule`
 * (Node ≥ 20.16 and 22.3, Bun, Deno) hands back the CommonJS object without the facade; older
 * runtimes take the dynamic import.
 */
type NodeFs = typeof import("node:fs");

let fs: NodeFs | undefined;

export async function nodeFs(): Promise<NodeFs> {
  if (fs) return fs;
  const viaProcess = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.("fs");
  fs = (viaProcess as NodeFs | undefined) ?? (await import("node:fs"));
  return fs;
}
