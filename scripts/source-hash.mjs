// Content hashes for build staleness. Timestamps are not enough when several builds and
// editors run at once: a file saved during a build is older than the output but not in it.
// Each step records the hash of the sources it READ (before building); any later edit
// changes the hash, so the next check rebuilds.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

/** SHA-256 over the relative paths and contents of every file under `paths` (sorted). */
export function sourceHash(root, paths) {
  const files = [];
  const walk = (p) => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
    else files.push(p);
  };
  for (const p of paths) walk(join(root, p));
  files.sort();
  const h = createHash("sha256");
  for (const f of files) h.update(relative(root, f)).update("\0").update(readFileSync(f)).update("\0");
  return h.digest("hex");
}

/** True when `output` is missing or was built from other sources than `hash`. */
export function isStale(output, hash) {
  const stamp = `${output}.sources`;
  return !existsSync(output) || !existsSync(stamp) || readFileSync(stamp, "utf8") !== hash;
}

export function recordSources(output, hash) {
  writeFileSync(`${output}.sources`, hash);
}
