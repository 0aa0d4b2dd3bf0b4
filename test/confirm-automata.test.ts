/**
 * Regexes over the DFA state budget, and regexes with lookarounds, end to end: the pack
 * carries their exact NFAs (the CONFIRM section), the engine confirms candidates with a lazy DFA in linear time rather than
 * with a backtracking RegExp, its code loads on demand (src/engine/confirm-registry.ts), and a
 * damaged NFA is refused at load with the rule named while the current pack stays in force.
 * The order of the tests matters: the first runs before anything has loaded the lazy DFA.
 */
import { describe, expect, it } from "vitest";
import { bindRuntime } from "../src/core.js";
import { loadConfirmAutomata, registeredConfirmAutomata } from "../src/engine/confirm-registry.js";
import { Wafer } from "../src/engine/engine.js";
import { packChecksum } from "../src/pack/checksum.js";
import { compilePack, type RuleMeta } from "../src/pack/compile.js";
import { PackError } from "../src/pack/errors.js";
import { Section } from "../src/pack/format.js";
import { readPackHeader, readPackMeta, readSection } from "../src/pack/reader.js";
import type { LazyDfa } from "../src/regex/lazy-dfa.js";
import { engineModule } from "./support/wasm.js";
import { defaultPackImage } from "./support/engine.js";

const get = (url: string) => ({ method: "GET", url, headers: { host: "x" } });
// An evasion-tolerant command list, CRS 932230's shape: 908 DFA states, over a budget of 300.
const gadget = String.raw`["'\)\[\x5c]*(?:(?:(?:\|\||&&)[\s\x0b]*)?\$[!#\(\*\-0-9\?@_a-\{]*)?\x5c?`;
const word = (w: string) => [...w].join(gadget);
const pattern = `(?i)(?:${["curl", "wget", "bash", "python", "perl", "nc", "cat", "echo"].map(word).join("|")})`;
const compiled = compilePack(
  {
    name: "t",
    version: "1.0.0",
    rules: [
      { id: "rce", message: "m", family: "rce", severity: "critical", targets: ["args"], operator: { rx: pattern } },
      // The same regex twice: one NFA in the section, shared.
      { id: "rce-2", message: "m", family: "rce", severity: "critical", targets: ["args"], operator: { rx: pattern }, paranoia: 2 },
    ],
  },
  { stateBudget: 300 },
);
const image = compiled.image;

describe("regexes over the DFA budget", () => {
  it("are compiled with their exact NFA in the pack's CONFIRM section, one per distinct regex", () => {
    expect(compiled.report.overBudget).toBe(2);
    expect(compiled.report.confirmed).toBe(2);
    expect(compiled.report.confirmedByBacktracking).toBe(0);
    const section = readSection(image, Section.confirm);
    expect(section?.count).toBe(1);
    const rules = readPackMeta(image).rules as RuleMeta[];
    expect(rules[0]!.confirm?.nfa).toEqual(rules[1]!.confirm?.nfa);
    expect(rules[0]!.confirm!.nfa!.length).toBeGreaterThan(0);
  });

  it("need the lazy DFA's code: a synchronous engine without it is refused with how to load it", () => {
    expect(registeredConfirmAutomata()).toBeUndefined();
    expect(() => new Wafer(engineModule(), image)).toThrow(/loads on demand.*createWafer.*wafer\/confirm/s);
    // A pack without such regexes needs nothing.
    expect(new Wafer(engineModule(), defaultPackImage()).inspectSync(get("/?q=hello")).allowed).toBe(true);
  });

  it("load it through createWafer({ pack })", async () => {
    const runtime = bindRuntime(async () => engineModule(), async () => defaultPackImage());
    const wafer = await runtime.createWafer({ pack: image, mode: "block" });
    expect(registeredConfirmAutomata()).toBeDefined();
    expect(wafer.inspectSync(get("/?x=1%3Bc%27u%27rl%20http%3A%2F%2Fevil")).denied).toBe(true);
  });

  it("confirm exactly what RegExp confirms", async () => {
    await loadConfirmAutomata();
    const wafer = new Wafer(engineModule(), image, { mode: "block" });
    const re = new RegExp(pattern.slice(4), "i");
    const values = ["1;curl x", "a|w$IFSget ", "&& bash", ";py\\thon<", "c$u", "hello world", "ec'h'o", "\nPERL", "x;b'a'sh)", "pyth", "n\\c", "ca"];
    for (const v of values) {
      expect(wafer.inspectSync(get(`/?x=${encodeURIComponent(v)}`)).denied, v).toBe(re.test(v));
    }
  });

  it("take linear time on the inputs that make RegExp backtrack (work counted, not timed)", async () => {
    await loadConfirmAutomata();
    const works: number[] = [];
    for (const n of [2000, 4000, 8000, 16000]) {
      const wafer = new Wafer(engineModule(), image, { mode: "monitor" });
      const d = wafer.inspectSync(get(`/?x=${"%0A%24a".repeat(n)}c%27u%24`));
      expect(d.matches).toEqual([]);
      const automata = (wafer as unknown as { current: { confirmAutomata: { dfaFor(r: number): LazyDfa } } }).current.confirmAutomata;
      works.push(automata.dfaFor(0).work);
    }
    expect(works[0]).toBeGreaterThan(0); // the lazy DFA confirmed, not a RegExp
    for (let i = 1; i < works.length; i++) expect(works[i]!, works.join(", ")).toBeLessThanOrEqual(2.2 * works[i - 1]!);
  });

  it("refuse a damaged NFA at load, naming the rule, and keep the current pack", async () => {
    await loadConfirmAutomata();
    const wafer = new Wafer(engineModule(), defaultPackImage());
    const bad = image.slice();
    const section = readSection(bad, Section.confirm)!;
    new DataView(bad.buffer).setUint32(section.offset, 0xffffff, true); // the state count
    new DataView(bad.buffer).setUint32(20, packChecksum(bad), true);
    let error: unknown;
    try {
      wafer.loadPack(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PackError);
    expect((error as PackError).message).toMatch(/rule rce: confirm\.nfa: confirmation NFA: state count/);
    expect(wafer.pack.name).toBe(readPackMeta(defaultPackImage(), readPackHeader(defaultPackImage())).name);
    expect(wafer.inspectSync(get("/?q=hello")).allowed).toBe(true);
  });
});

describe("regexes with lookarounds", () => {
  // The lookahead makes V8 backtrack exponentially at every start; the lookbehind needs a
  // non-letter before `admin`. A backreference still needs the host RegExp.
  const lookaround = String.raw`(?<![a-z])admin(?=(\w+\s?)*$)`;
  const withLookarounds = compilePack({
    name: "t",
    version: "1.0.0",
    rules: [
      { id: "look", message: "m", family: "test", severity: "critical", targets: ["args"], operator: { rx: lookaround } },
      { id: "backref", message: "m", family: "test", severity: "critical", targets: ["args"], operator: { rx: String.raw`(\w+)=evil\1` } },
    ],
  });

  it("are confirmed by a lazy DFA over their exact NFA; only the backreference by RegExp", () => {
    expect(withLookarounds.report.confirmed).toBe(2);
    expect(withLookarounds.report.confirmedByBacktracking).toBe(1);
    const rules = readPackMeta(withLookarounds.image).rules as RuleMeta[];
    expect(rules[0]!.confirm?.nfa).toBeDefined();
    expect(rules[1]!.confirm?.nfa).toBeUndefined();
  });

  it("confirm exactly what RegExp confirms", async () => {
    await loadConfirmAutomata();
    const wafer = new Wafer(engineModule(), withLookarounds.image, { mode: "monitor" });
    const look = new RegExp(lookaround);
    const backref = /(\w+)=evil\1/;
    const values = ["admin", "sysadmin", "/admin panel", "admin;", "admin x y", "1admin", "ab=evilab", "ab=evilba", "x admin!", "ADMIN"];
    for (const v of values) {
      const rules = wafer.inspectSync(get(`/?x=${encodeURIComponent(v)}`)).matches.map((m) => m.rule).sort();
      expect(rules, v).toEqual([...(backref.test(v) ? ["backref"] : []), ...(look.test(v) ? ["look"] : [])]);
    }
  });

  it("take linear time on the input that makes RegExp backtrack exponentially (work counted, not timed)", async () => {
    await loadConfirmAutomata();
    const works: number[] = [];
    for (const n of [1000, 2000, 4000, 8000]) {
      const wafer = new Wafer(engineModule(), withLookarounds.image, { mode: "monitor" });
      const d = wafer.inspectSync(get(`/?x=admin${"aaaa%20".repeat(n / 5)}%23`));
      expect(d.matches).toEqual([]);
      const automata = (wafer as unknown as { current: { confirmAutomata: { dfaFor(r: number): LazyDfa } } }).current.confirmAutomata;
      works.push(automata.dfaFor(0).work);
    }
    expect(works[0]).toBeGreaterThan(0);
    for (let i = 1; i < works.length; i++) expect(works[i]!, works.join(", ")).toBeLessThanOrEqual(2.2 * works[i - 1]!);
  });
});

describe("regexes that still need a backtracking RegExp", () => {
  // CRS 942130 as the SecLang importer writes it (its chained `TX:1 @streq %{TX.2}` is the
  // backreference). crs-toolchain starts it with an optional run of quotes and spaces, which
  // V8 retries from every start position: 64,000 spaces before `a=b` took 6 s.
  const S = String.raw`[\s\x0b"'-\)` + "`]";
  const crs942130 = String.raw`(?i)${S}*?\b([0-9A-Z_a-z]+)\b${S}*?(?:=|<=>|(?:sounds[\s\x0b]+)?like|glob|r(?:like|egexp))${S}*?\b(\1)\b`;
  const pack = compilePack({
    name: "t",
    version: "1.0.0",
    rules: [{ id: "942130", message: "m", family: "sqli", severity: "critical", targets: ["args"], operator: { rx: crs942130 } }],
  });

  it("are stored without the optional repeat they start with", () => {
    expect(pack.report.confirmedByBacktracking).toBe(1);
    const [rule] = readPackMeta(pack.image).rules as RuleMeta[];
    expect(rule!.confirm?.nfa).toBeUndefined();
    expect(rule!.confirm!.source.startsWith("\\b(")).toBe(true);
    expect(rule!.confirm!.flags).toContain("i");
  });

  it("confirm what the pattern as written matches", () => {
    const wafer = new Wafer(engineModule(), pack.image, { mode: "monitor" });
    const asWritten = new RegExp(String.raw`${S}*?\b([0-9A-Z_a-z]+)\b${S}*?(?:=|<=>|(?:sounds[\s\x0b]+)?like|glob|r(?:like|egexp))${S}*?\b(\1)\b`, "i");
    const values = ["1=1", "a = a", "' or 'x'='x", "x like X", "a=b", `${" ".repeat(300)}a=b`, `${"'".repeat(300)}id=ID`, "name glob name", "a sounds  like a", "abc"];
    for (const v of values) {
      const fired = wafer.inspectSync(get(`/?q=${encodeURIComponent(v)}`)).matches.some((m) => m.rule === "942130");
      expect(fired, JSON.stringify(v)).toBe(asWritten.test(v));
    }
  });
});

describe("backreferences to a capture of a few strings", () => {
  // Written out (src/regex/backreference-expansion.ts): `'evil'|"evil"`, an exact NFA.
  const pack = compilePack({
    name: "t",
    version: "1.0.0",
    rules: [{ id: "quoted", message: "m", family: "test", severity: "critical", targets: ["args"], operator: { rx: String.raw`(['"])evil\1` } }],
  });

  it("are confirmed by the lazy DFA, not by RegExp, and as RegExp would", async () => {
    expect(pack.report.confirmed).toBe(1);
    expect(pack.report.confirmedByBacktracking).toBe(0);
    expect((readPackMeta(pack.image).rules as RuleMeta[])[0]!.confirm?.nfa).toBeDefined();
    await loadConfirmAutomata();
    const wafer = new Wafer(engineModule(), pack.image, { mode: "monitor" });
    const re = /(['"])evil\1/;
    for (const v of [`'evil'`, `"evil"`, `"evil'`, `'evil"`, "evil", `x"evil"y`]) {
      const fired = wafer.inspectSync(get(`/?q=${encodeURIComponent(v)}`)).matches.some((m) => m.rule === "quoted");
      expect(fired, v).toBe(re.test(v));
    }
  });
});

describe("possessive repeats of one character", () => {
  // Rewritten as a greedy repeat and a negative lookahead (src/regex/possessive-rewrite.ts).
  const pack = compilePack({
    name: "t",
    version: "1.0.0",
    rules: [{ id: "quoted", message: "m", family: "test", severity: "critical", targets: ["args"], operator: { rx: String.raw`select"[^"]*+"` } }],
  });

  it("are confirmed by the lazy DFA, not by RegExp, and as the emulation would", async () => {
    expect(pack.report.confirmedByBacktracking).toBe(0);
    expect((readPackMeta(pack.image).rules as RuleMeta[])[0]!.confirm?.nfa).toBeDefined();
    await loadConfirmAutomata();
    const wafer = new Wafer(engineModule(), pack.image, { mode: "monitor" });
    const re = /select"(?=([^"]*))\1"/;
    for (const v of [`select"a"`, `select"ab`, `select""`, `select"a"b"`, "select"]) {
      const fired = wafer.inspectSync(get(`/?q=${encodeURIComponent(v)}`)).matches.some((m) => m.rule === "quoted");
      expect(fired, v).toBe(re.test(v));
    }
  });
});
