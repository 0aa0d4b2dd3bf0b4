/**
 * The Datadog ruleset importer/exporter (src/ddwaf/, another engineer's module) loaded when
 * it exists, so the benchmark can run each engine on the SAME rules: wafer with Datadog's
 * recommended ruleset imported, libddwaf with wafer's pack exported. It is bundled at run
 * time, so this benchmark builds and runs (marking that comparison pending) before it lands.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export interface DdwafConverter {
  importDdwaf?: (json: unknown) => unknown;
  exportDdwaf?: (pack: unknown) => unknown;
  from: string;
}

export async function loadDdwafConverter(root = process.cwd()): Promise<DdwafConverter | { pending: string }> {
  const dir = join(root, "src/ddwaf");
  if (!existsSync(dir)) return { pending: "src/ddwaf/ does not exist yet" };
  const candidates = ["index.ts", "import.ts", "importer.ts"].filter((f) => existsSync(join(dir, f)));
  const entries = candidates.length > 0 ? candidates : readdirSync(dir).filter((f) => f.endsWith(".ts"));
  const { build } = await import("esbuild");
  const found: DdwafConverter = { from: "" };
  for (const entry of entries) {
    const outfile = join(root, "build/.tools", `ddwaf-${entry.replace(/\.ts$/, "")}.mjs`);
    try {
      await build({ entryPoints: [join(dir, entry)], bundle: true, platform: "node", format: "esm", packages: "external", logLevel: "silent", outfile });
      const mod = (await import(`${pathToFileURL(outfile).href}?t=${Date.now()}`)) as Record<string, unknown>;
      if (typeof mod.importDdwaf === "function" && !found.importDdwaf) found.importDdwaf = mod.importDdwaf as DdwafConverter["importDdwaf"];
      if (typeof mod.exportDdwaf === "function" && !found.exportDdwaf) found.exportDdwaf = mod.exportDdwaf as DdwafConverter["exportDdwaf"];
      found.from += `${found.from ? ", " : ""}src/ddwaf/${entry}`;
    } catch {
      /* not buildable yet: keep looking */
    }
    if (found.importDdwaf && found.exportDdwaf) break;
  }
  if (!found.importDdwaf && !found.exportDdwaf) return { pending: `src/ddwaf/ exports neither importDdwaf nor exportDdwaf yet (${entries.join(", ") || "no .ts files"})` };
  return found;
}
