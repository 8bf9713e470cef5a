import { describe, expect, it } from 'vitest';
import { FrameBatcher, type FrameClock } from './frame-batcher';

/**
 * A frame clock the test advances by hand: `frame()` runs the callbacks requested before it, as a display's vsync
 * would, and callbacks requested during a frame wait for the next one (as requestAnimationFrame's do).
 */
class HandClock implements FrameClock {
  private next = 1;
  private queue = new Map<number, () => void>();
  requested = 0;
  cancelled = 0;

  request(callback: () => void): number {
    this.requested++;
    const handle = this.next++;
    this.queue.set(handle, callback);
    return handle;
  }

  cancel(handle: number): void {
    if (this.queue.delete(handle)) this.cancelled++;
  }

  get waiting(): number {
    return this.queue.size;
  }

  frame(): void {
    const due = [...this.queue.values()];
    this.queue.clear();
    for (const callback of due) callback();
  }
}

describe('FrameBatcher', () => {
  it('runs a burst of schedules as one flush on the next frame', () => {
    const clock = new HandClock();
    let flushes = 0;
    const batcher = new FrameBatcher(() => flushes++, clock);
    for (let i = 0; i < 1_000; i++) batcher.schedule();
    expect(flushes).toBe(0);
    expect(clock.requested).toBe(1);
    expect(batcher.pending).toBe(true);
    clock.frame();
    expect(flushes).toBe(1);
    expect(batcher.pending).toBe(false);
  });

  it('flushes once per frame that had work, and asks for no frame when idle', () => {
    const clock = new HandClock();
    const seen: number[] = [];
    let state = 0;
    const batcher = new FrameBatcher(() => seen.push(state), clock);
    for (let frame = 0; frame < 5; frame++) {
      for (let tick = 0; tick < 200; tick++) {
        state++;
        batcher.schedule();
      }
      clock.frame();
    }
    // Each flush saw everything that arrived before its frame: the latest state, never a stale one.
    expect(seen).toEqual([200, 400, 600, 800, 1000]);
    clock.frame();
    clock.frame();
    expect(seen).toHaveLength(5);
    expect(clock.requested).toBe(5);
    expect(clock.waiting).toBe(0);
  });

  it('lets a flush schedule the next frame (work left over for later)', () => {
    const clock = new HandClock();
    let left = 3;
    const batcher = new FrameBatcher(() => {
      left--;
      if (left > 0) batcher.schedule();
    }, clock);
    batcher.schedule();
    clock.frame();
    expect(left).toBe(2);
    expect(clock.waiting).toBe(1);
    clock.frame();
    clock.frame();
    expect(left).toBe(0);
    expect(clock.waiting).toBe(0);
  });

  it('keeps batching after a flush threw', () => {
    const clock = new HandClock();
    let calls = 0;
    const batcher = new FrameBatcher(() => {
      calls++;
      if (calls === 1) throw new Error('a listener failed');
    }, clock);
    batcher.schedule();
    expect(() => clock.frame()).toThrow('a listener failed');
    batcher.schedule();
    clock.frame();
    expect(calls).toBe(2);
  });

  it('cancels a waiting flush on dispose and refuses new ones', () => {
    const clock = new HandClock();
    let flushes = 0;
    const batcher = new FrameBatcher(() => flushes++, clock);
    batcher.schedule();
    batcher.dispose();
    expect(clock.cancelled).toBe(1);
    expect(batcher.pending).toBe(false);
    batcher.schedule();
    clock.frame();
    expect(flushes).toBe(0);
    expect(clock.requested).toBe(1);
    batcher.dispose();
  });

  it('does not flush when disposed after its frame was already queued but before it ran', () => {
    // A clock that cannot take a callback back (a frame already being dispatched) must still not flush.
    const due: (() => void)[] = [];
    const stubborn: FrameClock = { request: (cb) => due.push(cb), cancel: () => {} };
    let flushes = 0;
    const batcher = new FrameBatcher(() => flushes++, stubborn);
    batcher.schedule();
    batcher.dispose();
    for (const cb of due) cb();
    expect(flushes).toBe(0);
  });
});
