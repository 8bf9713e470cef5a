/**
 * The replay clock: plays a {@link BarFeed} in market time. Ticks are released when market time passes them and a
 * step's bars complete at the step's end, so nothing downstream ever sees a price before its time.
 *
 * Pacing: at speed S, market time advances S ms per wall-clock ms (1 = real time, up to 10,000); 'max' plays as fast
 * as the consumers keep up, in slices that yield to the event loop so the app stays responsive. Market closures
 * (nights, weekends, holidays) are skipped rather than waited out. Under load the clock never builds a backlog:
 * a frame does a bounded amount of work, and wall time lost to a stall or to slow consumers is dropped, so the
 * replay runs slower than asked (see `effectiveSpeed`) instead of bursting to catch up.
 *
 * The wall clock (the injected {@link Scheduler}) is used for pacing only. Market time comes from the feed.
 */
import type { Tick } from '../../../../shared/domain/market';
import { AppError } from '../../../../shared/result';
import { sessionContaining } from '../sessions';
import type { BarFeed, FeedStep } from './feed';
import type { Scheduler } from './scheduler';

/** Fastest paced speed. */
export const MAX_PACED_SPEED = 10_000;
/** Slowest speed: real time. */
export const MIN_SPEED = 1;

/** × real time (1 to 10,000), or 'max': as fast as consumers keep up. */
export type ReplaySpeed = number | 'max';

/** The clock's own state. */
export interface ClockState {
  playing: boolean;
  speed: ReplaySpeed;
  /** Current market time, UTC epoch ms. */
  marketT: number;
  /** True when the feed has no more data (stored series played to their end). */
  ended: boolean;
  /** Market ms played per wall ms over the last second of play (gaps skipped not counted); null when idle. */
  effectiveSpeed: number | null;
}

/** Where the clock delivers what it plays. Calls come in market-time order. */
export interface ClockSink {
  /** A step begins: market time is at its start (closures before it were skipped). */
  stepStarted(step: FeedStep): void;
  /** Ticks whose time has come, in time order. */
  ticks(ticks: Tick[]): void;
  /** The step's bars are complete (market time reached `step.endT`). */
  stepCompleted(step: FeedStep): void;
  /** The clock jumped (seek): consumers rebuild their state as of `marketT`. Called before any tick after it. */
  reset(marketT: number): void;
  /** The clock's state changed (play, pause, speed, seek, end, effective speed). */
  state(state: ClockState): void;
}

export interface ReplayClockOptions {
  scheduler: Scheduler;
  /** Market time to start at (see {@link ReplayClock.seek}); the feed's current position when omitted. */
  startT?: number;
  speed?: ReplaySpeed;
  /** Shortest wall time between paced frames (ms). */
  frameMs?: number;
  /** Longest wall time between paced frames (ms), so market time shown by the UI keeps moving. */
  maxFrameMs?: number;
  /** Wall time one frame may spend delivering (ms) before the rest is dropped (paced) or deferred (max). */
  frameBudgetMs?: number;
  /** Longest wall interval a paced frame accounts for; the rest of a stall is dropped, not caught up. */
  maxCatchUpMs?: number;
  /** Most steps one frame delivers, whatever the wall clock says (bounds a slice when time is simulated). */
  maxStepsPerFrame?: number;
  /** Called when delivering throws; the clock pauses. */
  onError?: (error: unknown) => void;
}

/** Closed periods shorter than this inside a session are waited out (a missing minute); longer ones skipped. */
const GAP_SKIP_MS = 15 * 60_000;

/** Validates a speed; throws BAD_INPUT for anything outside 1–10,000 or 'max'. */
export function checkSpeed(speed: unknown): ReplaySpeed {
  if (speed === 'max') return speed;
  if (typeof speed !== 'number' || !Number.isFinite(speed) || speed < MIN_SPEED || speed > MAX_PACED_SPEED) {
    throw new AppError('BAD_INPUT', `Speed must be from ${MIN_SPEED}× (real time) to ${MAX_PACED_SPEED}×, or max`);
  }
  return speed;
}

/** Plays one feed; a new session gets a new clock (see {@link ReplayClock.dispose}). */
export class ReplayClock {
  private readonly scheduler: Scheduler;
  private readonly frameMs: number;
  private readonly maxFrameMs: number;
  private readonly frameBudgetMs: number;
  private readonly maxCatchUpMs: number;
  private readonly maxStepsPerFrame: number;
  private marketT: number;
  private speed: ReplaySpeed;
  private playing = false;
  private ended = false;
  private current: FeedStep | null = null;
  private tickIndex = 0;
  private timer: unknown = null;
  private lastWall = 0;
  private disposed = false;
  // Effective speed: market time played and wall time spent since the window began.
  private windowWall = 0;
  private windowMarket = 0;
  private effectiveSpeed: number | null = null;

  constructor(
    private readonly feed: BarFeed,
    private readonly sink: ClockSink,
    private readonly options: ReplayClockOptions,
  ) {
    this.scheduler = options.scheduler;
    this.frameMs = options.frameMs ?? 16;
    this.maxFrameMs = options.maxFrameMs ?? 250;
    this.frameBudgetMs = options.frameBudgetMs ?? 40;
    this.maxCatchUpMs = options.maxCatchUpMs ?? 250;
    this.maxStepsPerFrame = options.maxStepsPerFrame ?? 5_000;
    this.speed = checkSpeed(options.speed ?? 1);
    this.marketT = feed.firstT;
    this.jump(options.startT ?? feed.peek()?.startT ?? feed.firstT);
  }

  state(): ClockState {
    return {
      playing: this.playing,
      speed: this.speed,
      marketT: Math.floor(this.marketT),
      ended: this.ended,
      effectiveSpeed: this.playing ? this.effectiveSpeed : null,
    };
  }

  /** Starts or resumes playback. Refused (CONFLICT) at the end of the data. */
  play(): ClockState {
    this.checkAlive();
    if (this.ended) {
      throw new AppError('CONFLICT', 'The replay reached the end of its data; seek to an earlier date to play again');
    }
    if (!this.playing) {
      this.playing = true;
      this.lastWall = this.scheduler.now();
      this.windowWall = 0;
      this.windowMarket = 0;
      this.effectiveSpeed = null;
      this.schedule(0);
      this.emitState();
    }
    return this.state();
  }

  pause(): ClockState {
    if (this.playing) {
      this.playing = false;
      this.cancelTimer();
      this.emitState();
    }
    return this.state();
  }

  /**
   * Plays exactly one step (one bar of the base timeframe): the rest of the step in progress, or the next one.
   * Pauses first when playing.
   */
  step(): ClockState {
    this.checkAlive();
    if (this.playing) {
      this.playing = false;
      this.cancelTimer();
    }
    if (this.ended) {
      throw new AppError('CONFLICT', 'The replay reached the end of its data; seek to an earlier date');
    }
    if (!this.current && this.beginStep(Number.POSITIVE_INFINITY, true) === null) {
      this.emitState();
      return this.state();
    }
    this.complete();
    this.emitState();
    return this.state();
  }

  /**
   * Jumps to market time `t`: the step in progress at `t` (or the first one after it, when `t` falls in a closure)
   * becomes current, and its ticks up to `t` are delivered. Keeps playing when playing. Bars between the old and the
   * new position are not delivered: consumers get `reset` and rebuild from history.
   */
  seek(t: number): ClockState {
    this.checkAlive();
    this.jump(t);
    this.lastWall = this.scheduler.now();
    if (this.playing) {
      this.cancelTimer();
      this.schedule(0);
    }
    this.emitState();
    return this.state();
  }

  setSpeed(speed: ReplaySpeed): ClockState {
    this.checkAlive();
    this.speed = checkSpeed(speed);
    this.windowWall = 0;
    this.windowMarket = 0;
    this.effectiveSpeed = null;
    if (this.playing) {
      this.cancelTimer();
      this.lastWall = this.scheduler.now();
      this.schedule(0);
    }
    this.emitState();
    return this.state();
  }

  /** Stops the clock for good (a new session replaces it). */
  dispose(): void {
    this.playing = false;
    this.cancelTimer();
    this.disposed = true;
  }

  private checkAlive(): void {
    if (this.disposed) throw new AppError('CONFLICT', 'This replay was replaced by another one');
  }

  private jump(t: number): void {
    this.feed.seek(t);
    this.current = null;
    this.tickIndex = 0;
    const next = this.feed.peek();
    this.ended = next === null;
    this.marketT = next ? Math.max(t, next.startT) : t;
    this.sink.reset(this.marketT);
    if (next) {
      this.beginStep(0, true);
      this.release(this.marketT);
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer !== null || this.disposed) return;
    this.timer = this.scheduler.setTimeout(() => {
      this.timer = null;
      this.frame();
    }, delayMs);
  }

  private cancelTimer(): void {
    if (this.timer !== null) {
      this.scheduler.clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private frame(): void {
    if (!this.playing || this.disposed) return;
    const start = this.scheduler.now();
    const wall = start - this.lastWall;
    this.lastWall = start;
    const before = this.marketT;
    let skipped = 0;
    try {
      if (this.speed === 'max') {
        skipped = this.playFor(Number.POSITIVE_INFINITY, start + this.frameBudgetMs);
      } else {
        const advance = Math.min(wall, this.maxCatchUpMs) * this.speed;
        skipped = this.playFor(advance, start + this.frameBudgetMs);
      }
    } catch (error) {
      this.playing = false;
      this.options.onError?.(error);
      this.emitState();
      return;
    }
    this.measure(wall, this.marketT - before - skipped);
    if (this.ended) {
      this.playing = false;
      this.emitState();
      return;
    }
    if (this.speed === 'max') {
      this.schedule(0);
    } else {
      // Sleep until the next print is due (bounded), so real-time replay does not spin at 60 frames a second.
      const nextT = this.nextEventT();
      const wait = nextT === null ? this.frameMs : (nextT - this.marketT) / this.speed;
      this.schedule(Math.min(this.maxFrameMs, Math.max(this.frameMs, wait)));
    }
  }

  /** Market time of the next thing to deliver (a tick, a step end), or null when a closure comes first. */
  private nextEventT(): number | null {
    if (!this.current) return null;
    const tick = this.current.ticks[this.tickIndex];
    return tick ? tick.t : this.current.endT;
  }

  private measure(wallMs: number, marketMs: number): void {
    this.windowWall += wallMs;
    this.windowMarket += marketMs;
    if (this.windowWall < 1000) return;
    const measured = this.windowMarket / this.windowWall;
    this.windowWall = 0;
    this.windowMarket = 0;
    const previous = this.effectiveSpeed;
    this.effectiveSpeed = Number(measured.toPrecision(3));
    if (previous === null || Math.abs(this.effectiveSpeed - previous) > 0.05 * Math.max(previous, 1)) {
      this.emitState();
    }
  }

  /**
   * Plays `advanceMs` of market time (open-market time: closures are skipped for free) or until the wall-clock
   * deadline. Returns the market time skipped over closures.
   */
  private playFor(advanceMs: number, deadline: number): number {
    let remaining = advanceMs;
    let skipped = 0;
    let steps = 0;
    for (;;) {
      if (!this.current) {
        const before = this.marketT;
        const waited = this.beginStep(remaining, false);
        if (waited === null) break;
        if (waited === false) {
          skipped += this.marketT - before;
        } else {
          remaining -= waited;
          if (!this.current) break;
        }
      }
      const step = this.current as FeedStep;
      const target = this.marketT + remaining;
      this.release(target);
      if (step.endT > target) {
        this.marketT = Math.max(this.marketT, target);
        break;
      }
      remaining = target - step.endT;
      this.complete();
      steps++;
      // Check the wall clock every few steps: the rest of this frame's advance is dropped (paced) or left for the
      // next slice (max), never queued.
      if (steps >= this.maxStepsPerFrame || ((steps & 7) === 0 && this.scheduler.now() >= deadline)) break;
    }
    return skipped;
  }

  /**
   * Makes the next step current, moving market time to its start. A closure before it is skipped; a short gap
   * inside a session is waited out, using up to `budget` of market time. Returns the market time waited (a number),
   * false when it skipped a closure, null at the end of the data. With `force`, any gap is crossed at once.
   */
  private beginStep(budget: number, force: boolean): number | false | null {
    const next = this.feed.peek();
    if (!next) {
      this.ended = true;
      return null;
    }
    let waited: number | false = 0;
    if (next.startT > this.marketT) {
      const gap = next.startT - this.marketT;
      const closed = gap >= GAP_SKIP_MS || sessionContaining(this.feed.calendar, this.marketT) === null;
      if (closed || force) {
        waited = closed ? false : gap;
      } else if (gap > budget) {
        this.marketT += budget;
        return budget;
      } else {
        waited = gap;
      }
      this.marketT = next.startT;
    }
    this.feed.next();
    this.current = next;
    this.tickIndex = 0;
    this.sink.stepStarted(next);
    return waited;
  }

  private release(upTo: number): void {
    const step = this.current;
    if (!step) return;
    const ticks = step.ticks;
    let j = this.tickIndex;
    while (j < ticks.length && (ticks[j] as Tick).t <= upTo) j++;
    if (j > this.tickIndex) {
      const batch = this.tickIndex === 0 && j === ticks.length ? ticks : ticks.slice(this.tickIndex, j);
      this.tickIndex = j;
      this.sink.ticks(batch);
    }
  }

  private complete(): void {
    const step = this.current as FeedStep;
    this.release(step.endT);
    this.current = null;
    this.tickIndex = 0;
    this.marketT = step.endT;
    this.sink.stepCompleted(step);
    if (!this.feed.peek()) this.ended = true;
  }

  private emitState(): void {
    this.sink.state(this.state());
  }
}
