/**
 * The market and replay commands (`market.*`, `replay.*`) over the {@link MarketService}. The engine spreads this
 * map into its handler map; inputs arrive parsed by the contract's schemas.
 */
import type { MarketMethodArgs, MarketMethodName, MarketMethodOutput } from '../../../shared/contract/market';
import type { CallContext } from '../handlers';
import type { MarketService } from './market-service';

/** One handler per market/replay method, shaped like the engine's `Handlers` entries. */
export type MarketHandlers = {
  [M in MarketMethodName]: (
    args: MarketMethodArgs<M>,
    ctx: CallContext,
  ) => MarketMethodOutput<M> | Promise<MarketMethodOutput<M>>;
};

/** What the market commands need from the engine. */
export interface MarketHandlerDeps {
  market: MarketService;
}

/** The `market.*` and `replay.*` handlers, to spread into the engine's handler map. */
export function marketHandlers(deps: MarketHandlerDeps): MarketHandlers {
  const { market } = deps;
  return {
    'market.quotes': () => market.quotes(),
    'market.bars': ({ symbol, timeframe, limit }) => market.bars(symbol, timeframe, limit),
    'replay.state': () => market.state(),
    'replay.play': () => market.play(),
    'replay.pause': () => market.pause(),
    'replay.step': () => market.step(),
    'replay.seek': ({ t }) => market.seek(t),
    'replay.setSpeed': ({ speed }) => market.setSpeed(speed),
    'replay.load': (input) => market.load(input),
  };
}
