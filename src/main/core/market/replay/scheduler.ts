/**
 * Wall-clock timers for pacing replay. Market logic never reads the wall clock; only the replay clock's pacing and
 * the market service's event batching do, through this interface, so tests drive them with {@link ManualScheduler}.
 */

export interface Scheduler {
  /** Monotonic wall-clock milliseconds. Used only to pace playback and batch events, never as market time. */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds; returns a handle for {@link clearTimeout}. */
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real timers of Node and Electron. */
export const systemScheduler: Scheduler = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

/**
 * A deterministic scheduler: time moves only when {@link advance} is called, and due timers run in time order
 * (ties in the order they were set). `cost` simulates slow consumers: each timer callback advances the clock by the
 * returned number of milliseconds of "work".
 */
export class ManualScheduler implements Scheduler {
  private time: number;
  private seq = 0;
  private timers: Timer[] = [];
  /** Wall time each callback takes (simulated load); 0 by default. */
  workMsPerCallback = 0;

  constructor(startMs = 0) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    // Like Node, a delay below 1 ms is 1 ms: a loop of zero-delay timers still lets time pass.
    const timer = { id: ++this.seq, at: this.time + Math.max(1, ms), fn };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Number of timers waiting. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const next = this.nextDue(end);
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      if (next.at > this.time) this.time = next.at;
      next.fn();
      this.time += this.workMsPerCallback;
    }
    if (end > this.time) this.time = end;
  }

  /** Runs timers until none is left or `maxCallbacks` ran (for as-fast-as-possible replays). */
  runUntilIdle(maxCallbacks = 1_000_000): number {
    let ran = 0;
    while (this.timers.length > 0 && ran < maxCallbacks) {
      const next = this.nextDue(Number.POSITIVE_INFINITY) as Timer;
      this.timers = this.timers.filter((t) => t !== next);
      if (next.at > this.time) this.time = next.at;
      next.fn();
      this.time += this.workMsPerCallback;
      ran++;
    }
    return ran;
  }

  private nextDue(end: number): Timer | null {
    let best: Timer | null = null;
    for (const t of this.timers) {
      if (t.at <= end && (!best || t.at < best.at || (t.at === best.at && t.id < best.id))) best = t;
    }
    return best;
  }
}
