/**
 * The command bar's history, as a shell keeps one: ↑ walks back through what was asked, ↓ walks forward and ends on
 * the draft that was being typed before the walk began. Asking the same thing twice in a row is remembered once.
 */
export class CommandHistory {
  private readonly entries: string[];
  /** Index into `entries` while walking; `entries.length` means "at the draft". */
  private cursor: number;
  private draft = '';

  constructor(
    initial: readonly string[] = [],
    private readonly max = 50,
  ) {
    this.entries = initial.filter((e) => e.trim() !== '').slice(-max);
    this.cursor = this.entries.length;
  }

  /** Everything remembered, oldest first. */
  list(): readonly string[] {
    return this.entries;
  }

  /** Remembers a submitted command and ends any walk. */
  push(text: string): void {
    const trimmed = text.trim();
    if (trimmed !== '' && this.entries.at(-1) !== trimmed) {
      this.entries.push(trimmed);
      if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
    }
    this.cursor = this.entries.length;
    this.draft = '';
  }

  /** The previous command (↑), or null at the oldest one. `current` is kept as the draft when the walk starts. */
  back(current: string): string | null {
    if (this.entries.length === 0 || this.cursor === 0) return null;
    if (this.cursor === this.entries.length) this.draft = current;
    this.cursor--;
    return this.entries[this.cursor] ?? null;
  }

  /** The next command (↓), the draft after the newest, or null when not walking. */
  forward(): string | null {
    if (this.cursor >= this.entries.length) return null;
    this.cursor++;
    return this.cursor === this.entries.length ? this.draft : (this.entries[this.cursor] ?? null);
  }
}
