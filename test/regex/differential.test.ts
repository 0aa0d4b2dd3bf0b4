/**
 * Differential property tests: for generated patterns and inputs, the compiled DFA — through
 * both the TypeScript reference walker and the real Wasm walker — agrees with JS `RegExp` on
 * match / no match. Prefilter-mode patterns (lookaround, backreferences) never miss a match.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { compileRegex, DfaBudgetError, runDfaTable, toHostRegExp, type CompiledRegex } from "../../src/regex/index.js";
// jsMatches, not RegExp.test, for both the oracle and the confirmation RegExp: V8 can match a
// `u` pattern that begins with lookaround between the halves of a surrogate pair (see
// arbitrary.ts); the boundaries are what the `u` semantics define.
import { inputArbitrary, jsMatches, patternArbitrary } from "./arbitrary.js";
import { wasmDfa, type WasmDfa } from "./wasm-dfa.js";

const encoder = new TextEncoder();
let wasm: WasmDfa;
/** More runs on demand: REGEX_FC_RUNS=20000 npx vitest run test/regex */
const RUNS = Number(process.env.REGEX_FC_RUNS ?? 400);

beforeAll(() => {
  wasm = wasmDfa();
});

/**
 * The compiled pattern, or null when nested repeats exceed the state budget (the pack
 * compiler then splits the pattern or falls back to literals + RegExp: tested elsewhere).
 */
function compile(pcre: string): CompiledRegex | null {
  try {
    return compileRegex(pcre, {}, { stateBudget: 50_000 });
  } catch (e) {
    if (e instanceof DfaBudgetError) return null;
    throw e;
  }
}

describe("compiled DFA agrees with RegExp", () => {
  it("exact patterns: TS walker, Wasm walker and toHostRegExp agree with an independent RegExp", () => {
    fc.assert(
      fc.property(patternArbitrary(false), fc.array(inputArbitrary, { minLength: 1, maxLength: 12 }), (pattern, inputs) => {
        const compiled = compile(pattern.pcre);
        if (!compiled) return;
        expect(compiled.needsConfirm).toBe(false);
        const host = toHostRegExp(pattern.pcre);
        for (const input of inputs) {
          const want = pattern.matches(input);
          const bytes = encoder.encode(input);
          const ctx = `pattern ${JSON.stringify(pattern.pcre)} (js ${pattern.js}) input ${JSON.stringify(input)}`;
          expect(runDfaTable(compiled.table, bytes).matched, `TS walker: ${ctx}`).toBe(want);
          expect(wasm.isMatch(compiled.table, bytes), `Wasm walker: ${ctx}`).toBe(want);
          expect(jsMatches(host, input), `toHostRegExp ${host}: ${ctx}`).toBe(want);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("prefilter-mode patterns never miss a RegExp match, and toHostRegExp confirms exactly", () => {
    fc.assert(
      fc.property(patternArbitrary(true), fc.array(inputArbitrary, { minLength: 1, maxLength: 12 }), (pattern, inputs) => {
        const compiled = compile(pattern.pcre);
        if (!compiled) return;
        const host = toHostRegExp(pattern.pcre);
        for (const input of inputs) {
          const want = pattern.matches(input);
          const ctx = `pattern ${JSON.stringify(pattern.pcre)} (js ${pattern.js}) input ${JSON.stringify(input)}`;
          if (want) {
            const bytes = encoder.encode(input);
            expect(runDfaTable(compiled.table, bytes).matched, `TS walker missed: ${ctx}`).toBe(true);
            expect(wasm.isMatch(compiled.table, bytes), `Wasm walker missed: ${ctx}`).toBe(true);
          }
          // Backreferences to groups that did not participate differ between PCRE and JS;
          // the confirmation RegExp follows JS there, so compare only when none is present.
          if (!pattern.pcre.match(/\\\d/)) expect(jsMatches(host, input), `toHostRegExp ${host}: ${ctx}`).toBe(want);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
