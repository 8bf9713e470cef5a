import { afterEach, describe, expect, it } from 'vitest';
import { brokerEvents, brokerMethods } from '../../../shared/contract/broker';
import { type ApiError, toApiError } from '../../../shared/result';
import type { CallContext } from '../handlers';
import { cleanupTempDirs } from '../testing/fixtures';
import { brokerHandlers } from './broker-handlers';
import { bar, openBrokerFixture } from './broker-test-kit';

afterEach(cleanupTempDirs);

const T0 = Date.UTC(2024, 0, 2, 15, 0);
const ctx: CallContext = { origin: 'test' };

type Name = keyof typeof brokerMethods;

/** Calls a handler the way the engine's dispatcher does: parse the input, run, check the output, errors as data. */
function caller(handlers: ReturnType<typeof brokerHandlers>) {
  return (name: Name, input?: unknown): { ok: true; value: unknown } | { ok: false; error: ApiError } => {
    try {
      const args = brokerMethods[name].input.parse(input);
      const value = (handlers[name] as (a: unknown, c: CallContext) => unknown)(args, ctx);
      return { ok: true, value: brokerMethods[name].output.parse(value) };
    } catch (e) {
      return { ok: false, error: toApiError(e) };
    }
  };
}

describe('broker handlers', () => {
  it('serve every contract method with outputs that match the contract', () => {
    const { broker, events } = openBrokerFixture();
    let clock = T0;
    const call = caller(brokerHandlers({ broker, marketTime: () => clock, startingCashCents: () => 2_500_000 }));
    broker.onBar('AAPL', bar(T0 - 60_000, 100, 101, 99, 100));

    const placed = call('orders.place', {
      symbol: 'aapl',
      side: 'buy',
      qty: 10,
      type: 'limit',
      limitPrice: 99.5,
      tif: 'gtc',
    });
    expect(placed).toMatchObject({ ok: true, value: { symbol: 'AAPL', status: 'open', createdT: T0 } });
    const id = (placed as { value: { id: number } }).value.id;
    expect(call('orders.replace', { id, limitPrice: 99.75 })).toMatchObject({
      ok: true,
      value: { limitPriceE4: 997_500 },
    });
    clock += 60_000;
    broker.onBar('AAPL', bar(T0, 100, 101, 99, 100));
    expect(call('orders.list', { status: 'filled' })).toMatchObject({ ok: true, value: [{ id, filledQty: 10 }] });
    expect(call('fills.list')).toMatchObject({ ok: true, value: [{ orderId: id, priceE4: 997_500 }] });
    expect(call('positions.list')).toMatchObject({ ok: true, value: [{ symbol: 'AAPL', qty: 10 }] });
    expect(call('account.summary')).toMatchObject({ ok: true, value: { openOrders: 0 } });
    expect(call('account.equityCurve', { maxPoints: 10 })).toMatchObject({ ok: true, value: expect.any(Array) });
    expect(call('orders.cancel', { id })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(call('orders.cancel', { id: 12345 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(call('orders.place', { symbol: 'AAPL', side: 'buy', qty: 0 })).toMatchObject({
      ok: false,
      error: { code: 'REJECTED', message: expect.stringMatching(/above zero/) },
    });
    expect(call('orders.place', { symbol: 'AAPL', side: 'buy', qty: 1, limitPrice: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' },
    });
    // Without an amount, reset uses the starting-cash setting ($25,000).
    expect(call('account.reset')).toMatchObject({ ok: true, value: { cashE4: 250_000_000, openOrders: 0 } });
    expect(call('account.reset', { startingCashCents: 100 })).toMatchObject({ ok: true, value: { cashE4: 10_000 } });

    for (const e of events) {
      const schema = brokerEvents[e.event as keyof typeof brokerEvents].payload;
      expect(schema.safeParse(e.payload).success, e.event).toBe(true);
    }
    expect(new Set(events.map((e) => e.event))).toEqual(new Set(['onOrder', 'onFill', 'onAccount']));
  });
});
