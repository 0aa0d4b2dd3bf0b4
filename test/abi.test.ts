/**
 * The host/Wasm contract: engine.wasm has no imports (every runtime instantiates it with
 * {}) and exports what the library calls, not the testing build's stage entry points; the
 * constants mirrored between assembly/ and src/ agree.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ABI_VERSION, DESC_SIZE, FieldKind, FIELD_KIND_COUNT, MAX_CHAIN, Transform, TRANSFORM_COUNT } from "../src/engine/abi.js";
import * as format from "../src/pack/format.js";
import { engineModule, instantiateEngine } from "./support/wasm.js";

/** `export const NAME: type = value;` lines of an AssemblyScript file. */
function asConstants(path: string): Map<string, number> {
  const text = readFileSync(new URL(path, import.meta.url), "utf8");
  const out = new Map<string, number>();
  for (const m of text.matchAll(/export const (\w+): \w+ = ([^;]+);/g)) {
    const expr = m[2]!.trim();
    const shift = /^(\d+) << (\d+)$/.exec(expr);
    out.set(m[1]!, shift ? Number(shift[1]) << Number(shift[2]) : Number(expr));
  }
  return out;
}

const camelToConst = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

describe("engine.wasm", () => {
  it("has zero imports and exports its memory", () => {
    expect(WebAssembly.Module.imports(engineModule())).toEqual([]);
    const names = WebAssembly.Module.exports(engineModule()).map((e) => e.name);
    for (const name of ["memory", "configure", "inspect", "packReserve", "packActivate", "abiVersion"]) expect(names).toContain(name);
  });
  it("implements the ABI version the host expects", () => {
    expect(instantiateEngine().exports.abiVersion()).toBe(ABI_VERSION);
  });
  it("ships without the stage entry points, which its testing build adds to the same exports", () => {
    const shipped = new WebAssembly.Module(readFileSync(new URL("../build/engine.wasm", import.meta.url)));
    expect(WebAssembly.Module.imports(shipped)).toEqual([]);
    const shippedNames = WebAssembly.Module.exports(shipped).map((e) => e.name);
    // What the library calls (src/engine/engine.ts EngineExports, the rate limiter) is there.
    for (const name of ["memory", "configure", "inspect", "packActivate", "formDecodeFields", "transformForRule", "rlCheck"]) expect(shippedNames).toContain(name);
    // Entry points into single transforms, automata and detectors are not.
    for (const name of ["transform", "transformChain", "literalScan", "dfaMatch", "detectSqli", "detectXss"]) expect(shippedNames).not.toContain(name);
    const testing = WebAssembly.Module.exports(engineModule()).map((e) => e.name);
    expect(testing).toEqual(expect.arrayContaining(shippedNames));
    expect(testing).toEqual(expect.arrayContaining(["transform", "literalScan", "detectSqli"]));
  });
});

describe("mirrored constants", () => {
  const abi = asConstants("../assembly/abi.ts");
  it("field kinds, descriptor size and chain length", () => {
    for (const [name, id] of Object.entries(FieldKind)) expect(abi.get(`FIELD_${camelToConst(name)}`), name).toBe(id);
    expect(abi.get("FIELD_KIND_COUNT")).toBe(FIELD_KIND_COUNT);
    expect(abi.get("DESC_SIZE")).toBe(DESC_SIZE);
    expect(abi.get("MAX_CHAIN")).toBe(MAX_CHAIN);
    expect(abi.get("ABI_VERSION")).toBe(ABI_VERSION);
  });
  it("transform ids", () => {
    for (const [name, id] of Object.entries(Transform)) expect(abi.get(`T_${camelToConst(name)}`), name).toBe(id);
    expect(abi.get("TRANSFORM_COUNT")).toBe(TRANSFORM_COUNT);
  });
  it("pack layout, operators, flags and actions", () => {
    const layout = asConstants("../assembly/pack-layout.ts");
    expect(layout.get("PACK_FORMAT_VERSION")).toBe(format.FORMAT_VERSION);
    for (const name of ["HEADER_SIZE", "SECTION_ENTRY_SIZE", "RULE_SIZE", "GROUP_SIZE", "SELECTOR_SIZE", "AC_HEADER_SIZE", "FRONT_END_BYTES"] as const)
      expect(layout.get(name), name).toBe(format[name]);
    for (const [name, id] of Object.entries(format.Section)) expect(layout.get(`SECTION_${camelToConst(name)}`), name).toBe(id);
    // detectSQLi ↔ OP_DETECT_SQLI: compare names with underscores removed and case folded.
    const byLooseName = (prefix: string, name: string) =>
      [...layout].find(([k]) => k.startsWith(prefix) && k.slice(prefix.length).replaceAll("_", "") === name.toUpperCase())?.[1];
    for (const [name, id] of Object.entries(format.Op)) expect(byLooseName("OP_", name), name).toBe(id);
    for (const [name, id] of Object.entries(format.RuleFlag)) expect(layout.get(`RF_${camelToConst(name)}`), name).toBe(id);
    for (const [name, id] of Object.entries(format.ActionCode)) expect(layout.get(`ACTION_${camelToConst(name)}`), name).toBe(id);
    for (const [name, id] of Object.entries(format.HitFlag)) expect(layout.get(`HIT_${camelToConst(name)}`), name).toBe(id);
  });
});
