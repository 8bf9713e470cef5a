import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain/market';
import { type Db, openDatabase } from '../db/database';
import { cleanupTempDirs, makeTempDir, SHARED_DATA } from '../testing/fixtures';
import { symbolTag } from './cache-key';
import { PatternCache } from './pattern-cache';
import { PrefixStateCache, type StreamingModel } from './prefix-state-cache';

const DATA = path.join(SHARED_DATA, 'market', 'daily');
const AAPL = path.join(DATA, 'yahoofinance-AAPL-20040819-20180120.csv');

/** Daily AAPL bars from the real Yahoo CSV (Date,Open,High,Low,Close,Adj Close,Volume). */
function loadAapl(): Bar[] {
  const lines = fs.readFileSync(AAPL, 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => {
    const [date, o, h, l, c, , v] = line.split(',');
    return { t: Date.parse(`${date}T00:00:00Z`), o: Number(o), h: Number(h), l: Number(l), c: Number(c), v: Number(v) };
  });
}

interface IndicatorState {
  n: number;
  ema: number | null;
  avgGain: number | null;
  avgLoss: number | null;
  prevClose: number | null;
  gains: number;
  losses: number;
}

/** EMA(20) and Wilder RSI(14) with O(1) updates: the kind of state InternLM2's stream slot keeps. */
function indicatorModel(counter: { steps: number }, params = { ema: 20, rsi: 14 }): StreamingModel<IndicatorState> {
  return {
    slot: 'internlm2',
    modelVersion: '1',
    params,
    init: () => ({ n: 0, ema: null, avgGain: null, avgLoss: null, prevClose: null, gains: 0, losses: 0 }),
    step(s, bar) {
      counter.steps++;
      const k = 2 / (params.ema + 1);
      s.ema = s.ema === null ? bar.c : s.ema + k * (bar.c - s.ema);
      if (s.prevClose !== null) {
        const d = bar.c - s.prevClose;
        const gain = Math.max(d, 0);
        const loss = Math.max(-d, 0);
        if (s.avgGain === null || s.avgLoss === null) {
          s.gains += gain;
          s.losses += loss;
          if (s.n === params.rsi) {
            s.avgGain = s.gains / params.rsi;
            s.avgLoss = s.losses / params.rsi;
          }
        } else {
          s.avgGain = (s.avgGain * (params.rsi - 1) + gain) / params.rsi;
          s.avgLoss = (s.avgLoss * (params.rsi - 1) + loss) / params.rsi;
        }
      }
      s.prevClose = bar.c;
      s.n++;
      return s;
    },
  };
}

function fromScratch(bars: readonly Bar[]): IndicatorState {
  const model = indicatorModel({ steps: 0 });
  let s = model.init();
  bars.forEach((b, i) => {
    s = model.step(s, b, i);
  });
  return s;
}

const handles: { cache: PatternCache; db: Db }[] = [];

function setup(blockSize = 64, dir = makeTempDir()) {
  const db = openDatabase(path.join(dir, 'swaggy.db'));
  const cache = new PatternCache({ db, clock: { domain: 'market', now: () => 1_500_000_000_000 }, sweepIntervalMs: 0 });
  handles.push({ cache, db });
  return { dir, db, cache, prefix: new PrefixStateCache({ cache, blockSize }) };
}

afterEach(() => {
  for (const { cache, db } of handles.splice(0)) {
    if (db.open) {
      cache.close();
      db.close();
    }
  }
  cleanupTempDirs();
});

describe.skipIf(!fs.existsSync(AAPL))('PrefixStateCache on real AAPL daily bars', () => {
  const all = fs.existsSync(AAPL) ? loadAapl() : [];

  it('extending a series by one bar steps exactly once, block-aligned or not', () => {
    for (const n of [1000, 1024]) {
      const { prefix } = setup();
      const counter = { steps: 0 };
      const model = indicatorModel(counter);
      const first = prefix.run(model, all.slice(0, n));
      expect(first).toMatchObject({ fromIndex: 0, computed: n });
      expect(counter.steps).toBe(n);

      counter.steps = 0;
      const next = prefix.run(model, all.slice(0, n + 1));
      expect(counter.steps).toBe(1);
      expect(next).toMatchObject({ fromIndex: n, computed: 1 });
      expect(next.state).toEqual(fromScratch(all.slice(0, n + 1)));

      counter.steps = 0;
      expect(prefix.run(model, all.slice(0, n + 1)).computed).toBe(0);
      expect(counter.steps).toBe(0);
    }
  });

  it('gives exactly the from-scratch state for any sequence of growing and shrinking runs', () => {
    const { prefix } = setup(32);
    const counter = { steps: 0 };
    const model = indicatorModel(counter);
    let longest = 0;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 1, maxLength: 6 }), (lengths) => {
        for (const n of lengths) {
          counter.steps = 0;
          const r = prefix.run(model, all.slice(0, n));
          expect(r.state).toEqual(fromScratch(all.slice(0, n)));
          expect(counter.steps).toBe(r.computed);
          // Every block boundary up to the longest run so far is stored, so at most the last partial block of the
          // shared prefix is recomputed.
          expect(r.fromIndex).toBeGreaterThanOrEqual(Math.floor(Math.min(n, longest) / 32) * 32);
          longest = Math.max(longest, n);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('resumes from the SQLite tier after a restart', () => {
    const { dir, prefix, cache, db } = setup();
    const model = indicatorModel({ steps: 0 });
    prefix.run(model, all.slice(0, 2000), { tags: [symbolTag('AAPL')] });
    cache.close();
    db.close();

    const again = setup(64, dir);
    const counter = { steps: 0 };
    const r = again.prefix.run(indicatorModel(counter), all.slice(0, 2001));
    expect(r).toMatchObject({ fromIndex: 2000, computed: 1 });
    expect(counter.steps).toBe(1);
    expect(r.state).toEqual(fromScratch(all.slice(0, 2001)));
    expect(again.cache.stats().tiers.sqlite.hits).toBe(1);
  });

  it('a corrected bar invalidates every state after it, and only those', () => {
    const { prefix } = setup(64);
    const model = indicatorModel({ steps: 0 });
    prefix.run(model, all.slice(0, 640));
    const corrected = all.slice(0, 641).map((b) => ({ ...b }));
    (corrected[300] as Bar).c *= 1.01; // a re-import fixed bar 300
    const counter = { steps: 0 };
    const r = prefix.run(indicatorModel(counter), corrected);
    expect(r.fromIndex).toBe(256); // the last block boundary before bar 300
    expect(counter.steps).toBe(641 - 256);
    expect(r.state).toEqual(fromScratch(corrected));
  });

  it('does not reuse states across model versions or params', () => {
    const { prefix } = setup();
    prefix.run(indicatorModel({ steps: 0 }), all.slice(0, 300));
    const c1 = { steps: 0 };
    prefix.run({ ...indicatorModel(c1), modelVersion: '2' }, all.slice(0, 300));
    expect(c1.steps).toBe(300);
    const c2 = { steps: 0 };
    prefix.run(indicatorModel(c2, { ema: 50, rsi: 14 }), all.slice(0, 300));
    expect(c2.steps).toBe(300);
  });

  it('a live stream steps once per appended bar, and its states serve later runs', () => {
    const { prefix, cache, db } = setup(64);
    const counter = { steps: 0 };
    const model = indicatorModel(counter);
    const stream = prefix.open(model, all.slice(0, 500));
    counter.steps = 0;
    for (let i = 500; i < 700; i++) stream.append(all[i] as Bar);
    expect(counter.steps).toBe(200);
    expect(stream.count).toBe(700);
    expect(stream.state).toEqual(fromScratch(all.slice(0, 700)));
    expect(() => stream.append(all[10] as Bar)).toThrow(/time order/);

    cache.flush();
    // States at each block boundary (64 .. 640) and one tail (700): superseded tails were deleted.
    expect(db.prepare('SELECT COUNT(*) FROM cache_entries').pluck().get()).toBe(10 + 1);

    counter.steps = 0;
    const r = prefix.run(indicatorModel(counter), all.slice(0, 701));
    expect(r.fromIndex).toBe(700);
    expect(counter.steps).toBe(1);
  });

  it('counts one miss for a cold resume, not one per candidate prefix', () => {
    const { prefix, cache } = setup(16);
    prefix.run(indicatorModel({ steps: 0 }), all.slice(0, 200));
    const s = cache.stats();
    expect(s.totals).toMatchObject({ lookups: 1, misses: 1, hits: 0 });
    expect(s.slots.find((g) => g.name === 'internlm2')).toMatchObject({ misses: 1, puts: 12 + 1 });
    prefix.run(indicatorModel({ steps: 0 }), all.slice(0, 201));
    expect(cache.stats().totals).toMatchObject({ lookups: 2, misses: 1, hits: 1 });
    // resume() only looks. Within the same block it finds the stored end of the last run (201); further out only
    // block boundaries are searched (192), as documented.
    expect(prefix.resume(indicatorModel({ steps: 0 }), all.slice(0, 205))).toMatchObject({ fromIndex: 201 });
    expect(prefix.resume({ ...indicatorModel({ steps: 0 }), modelVersion: '9' }, all.slice(0, 230))).toEqual({
      state: null,
      fromIndex: 0,
    });
    expect(prefix.resume(indicatorModel({ steps: 0 }), all.slice(0, 230))).toMatchObject({ fromIndex: 192 });
    expect(cache.stats().totals).toMatchObject({ lookups: 5, misses: 2, hits: 3 });
    expect(cache.stats().slots.find((g) => g.name === 'internlm2')?.lookupLatency.count).toBe(5);
  });

  it('refuses bars out of time order', () => {
    const { prefix } = setup();
    const bars = all.slice(0, 10);
    expect(() => prefix.run(indicatorModel({ steps: 0 }), [...bars].reverse())).toThrow(/increasing time order/);
  });
});
