import type { Bar, Timeframe } from '../../../shared/domain/market';
import type { BarReader } from '../market/types';

/**
 * Streams a series from a bar store in ascending chunks, so a backtest over millions of bars never holds them all
 * in memory at once.
 */
export function* readBarsInChunks(
  reader: BarReader,
  symbol: string,
  timeframe: Timeframe,
  fromT: number = Number.MIN_SAFE_INTEGER,
  toT: number = Number.MAX_SAFE_INTEGER,
  chunk = 50_000,
): Generator<Bar> {
  let from = fromT;
  for (;;) {
    const bars = reader.bars(symbol, timeframe, from, toT, chunk);
    yield* bars;
    const last = bars.at(-1);
    if (bars.length < chunk || last === undefined) return;
    from = last.t + 1;
  }
}
