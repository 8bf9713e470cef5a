import { describe, expect, it } from 'vitest';
import { type BarE4, commissionDue, decideFill, type FillableOrder } from './fill-rules';

const bar = (o: number, h: number, l: number, c: number): BarE4 => ({
  t: 0,
  openE4: o,
  highE4: h,
  lowE4: l,
  closeE4: c,
  volume: 1000,
});

const order = (over: Partial<FillableOrder>): FillableOrder => ({
  side: 'buy',
  type: 'market',
  limitPriceE4: null,
  stopPriceE4: null,
  triggered: false,
  ...over,
});

describe('fill rules', () => {
  it('fills a market order at the open plus costs, against the trader, inside the bar', () => {
    expect(decideFill(order({}), bar(1_000_000, 1_010_000, 990_000, 1_000_000), 10).priceE4).toBe(1_001_000);
    expect(decideFill(order({ side: 'sell' }), bar(1_000_000, 1_010_000, 990_000, 1_000_000), 10).priceE4).toBe(
      999_000,
    );
    // The cost never pushes the price outside what the bar traded.
    expect(decideFill(order({}), bar(1_000_000, 1_000_500, 990_000, 1_000_000), 10).priceE4).toBe(1_000_500);
  });

  it('fills a limit buy only at or below its limit, at the better of open and limit', () => {
    const limit = order({ type: 'limit', limitPriceE4: 995_000 });
    expect(decideFill(limit, bar(1_000_000, 1_010_000, 995_001, 1_000_000), 10).priceE4).toBeNull();
    expect(decideFill(limit, bar(1_000_000, 1_010_000, 995_000, 1_000_000), 10).priceE4).toBe(995_000);
    // A gap down opens below the limit: the buyer gets the open.
    expect(decideFill(limit, bar(980_000, 990_000, 970_000, 985_000), 10).priceE4).toBe(980_000);
    const sell = order({ side: 'sell', type: 'limit', limitPriceE4: 1_005_000 });
    expect(decideFill(sell, bar(1_000_000, 1_004_999, 990_000, 1_000_000), 10).priceE4).toBeNull();
    expect(decideFill(sell, bar(1_000_000, 1_006_000, 990_000, 1_000_000), 10).priceE4).toBe(1_005_000);
    expect(decideFill(sell, bar(1_010_000, 1_020_000, 1_008_000, 1_010_000), 10).priceE4).toBe(1_010_000);
  });

  it('triggers a stop on trade-through and fills a gap at the open, never at the stop', () => {
    const stopBuy = order({ type: 'stop', stopPriceE4: 1_005_000 });
    expect(decideFill(stopBuy, bar(1_000_000, 1_004_999, 990_000, 1_000_000), 0)).toEqual({
      priceE4: null,
      triggered: false,
    });
    expect(decideFill(stopBuy, bar(1_000_000, 1_006_000, 990_000, 1_000_000), 0)).toEqual({
      priceE4: 1_005_000,
      triggered: true,
    });
    expect(decideFill(stopBuy, bar(1_020_000, 1_030_000, 1_015_000, 1_020_000), 0).priceE4).toBe(1_020_000);
    const stopSell = order({ side: 'sell', type: 'stop', stopPriceE4: 950_000 });
    // Gap down through a stop-loss: filled at the (worse) open, less costs, but not below the low.
    expect(decideFill(stopSell, bar(900_000, 910_000, 899_950, 905_000), 10).priceE4).toBe(899_950);
    expect(decideFill(stopSell, bar(900_000, 910_000, 890_000, 905_000), 10).priceE4).toBe(899_100);
  });

  it('turns a triggered stop-limit into a limit that waits when the bar gapped past it', () => {
    const stopLimit = order({ type: 'stop_limit', stopPriceE4: 1_005_000, limitPriceE4: 1_006_000 });
    expect(decideFill(stopLimit, bar(1_000_000, 1_010_000, 990_000, 1_000_000), 10)).toEqual({
      priceE4: 1_005_000,
      triggered: true,
    });
    expect(decideFill(stopLimit, bar(1_010_000, 1_020_000, 1_007_000, 1_015_000), 10)).toEqual({
      priceE4: null,
      triggered: true,
    });
    const triggered = { ...stopLimit, triggered: true };
    expect(decideFill(triggered, bar(1_010_000, 1_020_000, 1_007_000, 1_015_000), 10).priceE4).toBeNull();
    expect(decideFill(triggered, bar(1_010_000, 1_020_000, 1_004_000, 1_015_000), 10).priceE4).toBe(1_006_000);
  });

  it('charges commission per share with a minimum per order, across partial fills', () => {
    expect(commissionDue(100, 0, 50, 10_000)).toBe(10_000);
    expect(commissionDue(300, 10_000, 50, 10_000)).toBe(5_000);
    expect(commissionDue(100, 0, 0, 0)).toBe(0);
  });
});
