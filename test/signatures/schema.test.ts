/**
 * signatures/pack.schema.json is written by hand for editors; these checks keep it in step
 * with the validator's vocabulary (targets, transforms, operators, rule fields).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Transform } from "../../src/engine/abi.js";
import { TARGET_NAMES } from "../../src/pack/schema.js";
import { validatePack } from "../../src/pack/validate.js";

const schema = JSON.parse(readFileSync(new URL("../../signatures/pack.schema.json", import.meta.url), "utf8"));
const defs = schema.$defs;

describe("pack.schema.json", () => {
  it("lists exactly the validator's target names", () => {
    expect([...defs.target.oneOf[0].enum].sort()).toEqual([...TARGET_NAMES].sort());
  });
  it("lists exactly the transform names", () => {
    const names = Object.keys(Transform).filter((n) => n !== "none").sort();
    expect([...defs.condition.properties.transforms.items.enum].sort()).toEqual(names);
  });
  it("lists exactly the operators the validator accepts", () => {
    const keys = defs.operator.oneOf.map((o: { required: string[] }) => o.required[0]).sort();
    const accepted = keys.filter((k: string) => {
      const value = ["eq", "gt", "ge", "lt", "le"].includes(k) ? 1 : ["pm", "ipMatch"].includes(k) ? ["10.0.0.1"] : ["detectSQLi", "detectXSS", "validateUrlEncoding", "validateUtf8", "exists", "always"].includes(k) ? true : "1-2";
      try {
        validatePack({ name: "t", version: "1.0.0", rules: [{ id: "r", message: "m", family: "f", targets: ["args"], operator: { [k]: value } }] });
        return true;
      } catch {
        return false;
      }
    });
    expect(accepted).toEqual(keys);
    expect(() => validatePack({ name: "t", version: "1.0.0", rules: [{ id: "r", message: "m", family: "f", targets: ["args"], operator: { nope: 1 } }] })).toThrow();
  });
  it("rule fields match the validator's", () => {
    const fields = Object.keys(defs.rule.properties).sort();
    expect(fields).toEqual(["action", "chain", "examples", "family", "id", "message", "negate", "operator", "paranoia", "phase", "score", "severity", "tags", "targets", "transforms"]);
    expect(() => validatePack({ name: "t", version: "1.0.0", rules: [{ id: "r", message: "m", family: "f", targets: ["args"], operator: { contains: "x" }, bogus: 1 }] })).toThrow(/unknown field/);
  });
});
