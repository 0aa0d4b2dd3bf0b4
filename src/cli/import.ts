/** `wafer import FORMAT …`: dispatches on the format word; each format lives in its own file. */
import { UsageError } from "./args.js";
import { importDdwafCommand, IMPORT_DDWAF_USAGE } from "./import-ddwaf.js";
import { importSecLangCommand, IMPORT_SECLANG_USAGE } from "./import-seclang.js";

const formats: Record<string, (argv: string[]) => number | Promise<number>> = {
  ddwaf: importDdwafCommand,
  seclang: importSecLangCommand,
};

export const IMPORT_USAGE = `${IMPORT_DDWAF_USAGE}\n  ${IMPORT_SECLANG_USAGE}`;

export function importCommand(argv: string[]): number | Promise<number> {
  const [format, ...rest] = argv;
  const run = format === undefined ? undefined : formats[format];
  if (!run) throw new UsageError(`unknown import format ${JSON.stringify(format ?? "")} (expected ${Object.keys(formats).join(", ")})\nusage: ${IMPORT_USAGE}`);
  return run(rest);
}
