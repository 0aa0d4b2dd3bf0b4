// Builds engine.wasm once before any test file runs (no-op when it is up to date),
// so `npm test` works on a fresh clone.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const script = fileURLToPath(new URL("../../scripts/build-wasm.mjs", import.meta.url));
  execFileSync(process.execPath, [script], { stdio: "inherit" });
}
