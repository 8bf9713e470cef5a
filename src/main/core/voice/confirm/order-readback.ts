/**
 * Safety of spoken orders: a spoken order is never placed as heard. It is checked, read back ("Buy 10 Apple at
 * market, about 1,920 dollars. Say confirm or cancel.") and placed only after "confirm" (spoken or clicked) within
 * the timeout. "Cancel", silence or a new order drops it. A field can be corrected by voice ("quantity twenty")
 * before confirming; the corrected order is checked and read back again.
 *
 * Checks before the read-back: the quantity and notional limits (over them, the order is refused outright), a
 * limit or stop far outside the day's range, and the knowledge slot's rule warnings (read out as warnings).
 */

import type { PendingVoiceOrder, SpokenCommand, SpokenOrder } from '../../../../shared/domain/voice';
import { formatUsd, notionalE4, toE4 } from '../../../../shared/money';
import { spokenSymbol } from '../grammar/companies';
import { formatNumber } from '../grammar/normalize';

/** What the desk knows about a symbol right now (all prices in dollars). */
export interface QuoteSnapshot {
  readonly last: number;
  readonly dayLow?: number;
  readonly dayHigh?: number;
}

export interface ReadbackLimits {
  readonly maxQty: number;
  /** Largest notional, in E4 units. */
  readonly maxNotionalE4: number;
  /** Warn when a limit or stop is this many percent outside the day's range (of the range's midpoint). */
  readonly priceBandPct: number;
  readonly confirmTimeoutMs: number;
}

export interface ReadbackDeps {
  readonly limits: () => ReadbackLimits;
  /** The latest quote, or null when the desk has no price for the symbol. */
  readonly quote: (symbol: string) => QuoteSnapshot | null;
  /** The knowledge slot's rule warnings for this order (pattern day trader, short sale restriction…). */
  readonly ruleWarnings?: (order: SpokenOrder) => Promise<readonly string[]> | readonly string[];
  /** Places the confirmed order with the broker; resolves with its id. */
  readonly place: (order: SpokenOrder) => Promise<{ orderId: string }>;
  /** Wall clock, ms. */
  readonly now: () => number;
  readonly setTimer?: (fn: () => void, ms: number) => unknown;
  readonly clearTimer?: (timer: unknown) => void;
  /** The pending order changed (new, corrected, placed, cancelled, expired). */
  readonly onChange: (pending: PendingVoiceOrder | null, why: ReadbackChange) => void;
}

export type ReadbackChange = 'proposed' | 'corrected' | 'placed' | 'cancelled' | 'expired' | 'replaced' | 'failed';

/** The result of handling a spoken order or control word: what to say, and what happened. */
export interface ReadbackOutcome {
  readonly speech: string;
  readonly pending: PendingVoiceOrder | null;
  readonly placedOrderId?: string;
  /** True when the command was refused (a limit, nothing pending to confirm). */
  readonly refused: boolean;
}

export class OrderReadback {
  private pending: PendingVoiceOrder | null = null;
  private timer: unknown = null;
  private counter = 0;
  private placing = false;

  constructor(private readonly deps: ReadbackDeps) {}

  get current(): PendingVoiceOrder | null {
    return this.pending;
  }

  /** Handles a recognised command that concerns orders; returns null for commands that do not. */
  async handle(command: SpokenCommand): Promise<ReadbackOutcome | null> {
    switch (command.kind) {
      case 'order':
        return this.propose(command.order);
      case 'confirm':
        return this.confirm();
      case 'cancel':
        return this.cancel();
      case 'correct':
        return this.correct(command.field, command.value);
      default:
        return null;
    }
  }

  /** Checks a spoken order and reads it back; a previous pending order is dropped. */
  async propose(order: SpokenOrder): Promise<ReadbackOutcome> {
    if (this.pending) this.drop('replaced');
    const checked = await this.check(order);
    if ('refusal' in checked) return { speech: checked.refusal, pending: null, refused: true };
    this.pending = this.build(order, checked.notional, checked.warnings);
    this.arm();
    this.deps.onChange(this.pending, 'proposed');
    return { speech: this.pending.readBack, pending: this.pending, refused: false };
  }

  /** "quantity twenty", "price two hundred": changes a field of the pending order and reads it back again. */
  async correct(field: 'qty' | 'limitPrice' | 'stopPrice', value: number): Promise<ReadbackOutcome> {
    const pending = this.pending;
    if (!pending) return { speech: 'There is no order to change.', pending: null, refused: true };
    const order: SpokenOrder = { ...pending.order };
    if (field === 'qty') {
      if (!Number.isInteger(value) || value <= 0) {
        return { speech: 'The quantity must be a whole number of shares.', pending, refused: true };
      }
      order.qty = value;
    } else if (field === 'limitPrice') {
      order.limitPrice = value;
      order.type = 'limit';
      delete order.stopPrice;
    } else {
      order.stopPrice = value;
      order.type = 'stop';
      delete order.limitPrice;
    }
    const checked = await this.check(order);
    if (this.pending !== pending) return { speech: 'That order is gone.', pending: this.pending, refused: true };
    if ('refusal' in checked)
      return { speech: `${checked.refusal} The order was not changed.`, pending, refused: true };
    this.pending = { ...this.build(order, checked.notional, checked.warnings), id: pending.id };
    this.arm();
    this.deps.onChange(this.pending, 'corrected');
    return { speech: this.pending.readBack, pending: this.pending, refused: false };
  }

  /** Places the pending order (spoken "confirm" or the confirm button). `id` guards against a stale click. */
  async confirm(id?: string): Promise<ReadbackOutcome> {
    const pending = this.pending;
    if (!pending) return { speech: 'There is no order waiting for confirmation.', pending: null, refused: true };
    if (id !== undefined && id !== pending.id) {
      return { speech: 'That order was changed or replaced; check the read-back.', pending, refused: true };
    }
    if (this.placing) return { speech: 'The order is being placed.', pending, refused: true };
    if (this.deps.now() > pending.expiresAt) {
      this.drop('expired');
      return { speech: 'The order timed out and was not placed.', pending: null, refused: true };
    }
    this.placing = true;
    this.disarm();
    try {
      const { orderId } = await this.deps.place(pending.order);
      this.pending = null;
      this.deps.onChange(null, 'placed');
      return {
        speech: `Placed. ${describeOrder(pending.order)}.`,
        pending: null,
        placedOrderId: orderId,
        refused: false,
      };
    } catch (error) {
      this.pending = null;
      this.deps.onChange(null, 'failed');
      const reason = error instanceof Error ? error.message : String(error);
      return { speech: `The order was not placed: ${reason}`, pending: null, refused: true };
    } finally {
      this.placing = false;
    }
  }

  cancel(id?: string): ReadbackOutcome {
    if (!this.pending || (id !== undefined && id !== this.pending.id)) {
      return { speech: 'There is no order to cancel.', pending: this.pending, refused: true };
    }
    this.drop('cancelled');
    return { speech: 'Cancelled. Nothing was placed.', pending: null, refused: false };
  }

  /** Drops the pending order without placing it (app closing). */
  close(): void {
    if (this.pending) this.drop('cancelled');
  }

  private async check(
    order: SpokenOrder,
  ): Promise<{ refusal: string } | { notional: number | null; warnings: string[] }> {
    const limits = this.deps.limits();
    if (order.qty > limits.maxQty) {
      return {
        refusal: `${order.qty.toLocaleString('en-US')} shares is over the voice order limit of ${limits.maxQty.toLocaleString('en-US')}. Nothing was placed.`,
      };
    }
    const quote = this.deps.quote(order.symbol);
    const price = order.type === 'limit' ? order.limitPrice : order.type === 'stop' ? order.stopPrice : quote?.last;
    let notional: number | null = null;
    if (price !== undefined && price > 0) {
      try {
        notional = notionalE4(order.qty, toE4(price));
      } catch {
        return { refusal: 'That order is far too large. Nothing was placed.' };
      }
      if (notional > limits.maxNotionalE4) {
        return {
          refusal: `About ${spokenDollars(notional)} is over the voice order limit of ${spokenDollars(limits.maxNotionalE4)}. Nothing was placed.`,
        };
      }
    }
    const warnings: string[] = [];
    if (!quote) warnings.push(`I have no price for ${spokenSymbol(order.symbol)}.`);
    const orderPrice = order.type === 'limit' ? order.limitPrice : order.type === 'stop' ? order.stopPrice : undefined;
    if (orderPrice !== undefined && quote) {
      const low = quote.dayLow ?? quote.last;
      const high = quote.dayHigh ?? quote.last;
      const band = ((low + high) / 2) * (limits.priceBandPct / 100);
      const word = order.type === 'limit' ? 'limit' : 'stop';
      if (orderPrice > high + band || orderPrice < low - band) {
        const where = orderPrice > high ? 'above' : 'below';
        warnings.push(
          low === high
            ? `The ${word} of ${spokenPrice(orderPrice)} is far ${where} the last price of ${spokenPrice(quote.last)}.`
            : `The ${word} of ${spokenPrice(orderPrice)} is far ${where} today's range of ${spokenPrice(low)} to ${spokenPrice(high)}.`,
        );
      }
    }
    if (this.deps.ruleWarnings) {
      try {
        warnings.push(...(await this.deps.ruleWarnings(order)));
      } catch {
        warnings.push('The rule check is unavailable.');
      }
    }
    return { notional, warnings };
  }

  private build(order: SpokenOrder, notional: number | null, warnings: string[]): PendingVoiceOrder {
    const about = notional === null ? '' : `, about ${spokenDollars(notional)}`;
    const warningText = warnings.length > 0 ? ` Warning: ${warnings.join(' ')}` : '';
    const readBack = `${capitalise(describeOrder(order))}${about}.${warningText} Say confirm or cancel.`;
    return {
      id: `vo${++this.counter}`,
      order,
      readBack,
      notionalE4: notional,
      warnings,
      expiresAt: this.deps.now() + this.deps.limits().confirmTimeoutMs,
    };
  }

  private arm(): void {
    this.disarm();
    const setTimer = this.deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    const pending = this.pending;
    if (!pending) return;
    this.timer = setTimer(
      () => {
        if (this.pending === pending && !this.placing) this.drop('expired');
      },
      Math.max(0, pending.expiresAt - this.deps.now()),
    );
  }

  private disarm(): void {
    if (this.timer === null) return;
    const clearTimer = this.deps.clearTimer ?? ((t) => clearTimeout(t as NodeJS.Timeout));
    clearTimer(this.timer);
    this.timer = null;
  }

  private drop(why: 'cancelled' | 'expired' | 'replaced'): void {
    this.disarm();
    this.pending = null;
    this.deps.onChange(null, why);
  }
}

/** "buy 10 Apple at market", "sell 5 Tesla, limit 250 dollars", "short 10 Nvidia, stop 120 dollars". */
export function describeOrder(order: SpokenOrder): string {
  const head = `${order.verb} ${order.qty.toLocaleString('en-US')} ${spokenSymbol(order.symbol)}`;
  if (order.type === 'limit' && order.limitPrice !== undefined)
    return `${head}, limit ${spokenPrice(order.limitPrice)}`;
  if (order.type === 'stop' && order.stopPrice !== undefined) return `${head}, stop ${spokenPrice(order.stopPrice)}`;
  return `${head} at market`;
}

/** 250 → "250 dollars", 185.25 → "185.25 dollars". */
export function spokenPrice(price: number): string {
  return `${formatNumber(price)} dollars`;
}

/** An E4 amount as a speech engine should say it: "1,920 dollars" (rounded to dollars from 100 up). */
export function spokenDollars(amountE4: number): string {
  const text = formatUsd(amountE4).replace('$', '');
  const [whole, cents] = text.split('.') as [string, string | undefined];
  if (Math.abs(amountE4) >= 100 * 10_000 || !cents || /^0+$/.test(cents)) {
    const rounded = formatUsd(Math.round(amountE4 / 10_000) * 10_000)
      .replace('$', '')
      .split('.')[0];
    return `${rounded} dollars`;
  }
  return `${whole}.${cents} dollars`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
