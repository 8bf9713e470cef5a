import { describe, expect, it } from 'vitest';
import { type OrderContext, type OrderToCheck, orderCheckSchema } from '../../../../shared/domain/knowledge';
import { toE4 } from '../../../../shared/money';
import { KNOWLEDGE_BASE } from './knowledge-base';
import { checkOrder, countDayTrades } from './order-check';

// Wednesday 8 May 2024, 11:00 New York (EDT): a regular session.
const NOW = Date.UTC(2024, 4, 8, 15, 0);
const HOUR = 3_600_000;
const DAY = 86_400_000;

const buy = (qty: number, extra: Partial<OrderToCheck> = {}): OrderToCheck => ({
  symbol: 'AAPL',
  side: 'buy',
  qty,
  type: 'market',
  ...extra,
});
const sell = (qty: number, extra: Partial<OrderToCheck> = {}): OrderToCheck => ({
  symbol: 'AAPL',
  side: 'sell',
  qty,
  type: 'market',
  ...extra,
});
const margin = (extra: Partial<OrderContext> = {}): OrderContext => ({
  accountType: 'margin',
  nowMs: NOW,
  equityE4: toE4(100_000),
  lastPriceE4: toE4(180),
  positionQty: 0,
  locateAvailable: true,
  ...extra,
});
const cash = (extra: Partial<OrderContext> = {}): OrderContext => ({
  accountType: 'cash',
  nowMs: NOW,
  equityE4: toE4(10_000),
  settledCashE4: toE4(10_000),
  lastPriceE4: toE4(100),
  positionQty: 0,
  ...extra,
});
const ids = (order: OrderToCheck, context: OrderContext) =>
  checkOrder(order, context).warnings.map((w) => `${w.ruleId}:${w.severity}`);

/** Three day trades on Monday and Tuesday, and 50 AAPL bought this morning. */
const trades = [
  { symbol: 'MSFT', side: 'buy', qty: 10, tMs: NOW - 2 * DAY },
  { symbol: 'MSFT', side: 'sell', qty: 10, tMs: NOW - 2 * DAY + HOUR },
  { symbol: 'NVDA', side: 'buy', qty: 5, tMs: NOW - DAY },
  { symbol: 'NVDA', side: 'sell', qty: 5, tMs: NOW - DAY + HOUR },
  { symbol: 'TSLA', side: 'buy', qty: 5, tMs: NOW - DAY },
  { symbol: 'TSLA', side: 'sell', qty: 2, tMs: NOW - DAY + HOUR },
  { symbol: 'AAPL', side: 'buy', qty: 50, tMs: NOW - HOUR },
] as const;

describe('checkOrder', () => {
  it('passes a plain buy in a well-funded margin account during regular hours', () => {
    const r = checkOrder(buy(10), margin());
    expect(r).toMatchObject({ allowed: true, warnings: [] });
    expect(r.facts).toEqual({
      session: 'regular',
      isShortSale: false,
      isDayTrade: false,
      dayTradesInWindow: null,
      priceE4: toE4(180),
      notionalE4: toE4(1800),
    });
    expect(orderCheckSchema.parse(r)).toEqual(r);
  });

  it('blocks the fourth day trade in five business days under $25,000 (PDT)', () => {
    const ctx = margin({ equityE4: toE4(20_000), positionQty: 50, trades: [...trades] });
    const r = checkOrder(sell(50), ctx);
    expect(r.facts).toMatchObject({ isDayTrade: true, dayTradesInWindow: 3 });
    expect(r.allowed).toBe(false);
    expect(r.warnings[0]).toMatchObject({ ruleId: 'pdt-rule', severity: 'block', source: 'FINRA Rule 4210(f)(8)(B)' });
    expect(r.warnings[0]?.message).toMatch(/day trade number 4/);
    // With $25,000 or more, or when the shares were held overnight, it is fine.
    expect(ids(sell(50), { ...ctx, equityE4: toE4(25_000) })).toEqual([]);
    expect(ids(sell(50), { ...ctx, trades: trades.slice(0, 6) })).toEqual([]);
    // The broker's own count wins over the trades.
    expect(ids(sell(50), { ...ctx, dayTradeCount: 1 })).toEqual([]);
    expect(ids(sell(50), { ...ctx, dayTradeCount: 2 })).toEqual(['pdt-rule:info']);
    // Cash accounts are not subject to the PDT rule.
    expect(ids(sell(50), cash({ positionQty: 50, trades: [...trades] })).filter((x) => x.startsWith('pdt'))).toEqual(
      [],
    );
  });

  it('counts day trades over five business days, not calendar days', () => {
    expect(countDayTrades([...trades], NOW)).toBe(3);
    // Sunday 12 May: the window is Monday 6 to Friday 10, all three count. Monday 13: Tuesday 7 onwards, two.
    // Tuesday 14: Wednesday 8 onwards, none.
    expect(countDayTrades([...trades], NOW + 4 * DAY)).toBe(3);
    expect(countDayTrades([...trades], NOW + 5 * DAY)).toBe(2);
    expect(countDayTrades([...trades], NOW + 6 * DAY)).toBe(0);
    // Buy, sell, buy, sell is two day trades; a sale of shares held overnight is none.
    const t = (side: 'buy' | 'sell', h: number) => ({ symbol: 'X', side, qty: 1, tMs: NOW + h * HOUR });
    expect(countDayTrades([t('buy', 0), t('sell', 1), t('buy', 2), t('sell', 3)], NOW + 4 * HOUR)).toBe(2);
    expect(countDayTrades([t('sell', 0), t('buy', 1)], NOW + 4 * HOUR)).toBe(0);
    // Trades after the check time are not counted.
    expect(countDayTrades([t('buy', 0), t('sell', 1)], NOW)).toBe(0);
  });

  it('treats covering a short opened today as a day trade', () => {
    const ctx = margin({
      equityE4: toE4(20_000),
      positionQty: -10,
      dayTradeCount: 3,
      trades: [{ symbol: 'AAPL', side: 'sell', qty: 10, tMs: NOW - HOUR }],
    });
    expect(checkOrder(buy(10), ctx).facts.isDayTrade).toBe(true);
    expect(ids(buy(10), ctx)).toContain('pdt-rule:block');
  });

  it('warns on a buy within 30 days after a loss sale (wash sale), and on a loss sale after a recent buy', () => {
    const loss = { symbol: 'AAPL', tMs: NOW - 20 * DAY, qty: 10, lossE4: toE4(350) };
    const r = checkOrder(buy(10), margin({ lossSales: [loss] }));
    expect(r.warnings.map((w) => w.ruleId)).toEqual(['wash-sale']);
    expect(r.warnings[0]?.message).toMatch(/\$350\.00.*2024-04-18.*added to the cost basis/);
    expect(r.allowed).toBe(true);
    expect(ids(buy(10), margin({ lossSales: [{ ...loss, tMs: NOW - 31 * DAY }] }))).toEqual([]);
    expect(ids(buy(10), margin({ lossSales: [{ ...loss, symbol: 'MSFT' }] }))).toEqual([]);
    // Selling below cost: a wash sale when bought within 30 days, otherwise a note.
    const held = margin({ positionQty: 50, avgCostE4: toE4(200) });
    expect(ids(sell(50), { ...held, trades: [{ symbol: 'AAPL', side: 'buy', qty: 50, tMs: NOW - 10 * DAY }] })).toEqual(
      ['wash-sale:warn'],
    );
    expect(ids(sell(50), held)).toEqual(['wash-sale:info']);
    expect(ids(sell(50), { ...held, avgCostE4: toE4(150) })).toEqual([]);
  });

  it('enforces the short sale restriction after a 10% fall: no market short sales, limits only above the bid', () => {
    const ssr = margin({ changeFromPriorClosePct: -12.5 });
    const r = checkOrder(sell(10), ssr);
    expect(r.facts.isShortSale).toBe(true);
    expect(r.allowed).toBe(false);
    expect(r.warnings[0]).toMatchObject({ ruleId: 'ssr-rule-201', severity: 'block' });
    expect(r.warnings[0]?.message).toMatch(/down 12\.5%.*above the national best bid/);
    expect(ids(sell(10, { type: 'limit', limitPrice: 181 }), ssr)).toEqual(['ssr-rule-201:warn']);
    // The day after the trigger the feed says so; selling shares held is a long sale and is not restricted.
    expect(ids(sell(10), margin({ shortSaleRestricted: true }))).toEqual(['ssr-rule-201:block']);
    expect(ids(sell(10), margin({ changeFromPriorClosePct: -12.5, positionQty: 10 }))).toEqual([]);
    expect(ids(sell(10), margin({ changeFromPriorClosePct: -9.9 }))).toEqual([]);
  });

  it('needs a locate for a short sale', () => {
    expect(ids(sell(10), margin({ locateAvailable: false }))).toEqual(['locate-requirement:block']);
    expect(ids(sell(10), margin({ locateAvailable: undefined }))).toEqual(['locate-requirement:info']);
  });

  it('checks Reg T buying power and the $2,000 minimum for margin', () => {
    // $100,000 of equity buys up to $200,000 of stock: 1,200 shares at $180 is $216,000.
    const r = checkOrder(buy(1200), margin());
    expect(r.warnings.map((w) => `${w.ruleId}:${w.severity}`)).toEqual(['regt-initial-margin:block']);
    expect(r.warnings[0]?.message).toMatch(/\$216,000\.00 needs \$108,000\.00 .*buying power of \$200,000\.00/);
    expect(ids(buy(1100), margin())).toEqual([]);
    // Existing requirements use up excess equity; a broker-reported buying power wins.
    expect(ids(buy(500), margin({ marginRequirementE4: toE4(60_000) }))).toEqual(['regt-initial-margin:block']);
    expect(ids(buy(500), margin({ marginRequirementE4: toE4(60_000), buyingPowerE4: toE4(100_000) }))).toEqual([]);
    // Covering a short is not a new purchase.
    expect(ids(buy(1200), margin({ positionQty: -1200, buyingPowerE4: 0 }))).toEqual([]);
    expect(ids(buy(20), margin({ equityE4: toE4(1500) }))).toEqual(['margin-minimum-equity:block']);
    expect(ids(buy(5), margin({ equityE4: toE4(1500) }))).toEqual([]);
    expect(ids(sell(5), margin({ equityE4: toE4(1500) }))).toEqual(['margin-minimum-equity:block']);
  });

  it('keeps a cash account to its cash: no short sales, no borrowing, good faith violations', () => {
    expect(ids(sell(5), cash({ positionQty: 2 }))).toEqual(['cash-account-trading:block']);
    expect(ids(buy(150), cash())).toEqual(['cash-account-trading:block']);
    expect(ids(buy(150), cash({ unsettledCashE4: toE4(6_000) }))).toEqual(['good-faith-violation:info']);
    expect(ids(buy(90), cash())).toEqual([]);
    // 30 of 50 shares were bought with unsettled funds: selling 30 paid shares is fine, 40 is not.
    const gfv = cash({ positionQty: 50, unsettledBoughtQty: 30 });
    expect(ids(sell(20), gfv)).toEqual([]);
    const r = checkOrder(sell(40), gfv);
    expect(r.warnings.map((w) => `${w.ruleId}:${w.severity}`)).toEqual(['good-faith-violation:warn']);
    expect(r.warnings[0]?.message).toMatch(/^20 of these shares/);
  });

  it('warns about orders outside regular hours and during halts', () => {
    const pre = Date.UTC(2024, 4, 8, 12, 0); // 8:00 New York
    const sat = Date.UTC(2024, 4, 11, 15, 0);
    expect(ids(buy(1), margin({ nowMs: pre }))).toEqual(['trading-hours:warn']);
    expect(ids(buy(1, { type: 'limit', limitPrice: 180 }), margin({ nowMs: pre }))).toEqual(['trading-hours:info']);
    expect(ids(sell(1, { type: 'stop', stopPrice: 170 }), margin({ nowMs: pre, positionQty: 1 }))).toEqual([
      'trading-hours:warn',
    ]);
    expect(ids(buy(1), margin({ nowMs: sat }))).toEqual(['trading-hours:warn']);
    expect(ids(buy(1, { type: 'limit', limitPrice: 180 }), margin({ session: 'closed' }))).toEqual([
      'trading-hours:info',
    ]);
    expect(checkOrder(buy(1), margin({ nowMs: sat })).facts.session).toBe('closed');
    expect(ids(buy(1), margin({ halted: true }))).toEqual(['trading-halts:warn']);
  });

  it('blocks orders missing their prices and notes a stop that would trigger at once', () => {
    expect(ids(buy(1, { type: 'limit' }), margin())).toEqual(['order-limit:block']);
    expect(ids(buy(1, { type: 'stop_limit', stopPrice: 190 }), margin())).toEqual(['order-stop-limit:block']);
    expect(ids(buy(1, { type: 'stop' }), margin())).toEqual(['order-stop:block']);
    expect(ids(sell(1, { type: 'stop', stopPrice: 185 }), margin({ positionQty: 1 }))).toEqual(['order-stop:info']);
    expect(checkOrder(buy(2, { type: 'limit', limitPrice: 150.5 }), margin()).facts.notionalE4).toBe(toE4(301));
  });

  it('cites a knowledge passage for every warning', () => {
    const ctx = margin({
      equityE4: toE4(1000),
      changeFromPriorClosePct: -15,
      locateAvailable: false,
      halted: true,
      session: 'post',
    });
    const r = checkOrder(sell(1000), ctx);
    expect(r.warnings.length).toBeGreaterThan(3);
    for (const w of r.warnings) expect(KNOWLEDGE_BASE.find((p) => p.id === w.ruleId)?.title).toBe(w.title);
  });
});
