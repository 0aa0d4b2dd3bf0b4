/**
 * The exact NFAs a pack carries for regexes whose DFA is over the state budget or that hold
 * lookarounds (its CONFIRM section, src/pack/format.ts): decoded and checked when the pack is activated, so a damaged
 * one is refused with the rule named before the engine lets go of its current pack; run as
 * lazy DFAs (src/regex/lazy-dfa.ts) on the candidates the Wasm side's over-approximation
 * lets through. Linear time in the candidate, unlike the backtracking host RegExp these
 * rules used before (CRS 932230: 12 s on 1,000 newlines).
 *
 * One lazy DFA per distinct NFA, built on its first candidate; its state cache lives as long
 * as the pack, so a benign stream soon costs one table lookup per byte.
 */
import type { PackMeta } from "../pack/compile.js";
import { PackError } from "../pack/errors.js";
import { LazyDfa } from "../regex/lazy-dfa.js";
import type { Nfa } from "../regex/nfa.js";
import { deserializeNfa } from "../regex/nfa-format.js";
import { registerConfirmAutomata } from "./confirm-registry.js";

export class ConfirmAutomata {
  private readonly dfas = new Map<number, LazyDfa>();
  /** Rule index → its lazy DFA, or null when RegExp confirms it (filled as rules are asked for). */
  private readonly byRule: Array<LazyDfa | null> = [];

  private constructor(
    /** Rule index → the offset of its NFA in the section (rules sharing a regex share it). */
    private readonly ruleNfa: Map<number, number>,
    private readonly nfas: Map<number, Nfa>,
  ) {}

  /**
   * The automata of an image whose CONFIRM section is `section` (src/pack/reader.ts
   * readSection). Throws a PackError naming the rule whose NFA is out of bounds or malformed.
   */
  static read(image: Uint8Array, section: { offset: number; length: number }, meta: () => PackMeta): ConfirmAutomata {
    const bytes = image.subarray(section.offset, section.offset + section.length);
    const ruleNfa = new Map<number, number>();
    const nfas = new Map<number, Nfa>();
    meta().rules.forEach((rule, index) => {
      const at = rule.confirm?.nfa;
      if (!at) return;
      ruleNfa.set(index, at.offset);
      if (nfas.has(at.offset)) return;
      try {
        if (!Number.isInteger(at.offset) || !Number.isInteger(at.length) || at.offset < 0 || at.length < 0 || at.offset + at.length > bytes.length) {
          throw new Error(`confirmation NFA at ${at.offset} (+${at.length}) lies outside the ${bytes.length}-byte CONFIRM section`);
        }
        nfas.set(at.offset, deserializeNfa(bytes.subarray(at.offset, at.offset + at.length)));
      } catch (e) {
        throw new PackError([{ rule: rule.id, path: "confirm.nfa", message: (e as Error).message }], "pack image");
      }
    });
    return new ConfirmAutomata(ruleNfa, nfas);
  }

  /** The lazy DFA that confirms rule `rule`, or undefined when the rule has no NFA (RegExp confirms it). */
  dfaFor(rule: number): LazyDfa | undefined {
    // By rule index first: one array read per candidate once the rule has been seen.
    const known = this.byRule[rule];
    if (known !== undefined) return known ?? undefined;
    const offset = this.ruleNfa.get(rule);
    let dfa: LazyDfa | undefined;
    if (offset !== undefined) {
      dfa = this.dfas.get(offset);
      if (!dfa) {
        dfa = new LazyDfa(this.nfas.get(offset)!);
        this.dfas.set(offset, dfa);
      }
    }
    this.byRule[rule] = dfa ?? null;
    return dfa;
  }
}

registerConfirmAutomata(ConfirmAutomata);
