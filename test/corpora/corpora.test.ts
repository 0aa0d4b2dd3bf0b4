// The project's own request corpora: the benign corpus (false-positive measurement) and
// the README demo's examples. These tests keep both files well-formed, consistent with
// their headers, and byte-for-byte reproducible from their generators.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BENIGN_COUNT, TAGS, generate } from "./generate-benign";
import { generateExamples } from "./generate-examples";

const here = fileURLToPath(new URL(".", import.meta.url));
const BENIGN_PATH = join(here, "benign-requests.jsonl");
const EXAMPLES_PATH = join(here, "../../examples/requests.jsonl");

interface RequestRecord {
  id: string;
  method: string;
  uri: string;
  headers: [string, string][];
  body: string | null;
  tags: string[];
}

function parseLines(path: string): RequestRecord[] {
  const text = readFileSync(path, "utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text
    .slice(0, -1)
    .split("\n")
    .map((line, index) => {
      try {
        return JSON.parse(line) as RequestRecord;
      } catch (error) {
        throw new Error(`${path}:${index + 1} is not valid JSON: ${String(error)}`);
      }
    });
}

function header(record: RequestRecord, name: string): string | undefined {
  const found = record.headers.find(([n]) => n.toLowerCase() === name);
  return found?.[1];
}

const utf8 = new TextEncoder();
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Shape checks shared by both files; returns the problems found, one line each. */
function shapeProblems(records: RequestRecord[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const record of records) {
    const where = typeof record.id === "string" ? record.id : JSON.stringify(record).slice(0, 60);
    if (typeof record.id !== "string" || record.id === "") problems.push(`${where}: id must be a non-empty string`);
    if (ids.has(record.id)) problems.push(`${where}: duplicate id`);
    ids.add(record.id);
    if (typeof record.method !== "string" || !/^[A-Z]+$/.test(record.method)) problems.push(`${where}: method must be an upper-case token`);
    if (typeof record.uri !== "string" || !(record.uri.startsWith("/") || record.uri === "*")) problems.push(`${where}: uri must be an origin-form target`);
    if (!Array.isArray(record.headers)) problems.push(`${where}: headers must be an array`);
    else {
      for (const pair of record.headers) {
        if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string" || typeof pair[1] !== "string") {
          problems.push(`${where}: header ${JSON.stringify(pair)} must be [name, value] strings`);
        } else if (!TOKEN.test(pair[0])) problems.push(`${where}: header name ${JSON.stringify(pair[0])} is not a token`);
      }
    }
    if (record.body !== null && typeof record.body !== "string") problems.push(`${where}: body must be a string or null`);
    if (!Array.isArray(record.tags) || record.tags.some((t) => typeof t !== "string")) problems.push(`${where}: tags must be strings`);
    if (header(record, "host") === undefined) problems.push(`${where}: no host header`);
  }
  return problems;
}

/** Consistency between headers and body: content-length, JSON, multipart framing. */
function bodyProblems(records: RequestRecord[]): string[] {
  const problems: string[] = [];
  for (const record of records) {
    const length = header(record, "content-length");
    if (length !== undefined) {
      const actual = record.body === null ? 0 : utf8.encode(record.body).length;
      if (Number(length) !== actual) problems.push(`${record.id}: content-length ${length} but body has ${actual} bytes`);
    }
    if (record.body !== null && record.body !== "" && length === undefined && header(record, "transfer-encoding") === undefined) {
      problems.push(`${record.id}: body without content-length`);
    }
    // Media types are case-insensitive; boundary values are not.
    const type = header(record, "content-type") ?? "";
    const mediaType = type.split(";")[0]!.trim().toLowerCase();
    if ((mediaType === "application/json" || mediaType.endsWith("+json")) && record.body) {
      try {
        JSON.parse(record.body);
      } catch {
        problems.push(`${record.id}: ${mediaType} body does not parse`);
      }
    }
    if (mediaType === "multipart/form-data") problems.push(...multipartProblems(record, type));
  }
  return problems;
}

function multipartProblems(record: RequestRecord, contentType: string): string[] {
  const match = /;\s*boundary=("?)([^";]+)\1/i.exec(contentType);
  if (!match) return [`${record.id}: multipart content-type without boundary`];
  const boundary = match[2]!;
  const body = record.body ?? "";
  const problems: string[] = [];
  if (boundary.length > 70) problems.push(`${record.id}: boundary longer than 70 characters`);
  if (!body.startsWith(`--${boundary}\r\n`)) problems.push(`${record.id}: body does not open with the boundary`);
  if (!body.endsWith(`\r\n--${boundary}--\r\n`)) problems.push(`${record.id}: body does not close with the boundary`);
  // RFC 2046: each delimiter is CRLF "--" boundary; the first CRLF belongs to the body start.
  const segments = `\r\n${body}`.split(`\r\n--${boundary}`);
  const parts = segments.slice(1, -1);
  if (parts.length === 0) problems.push(`${record.id}: multipart body has no parts`);
  for (const part of parts) {
    if (!part.startsWith("\r\n")) {
      problems.push(`${record.id}: delimiter not followed by CRLF`);
      continue;
    }
    const content = part.slice(2);
    const split = content.indexOf("\r\n\r\n");
    if (split < 0) {
      problems.push(`${record.id}: part without a header/body separator`);
      continue;
    }
    const headers = content.slice(0, split);
    if (!/^Content-Disposition: form-data; name="[^"\r\n]*"/im.test(headers)) problems.push(`${record.id}: part without Content-Disposition form-data name`);
    if (content.slice(split + 4).includes(`--${boundary}`)) problems.push(`${record.id}: boundary occurs inside a part`);
  }
  return problems;
}

describe("benign request corpus", () => {
  const records = parseLines(BENIGN_PATH);

  it("has at least 2,500 requests and stays under 5 MB", () => {
    expect(records.length).toBeGreaterThanOrEqual(2500);
    expect(records.length).toBe(BENIGN_COUNT);
    expect(statSync(BENIGN_PATH).size).toBeLessThan(5 * 1024 * 1024);
  });

  it("has the required fields with the right types and unique ids", () => {
    expect(shapeProblems(records)).toEqual([]);
    expect(records.every((r) => /^benign-\d{4,}$/.test(r.id))).toBe(true);
  });

  it("keeps content-length, JSON and multipart bodies consistent with their headers", () => {
    expect(bodyProblems(records)).toEqual([]);
  });

  it("encodes targets and form bodies the way clients do (printable ASCII, valid escapes)", () => {
    const problems: string[] = [];
    for (const record of records) {
      if (!/^[\x21-\x7e]+$/.test(record.uri)) problems.push(`${record.id}: uri has raw spaces, controls or non-ASCII`);
      try {
        decodeURIComponent(record.uri);
      } catch {
        problems.push(`${record.id}: uri has an invalid percent-escape`);
      }
      if ((header(record, "content-type") ?? "").startsWith("application/x-www-form-urlencoded")) {
        if (!/^[\x21-\x7e]*$/.test(record.body ?? "")) problems.push(`${record.id}: form body is not fully encoded`);
        try {
          decodeURIComponent((record.body ?? "").replace(/\+/g, " "));
        } catch {
          problems.push(`${record.id}: form body has an invalid percent-escape`);
        }
      }
      for (const [name, value] of record.headers) {
        if (/[\r\n\0]/.test(value)) problems.push(`${record.id}: header ${name} contains CR, LF or NUL`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("covers every tag, uses no others, and keeps lookalikes a minority", () => {
    const counts = new Map<string, number>();
    for (const record of records) for (const tag of record.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    for (const tag of TAGS) expect(counts.get(tag) ?? 0, `tag ${tag}`).toBeGreaterThan(0);
    expect([...counts.keys()].filter((tag) => !(TAGS as readonly string[]).includes(tag))).toEqual([]);
    const lookalikes = counts.get("lookalike") ?? 0;
    expect(lookalikes / records.length).toBeGreaterThan(0.02);
    expect(lookalikes / records.length).toBeLessThan(0.2);
    expect((counts.get("code") ?? 0) / records.length).toBeLessThan(0.03);
  });

  it("spreads across methods and clients", () => {
    const methods = new Set(records.map((r) => r.method));
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]) expect(methods.has(method), method).toBe(true);
    const agents = new Set(records.map((r) => (header(r, "user-agent") ?? "").split("/")[0]));
    expect(agents.size).toBeGreaterThan(20);
  });

  it("equals what generate() produces", () => {
    expect(generate() === readFileSync(BENIGN_PATH, "utf8")).toBe(true);
  });
});

describe("benign corpus generator CLI", () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "wafer-corpora-"));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes identical bytes on every run, equal to the committed corpus", async () => {
    const bundle = join(dir, "gb.mjs");
    await build({ entryPoints: [join(here, "generate-benign.ts")], bundle: true, platform: "node", format: "esm", outfile: bundle, logLevel: "silent" });
    const first = join(dir, "first.jsonl");
    const second = join(dir, "second.jsonl");
    execFileSync(process.execPath, [bundle, first], { stdio: "pipe" });
    execFileSync(process.execPath, [bundle, second], { stdio: "pipe" });
    const a = readFileSync(first);
    const b = readFileSync(second);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(readFileSync(BENIGN_PATH))).toBe(true);
  });
});

describe("README demo examples", () => {
  const records = parseLines(EXAMPLES_PATH);
  const attacks = records.filter((r) => r.id.startsWith("attack-"));
  const ordinary = records.filter((r) => !r.id.startsWith("attack-"));

  it("mixes about 25 ordinary requests with about 15 attacks", () => {
    expect(records.length).toBeGreaterThanOrEqual(35);
    expect(records.length).toBeLessThanOrEqual(50);
    expect(ordinary.length).toBeGreaterThanOrEqual(20);
    expect(attacks.length).toBeGreaterThanOrEqual(15);
  });

  it("has the required fields, unique ids, and consistent bodies", () => {
    expect(shapeProblems(records)).toEqual([]);
    expect(bodyProblems(records)).toEqual([]);
  });

  it("tags each attack with its family and the place it sits in", () => {
    for (const attack of attacks) {
      expect(attack.tags[0], attack.id).toBe("attack");
      expect(attack.tags.length, attack.id).toBe(3);
    }
    const places = new Set(attacks.map((a) => a.tags[2]));
    for (const place of ["query", "path", "form", "json", "header", "cookie", "multipart"]) expect(places.has(place), place).toBe(true);
    for (const request of ordinary) expect(request.tags.includes("attack"), request.id).toBe(false);
  });

  it("equals what generateExamples() produces", () => {
    expect(generateExamples() === readFileSync(EXAMPLES_PATH, "utf8")).toBe(true);
  });
});
