import type { BrokerConfig, Fill } from '../../../shared/domain/broker';
import { type Bar, type Timeframe, timeframeMs } from '../../../shared/domain/market';
import { toE4 } from '../../../shared/money';
import { AppError } from '../../../shared/result';
import { PaperBroker } from '../broker/paper-broker';
import type { Db } from '../db/database';
import {
  type CurveMetrics,
  curveMetrics,
  type PeriodInfo,
  periodInfo,
  type TradeMetrics,
  tradeMetrics,
} from './metrics';
import { type RoundTrip, roundTrips } from './round-trips';
import type { Strategy, StrategyContext } from './strategy';

export interface BacktestOptions {
  symbol: string;
  timeframe: Timeframe;
  /** Bars in ascending time (a generator can stream them from the bar store in chunks). */
  bars: Iterable<Bar>;
  /** How many bars to expect, for progress (0 or absent: unknown). */
  totalBars?: number;
  strategy: Strategy;
  /** The database the backtest's broker keeps its books in (its own account; a temp file or the run's folder). */
  db: Db;
  /** Default `backtest`. An existing account of this name is reset at the start. */
  accountId?: string;
  /** The broker's rules, over its defaults. */
  broker?: Partial<BrokerConfig>;
  /**
   * Bars per group commit (default 20,000). The broker still makes each state change atomic (a savepoint), but the
   * file is committed once per group: a backtest's intermediate states need no durability, and a commit per fill
   * would make the run wait on the disk. 1 commits every change on its own, as the desk does.
   */
  commitEveryBars?: number;
  /** Called every `progressEvery` bars (default 10,000) and at the end. */
  onProgress?: (done: number, total: number) => void;
  progressEvery?: number;
}

/** Per bar, at the close: equity, cash, buy-and-hold equity and position. Money in dollars (Float64). */
export interface BacktestSeries {
  t: Float64Array;
  equity: Float64Array;
  cash: Float64Array;
  buyAndHold: Float64Array;
  position: Float64Array;
}

export interface BacktestMetrics {
  period: PeriodInfo;
  startingCash: number;
  endingEquity: number;
  strategy: CurveMetrics;
  buyAndHold: CurveMetrics;
  trades: TradeMetrics;
  /** Share of bars that closed with a position. */
  exposure: number;
  commissions: number;
  fills: number;
  /** Strategy orders the broker refused (each with its reason in `rejections`). */
  rejectedOrders: number;
}

export interface BacktestResult {
  symbol: string;
  timeframe: Timeframe;
  strategy: { name: string; params: Readonly<Record<string, number | string | boolean>> };
  broker: BrokerConfig;
  accountId: string;
  bars: number;
  firstT: number;
  lastT: number;
  series: BacktestSeries;
  fills: Fill[];
  trades: RoundTrip[];
  metrics: BacktestMetrics;
  /** The first few refusals, for the report. */
  rejections: string[];
}

/**
 * Replays bars through the real paper broker with a strategy. For each bar, in order: the broker fills what was
 * placed before it (at this bar's prices, by the broker's rules) and marks the close; the strategy sees the
 * completed bar and places orders stamped with the bar's close time, which can fill from the next bar on. The
 * broker writes its books to SQLite as in the desk (a transaction per state change, marks and equity samples
 * buffered), so the same code is measured here.
 */
export function runBacktest(options: BacktestOptions): BacktestResult {
  const { symbol, timeframe, strategy, db } = options;
  const barMs = timeframeMs[timeframe];
  const accountId = options.accountId ?? 'backtest';
  const broker = new PaperBroker({
    db,
    accountId,
    // The run keeps every bar's equity in memory (equity.csv); the books keep one point per hour at most.
    config: { equitySampleMs: Math.max(barMs, 3_600_000), ...options.broker },
    knownSymbol: (s) => s === symbol,
  });
  const cfg = broker.config;
  const costFactor = 1 + (cfg.spreadBps / 2 + cfg.slippageBps) / 10_000;
  const total = options.totalBars ?? 0;
  const every = options.progressEvery ?? 10_000;

  let capacity = Math.max(1024, total);
  let series = allocate(capacity);
  let n = 0;
  let firstT = 0;
  let lastT = Number.NEGATIVE_INFINITY;
  let firstOpen = 0;
  let exposed = 0;
  let rejected = 0;
  const rejections: string[] = [];
  const start = cfg.startingCashE4;

  let bar: Bar = { t: 0, o: 1, h: 1, l: 1, c: 1, v: 0 };
  let position = 0;
  const ctx: StrategyContext = {
    symbol,
    get bar() {
      return bar;
    },
    get index() {
      return n;
    },
    get position() {
      return position;
    },
    get hasWorkingOrders() {
      return broker.hasWorkingOrders(symbol);
    },
    get cashE4() {
      return broker.cashE4();
    },
    get equityE4() {
      return broker.equityE4();
    },
    affordableQty(fraction = 1) {
      const budget = Math.floor(broker.summary().buyingPowerE4 * fraction) - cfg.commissionMinE4;
      const unit = Math.ceil(toE4(bar.c) * costFactor) + cfg.commissionPerShareE4;
      return budget > 0 ? Math.floor(budget / unit) : 0;
    },
  };

  const commitEvery = Math.max(1, options.commitEveryBars ?? 20_000);
  const grouped = commitEvery > 1 && !db.inTransaction;
  let finished = false;
  if (grouped) db.exec('BEGIN');
  try {
    for (const next of options.bars) {
      if (grouped && n > 0 && n % commitEvery === 0) {
        db.exec('COMMIT');
        db.exec('BEGIN');
      }
      if (next.t <= lastT) {
        throw new AppError(
          'BAD_INPUT',
          `Bars must be in ascending time: ${new Date(next.t).toISOString()} came after ${new Date(lastT).toISOString()}`,
        );
      }
      if (n === 0) {
        firstT = next.t;
        firstOpen = next.o;
        // A fresh account per run, starting at the first bar: earlier runs in the same file are wiped.
        broker.reset(next.t - 1, cfg.startingCashE4);
      }
      lastT = next.t;
      bar = next;
      broker.onBar(symbol, next);
      position = broker.positionQty(symbol);

      if (n === capacity) {
        capacity *= 2;
        series = grow(series, capacity);
      }
      const equityE4 = broker.equityE4();
      series.t[n] = next.t;
      series.equity[n] = equityE4 / 10_000;
      series.cash[n] = broker.cashE4() / 10_000;
      series.buyAndHold[n] = (start / 10_000) * (next.c / firstOpen);
      series.position[n] = position;
      if (position !== 0) exposed++;

      const orders = strategy.onBar(ctx);
      n++;
      if (orders) {
        for (const request of orders) {
          try {
            broker.place(request, next.t + barMs);
          } catch (e) {
            if (!(e instanceof AppError) || e.code !== 'REJECTED') throw e;
            rejected++;
            if (rejections.length < 20) rejections.push(`${new Date(next.t).toISOString()}: ${e.message}`);
          }
        }
      }
      if (options.onProgress && n % every === 0) options.onProgress(n, Math.max(total, n));
    }
    broker.flush();
    finished = true;
  } finally {
    if (grouped && db.inTransaction) db.exec(finished ? 'COMMIT' : 'ROLLBACK');
  }
  options.onProgress?.(n, Math.max(total, n));
  if (n === 0) throw new AppError('NOT_FOUND', `No ${symbol} ${timeframe} bars in the chosen range`);

  const trimmed = trim(series, n);
  const fills = broker.allFills();
  const trades = roundTrips(fills);
  const period = periodInfo(firstT, lastT, n, timeframe);
  const startingCash = start / 10_000;
  const summary = broker.summary();
  return {
    symbol,
    timeframe,
    strategy: { name: strategy.name, params: strategy.params },
    broker: cfg,
    accountId,
    bars: n,
    firstT,
    lastT,
    series: trimmed,
    fills,
    trades,
    rejections,
    metrics: {
      period,
      startingCash,
      endingEquity: summary.equityE4 / 10_000,
      strategy: curveMetrics(startingCash, trimmed.equity, period),
      buyAndHold: curveMetrics(startingCash, trimmed.buyAndHold, period),
      trades: tradeMetrics(trades),
      exposure: exposed / n,
      commissions: summary.commissionsE4 / 10_000,
      fills: fills.length,
      rejectedOrders: rejected,
    },
  };
}

function allocate(size: number): BacktestSeries {
  return {
    t: new Float64Array(size),
    equity: new Float64Array(size),
    cash: new Float64Array(size),
    buyAndHold: new Float64Array(size),
    position: new Float64Array(size),
  };
}

function grow(s: BacktestSeries, size: number): BacktestSeries {
  const next = allocate(size);
  next.t.set(s.t);
  next.equity.set(s.equity);
  next.cash.set(s.cash);
  next.buyAndHold.set(s.buyAndHold);
  next.position.set(s.position);
  return next;
}

function trim(s: BacktestSeries, n: number): BacktestSeries {
  return {
    t: s.t.subarray(0, n),
    equity: s.equity.subarray(0, n),
    cash: s.cash.subarray(0, n),
    buyAndHold: s.buyAndHold.subarray(0, n),
    position: s.position.subarray(0, n),
  };
}
