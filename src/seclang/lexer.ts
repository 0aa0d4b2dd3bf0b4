/**
 * SecLang lexer: config text → logical lines → words, the way Apache/ModSecurity read a
 * config file (ap_getword_conf): a `\` at the very end of a line joins it with the next,
 * `#` starts a comment line, words are separated by blanks, and a word may be quoted with
 * `"` or `'`. Inside quotes only `\<quote>` is an escape (it yields the quote); every other
 * backslash stays, so regexes keep their `\d`, `\\` and friends byte for byte.
 */
import { SecLangError } from "./errors.js";

/** One directive's words with where it starts. */
export interface LogicalLine {
  words: string[];
  file: string;
  /** 1-based line of the directive's first physical line. */
  line: number;
}

/** Splits a config file into logical lines (continuations joined, comments and blanks dropped). */
export function logicalLines(text: string, file: string): LogicalLine[] {
  const physical = text.split(/\r?\n/);
  const out: LogicalLine[] = [];
  let buffer = "";
  let startLine = 0;
  for (let i = 0; i < physical.length; i++) {
    let line = physical[i]!;
    if (buffer === "") {
      const trimmed = line.trimStart();
      if (trimmed === "" || trimmed.startsWith("#")) continue;
      startLine = i + 1;
    }
    // ModSecurity only joins on a backslash that is the very last character; tolerate
    // trailing blanks after it, which editors leave behind and Apache also accepts.
    const stripped = line.replace(/[ \t]+$/, "");
    if (stripped.endsWith("\\")) {
      line = stripped.slice(0, -1);
      buffer += line;
      if (i === physical.length - 1) out.push({ words: splitWords(buffer, file, startLine), file, line: startLine });
      continue;
    }
    buffer += line;
    out.push({ words: splitWords(buffer, file, startLine), file, line: startLine });
    buffer = "";
  }
  return out;
}

/** Splits one logical line into words, honouring quotes. */
export function splitWords(line: string, file: string, lineNo: number): string[] {
  const words: string[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && (line[i] === " " || line[i] === "\t")) i++;
    if (i >= n) break;
    const quote = line[i] === '"' || line[i] === "'" ? line[i]! : "";
    if (quote) {
      i++;
      let word = "";
      let closed = false;
      while (i < n) {
        const c = line[i]!;
        if (c === "\\" && line[i + 1] === quote) {
          word += quote;
          i += 2;
          continue;
        }
        if (c === quote) {
          closed = true;
          i++;
          break;
        }
        word += c;
        i++;
      }
      if (!closed) throw new SecLangError(`unterminated ${quote} quote`, file, lineNo, words[0]);
      words.push(word);
    } else {
      const start = i;
      while (i < n && line[i] !== " " && line[i] !== "\t") i++;
      words.push(line.slice(start, i));
    }
  }
  return words;
}
