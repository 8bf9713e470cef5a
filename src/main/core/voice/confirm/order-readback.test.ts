import { describe, expect, it } from 'vitest';
import type { PendingVoiceOrder, SpokenOrder } from '../../../../shared/domain/voice';
import { OrderReadback, type QuoteSnapshot, type ReadbackChange, spokenDollars } from './order-readback';

interface Harness {
  readback: OrderReadback;
  placed: SpokenOrder[];
  changes: [PendingVoiceOrder | null, ReadbackChange][];
  clock: { now: number };
  fireTimers(): void;
}

function harness(
  options: {
    quotes?: Record<string, QuoteSnapshot>;
    warnings?: readonly string[];
    placeFails?: boolean;
    maxQty?: number;
    maxNotionalE4?: number;
  } = {},
): Harness {
  const clock = { now: 1_700_000_000_000 };
  const timers: { at: number; fn: () => void }[] = [];
  const placed: SpokenOrder[] = [];
  const changes: [PendingVoiceOrder | null, ReadbackChange][] = [];
  const readback = new OrderReadback({
    limits: () => ({
      maxQty: options.maxQty ?? 10_000,
      maxNotionalE4: options.maxNotionalE4 ?? 1_000_000 * 10_000,
      priceBandPct: 10,
      confirmTimeoutMs: 15_000,
    }),
    quote: (symbol) => options.quotes?.[symbol] ?? null,
    ruleWarnings: () => options.warnings ?? [],
    place: async (order) => {
      if (options.placeFails) throw new Error('the market is closed');
      placed.push(order);
      return { orderId: `o${placed.length}` };
    },
    now: () => clock.now,
    setTimer: (fn, ms) => {
      const timer = { at: clock.now + ms, fn };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => {
      const i = timers.indexOf(timer as (typeof timers)[number]);
      if (i >= 0) timers.splice(i, 1);
    },
    onChange: (pending, why) => changes.push([pending, why]),
  });
  return {
    readback,
    placed,
    changes,
    clock,
    fireTimers() {
      for (const timer of timers.splice(0)) if (timer.at <= clock.now) timer.fn();
    },
  };
}

const apple: QuoteSnapshot = { last: 192, dayLow: 189.5, dayHigh: 194 };
const buy10: SpokenOrder = { verb: 'buy', side: 'buy', qty: 10, symbol: 'AAPL', type: 'market' };

describe('OrderReadback', () => {
  it('reads a market order back with its notional and waits for confirm', async () => {
    const h = harness({ quotes: { AAPL: apple } });
    const outcome = await h.readback.propose(buy10);
    expect(outcome.speech).toBe('Buy 10 Apple at market, about 1,920 dollars. Say confirm or cancel.');
    expect(outcome.pending?.notionalE4).toBe(1920 * 10_000);
    expect(h.placed).toEqual([]);

    const confirmed = await h.readback.confirm();
    expect(confirmed.placedOrderId).toBe('o1');
    expect(h.placed).toEqual([buy10]);
    expect(h.readback.current).toBeNull();
    // A second confirm places nothing.
    expect((await h.readback.confirm()).refused).toBe(true);
    expect(h.placed).toHaveLength(1);
    expect(h.changes.map(([, why]) => why)).toEqual(['proposed', 'placed']);
  });

  it('drops the order when nobody confirms in time', async () => {
    const h = harness({ quotes: { AAPL: apple } });
    await h.readback.propose(buy10);
    h.clock.now += 15_001;
    h.fireTimers();
    expect(h.readback.current).toBeNull();
    expect(h.changes.at(-1)?.[1]).toBe('expired');
    expect((await h.readback.confirm()).refused).toBe(true);
    expect(h.placed).toEqual([]);
  });

  it('refuses a confirm that arrives after the timeout even if the timer has not fired yet', async () => {
    const h = harness({ quotes: { AAPL: apple } });
    await h.readback.propose(buy10);
    h.clock.now += 20_000;
    const outcome = await h.readback.confirm();
    expect(outcome.refused).toBe(true);
    expect(outcome.speech).toMatch(/timed out/);
    expect(h.placed).toEqual([]);
  });

  it('cancel drops it; a stale confirm id is refused', async () => {
    const h = harness({ quotes: { AAPL: apple } });
    const first = await h.readback.propose(buy10);
    const second = await h.readback.propose({ ...buy10, qty: 20 });
    expect(h.changes.map(([, why]) => why)).toEqual(['proposed', 'replaced', 'proposed']);
    expect((await h.readback.confirm(first.pending?.id)).refused).toBe(true);
    expect(h.readback.cancel(second.pending?.id).refused).toBe(false);
    expect(h.readback.current).toBeNull();
    expect(h.placed).toEqual([]);
  });

  it('corrects a field by voice and reads the order back again', async () => {
    const h = harness({ quotes: { AAPL: apple } });
    await h.readback.propose(buy10);
    const qty = await h.readback.correct('qty', 20);
    expect(qty.speech).toBe('Buy 20 Apple at market, about 3,840 dollars. Say confirm or cancel.');
    const price = await h.readback.correct('limitPrice', 190);
    expect(price.speech).toBe('Buy 20 Apple, limit 190 dollars, about 3,800 dollars. Say confirm or cancel.');
    await h.readback.confirm(price.pending?.id);
    expect(h.placed).toEqual([{ ...buy10, qty: 20, type: 'limit', limitPrice: 190 }]);
  });

  it('refuses orders over the quantity or notional limit outright', async () => {
    const h = harness({ quotes: { AAPL: apple }, maxQty: 500, maxNotionalE4: 50_000 * 10_000 });
    const tooMany = await h.readback.propose({ ...buy10, qty: 600 });
    expect(tooMany.refused).toBe(true);
    expect(tooMany.speech).toMatch(/600 shares is over the voice order limit of 500/);
    const tooBig = await h.readback.propose({ ...buy10, qty: 400 });
    expect(tooBig.refused).toBe(true);
    expect(tooBig.speech).toMatch(/About 76,800 dollars is over the voice order limit of 50,000 dollars/);
    expect(h.readback.current).toBeNull();
    // A correction over the limit leaves the pending order as it was.
    await h.readback.propose(buy10);
    const corrected = await h.readback.correct('qty', 9_000);
    expect(corrected.refused).toBe(true);
    expect(h.readback.current?.order.qty).toBe(10);
  });

  it('warns about a limit far outside the day range and passes on the rule warnings', async () => {
    const h = harness({ quotes: { AAPL: apple }, warnings: ['This would be your fourth day trade in five days.'] });
    const outcome = await h.readback.propose({ ...buy10, type: 'limit', limitPrice: 250 });
    expect(outcome.refused).toBe(false);
    expect(outcome.speech).toBe(
      "Buy 10 Apple, limit 250 dollars, about 2,500 dollars. Warning: The limit of 250 dollars is far above today's range of 189.5 dollars to 194 dollars. This would be your fourth day trade in five days. Say confirm or cancel.",
    );
    const near = await h.readback.propose({ ...buy10, type: 'limit', limitPrice: 195 });
    expect(near.pending?.warnings).toEqual(['This would be your fourth day trade in five days.']);
  });

  it('says when it has no price, and reads spelled symbols letter by letter', async () => {
    const h = harness();
    const outcome = await h.readback.propose({ verb: 'short', side: 'sell', qty: 5, symbol: 'ZZQ', type: 'market' });
    expect(outcome.speech).toBe('Short 5 Z Z Q at market. Warning: I have no price for Z Z Q. Say confirm or cancel.');
  });

  it('reports a broker refusal and leaves nothing pending', async () => {
    const h = harness({ quotes: { AAPL: apple }, placeFails: true });
    await h.readback.propose(buy10);
    const outcome = await h.readback.confirm();
    expect(outcome.refused).toBe(true);
    expect(outcome.speech).toBe('The order was not placed: the market is closed');
    expect(h.readback.current).toBeNull();
  });
});

describe('spokenDollars', () => {
  it('rounds to dollars from 100 up and keeps cents below', () => {
    expect(spokenDollars(1920 * 10_000)).toBe('1,920 dollars');
    expect(spokenDollars(1_234_567_8900)).toBe('1,234,568 dollars');
    expect(spokenDollars(12.5 * 10_000)).toBe('12.50 dollars');
    expect(spokenDollars(7 * 10_000)).toBe('7 dollars');
  });
});
