/**
 * The broker's live rules: `PaperBroker.configure` on a real SQLite file, and the `broker.*` settings through the
 * real engine (settings.set over the dispatcher, an imported series replayed bar by bar, orders filled by the
 * engine's broker), so a changed setting is seen to apply to the very next order without a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountSummary, Fill, Order } from '../../../shared/domain/broker';
import { defaultBrokerConfig } from '../../../shared/domain/broker';
import { type Result, unwrap } from '../../../shared/result';
import { settingsSchemas } from '../../../shared/settings';
import { ManualScheduler } from '../market/replay/scheduler';
import { cleanupTempDirs, createTestEngine, type TestEngine } from '../testing/fixtures';
import { type brokerRuleSettings, brokerRulesFromSettings, isBrokerRuleSetting } from './broker-settings';
import { bar, dumpDatabase, openBrokerFixture, plainConfig } from './broker-test-kit';

afterEach(cleanupTempDirs);

const T0 = Date.UTC(2024, 0, 2, 15, 0);
const MIN = 60_000;

describe('PaperBroker.configure', () => {
  it('applies new costs and a new volume cap to the next fill, and leaves earlier fills alone', () => {
    const { broker, db } = openBrokerFixture({ ...plainConfig });
    broker.onBar('AAPL', bar(T0 - MIN, 100, 101, 99, 100));
    const first = broker.place({ symbol: 'AAPL', side: 'buy', qty: 100, type: 'market' }, T0);
    broker.onBar('AAPL', bar(T0, 100, 101, 99, 100));
    expect(broker.orders({ status: 'all' }).find((o) => o.id === first.id)).toMatchObject({
      avgFillPriceE4: 1_000_000,
      commissionE4: 0,
    });

    const config = broker.configure({
      spreadBps: 20,
      slippageBps: 5,
      commissionPerShareE4: 100,
      commissionMinE4: 25_000,
      maxVolumeParticipation: 0.5,
    });
    expect(config).toMatchObject({ spreadBps: 20, slippageBps: 5, maxVolumeParticipation: 0.5 });
    expect(broker.config).toBe(config);

    const second = broker.place({ symbol: 'AAPL', side: 'buy', qty: 100, type: 'market' }, T0 + MIN);
    // 150 shares of volume at 50%: 75 fill on this bar, the rest keeps working.
    broker.onBar('AAPL', bar(T0 + MIN, 100, 101, 99, 100, 150));
    const fills = broker.fills({}).filter((f: Fill) => f.orderId === second.id);
    expect(fills).toHaveLength(1);
    // Half the 20 bp spread plus 5 bp slippage, against the buyer: 100 × 1.0015.
    expect(fills[0]).toMatchObject({ qty: 75, priceE4: 1_001_500, commissionE4: 25_000 });
    // The first order's fill kept the price and commission of its own time.
    expect(broker.fills({}).find((f: Fill) => f.orderId === first.id)).toMatchObject({
      priceE4: 1_000_000,
      commissionE4: 0,
    });
    expect(broker.reconcile()).toEqual({ ok: true, problems: [] });
    expect(dumpDatabase(db).orders).toHaveLength(2);
  });

  it('turns shorting on for the next order, and refuses to turn it off while the account is short', () => {
    const { broker, events } = openBrokerFixture({ ...plainConfig });
    broker.onBar('AAPL', bar(T0 - MIN, 100, 101, 99, 100));
    const short = { symbol: 'AAPL', side: 'sell', qty: 10, type: 'market' } as const;
    expect(() => broker.place(short, T0)).toThrow(/shorting is off/);

    events.length = 0;
    broker.configure({ allowShort: true });
    // The desk's account view follows at once: shorting on, buying power under the margin rule.
    const account = events.find((e) => e.event === 'onAccount')?.payload as AccountSummary | undefined;
    expect(account?.allowShort).toBe(true);
    const order = broker.place(short, T0);
    broker.onBar('AAPL', bar(T0, 100, 101, 99, 100));
    expect(broker.positions().find((p) => p.symbol === 'AAPL')?.qty).toBe(-10);

    expect(() => broker.configure({ allowShort: false })).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: expect.stringMatching(/AAPL -10.*buy the shares back/) }),
    );
    expect(broker.config.allowShort).toBe(true);

    broker.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'market' }, T0 + MIN);
    broker.onBar('AAPL', bar(T0 + MIN, 100, 101, 99, 100));
    expect(broker.configure({ allowShort: false }).allowShort).toBe(false);
    expect(() => broker.place(short, T0 + 2 * MIN)).toThrow(/shorting is off/);
    expect(order.id).toBeGreaterThan(0);
    expect(broker.reconcile()).toEqual({ ok: true, problems: [] });
  });

  it('refuses values out of range and rules fixed for the account, and then changes nothing', () => {
    const { broker } = openBrokerFixture({ ...plainConfig });
    const before = broker.config;
    expect(() => broker.configure({ spreadBps: -1 })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => broker.configure({ maxVolumeParticipation: 0 })).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT' }),
    );
    expect(() => broker.configure({ sessionUtcOffsetMinutes: 60 } as never)).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringContaining('sessionUtcOffsetMinutes') }),
    );
    expect(broker.config).toBe(before);
  });
});

describe('broker.* settings', () => {
  it('default to the broker defaults, and map cents to the broker units', () => {
    const defaults = { get: (key: (typeof brokerRuleSettings)[number]) => settingsSchemas[key].parse(undefined) };
    expect(brokerRulesFromSettings(defaults as never)).toEqual({
      allowShort: defaultBrokerConfig.allowShort,
      spreadBps: defaultBrokerConfig.spreadBps,
      slippageBps: defaultBrokerConfig.slippageBps,
      commissionPerShareE4: defaultBrokerConfig.commissionPerShareE4,
      commissionMinE4: defaultBrokerConfig.commissionMinE4,
      maxVolumeParticipation: defaultBrokerConfig.maxVolumeParticipation,
    });
    expect(isBrokerRuleSetting('broker.spreadBps')).toBe(true);
    // Starting cash applies at a reset, not as a live rule.
    expect(isBrokerRuleSetting('broker.startingCashCents')).toBe(false);
  });
});

/** Daily bars of one made-up symbol: opens 100, 101, 102, … with room above and below, and a million shares. */
function dailyCsv(days: number): string {
  const rows: string[] = [];
  for (let i = 0; i < days; i++) {
    const day = new Date(Date.UTC(2024, 2, 4 + i + 2 * Math.floor(i / 5))).toISOString().slice(0, 10);
    const o = 100 + i;
    rows.push(`${day},${o},${o + 5},${o - 5},${o},1000000`);
  }
  return `Date,Open,High,Low,Close,Volume\n${rows.join('\n')}`;
}

async function engineOnImportedSeries(): Promise<TestEngine & { call: (m: string, i?: unknown) => Promise<unknown> }> {
  const test = createTestEngine({ scheduler: new ManualScheduler() });
  const call = async (method: string, input?: unknown) =>
    unwrap((await test.dispatch(method as never, input as never, { origin: 'test' })) as Result<unknown>);
  await call('data.importText', { fileName: 'ZZZT.csv', text: dailyCsv(8), symbol: 'ZZZT' });
  await call('replay.load', { source: 'imported', symbols: ['ZZZT'], timeframe: '1d' });
  // The replay opens at the first day's bell, after its bar's stamp: finish that day, so that each order placed
  // from here fills on the next step, at the next day's open.
  await call('replay.step');
  return { ...test, call };
}

describe('broker.* settings through the engine', () => {
  it('apply to the next order without a restart', async () => {
    const { engine, dispatch, call } = await engineOnImportedSeries();
    try {
      const buy = { symbol: 'ZZZT', side: 'buy', qty: 100, type: 'market', tif: 'gtc' };
      // Defaults: half a 2 bp spread plus 1 bp slippage on day 2's open of $101; $0.005 a share, $1 minimum.
      const first = (await call('orders.place', buy)) as Order;
      await call('replay.step');
      const fill1 = engine.broker.fills({}).find((f) => f.orderId === first.id);
      expect(fill1).toMatchObject({ priceE4: Math.round(101 * 10_000 * 1.0002), commissionE4: 10_000 });

      await call('settings.set', { key: 'broker.spreadBps', value: 20 });
      await call('settings.set', { key: 'broker.slippageBps', value: 4 });
      await call('settings.set', { key: 'broker.commissionPerShareE4', value: 300 });
      await call('settings.set', { key: 'broker.commissionMinCents', value: 0 });
      const second = (await call('orders.place', buy)) as Order;
      await call('replay.step');
      const fill2 = engine.broker.fills({}).find((f) => f.orderId === second.id);
      // 10 + 4 bp on day 3's open of $102; $0.03 × 100 shares, no minimum.
      expect(fill2).toMatchObject({ priceE4: Math.round(102 * 10_000 * 1.0014), commissionE4: 30_000 });

      await call('settings.set', { key: 'broker.maxVolumeParticipation', value: 0.00002 });
      const third = (await call('orders.place', buy)) as Order;
      await call('replay.step');
      // 0.002% of a million shares: 20 of the 100 fill on this bar.
      expect(engine.broker.orders({ status: 'all' }).find((o) => o.id === third.id)).toMatchObject({
        filledQty: 20,
        status: 'partially_filled',
      });
      await call('settings.set', { key: 'broker.maxVolumeParticipation', value: 0.1 });
      await call('orders.cancel', { id: third.id });

      // Shorting: refused, then allowed from the next order once the setting is on.
      const short = { symbol: 'ZZZT', side: 'sell', qty: 500, type: 'market', tif: 'gtc' };
      const refused = await dispatch('orders.place', short as never, { origin: 'test' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'REJECTED', message: /shorting is off/ } });
      await call('settings.set', { key: 'broker.allowShort', value: true });
      expect(((await call('account.summary')) as AccountSummary).allowShort).toBe(true);
      await call('orders.place', short);
      await call('replay.step');
      // 220 shares held, 500 sold: short 280.
      expect(engine.broker.positions().find((p) => p.symbol === 'ZZZT')?.qty).toBe(-280);

      // Turning it off while short is refused as data, and the stored setting stays as it was.
      const off = await dispatch('settings.set', { key: 'broker.allowShort', value: false } as never, {
        origin: 'test',
      });
      expect(off).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: /buy the shares back/ } });
      expect(engine.settings.get('broker.allowShort')).toBe(true);
      expect(engine.broker.config.allowShort).toBe(true);

      // A value out of range is refused by the setting's own schema, with nothing stored.
      const bad = await dispatch('settings.set', { key: 'broker.spreadBps', value: -3 } as never, { origin: 'test' });
      expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
      expect(engine.settings.get('broker.spreadBps')).toBe(20);
      expect(engine.broker.reconcile()).toEqual({ ok: true, problems: [] });
    } finally {
      await engine.close();
    }
  });

  it('are read at start-up, so a restart keeps the rules that were set', async () => {
    const first = await engineOnImportedSeries();
    await first.call('settings.set', { key: 'broker.spreadBps', value: 8 });
    await first.call('settings.set', { key: 'broker.allowShort', value: true });
    await first.engine.close();
    const again = createTestEngine({ dataDir: first.dataDir, scheduler: new ManualScheduler() });
    try {
      expect(again.engine.broker.config).toMatchObject({ spreadBps: 8, allowShort: true, slippageBps: 1 });
    } finally {
      await again.engine.close();
    }
  });
});
