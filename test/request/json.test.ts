import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArrayFieldSink } from "../../src/request/array-field-sink.js";
import { JSON_OK, JSON_STOPPED, JSON_SYNTAX_ERROR, memberPath, parseJsonFields } from "../../src/request/body/json.js";
import { newReport } from "../../src/request/types.js";

function parse(text: string, maxDepth = 32, maxFields = Infinity) {
  const sink = new ArrayFieldSink(maxFields);
  const report = newReport();
  const result = parseJsonFields(text, sink, maxDepth, report);
  return { result, report, fields: sink.fields.map((f) => [f.kindName === "jsonKey" ? "key" : "leaf", f.name, f.value]) };
}

/** Reference: walk JSON.parse's tree the way the tokenizer walks the text. */
function referenceFields(value: unknown, path = "", out: Array<[string, string, unknown]> = []) {
  if (Array.isArray(value)) value.forEach((v, i) => referenceFields(v, `${path}[${i}]`, out));
  else if (value !== null && typeof value === "object") {
    for (const key of Object.keys(value)) {
      const p = memberPath(path, key);
      out.push(["key", p, key]);
      referenceFields((value as Record<string, unknown>)[key], p, out);
    }
  } else out.push(["leaf", path, value]);
  return out;
}

describe("JSON tokenizer: tables", () => {
  it("emits every key and leaf with its path", () => {
    const { result, fields } = parse('{"user":{"name":"ann","emails":["a@x","b@x"],"age":41,"ok":true,"n":null},"":1,"a.b":[[]]}');
    expect(result.outcome).toBe(JSON_OK);
    expect(fields).toEqual([
      ["key", "user", "user"],
      ["key", "user.name", "name"],
      ["leaf", "user.name", "ann"],
      ["key", "user.emails", "emails"],
      ["leaf", "user.emails[0]", "a@x"],
      ["leaf", "user.emails[1]", "b@x"],
      ["key", "user.age", "age"],
      ["leaf", "user.age", "41"],
      ["key", "user.ok", "ok"],
      ["leaf", "user.ok", "true"],
      ["key", "user.n", "n"],
      ["leaf", "user.n", "null"],
      ["key", '[""]', ""],
      ["leaf", '[""]', "1"],
      ["key", '["a.b"]', "a.b"],
    ]);
  });

  it("decodes escapes, including \\u escapes used for evasion and surrogate pairs", () => {
    expect(parse('{"q":"\\u003cscript\\u003e \\"x\\" \\\\ \\/ \\n \\ud83d\\ude00"}').fields[1][2]).toBe('<script> "x" \\ / \n 😀');
  });

  it("keeps duplicate keys (JSON.parse would keep only the last)", () => {
    expect(parse('{"role":"user","role":"admin"}').fields.filter((f) => f[0] === "leaf")).toEqual([
      ["leaf", "role", "user"],
      ["leaf", "role", "admin"],
    ]);
  });

  it("scalars and arrays at the root", () => {
    expect(parse('"x"').fields).toEqual([["leaf", "", "x"]]);
    expect(parse(" [1, -2.5e3] ").fields).toEqual([["leaf", "[0]", "1"], ["leaf", "[1]", "-2.5e3"]]);
    expect(parse("   ").result.outcome).toBe(JSON_OK);
  });

  const malformed: Array<[string, string, boolean, Array<[string, string, string]>]> = [
    ['{"a":1,"b":', "unexpected end of input", true, [["key", "a", "a"], ["leaf", "a", "1"], ["key", "b", "b"]]],
    ['{"a":"unterminated', "unterminated string", true, [["key", "a", "a"]]],
    ['{"a":1} trailing', "unexpected data after the JSON value", false, [["key", "a", "a"], ["leaf", "a", "1"]]],
    ["{a:1}", "expected a string key", false, []],
    ['["x" "y"]', "unexpected '\"'", false, [["leaf", "[0]", "x"]]],
    ['{"a":tru', "invalid literal", true, [["key", "a", "a"]]],
    ['{"a":"\\q"}', "invalid escape", false, [["key", "a", "a"]]],
    ["[1,}", "unexpected '}'", false, [["leaf", "[0]", "1"]]],
  ];
  for (const [text, message, atEnd, fields] of malformed) {
    it(`malformed ${JSON.stringify(text)} keeps what was parsed and says why`, () => {
      const { result, fields: got } = parse(text);
      expect(result.outcome).toBe(JSON_SYNTAX_ERROR);
      expect(result.message).toContain(message);
      expect(result.atEnd).toBe(atEnd);
      expect(got).toEqual(fields);
    });
  }

  it("emits a subtree deeper than the limit as raw text and reports it once", () => {
    const { result, report, fields } = parse('{"a":{"b":{"c":[1]}},"z":[[2]]}', 2);
    expect(result.outcome).toBe(JSON_OK);
    expect(fields).toEqual([
      ["key", "a", "a"],
      ["key", "a.b", "b"],
      ["leaf", "a.b", '{"c":[1]}'],
      ["key", "z", "z"],
      ["leaf", "z[0]", "[2]"],
    ]);
    expect(report.truncated).toHaveLength(1);
    expect(report.truncated[0].limit).toBe("jsonDepth");
  });

  it("a 100 000-deep document stays bounded (no recursion) and is reported", () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    const { result, report, fields } = parse(deep, 32);
    expect(result.outcome).toBe(JSON_OK);
    expect(fields).toHaveLength(1);
    expect(report.truncated[0].limit).toBe("jsonDepth");
  });

  it("stops when the sink refuses", () => {
    expect(parse("[1,2,3,4]", 32, 2).result.outcome).toBe(JSON_STOPPED);
  });
});

describe("JSON tokenizer: properties", () => {
  /** Our representation of a reference leaf: numbers and literals as their JSON text. */
  const leafText = (v: unknown) => (typeof v === "string" ? v : String(v));
  const sorted = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();

  it("agrees with JSON.parse on valid JSON: same keys, same leaves, same paths", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom(undefined, 2), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const { result, fields } = parse(text, 64);
        expect(result.outcome).toBe(JSON_OK);
        const expected = referenceFields(JSON.parse(text)).map(([k, p, v]) => [k, p, k === "key" ? v : leafText(v)]);
        // Sorted: JavaScript objects list integer-like keys first, the text lists them in order.
        expect(sorted(fields)).toEqual(sorted(expected));
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on arbitrary text and reports depth at most once", () => {
    const jsonish = fc.array(fc.constantFrom("{", "}", "[", "]", '"', ":", ",", "\\", "a", "1", " ", "true", '"k"', "\\u00"), {
      maxLength: 60,
    });
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), jsonish.map((a) => a.join(""))), fc.integer({ min: 0, max: 4 }), (text, depth) => {
        const { report, result } = parse(text, depth);
        expect(report.truncated.length).toBeLessThanOrEqual(1);
        expect([JSON_OK, JSON_SYNTAX_ERROR]).toContain(result.outcome);
      }),
      { numRuns: 3000 },
    );
  });

  it("never descends deeper than the limit", () => {
    const { nested } = fc.letrec<{ nested: unknown }>((tie) => ({
      nested: fc.oneof({ depthSize: "small", withCrossShrink: true }, fc.integer(), fc.array(tie("nested"), { maxLength: 3 })),
    }));
    fc.assert(
      fc.property(nested, fc.integer({ min: 0, max: 5 }), (value, depth) => {
        const { fields, result } = parse(JSON.stringify(value), depth);
        expect(result.outcome).toBe(JSON_OK);
        for (const [, path] of fields) expect(path.split("[").length - 1).toBeLessThanOrEqual(depth);
      }),
      { numRuns: 1000 },
    );
  });
});
