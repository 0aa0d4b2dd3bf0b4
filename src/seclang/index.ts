/**
 * SecLang (ModSecurity / OWASP CRS) importer: config files → a pack source that
 * `compilePack(pack, { onUnsupported: "skip" })` turns into a .wpk image.
 *
 *   const { pack, unsupported, ignored } = importSecLang("rules/", { paranoia: 4 });
 *   const { image, report } = compilePack(pack, { onUnsupported: "skip" });
 *
 * Data files (`@pmFromFile x.data`) are read next to the rule file that names them and
 * inlined into the pack.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { parseSecLang, type Directive } from "./parser.js";
import { translateSecLang, type TranslateOptions, type TranslateResult } from "./translate.js";

export { SecLangError } from "./errors.js";
export { parseSecLang, type Directive } from "./parser.js";
export type { RuleIssue, TranslateOptions, TranslateResult } from "./translate.js";
export type { ImportedRoute } from "./exclusions.js";

export interface SecLangFile {
  path: string;
  text: string;
}

export interface ImportOptions extends TranslateOptions {
  /**
   * Reads a data file named by a rule. Default: the file system, relative to the rule
   * file's directory (or `dataFiles` when given).
   */
  readDataFile?: (name: string, fromFile: string) => string;
  /** In-memory data files by base name (tests, bundlers). */
  dataFiles?: Record<string, string>;
}

export type ImportResult = TranslateResult;

/**
 * Imports SecLang rules from files (in the order given) or from a directory (its `*.conf`
 * files in name order, as CRS's `Include rules/*.conf` loads them).
 */
export function importSecLang(input: SecLangFile[] | string, options: ImportOptions = {}): ImportResult {
  const files = typeof input === "string" ? readRuleDir(input) : input;
  const directives: Directive[] = [];
  for (const f of files) directives.push(...parseSecLang(f.text, f.path));
  const readData = options.readDataFile ?? ((name: string, fromFile: string) => {
    const inMemory = options.dataFiles?.[name] ?? options.dataFiles?.[name.split(/[\\/]/).pop()!];
    if (inMemory !== undefined) return inMemory;
    if (options.dataFiles && !fromFileExists(fromFile)) throw new Error(`data file ${name} not found`);
    return readFileSync(isAbsolute(name) ? name : join(dirname(fromFile), name), "utf8");
  });
  return translateSecLang(directives, options, readData);
}

function fromFileExists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function readRuleDir(dir: string): SecLangFile[] {
  if (statSync(dir).isFile()) return [{ path: dir, text: readFileSync(dir, "utf8") }];
  return readdirSync(dir)
    .filter((n) => n.endsWith(".conf"))
    .sort()
    .map((n) => ({ path: join(dir, n), text: readFileSync(join(dir, n), "utf8") }));
}
