/**
 * Where an engine finds the confirmation automata's code (confirm-automata.ts: the lazy DFA
 * and the NFA reader). The runtime entries do not bundle it — every cold start would parse
 * its ~9 KB, and only packs with regexes over the DFA budget (an imported CRS) need it — so
 * it is dist/confirm.js (`wafer/confirm`), loaded by `createWafer({ pack })` and `updatePack`
 * when the pack has a CONFIRM section, and registered here when it is evaluated. A realm-wide
 * slot, as the rate limiter's (src/ratelimit/registry.ts), so that the application's
 * `import("wafer/confirm")` is visible to a synchronous `new Wafer` or `loadPack`.
 */
import type { ConfirmAutomata } from "./confirm-automata";

const SLOT = Symbol.for("wafer.confirm.ConfirmAutomata");

type Slot = { [SLOT]?: typeof ConfirmAutomata };

let own: typeof ConfirmAutomata | undefined;

export function registerConfirmAutomata(automata: typeof ConfirmAutomata, loadedByThisBundle = false): void {
  if (loadedByThisBundle) own ??= automata;
  (globalThis as Slot)[SLOT] ??= automata;
}

/** The ConfirmAutomata class to use, or undefined while no copy has been loaded. */
export function registeredConfirmAutomata(): typeof ConfirmAutomata | undefined {
  return own ?? (globalThis as Slot)[SLOT];
}

let loaded = false;

/** Loads and registers the confirmation automata (a dynamic import of dist/confirm.js in the built package). */
export async function loadConfirmAutomata(): Promise<void> {
  if (loaded) return;
  const { ConfirmAutomata } = await import("./confirm-automata");
  registerConfirmAutomata(ConfirmAutomata, true);
  loaded = true;
}
