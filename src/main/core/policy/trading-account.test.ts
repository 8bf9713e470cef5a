import { afterAll, describe, expect, it } from 'vitest';
import { defaultBrokerConfig } from '../../../shared/domain/broker';
import type { Bar } from '../../../shared/domain/market';
import { toE4 } from '../../../shared/money';
import { openBrokerFixture } from '../broker/broker-test-kit';
import { cleanupTempDirs } from '../testing/fixtures';
import { barAt } from './bar-series';
import { barToE4, DEFAULT_COST_MODEL, marketFillPriceE4 } from './cost-model';
import { Prng } from './prng';
import { randomWalkSeries } from './testing/random-walk';
import { TradingAccount } from './trading-account';

const START = 100_000 * 10_000;

afterAll(() => cleanupTempDirs());

describe('TradingAccount', () => {
  it('sizes a buy at the close like the broker’s pre-trade check and fills it at the next open with costs', () => {
    const account = new TradingAccount(START, DEFAULT_COST_MODEL);
    const next = barToE4({ t: 1, o: 100, h: 101, l: 99, c: 100.5, v: 1e6 });
    const fill = account.moveTo(1, 100, next);
    // Half the 2 bp spread plus 1 bp slippage against the buyer: 100 × 1.0002 = 100.02, at the close and the open.
    expect(fill?.priceE4).toBe(1_000_200);
    // The most shares whose value at 100.02 plus $0.005 a share fits $100,000: 999.
    expect(fill?.qty).toBe(999);
    expect(fill?.commissionE4).toBe(999 * 50);
    expect(account.cashE4).toBe(START - 999 * 1_000_200 - 999 * 50);
    expect(account.moveTo(1, 100.5, next)).toBeNull();
  });

  it('buys only what the cash carries when the next bar gaps up', () => {
    const account = new TradingAccount(START, DEFAULT_COST_MODEL);
    const fill = account.moveTo(1, 100, barToE4({ t: 1, o: 110, h: 111, l: 109, c: 110, v: 1e6 }));
    expect(fill?.qty).toBe(908);
    expect(account.cashE4).toBeGreaterThanOrEqual(0);
    expect(account.cashE4 - toE4(110 * 1.0002) - 50).toBeLessThan(0);
  });

  it('reverses in two orders: a sell to flat, then the short sale on the next bar', () => {
    const account = new TradingAccount(START, DEFAULT_COST_MODEL);
    const bar = barToE4({ t: 0, o: 50, h: 51, l: 49, c: 50, v: 1e6 });
    account.moveTo(1, 50, bar);
    const held = account.shares;
    const close = account.moveTo(-1, 50, bar);
    expect(close).toMatchObject({ side: 'sell', qty: held });
    expect(account.shares).toBe(0);
    const open = account.moveTo(-1, 50, bar);
    expect(open?.side).toBe('sell');
    expect(account.shares).toBeLessThan(0);
    // At an unchanged price, equity fell by exactly the costs paid.
    expect(account.equityE4(50)).toBe(START - account.costsE4);
  });

  it('treats short as flat where shorting is not allowed', () => {
    const account = new TradingAccount(START, { ...DEFAULT_COST_MODEL, allowShort: false });
    expect(account.moveTo(-1, 10, barToE4({ t: 0, o: 10, h: 10, l: 10, c: 10, v: 1 }))).toBeNull();
    expect(account.shares).toBe(0);
  });

  it('keeps the fill inside the bar: a buy at a bar that opens at its high pays no spread', () => {
    const bar = barToE4({ t: 0, o: 20, h: 20, l: 19, c: 19.5, v: 1e6 });
    expect(marketFillPriceE4(DEFAULT_COST_MODEL, 'buy', bar)).toBe(200_000);
    expect(marketFillPriceE4(DEFAULT_COST_MODEL, 'sell', bar)).toBe(199_960);
  });
});

describe('TradingAccount against the real paper broker', () => {
  it('gives the same fills, cash, position and equity over a random sequence of targets', () => {
    // The broker's default costs with shorting on; no volume cap (the account does not model it).
    const fx = openBrokerFixture(
      { ...defaultBrokerConfig, allowShort: true, maxVolumeParticipation: 1 },
      { symbols: ['WALK'] },
    );
    // Big daily moves so that gaps shrink buys at fill time, and both sides are exercised.
    const series = randomWalkSeries({ bars: 80, seed: 77, sigma: 0.04 });
    // Gapped opens: each bar opens away from the previous close.
    const prng = new Prng(3);
    for (let i = 1; i < 80; i++) {
      const gap = 1 + (prng.next() - 0.5) * 0.06;
      const o = (series.c[i - 1] as number) * gap;
      series.o[i] = o;
      series.h[i] = Math.max(series.h[i] as number, o);
      series.l[i] = Math.min(series.l[i] as number, o);
    }
    const account = new TradingAccount(defaultBrokerConfig.startingCashE4, DEFAULT_COST_MODEL);
    const targets = [1, 1, 0, -1, -1, -1, 1, 1, 0, 0, -1, 1, 1, 1, -1, 0, 1];
    let fills = 0;
    let partial = 0;
    for (let t = 0; t < 79; t++) {
      const bar: Bar = barAt(series, t);
      fx.broker.onBar('WALK', bar);
      expect(fx.broker.summary().cashE4).toBe(account.cashE4);
      expect(fx.broker.positionQty('WALK')).toBe(account.shares);
      expect(fx.broker.summary().equityE4).toBe(account.equityE4(bar.c));

      const target = targets[t % targets.length] as number as -1 | 0 | 1;
      const order = account.orderFor(target, bar.c);
      if (!order) continue;
      // The desk places the same market order at the close...
      fx.broker.place({ symbol: 'WALK', side: order.side, type: 'market', qty: order.qty, tif: 'gtc' }, bar.t);
      // ...and both fill it on the next bar.
      const next = barAt(series, t + 1);
      const mine = account.fill(order, barToE4(next));
      const theirs = fx.broker.onBar('WALK', next);
      if (mine === null) {
        expect(theirs).toHaveLength(0);
      } else {
        expect(theirs).toHaveLength(1);
        expect(theirs[0]).toMatchObject({
          side: mine.side,
          qty: mine.qty,
          priceE4: mine.priceE4,
          commissionE4: mine.commissionE4,
        });
        fills++;
        if (mine.qty < order.qty) partial++;
      }
      expect(fx.broker.summary().cashE4).toBe(account.cashE4);
      expect(fx.broker.positionQty('WALK')).toBe(account.shares);
      // The next bar was fed already; step over it in the loop's own feed.
      t++;
      expect(fx.broker.summary().equityE4).toBe(account.equityE4(next.c));
    }
    expect(fills).toBeGreaterThan(15);
    expect(partial).toBeGreaterThan(0);
    fx.db.close();
  });
});
