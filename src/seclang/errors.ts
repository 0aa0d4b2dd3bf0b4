/** A SecLang syntax error that names the file, the line and the directive. */
export class SecLangError extends Error {
  constructor(
    readonly reason: string,
    readonly file: string,
    readonly line: number,
    readonly directive?: string,
  ) {
    super(`${file}:${line}${directive ? ` ${directive}` : ""}: ${reason}`);
    this.name = "SecLangError";
  }
}
