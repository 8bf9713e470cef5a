import { describe, expect, it } from 'vitest';
import { type MarketMethodName, marketMethods } from '../../../shared/contract/market';
import { err, formatZodError, ok, type Result, toApiError } from '../../../shared/result';
import type { CallContext } from '../handlers';
import { marketHandlers } from './market-handlers';
import { DEFAULT_SYNTHETIC_START, MarketService } from './market-service';
import { MemoryBarReader } from './replay/memory-bar-reader';
import { ManualScheduler } from './replay/scheduler';
import { parseDay } from './sessions';

const ctx: CallContext = { origin: 'test' };

/** What the engine's dispatcher does with a handler: parse the input, run, check the output, errors as data. */
function makeDispatch(service: MarketService) {
  const handlers = marketHandlers({ market: service });
  return async (method: MarketMethodName, input: unknown): Promise<Result<unknown>> => {
    const def = marketMethods[method];
    const parsed = def.input.safeParse(input);
    if (!parsed.success) return err('BAD_INPUT', `${method}: ${formatZodError(parsed.error)}`);
    try {
      const handler = handlers[method] as (args: unknown, c: CallContext) => unknown;
      const value = await handler(parsed.data, ctx);
      const checked = def.output.safeParse(value);
      if (!checked.success) return err('INTERNAL', `${method}: ${formatZodError(checked.error)}`);
      return ok(value);
    } catch (e) {
      return { ok: false, error: toApiError(e) };
    }
  };
}

function setup() {
  const scheduler = new ManualScheduler();
  const reader = new MemoryBarReader();
  reader.put(
    'AAPL',
    '1d',
    ['2024-07-01', '2024-07-02', '2024-07-03'].map((d, i) => ({
      t: parseDay(d),
      o: 1 + i,
      h: 2 + i,
      l: 0.5 + i,
      c: 1.5 + i,
      v: 10,
    })),
  );
  const service = new MarketService({
    scheduler,
    reader,
    defaults: () => ({ seed: 3, symbols: ['AAPL', 'MSFT'] }),
    historySessions: 1,
  });
  return { scheduler, service, dispatch: makeDispatch(service) };
}

describe('market handlers', () => {
  it('cover every market and replay method of the contract', () => {
    const { service } = setup();
    expect(Object.keys(marketHandlers({ market: service })).sort()).toEqual(Object.keys(marketMethods).sort());
  });

  it('answer within the contract: state, quotes, bars, play/pause/step/seek/speed', async () => {
    const { dispatch, scheduler } = setup();
    const state = await dispatch('replay.state', undefined);
    expect(state).toMatchObject({
      ok: true,
      value: { source: 'synthetic', seed: 3, marketT: DEFAULT_SYNTHETIC_START },
    });
    expect(await dispatch('market.quotes', {})).toMatchObject({ ok: true, value: { source: 'synthetic' } });
    const bars = await dispatch('market.bars', { symbol: 'MSFT', timeframe: '5m', limit: 10 });
    expect(bars.ok && (bars.value as { bars: unknown[] }).bars).toHaveLength(10);
    expect(await dispatch('replay.setSpeed', { speed: 120 })).toMatchObject({ ok: true, value: { speed: 120 } });
    expect(await dispatch('replay.play', undefined)).toMatchObject({ ok: true, value: { playing: true } });
    scheduler.advance(1_000);
    const paused = await dispatch('replay.pause', {});
    expect(paused).toMatchObject({ ok: true, value: { playing: false } });
    const pausedT = paused.ok ? (paused.value as { marketT: number }).marketT : 0;
    expect(pausedT).toBeGreaterThan(DEFAULT_SYNTHETIC_START + 100_000);
    // A step finishes the bar in progress: market time lands on the next whole minute.
    const stepped = await dispatch('replay.step', {});
    expect(stepped.ok && (stepped.value as { marketT: number }).marketT).toBe(
      Math.floor(pausedT / 60_000) * 60_000 + 60_000,
    );
    const seekT = Date.parse('2025-03-03T15:00:00Z');
    expect(await dispatch('replay.seek', { t: seekT })).toMatchObject({ ok: true, value: { marketT: seekT } });
    expect(await dispatch('replay.setSpeed', { speed: 'max' })).toMatchObject({ ok: true, value: { speed: 'max' } });
  });

  it('refuse bad input with codes the desk can act on', async () => {
    const { dispatch } = setup();
    expect(await dispatch('replay.setSpeed', { speed: 20_000 })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' },
    });
    expect(await dispatch('replay.setSpeed', { speed: 'fast' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' },
    });
    expect(await dispatch('replay.seek', { t: parseDay('1999-01-01') })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', message: expect.stringContaining('2010-01-04') },
    });
    expect(await dispatch('market.bars', { symbol: 'ZZZ', timeframe: '1m' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await dispatch('replay.load', { source: 'synthetic', symbols: ['not a ticker!'] })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' },
    });
    expect(await dispatch('replay.load', { source: 'imported', symbols: ['MSFT'], timeframe: '1d' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringContaining('Import a CSV') },
    });
  });

  it('load imported series and play them to the end', async () => {
    const { dispatch, scheduler } = setup();
    const loaded = await dispatch('replay.load', { source: 'imported', symbols: ['AAPL'], timeframe: '1d' });
    expect(loaded).toMatchObject({ ok: true, value: { source: 'imported', timeframe: '1d', seed: null } });
    await dispatch('replay.setSpeed', { speed: 'max' });
    await dispatch('replay.play', {});
    scheduler.advance(50);
    expect(await dispatch('replay.state', {})).toMatchObject({ ok: true, value: { ended: true, playing: false } });
    expect(await dispatch('replay.play', {})).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const bars = await dispatch('market.bars', { symbol: 'AAPL', timeframe: '1d' });
    expect(bars.ok && (bars.value as { bars: unknown[] }).bars).toHaveLength(3);
  });
});
