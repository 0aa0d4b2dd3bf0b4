/**
 * Loads prepare.ts on demand. In the built package this dynamic import stays an import of
 * dist/pack-update.js next to the bundle (scripts/build.mjs), so reading and verifying
 * packs costs a cold start nothing until `updatePack` or `verifyPack` first runs; bundlers
 * follow it like any import.
 */
export function loadPackUpdate(): Promise<typeof import("./prepare.js")> {
  return import("./prepare.js");
}
