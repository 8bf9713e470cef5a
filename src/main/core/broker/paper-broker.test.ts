import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/result';
import { cleanupTempDirs } from '../testing/fixtures';
import { bar, dumpDatabase, openBrokerFixture, plainConfig } from './broker-test-kit';

afterEach(cleanupTempDirs);

const T0 = Date.UTC(2024, 0, 2, 14, 30);
const MIN = 60_000;
const at = (i: number) => T0 + i * MIN;

function rejectionOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

function expectBooksReconcile(broker: { reconcile(): { ok: boolean; problems: string[] } }) {
  const report = broker.reconcile();
  expect(report.problems).toEqual([]);
  expect(report.ok).toBe(true);
}

describe('paper broker: account', () => {
  it('opens with the configured starting cash, a deposit in the ledger, and books that reconcile', () => {
    const { broker, db } = openBrokerFixture();
    const s = broker.summary();
    expect(s).toMatchObject({ cashE4: 1_000_000_000, equityE4: 1_000_000_000, buyingPowerE4: 1_000_000_000 });
    expect(db.prepare('SELECT reason, amount_e4 FROM ledger').all()).toEqual([
      { reason: 'deposit', amount_e4: 1_000_000_000 },
    ]);
    expectBooksReconcile(broker);
  });

  it('resets: history gone, new starting cash, one deposit', () => {
    const { broker, db } = openBrokerFixture();
    broker.onBar('AAPL', bar(at(0), 100, 101, 99, 100));
    broker.place({ symbol: 'AAPL', side: 'buy', qty: 10 }, at(1));
    broker.onBar('AAPL', bar(at(1), 100, 101, 99, 100));
    expect(broker.positionQty('AAPL')).toBe(10);
    const s = broker.reset(at(2), 50_000 * 10_000);
    expect(s).toMatchObject({ cashE4: 500_000_000, equityE4: 500_000_000, realizedPnlE4: 0, openOrders: 0 });
    expect(broker.positions()).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) FROM fills').pluck().get()).toBe(0);
    expectBooksReconcile(broker);
  });
});

describe('paper broker: fills', () => {
  it('fills a market buy at the next bar open plus costs, and charges commission', () => {
    const { broker, events } = openBrokerFixture({
      ...plainConfig,
      spreadBps: 2,
      slippageBps: 1,
      commissionPerShareE4: 50,
      commissionMinE4: 10_000,
    });
    broker.onBar('AAPL', bar(at(0), 100, 101, 99, 100.5));
    const order = broker.place({ symbol: 'AAPL', side: 'buy', qty: 100 }, at(1));
    expect(order).toMatchObject({ status: 'open', filledQty: 0, type: 'market', tif: 'day' });
    // A bar that opened before the order cannot fill it: no look-ahead.
    expect(broker.onBar('AAPL', bar(at(0) + 30_000, 100, 101, 99, 100))).toHaveLength(0);
    const fills = broker.onBar('AAPL', bar(at(1), 102, 103, 101, 102.5));
    // 102 × (1 + 2 bp) = 102.0204 (1 bp half-spread + 1 bp slippage); 100 shares × $0.005 < $1 minimum.
    expect(fills).toEqual([expect.objectContaining({ qty: 100, priceE4: 1_020_204, commissionE4: 10_000 })]);
    const s = broker.summary();
    expect(s.cashE4).toBe(1_000_000_000 - 102_020_400 - 10_000);
    expect(s.equityE4).toBe(s.cashE4 + 100 * 1_025_000);
    expect(s.unrealizedPnlE4).toBe(100 * 1_025_000 - 102_020_400);
    expect(broker.order(order.id)).toMatchObject({ status: 'filled', avgFillPriceE4: 1_020_204 });
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['onOrder', 'onFill', 'onAccount']));
    expectBooksReconcile(broker);
  });

  it('fills a limit buy only when price trades at or below it', () => {
    const { broker } = openBrokerFixture();
    broker.onBar('AAPL', bar(at(0), 100, 101, 99, 100));
    const o = broker.place({ symbol: 'AAPL', side: 'buy', type: 'limit', limitPrice: 98, qty: 10 }, at(1));
    expect(broker.onBar('AAPL', bar(at(1), 100, 101, 98.01, 99))).toHaveLength(0);
    const fills = broker.onBar('AAPL', bar(at(2), 99, 99.5, 97.5, 98));
    expect(fills[0]).toMatchObject({ qty: 10, priceE4: 980_000 });
    expect(broker.order(o.id).status).toBe('filled');
    expectBooksReconcile(broker);
  });

  it('triggers a stop-loss on trade-through and fills a gap at the open, not at the stop', () => {
    const { broker } = openBrokerFixture();
    broker.onBar('AAPL', bar(at(0), 100, 101, 99, 100));
    broker.place({ symbol: 'AAPL', side: 'buy', qty: 10, tif: 'gtc' }, at(1));
    broker.onBar('AAPL', bar(at(1), 100, 101, 99, 100));
    broker.place({ symbol: 'AAPL', side: 'sell', type: 'stop', stopPrice: 95, qty: 10, tif: 'gtc' }, at(2));
    expect(broker.onBar('AAPL', bar(at(2), 99, 100, 95.01, 96))).toHaveLength(0);
    const fills = broker.onBar('AAPL', bar(at(3), 90, 92, 89, 91));
    expect(fills[0]).toMatchObject({ side: 'sell', qty: 10, priceE4: 900_000, realizedPnlE4: -1_000_000 });
    expect(broker.positionQty('AAPL')).toBe(0);
    expect(broker.summary().realizedPnlE4).toBe(-1_000_000);
    expectBooksReconcile(broker);
  });

  it('keeps a triggered stop-limit working when the bar gapped past its limit, across a restart', () => {
    const fx = openBrokerFixture();
    fx.broker.onBar('AAPL', bar(at(0), 100, 101, 99, 100));
    const o = fx.broker.place(
      { symbol: 'AAPL', side: 'buy', type: 'stop_limit', stopPrice: 102, limitPrice: 103, qty: 5, tif: 'gtc' },
      at(1),
    );
    expect(fx.broker.onBar('AAPL', bar(at(1), 104, 106, 103.5, 105))).toHaveLength(0);
    expect(fx.broker.order(o.id)).toMatchObject({ triggered: true, status: 'open' });
    const again = fx.restart();
    expect(again.broker.order(o.id).triggered).toBe(true);
    // Back inside the limit: fills as a limit order at the limit (or better).
    const fills = again.broker.onBar('AAPL', bar(at(2), 104, 104.5, 102.5, 103));
    expect(fills[0]).toMatchObject({ qty: 5, priceE4: 1_030_000 });
    expectBooksReconcile(again.broker);
    again.db.close();
  });

  it('fills at most the configured share of bar volume and keeps the rest working', () => {
    const { broker } = openBrokerFixture({
      ...plainConfig,
      maxVolumeParticipation: 0.1,
      commissionPerShareE4: 50,
      commissionMinE4: 10_000,
    });
    broker.onBar('AAPL', bar(at(0), 100, 101, 99, 100));
    const o = broker.place({ symbol: 'AAPL', side: 'buy', qty: 250, tif: 'gtc' }, at(1));
    const first = broker.onBar('AAPL', bar(at(1), 100, 101, 99, 100, 1000));
    expect(first[0]?.qty).toBe(100);
    expect(broker.order(o.id)).toMatchObject({ status: 'partially_filled', filledQty: 100 });
    // A bar without volume traded nothing: nothing fills.
    expect(broker.onBar('AAPL', bar(at(2), 100, 101, 99, 100, 0))).toHaveLength(0);
    broker.onBar('AAPL', bar(at(3), 110, 111, 109, 110, 1000));
    const last = broker.onBar('AAPL', bar(at(4), 120, 121, 119, 120, 1000));
    expect(last[0]?.qty).toBe(50);
    const done = broker.order(o.id);
    expect(done).toMatchObject({ status: 'filled', filledQty: 250 });
    // (100 × 100 + 100 × 110 + 50 × 120) / 250 = 108; the $1 minimum is paid once, then $0.005 a share.
    expect(done.avgFillPriceE4).toBe(1_080_000);
    expect(done.commissionE4).toBe(250 * 50);
    expectBooksReconcile(broker);
  });

  it('never lets a cash account pay more than its cash: a gap-up fill is cut and the rest cancelled', () => {
    const { broker } = openBrokerFixture({ ...plainConfig, startingCashE4: 10_000 * 10_000 });
    broker.onBar('AAPL', bar(at(0), 100, 101, 99, 100));
    const o = broker.place({ symbol: 'AAPL', side: 'buy', qty: 100 }, at(1));
    broker.onBar('AAPL', bar(at(1), 125, 126, 124, 125));
    const done = broker.order(o.id);
    expect(done).toMatchObject({ status: 'cancelled', filledQty: 80 });
    expect(done.statusReason).toMatch(/buying power at fill time/);
    expect(broker.summary().cashE4).toBe(0);
    expectBooksReconcile(broker);
  });
});

describe('paper broker: brackets', () => {
  function withBracket() {
    const fx = openBrokerFixture();
    fx.broker.onBar('AAPL', bar(at(0), 100, 101, 99, 100));
    const entry = fx.broker.place(
      {
        symbol: 'AAPL',
        side: 'buy',
        qty: 10,
        tif: 'gtc',
        bracket: { takeProfitLimitPrice: 110, stopLossStopPrice: 95 },
      },
      at(1),
    );
    const [tp, sl] = fx.broker
      .orders({ status: 'working' })
      .filter((o) => o.parentId === entry.id)
      .sort((a, b) => a.id - b.id);
    if (!tp || !sl) throw new Error('bracket exits missing');
    return { ...fx, entry, tp, sl };
  }

  it('holds the exits until the entry fills, then the take-profit cancels the stop-loss', () => {
    const { broker, entry, tp, sl } = withBracket();
    expect(tp).toMatchObject({ role: 'take_profit', status: 'held', side: 'sell', type: 'limit', tif: 'gtc' });
    expect(sl).toMatchObject({ role: 'stop_loss', status: 'held', type: 'stop', ocoGroup: entry.id });
    // The entry fills at the open; a high through the take-profit on the same bar does not count (intra-bar order).
    broker.onBar('AAPL', bar(at(1), 100, 111, 99, 105));
    expect(broker.order(entry.id).status).toBe('filled');
    expect(broker.order(tp.id).status).toBe('open');
    const fills = broker.onBar('AAPL', bar(at(2), 106, 112, 105, 111));
    expect(fills).toEqual([expect.objectContaining({ orderId: tp.id, qty: 10, priceE4: 1_100_000 })]);
    expect(broker.order(sl.id)).toMatchObject({ status: 'cancelled', statusReason: expect.stringMatching(/OCO/) });
    expect(broker.positionQty('AAPL')).toBe(0);
    expect(broker.summary().realizedPnlE4).toBe(10 * 100_000);
    expectBooksReconcile(broker);
  });

  it('assumes the stop-loss traded first on a bar that touched both exits', () => {
    const { broker, tp, sl } = withBracket();
    broker.onBar('AAPL', bar(at(1), 100, 101, 99, 100));
    const fills = broker.onBar('AAPL', bar(at(2), 100, 111, 94, 100));
    expect(fills).toEqual([expect.objectContaining({ orderId: sl.id, priceE4: 950_000 })]);
    expect(broker.order(tp.id).status).toBe('cancelled');
    expectBooksReconcile(broker);
  });

  it('takes the take-profit at the open when the bar gaps through it', () => {
    const { broker, tp, sl } = withBracket();
    broker.onBar('AAPL', bar(at(1), 100, 101, 99, 100));
    const fills = broker.onBar('AAPL', bar(at(2), 112, 113, 90, 100));
    expect(fills).toEqual([expect.objectContaining({ orderId: tp.id, priceE4: 1_120_000 })]);
    expect(broker.order(sl.id).status).toBe('cancelled');
    expectBooksReconcile(broker);
  });

  it('cancels the exits with an entry that never filled', () => {
    const { broker, entry, tp, sl } = withBracket();
    broker.cancel(entry.id, at(1));
    expect(broker.order(tp.id).status).toBe('cancelled');
    expect(broker.order(sl.id).statusReason).toMatch(/entry ended without a fill/);
    expect(broker.summary().openOrders).toBe(0);
  });

  it('protects only what a partly filled entry bought', () => {
    const fx = openBrokerFixture({ ...plainConfig, maxVolumeParticipation: 0.5 });
    const { broker } = fx;
    broker.onBar('AAPL', bar(at(0), 100, 101, 99, 100));
    const entry = broker.place(
      { symbol: 'AAPL', side: 'buy', qty: 10, bracket: { takeProfitLimitPrice: 110, stopLossStopPrice: 95 } },
      at(1),
    );
    broker.onBar('AAPL', bar(at(1), 100, 101, 99, 100, 8));
    expect(broker.order(entry.id).filledQty).toBe(4);
    broker.cancel(entry.id, at(2));
    const exits = broker.orders({ status: 'working' });
    expect(exits.map((o) => o.qty)).toEqual([4, 4]);
    broker.onBar('AAPL', bar(at(2), 100, 111, 99, 105, 100));
    expect(broker.positionQty('AAPL')).toBe(0);
    expect(broker.summary().openOrders).toBe(0);
    expectBooksReconcile(broker);
  });

  it('refuses a bracket whose exits are on the wrong side of the entry', () => {
    const { broker } = openBrokerFixture();
    broker.onBar('AAPL', bar(at(0), 100, 101, 99, 100));
    const e = rejectionOf(() =>
      broker.place(
        { symbol: 'AAPL', side: 'buy', qty: 1, bracket: { takeProfitLimitPrice: 95, stopLossStopPrice: 110 } },
        at(1),
      ),
    );
    expect(e.code).toBe('REJECTED');
    expect(e.message).toMatch(/stop-loss .* < entry .* < take-profit/);
  });
});

describe('paper broker: time in force, cancel and replace', () => {
  it('expires a day order when the next session starts and keeps a good-till-cancelled one', () => {
    const { broker } = openBrokerFixture();
    broker.onBar('AAPL', bar(at(0), 100, 101, 99, 100));
    const day = broker.place({ symbol: 'AAPL', side: 'buy', type: 'limit', limitPrice: 90, qty: 1 }, at(1));
    const gtc = broker.place({ symbol: 'AAPL', side: 'buy', type: 'limit', limitPrice: 90, qty: 1, tif: 'gtc' }, at(1));
    broker.onBar('AAPL', bar(at(5), 100, 101, 99, 100));
    expect(broker.order(day.id).status).toBe('open');
    const nextDay = T0 + 86_400_000;
    const fills = broker.onBar('AAPL', bar(nextDay, 89, 91, 88, 90));
    expect(broker.order(day.id)).toMatchObject({ status: 'expired', statusReason: expect.stringMatching(/session/) });
    expect(fills.map((f) => f.orderId)).toEqual([gtc.id]);
  });

  it('queues a day order placed between daily bars for the next bar, and expires it after that session', () => {
    const { broker } = openBrokerFixture();
    const DAY = 86_400_000;
    const d0 = Date.UTC(2024, 0, 2);
    broker.onBar('AAPL', bar(d0, 100, 101, 99, 100));
    // Placed during day 0's session, after its (midnight-stamped) daily bar: the next bar is its first chance.
    const fills = broker.place(
      { symbol: 'AAPL', side: 'buy', type: 'limit', limitPrice: 95, qty: 1 },
      d0 + 14 * 3_600_000,
    );
    const misses = broker.place(
      { symbol: 'AAPL', side: 'buy', type: 'limit', limitPrice: 80, qty: 1 },
      d0 + 14 * 3_600_000,
    );
    broker.onBar('AAPL', bar(d0 + DAY, 97, 98, 94, 96));
    expect(broker.order(fills.id).status).toBe('filled');
    expect(broker.order(misses.id).status).toBe('open');
    broker.onBar('AAPL', bar(d0 + 2 * DAY, 96, 97, 79, 90));
    // Its session (day 1) ended before day 2's bar, so it never sees the 79 low.
    expect(broker.order(misses.id)).toMatchObject({ status: 'expired' });
  });

  it('expires day orders at a session end the feed announces', () => {
    const { broker } = openBrokerFixture();
    broker.onBar('AAPL', bar(at(0), 100, 101, 99, 100));
    const day = broker.place({ symbol: 'AAPL', side: 'buy', type: 'limit', limitPrice: 90, qty: 1 }, at(1));
    broker.endSession(at(390));
    expect(broker.order(day.id).status).toBe('expired');
  });

  it('cancels and replaces working orders, and refuses to touch final ones', () => {
    const { broker } = openBrokerFixture({ ...plainConfig, startingCashE4: 10_000 * 10_000 });
    broker.onBar('AAPL', bar(at(0), 100, 101, 99, 100));
    const o = broker.place({ symbol: 'AAPL', side: 'buy', type: 'limit', limitPrice: 90, qty: 10 }, at(1));
    expect(broker.summary().reservedE4).toBe(10 * 900_000);
    const replaced = broker.replace(o.id, { qty: 20, limitPrice: 91 }, at(2));
    expect(replaced).toMatchObject({ id: o.id, qty: 20, limitPriceE4: 910_000 });
    expect(broker.summary().reservedE4).toBe(20 * 910_000);
    // Re-checked without its own old reservation: 110 × $91 > $10,000.
    expect(rejectionOf(() => broker.replace(o.id, { qty: 110 }, at(2))).message).toMatch(/buying power/);
    expect(broker.order(o.id).qty).toBe(20);
    expect(rejectionOf(() => broker.replace(o.id, { stopPrice: 80 }, at(2))).message).toMatch(/no stop price/);
    const cancelled = broker.cancel(o.id, at(3));
    expect(cancelled.status).toBe('cancelled');
    expect(broker.summary().reservedE4).toBe(0);
    expect(rejectionOf(() => broker.cancel(o.id, at(4))).code).toBe('CONFLICT');
    expect(rejectionOf(() => broker.cancel(9999, at(4))).code).toBe('NOT_FOUND');
    expectBooksReconcile(broker);
  });
});

describe('paper broker: impossible orders', () => {
  it('rejects each with a reason and changes nothing', () => {
    const { broker, db } = openBrokerFixture({ ...plainConfig, startingCashE4: 1_000 * 10_000 });
    broker.onBar('AAPL', bar(at(0), 100, 101, 99, 100));
    broker.flush();
    const before = dumpDatabase(db);
    const cases: [unknown, RegExp][] = [
      [{ symbol: 'AAPL', side: 'buy', qty: 0 }, /above zero/],
      [{ symbol: 'AAPL', side: 'buy', qty: -5 }, /above zero/],
      [{ symbol: 'AAPL', side: 'buy', qty: 1.5 }, /whole shares/],
      [{ symbol: 'AAPL', side: 'buy', qty: Number.NaN }, /not a number/],
      [{ symbol: 'ZZZZ', side: 'buy', qty: 1 }, /Unknown symbol ZZZZ/],
      [{ symbol: 'AAPL', side: 'buy', type: 'limit', limitPrice: Number.NaN, qty: 1 }, /Limit price is not a number/],
      [{ symbol: 'AAPL', side: 'buy', type: 'limit', limitPrice: 'cheap', qty: 1 }, /Limit price is not a number/],
      [{ symbol: 'AAPL', side: 'buy', type: 'limit', qty: 1 }, /needs a limit price/],
      [{ symbol: 'AAPL', side: 'buy', type: 'stop', stopPrice: -1, qty: 1 }, /above zero/],
      [{ symbol: 'AAPL', side: 'buy', qty: 1, limitPrice: 100 }, /takes no limit price/],
      [{ symbol: 'AAPL', side: 'buy', qty: 11 }, /Not enough buying power/],
      [{ symbol: 'AAPL', side: 'sell', qty: 1 }, /Not enough shares to sell/],
      [{ symbol: 'AAPL', side: 'hold', qty: 1 }, /buy or sell/],
    ];
    for (const [request, reason] of cases) {
      const e = rejectionOf(() => broker.place(request as never, at(1)));
      expect(e.code, JSON.stringify(request)).toBe('REJECTED');
      expect(e.message).toMatch(reason);
    }
    expect(dumpDatabase(db)).toEqual(before);
    expect(broker.summary().openOrders).toBe(0);
  });

  it('refuses a market order on a symbol the broker has no price for', () => {
    const { broker } = openBrokerFixture();
    expect(rejectionOf(() => broker.place({ symbol: 'MSFT', side: 'buy', qty: 1 }, at(1))).message).toMatch(
      /no price for MSFT/,
    );
  });

  it('counts shares already committed to working sells', () => {
    const { broker } = openBrokerFixture();
    broker.onBar('AAPL', bar(at(0), 100, 101, 99, 100));
    broker.place({ symbol: 'AAPL', side: 'buy', qty: 10 }, at(1));
    broker.onBar('AAPL', bar(at(1), 100, 101, 99, 100));
    broker.place({ symbol: 'AAPL', side: 'sell', type: 'limit', limitPrice: 120, qty: 8 }, at(2));
    expect(rejectionOf(() => broker.place({ symbol: 'AAPL', side: 'sell', qty: 3 }, at(2))).message).toMatch(
      /hold 10 AAPL, 8 of them already in working sell orders/,
    );
    expect(broker.place({ symbol: 'AAPL', side: 'sell', qty: 2 }, at(2)).status).toBe('open');
  });
});

describe('paper broker: shorting', () => {
  const shortConfig = { ...plainConfig, allowShort: true, startingCashE4: 10_000 * 10_000 };

  it('sells short under the initial margin rule and realises P&L when covering', () => {
    const { broker } = openBrokerFixture(shortConfig);
    broker.onBar('TSLA', bar(at(0), 100, 101, 99, 100));
    // $10,000 of equity carries $20,000 of shorts at 50% initial margin, not more.
    expect(rejectionOf(() => broker.place({ symbol: 'TSLA', side: 'sell', qty: 201 }, at(1))).message).toMatch(
      /buying power/,
    );
    broker.place({ symbol: 'TSLA', side: 'sell', qty: 100 }, at(1));
    broker.onBar('TSLA', bar(at(1), 100, 101, 89, 90));
    const s = broker.summary();
    expect(s).toMatchObject({ cashE4: 20_000 * 10_000, shortMarketValueE4: 9_000 * 10_000 });
    expect(s.equityE4).toBe(11_000 * 10_000);
    expect(s.unrealizedPnlE4).toBe(1_000 * 10_000);
    broker.place({ symbol: 'TSLA', side: 'buy', qty: 100 }, at(2));
    broker.onBar('TSLA', bar(at(2), 90, 91, 89, 90));
    expect(broker.positionQty('TSLA')).toBe(0);
    expect(broker.summary().realizedPnlE4).toBe(1_000 * 10_000);
    expectBooksReconcile(broker);
  });

  it('flags a margin call and then accepts only orders that reduce risk', () => {
    const { broker } = openBrokerFixture(shortConfig);
    broker.onBar('TSLA', bar(at(0), 100, 101, 99, 100));
    broker.place({ symbol: 'TSLA', side: 'sell', qty: 200 }, at(1));
    broker.onBar('TSLA', bar(at(1), 100, 101, 99, 100));
    broker.mark('TSLA', 140, at(2));
    // Equity $30,000 − $28,000 = $2,000 < 30% of $28,000.
    expect(broker.summary().marginCall).toBe(true);
    expect(rejectionOf(() => broker.place({ symbol: 'MSFT', side: 'buy', qty: 1 }, at(2))).code).toBe('REJECTED');
    broker.onBar('MSFT', bar(at(2), 10, 10, 10, 10));
    expect(rejectionOf(() => broker.place({ symbol: 'MSFT', side: 'buy', qty: 1 }, at(2))).message).toMatch(
      /margin call/,
    );
    expect(broker.place({ symbol: 'TSLA', side: 'buy', qty: 200 }, at(2)).status).toBe('open');
    expectBooksReconcile(broker);
  });
});

describe('paper broker: persistence', () => {
  it('keeps open orders, positions, marks and history across a restart', () => {
    const fx = openBrokerFixture();
    fx.broker.onBar('AAPL', bar(at(0), 100, 101, 99, 100));
    fx.broker.place({ symbol: 'AAPL', side: 'buy', qty: 10, tif: 'gtc' }, at(1));
    fx.broker.onBar('AAPL', bar(at(1), 100, 105, 99, 104));
    const working = fx.broker.place(
      { symbol: 'AAPL', side: 'sell', type: 'limit', limitPrice: 120, qty: 10, tif: 'gtc' },
      at(2),
    );
    const before = { summary: fx.broker.summary(), positions: fx.broker.positions(), orders: fx.broker.orders() };
    const again = fx.restart();
    expect(again.broker.summary()).toEqual(before.summary);
    expect(again.broker.positions()).toEqual(before.positions);
    expect(again.broker.orders()).toEqual(before.orders);
    expectBooksReconcile(again.broker);
    const fills = again.broker.onBar('AAPL', bar(at(3), 119, 121, 118, 120));
    expect(fills[0]?.orderId).toBe(working.id);
    expect(again.broker.summary().realizedPnlE4).toBe(10 * 200_000);
    again.db.close();
  });

  it('records the equity curve at the configured market-time sampling', () => {
    const { broker } = openBrokerFixture({ ...plainConfig, equitySampleMs: 5 * MIN });
    for (let i = 0; i < 20; i++) broker.onBar('AAPL', bar(at(i), 100, 120, 99, 100 + i));
    const curve = broker.equityCurve();
    expect(curve.map((p) => p.t)).toEqual([at(0), at(5), at(10), at(15)]);
    expect(broker.equityCurve({ maxPoints: 2 }).map((p) => p.t)).toEqual([at(0), at(15)]);
  });
});
