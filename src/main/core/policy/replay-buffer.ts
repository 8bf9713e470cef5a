import type { Prng } from './prng';

/**
 * One transition, stored by reference: the state is rebuilt from (series, bar index, position) when sampled, so
 * the buffer holds a few integers per step instead of a copy of the whole feature window.
 */
export interface Transition {
  series: number;
  /** Bar index of the state; the next state is at `t + 1`. */
  t: number;
  /** Position index (0 short, 1 flat, 2 long) held in the state. */
  position: number;
  action: number;
  reward: number;
  /** Position index held in the next state. */
  nextPosition: number;
  /** True when the next state ends the episode (no bootstrap from it). */
  done: boolean;
}

/** A batch of sampled transitions, column-wise. */
export interface TransitionBatch {
  size: number;
  series: Int32Array;
  t: Int32Array;
  position: Int32Array;
  action: Int32Array;
  reward: Float64Array;
  nextPosition: Int32Array;
  done: Uint8Array;
}

/** A fixed-capacity ring buffer of transitions with seeded uniform sampling (experience replay). */
export class ReplayBuffer {
  private readonly series: Int32Array;
  private readonly t: Int32Array;
  private readonly position: Int8Array;
  private readonly action: Int8Array;
  private readonly reward: Float64Array;
  private readonly nextPosition: Int8Array;
  private readonly done: Uint8Array;
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity <= 0) throw new RangeError('Replay capacity must be positive');
    this.series = new Int32Array(capacity);
    this.t = new Int32Array(capacity);
    this.position = new Int8Array(capacity);
    this.action = new Int8Array(capacity);
    this.reward = new Float64Array(capacity);
    this.nextPosition = new Int8Array(capacity);
    this.done = new Uint8Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Stores a transition, overwriting the oldest once full. */
  push(tr: Transition): void {
    const i = this.head;
    this.series[i] = tr.series;
    this.t[i] = tr.t;
    this.position[i] = tr.position;
    this.action[i] = tr.action;
    this.reward[i] = tr.reward;
    this.nextPosition[i] = tr.nextPosition;
    this.done[i] = tr.done ? 1 : 0;
    this.head = (i + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** `size` transitions drawn uniformly with replacement, written into `out` (allocated when omitted). */
  sample(size: number, prng: Prng, out: TransitionBatch = ReplayBuffer.batch(size)): TransitionBatch {
    if (this.count === 0) throw new Error('Cannot sample from an empty replay buffer');
    for (let k = 0; k < size; k++) {
      const i = prng.int(this.count);
      out.series[k] = this.series[i] as number;
      out.t[k] = this.t[i] as number;
      out.position[k] = this.position[i] as number;
      out.action[k] = this.action[i] as number;
      out.reward[k] = this.reward[i] as number;
      out.nextPosition[k] = this.nextPosition[i] as number;
      out.done[k] = this.done[i] as number;
    }
    out.size = size;
    return out;
  }

  /** The transition at insertion order `k` among those held (0 = oldest), for tests and inspection. */
  at(k: number): Transition {
    if (k < 0 || k >= this.count) throw new RangeError(`No transition ${k}`);
    const i = (this.head - this.count + k + this.capacity) % this.capacity;
    return {
      series: this.series[i] as number,
      t: this.t[i] as number,
      position: this.position[i] as number,
      action: this.action[i] as number,
      reward: this.reward[i] as number,
      nextPosition: this.nextPosition[i] as number,
      done: this.done[i] === 1,
    };
  }

  static batch(size: number): TransitionBatch {
    return {
      size,
      series: new Int32Array(size),
      t: new Int32Array(size),
      position: new Int32Array(size),
      action: new Int32Array(size),
      reward: new Float64Array(size),
      nextPosition: new Int32Array(size),
      done: new Uint8Array(size),
    };
  }
}
