/** `--pack P` for every verb: a compiled .wpk image, or a pack source (file or directory) compiled now. */
import { readFileSync, statSync } from "node:fs";
import { compilePackFrom } from "../pack/source-loader.js";

export function loadPackArgument(path: string): Uint8Array {
  if (!statSync(path).isDirectory() && path.endsWith(".wpk")) return new Uint8Array(readFileSync(path));
  return compilePackFrom(path).image;
}
