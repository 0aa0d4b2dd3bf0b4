/**
 * SecLang parser: logical lines → directives. `SecRule` variables, operator and action list
 * are parsed into structures here; chains (`chain` action) are gathered into one rule with
 * its links. Meaning (what a variable maps to, what TX holds) is the translator's job.
 */
import { SecLangError } from "./errors.js";
import { logicalLines } from "./lexer.js";

/** Where a directive comes from, for errors and the report. */
export interface Source {
  file: string;
  line: number;
}

/** One variable of a rule's target list, e.g. `!REQUEST_COOKIES:/__utm/` or `&ARGS`. */
export interface Variable {
  /** `!` prefix: remove this from the collection. */
  exclude: boolean;
  /** `&` prefix: the number of entries, not their values. */
  count: boolean;
  /** Upper-cased collection name (`ARGS`, `REQUEST_HEADERS`, `TX`…). */
  collection: string;
  /** Key after `:` as written (regex keys keep their slashes: `/^x/`). */
  key?: string;
}

export interface Operator {
  negate: boolean;
  /** Lower-cased operator name without `@` (`rx` when the operator is a bare regex). */
  name: string;
  argument: string;
}

export interface Action {
  /** Lower-cased action name. */
  name: string;
  value?: string;
}

/** One `SecRule` link: the rule itself or a chained condition. */
export interface RuleLink extends Source {
  variables: Variable[];
  operator: Operator;
  actions: Action[];
}

export type Directive =
  | ({ kind: "SecRule"; chain: RuleLink[] } & RuleLink)
  | ({ kind: "SecAction"; actions: Action[] } & Source)
  | ({ kind: "SecMarker"; marker: string } & Source)
  | ({ kind: "SecDefaultAction"; actions: Action[] } & Source)
  | ({ kind: "other"; name: string; args: string[] } & Source);

/** Parses one config file's text into directives, joining chained rules. */
export function parseSecLang(text: string, file: string): Directive[] {
  const out: Directive[] = [];
  let open: ({ kind: "SecRule"; chain: RuleLink[] } & RuleLink) | null = null;
  let expectChain = false;
  for (const { words, line } of logicalLines(text, file)) {
    const name = words[0]!;
    const at = { file, line };
    const fail = (reason: string): never => {
      throw new SecLangError(reason, file, line, name);
    };
    if (/^secrule$/i.test(name)) {
      if (words.length < 3 || words.length > 4) fail(`expected SecRule VARIABLES OPERATOR [ACTIONS], got ${words.length - 1} arguments`);
      const link: RuleLink = {
        ...at,
        variables: parseVariables(words[1]!, fail),
        operator: parseOperator(words[2]!),
        actions: words[3] !== undefined ? parseActions(words[3], fail) : [],
      };
      const chains = link.actions.some((a) => a.name === "chain");
      if (expectChain && open) open.chain.push(link);
      else {
        open = { kind: "SecRule", chain: [], ...link };
        out.push(open);
      }
      expectChain = chains;
      continue;
    }
    if (expectChain) fail(`the previous rule (line ${open!.line}) ends with "chain" but the next directive is not a SecRule`);
    open = null;
    if (/^secaction$/i.test(name)) {
      if (words.length !== 2) fail("expected SecAction ACTIONS");
      out.push({ kind: "SecAction", ...at, actions: parseActions(words[1]!, fail) });
    } else if (/^secmarker$/i.test(name)) {
      if (words.length !== 2) fail("expected SecMarker NAME");
      out.push({ kind: "SecMarker", ...at, marker: words[1]! });
    } else if (/^secdefaultaction$/i.test(name)) {
      if (words.length !== 2) fail("expected SecDefaultAction ACTIONS");
      out.push({ kind: "SecDefaultAction", ...at, actions: parseActions(words[1]!, fail) });
    } else {
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) fail(`not a directive: ${JSON.stringify(name)}`);
      out.push({ kind: "other", ...at, name, args: words.slice(1) });
    }
  }
  if (expectChain && open) throw new SecLangError("the last rule ends with \"chain\" but no rule follows", file, open.line, "SecRule");
  return out;
}

/**
 * `A|!B:key|&C:/re|gex/|XML:/*` → variables. A `|` inside a `/regex/` key or a quoted key
 * does not split; XML keys are XPath expressions and run to the next `|`.
 */
export function parseVariables(text: string, fail: (reason: string) => never): Variable[] {
  const out: Variable[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let exclude = false;
    let count = false;
    while (text[i] === "!" || text[i] === "&") {
      if (text[i] === "!") exclude = true;
      else count = true;
      i++;
    }
    const start = i;
    while (i < n && /[A-Za-z0-9_]/.test(text[i]!)) i++;
    const collection = text.slice(start, i).toUpperCase();
    if (collection === "") fail(`bad variable list ${JSON.stringify(text)} at column ${i + 1}`);
    let key: string | undefined;
    if (text[i] === ":" || text[i] === ".") {
      i++;
      if (collection !== "XML" && text[i] === "/") {
        // Regex key: ends at a `/` (not escaped) that is followed by `|` or the end.
        let j = i + 1;
        while (j < n && !(text[j] === "/" && text[j - 1] !== "\\" && (j + 1 === n || text[j + 1] === "|"))) j++;
        if (j >= n) fail(`unterminated regex key in ${JSON.stringify(text)}`);
        key = text.slice(i, j + 1);
        i = j + 1;
      } else if (text[i] === "'") {
        const j = text.indexOf("'", i + 1);
        if (j < 0) fail(`unterminated quoted key in ${JSON.stringify(text)}`);
        key = text.slice(i + 1, j);
        i = j + 1;
      } else {
        const j = text.indexOf("|", i);
        key = text.slice(i, j < 0 ? n : j);
        i = j < 0 ? n : j;
      }
    }
    out.push({ exclude, count, collection, ...(key !== undefined ? { key } : {}) });
    if (i < n) {
      if (text[i] !== "|") fail(`expected "|" in variable list ${JSON.stringify(text)} at column ${i + 1}`);
      i++;
      if (i === n) fail(`bad variable list ${JSON.stringify(text)}: nothing after the last "|"`);
    }
  }
  if (out.length === 0) fail("empty variable list");
  return out;
}

/** `!@rx foo`, `@pm a b`, `foo` (a bare regex) → operator. */
export function parseOperator(text: string): Operator {
  let s = text;
  let negate = false;
  if (s.startsWith("!")) {
    negate = true;
    s = s.slice(1);
  }
  if (!s.startsWith("@")) return { negate, name: "rx", argument: s };
  const m = /^@([A-Za-z0-9_]+)\s*([\s\S]*)$/.exec(s)!;
  return { negate, name: m[1]!.toLowerCase(), argument: m[2] ?? "" };
}

/**
 * `id:1,phase:2,msg:'a, b',t:none,setvar:'tx.x=+%{tx.y}'` → actions. Values in single
 * quotes may contain commas; `\'` inside them is a quote.
 */
export function parseActions(text: string, fail: (reason: string) => never): Action[] {
  const out: Action[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /[\s,]/.test(text[i]!)) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && text[i] !== ":" && text[i] !== ",") i++;
    const name = text.slice(start, i).trim().toLowerCase();
    if (!/^[a-z0-9_]+$/.test(name)) fail(`bad action name ${JSON.stringify(text.slice(start, i))}`);
    if (text[i] !== ":") {
      out.push({ name });
      continue;
    }
    i++;
    while (i < n && (text[i] === " " || text[i] === "\t")) i++;
    let value = "";
    if (text[i] === "'") {
      i++;
      let closed = false;
      while (i < n) {
        if (text[i] === "\\" && text[i + 1] === "'") {
          value += "'";
          i += 2;
          continue;
        }
        if (text[i] === "'") {
          closed = true;
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      if (!closed) fail(`unterminated quote in action ${name}`);
    } else {
      const j = text.indexOf(",", i);
      value = text.slice(i, j < 0 ? n : j).trim();
      i = j < 0 ? n : j;
    }
    out.push({ name, value });
  }
  return out;
}
