/**
 * The hand-written baseline: every rx / pm / contains rule of a pack as a JS test, run over
 * every extracted field value, each value URL-decoded and lower-cased once (the transforms
 * a hand-written loop applies). Same construction as bench/inspect.ts, for any pack source.
 */
import type { RuleSource } from "../../src/pack/schema.js";
import { toHostRegExp } from "../../src/regex/index.js";
import { ArrayFieldSink } from "../../src/request/array-field-sink.js";
import { extractRequestSync } from "../../src/request/extract.js";
import type { PlainRequest } from "../../src/request/types.js";

type Test = (v: string) => boolean;

export interface RegexpLoop {
  tests: number;
  skipped: number;
  run(req: PlainRequest): boolean;
}

export function regexpLoopFor(rules: readonly RuleSource[], readDataFile: (name: string) => string = () => ""): RegexpLoop {
  const tests: Test[] = [];
  let skipped = 0;
  for (const rule of rules) {
    const op = rule.operator as Record<string, unknown>;
    if (typeof op.rx === "string") {
      try {
        const re = toHostRegExp(op.rx, { caseInsensitive: op.caseSensitive === false });
        tests.push((v) => re.test(v));
      } catch {
        skipped++;
      }
    } else if (Array.isArray(op.pm) || typeof op.pmFile === "string") {
      const phrases = (Array.isArray(op.pm) ? (op.pm as string[]) : readDataFile(op.pmFile as string).split("\n").filter(Boolean)).map((p) => p.toLowerCase());
      tests.push((v) => phrases.some((p) => v.includes(p)));
    } else if (typeof op.contains === "string") {
      const needle = (op.contains as string).toLowerCase();
      tests.push((v) => v.includes(needle));
    } else skipped++;
  }
  const decoder = new TextDecoder();
  const safeDecode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, " "));
    } catch {
      return s;
    }
  };
  return {
    tests: tests.length,
    skipped,
    run(req: PlainRequest): boolean {
      const sink = new ArrayFieldSink();
      extractRequestSync(req, sink);
      let hit = false;
      for (const f of sink.fields) {
        const v = safeDecode(typeof f.value === "string" ? f.value : decoder.decode(f.value)).toLowerCase();
        for (const t of tests) if (t(v)) hit = true;
      }
      return hit;
    },
  };
}
