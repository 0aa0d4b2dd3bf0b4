/** A progress bar on stderr, drawn only when stderr is a terminal (never in pipes or CI logs). */
export class Progress {
  private readonly tty: boolean;
  private lastDraw = 0;

  constructor(private readonly total: number, private readonly label: string) {
    this.tty = Boolean(process.stderr.isTTY) && total > 0;
  }

  update(done: number): void {
    if (!this.tty) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && done < this.total) return;
    this.lastDraw = now;
    const width = 30;
    const filled = Math.round((done / this.total) * width);
    process.stderr.write(`\r${this.label} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${this.total}`);
  }

  finish(): void {
    if (this.tty) process.stderr.write("\r\x1b[K");
  }
}
