/**
 * Real Deno (npm package `deno`): a script imports the BUILT package by name, so Deno
 * resolves it through package.json "exports" with its own conditions (deno before node),
 * then inspects requests and prints the decisions, including one whose body the app reads after.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MATRIX_INSPECT_LOOP, MATRIX_REQUESTS, repoRoot, tempProject } from "./support.js";

const project = tempProject("deno");
afterAll(() => project.cleanup());

describe("Deno runtime", () => {
  writeFileSync(
    join(project.dir, "main.ts"),
    `import { createWafer } from "wafer";
const wafer = await createWafer();
${MATRIX_INSPECT_LOOP}
const resolved = import.meta.resolve("wafer");
console.log(JSON.stringify({ resolved, pack: wafer.pack.name, out }));
`,
  );
  const run = (permissions: string[]) => {
    const deno = join(repoRoot, "node_modules", ".bin", "deno");
    const stdout = execFileSync(deno, ["run", ...permissions, "--no-prompt", "--no-config", "--node-modules-dir=manual", "main.ts"], {
      cwd: project.dir,
      encoding: "utf8",
      env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    });
    const result = JSON.parse(stdout.trim().split("\n").pop()!);
    expect(result.resolved).toMatch(/dist\/deno\.js$/);
    expect(result.pack).toBe("wafer-core");
    for (const [i, r] of MATRIX_REQUESTS.entries()) {
      expect(result.out[i].denied, r.name).toBe(r.denied);
      if (r.body) expect(result.out[i].bodyAfter, `${r.name}: body still readable`).toBe(r.body);
    }
  };

  it("imports the package through its deno export and inspects requests", () => {
    // With read access the engine and the default pack are read from next to the bundle.
    run(["--allow-read", "--allow-env"]);
  });

  it("falls back to the inlined engine and pack without read access (and never prompts)", () => {
    run([]);
  });
});
