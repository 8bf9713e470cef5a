import { type FormEvent, type KeyboardEvent, useCallback, useEffect, useRef, useState } from 'react';
import type {
  AccountSummary,
  OrderRequest,
  OrderSide,
  OrderType,
  Position,
  TimeInForce,
} from '../../../shared/domain/broker';
import type { Timeframe } from '../../../shared/domain/market';
import { formatUsd, notionalE4, toE4 } from '../../../shared/money';
import { api } from '../api';
import { useLiveQuotes } from '../desk/use-live-quotes';
import { formatPrice, formatPriceE4, formatQty } from '../format';

interface OrderTicketProps {
  /** Symbols that can trade: those of the replay session. */
  symbols: readonly string[];
  symbol: string | null;
  onSymbolChange: (symbol: string) => void;
  /** Changes when the market jumped: the last price is fetched again. */
  reloadKey: string;
  account: AccountSummary | null;
  positions: readonly Position[];
  /** The replay's bar timeframe: on daily bars a day order works for one bar only, so GTC is the default. */
  replayTimeframe: Timeframe | null;
}

interface Fields {
  side: OrderSide;
  qty: string;
  type: OrderType;
  limit: string;
  stop: string;
  tif: TimeInForce;
  bracket: boolean;
  takeProfit: string;
  stopLoss: string;
  stopLossLimit: string;
}

type Outcome = { kind: 'error'; message: string } | { kind: 'ok'; message: string } | null;

const TYPE_LABELS: Record<OrderType, string> = {
  market: 'Market',
  limit: 'Limit',
  stop: 'Stop',
  stop_limit: 'Stop-limit',
};

const needsLimit = (type: OrderType) => type === 'limit' || type === 'stop_limit';
const needsStop = (type: OrderType) => type === 'stop' || type === 'stop_limit';

function blankFields(tif: TimeInForce): Fields {
  return {
    side: 'buy',
    qty: '100',
    type: 'market',
    limit: '',
    stop: '',
    tif,
    bracket: false,
    takeProfit: '',
    stopLoss: '',
    stopLossLimit: '',
  };
}

/** A price field: undefined when empty (the broker then says what is missing), NaN when it is not a number. */
function parsePrice(text: string): number | undefined {
  const trimmed = text.trim().replace(/^\$/, '').replace(/,/g, '');
  return trimmed === '' ? undefined : Number(trimmed);
}

/** Inputs where a typed B or S is text, not a shortcut. */
function isTextField(el: Element | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  if (el.tagName !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
}

/**
 * The order ticket: side, quantity, type, prices (only those the type needs), time in force and an optional
 * bracket, with the estimated cost at the last price. The broker decides; a refusal is shown inline with its reason
 * and changes nothing. Shortcuts: B and S pick the side (outside text fields), Enter submits while the ticket has
 * focus, Esc clears it.
 */
export function OrderTicket({
  symbols,
  symbol,
  onSymbolChange,
  reloadKey,
  account,
  positions,
  replayTimeframe,
}: OrderTicketProps) {
  const defaultTif: TimeInForce = replayTimeframe === '1d' ? 'gtc' : 'day';
  const [fields, setFields] = useState<Fields>(() => blankFields(defaultTif));
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const outcomeRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    setFields((f) => ({ ...f, tif: defaultTif }));
  }, [defaultTif]);

  // The answer must be seen even when the ticket is scrolled (a short window).
  useEffect(() => {
    if (outcome) outcomeRef.current?.scrollIntoView({ block: 'nearest' });
  }, [outcome]);

  const set = <K extends keyof Fields>(key: K, value: Fields[K]) => setFields((f) => ({ ...f, [key]: value }));

  const clear = useCallback(() => {
    setFields(blankFields(defaultTif));
    setOutcome(null);
  }, [defaultTif]);

  const { quotes } = useLiveQuotes(reloadKey, symbol);
  const last = (symbol ? quotes.get(symbol)?.last : null) ?? null;

  const chooseType = (type: OrderType) => {
    setFields((f) => {
      const price = last === null ? '' : String(last);
      return {
        ...f,
        type,
        // A trader switching to a priced type usually starts from the market: prefill the empty field with the last.
        limit: needsLimit(type) && f.limit === '' ? price : f.limit,
        stop: needsStop(type) && f.stop === '' ? price : f.stop,
      };
    });
  };

  const submit = useCallback(async () => {
    if (busy) return;
    if (!symbol) {
      setOutcome({ kind: 'error', message: 'Choose a symbol first.' });
      return;
    }
    const qty = Number(fields.qty.trim());
    if (fields.qty.trim() === '' || !Number.isFinite(qty)) {
      setOutcome({ kind: 'error', message: 'Enter a quantity in whole shares.' });
      return;
    }
    const request: OrderRequest = { symbol, side: fields.side, type: fields.type, qty, tif: fields.tif };
    const prices: [string, string, (n: number) => void][] = [];
    if (needsLimit(fields.type)) prices.push(['Limit price', fields.limit, (n) => (request.limitPrice = n)]);
    if (needsStop(fields.type)) prices.push(['Stop price', fields.stop, (n) => (request.stopPrice = n)]);
    if (fields.bracket) {
      const bracket = { takeProfitLimitPrice: Number.NaN, stopLossStopPrice: Number.NaN } as NonNullable<
        OrderRequest['bracket']
      >;
      prices.push(['Take-profit price', fields.takeProfit, (n) => (bracket.takeProfitLimitPrice = n)]);
      prices.push(['Stop-loss price', fields.stopLoss, (n) => (bracket.stopLossStopPrice = n)]);
      if (fields.stopLossLimit.trim() !== '') {
        prices.push(['Stop-loss limit', fields.stopLossLimit, (n) => (bracket.stopLossLimitPrice = n)]);
      }
      request.bracket = bracket;
    }
    for (const [label, text, assign] of prices) {
      const value = parsePrice(text);
      if (value === undefined) {
        if (fields.bracket && label !== 'Limit price' && label !== 'Stop price') {
          setOutcome({ kind: 'error', message: `${label} is needed for a bracket.` });
          return;
        }
        continue;
      }
      if (!Number.isFinite(value)) {
        setOutcome({ kind: 'error', message: `${label} "${text}" is not a number.` });
        return;
      }
      assign(value);
    }
    setBusy(true);
    const result = await api.orders.place(request);
    setBusy(false);
    if (!result.ok) {
      setOutcome({ kind: 'error', message: result.error.message });
      return;
    }
    const o = result.value;
    const limitText = o.limitPriceE4 !== null ? ` ${formatPriceE4(o.limitPriceE4)}` : '';
    const stopText = o.stopPriceE4 !== null ? ` stop ${formatPriceE4(o.stopPriceE4)}` : '';
    setOutcome({
      kind: 'ok',
      message: `Order #${o.id} ${o.status.replace('_', ' ')}: ${o.side} ${formatQty(o.qty)} ${o.symbol} ${TYPE_LABELS[o.type].toLowerCase()}${limitText}${stopText} (${o.tif.toUpperCase()})${o.role === 'entry' ? ', with bracket exits' : ''}`,
    });
  }, [busy, symbol, fields]);

  // B / S / Esc anywhere on the desk outside text fields (and outside an open dialog).
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      if (document.querySelector('dialog[open]')) return;
      const active = document.activeElement;
      const inTicket = formRef.current?.contains(active) ?? false;
      if (e.key === 'Escape' && (inTicket || !isTextField(active))) {
        e.preventDefault();
        clear();
        return;
      }
      if (isTextField(active)) return;
      const key = e.key.toLowerCase();
      if (key === 'b' || key === 's') {
        e.preventDefault();
        const side: OrderSide = key === 'b' ? 'buy' : 'sell';
        setFields((f) => ({ ...f, side }));
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [clear]);

  const onFormKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key !== 'Enter' || e.shiftKey || e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target as HTMLElement;
    // Buttons act on Enter themselves (the side buttons must not also submit).
    if (target.tagName === 'BUTTON' || target.tagName === 'TEXTAREA') return;
    e.preventDefault();
    void submit();
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit();
  };

  // Estimated cost: quantity at the price the order would most likely trade (its limit, its stop, or the last).
  const qtyNumber = Number(fields.qty);
  const priceForEstimate =
    (needsLimit(fields.type) ? parsePrice(fields.limit) : needsStop(fields.type) ? parsePrice(fields.stop) : null) ??
    last;
  let estimate: string | null = null;
  if (
    priceForEstimate !== null &&
    Number.isFinite(priceForEstimate) &&
    priceForEstimate > 0 &&
    Number.isInteger(qtyNumber) &&
    qtyNumber > 0
  ) {
    try {
      estimate = formatUsd(notionalE4(qtyNumber, toE4(priceForEstimate)));
    } catch {
      estimate = null;
    }
  }
  const position = symbol ? positions.find((p) => p.symbol === symbol && p.qty !== 0) : undefined;
  const sideLabel = fields.side === 'buy' ? 'Buy' : 'Sell';

  return (
    <form
      ref={formRef}
      className={`ticket ticket-${fields.side}`}
      onSubmit={onSubmit}
      onKeyDown={onFormKeyDown}
      noValidate
      aria-label="Order entry"
    >
      <div className="ticket-row">
        <fieldset className="side-toggle" aria-label="Side">
          <button
            type="button"
            className="side-buy"
            aria-pressed={fields.side === 'buy'}
            onClick={() => set('side', 'buy')}
          >
            Buy
          </button>
          <button
            type="button"
            className="side-sell"
            aria-pressed={fields.side === 'sell'}
            onClick={() => set('side', 'sell')}
          >
            Sell
          </button>
        </fieldset>
        <label className="field">
          <span>Symbol</span>
          <select
            aria-label="Symbol"
            value={symbol ?? ''}
            onChange={(e) => onSymbolChange(e.target.value)}
            disabled={symbols.length === 0}
          >
            {symbols.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="ticket-quote" data-testid="ticket-quote">
        Last <strong>{formatPrice(last)}</strong>
        {position ? (
          <span>
            {' '}
            · Position {formatQty(position.qty)} @ {formatPriceE4(position.avgPriceE4)}
          </span>
        ) : null}
      </div>
      <div className="ticket-grid">
        <label className="field">
          <span>Quantity</span>
          <input
            aria-label="Quantity"
            type="number"
            inputMode="numeric"
            step={1}
            value={fields.qty}
            onChange={(e) => set('qty', e.target.value)}
          />
        </label>
        <label className="field">
          <span>Type</span>
          <select aria-label="Order type" value={fields.type} onChange={(e) => chooseType(e.target.value as OrderType)}>
            {(Object.keys(TYPE_LABELS) as OrderType[]).map((t) => (
              <option key={t} value={t}>
                {TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </label>
        {needsLimit(fields.type) ? (
          <label className="field">
            <span>Limit price</span>
            <input
              aria-label="Limit price"
              type="text"
              inputMode="decimal"
              value={fields.limit}
              onChange={(e) => set('limit', e.target.value)}
            />
          </label>
        ) : null}
        {needsStop(fields.type) ? (
          <label className="field">
            <span>Stop price</span>
            <input
              aria-label="Stop price"
              type="text"
              inputMode="decimal"
              value={fields.stop}
              onChange={(e) => set('stop', e.target.value)}
            />
          </label>
        ) : null}
        <label className="field">
          <span>Time in force</span>
          <select
            aria-label="Time in force"
            value={fields.tif}
            onChange={(e) => set('tif', e.target.value as TimeInForce)}
          >
            <option value="day">Day</option>
            <option value="gtc">GTC</option>
          </select>
        </label>
      </div>
      {fields.tif === 'day' && replayTimeframe === '1d' && fields.type !== 'market' ? (
        <p className="ticket-hint">
          On daily bars a day order works for the next bar only; choose GTC to keep it working.
        </p>
      ) : null}
      <label className="check">
        <input type="checkbox" checked={fields.bracket} onChange={(e) => set('bracket', e.target.checked)} />
        Bracket (take-profit / stop-loss)
      </label>
      {fields.bracket ? (
        <div className="ticket-grid">
          <label className="field">
            <span>Take-profit</span>
            <input
              aria-label="Take-profit price"
              type="text"
              inputMode="decimal"
              value={fields.takeProfit}
              onChange={(e) => set('takeProfit', e.target.value)}
            />
          </label>
          <label className="field">
            <span>Stop-loss</span>
            <input
              aria-label="Stop-loss price"
              type="text"
              inputMode="decimal"
              value={fields.stopLoss}
              onChange={(e) => set('stopLoss', e.target.value)}
            />
          </label>
          <label className="field">
            <span>SL limit (optional)</span>
            <input
              aria-label="Stop-loss limit price"
              type="text"
              inputMode="decimal"
              value={fields.stopLossLimit}
              onChange={(e) => set('stopLossLimit', e.target.value)}
            />
          </label>
        </div>
      ) : null}
      <div className="ticket-estimate" data-testid="ticket-estimate">
        {fields.side === 'buy' ? 'Est. cost' : 'Est. proceeds'} <strong>{estimate ?? '—'}</strong>
        {account ? <span> · Buying power {formatUsd(account.buyingPowerE4)}</span> : null}
      </div>
      <button type="submit" className={`submit submit-${fields.side}`} disabled={busy} data-testid="ticket-submit">
        {sideLabel} {fields.qty.trim() || '?'} {symbol ?? ''}
      </button>
      {outcome ? (
        outcome.kind === 'error' ? (
          <p className="ticket-outcome error" role="alert" data-testid="ticket-error" ref={outcomeRef}>
            Rejected: {outcome.message}
          </p>
        ) : (
          <p className="ticket-outcome ok" role="status" data-testid="ticket-ok" ref={outcomeRef}>
            {outcome.message}
          </p>
        )
      ) : null}
      <p className="ticket-keys" data-testid="ticket-shortcuts">
        <kbd>B</kbd> buy · <kbd>S</kbd> sell · <kbd>Enter</kbd> submit · <kbd>Esc</kbd> clear
      </p>
    </form>
  );
}
