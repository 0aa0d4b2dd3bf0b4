#!/usr/bin/env node
/** The `wafer` command: one verb per file, dispatched here. */
import { PackError } from "../pack/errors.js";
import { UsageError } from "./args.js";
import { compile, COMPILE_USAGE, inspectPack, INSPECT_PACK_USAGE } from "./compile.js";
import { scan, SCAN_USAGE } from "./scan.js";
import { testPack, TEST_USAGE } from "./test-pack.js";
import { keygen, KEYGEN_USAGE } from "./keygen.js";
import { sign, SIGN_USAGE } from "./sign.js";
import { verify, VERIFY_USAGE } from "./verify.js";
import { diff, DIFF_USAGE } from "./diff.js";
import { bench, BENCH_USAGE } from "./bench.js";
import { importCommand, IMPORT_USAGE } from "./import.js";
import { exportCommand, EXPORT_USAGE } from "./export-ddwaf.js";

const USAGE = `usage:
  ${SCAN_USAGE}
  ${TEST_USAGE}
  ${COMPILE_USAGE}
  ${INSPECT_PACK_USAGE}
  ${KEYGEN_USAGE}
  ${SIGN_USAGE}
  ${VERIFY_USAGE}
  ${DIFF_USAGE}
  ${BENCH_USAGE}
  ${IMPORT_USAGE}
  ${EXPORT_USAGE}`;

const verbs: Record<string, (argv: string[]) => number | Promise<number>> = {
  scan,
  test: testPack,
  compile,
  "inspect-pack": inspectPack,
  keygen,
  sign,
  verify,
  diff,
  bench,
  import: importCommand,
  export: exportCommand,
};

async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === "--help" || verb === "-h" || verb === "help") {
    process.stdout.write(`${USAGE}\n`);
    return verb === undefined ? 2 : 0;
  }
  const run = verbs[verb];
  if (!run) {
    process.stderr.write(`wafer: unknown command "${verb}"\n${USAGE}\n`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`wafer ${verb}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof PackError) {
      process.stderr.write(`wafer ${verb}: ${e.message}\n`);
      return 1;
    }
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      process.stderr.write(`wafer ${verb}: no such file: ${(e as NodeJS.ErrnoException).path}\n`);
      return 1;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
