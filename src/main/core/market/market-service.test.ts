import { describe, expect, it } from 'vitest';
import type { MarketEventName, MarketEventPayload } from '../../../shared/contract/market';
import { marketEvents } from '../../../shared/contract/market';
import type { Bar, Tick } from '../../../shared/domain/market';
import { AppError } from '../../../shared/result';
import { aggregateBars, aggregateTicks } from './aggregate';
import { DEFAULT_SYNTHETIC_START, decimateTicks, type MarketListener, MarketService } from './market-service';
import { MemoryBarReader } from './replay/memory-bar-reader';
import { ManualScheduler } from './replay/scheduler';
import { parseDay } from './sessions';
import { SyntheticMarket } from './synthetic/synthetic-market';
import type { BarEvent } from './types';

const utc = (iso: string) => Date.parse(iso);
const SYMBOLS = ['AAPL', 'SPY'];

type Emitted = { [E in MarketEventName]: { event: E; payload: MarketEventPayload<E> } }[MarketEventName];

function setup(options: Partial<ConstructorParameters<typeof MarketService>[0]> = {}) {
  const scheduler = new ManualScheduler(0);
  const emitted: Emitted[] = [];
  const errors: unknown[] = [];
  const service = new MarketService({
    scheduler,
    emit: (event, payload) => {
      // Every payload must match the contract the desk parses.
      marketEvents[event].payload.parse(payload);
      emitted.push({ event, payload } as Emitted);
    },
    defaults: () => ({ seed: 7, symbols: SYMBOLS }),
    historySessions: 3,
    log: { info() {}, warn() {}, error: (_m, e) => errors.push(e) },
    ...options,
  });
  const bars: BarEvent[] = [];
  const ticks: Tick[] = [];
  const resets: string[] = [];
  const listener: MarketListener = {
    onBar: (e) => bars.push(e),
    onTick: (t) => ticks.push(t),
    onReset: (info) => resets.push(info.reason),
  };
  service.subscribe(listener);
  const of = <E extends MarketEventName>(event: E) =>
    emitted.filter((x) => x.event === event).map((x) => x.payload as MarketEventPayload<E>);
  return { scheduler, service, emitted, of, bars, ticks, resets, errors };
}

const reference = new SyntheticMarket({ seed: 7, symbols: SYMBOLS });

describe('MarketService: the default synthetic session', () => {
  it('loads the watchlist at the fixed start on first use, with history for the chart', () => {
    const { service, of, resets } = setup();
    const state = service.state();
    expect(state).toMatchObject({
      source: 'synthetic',
      symbols: SYMBOLS,
      seed: 7,
      timeframe: '1m',
      playing: false,
      marketT: DEFAULT_SYNTHETIC_START,
      lastT: null,
      ended: false,
    });
    expect(of('onReplayState')).toHaveLength(1);
    expect(resets).toEqual(['load']);
    const minutes = service.bars('AAPL', '1m', 5000);
    expect(minutes.bars).toHaveLength(3 * 390);
    expect(minutes.source).toBe('synthetic');
    expect(minutes.bars.at(-1)?.t).toBe(utc('2024-12-31T20:59:00Z'));
    const days = service.bars('AAPL', '1d');
    expect(days.bars).toEqual(reference.bars('AAPL', '1d', parseDay('2024-12-27'), parseDay('2024-12-31')));
    expect(days.bars).toHaveLength(3);
    // The opening print at 09:30:00.000 has happened at the start time: change is measured against Dec 31's close.
    const { quotes, source } = service.quotes();
    expect(source).toBe('synthetic');
    const aapl = quotes[0];
    const dec31 = reference.minuteBars('AAPL', utc('2024-12-31T20:59:00Z'), utc('2024-12-31T20:59:00Z'))[0] as Bar;
    const openPrint = reference.ticks('AAPL', DEFAULT_SYNTHETIC_START, DEFAULT_SYNTHETIC_START)[0] as Tick;
    expect(aapl).toMatchObject({ symbol: 'AAPL', source: 'synthetic', last: openPrint.price, prevClose: dec31.c });
    expect(aapl?.open).toBe(openPrint.price);
    expect(aapl?.change).toBeCloseTo(openPrint.price - dec31.c, 10);
    expect(aapl?.changePct).toBeCloseTo(((openPrint.price - dec31.c) / dec31.c) * 100, 10);
  });

  it('plays: batched tick events, every bar to in-process listeners in time order, coarser bars live', () => {
    const { scheduler, service, of, bars, ticks } = setup();
    service.setSpeed(60);
    service.play();
    scheduler.advance(5_100);
    service.pause();
    // 5.1 wall seconds at 60×: five 1m bars per symbol, and the 09:30 5m bar.
    const minuteEvents = bars.filter((b) => b.timeframe === '1m');
    expect(minuteEvents.map((b) => `${b.symbol}@${b.bar.t}`)).toEqual(
      [0, 1, 2, 3, 4].flatMap((i) => SYMBOLS.map((s) => `${s}@${DEFAULT_SYNTHETIC_START + i * 60_000}`)),
    );
    const expectedMinutes = reference.minuteBars('AAPL', DEFAULT_SYNTHETIC_START, DEFAULT_SYNTHETIC_START + 4 * 60_000);
    expect(minuteEvents.filter((b) => b.symbol === 'AAPL').map((b) => b.bar)).toEqual(expectedMinutes);
    const fives = bars.filter((b) => b.timeframe === '5m');
    expect(fives.map((b) => b.symbol)).toEqual(SYMBOLS);
    expect(fives[0]?.bar).toEqual(aggregateBars(expectedMinutes, '1m', '5m')[0]);
    // Completed bars come after their ticks and in non-decreasing end time.
    for (const e of bars) expect(e.source).toBe('synthetic');
    // Ticks to the desk: batched (about every 50 ms of wall time), never one message per tick.
    const tickMessages = of('onTicks');
    const sent = tickMessages.reduce((n, m) => n + m.ticks.length, 0);
    expect(sent).toBe(ticks.length);
    expect(tickMessages.length).toBeLessThanOrEqual(5_000 / 50 + 2);
    expect(ticks.length).toBeGreaterThan(3 * tickMessages.length);
    expect(
      tickMessages
        .at(-1)
        ?.quotes.map((q) => q.symbol)
        .sort(),
    ).toEqual([...SYMBOLS].sort());
    const barMessages = of('onBars');
    expect(barMessages.flatMap((m) => m.bars)).toEqual(bars);
    // The last quote is the last tick.
    const lastAapl = ticks.filter((t) => t.symbol === 'AAPL').at(-1) as Tick;
    expect(service.quotes().quotes[0]?.last).toBe(lastAapl.price);
    expect(service.quotes().quotes[0]?.open).toBe(expectedMinutes[0]?.o);
  });

  it('shows the forming bar from the ticks played so far, also merged into coarser bars', () => {
    const { scheduler, service, ticks } = setup();
    service.setSpeed(60);
    service.play();
    scheduler.advance(2_500); // two and a half minutes of market time
    service.pause();
    const formingStart = DEFAULT_SYNTHETIC_START + 2 * 60_000;
    const played = ticks.filter((t) => t.symbol === 'AAPL' && t.t >= formingStart);
    const { forming } = service.bars('AAPL', '1m');
    expect(forming).toEqual(aggregateTicks(played, '1m')[0]);
    const five = service.bars('AAPL', '5m').forming;
    const soFar = ticks.filter((t) => t.symbol === 'AAPL' && t.t >= DEFAULT_SYNTHETIC_START);
    expect(five).toEqual(aggregateTicks(soFar, '5m')[0]);
    expect(service.bars('AAPL', '1d').forming).toEqual(aggregateTicks(soFar, '1d')[0]);
  });

  it('delivers every bar at max speed while thinning what goes to the screen', () => {
    const { scheduler, service, of, bars, ticks } = setup({
      maxTicksPerFlush: 300,
      maxBarsPerFlush: 50,
      clock: { maxStepsPerFrame: 100 },
    });
    service.setSpeed('max');
    service.play();
    // Play past the first session's close and into the next one.
    while (service.state().marketT < utc('2025-01-03T14:45:00Z')) scheduler.advance(5);
    service.pause();
    const day1 = bars.filter((b) => b.timeframe === '1m' && b.bar.t < utc('2025-01-03T00:00:00Z'));
    expect(day1).toHaveLength(390 * 2);
    const daily = bars.filter((b) => b.timeframe === '1d');
    expect(daily.map((b) => b.symbol)).toEqual(SYMBOLS);
    expect(daily[0]?.bar).toEqual(reference.bars('AAPL', '1d', parseDay('2025-01-02'), parseDay('2025-01-02'))[0]);
    // Listeners saw bars in time order per timeframe.
    for (const tf of ['1m', '5m', '15m', '1h'] as const) {
      const ts = bars.filter((b) => b.timeframe === tf && b.symbol === 'SPY').map((b) => b.bar.t);
      expect(ts).toEqual([...ts].sort((a, b) => a - b));
      expect(new Set(ts).size).toBe(ts.length);
    }
    const tickMessages = of('onTicks');
    for (const m of tickMessages) expect(m.ticks.length).toBeLessThanOrEqual(300);
    expect(tickMessages.some((m) => m.dropped > 0)).toBe(true);
    const shown = tickMessages.reduce((n, m) => n + m.ticks.length + m.dropped, 0);
    expect(shown).toBe(ticks.length);
    expect(of('onBars').some((m) => m.truncated)).toBe(true);
    // Day change: the new day is measured against Jan 2's close.
    const jan2Close = reference.minuteBars('AAPL', utc('2025-01-02T20:59:00Z'), utc('2025-01-02T20:59:00Z'))[0] as Bar;
    const quote = service.quotes().quotes[0];
    expect(quote?.prevClose).toBe(jan2Close.c);
    expect(quote?.open).toBe(
      reference.minuteBars('AAPL', utc('2025-01-03T14:30:00Z'), utc('2025-01-03T14:30:00Z'))[0]?.o,
    );
  });

  it('seeks: listeners reset, charts and quotes rebuilt as of the new time', () => {
    const { service, bars, resets, ticks } = setup();
    service.step();
    const seekTo = utc('2025-02-03T16:00:00Z');
    const state = service.seek(seekTo);
    expect(state.marketT).toBe(seekTo);
    expect(resets).toEqual(['load', 'seek']);
    const minutes = service.bars('AAPL', '1m', 10).bars;
    expect(minutes.at(-1)?.t).toBe(utc('2025-02-03T15:59:00Z'));
    expect(service.bars('AAPL', '1d').bars.at(-1)?.t).toBe(parseDay('2025-01-31'));
    const quote = service.quotes().quotes[0];
    // The last trade at or before the new time (a print of the 10:59 bar, or one at exactly 11:00:00.000).
    expect(quote?.last).toBe(reference.ticks('AAPL', utc('2025-02-03T14:30:00Z'), seekTo).at(-1)?.price);
    expect(ticks.filter((t) => t.t > seekTo)).toEqual([]);
    expect(quote?.open).toBe(
      reference.minuteBars('AAPL', utc('2025-02-03T14:30:00Z'), utc('2025-02-03T14:30:00Z'))[0]?.o,
    );
    const before = bars.length;
    service.step();
    expect(bars.slice(before).map((b) => b.bar.t)).toEqual([seekTo, seekTo]);
  });

  it('is reproducible: the same seed and the same actions give the same quotes', () => {
    const run = () => {
      const { scheduler, service } = setup();
      service.setSpeed(600);
      service.play();
      scheduler.advance(3_000);
      service.step();
      return service.quotes();
    };
    expect(run()).toEqual(run());
  });
});

describe('MarketService: imported data and refusals', () => {
  function reader(): MemoryBarReader {
    const r = new MemoryBarReader();
    const days = ['2024-07-01', '2024-07-02', '2024-07-03', '2024-07-05', '2024-07-08', '2024-07-09'];
    r.put(
      'AAPL',
      '1d',
      days.map((d, i) => ({ t: parseDay(d), o: 210 + i, h: 215 + i, l: 208 + i, c: 212 + i, v: 5e7 })),
    );
    r.put(
      'MSFT',
      '1d',
      days.map((d, i) => ({ t: parseDay(d), o: 450 - i, h: 455 - i, l: 440 - i, c: 446 - i, v: 2e7 })),
    );
    return r;
  }

  it('replays imported daily bars to the end and reports it', () => {
    const { scheduler, service, of, bars } = setup({ reader: reader() });
    const state = service.load({
      source: 'imported',
      symbols: ['AAPL', 'MSFT'],
      timeframe: '1d',
      start: parseDay('2024-07-03'),
    });
    expect(state).toMatchObject({
      source: 'imported',
      timeframe: '1d',
      seed: null,
      marketT: utc('2024-07-03T13:30:00Z'),
    });
    expect(service.bars('AAPL', '1d').bars.map((b) => b.t)).toEqual([parseDay('2024-07-01'), parseDay('2024-07-02')]);
    // At the open of July 3 its opening (derived) print has happened; change is against July 2's close.
    expect(service.quotes().quotes[0]).toMatchObject({ last: 212, prevClose: 213, open: 212 });
    expect(() => service.bars('AAPL', '1m')).toThrow(/plays 1d bars/);
    expect(() => service.bars('TSLA', '1d')).toThrow(/not in the replay session/);
    service.setSpeed('max');
    service.play();
    scheduler.advance(100);
    expect(service.state()).toMatchObject({ ended: true, playing: false });
    expect(of('onReplayState').at(-1)).toMatchObject({ ended: true });
    expect(bars.map((b) => `${b.symbol}@${new Date(b.bar.t).toISOString().slice(0, 10)}`)).toEqual(
      ['2024-07-03', '2024-07-05', '2024-07-08', '2024-07-09'].flatMap((d) => [`AAPL@${d}`, `MSFT@${d}`]),
    );
    expect(bars.every((b) => b.source === 'imported' && b.timeframe === '1d')).toBe(true);
    const aapl = service.quotes().quotes[0];
    expect(aapl).toMatchObject({ source: 'imported', last: 217, prevClose: 216, open: 215 });
    expect(() => service.play()).toThrow(/end of its data/);
  });

  it('keeps the current session when a load is refused', () => {
    const { service } = setup({ reader: reader() });
    service.step();
    const before = service.state();
    expect(() => service.load({ source: 'imported', symbols: ['AAPL', 'NOPE'], timeframe: '1d' })).toThrow(
      /No imported 1d bars for NOPE/,
    );
    expect(() => service.load({ source: 'synthetic', start: parseDay('2005-01-01') })).toThrow(/begins on/);
    expect(() =>
      service.load({ source: 'imported', symbols: ['AAPL'], timeframe: '1d', start: parseDay('2030-01-01') }),
    ).toThrow(/ends on/);
    expect(service.state()).toEqual(before);
    service.step();
    expect(service.state().marketT).toBe(before.marketT + 60_000);
    const noStore = setup().service;
    expect(() => noStore.load({ source: 'imported', symbols: ['AAPL'], timeframe: '1d' })).toThrow(AppError);
  });

  it('loads another synthetic market (seed, symbols, start) and keeps the speed', () => {
    const { service, resets } = setup();
    service.setSpeed(250);
    const state = service.load({
      source: 'synthetic',
      seed: 99,
      symbols: ['nvda', 'XYZ'],
      start: utc('2024-06-03T14:00:00Z'),
    });
    expect(state).toMatchObject({
      seed: 99,
      symbols: ['NVDA', 'XYZ'],
      speed: 250,
      marketT: utc('2024-06-03T14:00:00Z'),
    });
    expect(resets).toEqual(['load', 'load']);
    expect(service.bars('xyz', '1m').bars.length).toBeGreaterThan(0);
  });

  it('isolates a failing consumer and stops cleanly', () => {
    const { scheduler, service, bars, errors } = setup();
    service.subscribe({
      onBar: () => {
        throw new Error('broken strategy');
      },
    });
    service.step();
    expect(bars).toHaveLength(2);
    expect(errors.length).toBeGreaterThan(0);
    service.setSpeed(60);
    service.play();
    service.close();
    expect(scheduler.pending).toBe(0);
    expect(() => service.state()).toThrow(/shut down/);
  });
});

describe('decimateTicks', () => {
  it('keeps each bar’s open, high, low and last tick when a batch is too large', () => {
    const ticks: Tick[] = [];
    for (let i = 0; i < 120; i++) ticks.push({ symbol: 'A', t: i * 1000, price: 100 + Math.sin(i) * 5, size: 1 });
    const bucket = (t: number) => Math.floor(t / 60_000) * 60_000;
    expect(decimateTicks(ticks, 1000, bucket)).toBe(ticks);
    const kept = decimateTicks(ticks, 50, bucket);
    expect(kept.length).toBeLessThanOrEqual(8);
    expect(aggregateTicks(kept, '1m').map(({ v: _v, ...ohlc }) => ohlc)).toEqual(
      aggregateTicks(ticks, '1m').map(({ v: _v, ...ohlc }) => ohlc),
    );
    const newest = decimateTicks(ticks, 5, bucket);
    expect(newest.every((t) => t.t >= 60_000)).toBe(true);
  });
});
