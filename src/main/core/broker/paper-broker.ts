import type { z } from 'zod';
import type { brokerEvents } from '../../../shared/contract/broker';
import {
  type AccountSummary,
  type BrokerConfig,
  brokerConfigSchema,
  defaultBrokerConfig,
  type EquityPoint,
  type Fill,
  type Order,
  type OrderChanges,
  type OrderRequest,
  type OrderSide,
  type OrderStatus,
  type OrderStatusFilter,
  type OrderType,
  orderSides,
  orderTypes,
  type Position,
  type TimeInForce,
  timeInForces,
  workingOrderStatuses,
} from '../../../shared/domain/broker';
import type { Bar } from '../../../shared/domain/market';
import { formatUsd, notionalE4, toE4 } from '../../../shared/money';
import { AppError, formatZodError } from '../../../shared/result';
import type { Db } from '../db/database';
import {
  type AccountRecord,
  BrokerStore,
  type LedgerEntry,
  type OrderRecord,
  type PositionRecord,
  toOrder,
} from './broker-store';
import { type BarE4, commissionDue, decideFill } from './fill-rules';
import { applyFill } from './position-math';
import { type ReconcileReport, reconcileBooks } from './reconcile';

export type BrokerEventName = keyof typeof brokerEvents;
export type BrokerEventPayload<E extends BrokerEventName> = z.output<(typeof brokerEvents)[E]['payload']>;
/** How the broker reports its changes; the engine forwards them to its event bus. */
export type BrokerEmit = <E extends BrokerEventName>(event: E, payload: BrokerEventPayload<E>) => void;

export interface PaperBrokerOptions {
  db: Db;
  /** Several brokers can share one database, one account each. Default `paper` (the desk's account). */
  accountId?: string;
  /** Merged over {@link defaultBrokerConfig}. `startingCashE4` applies when the account is created or reset. */
  config?: Partial<BrokerConfig>;
  /** Whether a symbol can be traded. Default: the broker has seen a price for it. */
  knownSymbol?: (symbol: string) => boolean;
  emit?: BrokerEmit;
  /** Market time of the opening deposit when the account does not exist yet. */
  openedT?: number;
}

/**
 * The rules {@link PaperBroker.configure} may change while the broker runs: costs, the volume cap, shorting and its
 * margin rates. Starting cash applies at a reset; the session offset and the equity sampling are fixed for the
 * account's life, because changing them would re-date day orders and stored equity points.
 */
export type LiveBrokerRules = Omit<BrokerConfig, 'startingCashE4' | 'sessionUtcOffsetMinutes' | 'equitySampleMs'>;
const LIVE_RULE_KEYS: ReadonlySet<string> = new Set<keyof LiveBrokerRules>([
  'commissionPerShareE4',
  'commissionMinE4',
  'spreadBps',
  'slippageBps',
  'maxVolumeParticipation',
  'allowShort',
  'initialMarginRate',
  'maintenanceMarginRate',
]);

export interface OrderQuery {
  status?: OrderStatusFilter;
  symbol?: string;
  limit?: number;
}

const NO_FILLS: readonly Fill[] = Object.freeze([]);
const CLOSED_STATUSES: readonly OrderStatus[] = ['filled', 'cancelled', 'expired'];
const DAY_MS = 86_400_000;

interface Mark {
  priceE4: number;
  t: number;
}

/** A validated order request in money units. */
interface CleanRequest {
  symbol: string;
  side: OrderSide;
  type: OrderType;
  tif: TimeInForce;
  qty: number;
  limitPriceE4: number | null;
  stopPriceE4: number | null;
  bracket: { takeProfitE4: number; stopLossE4: number; stopLossLimitE4: number | null } | null;
  clientTag: string | null;
}

/** What an order changes in one transaction; written together, then adopted into memory. */
interface Changes {
  orders: OrderRecord[];
  account?: AccountRecord;
  position?: PositionRecord;
  fill?: Omit<Fill, 'id'>;
  ledger?: Omit<LedgerEntry, 'fillId'>[];
}

/**
 * The paper broker: a cash account (optionally with shorting under a margin rule) that fills orders against market
 * bars by exchange rules, and keeps its books in SQLite.
 *
 * Every state change (an acceptance, a fill with its position, cash and ledger rows, a cancel, a replace, an
 * expiry) is one SQLite transaction; memory is updated only after it commits, so a failure changes nothing.
 * Working orders, positions and the account live in memory as well for speed and are reloaded on start, so open
 * orders and positions survive a restart. Marks and equity samples are observations, not state changes: they are
 * buffered and written with the next transaction or by {@link flush}.
 *
 * Time is market time only: `place`, `cancel` and `replace` take the clock's `t`; `onBar` and `mark` carry theirs.
 * An order fills only on bars that open at or after the time it was placed, so a backtest cannot see the future.
 */
export class PaperBroker {
  readonly accountId: string;
  private rules: Readonly<BrokerConfig>;
  private readonly db: Db;
  private readonly store: BrokerStore;
  private readonly knownSymbol: (symbol: string) => boolean;
  private readonly emitter: BrokerEmit | undefined;
  /** Half the spread plus slippage, in basis points: what a market order pays. Follows {@link configure}. */
  private costBps: number;
  private readonly sessionOffsetMs: number;
  private readonly sumExitFills;
  private readonly orderStatus;

  private account: AccountRecord;
  private readonly working = new Map<number, OrderRecord>();
  private readonly workingBySymbol = new Map<string, OrderRecord[]>();
  private readonly positionsBySymbol = new Map<string, PositionRecord>();
  private readonly marks = new Map<string, Mark>();
  private now = 0;
  private session = Number.NEGATIVE_INFINITY;
  /** The session of the first bar each working order could have filled on (day orders live through it). */
  private readonly firstSession = new Map<number, number>();
  private equityBuffer: EquityPoint[] = [];
  private lastEquityT = Number.NEGATIVE_INFINITY;
  private dirtyMarks = new Set<string>();

  constructor(options: PaperBrokerOptions) {
    const parsed = brokerConfigSchema.safeParse({ ...defaultBrokerConfig, ...options.config });
    if (!parsed.success) throw new AppError('BAD_INPUT', `Broker configuration: ${formatZodError(parsed.error)}`);
    this.rules = Object.freeze(parsed.data);
    this.db = options.db;
    this.accountId = options.accountId ?? 'paper';
    this.store = new BrokerStore(this.db, this.accountId);
    this.emitter = options.emit;
    this.knownSymbol = options.knownSymbol ?? ((symbol) => this.marks.has(symbol));
    this.costBps = this.config.spreadBps / 2 + this.config.slippageBps;
    this.sessionOffsetMs = this.config.sessionUtcOffsetMinutes * 60_000;
    this.sumExitFills = this.db
      .prepare<[string, number], number>(
        'SELECT COALESCE(SUM(filled_qty), 0) FROM orders WHERE account_id = ? AND parent_id = ?',
      )
      .pluck();
    this.orderStatus = this.db
      .prepare<[string, number], OrderStatus>('SELECT status FROM orders WHERE account_id = ? AND id = ?')
      .pluck();

    const existing = this.store.loadAccount();
    if (existing) {
      this.account = existing;
    } else {
      const t = options.openedT ?? 0;
      this.account = this.newAccount(this.config.startingCashE4, t);
      this.db.transaction(() => {
        this.store.insertAccount(this.account);
        this.store.insertLedger(depositEntry(this.account.cashE4, t));
      })();
    }
    this.now = this.account.updatedT;
    this.loadState();
  }

  /** The rules in force now (a frozen snapshot: {@link configure} replaces it). */
  get config(): Readonly<BrokerConfig> {
    return this.rules;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Commands

  /**
   * Checks rule changes without applying them, and returns the configuration they would give. Throws AppError
   * `BAD_INPUT` for a value out of range or a rule that cannot change while the broker runs, and `CONFLICT` for
   * turning shorting off while the account holds a short (the margin rules that carry it would stop applying, and
   * a cash account cannot be short).
   */
  checkConfig(changes: Partial<LiveBrokerRules>): Readonly<BrokerConfig> {
    const fixed = Object.keys(changes).filter((k) => !LIVE_RULE_KEYS.has(k));
    if (fixed.length > 0) {
      throw new AppError('BAD_INPUT', `Broker rules that cannot change while it runs: ${fixed.join(', ')}`);
    }
    const parsed = brokerConfigSchema.safeParse({ ...this.rules, ...changes });
    if (!parsed.success) throw new AppError('BAD_INPUT', `Broker configuration: ${formatZodError(parsed.error)}`);
    if (!parsed.data.allowShort && this.rules.allowShort) {
      const shorts = [...this.positionsBySymbol.values()].filter((p) => p.qty < 0).map((p) => `${p.symbol} ${p.qty}`);
      if (shorts.length > 0) {
        throw new AppError(
          'CONFLICT',
          `Shorting cannot be turned off while the account is short (${shorts.join(', ')}): buy the shares back first`,
        );
      }
    }
    return Object.freeze(parsed.data);
  }

  /**
   * Changes the broker's rules from now on, without a restart: costs and the volume cap apply to the next fill
   * (working orders included), shorting to the next order and to fills of working sells. Nothing already filled or
   * reserved is recomputed. Throws like {@link checkConfig} and then changes nothing; emits `onAccount` (buying
   * power and the shorting flag follow the rules).
   */
  configure(changes: Partial<LiveBrokerRules>): Readonly<BrokerConfig> {
    this.rules = this.checkConfig(changes);
    this.costBps = this.rules.spreadBps / 2 + this.rules.slippageBps;
    if (this.emitter) this.emitter('onAccount', this.summary());
    return this.rules;
  }

  /**
   * Accepts an order, or throws AppError `REJECTED` with the reason and changes nothing. A bracket request becomes
   * three orders (the entry, and its take-profit and stop-loss exits, held until the entry fills); the entry is
   * returned.
   */
  place(request: OrderRequest, t: number): Order {
    checkTime(t);
    const req = this.validate(request);
    const reservedE4 = this.checkRisk(req, null);
    const entry: Omit<OrderRecord, 'id'> = {
      symbol: req.symbol,
      side: req.side,
      type: req.type,
      tif: req.tif,
      qty: req.qty,
      filledQty: 0,
      filledNotionalE4: 0,
      limitPriceE4: req.limitPriceE4,
      stopPriceE4: req.stopPriceE4,
      triggered: false,
      status: 'open',
      statusReason: null,
      reservedE4,
      commissionE4: 0,
      parentId: null,
      ocoGroup: null,
      role: req.bracket ? 'entry' : null,
      clientTag: req.clientTag,
      createdT: t,
      updatedT: t,
    };
    const created = this.write(() => {
      const id = this.store.insertOrder(entry);
      const records: OrderRecord[] = [{ ...entry, id }];
      if (req.bracket) {
        const exitSide: OrderSide = req.side === 'buy' ? 'sell' : 'buy';
        const exitBase = {
          ...entry,
          side: exitSide,
          tif: 'gtc' as const,
          status: 'held' as const,
          reservedE4: 0,
          parentId: id,
          ocoGroup: id,
          stopPriceE4: null,
          limitPriceE4: null,
        };
        const takeProfit = {
          ...exitBase,
          type: 'limit' as const,
          limitPriceE4: req.bracket.takeProfitE4,
          role: 'take_profit' as const,
        };
        const stopLoss = {
          ...exitBase,
          type: req.bracket.stopLossLimitE4 === null ? ('stop' as const) : ('stop_limit' as const),
          stopPriceE4: req.bracket.stopLossE4,
          limitPriceE4: req.bracket.stopLossLimitE4,
          role: 'stop_loss' as const,
        };
        records.push({ ...takeProfit, id: this.store.insertOrder(takeProfit) });
        records.push({ ...stopLoss, id: this.store.insertOrder(stopLoss) });
      }
      return records;
    });
    for (const o of created) this.adopt(o);
    if (t > this.now) this.now = t;
    this.emitOrders(created);
    this.emitAccount();
    return toOrder(created[0] as OrderRecord);
  }

  /**
   * Cancels a working order. Cancelling a bracket entry that has not filled cancels its exits; after a partial
   * fill the exits stay and protect what did fill.
   */
  cancel(id: number, t: number, reason = 'Cancelled by the trader'): Order {
    checkTime(t);
    const order = this.requireWorking(id);
    const changes = this.closeOrder(order, 'cancelled', reason, t);
    this.commit(changes);
    return toOrder(this.latest(order.id));
  }

  /**
   * Changes a working order in place (same id): quantity, limit or stop price, time in force. The new order must
   * pass the same checks as a new one (buying power is re-checked without the old reservation).
   */
  replace(id: number, changes: OrderChanges, t: number): Order {
    checkTime(t);
    const order = this.requireWorking(id);
    const isExit = order.parentId !== null;
    let qty = order.qty;
    if (changes.qty !== undefined) {
      if (isExit) reject('The quantity of a bracket exit follows its entry; change the entry instead');
      qty = checkQty(changes.qty);
      if (qty <= order.filledQty) {
        reject(`The new quantity must be above the ${order.filledQty} shares already filled`);
      }
    }
    const wantsLimit = order.type === 'limit' || order.type === 'stop_limit';
    const wantsStop = order.type === 'stop' || order.type === 'stop_limit';
    if (changes.limitPrice !== undefined && !wantsLimit) reject(`A ${label(order.type)} order has no limit price`);
    if (changes.stopPrice !== undefined && !wantsStop) reject(`A ${label(order.type)} order has no stop price`);
    const limitPriceE4 =
      changes.limitPrice !== undefined ? checkPrice(changes.limitPrice, 'Limit price') : order.limitPriceE4;
    const stopPriceE4 =
      changes.stopPrice !== undefined ? checkPrice(changes.stopPrice, 'Stop price') : order.stopPriceE4;
    let tif = order.tif;
    if (changes.tif !== undefined) {
      if (!(timeInForces as readonly string[]).includes(changes.tif)) reject('Time in force must be day or gtc');
      tif = changes.tif;
    }
    const remaining = qty - order.filledQty;
    const reservedE4 = isExit
      ? 0
      : this.checkRisk(
          {
            symbol: order.symbol,
            side: order.side,
            type: order.type,
            tif,
            qty: remaining,
            limitPriceE4,
            stopPriceE4,
            bracket: null,
            clientTag: order.clientTag,
          },
          order,
        );
    const next: OrderRecord = { ...order, qty, limitPriceE4, stopPriceE4, tif, reservedE4, updatedT: t };
    const updated = [next];
    if (qty !== order.qty) {
      for (const child of this.children(order.id)) updated.push({ ...child, qty, updatedT: t });
    }
    this.commit({ orders: updated });
    return toOrder(next);
  }

  /**
   * Feeds one completed bar of a symbol (bars of all symbols in market-time order). Expires day orders of past
   * sessions, fills working orders by the rules in fill-rules.ts, marks the symbol at the close and samples equity.
   * Returns the fills it made.
   */
  onBar(symbol: string, bar: Bar): readonly Fill[] {
    const t = bar.t;
    checkTime(t);
    if (!(bar.l <= bar.o && bar.o <= bar.h && bar.l <= bar.c && bar.c <= bar.h && bar.l > 0 && bar.v >= 0)) {
      throw new AppError('BAD_INPUT', `The ${symbol} bar at ${new Date(t).toISOString()} is not a valid OHLC bar`);
    }
    this.advance(t);
    const list = this.workingBySymbol.get(symbol);
    let fills: readonly Fill[] = NO_FILLS;
    if (list !== undefined && list.length > 0) fills = this.evaluate(bar, list);
    this.setMark(symbol, toE4(bar.c), t);
    this.sampleEquity(t);
    return fills;
  }

  /** The last traded price of a symbol (a tick, a quote mid): marks positions; never fills an order. */
  mark(symbol: string, price: number, t: number): void {
    checkTime(t);
    if (!(typeof price === 'number' && Number.isFinite(price) && price > 0)) {
      throw new AppError('BAD_INPUT', `A mark for ${symbol} must be a price above zero (got ${String(price)})`);
    }
    this.advance(t);
    this.setMark(symbol, toE4(price), t);
    this.sampleEquity(t);
  }

  /** The session ended at `t` (the feed knows the calendar): day orders placed at or before `t` expire. */
  endSession(t: number): void {
    checkTime(t);
    this.advance(t);
    this.expire((o) => o.tif === 'day' && o.createdT <= t, t, 'The trading session ended (day order)');
  }

  /**
   * Starts the account again: every order, fill, position, ledger row and equity point of this account is removed
   * and cash is set to `startingCashE4` (default: the configured starting cash), in one transaction.
   */
  reset(t: number, startingCashE4: number = this.config.startingCashE4): AccountSummary {
    checkTime(t);
    if (!Number.isSafeInteger(startingCashE4) || startingCashE4 <= 0) {
      throw new AppError('BAD_INPUT', 'Starting cash must be a whole amount above zero');
    }
    const account = { ...this.newAccount(startingCashE4, t), createdT: this.account.createdT };
    this.db.transaction(() => {
      this.store.clearHistory();
      this.store.updateAccount(account);
      this.store.insertLedger(depositEntry(startingCashE4, t));
    })();
    this.account = account;
    this.working.clear();
    this.workingBySymbol.clear();
    this.positionsBySymbol.clear();
    // Marks from later than the new account's start (a backtest run after another) would be prices from its future.
    for (const [symbol, mark] of this.marks) if (mark.t > t) this.marks.delete(symbol);
    this.equityBuffer = [];
    this.dirtyMarks.clear();
    this.lastEquityT = Number.NEGATIVE_INFINITY;
    // A new account starts its own clock: a replay or backtest may start earlier than the last one ended.
    this.now = t;
    this.session = Math.floor((t + this.sessionOffsetMs) / DAY_MS);
    const summary = this.summary();
    this.emitter?.('onAccount', summary);
    return summary;
  }

  /** Writes buffered equity samples and marks. Call before closing the database. */
  flush(): void {
    const now = this.now;
    const moved = now > this.account.updatedT;
    if (this.equityBuffer.length === 0 && this.dirtyMarks.size === 0 && !moved) return;
    this.write(() => {
      // Market time reached survives a restart, so the account's clock does not step back.
      if (moved) this.store.updateAccount({ ...this.account, updatedT: now });
    });
    if (moved) this.account = { ...this.account, updatedT: now };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Queries

  summary(): AccountSummary {
    let longMv = 0;
    let shortMv = 0;
    let cost = 0;
    for (const p of this.positionsBySymbol.values()) {
      if (p.qty === 0) continue;
      const mv = this.marketValue(p);
      if (mv >= 0) longMv += mv;
      else shortMv -= mv;
      cost += p.costE4;
    }
    let reserved = 0;
    for (const o of this.working.values()) reserved += o.reservedE4;
    const a = this.account;
    const equity = a.cashE4 + longMv - shortMv;
    return {
      accountId: this.accountId,
      startingCashE4: a.startingCashE4,
      cashE4: a.cashE4,
      longMarketValueE4: longMv,
      shortMarketValueE4: shortMv,
      equityE4: equity,
      realizedPnlE4: a.realizedPnlE4,
      unrealizedPnlE4: longMv - shortMv - cost,
      commissionsE4: a.commissionsE4,
      reservedE4: reserved,
      buyingPowerE4: this.freeCash(shortMv) - reserved,
      allowShort: this.config.allowShort,
      marginCall: this.marginCall(equity, shortMv),
      openOrders: this.working.size,
      t: this.now,
    };
  }

  /** Open positions at the last marks; with `includeFlat`, flat symbols too (for their realised P&L). */
  positions(options: { includeFlat?: boolean } = {}): Position[] {
    const out: Position[] = [];
    for (const p of this.positionsBySymbol.values()) {
      if (p.qty === 0 && !options.includeFlat) continue;
      out.push(this.toPosition(p));
    }
    return out.sort((a, b) => a.symbol.localeCompare(b.symbol));
  }

  /** Signed shares held of one symbol (0 when flat). */
  positionQty(symbol: string): number {
    return this.positionsBySymbol.get(symbol)?.qty ?? 0;
  }

  /** Whether any order on the symbol may still fill. */
  hasWorkingOrders(symbol: string): boolean {
    return (this.workingBySymbol.get(symbol)?.length ?? 0) > 0;
  }

  /** Cash plus marked positions, cheaply (the backtest calls it every bar). */
  equityE4(): number {
    let equity = this.account.cashE4;
    for (const p of this.positionsBySymbol.values()) if (p.qty !== 0) equity += this.marketValue(p);
    return equity;
  }

  cashE4(): number {
    return this.account.cashE4;
  }

  /** One order, working or not; NOT_FOUND when this account has no such order. */
  order(id: number): Order {
    const record = this.working.get(id) ?? this.store.order(id);
    if (!record) throw new AppError('NOT_FOUND', `There is no order ${id}`);
    return toOrder(record);
  }

  /** Orders, newest first. */
  orders(query: OrderQuery = {}): Order[] {
    const status = query.status ?? 'all';
    const statuses =
      status === 'all'
        ? null
        : status === 'working'
          ? workingOrderStatuses
          : status === 'closed'
            ? CLOSED_STATUSES
            : [status];
    return this.store
      .orders(statuses, query.symbol ? query.symbol.trim().toUpperCase() : null, query.limit ?? 500)
      .map(toOrder);
  }

  /** Fills, newest first. */
  fills(query: { symbol?: string; orderId?: number; limit?: number } = {}): Fill[] {
    return this.store.fills(
      query.symbol ? query.symbol.trim().toUpperCase() : null,
      query.orderId ?? null,
      query.limit ?? 500,
    );
  }

  /** Every fill, oldest first. */
  allFills(): Fill[] {
    return this.store.allFills();
  }

  /** The stored equity curve (after flushing the buffer), thinned evenly to at most `maxPoints`. */
  equityCurve(query: { fromT?: number; toT?: number; maxPoints?: number } = {}): EquityPoint[] {
    this.flush();
    const points = this.store.equity(query.fromT ?? Number.MIN_SAFE_INTEGER, query.toT ?? Number.MAX_SAFE_INTEGER);
    const max = Math.max(2, query.maxPoints ?? 2000);
    if (points.length <= max) return points;
    const step = (points.length - 1) / (max - 1);
    const out: EquityPoint[] = [];
    for (let i = 0; i < max; i++) out.push(points[Math.round(i * step)] as EquityPoint);
    return out;
  }

  /**
   * Checks the books: the database against itself (ledger, fills, positions, orders) and against the broker's
   * memory, and the accounting identity `cash + marked positions = starting cash + realised + unrealised −
   * commissions`. An empty `problems` list means they reconcile.
   */
  reconcile(): ReconcileReport {
    return reconcileBooks(this.db, this.accountId, {
      account: this.account,
      positions: [...this.positionsBySymbol.values()],
      working: [...this.working.values()],
      summary: this.summary(),
      allowShort: this.config.allowShort,
    });
  }

  /** Market time the broker has reached. */
  marketTime(): number {
    return this.now;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Order evaluation

  private evaluate(bar: Bar, list: OrderRecord[]): readonly Fill[] {
    const b: BarE4 = {
      t: bar.t,
      openE4: toE4(bar.o),
      highE4: toE4(bar.h),
      lowE4: toE4(bar.l),
      closeE4: toE4(bar.c),
      volume: bar.v,
    };
    const participation = this.config.maxVolumeParticipation;
    let capacity = Math.floor(participation * bar.v + 1e-9);
    const fills: Fill[] = [];
    for (const snapshot of this.orderForBar(list, b)) {
      const order = this.working.get(snapshot.id);
      if (order === undefined || order.status === 'held' || order.createdT > b.t) continue;
      if (!this.firstSession.has(order.id)) this.firstSession.set(order.id, this.sessionOf(b.t));
      const remaining = this.remainingQty(order);
      if (remaining <= 0) continue;
      const decision = decideFill(order, b, this.costBps);
      if (decision.priceE4 === null || capacity <= 0) {
        // A trigger is state: a stop-limit that traded through its stop stays a limit order after a restart.
        if (decision.triggered && !order.triggered) {
          this.commit({ orders: [{ ...order, triggered: true, updatedT: b.t }] });
        }
        continue;
      }
      const fill = this.fill(order, Math.min(remaining, capacity), decision.priceE4, decision.triggered, b.t);
      if (fill) {
        capacity -= fill.qty;
        fills.push(fill);
      }
    }
    return fills.length > 0 ? fills : NO_FILLS;
  }

  /**
   * Bracket exits go first (their entry's fills on this bar count from the next bar: the order of prices inside a
   * bar is unknown). Within a bracket the take-profit goes first only when the bar opened through it; otherwise
   * the stop-loss is assumed to have traded first, the pessimistic reading of a bar that touched both.
   */
  private orderForBar(list: OrderRecord[], bar: BarE4): OrderRecord[] {
    const copy = list.slice();
    if (!copy.some((o) => o.parentId !== null)) return copy;
    const rank = (o: OrderRecord): number => {
      if (o.parentId === null) return 3;
      if (o.role === 'stop_loss') return 1;
      const limit = o.limitPriceE4 ?? 0;
      const gapped = o.side === 'sell' ? bar.openE4 >= limit : bar.openE4 <= limit;
      return gapped ? 0 : 2;
    };
    return copy.sort((a, b) => (a.ocoGroup ?? a.id) - (b.ocoGroup ?? b.id) || rank(a) - rank(b) || a.id - b.id);
  }

  /** Shares the order may still fill. A bracket exit protects only what its entry bought, less earlier exits. */
  private remainingQty(order: OrderRecord): number {
    const left = order.qty - order.filledQty;
    if (order.parentId === null) return left;
    const parent = this.working.get(order.parentId);
    if (parent === undefined) return left;
    return Math.min(left, parent.filledQty - this.exitFills(parent.id));
  }

  /**
   * Fills `wantQty` (already capped by bar volume) at `priceE4`, less whatever the account cannot carry: a cash
   * account never pays more than its cash, a sale never exceeds the shares held unless shorting is on, an exit never
   * opens a new position, and a new short must leave the initial margin free. What cannot be carried is cancelled
   * with the reason. One transaction: order, its bracket relatives, position, cash, ledger and the fill.
   */
  private fill(order: OrderRecord, wantQty: number, priceE4: number, triggered: boolean, t: number): Fill | null {
    const position = this.positionsBySymbol.get(order.symbol) ?? emptyPosition(order.symbol, t);
    const { qty, limitedBy } = this.carryableQty(order, position, wantQty, priceE4);
    if (qty === 0) {
      const reason =
        limitedBy === 'shares'
          ? `No shares left to ${order.side === 'sell' ? 'sell' : 'buy back'} at fill time`
          : `Not enough buying power at fill time (price ${formatUsd(priceE4)})`;
      this.commit(this.closeOrder({ ...order, triggered: order.triggered || triggered }, 'cancelled', reason, t));
      return null;
    }
    const { commissionPerShareE4, commissionMinE4 } = this.config;
    const filledQty = order.filledQty + qty;
    const commissionE4 = commissionDue(filledQty, order.commissionE4, commissionPerShareE4, commissionMinE4);
    const after = applyFill(position, order.side, qty, priceE4);
    const value = notionalE4(qty, priceE4);
    const tradeCash = order.side === 'buy' ? -value : value;

    const wasFlat = position.qty === 0;
    const flipped = !wasFlat && after.qty !== 0 && Math.sign(after.qty) !== Math.sign(position.qty);
    const mark = this.marks.get(order.symbol);
    const nextPosition: PositionRecord = {
      symbol: order.symbol,
      qty: after.qty,
      costE4: after.costE4,
      realizedPnlE4: position.realizedPnlE4 + after.realizedE4,
      markPriceE4: mark?.priceE4 ?? priceE4,
      markT: mark?.t ?? t,
      openedT: after.qty === 0 ? null : wasFlat || flipped ? t : position.openedT,
      updatedT: t,
    };
    const cashAfterTrade = this.account.cashE4 + tradeCash;
    const cashAfter = cashAfterTrade - commissionE4;
    const nextAccount: AccountRecord = {
      ...this.account,
      cashE4: cashAfter,
      realizedPnlE4: this.account.realizedPnlE4 + after.realizedE4,
      commissionsE4: this.account.commissionsE4 + commissionE4,
      updatedT: t,
    };
    const ledger: Omit<LedgerEntry, 'fillId'>[] = [
      {
        t,
        amountE4: tradeCash,
        balanceE4: cashAfterTrade,
        reason: order.side,
        orderId: order.id,
        symbol: order.symbol,
        note: `${order.side} ${qty} ${order.symbol} @ ${formatUsd(priceE4)}`,
      },
    ];
    if (commissionE4 > 0) {
      ledger.push({
        t,
        amountE4: -commissionE4,
        balanceE4: cashAfter,
        reason: 'commission',
        orderId: order.id,
        symbol: order.symbol,
        note: null,
      });
    }

    const left = order.qty - filledQty;
    const capped = limitedBy !== null && left > 0;
    const nextOrder: OrderRecord = {
      ...order,
      filledQty,
      filledNotionalE4: order.filledNotionalE4 + value,
      commissionE4: order.commissionE4 + commissionE4,
      triggered: order.triggered || triggered,
      status: left === 0 ? 'filled' : capped ? 'cancelled' : 'partially_filled',
      statusReason: capped
        ? limitedBy === 'shares'
          ? 'The rest has no shares left to trade'
          : `The rest exceeds the buying power at fill time (price ${formatUsd(priceE4)})`
        : null,
      reservedE4: left === 0 || capped ? 0 : Math.floor((order.reservedE4 * left) / (order.qty - order.filledQty)),
      updatedT: t,
    };
    const orders = [nextOrder, ...this.relativesAfterFill(nextOrder, qty, t)];
    const fill: Omit<Fill, 'id'> = {
      orderId: order.id,
      symbol: order.symbol,
      side: order.side,
      qty,
      priceE4,
      commissionE4,
      realizedPnlE4: after.realizedE4,
      positionAfter: after.qty,
      t,
    };
    return this.commit({ orders, account: nextAccount, position: nextPosition, fill, ledger });
  }

  /** How much of a fill the account can carry, and what limited it. */
  private carryableQty(
    order: OrderRecord,
    position: PositionRecord,
    wantQty: number,
    priceE4: number,
  ): { qty: number; limitedBy: 'shares' | 'cash' | null } {
    let want = wantQty;
    let limitedBy: 'shares' | 'cash' | null = null;
    const held = position.qty;
    const reducingMax = order.side === 'sell' ? Math.max(0, held) : Math.max(0, -held);
    if (order.parentId !== null || (order.side === 'sell' && !this.config.allowShort)) {
      if (want > reducingMax) {
        want = reducingMax;
        limitedBy = 'shares';
      }
      if (want === 0) return { qty: 0, limitedBy };
    }
    const ok = (q: number): boolean => this.canCarry(order, position, q, priceE4);
    if (ok(want)) return { qty: want, limitedBy };
    let lo = 0;
    let hi = want;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (ok(mid)) lo = mid;
      else hi = mid;
    }
    return { qty: lo, limitedBy: 'cash' };
  }

  private canCarry(order: OrderRecord, position: PositionRecord, q: number, priceE4: number): boolean {
    const { commissionPerShareE4, commissionMinE4 } = this.config;
    const commission = commissionDue(order.filledQty + q, order.commissionE4, commissionPerShareE4, commissionMinE4);
    const value = notionalE4(q, priceE4);
    const cash = this.account.cashE4 + (order.side === 'buy' ? -value : value) - commission;
    if (!this.config.allowShort) return cash >= 0;
    const qtyAfter = position.qty + (order.side === 'buy' ? q : -q);
    const addsRisk = Math.abs(qtyAfter) > Math.abs(position.qty) || Math.sign(qtyAfter) * Math.sign(position.qty) < 0;
    if (!addsRisk) return true;
    let shortMv = qtyAfter < 0 ? notionalE4(-qtyAfter, priceE4) : 0;
    for (const p of this.positionsBySymbol.values()) {
      if (p.symbol !== order.symbol && p.qty < 0) shortMv -= this.marketValue(p);
    }
    return cash - Math.ceil((1 + this.config.initialMarginRate) * shortMv) >= 0;
  }

  /** What a fill changes in the rest of a bracket. */
  private relativesAfterFill(order: OrderRecord, qty: number, t: number): OrderRecord[] {
    if (order.role === 'entry') {
      if (order.status !== 'partially_filled') return this.resolveExits(order, t);
      return this.children(order.id)
        .filter((c) => c.status === 'held')
        .map((c) => ({ ...c, status: 'open' as const, updatedT: t }));
    }
    if (order.parentId === null || this.working.has(order.parentId)) return [];
    // The entry is final: both exits protect exactly what is left, so a fill of one shrinks the other.
    const out: OrderRecord[] = [];
    for (const sibling of this.children(order.parentId)) {
      if (sibling.id === order.id) continue;
      const left = sibling.qty - sibling.filledQty - qty;
      if (left > 0) out.push({ ...sibling, qty: sibling.filledQty + left, updatedT: t });
      else out.push(this.finalized(sibling, 'cancelled', `The other exit of the bracket filled (OCO)`, t));
    }
    return out;
  }

  /** Exits of an entry that just became final: they protect what it bought, or are cancelled when nothing is left. */
  private resolveExits(entry: OrderRecord, t: number): OrderRecord[] {
    const children = this.children(entry.id);
    if (children.length === 0) return [];
    const available = entry.filledQty - this.exitFills(entry.id);
    return children.map((c) => {
      if (available > 0) {
        return {
          ...c,
          qty: c.filledQty + available,
          status: c.filledQty > 0 ? ('partially_filled' as const) : ('open' as const),
          updatedT: t,
        };
      }
      const reason =
        entry.filledQty === 0 ? 'Its bracket entry ended without a fill' : 'The other exit of the bracket filled (OCO)';
      return this.finalized(c, 'cancelled', reason, t);
    });
  }

  /** Shares the exits of a bracket entry have filled so far (closed exits included). */
  private exitFills(parentId: number): number {
    return this.sumExitFills.get(this.accountId, parentId) ?? 0;
  }

  private children(parentId: number): OrderRecord[] {
    const out: OrderRecord[] = [];
    for (const o of this.working.values()) if (o.parentId === parentId) out.push(o);
    return out;
  }

  /** An order that stops working (cancel, expiry), with what that does to its bracket. */
  private closeOrder(order: OrderRecord, status: 'cancelled' | 'expired', reason: string, t: number): Changes {
    const closed = this.finalized(order, status, reason, t);
    const orders = [closed];
    if (order.role === 'entry') orders.push(...this.resolveExits(closed, t));
    return { orders };
  }

  private finalized(order: OrderRecord, status: OrderStatus, reason: string, t: number): OrderRecord {
    return { ...order, status, statusReason: reason, reservedE4: 0, updatedT: t };
  }

  private sessionOf(t: number): number {
    return Math.floor((t + this.sessionOffsetMs) / DAY_MS);
  }

  private expire(match: (o: OrderRecord) => boolean, t: number, reason: string): void {
    const due = [...this.working.values()].filter(match);
    if (due.length === 0) return;
    const orders: OrderRecord[] = [];
    const seen = new Set<number>();
    for (const o of due) {
      if (seen.has(o.id)) continue;
      for (const changed of this.closeOrder(o, 'expired', reason, t).orders) {
        if (seen.has(changed.id)) continue;
        seen.add(changed.id);
        orders.push(changed);
      }
    }
    this.commit({ orders });
  }

  /**
   * Moves market time forward; a new session expires the day orders that could already trade in an earlier one.
   * A day order placed after its session's last bar (after the close, or between two daily bars) is queued for the
   * next session, as a broker would: it lives through the session of the first bar it could fill on.
   */
  private advance(t: number): void {
    if (t > this.now) this.now = t;
    const session = Math.floor((t + this.sessionOffsetMs) / DAY_MS);
    if (session <= this.session) return;
    this.session = session;
    for (const id of this.firstSession.keys()) if (!this.working.has(id)) this.firstSession.delete(id);
    if (this.working.size === 0) return;
    this.expire(
      (o) => {
        if (o.tif !== 'day') return false;
        const eligible = this.firstSession.get(o.id);
        return eligible !== undefined && eligible < session;
      },
      t,
      'The trading session ended (day order)',
    );
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Acceptance checks

  private validate(request: OrderRequest): CleanRequest {
    if (request === null || typeof request !== 'object') reject('An order needs a symbol, a side and a quantity');
    const r = request as Record<string, unknown>;
    const rawSymbol = typeof r.symbol === 'string' ? r.symbol.trim().toUpperCase() : '';
    if (rawSymbol === '') reject('The order has no symbol');
    if (!this.knownSymbol(rawSymbol)) reject(`Unknown symbol ${rawSymbol}: there is no market data for it`);
    const side = r.side;
    if (!(orderSides as readonly unknown[]).includes(side)) reject('Side must be buy or sell');
    const type = r.type ?? 'market';
    if (!(orderTypes as readonly unknown[]).includes(type))
      reject('Order type must be market, limit, stop or stop_limit');
    const tif = r.tif ?? 'day';
    if (!(timeInForces as readonly unknown[]).includes(tif)) reject('Time in force must be day or gtc');
    const qty = checkQty(r.qty);
    const t = type as OrderType;
    const needsLimit = t === 'limit' || t === 'stop_limit';
    const needsStop = t === 'stop' || t === 'stop_limit';
    if (needsLimit && r.limitPrice === undefined) reject(`A ${label(t)} order needs a limit price`);
    if (needsStop && r.stopPrice === undefined) reject(`A ${label(t)} order needs a stop price`);
    if (!needsLimit && r.limitPrice !== undefined) reject(`A ${label(t)} order takes no limit price`);
    if (!needsStop && r.stopPrice !== undefined) reject(`A ${label(t)} order takes no stop price`);
    const limitPriceE4 = needsLimit ? checkPrice(r.limitPrice, 'Limit price') : null;
    const stopPriceE4 = needsStop ? checkPrice(r.stopPrice, 'Stop price') : null;
    const clientTag = typeof r.clientTag === 'string' ? r.clientTag.slice(0, 64) : null;

    let bracket: CleanRequest['bracket'] = null;
    if (r.bracket !== undefined && r.bracket !== null) {
      const b = r.bracket as Record<string, unknown>;
      const takeProfitE4 = checkPrice(b.takeProfitLimitPrice, 'Take-profit limit price');
      const stopLossE4 = checkPrice(b.stopLossStopPrice, 'Stop-loss stop price');
      const stopLossLimitE4 =
        b.stopLossLimitPrice === undefined ? null : checkPrice(b.stopLossLimitPrice, 'Stop-loss limit price');
      const buy = side === 'buy';
      const reference =
        limitPriceE4 ?? stopPriceE4 ?? this.marks.get(rawSymbol)?.priceE4 ?? (buy ? stopLossE4 + 1 : stopLossE4 - 1);
      const ordered = buy
        ? stopLossE4 < reference && reference < takeProfitE4
        : takeProfitE4 < reference && reference < stopLossE4;
      if (!ordered) {
        reject(
          buy
            ? `A buy bracket needs stop-loss ${formatUsd(stopLossE4)} < entry ${formatUsd(reference)} < take-profit ${formatUsd(takeProfitE4)}`
            : `A sell bracket needs take-profit ${formatUsd(takeProfitE4)} < entry ${formatUsd(reference)} < stop-loss ${formatUsd(stopLossE4)}`,
        );
      }
      if (stopLossLimitE4 !== null && (buy ? stopLossLimitE4 > stopLossE4 : stopLossLimitE4 < stopLossE4)) {
        reject(
          `The stop-loss limit ${formatUsd(stopLossLimitE4)} must be at or ${buy ? 'below' : 'above'} its stop ${formatUsd(stopLossE4)}`,
        );
      }
      bracket = { takeProfitE4, stopLossE4, stopLossLimitE4 };
    }
    return {
      symbol: rawSymbol,
      side: side as OrderSide,
      type: t,
      tif: tif as TimeInForce,
      qty,
      limitPriceE4,
      stopPriceE4,
      bracket,
      clientTag,
    };
  }

  /**
   * Buying power before acceptance. Shares that close an existing position (net of working orders that already
   * close it) need nothing; shares that open one reserve their estimated cost (a buy) or initial margin (a short).
   * Returns the reservation; throws REJECTED when the account cannot take the order. `replacing` is left out of
   * the working orders it counts.
   */
  private checkRisk(req: CleanRequest, replacing: OrderRecord | null): number {
    const held = this.positionQty(req.symbol);
    let pendingBuy = 0;
    let pendingSell = 0;
    const groupsCounted = new Set<number>();
    for (const o of this.workingBySymbol.get(req.symbol) ?? []) {
      if (o.id === replacing?.id || o.status === 'held') continue;
      let left = this.remainingQty(o);
      if (o.ocoGroup !== null) {
        // Both exits of a bracket cover the same shares: count them once.
        if (groupsCounted.has(o.ocoGroup)) continue;
        groupsCounted.add(o.ocoGroup);
        left = Math.max(left, 0);
      }
      if (o.side === 'buy') pendingBuy += left;
      else pendingSell += left;
    }
    const closable = req.side === 'buy' ? Math.max(0, -held - pendingBuy) : Math.max(0, held - pendingSell);
    const opening = req.qty - Math.min(req.qty, closable);
    if (opening === 0) return 0;
    if (req.side === 'sell' && !this.config.allowShort) {
      const committed = Math.min(Math.max(held, 0), pendingSell);
      reject(
        `Not enough shares to sell: you hold ${Math.max(held, 0)} ${req.symbol}` +
          (committed > 0 ? `, ${committed} of them already in working sell orders` : '') +
          '; shorting is off in this account',
      );
    }
    const summary = this.summary();
    if (summary.marginCall) {
      reject('The account is in a margin call: only orders that reduce positions are accepted');
    }
    let ref: number;
    if (req.type === 'limit' || req.type === 'stop_limit') ref = req.limitPriceE4 as number;
    else if (req.type === 'stop') ref = Math.round((req.stopPriceE4 as number) * (1 + this.costBps / 10_000));
    else {
      const mark = this.marks.get(req.symbol);
      if (!mark)
        reject(`There is no price for ${req.symbol} yet: place a limit order, or wait for the market to trade`);
      ref = Math.round(mark.priceE4 * (1 + this.costBps / 10_000));
    }
    const { commissionPerShareE4, commissionMinE4 } = this.config;
    const commission = commissionDue(req.qty, 0, commissionPerShareE4, commissionMinE4);
    const value = notionalE4(opening, ref);
    const needed =
      req.side === 'buy' ? value + commission : Math.ceil(value * this.config.initialMarginRate) + commission;
    const available = summary.buyingPowerE4 + (replacing?.reservedE4 ?? 0);
    if (needed > available) {
      reject(
        `Not enough buying power: this order needs ${formatUsd(needed)}, ${formatUsd(Math.max(0, available))} is available`,
      );
    }
    return needed;
  }

  private freeCash(shortMvE4: number): number {
    if (!this.config.allowShort) return this.account.cashE4;
    // Short proceeds sit in cash but are not free: the shorts' value plus their initial margin stays behind.
    return this.account.cashE4 - Math.ceil((1 + this.config.initialMarginRate) * shortMvE4);
  }

  private marginCall(equityE4: number, shortMvE4: number): boolean {
    return this.config.allowShort && shortMvE4 > 0 && equityE4 < this.config.maintenanceMarginRate * shortMvE4;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // State

  private requireWorking(id: number): OrderRecord {
    const order = this.working.get(id);
    if (order) return order;
    const status = this.orderStatus.get(this.accountId, id);
    if (status === undefined) throw new AppError('NOT_FOUND', `There is no order ${id}`);
    throw new AppError('CONFLICT', `Order ${id} is ${status.replace('_', ' ')}: it can no longer be changed`);
  }

  private latest(id: number): OrderRecord {
    return this.working.get(id) ?? (this.store.order(id) as OrderRecord);
  }

  /** Runs `fn` in one transaction, together with the buffered marks and equity samples. */
  private write<T>(fn: () => T): T {
    const points = this.equityBuffer;
    const marks = this.dirtyMarks;
    const result = this.db.transaction(() => {
      const value = fn();
      if (points.length > 0) this.store.insertEquity(points);
      for (const symbol of marks) {
        const mark = this.marks.get(symbol);
        if (mark && this.positionsBySymbol.has(symbol)) this.store.updateMark(symbol, mark.priceE4, mark.t);
      }
      return value;
    })();
    this.equityBuffer = [];
    this.dirtyMarks = new Set();
    return result;
  }

  /** Writes a change set in one transaction, then adopts it into memory and reports it. */
  private commit(changes: Changes): Fill | null {
    const fill = this.write(() => {
      for (const o of changes.orders) this.store.updateOrder(o);
      if (changes.position) this.store.upsertPosition(changes.position);
      if (changes.account) this.store.updateAccount(changes.account);
      let fillId: number | null = null;
      if (changes.fill) fillId = this.store.insertFill(changes.fill);
      for (const entry of changes.ledger ?? []) this.store.insertLedger({ ...entry, fillId });
      return changes.fill && fillId !== null ? { ...changes.fill, id: fillId } : null;
    });
    for (const o of changes.orders) {
      this.adopt(o);
      // A command's market time moves the clock only once it succeeded: a refused command changes nothing. Only
      // bars, marks and session ends expire day orders.
      if (o.updatedT > this.now) this.now = o.updatedT;
    }
    if (changes.position) this.positionsBySymbol.set(changes.position.symbol, changes.position);
    if (changes.account) this.account = changes.account;
    this.emitOrders(changes.orders);
    if (fill) this.emitter?.('onFill', fill);
    this.emitAccount();
    return fill;
  }

  private adopt(order: OrderRecord): void {
    const list = this.workingBySymbol.get(order.symbol);
    const isWorking = order.status === 'held' || order.status === 'open' || order.status === 'partially_filled';
    if (isWorking) {
      const known = this.working.has(order.id);
      this.working.set(order.id, order);
      if (!list) {
        this.workingBySymbol.set(order.symbol, [order]);
      } else if (known) {
        const i = list.findIndex((o) => o.id === order.id);
        list[i] = order;
      } else {
        list.push(order);
        list.sort((a, b) => a.id - b.id);
      }
    } else {
      this.working.delete(order.id);
      if (list) {
        const i = list.findIndex((o) => o.id === order.id);
        if (i >= 0) list.splice(i, 1);
      }
    }
  }

  private setMark(symbol: string, priceE4: number, t: number): void {
    // The latest report wins, whatever its stamp: a completed bar (stamped with its open) arrives after the ticks
    // inside it, and its close is the newer price.
    const mark = this.marks.get(symbol);
    if (mark === undefined) this.marks.set(symbol, { priceE4, t });
    else {
      mark.priceE4 = priceE4;
      mark.t = t;
    }
    if (this.positionsBySymbol.has(symbol)) this.dirtyMarks.add(symbol);
  }

  private sampleEquity(t: number): void {
    if (t - this.lastEquityT < this.config.equitySampleMs) return;
    this.lastEquityT = t;
    this.equityBuffer.push({ t, equityE4: this.equityE4(), cashE4: this.account.cashE4 });
    if (this.equityBuffer.length >= 4096) this.flush();
    if (this.emitter) this.emitter('onAccount', this.summary());
  }

  private marketValue(p: PositionRecord): number {
    const mark = this.marks.get(p.symbol)?.priceE4 ?? p.markPriceE4;
    return mark === null ? p.costE4 : notionalE4(p.qty, mark);
  }

  private toPosition(p: PositionRecord): Position {
    const mark = this.marks.get(p.symbol) ?? (p.markPriceE4 === null ? null : { priceE4: p.markPriceE4, t: 0 });
    const marketValueE4 = this.marketValue(p);
    return {
      symbol: p.symbol,
      qty: p.qty,
      costE4: p.costE4,
      avgPriceE4: p.qty !== 0 ? Math.round(p.costE4 / p.qty) : null,
      markPriceE4: mark?.priceE4 ?? null,
      marketValueE4,
      unrealizedPnlE4: marketValueE4 - p.costE4,
      realizedPnlE4: p.realizedPnlE4,
      openedT: p.openedT,
      updatedT: p.updatedT,
    };
  }

  private loadState(): void {
    for (const o of this.store.workingOrders()) this.adopt(o);
    for (const p of this.store.positions()) {
      this.positionsBySymbol.set(p.symbol, p);
      if (p.markPriceE4 !== null) this.marks.set(p.symbol, { priceE4: p.markPriceE4, t: p.markT ?? 0 });
    }
    const lastEquity = this.db
      .prepare<[string], number | null>('SELECT MAX(t) FROM equity_points WHERE account_id = ?')
      .pluck()
      .get(this.accountId);
    if (typeof lastEquity === 'number') this.lastEquityT = lastEquity;
    const lastOrder = this.db
      .prepare<[string], number | null>('SELECT MAX(updated_t) FROM orders WHERE account_id = ?')
      .pluck()
      .get(this.accountId);
    for (const t of [lastEquity, lastOrder, ...[...this.marks.values()].map((m) => m.t)]) {
      if (typeof t === 'number' && t > this.now) this.now = t;
    }
    this.session = Math.floor((this.now + this.sessionOffsetMs) / DAY_MS);
  }

  private newAccount(startingCashE4: number, t: number): AccountRecord {
    return {
      id: this.accountId,
      startingCashE4,
      cashE4: startingCashE4,
      realizedPnlE4: 0,
      commissionsE4: 0,
      configJson: JSON.stringify({ ...this.config, startingCashE4 }),
      createdT: t,
      updatedT: t,
    };
  }

  private emitOrders(orders: readonly OrderRecord[]): void {
    if (!this.emitter) return;
    for (const o of orders) this.emitter('onOrder', toOrder(o));
  }

  private emitAccount(): void {
    if (this.emitter) this.emitter('onAccount', this.summary());
  }
}

function depositEntry(amountE4: number, t: number): LedgerEntry {
  return {
    t,
    amountE4,
    balanceE4: amountE4,
    reason: 'deposit',
    orderId: null,
    fillId: null,
    symbol: null,
    note: 'Starting cash',
  };
}

function emptyPosition(symbol: string, t: number): PositionRecord {
  return {
    symbol,
    qty: 0,
    costE4: 0,
    realizedPnlE4: 0,
    markPriceE4: null,
    markT: null,
    openedT: null,
    updatedT: t,
  };
}

function reject(reason: string): never {
  throw new AppError('REJECTED', reason);
}

function checkTime(t: number): void {
  if (!Number.isSafeInteger(t)) throw new AppError('BAD_INPUT', `Market time must be whole epoch ms (got ${t})`);
}

function checkQty(qty: unknown): number {
  if (typeof qty !== 'number' || !Number.isFinite(qty)) reject(`Quantity is not a number (got ${String(qty)})`);
  if (!Number.isInteger(qty)) reject(`Quantity must be whole shares (got ${qty})`);
  if (qty <= 0) reject(`Quantity must be above zero (got ${qty})`);
  if (qty > 1e9) reject(`Quantity ${qty} is larger than any order this account can take`);
  return qty;
}

function checkPrice(price: unknown, name: string): number {
  if (typeof price !== 'number' || !Number.isFinite(price)) reject(`${name} is not a number (got ${String(price)})`);
  if (price <= 0) reject(`${name} must be above zero (got ${price})`);
  if (price > 1e8) reject(`${name} ${price} is out of range`);
  const e4 = toE4(price);
  if (e4 <= 0) reject(`${name} ${price} is below the smallest price step ($0.0001)`);
  return e4;
}

function label(type: OrderType): string {
  return type === 'stop_limit' ? 'stop-limit' : type;
}
