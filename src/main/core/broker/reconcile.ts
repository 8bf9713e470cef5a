import type { AccountSummary } from '../../../shared/domain/broker';
import { notionalE4 } from '../../../shared/money';
import type { Db } from '../db/database';
import { type AccountRecord, BrokerStore, type OrderRecord, type PositionRecord } from './broker-store';
import { applyFill, type Holding } from './position-math';

/** The broker's memory, compared with what the database says. */
export interface BrokerSnapshot {
  account: AccountRecord;
  positions: readonly PositionRecord[];
  working: readonly OrderRecord[];
  summary: AccountSummary;
  allowShort: boolean;
}

export interface ReconcileReport {
  ok: boolean;
  /** One line per discrepancy; empty when the books reconcile. */
  problems: string[];
}

const WORKING = new Set(['held', 'open', 'partially_filled']);

/**
 * Rebuilds the books from the database's raw history and compares:
 * - cash: the account row, the ledger's sum and running balance, and the fills' cash effects;
 * - positions, realised P&L and commissions: replayed from the fills in order;
 * - orders: filled quantity, notional and commission equal to their fills; final orders hold no reservation;
 * - memory: the broker's account, positions and working orders equal the stored ones;
 * - the identity `cash + marked positions = starting cash + realised + unrealised − commissions`;
 * - a cash account (no shorting) never has negative cash or a short position.
 */
export function reconcileBooks(db: Db, accountId: string, memory?: BrokerSnapshot): ReconcileReport {
  const problems: string[] = [];
  const store = new BrokerStore(db, accountId);
  const account = store.loadAccount();
  if (!account) return { ok: false, problems: [`account ${accountId} does not exist`] };

  const ledger = db
    .prepare<[string], { amount_e4: number; balance_e4: number; reason: string }>(
      'SELECT amount_e4, balance_e4, reason FROM ledger WHERE account_id = ? ORDER BY id',
    )
    .all(accountId);
  let balance = 0;
  for (const [i, row] of ledger.entries()) {
    balance += row.amount_e4;
    if (row.balance_e4 !== balance) {
      problems.push(`ledger row ${i}: balance ${row.balance_e4} ≠ running sum ${balance}`);
      break;
    }
  }
  if (balance !== account.cashE4) problems.push(`cash ${account.cashE4} ≠ ledger sum ${balance}`);
  const deposits = ledger.filter((r) => r.reason === 'deposit').reduce((s, r) => s + r.amount_e4, 0);
  if (deposits !== account.startingCashE4)
    problems.push(`deposits ${deposits} ≠ starting cash ${account.startingCashE4}`);

  const holdings = new Map<string, Holding & { realized: number }>();
  const perOrder = new Map<number, { qty: number; notional: number; commission: number }>();
  let cash = account.startingCashE4;
  let realized = 0;
  let commissions = 0;
  for (const f of store.allFills()) {
    const h = holdings.get(f.symbol) ?? { qty: 0, costE4: 0, realized: 0 };
    const after = applyFill(h, f.side, f.qty, f.priceE4);
    if (after.realizedE4 !== f.realizedPnlE4) {
      problems.push(`fill ${f.id}: realised ${f.realizedPnlE4} ≠ replayed ${after.realizedE4}`);
    }
    if (after.qty !== f.positionAfter) problems.push(`fill ${f.id}: position after ${f.positionAfter} ≠ ${after.qty}`);
    holdings.set(f.symbol, { qty: after.qty, costE4: after.costE4, realized: h.realized + after.realizedE4 });
    const value = notionalE4(f.qty, f.priceE4);
    cash += (f.side === 'buy' ? -value : value) - f.commissionE4;
    realized += after.realizedE4;
    commissions += f.commissionE4;
    const o = perOrder.get(f.orderId) ?? { qty: 0, notional: 0, commission: 0 };
    perOrder.set(f.orderId, {
      qty: o.qty + f.qty,
      notional: o.notional + value,
      commission: o.commission + f.commissionE4,
    });
  }
  if (cash !== account.cashE4) problems.push(`cash ${account.cashE4} ≠ starting cash and fills ${cash}`);
  if (realized !== account.realizedPnlE4) problems.push(`realised ${account.realizedPnlE4} ≠ fills ${realized}`);
  if (commissions !== account.commissionsE4) {
    problems.push(`commissions ${account.commissionsE4} ≠ fills ${commissions}`);
  }

  const positions = store.positions();
  const stored = new Map(positions.map((p) => [p.symbol, p]));
  for (const [symbol, h] of holdings) {
    const p = stored.get(symbol);
    if (!p) {
      if (h.qty !== 0) problems.push(`${symbol}: fills hold ${h.qty} but there is no position row`);
      continue;
    }
    if (p.qty !== h.qty || p.costE4 !== h.costE4 || p.realizedPnlE4 !== h.realized) {
      problems.push(
        `${symbol}: position ${p.qty} / cost ${p.costE4} / realised ${p.realizedPnlE4} ≠ fills ${h.qty} / ${h.costE4} / ${h.realized}`,
      );
    }
  }
  for (const p of positions) {
    if (!holdings.has(p.symbol) && p.qty !== 0) problems.push(`${p.symbol}: position ${p.qty} without fills`);
  }
  const costSum = positions.reduce((s, p) => s + p.costE4, 0);
  if (account.cashE4 + costSum !== account.startingCashE4 + account.realizedPnlE4 - account.commissionsE4) {
    problems.push('cash + cost of positions ≠ starting cash + realised − commissions');
  }

  const orders = db
    .prepare<[string], Record<string, number | string | null>>('SELECT * FROM orders WHERE account_id = ?')
    .all(accountId);
  for (const o of orders) {
    const id = Number(o.id);
    const sums = perOrder.get(id) ?? { qty: 0, notional: 0, commission: 0 };
    const filled = Number(o.filled_qty);
    if (filled !== sums.qty || Number(o.filled_notional_e4) !== sums.notional) {
      problems.push(`order ${id}: filled ${filled} / ${o.filled_notional_e4} ≠ fills ${sums.qty} / ${sums.notional}`);
    }
    if (Number(o.commission_e4) !== sums.commission) problems.push(`order ${id}: commission ≠ its fills`);
    if (filled > Number(o.qty)) problems.push(`order ${id}: filled ${filled} > ordered ${o.qty}`);
    if (o.status === 'filled' && filled !== Number(o.qty))
      problems.push(`order ${id}: filled status with ${filled}/${o.qty}`);
    if (WORKING.has(String(o.status)) && filled >= Number(o.qty)) problems.push(`order ${id}: working but complete`);
    if (!WORKING.has(String(o.status)) && Number(o.reserved_e4) !== 0) problems.push(`order ${id}: final but reserves`);
  }

  if (memory) {
    const a = memory.account;
    if (
      a.cashE4 !== account.cashE4 ||
      a.realizedPnlE4 !== account.realizedPnlE4 ||
      a.commissionsE4 !== account.commissionsE4 ||
      a.startingCashE4 !== account.startingCashE4
    ) {
      problems.push('the account in memory differs from the database');
    }
    for (const p of memory.positions) {
      const s = stored.get(p.symbol);
      if (!s || s.qty !== p.qty || s.costE4 !== p.costE4 || s.realizedPnlE4 !== p.realizedPnlE4) {
        problems.push(`${p.symbol}: the position in memory differs from the database`);
      }
    }
    if (memory.positions.length !== positions.length) problems.push('positions in memory ≠ positions stored');
    const storedWorking = new Map(store.workingOrders().map((o) => [o.id, o]));
    if (storedWorking.size !== memory.working.length) problems.push('working orders in memory ≠ stored');
    for (const o of memory.working) {
      const s = storedWorking.get(o.id);
      if (!s || !sameRecord(s, o)) problems.push(`order ${o.id}: memory differs from the database`);
    }
    const sm = memory.summary;
    if (sm.equityE4 !== sm.cashE4 + sm.longMarketValueE4 - sm.shortMarketValueE4) {
      problems.push('equity ≠ cash + longs − shorts');
    }
    if (sm.equityE4 !== sm.startingCashE4 + sm.realizedPnlE4 + sm.unrealizedPnlE4 - sm.commissionsE4) {
      problems.push(
        `cash + marked positions ${sm.equityE4} ≠ starting cash + realised + unrealised − commissions ${
          sm.startingCashE4 + sm.realizedPnlE4 + sm.unrealizedPnlE4 - sm.commissionsE4
        }`,
      );
    }
    if (!memory.allowShort) {
      if (account.cashE4 < 0) problems.push(`a cash account has negative cash ${account.cashE4}`);
      for (const p of positions) if (p.qty < 0) problems.push(`${p.symbol}: a cash account is short ${p.qty}`);
    }
  }
  return { ok: problems.length === 0, problems };
}

function sameRecord(a: OrderRecord, b: OrderRecord): boolean {
  const keys = Object.keys(a) as (keyof OrderRecord)[];
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
