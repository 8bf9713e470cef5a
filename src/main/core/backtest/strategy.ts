import type { OrderRequest } from '../../../shared/domain/broker';
import type { Bar } from '../../../shared/domain/market';

/** What a strategy sees after each completed bar. Everything is as of the bar's close. */
export interface StrategyContext {
  readonly symbol: string;
  /** The bar that just completed. */
  readonly bar: Bar;
  /** 0 for the first bar of the run. */
  readonly index: number;
  /** Signed shares held (negative: short). */
  readonly position: number;
  /** Whether an earlier order on the symbol is still working (it fills on a later bar, not this one). */
  readonly hasWorkingOrders: boolean;
  readonly cashE4: number;
  readonly equityE4: number;
  /**
   * The most whole shares a market buy can take with `fraction` of the buying power, including the broker's
   * spread, slippage and commission at the current price (the next open may still gap: the broker caps the fill).
   */
  affordableQty(fraction?: number): number;
}

/**
 * A trading strategy for the backtest. It is called once per completed bar and answers the orders to place; they
 * go through the real broker, are stamped with the bar's close time and can fill from the next bar on.
 */
export interface Strategy {
  readonly name: string;
  /** The parameters, for reports. */
  readonly params: Readonly<Record<string, number | string | boolean>>;
  onBar(ctx: StrategyContext): readonly OrderRequest[] | undefined;
}
