/**
 * Property tests of the broker's invariants over random markets and random order sequences, on a real SQLite file:
 * the books reconcile after every step, a cash account never goes negative, no fill happens outside its bar or
 * beyond its limit, filled never exceeds ordered, a refused command changes nothing (a full database dump before
 * and after), and a restart keeps working orders, positions and the account as they were.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerConfig, OrderRequest } from '../../../shared/domain/broker';
import { toE4 } from '../../../shared/money';
import { AppError } from '../../../shared/result';
import { cleanupTempDirs } from '../testing/fixtures';
import { type BrokerFixture, dumpDatabase, openBrokerFixture } from './broker-test-kit';

afterEach(cleanupTempDirs);

const SYMBOLS = ['AAA', 'BBB'] as const;
const T0 = Date.UTC(2024, 2, 4, 14, 30);

const factor = fc.double({ min: 0.96, max: 1.04, noNaN: true });
const maybeBadPrice = fc.oneof(
  { weight: 12, arbitrary: factor },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, -1, 0) },
);
const qty = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: 1, max: 60 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -5, 2.5, Number.NaN) },
);

type Step =
  | {
      kind: 'bar';
      symbol: string;
      gap: number;
      move: number;
      up: number;
      down: number;
      volume: number;
      nextDay: boolean;
    }
  | {
      kind: 'place';
      symbol: string;
      side: 'buy' | 'sell';
      type: 'market' | 'limit' | 'stop' | 'stop_limit';
      qty: number;
      limitF: number;
      stopF: number;
      tif: 'day' | 'gtc';
      bracket: { tp: number; sl: number; wrongSide: boolean } | null;
      extraPrice: boolean;
    }
  | { kind: 'cancel'; pick: number }
  | { kind: 'replace'; pick: number; qty: number | null; priceF: number | null }
  | { kind: 'mark'; symbol: string; f: number }
  | { kind: 'endSession' }
  | { kind: 'reset'; cash: number }
  | { kind: 'restart' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant('bar' as const),
      symbol: fc.constantFrom(...SYMBOLS),
      gap: fc.double({ min: -0.08, max: 0.08, noNaN: true }),
      move: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
      up: fc.double({ min: 0, max: 0.04, noNaN: true }),
      down: fc.double({ min: 0, max: 0.04, noNaN: true }),
      volume: fc.oneof(
        { weight: 9, arbitrary: fc.integer({ min: 1, max: 3000 }) },
        { weight: 1, arbitrary: fc.constant(0) },
      ),
      nextDay: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('place' as const),
      symbol: fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom(...SYMBOLS) },
        { weight: 1, arbitrary: fc.constant('NOPE') },
      ),
      side: fc.constantFrom('buy' as const, 'sell' as const),
      type: fc.constantFrom('market' as const, 'limit' as const, 'stop' as const, 'stop_limit' as const),
      qty,
      limitF: maybeBadPrice,
      stopF: maybeBadPrice,
      tif: fc.constantFrom('day' as const, 'gtc' as const),
      bracket: fc.oneof(
        { weight: 2, arbitrary: fc.constant(null) },
        {
          weight: 1,
          arbitrary: fc.record({
            tp: fc.double({ min: 0.005, max: 0.1, noNaN: true }),
            sl: fc.double({ min: 0.005, max: 0.1, noNaN: true }),
            wrongSide: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
          }),
        },
      ),
      extraPrice: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('replace' as const),
      pick: fc.nat(),
      qty: fc.option(qty),
      priceF: fc.option(maybeBadPrice),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('mark' as const), symbol: fc.constantFrom(...SYMBOLS), f: factor }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'endSession' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('reset' as const), cash: fc.integer({ min: 1_000, max: 50_000 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
);

const config: fc.Arbitrary<Partial<BrokerConfig>> = fc.record({
  startingCashE4: fc
    .oneof(fc.integer({ min: 1_000, max: 20_000 }), fc.integer({ min: 100_000, max: 1_000_000 }))
    .map((d) => d * 10_000),
  commissionPerShareE4: fc.constantFrom(0, 50, 100),
  commissionMinE4: fc.constantFrom(0, 10_000),
  spreadBps: fc.constantFrom(0, 2, 10),
  slippageBps: fc.constantFrom(0, 1, 25),
  maxVolumeParticipation: fc.constantFrom(1, 0.1, 0.5),
  allowShort: fc.boolean(),
  equitySampleMs: fc.constantFrom(60_000, 300_000),
});

const round2 = (x: number) => Math.round(x * 100) / 100;

function isRefusal(e: unknown): e is AppError {
  return e instanceof AppError && ['REJECTED', 'NOT_FOUND', 'CONFLICT'].includes(e.code);
}

/**
 * The properties run on a fixed seed so that the coverage check below is stable in CI (a random seed would make it
 * flaky); set FC_SEED to explore other markets.
 */
const PROPERTY_SEED = Number(process.env.FC_SEED ?? 20_261_125);

/** What the runs exercised, so a generator that stopped producing fills or refusals fails the test. */
const seen = { accepted: 0, bars: 0, fills: 0, partial: 0, exitFills: 0, refusals: 0, restarts: 0, shorts: 0 };

function run(cfg: Partial<BrokerConfig>, steps: Step[]): void {
  let fx: BrokerFixture = openBrokerFixture(cfg, { symbols: [...SYMBOLS] });
  const last = new Map<string, number>(SYMBOLS.map((s) => [s, 100]));
  let t = T0;
  try {
    for (const s of steps) {
      t += 60_000;
      const { broker, db } = fx;
      switch (s.kind) {
        case 'bar': {
          if (s.nextDay) t += 86_400_000;
          const prev = last.get(s.symbol) ?? 100;
          const o = Math.max(0.5, round2(prev * (1 + s.gap)));
          const c = Math.max(0.5, round2(o * (1 + s.move)));
          const h = round2(Math.max(o, c) * (1 + s.up));
          const l = Math.max(0.01, round2(Math.min(o, c) * (1 - s.down)));
          last.set(s.symbol, c);
          const fills = broker.onBar(s.symbol, { t, o, h, l, c, v: s.volume });
          seen.bars++;
          for (const f of fills) {
            seen.fills++;
            if (f.positionAfter < 0) seen.shorts++;
            expect(f.t).toBe(t);
            expect(f.priceE4).toBeGreaterThanOrEqual(toE4(l));
            expect(f.priceE4).toBeLessThanOrEqual(toE4(h));
            const order = broker.order(f.orderId);
            expect(order.createdT).toBeLessThanOrEqual(t);
            expect(order.filledQty).toBeLessThanOrEqual(order.qty);
            if (order.filledQty < order.qty) seen.partial++;
            if (order.parentId !== null) seen.exitFills++;
            if ((order.type === 'limit' || order.type === 'stop_limit') && order.limitPriceE4 !== null) {
              if (f.side === 'buy') expect(f.priceE4).toBeLessThanOrEqual(order.limitPriceE4);
              else expect(f.priceE4).toBeGreaterThanOrEqual(order.limitPriceE4);
            }
          }
          break;
        }
        case 'mark':
          broker.mark(s.symbol, round2((last.get(s.symbol) ?? 100) * s.f), t);
          break;
        case 'endSession':
          broker.endSession(t);
          break;
        case 'reset': {
          const summary = broker.reset(t, s.cash * 10_000);
          expect(summary).toMatchObject({ cashE4: s.cash * 10_000, equityE4: s.cash * 10_000, openOrders: 0 });
          expect(broker.positions()).toEqual([]);
          break;
        }
        case 'restart': {
          const before = {
            summary: broker.summary(),
            positions: broker.positions({ includeFlat: true }),
            working: broker.orders({ status: 'working' }),
          };
          fx = fx.restart();
          seen.restarts++;
          expect(fx.broker.summary()).toEqual(before.summary);
          expect(fx.broker.positions({ includeFlat: true })).toEqual(before.positions);
          expect(fx.broker.orders({ status: 'working' })).toEqual(before.working);
          break;
        }
        default: {
          broker.flush();
          const dump = dumpDatabase(db);
          const summary = broker.summary();
          try {
            if (s.kind === 'place') {
              broker.place(request(s, last), t);
              seen.accepted++;
            } else {
              const all = broker.orders();
              const target = all.length > 0 ? all[s.pick % all.length] : undefined;
              const id = target?.id ?? s.pick;
              if (s.kind === 'cancel') broker.cancel(id, t);
              else {
                const ref = last.get(target?.symbol ?? 'AAA') ?? 100;
                const price = s.priceF === null ? undefined : round2(ref * s.priceF);
                const changes =
                  target?.type === 'stop'
                    ? { stopPrice: price }
                    : target?.type === 'market'
                      ? {}
                      : { limitPrice: price };
                broker.replace(id, { ...changes, ...(s.qty === null ? {} : { qty: s.qty }) }, t);
              }
            }
          } catch (e) {
            if (!isRefusal(e)) throw e;
            seen.refusals++;
            expect(e.message.length).toBeGreaterThan(5);
            expect(dumpDatabase(db)).toEqual(dump);
            expect(broker.summary()).toEqual(summary);
          }
        }
      }
      const report = fx.broker.reconcile();
      if (!report.ok) throw new Error(`after ${JSON.stringify(s)}: ${report.problems.join('; ')}`);
      if (!cfg.allowShort) expect(fx.broker.cashE4()).toBeGreaterThanOrEqual(0);
      for (const o of fx.broker.orders({ limit: 10_000 })) expect(o.filledQty).toBeLessThanOrEqual(o.qty);
    }
  } finally {
    fx.db.close();
  }
}

function request(s: Extract<Step, { kind: 'place' }>, last: Map<string, number>): OrderRequest {
  const ref = last.get(s.symbol) ?? 100;
  const needsLimit = s.type === 'limit' || s.type === 'stop_limit';
  const needsStop = s.type === 'stop' || s.type === 'stop_limit';
  const req: OrderRequest = { symbol: s.symbol, side: s.side, type: s.type, qty: s.qty, tif: s.tif };
  if (needsLimit || s.extraPrice) req.limitPrice = round2(ref * s.limitF);
  if (needsStop) req.stopPrice = round2(ref * s.stopF);
  if (s.bracket) {
    const dir = (s.side === 'buy' ? 1 : -1) * (s.bracket.wrongSide ? -1 : 1);
    const entry = req.limitPrice ?? req.stopPrice ?? ref;
    req.bracket = {
      takeProfitLimitPrice: round2(entry * (1 + dir * s.bracket.tp)),
      stopLossStopPrice: round2(entry * (1 - dir * s.bracket.sl)),
    };
  }
  return req;
}

describe('paper broker properties', () => {
  it('keeps its invariants over random markets and random order sequences', () => {
    fc.assert(
      fc.property(config, fc.array(step, { minLength: 5, maxLength: 70 }), (cfg, steps) => run(cfg, steps)),
      { numRuns: 120, seed: PROPERTY_SEED },
    );
  });

  it('keeps its invariants when the market mostly trades (dense bars, small orders)', () => {
    const dense = fc.array(
      fc.oneof({ weight: 3, arbitrary: step.filter((s) => s.kind === 'bar') }, { weight: 2, arbitrary: step }),
      { minLength: 20, maxLength: 120 },
    );
    fc.assert(
      fc.property(config, dense, (cfg, steps) => run(cfg, steps)),
      { numRuns: 40, seed: PROPERTY_SEED },
    );
  });

  it('exercised fills, partial fills, bracket exits, shorts, refusals and restarts', () => {
    expect(seen.accepted).toBeGreaterThan(100);
    expect(seen.bars).toBeGreaterThan(500);
    expect(seen.fills).toBeGreaterThan(40);
    expect(seen.partial).toBeGreaterThan(3);
    expect(seen.exitFills).toBeGreaterThan(0);
    expect(seen.shorts).toBeGreaterThan(0);
    expect(seen.refusals).toBeGreaterThan(100);
    expect(seen.restarts).toBeGreaterThan(20);
  });
});
