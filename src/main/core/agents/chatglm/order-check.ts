import type {
  MarketSession,
  OrderCheck,
  OrderContext,
  OrderToCheck,
  OrderWarning,
  TradeRecord,
} from '../../../../shared/domain/knowledge';
import { formatUsd, toE4 } from '../../../../shared/money';
import { KNOWLEDGE_BASE } from './knowledge-base';
import { calendarDaysBetween, lastBusinessDays, newYorkTime, sessionAt } from './market-calendar';
import { MODEL_VERSION } from './model-version';

/** FINRA Rule 4210(f)(8)(B): pattern day traders need $25,000 of equity. */
export const PDT_MIN_EQUITY_E4 = toE4(25_000);
/** FINRA Rule 4210(b): $2,000 of equity before buying on margin or selling short. */
export const MARGIN_MIN_EQUITY_E4 = toE4(2_000);
/** Regulation T initial margin on purchases and (on top of the proceeds) on short sales. */
export const REG_T_INITIAL = 0.5;
/** Four day trades in five business days make a pattern day trader. */
const PDT_DAY_TRADES = 4;
const PDT_WINDOW_BUSINESS_DAYS = 5;
/** IRC section 1091: 30 days before or after the loss sale. */
const WASH_SALE_DAYS = 30;
/** Rule 201 triggers on a 10% fall from the previous close. */
const SSR_TRIGGER_PCT = -10;

const PASSAGES = new Map(KNOWLEDGE_BASE.map((p) => [p.id, p]));

/**
 * Checks an order against US trading rules before it is sent: pattern day trading, Reg T margin and buying power,
 * minimum margin equity, cash-account funds and good faith violations, short sales in cash accounts, wash sales,
 * the short sale restriction (Rule 201), locates, trading hours and halts, and missing order prices. Pure: the
 * result depends only on the order and the context, whose `nowMs` is market time. A rule whose inputs are missing
 * from the context is skipped rather than guessed.
 */
export function checkOrder(order: OrderToCheck, context: OrderContext): OrderCheck {
  const warnings: OrderWarning[] = [];
  const warn = (ruleId: string, severity: OrderWarning['severity'], message: string) => {
    const passage = PASSAGES.get(ruleId);
    if (!passage) throw new Error(`order-check: no knowledge passage "${ruleId}"`);
    warnings.push({ ruleId, severity, title: passage.title, message, source: passage.source });
  };
  const symbol = order.symbol.toUpperCase();
  const session: MarketSession = context.session ?? sessionAt(context.nowMs);
  const position = context.positionQty;
  const priceE4 = orderPriceE4(order, context);
  const notionalE4 = priceE4 === null ? null : Math.round(order.qty * priceE4);

  // The part of the order that opens or adds to a position (a buy beyond a short, a sell beyond a long).
  const openingQty =
    position === undefined
      ? order.side === 'buy'
        ? order.qty
        : 0
      : order.side === 'buy'
        ? Math.max(0, order.qty - Math.max(0, -position))
        : Math.max(0, order.qty - Math.max(0, position));
  const isShortSale = order.side === 'sell' && position !== undefined && openingQty > 0;

  checkOrderShape(order, context, warn);

  // Day trades: closing today what was opened today.
  const todaysTrades = (context.trades ?? []).filter(
    (t) => t.symbol === symbol && newYorkTime(t.tMs).day === newYorkTime(context.nowMs).day && t.tMs <= context.nowMs,
  );
  const isDayTrade = openedTodayAgainst(todaysTrades, order.side, position) > 0;
  const dayTradesInWindow =
    context.dayTradeCount ?? (context.trades ? countDayTrades(context.trades, context.nowMs) : null);

  if (context.accountType === 'margin') {
    if (isDayTrade && dayTradesInWindow !== null && context.equityE4 < PDT_MIN_EQUITY_E4) {
      const nth = dayTradesInWindow + 1;
      if (nth >= PDT_DAY_TRADES) {
        warn(
          'pdt-rule',
          'block',
          `This would be day trade number ${nth} in five business days with ${formatUsd(context.equityE4)} of equity: the account would be flagged as a pattern day trader and may not day trade below ${formatUsd(PDT_MIN_EQUITY_E4)} (day-trading call, then a 90-day restriction).`,
        );
      } else if (nth === PDT_DAY_TRADES - 1) {
        warn(
          'pdt-rule',
          'info',
          `This is day trade number ${nth} in five business days; one more before the window rolls would flag the account as a pattern day trader (equity ${formatUsd(context.equityE4)}, below ${formatUsd(PDT_MIN_EQUITY_E4)}).`,
        );
      }
    }
    checkMargin(order, context, openingQty, priceE4, warn);
  } else {
    checkCashAccount(order, context, position, notionalE4, warn);
  }

  checkWashSale(order, context, symbol, priceE4, warn);

  if (isShortSale && context.accountType === 'margin') {
    const restricted =
      context.shortSaleRestricted === true ||
      (context.changeFromPriorClosePct !== undefined && context.changeFromPriorClosePct <= SSR_TRIGGER_PCT);
    if (restricted) {
      const why =
        context.changeFromPriorClosePct !== undefined && context.changeFromPriorClosePct <= SSR_TRIGGER_PCT
          ? `${symbol} is down ${Math.abs(context.changeFromPriorClosePct).toFixed(1)}% from the previous close`
          : `the short sale restriction is in force for ${symbol}`;
      if (order.type === 'market' || order.type === 'stop') {
        warn(
          'ssr-rule-201',
          'block',
          `${why}: short sales may only execute above the national best bid (Rule 201), so a ${order.type} short sale would hit the bid; use a limit price above the bid.`,
        );
      } else {
        warn(
          'ssr-rule-201',
          'warn',
          `${why}: this short sale can only execute above the national best bid (Rule 201, for the rest of today and the next trading day).`,
        );
      }
    }
    if (context.locateAvailable === false) {
      warn(
        'locate-requirement',
        'block',
        `No shares of ${symbol} are available to borrow: a short sale needs a locate (Reg SHO Rule 203).`,
      );
    } else if (context.locateAvailable === undefined) {
      warn(
        'locate-requirement',
        'info',
        `Selling ${openingQty} ${symbol} short needs a locate of borrowable shares (Reg SHO Rule 203).`,
      );
    }
  }

  checkSession(order, session, symbol, warn);
  if (context.halted) {
    warn(
      'trading-halts',
      'warn',
      `Trading in ${symbol} is halted or paused: the order cannot execute until trading resumes, and prices often gap at the reopening${order.type === 'market' || order.type === 'stop' ? ', so a market or stop order may fill far from the last price' : ''}.`,
    );
  }

  return {
    allowed: !warnings.some((w) => w.severity === 'block'),
    warnings,
    facts: { session, isShortSale, isDayTrade, dayTradesInWindow, priceE4, notionalE4 },
    model: { slot: 'ChatGLM', backend: 'built-in rules', version: MODEL_VERSION },
  };
}

type Warn = (ruleId: string, severity: OrderWarning['severity'], message: string) => void;

/** The price the order would trade at, as well as it can be known: the limit, the stop, or the last price. */
function orderPriceE4(order: OrderToCheck, context: OrderContext): number | null {
  if ((order.type === 'limit' || order.type === 'stop_limit') && order.limitPrice !== undefined) {
    return toE4(order.limitPrice);
  }
  if (order.type === 'stop' && order.stopPrice !== undefined) return toE4(order.stopPrice);
  return context.lastPriceE4 ?? null;
}

function checkOrderShape(order: OrderToCheck, context: OrderContext, warn: Warn): void {
  if ((order.type === 'limit' || order.type === 'stop_limit') && order.limitPrice === undefined) {
    warn(
      order.type === 'limit' ? 'order-limit' : 'order-stop-limit',
      'block',
      `A ${order.type.replace('_', '-')} order needs a limit price.`,
    );
  }
  if ((order.type === 'stop' || order.type === 'stop_limit') && order.stopPrice === undefined) {
    warn(
      order.type === 'stop' ? 'order-stop' : 'order-stop-limit',
      'block',
      `A ${order.type.replace('_', '-')} order needs a stop price.`,
    );
  }
  if ((order.type === 'stop' || order.type === 'stop_limit') && order.stopPrice !== undefined && context.lastPriceE4) {
    const stopE4 = toE4(order.stopPrice);
    const immediate = order.side === 'buy' ? stopE4 <= context.lastPriceE4 : stopE4 >= context.lastPriceE4;
    if (immediate) {
      warn(
        order.type === 'stop' ? 'order-stop' : 'order-stop-limit',
        'info',
        `A ${order.side} stop at ${formatUsd(stopE4)} is already through the last price ${formatUsd(context.lastPriceE4)}: it would trigger at once.`,
      );
    }
  }
}

function checkMargin(
  order: OrderToCheck,
  context: OrderContext,
  openingQty: number,
  priceE4: number | null,
  warn: Warn,
): void {
  if (openingQty <= 0 || priceE4 === null) return;
  const openingE4 = Math.round(openingQty * priceE4);
  const borrowing = order.side === 'sell' || openingE4 > context.equityE4;
  if (borrowing && context.equityE4 < MARGIN_MIN_EQUITY_E4) {
    warn(
      'margin-minimum-equity',
      'block',
      `${order.side === 'sell' ? 'Selling short' : 'Buying on margin'} needs at least ${formatUsd(MARGIN_MIN_EQUITY_E4)} of equity; the account has ${formatUsd(context.equityE4)}.`,
    );
    return;
  }
  // Buying power in notional terms: what the broker reports, or twice the equity above the current requirement.
  const buyingPowerE4 =
    context.buyingPowerE4 ??
    Math.max(0, Math.floor((context.equityE4 - (context.marginRequirementE4 ?? 0)) / REG_T_INITIAL));
  if (openingE4 > buyingPowerE4) {
    const requiredE4 = Math.round(openingE4 * REG_T_INITIAL);
    warn(
      'regt-initial-margin',
      'block',
      `${order.side === 'sell' ? 'This short sale' : 'This purchase'} of ${formatUsd(openingE4)} needs ${formatUsd(requiredE4)} of initial margin (Reg T 50%), more than the buying power of ${formatUsd(buyingPowerE4)}.`,
    );
  }
}

function checkCashAccount(
  order: OrderToCheck,
  context: OrderContext,
  position: number | undefined,
  notionalE4: number | null,
  warn: Warn,
): void {
  if (order.side === 'sell') {
    if (position !== undefined && order.qty > Math.max(0, position)) {
      warn(
        'cash-account-trading',
        'block',
        `A cash account cannot sell short: it holds ${Math.max(0, position)} ${order.symbol} and the order sells ${order.qty}.`,
      );
      return;
    }
    const unpaid = context.unsettledBoughtQty ?? 0;
    if (unpaid > 0) {
      const paid = position === undefined ? 0 : Math.max(0, position - unpaid);
      if (order.qty > paid) {
        warn(
          'good-faith-violation',
          'warn',
          `${Math.min(order.qty - paid, unpaid)} of these shares were bought with unsettled funds: selling them before those funds settle (T+1) is a good faith violation.`,
        );
      }
    }
    return;
  }
  if (notionalE4 === null || context.settledCashE4 === undefined) return;
  const unsettled = context.unsettledCashE4 ?? 0;
  if (notionalE4 > context.settledCashE4 + unsettled) {
    warn(
      'cash-account-trading',
      'block',
      `This purchase costs ${formatUsd(notionalE4)}, more than the cash available (${formatUsd(context.settledCashE4)} settled${unsettled > 0 ? `, ${formatUsd(unsettled)} unsettled` : ''}); a cash account cannot borrow.`,
    );
  } else if (notionalE4 > context.settledCashE4) {
    warn(
      'good-faith-violation',
      'info',
      `This purchase uses ${formatUsd(notionalE4 - context.settledCashE4)} of unsettled sale proceeds: selling these shares before those proceeds settle would be a good faith violation.`,
    );
  }
}

function checkWashSale(
  order: OrderToCheck,
  context: OrderContext,
  symbol: string,
  priceE4: number | null,
  warn: Warn,
): void {
  const within = (tMs: number) => {
    const days = calendarDaysBetween(tMs, context.nowMs);
    return days >= 0 && days <= WASH_SALE_DAYS && tMs <= context.nowMs;
  };
  if (order.side === 'buy') {
    const losses = (context.lossSales ?? []).filter((s) => s.symbol === symbol && within(s.tMs));
    if (losses.length > 0) {
      const lossE4 = losses.reduce((sum, s) => sum + s.lossE4, 0);
      const last = losses.reduce((a, b) => (b.tMs > a.tMs ? b : a));
      warn(
        'wash-sale',
        'warn',
        `${symbol} was sold at a loss (${formatUsd(lossE4)} in total, last on ${newYorkTime(last.tMs).day}) within the last 30 days: buying it back now makes that a wash sale; the loss is disallowed for now and added to the cost basis of the new shares.`,
      );
    }
    return;
  }
  // A sale at a loss is a wash sale when shares were bought within 30 days before it (other than the ones sold).
  if (context.avgCostE4 === undefined || priceE4 === null || priceE4 >= context.avgCostE4) return;
  const recentBuys = (context.trades ?? []).filter((t) => t.symbol === symbol && t.side === 'buy' && within(t.tMs));
  const lossE4 = Math.round(order.qty * (context.avgCostE4 - priceE4));
  if (recentBuys.length > 0) {
    warn(
      'wash-sale',
      'warn',
      `Selling ${symbol} at about ${formatUsd(lossE4)} below cost within 30 days of buying it (last on ${newYorkTime(Math.max(...recentBuys.map((b) => b.tMs))).day}): if those shares are not the ones sold, the loss is a wash sale.`,
    );
  } else {
    warn(
      'wash-sale',
      'info',
      `This sale realises a loss of about ${formatUsd(lossE4)}; buying ${symbol} again within 30 days would make it a wash sale.`,
    );
  }
}

function checkSession(order: OrderToCheck, session: MarketSession, symbol: string, warn: Warn): void {
  if (session === 'regular') return;
  if (session === 'closed') {
    warn(
      'trading-hours',
      order.type === 'market' ? 'warn' : 'info',
      `The market is closed: the order waits for the next session${order.type === 'market' ? ', and a market order then fills at the opening price, which may gap' : ''}.`,
    );
    return;
  }
  const when = session === 'pre' ? 'pre-market' : 'after-hours';
  if (order.type === 'market') {
    warn(
      'trading-hours',
      'warn',
      `It is ${when}: most brokers do not take market orders outside regular hours (9:30-16:00 New York); use a limit order for ${symbol}.`,
    );
  } else if (order.type === 'stop' || order.type === 'stop_limit') {
    warn(
      'trading-hours',
      'warn',
      `It is ${when}: stop orders are not triggered outside regular hours, so this stop waits for the regular session.`,
    );
  } else {
    warn('trading-hours', 'info', `It is ${when}: liquidity is thinner and spreads wider than in regular hours.`);
  }
}

/**
 * Walks one symbol's trades of one day in time order. A buy opens (or adds to) a long; a sell closes what was
 * bought that day and counts as a day trade when it does. A sell with nothing bought that day is taken as the sale
 * of shares held overnight, not as a short: the trades alone cannot tell the two apart, and calling an overnight
 * sale a short would count a false day trade when the shares are bought back.
 */
function walkDay(trades: readonly TradeRecord[]): { openLong: number; dayTrades: number } {
  let openLong = 0;
  let dayTrades = 0;
  for (const t of [...trades].sort((a, b) => a.tMs - b.tMs)) {
    if (t.side === 'buy') {
      openLong += t.qty;
    } else if (openLong > 0) {
      dayTrades++;
      openLong -= Math.min(openLong, t.qty);
    }
  }
  return { openLong, dayTrades };
}

/**
 * Quantity opened today that this order would close: for a sell, long shares bought today and still open; for a
 * buy while the account is short, the shares sold today (a short opened today and covered now).
 */
function openedTodayAgainst(todaysTrades: TradeRecord[], side: 'buy' | 'sell', position: number | undefined): number {
  if (side === 'sell') return walkDay(todaysTrades).openLong;
  if (position === undefined || position >= 0) return 0;
  const soldToday = todaysTrades.filter((t) => t.side === 'sell').reduce((sum, t) => sum + t.qty, 0);
  return Math.min(-position, soldToday);
}

/**
 * Day trades in the rolling window of five business days ending today: each sale that closes (part of) a long
 * position bought the same day in the same symbol counts as one (see {@link walkDay}; short round trips within a
 * day are not visible in the trades and are not counted). Brokers that count differently may differ.
 */
export function countDayTrades(trades: readonly TradeRecord[], nowMs: number): number {
  const window = new Set(lastBusinessDays(nowMs, PDT_WINDOW_BUSINESS_DAYS));
  const groups = new Map<string, TradeRecord[]>();
  for (const t of trades) {
    if (t.tMs > nowMs) continue;
    const day = newYorkTime(t.tMs).day;
    if (!window.has(day)) continue;
    const key = `${t.symbol}|${day}`;
    const list = groups.get(key) ?? [];
    list.push(t);
    groups.set(key, list);
  }
  let count = 0;
  for (const list of groups.values()) count += walkDay(list).dayTrades;
  return count;
}
