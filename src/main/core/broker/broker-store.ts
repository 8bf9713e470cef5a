import type {
  EquityPoint,
  Fill,
  Order,
  OrderRole,
  OrderSide,
  OrderStatus,
  OrderType,
  TimeInForce,
} from '../../../shared/domain/broker';
import type { Db } from '../db/database';

/** An order as the broker keeps it in memory and in the `orders` table. */
export interface OrderRecord {
  id: number;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  tif: TimeInForce;
  qty: number;
  filledQty: number;
  filledNotionalE4: number;
  limitPriceE4: number | null;
  stopPriceE4: number | null;
  triggered: boolean;
  status: OrderStatus;
  statusReason: string | null;
  reservedE4: number;
  commissionE4: number;
  parentId: number | null;
  ocoGroup: number | null;
  role: OrderRole | null;
  clientTag: string | null;
  createdT: number;
  updatedT: number;
}

export interface PositionRecord {
  symbol: string;
  qty: number;
  costE4: number;
  realizedPnlE4: number;
  markPriceE4: number | null;
  markT: number | null;
  openedT: number | null;
  updatedT: number;
}

export interface AccountRecord {
  id: string;
  startingCashE4: number;
  cashE4: number;
  realizedPnlE4: number;
  commissionsE4: number;
  configJson: string;
  createdT: number;
  updatedT: number;
}

export interface LedgerEntry {
  t: number;
  amountE4: number;
  balanceE4: number;
  reason: 'deposit' | 'buy' | 'sell' | 'commission';
  orderId: number | null;
  fillId: number | null;
  symbol: string | null;
  note: string | null;
}

interface OrderRow {
  id: number;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  tif: TimeInForce;
  qty: number;
  filled_qty: number;
  filled_notional_e4: number;
  limit_price_e4: number | null;
  stop_price_e4: number | null;
  triggered: number;
  status: OrderStatus;
  status_reason: string | null;
  reserved_e4: number;
  commission_e4: number;
  parent_id: number | null;
  oco_group: number | null;
  role: OrderRole | null;
  client_tag: string | null;
  created_t: number;
  updated_t: number;
}

interface FillRow {
  id: number;
  order_id: number;
  symbol: string;
  side: OrderSide;
  qty: number;
  price_e4: number;
  commission_e4: number;
  realized_pnl_e4: number;
  position_after: number;
  t: number;
}

const WORKING_SQL = "('held', 'open', 'partially_filled')";

/**
 * The broker's SQL, prepared once. It only reads and writes rows: transactions, rules and in-memory state belong
 * to the broker. Every statement is scoped to one account.
 */
export class BrokerStore {
  private readonly s;

  constructor(
    readonly db: Db,
    readonly accountId: string,
  ) {
    this.s = {
      account: db.prepare<[string], Record<string, number | string>>('SELECT * FROM accounts WHERE id = ?'),
      insertAccount: db.prepare(
        `INSERT INTO accounts (id, starting_cash_e4, cash_e4, realized_pnl_e4, commissions_e4, config_json, created_t, updated_t)
         VALUES (@id, @startingCashE4, @cashE4, @realizedPnlE4, @commissionsE4, @configJson, @createdT, @updatedT)`,
      ),
      updateAccount: db.prepare(
        `UPDATE accounts SET starting_cash_e4 = @startingCashE4, cash_e4 = @cashE4, realized_pnl_e4 = @realizedPnlE4,
           commissions_e4 = @commissionsE4, config_json = @configJson, updated_t = @updatedT WHERE id = @id`,
      ),
      insertOrder: db.prepare(
        `INSERT INTO orders (account_id, symbol, side, type, tif, qty, filled_qty, filled_notional_e4, limit_price_e4,
           stop_price_e4, triggered, status, status_reason, reserved_e4, commission_e4, parent_id, oco_group, role,
           client_tag, created_t, updated_t)
         VALUES (@accountId, @symbol, @side, @type, @tif, @qty, @filledQty, @filledNotionalE4, @limitPriceE4,
           @stopPriceE4, @triggered, @status, @statusReason, @reservedE4, @commissionE4, @parentId, @ocoGroup, @role,
           @clientTag, @createdT, @updatedT)`,
      ),
      setOcoGroup: db.prepare<[number, number]>('UPDATE orders SET oco_group = ? WHERE id = ?'),
      updateOrder: db.prepare(
        `UPDATE orders SET tif = @tif, qty = @qty, filled_qty = @filledQty, filled_notional_e4 = @filledNotionalE4,
           limit_price_e4 = @limitPriceE4, stop_price_e4 = @stopPriceE4, triggered = @triggered, status = @status,
           status_reason = @statusReason, reserved_e4 = @reservedE4, commission_e4 = @commissionE4,
           oco_group = @ocoGroup, updated_t = @updatedT
         WHERE id = @id AND account_id = @accountId`,
      ),
      workingOrders: db.prepare<[string], OrderRow>(
        `SELECT * FROM orders WHERE account_id = ? AND status IN ${WORKING_SQL} ORDER BY id`,
      ),
      orderById: db.prepare<[string, number], OrderRow>('SELECT * FROM orders WHERE account_id = ? AND id = ?'),
      upsertPosition: db.prepare(
        `INSERT INTO positions (account_id, symbol, qty, cost_e4, realized_pnl_e4, mark_price_e4, mark_t, opened_t, updated_t)
         VALUES (@accountId, @symbol, @qty, @costE4, @realizedPnlE4, @markPriceE4, @markT, @openedT, @updatedT)
         ON CONFLICT (account_id, symbol) DO UPDATE SET qty = excluded.qty, cost_e4 = excluded.cost_e4,
           realized_pnl_e4 = excluded.realized_pnl_e4, mark_price_e4 = excluded.mark_price_e4,
           mark_t = excluded.mark_t, opened_t = excluded.opened_t, updated_t = excluded.updated_t`,
      ),
      updateMark: db.prepare(
        `UPDATE positions SET mark_price_e4 = @markPriceE4, mark_t = @markT
         WHERE account_id = @accountId AND symbol = @symbol`,
      ),
      positions: db.prepare<[string], Record<string, number | string | null>>(
        'SELECT * FROM positions WHERE account_id = ? ORDER BY symbol',
      ),
      insertFill: db.prepare(
        `INSERT INTO fills (account_id, order_id, symbol, side, qty, price_e4, commission_e4, realized_pnl_e4,
           position_after, t)
         VALUES (@accountId, @orderId, @symbol, @side, @qty, @priceE4, @commissionE4, @realizedPnlE4, @positionAfter, @t)`,
      ),
      insertLedger: db.prepare(
        `INSERT INTO ledger (account_id, t, amount_e4, balance_e4, reason, order_id, fill_id, symbol, note)
         VALUES (@accountId, @t, @amountE4, @balanceE4, @reason, @orderId, @fillId, @symbol, @note)`,
      ),
      insertEquity: db.prepare(
        `INSERT INTO equity_points (account_id, t, equity_e4, cash_e4) VALUES (?, ?, ?, ?)
         ON CONFLICT (account_id, t) DO UPDATE SET equity_e4 = excluded.equity_e4, cash_e4 = excluded.cash_e4`,
      ),
      deleteEquity: db.prepare<[string]>('DELETE FROM equity_points WHERE account_id = ?'),
      deleteLedger: db.prepare<[string]>('DELETE FROM ledger WHERE account_id = ?'),
      deleteFills: db.prepare<[string]>('DELETE FROM fills WHERE account_id = ?'),
      deletePositions: db.prepare<[string]>('DELETE FROM positions WHERE account_id = ?'),
      deleteOrders: db.prepare<[string]>('DELETE FROM orders WHERE account_id = ?'),
    };
  }

  loadAccount(): AccountRecord | null {
    const row = this.s.account.get(this.accountId);
    if (!row) return null;
    return {
      id: String(row.id),
      startingCashE4: Number(row.starting_cash_e4),
      cashE4: Number(row.cash_e4),
      realizedPnlE4: Number(row.realized_pnl_e4),
      commissionsE4: Number(row.commissions_e4),
      configJson: String(row.config_json),
      createdT: Number(row.created_t),
      updatedT: Number(row.updated_t),
    };
  }

  insertAccount(a: AccountRecord): void {
    this.s.insertAccount.run(a);
  }

  updateAccount(a: AccountRecord): void {
    this.s.updateAccount.run(a);
  }

  /** Inserts an order and returns its id. */
  insertOrder(o: Omit<OrderRecord, 'id'>): number {
    const info = this.s.insertOrder.run({ ...o, accountId: this.accountId, triggered: o.triggered ? 1 : 0 });
    return Number(info.lastInsertRowid);
  }

  updateOrder(o: OrderRecord): void {
    const info = this.s.updateOrder.run({
      id: o.id,
      accountId: this.accountId,
      tif: o.tif,
      qty: o.qty,
      filledQty: o.filledQty,
      filledNotionalE4: o.filledNotionalE4,
      limitPriceE4: o.limitPriceE4,
      stopPriceE4: o.stopPriceE4,
      triggered: o.triggered ? 1 : 0,
      status: o.status,
      statusReason: o.statusReason,
      reservedE4: o.reservedE4,
      commissionE4: o.commissionE4,
      ocoGroup: o.ocoGroup,
      updatedT: o.updatedT,
    });
    if (info.changes !== 1) throw new Error(`Order ${o.id} is not in account ${this.accountId}`);
  }

  workingOrders(): OrderRecord[] {
    return this.s.workingOrders.all(this.accountId).map(toOrderRecord);
  }

  order(id: number): OrderRecord | null {
    const row = this.s.orderById.get(this.accountId, id);
    return row ? toOrderRecord(row) : null;
  }

  /** Orders newest first, filtered by statuses and symbol. */
  orders(statuses: readonly OrderStatus[] | null, symbol: string | null, limit: number): OrderRecord[] {
    const where = ['account_id = ?'];
    const params: (string | number)[] = [this.accountId];
    if (statuses) {
      where.push(`status IN (${statuses.map(() => '?').join(', ')})`);
      params.push(...statuses);
    }
    if (symbol) {
      where.push('symbol = ?');
      params.push(symbol);
    }
    params.push(limit);
    return this.db
      .prepare<(string | number)[], OrderRow>(
        `SELECT * FROM orders WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`,
      )
      .all(...params)
      .map(toOrderRecord);
  }

  upsertPosition(p: PositionRecord): void {
    this.s.upsertPosition.run({ ...p, accountId: this.accountId });
  }

  updateMark(symbol: string, markPriceE4: number, markT: number): void {
    this.s.updateMark.run({ accountId: this.accountId, symbol, markPriceE4, markT });
  }

  positions(): PositionRecord[] {
    return this.s.positions.all(this.accountId).map((row) => ({
      symbol: String(row.symbol),
      qty: Number(row.qty),
      costE4: Number(row.cost_e4),
      realizedPnlE4: Number(row.realized_pnl_e4),
      markPriceE4: row.mark_price_e4 === null ? null : Number(row.mark_price_e4),
      markT: row.mark_t === null ? null : Number(row.mark_t),
      openedT: row.opened_t === null ? null : Number(row.opened_t),
      updatedT: Number(row.updated_t),
    }));
  }

  insertFill(f: Omit<Fill, 'id'>): number {
    return Number(this.s.insertFill.run({ ...f, accountId: this.accountId }).lastInsertRowid);
  }

  fills(symbol: string | null, orderId: number | null, limit: number): Fill[] {
    const where = ['account_id = ?'];
    const params: (string | number)[] = [this.accountId];
    if (symbol) {
      where.push('symbol = ?');
      params.push(symbol);
    }
    if (orderId !== null) {
      where.push('order_id = ?');
      params.push(orderId);
    }
    params.push(limit);
    return this.db
      .prepare<(string | number)[], FillRow>(
        `SELECT * FROM fills WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`,
      )
      .all(...params)
      .map(toFill);
  }

  /** Every fill in the order it happened (reconciliation and backtest reports). */
  allFills(): Fill[] {
    return this.db
      .prepare<[string], FillRow>('SELECT * FROM fills WHERE account_id = ? ORDER BY id')
      .all(this.accountId)
      .map(toFill);
  }

  insertLedger(e: LedgerEntry): void {
    this.s.insertLedger.run({ ...e, accountId: this.accountId });
  }

  insertEquity(points: readonly EquityPoint[]): void {
    for (const p of points) this.s.insertEquity.run(this.accountId, p.t, p.equityE4, p.cashE4);
  }

  equity(fromT: number, toT: number): EquityPoint[] {
    return this.db
      .prepare<[string, number, number], { t: number; equity_e4: number; cash_e4: number }>(
        'SELECT t, equity_e4, cash_e4 FROM equity_points WHERE account_id = ? AND t >= ? AND t <= ? ORDER BY t',
      )
      .all(this.accountId, fromT, toT)
      .map((r) => ({ t: r.t, equityE4: r.equity_e4, cashE4: r.cash_e4 }));
  }

  /** Deletes the account's history (not the account row). */
  clearHistory(): void {
    const id = this.accountId;
    this.s.deleteEquity.run(id);
    this.s.deleteLedger.run(id);
    this.s.deleteFills.run(id);
    this.s.deletePositions.run(id);
    this.s.deleteOrders.run(id);
  }
}

function toOrderRecord(r: OrderRow): OrderRecord {
  return {
    id: r.id,
    symbol: r.symbol,
    side: r.side,
    type: r.type,
    tif: r.tif,
    qty: r.qty,
    filledQty: r.filled_qty,
    filledNotionalE4: r.filled_notional_e4,
    limitPriceE4: r.limit_price_e4,
    stopPriceE4: r.stop_price_e4,
    triggered: r.triggered === 1,
    status: r.status,
    statusReason: r.status_reason,
    reservedE4: r.reserved_e4,
    commissionE4: r.commission_e4,
    parentId: r.parent_id,
    ocoGroup: r.oco_group,
    role: r.role,
    clientTag: r.client_tag,
    createdT: r.created_t,
    updatedT: r.updated_t,
  };
}

function toFill(r: FillRow): Fill {
  return {
    id: r.id,
    orderId: r.order_id,
    symbol: r.symbol,
    side: r.side,
    qty: r.qty,
    priceE4: r.price_e4,
    commissionE4: r.commission_e4,
    realizedPnlE4: r.realized_pnl_e4,
    positionAfter: r.position_after,
    t: r.t,
  };
}

/** The public view of an order record. */
export function toOrder(o: OrderRecord): Order {
  return {
    id: o.id,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    tif: o.tif,
    qty: o.qty,
    filledQty: o.filledQty,
    avgFillPriceE4: o.filledQty > 0 ? Math.round(o.filledNotionalE4 / o.filledQty) : null,
    limitPriceE4: o.limitPriceE4,
    stopPriceE4: o.stopPriceE4,
    triggered: o.triggered,
    status: o.status,
    statusReason: o.statusReason,
    commissionE4: o.commissionE4,
    parentId: o.parentId,
    ocoGroup: o.ocoGroup,
    role: o.role,
    clientTag: o.clientTag,
    createdT: o.createdT,
    updatedT: o.updatedT,
  };
}
