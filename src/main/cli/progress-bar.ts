/**
 * A terminal progress bar for long CLI work (import, backtest, training). Redraws at most every 100 ms on a TTY;
 * elsewhere (CI logs, pipes) prints a line at every 10%.
 */
export class ProgressBar {
  private lastDraw = 0;
  private lastDecile = -1;
  private readonly started = Date.now();

  constructor(
    private readonly label: string,
    private readonly unit: string,
    private readonly out: NodeJS.WritableStream = process.stderr,
    private readonly width = 30,
  ) {}

  update(done: number, total: number): void {
    const now = Date.now();
    const fraction = total > 0 ? Math.min(1, done / total) : 0;
    const tty = (this.out as NodeJS.WriteStream).isTTY === true;
    if (tty) {
      if (now - this.lastDraw < 100 && fraction < 1) return;
      this.lastDraw = now;
      const filled = Math.round(fraction * this.width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(this.width - filled)}`;
      this.out.write(`\r${this.label} ${bar} ${(fraction * 100).toFixed(0).padStart(3)}% ${this.counts(done, total)}`);
    } else {
      const decile = Math.floor(fraction * 10);
      if (decile === this.lastDecile) return;
      this.lastDecile = decile;
      this.out.write(`${this.label}: ${(decile * 10).toString().padStart(3)}% ${this.counts(done, total)}\n`);
    }
  }

  finish(message = 'done'): void {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    const tty = (this.out as NodeJS.WriteStream).isTTY === true;
    this.out.write(`${tty ? '\r\x1b[2K' : ''}${this.label}: ${message} in ${seconds} s\n`);
  }

  private counts(done: number, total: number): string {
    return `${Math.round(done).toLocaleString('en-US')}/${Math.round(total).toLocaleString('en-US')} ${this.unit}`;
  }
}
