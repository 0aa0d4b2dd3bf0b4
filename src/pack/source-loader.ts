/**
 * Reads a pack source from disk (Node only; build and CLI time): one YAML/JSON file, or a
 * directory whose `pack.yaml` holds the metadata and whose other *.yaml/*.yml/*.json files
 * each hold `rules:`. `pmFile` data files resolve next to the file that names them.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { compilePack, type CompileOptions } from "./compile.js";
import { PackError } from "./errors.js";

export interface LoadedSource {
  source: Record<string, unknown>;
  /** Resolves data files relative to the pack's directory. */
  readDataFile: (name: string) => string;
}

function parseFile(path: string): unknown {
  const text = readFileSync(path, "utf8");
  try {
    return extname(path) === ".json" ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (e) {
    throw new PackError([{ path: basename(path), message: `cannot parse: ${(e as Error).message}` }], "pack source");
  }
}

export function loadPackSource(path: string): LoadedSource {
  const full = resolve(path);
  const dir = statSync(full).isDirectory() ? full : dirname(full);
  const readDataFile = (name: string) => readFileSync(join(dir, name), "utf8");
  if (!statSync(full).isDirectory()) return { source: parseFile(full) as Record<string, unknown>, readDataFile };
  const files = readdirSync(full).filter((f) => /\.(ya?ml|json)$/.test(f) && !f.endsWith(".schema.json")).sort();
  const metaFile = files.find((f) => /^pack\.(ya?ml|json)$/.test(f));
  if (!metaFile) throw new PackError([{ path: full, message: "a pack directory needs a pack.yaml with name and version" }], "pack source");
  const source = { ...(parseFile(join(full, metaFile)) as Record<string, unknown>) };
  const rules: unknown[] = Array.isArray(source.rules) ? [...source.rules] : [];
  for (const f of files) {
    if (f === metaFile) continue;
    const doc = parseFile(join(full, f)) as { rules?: unknown[] } | null;
    if (!doc || !Array.isArray(doc.rules)) throw new PackError([{ path: f, message: "a rule file must have a top-level `rules:` array" }], "pack source");
    rules.push(...doc.rules);
  }
  source.rules = rules;
  return { source, readDataFile };
}

/** Loads and compiles a pack source file or directory. */
export function compilePackFrom(path: string, options: CompileOptions = {}) {
  const { source, readDataFile } = loadPackSource(path);
  return compilePack(source, { readDataFile, ...options });
}
