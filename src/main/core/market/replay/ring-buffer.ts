/** A fixed-capacity FIFO that drops its oldest item when full: recent bars per symbol and timeframe for the chart. */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`Bad ring capacity: ${capacity}`);
    this.items = new Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    const end = (this.start + this.count) % this.capacity;
    this.items[end] = item;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** The newest item, or undefined when empty. */
  last(): T | undefined {
    return this.count === 0 ? undefined : this.items[(this.start + this.count - 1) % this.capacity];
  }

  /** The newest `n` items (all when omitted), oldest first. */
  tail(n = this.count): T[] {
    const k = Math.max(0, Math.min(n, this.count));
    const out: T[] = new Array(k);
    for (let i = 0; i < k; i++) out[i] = this.items[(this.start + this.count - k + i) % this.capacity] as T;
    return out;
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.count = 0;
  }
}
