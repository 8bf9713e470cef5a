import { describe, expect, it } from 'vitest';
import type { Bar, Tick } from '../../../../shared/domain/market';
import { AppError } from '../../../../shared/result';
import { parseDay } from '../sessions';
import { SyntheticMarket } from '../synthetic/synthetic-market';
import type { FeedStep } from './feed';
import { MemoryBarReader } from './memory-bar-reader';
import { type ClockSink, type ClockState, ReplayClock } from './replay-clock';
import { ManualScheduler } from './scheduler';
import { StoredFeed } from './stored-feed';
import { SyntheticFeed } from './synthetic-feed';

const utc = (iso: string) => Date.parse(iso);
const OPEN = utc('2024-03-04T14:30:00Z');

/** Records everything the clock delivers and checks its ordering promises as it goes. */
class Recorder implements ClockSink {
  received: Tick[] = [];
  completed: FeedStep[] = [];
  resets: number[] = [];
  states: ClockState[] = [];
  violations: string[] = [];
  private lastTickT = Number.NEGATIVE_INFINITY;
  private open: FeedStep | null = null;

  stepStarted(step: FeedStep): void {
    if (this.open) this.violations.push('a step started before the previous one completed');
    this.open = step;
  }
  ticks(batch: Tick[]): void {
    for (const t of batch) {
      if (t.t < this.lastTickT) this.violations.push(`tick at ${t.t} after ${this.lastTickT}`);
      if (!this.open || t.t < this.open.startT || t.t >= this.open.endT) this.violations.push('tick outside its step');
      this.lastTickT = t.t;
      this.received.push(t);
    }
  }
  stepCompleted(step: FeedStep): void {
    if (this.open !== step) this.violations.push('completed a step that was not the open one');
    const delivered = this.received.filter((t) => t.t >= step.startT && t.t < step.endT).length;
    if (delivered < step.ticks.length) this.violations.push('bar completed before all its ticks');
    this.open = null;
    this.completed.push(step);
  }
  reset(marketT: number): void {
    this.open = null;
    this.lastTickT = Number.NEGATIVE_INFINITY;
    this.resets.push(marketT);
  }
  state(state: ClockState): void {
    this.states.push(state);
  }
}

function syntheticClock(options: { speed?: number | 'max'; startT?: number; seed?: number } = {}) {
  const scheduler = new ManualScheduler(1_000);
  const market = new SyntheticMarket({ seed: options.seed ?? 9, symbols: ['AAPL', 'SPY'] });
  const feed = new SyntheticFeed(market);
  const recorder = new Recorder();
  const clock = new ReplayClock(feed, recorder, {
    scheduler,
    startT: options.startT ?? OPEN,
    speed: options.speed ?? 1,
    maxStepsPerFrame: 500,
  });
  return { scheduler, market, feed, recorder, clock };
}

describe('ReplayClock: paced playback', () => {
  it('starts paused at the requested time and moves only while playing', () => {
    const { scheduler, recorder, clock } = syntheticClock();
    expect(clock.state()).toMatchObject({ playing: false, speed: 1, marketT: OPEN, ended: false });
    expect(recorder.resets).toEqual([OPEN]);
    scheduler.advance(10_000);
    expect(clock.state().marketT).toBe(OPEN);
    clock.play();
    scheduler.advance(30_000);
    // Real time: 30 wall seconds are 30 market seconds (within one frame).
    expect(clock.state().marketT).toBeGreaterThan(OPEN + 29_000);
    expect(clock.state().marketT).toBeLessThanOrEqual(OPEN + 30_000);
    expect(recorder.completed).toHaveLength(0);
    expect(recorder.received.length).toBeGreaterThan(0);
    for (const t of recorder.received) expect(t.t).toBeLessThanOrEqual(clock.state().marketT);
    clock.pause();
    const pausedAt = clock.state().marketT;
    scheduler.advance(60_000);
    expect(clock.state().marketT).toBe(pausedAt);
    expect(scheduler.pending).toBe(0);
    expect(recorder.violations).toEqual([]);
  });

  it('plays 60 market seconds per wall second at 60×, completing one 1m bar per symbol each second', () => {
    const { scheduler, recorder, clock, market } = syntheticClock({ speed: 60 });
    clock.play();
    scheduler.advance(10_000);
    expect(recorder.completed.length).toBeGreaterThanOrEqual(9);
    expect(recorder.completed.length).toBeLessThanOrEqual(10);
    const bars = recorder.completed.map((s) => s.bars.find((b) => b.symbol === 'AAPL')?.bar as Bar);
    expect(bars).toEqual(market.minuteBars('AAPL', OPEN, OPEN + (bars.length - 1) * 60_000));
    expect(recorder.violations).toEqual([]);
  });

  it('steps exactly one bar, pausing first', () => {
    const { scheduler, recorder, clock } = syntheticClock({ speed: 60 });
    clock.play();
    scheduler.advance(500); // half a bar
    const state = clock.step();
    expect(state.playing).toBe(false);
    expect(state.marketT).toBe(OPEN + 60_000);
    expect(recorder.completed).toHaveLength(1);
    clock.step();
    expect(clock.state().marketT).toBe(OPEN + 120_000);
    expect(recorder.completed).toHaveLength(2);
    expect(recorder.completed[1]?.startT).toBe(OPEN + 60_000);
    expect(recorder.violations).toEqual([]);
  });

  it('skips nights and weekends instead of waiting them out', () => {
    const friday = utc('2024-03-08T20:59:30Z');
    const { scheduler, recorder, clock } = syntheticClock({ startT: friday });
    clock.play();
    scheduler.advance(31_000);
    // 30 s finish Friday's last bar; the rest of the advance continues at Monday's open.
    expect(recorder.completed[0]?.endT).toBe(utc('2024-03-08T21:00:00Z'));
    const t = clock.state().marketT;
    expect(t).toBeGreaterThan(utc('2024-03-11T13:30:00Z'));
    expect(t).toBeLessThan(utc('2024-03-11T13:30:02Z'));
    expect(recorder.violations).toEqual([]);
  });

  it('seeks to a date: the next open when it falls on a weekend, mid-bar otherwise', () => {
    const { recorder, clock } = syntheticClock();
    clock.seek(utc('2024-03-09T12:00:00Z'));
    expect(clock.state().marketT).toBe(utc('2024-03-11T13:30:00Z'));
    const midBar = utc('2024-03-12T15:00:30Z');
    clock.seek(midBar);
    expect(clock.state().marketT).toBe(midBar);
    expect(recorder.resets.at(-1)).toBe(midBar);
    // Ticks of the bar in progress up to the seek time are delivered at once; the bar is not complete.
    const sinceSeek = recorder.received.filter((t) => t.t >= utc('2024-03-12T15:00:00Z'));
    expect(sinceSeek.length).toBeGreaterThan(0);
    for (const t of sinceSeek) expect(t.t).toBeLessThanOrEqual(midBar);
    clock.step();
    expect(recorder.completed.at(-1)?.startT).toBe(utc('2024-03-12T15:00:00Z'));
    expect(() => clock.seek(parseDay('2001-01-01'))).toThrow(/begins on 2010-01-04/);
    expect(clock.state().marketT).toBe(utc('2024-03-12T15:01:00Z'));
    expect(recorder.violations).toEqual([]);
  });

  it('accepts speeds from 1× to 10,000× and max, refusing others', () => {
    const { clock } = syntheticClock();
    expect(clock.setSpeed(10_000).speed).toBe(10_000);
    expect(clock.setSpeed('max').speed).toBe('max');
    for (const bad of [0, 0.5, 10_001, Number.NaN, -3]) {
      expect(() => clock.setSpeed(bad)).toThrow(AppError);
    }
    expect(clock.state().speed).toBe('max');
  });

  it('changes speed while playing without a jump in market time', () => {
    const { scheduler, clock } = syntheticClock();
    clock.play();
    scheduler.advance(1_000);
    const before = clock.state().marketT;
    clock.setSpeed(1_000);
    scheduler.advance(1_000);
    const after = clock.state().marketT;
    expect(after - before).toBeGreaterThan(900_000);
    expect(after - before).toBeLessThanOrEqual(1_000_000);
  });
});

describe('ReplayClock: as fast as possible and under load', () => {
  it('plays a stored series to its end at max speed in slices, then stops', () => {
    const reader = new MemoryBarReader();
    const t0 = utc('2024-05-09T13:30:00Z');
    const bars = Array.from({ length: 390 * 3 }, (_, i) => {
      const day = Math.floor(i / 390);
      const t = t0 + day * 86_400_000 + (i % 390) * 60_000;
      return { t, o: 10, h: 11, l: 9, c: 10.5, v: 5 };
    });
    reader.put('AAPL', '1m', bars);
    const feed = new StoredFeed(reader, ['AAPL'], '1m');
    const scheduler = new ManualScheduler();
    const recorder = new Recorder();
    const clock = new ReplayClock(feed, recorder, { scheduler, speed: 'max', maxStepsPerFrame: 100 });
    clock.play();
    const callbacks = scheduler.runUntilIdle();
    // Slices of at most 100 steps, each yielding to the event loop.
    expect(callbacks).toBeGreaterThanOrEqual(12);
    expect(recorder.completed).toHaveLength(1170);
    expect(clock.state()).toMatchObject({ playing: false, ended: true });
    expect(recorder.states.at(-1)).toMatchObject({ ended: true, playing: false });
    expect(() => clock.play()).toThrow(/end of its data/);
    clock.seek(t0);
    expect(clock.state().ended).toBe(false);
    expect(recorder.violations).toEqual([]);
  });

  it('drops pacing instead of building a backlog when consumers are slow', () => {
    const { scheduler, clock, recorder } = syntheticClock({ speed: 10_000 });
    // Every frame costs 400 ms of wall time: far more than the clock's frame budget.
    scheduler.workMsPerCallback = 400;
    clock.play();
    scheduler.advance(20_000);
    // Asked: 20 s × 10,000 = 200,000 s of open market, 3,333 one-minute bars. A frame accounts for at most 250 ms
    // of wall time, so about 2,000 bars get played and the rest is dropped rather than queued.
    const bars = recorder.completed.length;
    expect(bars).toBeLessThan(2_600);
    expect(bars).toBeGreaterThan(1_000);
    expect(scheduler.pending).toBe(1);
    const state = clock.state();
    expect(state.effectiveSpeed).not.toBeNull();
    expect(state.effectiveSpeed as number).toBeLessThan(8_000);
    expect(state.effectiveSpeed as number).toBeGreaterThan(3_000);
    // Back to normal load: the clock runs at the asked speed again, without a burst to catch up.
    scheduler.workMsPerCallback = 0;
    const before = recorder.completed.length;
    scheduler.advance(3_000);
    // 500 bars for 3 s at 10,000×, plus at most one capped frame (250 ms, 42 bars) for the last slow frame.
    expect(recorder.completed.length - before).toBeLessThanOrEqual(500 + 42);
    expect(recorder.violations).toEqual([]);
  });

  it('is deterministic: the same feed and schedule deliver the same tape', () => {
    const run = () => {
      const { scheduler, recorder, clock } = syntheticClock({ speed: 600, seed: 77 });
      clock.play();
      scheduler.advance(5_000);
      clock.setSpeed('max');
      scheduler.advance(3);
      return { ticks: recorder.received.length, bars: recorder.completed.map((s) => s.bars), t: clock.state().marketT };
    };
    const a = run();
    const b = run();
    expect(a.bars.length).toBeGreaterThan(40);
    expect(b).toEqual(a);
  });
});
