import type { z } from 'zod';
import type { brokerMethods } from '../../../shared/contract/broker';
import { centsToE4 } from '../../../shared/money';
import type { CallContext } from '../handlers';
import type { PaperBroker } from './paper-broker';

type BrokerMethods = typeof brokerMethods;

/** One command per broker method, typed from the contract (the engine merges them into its handler map). */
export type BrokerHandlers = {
  [M in keyof BrokerMethods]: (
    args: z.output<BrokerMethods[M]['input']>,
    ctx: CallContext,
  ) => z.output<BrokerMethods[M]['output']>;
};

export interface BrokerHandlerDeps {
  broker: PaperBroker;
  /** Market time now (the replay clock's); defaults to the last market time the broker saw. */
  marketTime?: () => number;
  /** Starting cash for `account.reset` without an amount, in cents (the `broker.startingCashCents` setting). */
  startingCashCents?: () => number;
}

/**
 * The broker's API commands. Orders are stamped with market time, never the wall clock. Refusals surface as the
 * broker's AppErrors: `REJECTED` (with the reason), `NOT_FOUND`, `CONFLICT`.
 */
export function brokerHandlers(deps: BrokerHandlerDeps): BrokerHandlers {
  const { broker } = deps;
  const now = () => deps.marketTime?.() ?? broker.marketTime();
  return {
    'orders.place': (request) => broker.place(request, now()),
    'orders.cancel': ({ id }) => broker.cancel(id, now()),
    'orders.replace': ({ id, ...changes }) => broker.replace(id, changes, now()),
    'orders.list': (query) => broker.orders(query ?? {}),
    'fills.list': (query) => broker.fills(query ?? {}),
    'positions.list': (query) => broker.positions(query ?? {}),
    'account.summary': () => broker.summary(),
    'account.equityCurve': (query) => broker.equityCurve(query ?? {}),
    'account.reset': (input) => {
      const cents = input?.startingCashCents ?? deps.startingCashCents?.();
      return broker.reset(now(), cents === undefined ? undefined : centsToE4(cents));
    },
  };
}
