/**
 * Result files of the issue-9 benchmarks: bench/results/<name>.json with the machine, the
 * runtimes' versions and the load average beside the figures (the machine is shared).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { environment } from "./harness.js";

function packageVersion(name: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(process.cwd(), "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/** `smoke` runs (CI, --quick) write under build/bench-smoke/ so they never overwrite the committed figures. */
export function writeBenchResult(name: string, data: object, { smoke = false } = {}): string {
  const path = join(process.cwd(), smoke ? "build/bench-smoke" : "bench/results", `${name}.json`);
  mkdirSync(dirname(path), { recursive: true });
  const env = { ...environment(), packages: { deno: packageVersion("deno"), workerd: packageVersion("workerd"), "@datadog/native-appsec": packageVersion("@datadog/native-appsec"), "dd-trace": packageVersion("dd-trace") } };
  writeFileSync(path, `${JSON.stringify({ environment: env, ...data }, null, 2)}\n`);
  return path;
}
