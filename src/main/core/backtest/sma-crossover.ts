import type { OrderRequest } from '../../../shared/domain/broker';
import { AppError } from '../../../shared/result';
import type { Strategy, StrategyContext } from './strategy';

export interface SmaCrossoverParams {
  /** Bars in the fast moving average. */
  fast: number;
  /** Bars in the slow moving average (more than `fast`). */
  slow: number;
  /** Share of buying power a new position uses (0 to 1]. */
  allocation?: number;
}

/**
 * The classic long-only moving-average crossover: buy when the fast simple moving average of closes crosses above
 * the slow one, sell the whole position when it crosses back below. Orders are market orders, good till
 * cancelled, so a signal on a session's last bar fills at the next session's open.
 *
 * The averages are running sums over ring buffers: O(1) per bar, for backtests over millions of bars.
 */
export class SmaCrossover implements Strategy {
  readonly name = 'sma-crossover';
  readonly params: Readonly<Record<string, number>>;
  private readonly fast: number;
  private readonly slow: number;
  private readonly allocation: number;
  private readonly window: Float64Array;
  private count = 0;
  private sumFast = 0;
  private sumSlow = 0;
  /** fast − slow on the previous bar; NaN until both averages exist. */
  private lastDiff = Number.NaN;

  constructor(params: SmaCrossoverParams) {
    const { fast, slow } = params;
    const allocation = params.allocation ?? 1;
    if (!Number.isInteger(fast) || fast < 1)
      throw new AppError('BAD_INPUT', `--fast must be a whole number ≥ 1 (got ${fast})`);
    if (!Number.isInteger(slow) || slow <= fast) {
      throw new AppError('BAD_INPUT', `--slow must be a whole number above --fast (got fast ${fast}, slow ${slow})`);
    }
    if (!(allocation > 0 && allocation <= 1))
      throw new AppError('BAD_INPUT', `allocation must be in (0, 1] (got ${allocation})`);
    this.fast = fast;
    this.slow = slow;
    this.allocation = allocation;
    this.window = new Float64Array(slow);
    this.params = { fast, slow, allocation };
  }

  /** The two averages after the last bar (NaN while warming up), for tests and charts. */
  averages(): { fast: number; slow: number } {
    return {
      fast: this.count >= this.fast ? this.sumFast / this.fast : Number.NaN,
      slow: this.count >= this.slow ? this.sumSlow / this.slow : Number.NaN,
    };
  }

  private resum(): void {
    let fast = 0;
    let slow = 0;
    const n = Math.min(this.count, this.slow);
    for (let k = 1; k <= n; k++) {
      const v = this.window[(this.count - k) % this.slow] as number;
      slow += v;
      if (k <= this.fast) fast += v;
    }
    this.sumFast = fast;
    this.sumSlow = slow;
  }

  onBar(ctx: StrategyContext): readonly OrderRequest[] | undefined {
    const close = ctx.bar.c;
    const slot = this.count % this.slow;
    const leaving = this.window[slot] as number;
    const leavingFast = this.count >= this.fast ? (this.window[(this.count - this.fast) % this.slow] as number) : 0;
    this.window[slot] = close;
    this.count++;
    this.sumFast += close - leavingFast;
    this.sumSlow += close - (this.count > this.slow ? leaving : 0);
    // Running sums drift by rounding over millions of bars: recompute them exactly now and then.
    if ((this.count & 0xffff) === 0) this.resum();
    if (this.count < this.slow) return undefined;

    const diff = this.sumFast / this.fast - this.sumSlow / this.slow;
    const previous = this.lastDiff;
    this.lastDiff = diff;
    if (Number.isNaN(previous) || ctx.hasWorkingOrders) return undefined;
    if (previous <= 0 && diff > 0 && ctx.position <= 0) {
      const qty = ctx.affordableQty(this.allocation);
      return qty > 0
        ? [{ symbol: ctx.symbol, side: 'buy', type: 'market', qty, tif: 'gtc', clientTag: 'sma-cross-up' }]
        : undefined;
    }
    if (previous >= 0 && diff < 0 && ctx.position > 0) {
      return [
        {
          symbol: ctx.symbol,
          side: 'sell',
          type: 'market',
          qty: ctx.position,
          tif: 'gtc',
          clientTag: 'sma-cross-down',
        },
      ];
    }
    return undefined;
  }
}
