// Build-time tool: compile a pack source to an image. Used by scripts/build.mjs for the
// embedded default pack (the CLI cannot be used: it embeds that pack itself).
import { writeFileSync } from "node:fs";
import { compilePackFrom } from "../src/pack/source-loader.js";

const [source, out] = process.argv.slice(2);
if (!source || !out) throw new Error("usage: compile-pack SOURCE OUT");
const started = performance.now();
const { image, report } = compilePackFrom(source, { builtAt: "1970-01-01T00:00:00.000Z" });
writeFileSync(out, image);
console.log(
  `default pack: ${report.rules} rules, ${report.literals} literals, ${report.regexes} regexes (${report.dfaStates} DFA states), ` +
    `${image.length} bytes, compiled in ${(performance.now() - started).toFixed(0)} ms`,
);
